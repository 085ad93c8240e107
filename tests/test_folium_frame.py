"""The prepared map frame sends exactly what streamlit-folium's ``st_folium`` sends for the same map."""

from __future__ import annotations

import copy

import folium
import pytest
import streamlit_folium as sf

from analysis.dataset import load_coverage
from analysis.metrics import METRICS
from analysis.views import classify_metric, map_regions
from ingest.sites import load_illustrative_sites
from render.maps.choropleth import choropleth_map
from render.maps.palettes import metric_palette
from render.maps.sites_layer import add_sites_layer
from ui import folium_frame


@pytest.fixture(scope="module")
def garut_map() -> folium.Map:
    result = load_coverage(None).result
    regions = map_regions(result, "kecamatan", None)
    classes = classify_metric(regions, "coverage_rate", "target_bands", (0.3, 0.5, 0.7))
    fmap = choropleth_map(regions, "coverage_rate", classes, metric_palette(METRICS["coverage_rate"]),
                          labels_column="nama", title="Tingkat cakupan")
    add_sites_layer(fmap, load_illustrative_sites(), legend_collapsed=True)
    return fmap


def _sent(monkeypatch, show) -> dict:
    """The keyword arguments streamlit-folium's component receives from ``show()``."""
    sent: dict = {}
    monkeypatch.setattr(sf, "_component_func", lambda **kwargs: sent.update(kwargs) or kwargs["default"])
    show()
    return sent


def test_prepared_frame_sends_what_st_folium_sends(monkeypatch, garut_map):
    ours, theirs = copy.deepcopy(garut_map), copy.deepcopy(garut_map)
    expected = _sent(monkeypatch, lambda: sf.st_folium(theirs, key="peta", height=640, use_container_width=True,
                                                       returned_objects=["last_active_drawing"]))
    args = folium_frame.frame_args(ours, "peta")
    got = _sent(monkeypatch, lambda: folium_frame.show_frame(args, key="peta", height=640,
                                                             returned_objects=["last_active_drawing"]))
    assert set(got) == set(expected)
    for name in expected:
        if name != "on_change":
            assert got[name] == expected[name], name
    assert "L.geoJson" in got["script"] and got["css_links"] and got["js_links"]


def test_defaults_follow_the_returned_objects(monkeypatch, garut_map):
    args = folium_frame.frame_args(copy.deepcopy(garut_map), "peta")
    sent = _sent(monkeypatch, lambda: folium_frame.show_frame(args, key="peta", height=400,
                                                              returned_objects=["bounds", "zoom"]))
    assert set(sent["default"]) == {"bounds", "zoom"}
    south_west, north_east = sent["default"]["bounds"]["_southWest"], sent["default"]["bounds"]["_northEast"]
    assert -7.8 < south_west["lat"] < north_east["lat"] < -6.9        # Garut's latitudes
    assert 107.4 < south_west["lng"] < north_east["lng"] < 108.2


def test_the_component_key_follows_the_widget_key_and_the_map(garut_map):
    one = folium_frame.frame_args(copy.deepcopy(garut_map), "peta")
    other_key = folium_frame.frame_args(copy.deepcopy(garut_map), "lain")
    assert one["hash_key"] != other_key["hash_key"]
    changed = copy.deepcopy(garut_map)
    folium.Marker([-7.2, 107.9]).add_to(changed)
    assert folium_frame.frame_args(changed, "peta")["hash_key"] != one["hash_key"]


def test_frames_are_kept_by_digest_within_their_bounds(monkeypatch, garut_map):
    folium_frame.clear_frames()
    drawn = []

    def draw():
        drawn.append(1)
        return copy.deepcopy(garut_map)

    first = folium_frame.cached_frame("a", draw, "peta")
    assert folium_frame.cached_frame("a", draw, "peta") is first and len(drawn) == 1
    assert folium_frame.cached_frame("a", draw, "lain") is not first and len(drawn) == 2    # per widget key
    monkeypatch.setattr(folium_frame, "FRAME_CACHE_ENTRIES", 2)
    folium_frame.cached_frame("b", draw, "peta")            # three kept: the oldest shown ("a" in "peta") goes
    assert len(drawn) == 3
    folium_frame.cached_frame("a", draw, "peta")
    assert len(drawn) == 4
    size = len(first["script"]) + len(first["html"]) + len(first["header"])
    monkeypatch.setattr(folium_frame, "FRAME_CACHE_BYTES", int(size * 1.5))
    folium_frame.cached_frame("c", draw, "peta")            # over the bytes: only the newest stays
    assert list(folium_frame._FRAMES) == ["peta:c"]
    folium_frame.clear_frames()

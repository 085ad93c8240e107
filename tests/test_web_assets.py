"""Maps load no CDN resource: every Folium library is served or embedded locally."""

from __future__ import annotations

import re

import folium
import folium.plugins
import pytest

from core.errors import SourceNotFoundError
from render.maps.mapview import kecamatan_outline_map
from render.maps.web_assets import (
    ASSETS,
    OMITTED,
    UnknownAssetError,
    asset_path,
    inline_html,
    localize,
)
from tests.map_html import geojson_features

EXTERNAL = re.compile(r'<(?:script[^>]*\bsrc|link[^>]*\bhref)="(https?:)?//', re.IGNORECASE)


def _resources(*elements):
    for element in elements:
        yield from element.default_js
        yield from element.default_css


def test_every_folium_resource_we_use_is_registered():
    names = {name for name, _ in _resources(folium.Map(), folium.plugins.MarkerCluster())}
    assert names <= set(ASSETS) | set(OMITTED)
    for name in ASSETS:
        assert asset_path(name).stat().st_size > 100


def test_localize_leaves_no_external_resource(kecamatan_web):
    fmap = localize(kecamatan_outline_map(kecamatan_web), "../ui.vendor.vendor")
    html = fmap.get_root().render()
    assert not EXTERNAL.search(html)
    assert '<script src="../ui.vendor.vendor/leaflet/dist/leaflet.js"></script>' in html
    assert "glyphicons" not in html


def test_localize_rewrites_plugins_too():
    fmap = folium.Map(tiles=None)
    folium.plugins.MarkerCluster().add_to(fmap)
    html = localize(fmap, "/v").get_root().render()
    assert '<script src="/v/leaflet.markercluster/dist/leaflet.markercluster.js"></script>' in html
    assert not EXTERNAL.search(html)


def test_unknown_resource_fails_loudly():
    fmap = folium.Map(tiles=None)
    fmap.default_js = fmap.default_js + [("mystery", "https://cdn.example.org/x.js")]
    with pytest.raises(UnknownAssetError, match="'mystery' has no local copy"):
        localize(fmap, "/v")


def test_missing_npm_install_is_explained(monkeypatch, tmp_path):
    monkeypatch.setattr("render.maps.web_assets.NODE_MODULES", tmp_path)
    with pytest.raises(SourceNotFoundError, match="make setup"):
        asset_path("leaflet")


def test_inline_html_is_self_contained(kecamatan_web):
    html = inline_html(kecamatan_outline_map(kecamatan_web))
    assert not EXTERNAL.search(html)
    assert "<script src=" not in html and '<link rel="stylesheet"' not in html
    assert "Leaflet 1.9.4" in html  # the library itself is embedded
    assert len(geojson_features(html)) == 42         # the polygons (the labels' leader lines left out)


def test_localize_after_an_earlier_render_drops_cdn_links():
    fmap = folium.Map(tiles=None)
    fmap.get_root().render()  # adds folium's CDN links to the header
    assert EXTERNAL.search(fmap.get_root().render())
    html = inline_html(fmap)
    assert not EXTERNAL.search(html)
    assert "glyphicons" not in html and "awesome.rotate" not in html

"""Map layers of high-risk sites and visited desa: offline, escaped, clustered, toggled per category."""

from __future__ import annotations

import re

import folium
import geopandas as gpd
import pytest
from shapely.geometry import Point

from core.i18n import STRINGS, t
from ingest.sites import KNOWN_CATEGORIES, OTHER_CATEGORY, load_sites
from render.maps.sites_layer import (
    CATEGORY_STYLES,
    DivIconMarker,
    SiteCategoryControl,
    _luminance,
    add_sites_layer,
    add_visited_layer,
    category_name,
    pin_svg,
    site_category_table,
)
from render.maps.web_assets import localize
from tests.map_html import geojson_features

ILLUSTRATIVE_LABEL = t("sites.illustrative_label", "id")
ILLUSTRATIVE_LABEL_EN = t("sites.illustrative_label", "en")

EXTERNAL = re.compile(r'<(?:script[^>]*\bsrc|link[^>]*\bhref)="(https?:)?//', re.IGNORECASE)
XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def sites():
    return load_sites()          # the illustrative layer, 26 sites


def _map_with_sites(sites, **kwargs) -> tuple[folium.Map, folium.FeatureGroup, str]:
    fmap = folium.Map(tiles=None)
    group = add_sites_layer(fmap, sites, **kwargs)
    return fmap, group, fmap.get_root().render()


def _markers(group: folium.FeatureGroup) -> list[DivIconMarker]:
    found = []

    def walk(element):
        for child in element._children.values():
            if isinstance(child, DivIconMarker):
                found.append(child)
            walk(child)
    walk(group)
    return found


def _control(fmap: folium.Map) -> SiteCategoryControl:
    (control,) = [c for c in fmap._children.values() if isinstance(c, SiteCategoryControl)]
    return control


def test_one_pin_per_site_clustered_with_a_legend(sites):
    fmap, group, html = _map_with_sites(sites)
    markers = _markers(group)
    assert len(markers) == len(sites) == 26
    assert "L.markerClusterGroup" in html
    assert '"maxZoom": 18' in html                       # markercluster needs it on a tile-less map
    control = _control(fmap)
    assert sum(len(names) for names in control.marker_names.values()) == 26
    counts = site_category_table(sites)
    for row in counts.itertuples():
        assert f"{row.label}</span><span class=\"n\">({row.n_sites})</span>" in control.html
        assert f'data-category="{row.category_group}"' in control.html
    assert ILLUSTRATIVE_LABEL in control.html and ILLUSTRATIVE_LABEL in group.layer_name


def test_every_marker_is_created_with_its_div_icon(sites):
    """No default Leaflet image icon: no setIcon swap, no marker-icon.png request."""
    _fmap, _group, html = _map_with_sites(sites)
    assert "setIcon(" not in html and "L.divIcon(" in html
    assert html.count('"className": "peta-site-icon"') == 26


def test_layer_needs_no_internet_once_localised(sites):
    fmap, _group, _html = _map_with_sites(sites)
    html = localize(fmap, "../ui.vendor.vendor").get_root().render()
    assert not EXTERNAL.search(html)
    assert "../ui.vendor.vendor/leaflet.markercluster/dist/leaflet.markercluster.js" in html


def test_categories_and_cluster_options(sites):
    fmap, group, html = _map_with_sites(sites, categories=["rafting", "fishing_port"], cluster=False)
    markers = _markers(group)
    assert len(markers) == int(sites["category_group"].isin(["rafting", "fishing_port"]).sum()) == 4
    assert "markerClusterGroup" not in html
    assert set(_control(fmap).marker_names) == {"rafting", "fishing_port"}
    with pytest.raises(ValueError, match="Unknown site categories"):
        add_sites_layer(folium.Map(tiles=None), sites, categories=["volcano"])


def test_legend_can_start_folded(sites):
    fmap, _group, _html = _map_with_sites(sites)
    assert "<details open>" in _control(fmap).html
    fmap, _group, _html = _map_with_sites(sites, legend_collapsed=True)
    html = _control(fmap).html
    assert "<details>" in html and "<details open>" not in html
    summary = html[html.index("<summary>"):html.index("</summary>")]
    assert ILLUSTRATIVE_LABEL in summary                     # the label stays visible when folded


def test_english_legend_and_label(sites):
    fmap, group, _html = _map_with_sites(sites, lang="en")
    control = _control(fmap)
    assert "Rafting" in control.html and "High-risk work sites" in control.html
    assert ILLUSTRATIVE_LABEL_EN in control.html


def test_user_sites_are_not_labelled_illustrative_and_are_escaped():
    sites = gpd.GeoDataFrame(
        {"name": [XSS, "Tambang B"], "category_group": ["quarry", "mystery"], "desa": ["A&B", "C"],
         "kecamatan": ["K", "L"], "est_workers": [120.0, float("nan")], "illustrative": [False, False]},
        geometry=[Point(107.9, -7.2), Point(107.8, -7.3)], crs="EPSG:4326")
    fmap, group, html = _map_with_sites(sites)
    assert XSS not in html                                   # popup, tooltip and legend
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "A&amp;B" in html
    control = _control(fmap)
    assert "ILUSTRATIF" not in control.html and "ILUSTRATIF" not in group.layer_name
    assert set(control.marker_names) == {"quarry", OTHER_CATEGORY}   # an unknown group is drawn as "lainnya"


def test_styles_cover_every_category_and_stay_readable():
    assert set(CATEGORY_STYLES) == set(KNOWN_CATEGORIES) | {OTHER_CATEGORY}
    assert len({s.color for s in CATEGORY_STYLES.values()}) == len(CATEGORY_STYLES)
    assert len({s.code for s in CATEGORY_STYLES.values()}) == len(CATEGORY_STYLES)
    for style in CATEGORY_STYLES.values():
        lighter, darker = sorted([_luminance(style.color), _luminance(style.text_color)], reverse=True)
        assert (lighter + 0.05) / (darker + 0.05) >= 4.5, style     # WCAG AA for the letters
    assert "<svg" in pin_svg("rafting") and CATEGORY_STYLES["rafting"].color in pin_svg("rafting")


def test_category_names_match_the_sites_module():
    for group, label in KNOWN_CATEGORIES.items():
        assert category_name(group, "id") == label == STRINGS["id"][f"sites.category.{group}"]
        assert category_name(group, "en") == STRINGS["en"][f"sites.category.{group}"]
    assert category_name("volcano", "en") == "Other"


def test_visited_layer_outlines_and_marks_the_visited_desa(desa_web):
    visited = {"32.05.01.1001", "32.05.36.2005", "32.05.99.9999"}      # the last is unknown: ignored
    fmap = folium.Map(tiles=None)
    group = add_visited_layer(fmap, desa_web, visited, "id", details={"32.05.01.1001": XSS})
    html = fmap.get_root().render()
    assert len(geojson_features(html)) == 2
    markers = _markers(group)
    assert len(markers) == 2
    assert "Sudah dikunjungi: Kota Kulon, Kec. Garut Kota" in html
    assert XSS not in html and "&lt;img src=x" in html
    assert '"dashArray": "6 4"' in html


def test_visited_layer_with_nothing_visited_is_empty(desa_web):
    fmap = folium.Map(tiles=None)
    group = add_visited_layer(fmap, desa_web, set(), "en")
    assert group.layer_name == "Visited desa"
    assert _markers(group) == [] and geojson_features(fmap.get_root().render()) == []

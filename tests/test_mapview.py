"""The kecamatan outline map: polygons, labels and escaping."""

from __future__ import annotations

from render.maps.mapview import BACKGROUND, kecamatan_outline_map
from tests.map_html import geojson_features


def test_outline_map_has_42_kecamatan_and_no_tiles(kecamatan_web):
    html = kecamatan_outline_map(kecamatan_web).get_root().render()
    assert "L.tileLayer" not in html
    assert BACKGROUND in html
    features = geojson_features(html)
    assert len(features) == 42
    assert {f["properties"]["kode"] for f in features} == set(kecamatan_web["kode"])
    assert html.count('class=\\"peta-label\\"') == 42


def test_names_with_html_are_escaped(kecamatan_web):
    evil = kecamatan_web.copy()
    evil.loc[evil.index[0], "nama"] = '<img src=x onerror=alert(1)>'
    html = kecamatan_outline_map(evil).get_root().render()
    assert "<img src=x onerror=alert(1)>" not in html
    names = {f["properties"]["nama"] for f in geojson_features(html)}
    assert "&lt;img src=x onerror=alert(1)&gt;" in names
    # the label text is escaped too (JSON may encode & as \u0026)
    assert "\\u0026lt;img src=x onerror=alert(1)\\u0026gt;\\u003c/div\\u003e" in html

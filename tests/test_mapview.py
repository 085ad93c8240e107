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
    # every kecamatan is named: by its label, or by a number and the side list where labels would overlap
    assert html.count('class=\\"peta-label\\"') + html.count('class=\\"peta-label-no\\"') == 42


def test_names_with_html_are_escaped(kecamatan_web):
    evil = kecamatan_web.copy()
    evil.loc[evil.index[0], "nama"] = '<img src=x onerror=alert(1)>'
    html = kecamatan_outline_map(evil).get_root().render()
    assert "<img src=x onerror=alert(1)>" not in html
    names = {f["properties"]["nama"] for f in geojson_features(html)}
    assert "&lt;img src=x onerror=alert(1)&gt;" in names
    # the label text is escaped too, on the map (JSON may encode & as \u0026) or in the side list
    assert ("\\u0026lt;img src=x onerror=alert(1)\\u0026gt;\\u003c/div\\u003e" in html
            or "&lt;img src=x onerror=alert(1)&gt;</div>" in html)


def test_labels_never_overlap_small_ones_become_numbers_with_a_side_list(kecamatan_web):
    import shapely

    from geo.paths import METRIC_CRS
    from render.maps.mapview import LABEL_MAP_PX, add_labels, base_map, place_labels

    font = 18
    placed = place_labels(kecamatan_web, "nama", font, LABEL_MAP_PX)
    assert len(placed) == 42 and 0 < sum(p[3] for p in placed) < 42
    metric = kecamatan_web.to_crs(METRIC_CRS)
    minx, miny, maxx, maxy = metric.total_bounds
    m_per_px = max((maxx - minx) / LABEL_MAP_PX[0], (maxy - miny) / LABEL_MAP_PX[1])
    import geopandas as gpd
    boxes = []
    for text, lat, lon, as_number in placed:
        if as_number:
            continue
        p = gpd.GeoSeries([shapely.Point(lon, lat)], crs=4326).to_crs(METRIC_CRS).iloc[0]
        w, h = len(text) * 0.6 * font * m_per_px / 2, 1.3 * font * m_per_px / 2
        boxes.append(shapely.box(p.x - w, p.y - h, p.x + w, p.y + h))
    assert not any(a.intersects(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    fmap = base_map(kecamatan_web)
    add_labels(fmap, kecamatan_web, "nama", font)
    page = fmap.get_root().render()
    numbered = [p[0] for p in placed if p[3]]
    assert page.count('class=\\"peta-label-no\\"') == len(numbered)
    assert f"<div>1 {numbered[0]}</div>" in page                       # the side list names number 1

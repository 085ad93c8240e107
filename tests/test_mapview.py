"""The kecamatan outline map: polygons, labels and escaping."""

from __future__ import annotations

import json
import re

import pytest

from render.maps.mapview import BACKGROUND, base_map, kecamatan_outline_map, refit
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


def _label_boxes(placed, view, font):
    from render.maps.labels import number_box, text_box

    boxes = []
    for label in placed:
        w, h = number_box(font) if label.as_number else text_box(label.text, font)
        x, y = view.pixels(label.lon, label.lat)
        boxes.append((float(x) - w / 2, float(y) - h / 2, float(x) + w / 2, float(y) + h / 2))
    return boxes


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("size, font", [((700, 560), 18), ((1100, 900), 18), ((900, 620), 12),
                                        ((1200, 620), 12), ((358, 420), 12)])
def test_no_two_labels_overlap_numbers_included_nor_the_legend(kecamatan_web, size, font):
    import shapely

    from render.maps.labels import MapView, control_boxes, plan_labels

    legend = (size[0] - 200, size[1] - 190, size[0], size[1])
    phone = size[0] < 500                      # no side list of numbers on a phone: it would cover the map
    plan = plan_labels(kecamatan_web, "nama", font, size, obstacles=[legend], numbers=not phone)
    placed = plan.labels
    assert not any(p.overlaps for p in placed)
    assert len(placed) == 42 if not phone else 10 <= len(placed) < 42 and not any(p.as_number for p in placed)
    # a label standing beside its polygon (a callout) has a leader line pointing into that polygon
    shapes = dict(zip(kecamatan_web["nama"], kecamatan_web.geometry))
    callouts = [p for p in placed if p.leader is not None]
    assert all(shapes[p.text].buffer(1e-4).contains(shapely.Point(p.leader[1], p.leader[0])) for p in callouts)
    assert all(not shapes[p.text].contains(shapely.Point(p.lon, p.lat)) for p in callouts)
    view = MapView.fitted(kecamatan_web.total_bounds, size)
    boxes = _label_boxes(placed, view, font)
    key = plan.key
    assert (key is None) == (not any(p.as_number for p in placed))
    fixed = [legend, *control_boxes(size, font), *([key.box] if key else [])]
    assert key is None or key.box[3] - key.box[1] <= size[1]              # the list wraps into columns
    assert not any(_overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    assert not any(_overlap(a, b) for a in boxes for b in fixed)
    assert all(0 <= x0 and x1 <= size[0] and 0 <= y0 and y1 <= size[1] for x0, y0, x1, y1 in boxes)


def test_mapview_repeats_leaflet_fit_bounds():
    from render.maps.labels import MapView

    # Garut's bounds on a 700x560 map: Leaflet picks zoom 9.75 (the 0.25 snap below 9.87) and centres the bounds
    view = MapView.fitted((107.41, -7.74, 108.13, -6.96), (700, 560))
    assert view.zoom == 9.75
    x, y = view.pixels([107.77], [-7.35])
    assert abs(float(x[0]) - 350) < 1 and abs(float(y[0]) - 280) < 3
    lon, lat = view.lonlat(x, y)
    assert abs(float(lon[0]) - 107.77) < 1e-9 and abs(float(lat[0]) + 7.35) < 1e-9
    (x0, x1), (y0, y1) = view.pixels([107.41, 108.13], [-6.96, -7.74])
    assert 0 <= x0 and x1 <= 700 and 0 <= y0 and y1 <= 560 and (x1 - x0 > 600 or y1 - y0 > 480)


def test_labels_never_overlap_small_ones_become_numbers_with_a_side_list(kecamatan_web):
    from render.maps.labels import plan_labels
    from render.maps.mapview import add_labels, base_map

    font, size = 20, (560, 480)        # crowded: some names find no room, not even beside their polygon
    placed = plan_labels(kecamatan_web, "nama", font, size).labels
    assert len(placed) == 42 and 0 < sum(p.as_number for p in placed) < 42
    assert any(p.leader is not None for p in placed)                   # callouts, with a leader line
    fmap = base_map(kecamatan_web)
    add_labels(fmap, kecamatan_web, "nama", font, size)
    page = fmap.get_root().render()
    numbered = [p.text for p in placed if p.as_number]
    assert page.count('class=\\"peta-label-no\\"') == len(numbered)
    assert f"<div>1 {numbered[0]}</div>" in page                       # the side list names number 1
    assert page.count('"type": "LineString"') == sum(p.leader is not None for p in placed)   # one leader each


def test_the_fit_is_not_animated_and_refit_keeps_one_fit(kecamatan_web):
    fmap = base_map(kecamatan_web)
    refit(fmap, [[-7.3, 107.8], [-7.2, 107.9]], padding=[10, 10])
    html = fmap.get_root().render()
    fits = re.findall(r"\.fitBounds\(\s*(\[\[.*?\]\])\s*,\s*(\{.*?\})\s*\);", html, re.S)
    assert len(fits) == 1, fits                      # the refit replaced base_map's fit
    bounds, options = fits[0]
    assert json.loads(bounds) == [[-7.3, 107.8], [-7.2, 107.9]]
    assert json.loads(options) == {"animate": False, "padding": [10, 10]}

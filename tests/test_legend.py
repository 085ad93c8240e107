"""The in-map legend: labels, no-data row, sizes, escaping, no external resource."""

from __future__ import annotations

import doctest
import html
import re

import folium
import pytest

import render.maps.legend
from analysis.classify import classify
from render.maps.legend import FONT_PX, FONT_PX_LARGE, Legend, legend_for
from render.maps.palettes import palette

COLORS = palette("YlGnBu", 4)


def _render(legend: Legend) -> str:
    fmap = folium.Map(tiles=None)
    legend.add_to(fmap)
    return fmap.get_root().render()


def test_rows_for_every_class_and_no_data_row_when_needed():
    legend = legend_for(classify([0.1, 0.35, None, 0.9], "target_bands"), COLORS, "Tingkat cakupan")
    for label in ["< 30%", "30% – 50%", "50% – 70%", "≥ 70%", "Tidak ada data"]:
        assert f"<span>{html.escape(label)}</span>" in legend.html
    assert legend.html.count("peta-legend-row") == 5
    assert legend.html.count("peta-legend-nodata") == 1
    for color in COLORS:
        assert f"background:{color}" in legend.html


def test_no_no_data_row_without_missing_values():
    legend = legend_for(classify([0.1, 0.35, 0.9], "target_bands"), COLORS, "Coverage rate", lang="en")
    assert "No data" not in legend.html and "peta-legend-nodata" not in legend.html
    assert legend.html.count("peta-legend-row") == 4


def test_english_and_indonesian_numbers():
    c = classify([1200, 5000, 18000, None], "equal_interval", k=2)
    id_legend = legend_for(c, COLORS[:2], "Pekerja", kind="count", lang="id")
    en_legend = legend_for(c, COLORS[:2], "Workers", kind="count", lang="en")
    assert id_legend.labels == ["1.200 – 9.600", "9.600 – 18.000", "Tidak ada data"]
    assert en_legend.labels == ["1,200 – 9,600", "9,600 – 18,000", "No data"]


def test_explicit_no_data_flag_overrides():
    c = classify([0.1, 0.9], "target_bands")
    assert "Tidak ada data" in legend_for(c, COLORS, "x", has_missing=True).labels


def test_title_and_labels_are_escaped():
    legend = Legend("<script>alert(1)</script>", ["#fff"], ["<b>x</b>"], no_data_label="<i>n</i>")
    assert "<script>" not in legend.html and "&lt;script&gt;alert(1)&lt;/script&gt;" in legend.html
    assert "<b>" not in legend.html and "&lt;b&gt;x&lt;/b&gt;" in legend.html
    assert "&lt;i&gt;n&lt;/i&gt;" in legend.html
    rendered = _render(legend)
    assert "<script>alert" not in rendered and "\\u003cscript\\u003ealert" not in rendered


@pytest.mark.parametrize(("large", "px"), [(False, FONT_PX), (True, FONT_PX_LARGE)])
def test_font_sizes(large, px):
    assert FONT_PX >= 14 and FONT_PX_LARGE >= 20          # the briefing: all text at least 20 px
    rendered = _render(Legend("T", ["#fff"], ["a"], large=large))
    assert f'div.style.fontSize = "{px}px"' in rendered


def _resources(rendered: str) -> set[str]:
    return set(re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', rendered))


def test_inside_the_map_with_no_external_resource():
    legend = legend_for(classify([0.1, None], "target_bands"), COLORS, "Tingkat cakupan")
    rendered = _render(legend)
    assert "L.control(" in rendered and re.search(rf"{legend.get_name()}\.addTo\(map_\w+\)", rendered)
    assert "http" not in legend.html + legend.css
    assert "<script" not in legend.html and "<link" not in legend.html
    # The legend adds no script or stylesheet to the page: the same as a bare map's.
    assert _resources(rendered) == _resources(folium.Map(tiles=None).get_root().render())
    assert not re.search(r"d3(\.v\d)?(\.min)?\.js", rendered)


def test_mismatched_colours_raise():
    with pytest.raises(ValueError):
        Legend("T", ["#fff"], ["a", "b"])


def test_doctest():
    assert doctest.testmod(render.maps.legend).failed == 0

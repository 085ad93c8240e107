"""Choropleth maps on the real Garut desa layer with a synthetic metric; their palettes."""

from __future__ import annotations

import html
import json
import re

import folium
import numpy as np
import pytest
from jinja2.utils import htmlsafe_json_dumps

from analysis.classify import classify
from core.formatting import formatter
from render.maps.choropleth import BLANK_TILE, choropleth_map
from render.maps.palettes import (
    NO_DATA_CSS,
    NO_DATA_FILL,
    NO_DATA_PATTERN_ID,
    NO_DATA_STYLE,
    PALETTES,
    class_colors,
    palette,
)
from render.maps.web_assets import localize

XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_B = "<b>x</b>"
TOOLTIP = [("nama", "Desa", None), ("kecamatan", "Kecamatan", "text"), ("rate", "Tingkat <cakupan>", "rate"),
           ("workers", "Pekerja", "count")]


@pytest.fixture(scope="module")
def layer(desa_web):
    """desa_web with a synthetic rate (from area; every 13th desa without data) and two hostile names."""
    out = desa_web.copy()
    out["rate"] = (out["area_km2"] / out["area_km2"].max()).where(np.arange(len(out)) % 13 != 0)
    out["workers"] = (out["area_km2"] * 1000).round().astype("Int64")
    out.loc[out.index[3], "nama"] = XSS_IMG
    out.loc[out.index[4], "nama"] = XSS_B
    return out


@pytest.fixture(scope="module")
def classification(layer):
    return classify(layer["rate"], "quantiles", k=5)


@pytest.fixture(scope="module")
def fmap(layer, classification):
    return choropleth_map(layer, "rate", classification, "YlGnBu", tooltip_fields=TOOLTIP,
                          title="Tingkat cakupan", highlight=set(layer["kode"][:10]))


@pytest.fixture(scope="module")
def rendered(fmap):
    return fmap.get_root().render()


def _geojson_layers(fmap: folium.Map) -> list[folium.GeoJson]:
    return [c for c in fmap._children.values() if isinstance(c, folium.GeoJson)]


def _main(fmap: folium.Map) -> folium.GeoJson:
    return _geojson_layers(fmap)[0]


def test_one_feature_per_desa_with_kode_and_tooltip_fields_only(fmap, layer):
    features = _main(fmap).data["features"]
    assert len(features) == len(layer) == 442
    assert [f["properties"]["kode"] for f in features] == layer["kode"].tolist()
    for feature in features:
        assert list(feature["properties"]) == ["kode", "nama", "kecamatan", "rate", "workers"]
        assert all(isinstance(v, str) for v in feature["properties"].values())
    assert _main(fmap).feature_identifier == "feature.properties.kode"


def test_values_are_preformatted_in_indonesian(fmap, layer):
    props = {f["properties"]["kode"]: f["properties"] for f in _main(fmap).data["features"]}
    row = layer.iloc[1]
    assert props[row["kode"]]["rate"] == f"{row['rate'] * 100:.1f}%".replace(".", ",")
    missing = layer.iloc[0]
    assert np.isnan(missing["rate"]) and props[missing["kode"]]["rate"] == "tidak ada data"
    big = layer.loc[layer["workers"].idxmax()]
    assert props[big["kode"]]["workers"] == f"{int(big['workers']):,}".replace(",", ".")


def test_no_data_style_differs_from_every_class_colour(fmap, layer, classification, rendered):
    colors = palette("YlGnBu", classification.k)
    geojson = _main(fmap)
    styles = {f["properties"]["kode"]: geojson.style_function(f) for f in geojson.data["features"]}
    no_data = layer.loc[layer["rate"].isna(), "kode"]
    assert len(no_data) == 34
    for kode in no_data:
        style = styles[kode]
        assert style["fillColor"] not in colors and style["dashArray"]
        assert NO_DATA_PATTERN_ID in style["fillColor"]
    for kode in layer.loc[layer["rate"].notna(), "kode"]:
        assert styles[kode]["fillColor"] in colors and "dashArray" not in styles[kode]
    # The rendered styler sends every no-data desa to the hatch style.
    styler = rendered[rendered.index(f"function {geojson.get_name()}_styler"):]
    styler = styler[: styler.index("function ", 10)]
    blocks = re.findall(r"((?:case \"[^\"]+\": )+)\s*return (\{[^}]*\});", styler)
    hatch = [cases for cases, style in blocks if NO_DATA_PATTERN_ID in style]
    default_style = re.search(r"default:\s*return (\{[^}]*\});", styler).group(1)
    hatched = set(re.findall(r'case "([^"]+)"', "".join(hatch)))
    assert NO_DATA_PATTERN_ID not in default_style and hatched == set(no_data)
    assert f'id="{NO_DATA_PATTERN_ID}"' in json.loads(re.search(r'insertAdjacentHTML\("beforeend", (".*?")\)', rendered).group(1))


def test_hostile_names_are_escaped_never_raw(fmap, rendered):
    names = {f["properties"]["nama"] for f in _main(fmap).data["features"]}
    assert "&lt;img src=x onerror=alert(1)&gt;" in names and "&lt;b&gt;x&lt;/b&gt;" in names
    # Jinja's tojson writes & < > as \u0026 \u003c \u003e: the page holds the escaped text...
    assert "\\u0026lt;img src=x onerror=alert(1)\\u0026gt;" in rendered
    assert "\\u0026lt;b\\u0026gt;x\\u0026lt;/b\\u0026gt;" in rendered
    # ...and never the markup, raw or as a JSON escape that JavaScript would turn back into it.
    for raw in (XSS_IMG, XSS_B, "\\u003cimg src=x", "\\u003cb\\u003ex"):
        assert raw not in rendered
    # Tooltip labels are escaped too (folium's GeoJsonTooltip inserts them as HTML).
    assert "Tingkat \\u0026lt;cakupan\\u0026gt;" in rendered and "\\u003ccakupan" not in rendered


def test_legend_in_map_with_no_data_row(rendered, classification):
    assert "L.control(" in rendered and "peta-legend" in rendered
    labels = [*classification.labels(formatter("rate", "id")), "Tidak ada data"]
    assert len(labels) == 6
    for label in labels:  # as the legend's tojson writes them into the page
        assert str(htmlsafe_json_dumps(html.escape(label)))[1:-1] in rendered


def test_highlight_outlines_drawn_on_top(fmap):
    layers = _geojson_layers(fmap)
    assert len(layers) == 3  # choropleth, white halo, dark outline
    for outline in layers[1:]:
        assert len(outline.data["features"]) == 10
        assert outline.options.get("interactive") is False
        style = outline.style_function(outline.data["features"][0])
        assert style["fill"] is False and style["weight"] >= 3


def test_no_cdn_after_localize(layer, classification):
    fmap = choropleth_map(layer, "rate", classification, "YlGnBu", tooltip_fields=TOOLTIP,
                          title="Tingkat cakupan")
    html = localize(fmap, "x").get_root().render()
    urls = re.findall(r'<script[^>]+src="([^"]+)"', html) + re.findall(r'<link[^>]+href="([^"]+)"', html)
    assert urls and all(url.startswith("x/") for url in urls), urls
    assert "cdn" not in " ".join(urls).lower()
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html)


def test_no_tiles_by_default_and_optional_tiles_fail_gracefully(layer, classification):
    plain = choropleth_map(layer, "rate", classification, "YlGnBu").get_root().render()
    assert "L.tileLayer" not in plain
    with_tiles = choropleth_map(layer, "rate", classification, "YlGnBu",
                                tiles="https://tile.example.org/{z}/{x}/{y}.png")
    page = with_tiles.get_root().render()
    assert "L.tileLayer" in page and BLANK_TILE in page and '"errorTileUrl"' in page
    assert len(_main(with_tiles).data["features"]) == 442


def test_english_labels_and_kecamatan_overlay(layer, classification, kecamatan_web):
    kec = kecamatan_web.copy()
    kec.loc[kec.index[0], "nama"] = XSS_B
    fmap = choropleth_map(layer, "rate", classification, "Blues", tooltip_fields=TOOLTIP, lang="en",
                          title="Coverage rate", labels_column="nama", labels_layer=kec,
                          outline_layer=kec, large=True)
    page = fmap.get_root().render()
    props = {f["properties"]["kode"]: f["properties"] for f in _main(fmap).data["features"]}
    assert props[layer.iloc[0]["kode"]]["rate"] == "no data"
    assert "No data" in page and '"20px"' in page
    # label HTML sits in JS strings; labels that would overlap are numbers named in a side list
    assert page.count('class=\\"peta-label\\"') + page.count('class=\\"peta-label-no\\"') == 42
    assert "\\u0026lt;b\\u0026gt;x" in page and "\\u003cb\\u003ex" not in page and XSS_B not in page


def test_all_no_data_still_draws(layer):
    empty = layer.assign(rate=np.nan)
    c = classify(empty["rate"], "natural_breaks")
    fmap = choropleth_map(empty, "rate", c, "YlGnBu", title="Tingkat cakupan")
    geojson = _main(fmap)
    assert len(geojson.data["features"]) == 442
    assert {geojson.style_function(f)["fillColor"] for f in geojson.data["features"]} == {
        NO_DATA_STYLE["fillColor"]}
    legend = next(c for c in fmap._children.values() if c._name == "PetaLegend")
    assert legend.labels == ["Tidak ada data"]


def test_diverging_palette_and_colour_list(layer):
    change = layer["rate"] - 0.2
    layer2 = layer.assign(change=change)
    c = classify(change, "equal_interval", k=4)
    fmap = choropleth_map(layer2, "change", c, "RdBu", kind="change")
    assert len(_main(fmap).data["features"]) == 442
    with pytest.raises(ValueError):
        choropleth_map(layer2, "change", c, ["#fff"])
    with pytest.raises(ValueError):
        choropleth_map(layer2, "missing_column", c, "RdBu")


@pytest.mark.browser
@pytest.mark.slow
def test_tooltip_shows_hostile_name_as_text_in_chromium(layer, classification):
    """In a real browser (network cut off): the tooltip shows the markup as text, nothing runs."""
    from render.maps.web_assets import inline_html
    from tests.browser_support import chromium_page, screenshot

    # A fresh map: one rendered before inline_html keeps folium's CDN links for the
    # assets render.maps.web_assets omits (the header children of the first render stay).
    fmap = choropleth_map(layer, "rate", classification, "YlGnBu", tooltip_fields=TOOLTIP,
                          title="Tingkat cakupan", highlight=set(layer["kode"][:10]))
    page_html = inline_html(fmap)
    target = layer.iloc[3]
    point = target.geometry.representative_point()
    with chromium_page(1200, 900) as (page, log):
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.set_content(page_html)
        page.wait_for_function("document.querySelectorAll('path.leaflet-interactive').length >= 442")
        # Open the tooltip through the layer of a known feature (never by hovering a pixel,
        # which on a loaded machine can land on the neighbouring desa).
        opened = page.evaluate(
            f"""() => {{
                let target = null;
                {_main(fmap).get_name()}.eachLayer(l => {{
                    if (l.feature.properties.kode === {json.dumps(target["kode"])}) target = l;
                }});
                if (!target) return null;
                {fmap.get_name()}.setView([{point.y}, {point.x}], 15, {{reset: true}});  // no animation
                target.fire('mouseover', {{latlng: L.latLng({point.y}, {point.x})}}, true);  // propagate to the GeoJson group
                return target.feature.properties.kode;
            }}"""
        )
        assert opened == target["kode"]
        tooltip = page.locator(".leaflet-tooltip")
        tooltip.wait_for(timeout=5000)
        page.wait_for_function("(t) => document.querySelector('.leaflet-tooltip').innerText.includes(t)",
                               arg=str(target["nama"]))
        assert XSS_IMG in tooltip.inner_text()
        assert tooltip.locator("img").count() == 0
        assert page.evaluate(f"!!document.getElementById('{NO_DATA_PATTERN_ID}')")
        legend = page.locator(".peta-legend")
        assert "Tidak ada data" in legend.inner_text()
        assert float(legend.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 14
        screenshot(page, "choropleth_desa_tooltip")
        assert dialogs == []
        assert log.blocked == [] and log.page_errors == []


# --- palettes (render.maps.palettes) -------------------------------------------------------------


def _luminance(color: str) -> float:
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(color)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.parametrize("name", [n for n, info in PALETTES.items() if info.kind == "sequential"])
@pytest.mark.parametrize("k", [1, 2, 3, 5, 9])
def test_sequential_palettes_run_light_to_dark(name, k):
    colors = palette(name, k)
    assert len(colors) == k and all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in colors)
    lum = [_luminance(c) for c in colors]
    assert lum == sorted(lum, reverse=True)  # darker = more
    assert palette(name, k, reverse=True) == colors[::-1]
    # "No data" is told apart from the lightest class colour, whatever the palette.
    assert NO_DATA_FILL not in colors


def test_palettes_come_from_their_sources():
    from branca.utilities import color_brewer
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    assert palette("YlGnBu", 5) == color_brewer("YlGnBu", 5) == [
        "#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"]
    assert palette("viridis", 3) == [to_hex(colormaps["viridis"](x)) for x in (1.0, 0.5, 0.0)]
    assert palette("RdBu", 5) == color_brewer("RdBu", 5)
    with pytest.raises(ValueError):
        palette("Jet", 5)
    with pytest.raises(ValueError):
        palette("Blues", 0)


def test_diverging_colours_centred_on_zero():
    five = palette("RdBu", 5)
    # Symmetric classes: the published 5-class scheme, neutral in the middle.
    assert class_colors("RdBu", [-0.2, -0.1, -0.01, 0.01, 0.1], [-0.1, -0.01, 0.01, 0.1, 0.2]) == five
    # Only increases: never a "decrease" (red) colour.
    up = class_colors("RdBu", [0.01, 0.02, 0.05], [0.02, 0.05, 0.1])
    assert up == palette("RdBu", 7)[4:]
    # One decrease, three increases: the decrease gets the red next to neutral.
    mixed = class_colors("RdBu", [-0.05, 0.0, 0.02, 0.05], [0.0, 0.02, 0.05, 0.1])
    seven = palette("RdBu", 7)
    assert mixed == [seven[2], seven[4], seven[5], seven[6]]
    assert class_colors("YlGnBu", [0, 1], [1, 2]) == palette("YlGnBu", 2)
    assert class_colors("RdBu", [], []) == []


def test_no_data_style_is_hatched_and_dashed():
    assert NO_DATA_STYLE["dashArray"] and NO_DATA_PATTERN_ID in NO_DATA_STYLE["fillColor"]
    assert NO_DATA_STYLE["fillColor"].endswith(NO_DATA_FILL)  # SVG paint fallback
    assert "repeating-linear-gradient" in NO_DATA_CSS and "dashed" in NO_DATA_CSS


def test_a_restyle_carries_what_a_map_drawn_for_that_metric_would(layer, fmap, classification):
    """render.maps.restyle: the same styles, legend and tooltip rows as choropleth_map, all escaped."""
    from render.maps.restyle import restyle_payload

    payload, legend = restyle_payload(layer, "rate", classification, "YlGnBu", tooltip_fields=TOOLTIP,
                                      title="Tingkat cakupan")
    main = _main(fmap)
    drawn = {f["properties"]["kode"]: main.style_function(f) for f in main.data["features"]}
    assert payload["styles"] == drawn
    assert payload["legend"] == fmap.legend.html == legend.html
    assert payload["pattern"] is not None and NO_DATA_PATTERN_ID in payload["pattern"]   # some desa lack data
    tips = payload["tips"]
    assert tips["labels"] == ["Desa", "Kecamatan", "Tingkat &lt;cakupan&gt;", "Pekerja"]
    hostile = tips["values"][layer["kode"].iloc[3]]
    assert hostile[0] == "&lt;img src=x onerror=alert(1)&gt;" and "<" not in "".join(sum(tips["values"].values(), []))
    # another classification is another version; the same is the same
    other, _ = restyle_payload(layer, "rate", classify(layer["rate"], "equal_interval", k=4), "YlGnBu",
                               tooltip_fields=TOOLTIP, title="Tingkat cakupan")
    again, _ = restyle_payload(layer, "rate", classification, "YlGnBu", tooltip_fields=TOOLTIP, title="Tingkat cakupan")
    assert other["version"] != payload["version"] == again["version"]
    assert other["styles"] != payload["styles"]


def test_the_region_layer_is_named_for_a_restyle(rendered, fmap):
    assert f"window.__petaRegions = {_main(fmap).get_name()};" in rendered

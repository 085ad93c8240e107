"""Choropleth maps of a metric per region (desa or kecamatan), fully offline.

:func:`choropleth_map` draws one GeoJson layer styled per class, an in-map
legend (:mod:`render.maps.legend`), tooltips, optional labels, outlines and
highlighted regions, on the plain background of :func:`render.maps.mapview.base_map`.

Safety and size:

* tooltip values are pre-formatted strings (Indonesian numbers by default)
  and every string is HTML-escaped here: folium's ``GeoJsonTooltip`` puts
  property values and aliases into ``innerHTML`` unescaped, so a desa named
  ``<img src=x onerror=alert(1)>`` would otherwise run;
* each feature carries its ``kode`` (for click drill-down: streamlit-folium
  returns the clicked feature's properties) and the tooltip fields, nothing
  else; geometry is the display layer's as it is;
* basemap tiles are optional and off by default: the map reads fully on its
  plain background, and when tiles are given but unreachable (offline)
  Leaflet loads them asynchronously and shows a transparent tile instead, so
  the polygons still draw.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import folium
import geopandas as gpd
from branca.element import MacroElement
from jinja2 import Template

from core.formatting import DEFAULT_LANG, check_lang, format_value
from render.maps.legend import legend_for
from render.maps.mapview import (
    EVERYDAY_MAP_PX,
    LABEL_MAP_PX,
    add_labels,
    base_map,
    refit,
)
from render.maps.palettes import (
    NO_DATA_FILL,
    NO_DATA_HATCH,
    NO_DATA_PATTERN_ID,
    NO_DATA_STYLE,
    class_colors,
)

#: Outline of classed regions: thin white lines between neighbours.
OUTLINE = {"color": "#ffffff", "weight": 0.6}
#: Outline of a region whose figures cover some of its desa only (dashed, dark).
PARTIAL_OUTLINE = {"color": "#222222", "weight": 2.2, "dashArray": "6 5"}
FILL_OPACITY = 0.85
#: Fill opacity when basemap tiles are shown underneath.
FILL_OPACITY_TILES = 0.7
#: Outline of highlighted regions (top-10, priorities): dark line on a white halo.
HIGHLIGHT_COLOR = "#111111"
HIGHLIGHT_WEIGHT = 3.0
HIGHLIGHT_HALO = 6.0
#: On the projector (``large``): the stepped-to kecamatan, seen from across the room.
HIGHLIGHT_WEIGHT_LARGE = 4.5
HIGHLIGHT_HALO_LARGE = 9.0
#: Outline of an overlay layer (e.g. kecamatan over desa).
OVERLAY_OUTLINE = {"color": "#333333", "weight": 1.4, "fill": False}
#: Label text on the everyday map and on the projector (the briefing's text is at least 20 px).
LABEL_PX = 12
LABEL_PX_LARGE = 20
#: Below this map width (px: a phone) a name that does not fit gets no number: the side list would cover the map.
MIN_NUMBERED_MAP_PX = 500
#: A transparent 1x1 GIF Leaflet shows for a tile it cannot load.
BLANK_TILE = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"

_TOOLTIP_CSS = (
    "font-family:system-ui,sans-serif;font-size:{px}px;background:rgba(255,255,255,.96);"
    "border:1px solid #888;border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3);"
)


class NoDataPattern(MacroElement):
    """Puts the SVG hatch pattern of "no data" regions into the page (script only).

    Leaflet's SVG paths reference it as ``url(#peta-nodata-hatch)``; it is
    created by script so that it survives streamlit-folium, which keeps a
    map's scripts but not all of its HTML.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        if (!document.getElementById({{ this.pattern_id|tojson }})) {
            document.body.insertAdjacentHTML("beforeend", {{ this.svg|tojson }});
        }
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "NoDataPattern"
        self.pattern_id = NO_DATA_PATTERN_ID
        self.svg = (
            '<svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs>'
            f'<pattern id="{NO_DATA_PATTERN_ID}" patternUnits="userSpaceOnUse" width="6" height="6" '
            'patternTransform="rotate(45)">'
            f'<rect width="6" height="6" fill="{NO_DATA_FILL}"/>'
            f'<line x1="0" y1="0" x2="0" y2="6" stroke="{NO_DATA_HATCH}" stroke-width="2.5"/>'
            "</pattern></defs></svg>"
        )


def _escape(value: object) -> str:
    return html.escape(str(value), quote=True)


def _features(layer: gpd.GeoDataFrame, fields: Sequence[tuple[str, str, str | None]],
              lang: str) -> dict:
    """Return the FeatureCollection: ``kode`` + formatted, escaped tooltip fields."""
    properties = {"kode": [_escape(v) for v in layer["kode"]]}
    for column, _label, kind in fields:
        if column == "kode":
            continue
        properties[column] = [
            _escape(format_value(v, kind or "text", lang)) for v in layer[column]
        ]
    table = gpd.GeoDataFrame(properties, geometry=layer.geometry.values, crs=layer.crs)
    return json.loads(table.to_json(drop_id=True))


@dataclass(frozen=True)
class RegionStyles:
    """The Leaflet style of every region of a classified map.

    Attributes
    ----------
    by_code : dict
        Escaped ``kode`` (as the features carry it) -> Leaflet path style.
    colors : list of str
        One fill colour per class.
    has_missing : bool
        Whether any region has no data (hatched).
    """

    by_code: dict[str, dict[str, object]]
    colors: list[str]
    has_missing: bool


def styles_by_region(layer: gpd.GeoDataFrame, column: str, classification, palette: str | Sequence[str], *,
                     tiles: str | None = None, partial: Iterable[str] | None = None) -> RegionStyles:
    """Each region's fill by its class (hatched without data, a dashed outline where figures are partial).

    The one source of the styles of :func:`choropleth_map` and of a restyle
    in the browser (:func:`render.maps.restyle.restyle_payload`).

    Raises
    ------
    ValueError
        If the palette has fewer colours than classes.
    """
    classes = classification.assign(layer[column])
    k = classification.k
    if isinstance(palette, str):
        colors = class_colors(palette, classification.lower, classification.bins)
    else:
        colors = list(palette)
        if len(colors) < k:
            raise ValueError(f"The palette has {len(colors)} colours for {k} classes.")
    fill_opacity = FILL_OPACITY_TILES if tiles else FILL_OPACITY
    styles = [{"fillColor": c, "fillOpacity": fill_opacity, **OUTLINE} for c in colors[:k]]
    no_data_style = dict(NO_DATA_STYLE)
    partial_codes = {_escape(code) for code in (partial or ())}
    by_code = {}
    for code, cls in zip(layer["kode"].map(_escape), classes.tolist()):
        chosen = styles[cls] if cls >= 0 else no_data_style
        by_code[code] = {**chosen, **PARTIAL_OUTLINE} if code in partial_codes else chosen
    return RegionStyles(by_code, list(colors), bool((classes < 0).any()))


class RestyleTarget(MacroElement):
    """Names the map's region layer for a restyle in the browser (``window.__petaRegions``)."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "window.__petaRegions = {{ this.regions.get_name() }};"
        "{% endmacro %}")

    def __init__(self, regions: folium.GeoJson):
        super().__init__()
        self._name = "PetaRestyleTarget"
        self.regions = regions


def tooltip_rows(layer: gpd.GeoDataFrame, fields: Sequence[tuple[str, str, str | None]],
                 lang: str) -> dict[str, object]:
    """The tooltip table of every region: escaped row labels, and each region's escaped values in that order.

    Returns
    -------
    dict
        ``{"labels": [...], "values": {kode: [...]}}``, ``kode`` escaped as the features carry it.
    """
    columns = [c for c, _l, _k in fields]
    values = [[_escape(format_value(v, kind or "text", lang)) for v in layer[column]]
              for column, _label, kind in fields]
    codes = [_escape(v) for v in layer["kode"]]
    return {"labels": [_escape(label) for _c, label, _k in fields],
            "values": {code: [column_values[i] for column_values in values] for i, code in enumerate(codes)}
            if columns else {}}


def _add_tiles(fmap: folium.Map, tiles: str, attribution: str | None) -> None:
    options = dict(name="Peta dasar", control=False, error_tile_url=BLANK_TILE)
    try:  # a folium/xyzservices name brings its own attribution
        layer = folium.TileLayer(tiles=tiles, attr=attribution, **options)
    except ValueError:  # a custom URL given without attribution
        layer = folium.TileLayer(tiles=tiles, attr="Peta dasar / basemap", **options)
    layer.add_to(fmap)


def choropleth_map(
    layer: gpd.GeoDataFrame,
    column: str,
    classification,
    palette: str | Sequence[str],
    *,
    tooltip_fields: Sequence[tuple[str, str, str | None]] = (),
    lang: str = DEFAULT_LANG,
    title: str = "",
    kind: str = "rate",
    labels_column: str | None = None,
    labels_layer: gpd.GeoDataFrame | None = None,
    outline_layer: gpd.GeoDataFrame | None = None,
    highlight: Iterable[str] | None = None,
    tiles: str | None = None,
    tiles_attribution: str | None = None,
    large: bool = False,
    legend_note: str | None = None,
    height: str = "100%",
    partial: Iterable[str] | None = None,
    map_px: tuple[int, int] | None = None,
    view_bounds: Sequence[float] | None = None,
    legend_inside: bool = True,
    legend_position: str = "bottomright",
    label_obstacles: Sequence[tuple[float, float, float, float]] = (),
) -> folium.Map:
    """Draw a classified metric per region as a Folium map.

    Parameters
    ----------
    layer : GeoDataFrame
        Display layer in EPSG:4326 (``desa_web`` or ``kecamatan_web``) with a
        ``kode`` column and the metric joined on.
    column : str
        The metric column to colour by.
    classification : analysis.classify.Classification
        Its bins are applied to ``layer[column]`` (:meth:`Classification.assign`),
        so it may come from this column or be shared across maps.
    palette : str or sequence of str
        A :data:`render.maps.palettes.PALETTES` name (diverging ones are centred on 0)
        or one colour per class.
    tooltip_fields : sequence of (column, label, kind)
        Tooltip rows; ``kind`` is a metric kind (``"count"``, ``"rate"``,
        ``"rupiah"``, ``"change"``) or ``None``/``"text"`` for names.  Values
        are formatted for ``lang`` and escaped; labels are escaped.
    lang : str
        ``"id"`` (default) or ``"en"``: number formats and the no-data text.
    title : str
        Legend title (escaped).
    kind : str
        Metric kind of ``column``, for the legend's bounds.
    labels_column : str, optional
        Draw this column as text labels (e.g. ``"nama"``), from
        ``labels_layer`` if given (kecamatan names over a desa map), else
        from ``layer``.
    labels_layer : GeoDataFrame, optional
        Layer the labels are placed on.
    outline_layer : GeoDataFrame, optional
        Outlines drawn over the regions, not clickable (kecamatan borders
        over a desa map).
    highlight : iterable of str, optional
        ``kode`` values to outline thickly (top-10, priority regions).
    tiles : str, optional
        Basemap tile URL template or folium tile name; default none.
    tiles_attribution : str, optional
        Attribution of a custom tile URL.
    large : bool
        Briefing variant: legend, tooltip and label text larger.
    legend_note : str, optional
        Small line under the legend rows (e.g. "DATA CONTOH").
    height : str
        CSS height of the map.
    partial : iterable of str, optional
        Codes of regions whose figures cover some of their desa only: drawn
        with a dashed dark outline (say so in ``legend_note``).
    map_px : (width, height), optional
        The map's size on screen, for label placement; default the briefing
        map at 1280x720 (``large``) or the everyday one at 1366x768.
    view_bounds : (min_lon, min_lat, max_lon, max_lat), optional
        Fit the map to these bounds instead of the layer's (a zoom to one
        kecamatan); labels are placed for that view.
    legend_inside : bool
        Draw the legend inside the map (bottom right); a phone's map is too
        small for it, and the page draws ``fmap.legend`` beside the map.
    legend_position : {"bottomright", "topright"}
        Where the legend stands: top right when the map's bottom may be
        below the fold (the everyday page).
    label_obstacles : sequence of (x0, y0, x1, y1)
        More screen boxes (px) the labels keep out of: controls the caller
        adds later (the sites legend).

    Returns
    -------
    folium.Map
        Its ``legend`` attribute is the :class:`render.maps.legend.Legend`.
        Not yet localised: pass it through ``ui.vendor.offline`` (app) or
        ``render.maps.web_assets.inline_html`` (export).

    Raises
    ------
    ValueError
        If a column is missing, the palette has too few colours or the
        language is unknown.
    """
    lang = check_lang(lang)
    needed = {"kode", column, *(c for c, _l, _k in tooltip_fields)}
    missing = sorted(needed - set(layer.columns))
    if missing:
        raise ValueError(f"Layer has no column(s) {missing}; it has {sorted(map(str, layer.columns))}.")
    region_styles = styles_by_region(layer, column, classification, palette, tiles=tiles, partial=partial)
    has_missing, colors = region_styles.has_missing, region_styles.colors

    def style(feature: dict) -> dict:
        return region_styles.by_code[feature["properties"]["kode"]]

    fmap = base_map(layer, height=height)
    if large:         # the projector: Leaflet's scale and attribution as large as the rest of the text
        fmap.get_root().header.add_child(folium.Element(
            f"<style>.leaflet-control-scale-line,.leaflet-control-attribution{{font-size:{LABEL_PX_LARGE}px}}</style>"))
    if tiles:
        _add_tiles(fmap, tiles, tiles_attribution)
    if has_missing:
        NoDataPattern().add_to(fmap)

    tooltip = None
    if tooltip_fields:
        tooltip = folium.GeoJsonTooltip(
            fields=[c for c, _l, _k in tooltip_fields],
            aliases=[_escape(label) for _c, label, _k in tooltip_fields],
            sticky=True,
            style=_TOOLTIP_CSS.format(px=20 if large else 14),
        )
    regions = folium.GeoJson(
        _features(layer, tooltip_fields, lang),
        name=title or column,
        style_function=style,
        highlight_function=lambda _f: {"weight": 2.5, "color": "#000000"},
        tooltip=tooltip,
        control=False,
    ).add_to(fmap)
    RestyleTarget(regions).add_to(fmap)

    if outline_layer is not None:
        folium.GeoJson(
            json.loads(outline_layer[["geometry"]].to_json(drop_id=True)),
            name="outline",
            style_function=lambda _f: dict(OVERLAY_OUTLINE),
            interactive=False,
            control=False,
        ).add_to(fmap)

    wanted = set(highlight or ())
    if wanted:
        chosen = layer[layer["kode"].isin(wanted)]
        if len(chosen):
            data = json.loads(chosen[["geometry"]].to_json(drop_id=True))
            halo, line = (HIGHLIGHT_HALO_LARGE, HIGHLIGHT_WEIGHT_LARGE) if large else (HIGHLIGHT_HALO, HIGHLIGHT_WEIGHT)
            for weight, color in ((halo, "#ffffff"), (line, HIGHLIGHT_COLOR)):
                folium.GeoJson(
                    data,
                    name="highlight",
                    style_function=lambda _f, w=weight, c=color: {"color": c, "weight": w, "fill": False},
                    interactive=False,
                    control=False,
                ).add_to(fmap)

    if view_bounds is not None:
        minx, miny, maxx, maxy = view_bounds
        refit(fmap, [[miny, minx], [maxy, maxx]])
    legend = legend_for(classification, colors, title, kind=kind, lang=lang, large=large,
                        note=legend_note, has_missing=has_missing, position=legend_position)
    if labels_column:
        source = labels_layer if labels_layer is not None else layer
        # placed for the map's size on screen (by default the briefing map at 1280x720, the everyday one at
        # 1366x768), clear of the legend
        size = map_px or (LABEL_MAP_PX if large else EVERYDAY_MAP_PX)
        add_labels(fmap, source, labels_column, font_px=LABEL_PX_LARGE if large else LABEL_PX, map_px=size,
                   view_bounds=view_bounds,
                   obstacles=[*([legend.box_px(size)] if legend_inside else []), *label_obstacles],
                   numbers=size[0] >= MIN_NUMBERED_MAP_PX)
    if legend_inside:
        legend.add_to(fmap)
    fmap.legend = legend
    return fmap


"""Build Folium maps of the boundary layers (no basemap tiles needed).

Maps are drawn from the simplified display layers (``*_web``).  Every string
property that reaches a tooltip or label is HTML-escaped here, so a name
containing markup shows as text.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import folium
import geopandas as gpd
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from render.maps.labels import (
    KEY_COLUMN_GAP_PX,
    KEY_LINE_EM,
    KEY_ORIGIN,
    LABEL_FONT,
    key_font_px,
    plan_labels,
)

#: The line from a label standing beside its polygon into the polygon.
LEADER_STYLE = {"color": "#1b1b1b", "weight": 1.5, "opacity": 0.9}
#: Map background when no tiles are used: a light sea/land-neutral grey.
BACKGROUND = "#eef1f4"


def escape_strings(frame: gpd.GeoDataFrame, columns: list[str]) -> gpd.GeoDataFrame:
    """Return a copy with the given string columns HTML-escaped.

    Parameters
    ----------
    frame : GeoDataFrame
    columns : list of str
        Columns that will be shown in HTML (tooltips, popups, labels).

    Returns
    -------
    GeoDataFrame
    """
    out = frame.copy()
    for column in columns:
        out[column] = out[column].map(lambda v: html.escape(str(v)) if pd.notna(v) else v)
    return out


#: From this many regions on, a map draws its polygons on one canvas instead of one SVG path each: the
#: province's 5,957 desa draw in a fraction of the time (Leaflet's ``preferCanvas``); below it, SVG keeps
#: each region an element of the page (print styles, tests).
CANVAS_FROM = 2_000


def base_map(layer: gpd.GeoDataFrame, height: str = "100%") -> folium.Map:
    """Return an empty map fitted to a layer, with no tiles and a plain background.

    Parameters
    ----------
    layer : GeoDataFrame
        In EPSG:4326; its bounds set the view; from :data:`CANVAS_FROM` rows on, the map draws on a canvas.
    height : str
        CSS height of the map.
    """
    minx, miny, maxx, maxy = layer.total_bounds
    fmap = folium.Map(
        location=[(miny + maxy) / 2, (minx + maxx) / 2],
        tiles=None,
        zoom_start=10,
        zoom_snap=0.25,
        height=height,
        control_scale=True,
        prefer_canvas=len(layer) >= CANVAS_FROM,
    )
    fmap.get_root().header.add_child(
        folium.Element(f"<style>.leaflet-container {{ background: {BACKGROUND}; }}</style>")
    )
    _fit_at_once(fmap, [[miny, minx], [maxy, maxx]])
    return fmap


def _fit_at_once(fmap: folium.Map, bounds: list[list[float]], **options) -> None:
    """Fit ``fmap`` to ``bounds`` without Leaflet's zoom animation.

    The map opens at ``zoom_start`` and is then fitted; animated, that fit
    would draw the map twice and leave the regions moving for a quarter
    second after the page has loaded (labels, clicks and screenshots would
    meet a map still on its way).
    """
    fit = folium.map.FitBounds(bounds, **options)
    fit.options["animate"] = False
    fmap.add_child(fit)


def refit(fmap: folium.Map, bounds: list[list[float]], **options) -> None:
    """Fit ``fmap`` to ``[[south, west], [north, east]]`` instead of the bounds :func:`base_map` set."""
    for key, child in list(fmap._children.items()):
        if isinstance(child, folium.map.FitBounds):
            del fmap._children[key]
    _fit_at_once(fmap, bounds, **options)


def padded_bounds(places: gpd.GeoDataFrame, share: float, minimum: float = 0.005) -> tuple[float, float, float, float]:
    """``places``' bounds grown by ``share`` of their larger side on every side (at least ``minimum`` degrees).

    For zooming to a desa or a kecamatan with its neighbours as context.
    """
    minx, miny, maxx, maxy = (float(v) for v in places.total_bounds)
    pad = share * max(maxx - minx, maxy - miny, minimum)
    return (minx - pad, miny - pad, maxx + pad, maxy + pad)


#: Map size in pixels the label placement assumes (the smallest the app draws: the briefing map at 1280x720).
LABEL_MAP_PX = (700, 560)
#: The everyday map page's map at 1366x768 (narrower screens may see labels touch).
EVERYDAY_MAP_PX = (900, 620)


class _PlacedFor(MacroElement):
    """A line of the map's script saying which size its labels were placed for."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "document.documentElement.dataset.petaLabelsFor = {{ this.size|tojson }};"
        "{% endmacro %}")

    def __init__(self, map_px: tuple[int, int]):
        super().__init__()
        self._name = "PetaLabelsPlacedFor"
        self.size = f"{int(map_px[0])}x{int(map_px[1])}"


def add_labels(fmap: folium.Map, layer: gpd.GeoDataFrame, column: str = "nama",
               font_px: int = 11, map_px: tuple[int, int] = LABEL_MAP_PX, view_bounds=None,
               obstacles: Sequence[tuple[float, float, float, float]] = (),
               numbers: bool = True) -> folium.FeatureGroup:
    """Add a label per polygon at a point inside it; labels that would overlap become numbers with a side list.

    Parameters
    ----------
    fmap : folium.Map
    layer : GeoDataFrame
        In EPSG:4326.
    column : str
        Column holding the label text (escaped here).
    font_px : int
        Label font size in pixels.
    map_px : (int, int)
        The map's size on screen (:func:`render.maps.labels.plan_labels`).
    view_bounds : (min_lon, min_lat, max_lon, max_lat), optional
        What the map is fitted to, when not the layer.
    obstacles : sequence of (x0, y0, x1, y1)
        Screen boxes no label may cover (the legend).
    numbers : bool
        Whether names that do not fit become numbers with a side list (else they get no label).

    Returns
    -------
    folium.FeatureGroup
        The label layer (already added to the map).
    """
    group = folium.FeatureGroup(name="Label", control=False)
    key = []
    plan = plan_labels(layer, column, font_px, map_px, view_bounds, list(obstacles), numbers)
    # which size the labels were placed for, in the map's script: the app's map then re-mounts when the
    # browser reports another size, and a browser test can wait for the map placed for its real size
    _PlacedFor(map_px).add_to(group)
    leaders = [{"type": "Feature", "properties": {},
                "geometry": {"type": "LineString", "coordinates": [[label.leader[1], label.leader[0]],
                                                                   [label.lon, label.lat]]}}
               for label in plan.labels if label.leader is not None]
    if leaders:                       # a label standing beside its polygon points into it
        folium.GeoJson({"type": "FeatureCollection", "features": leaders}, name="leaders", interactive=False,
                       style_function=lambda _f: dict(LEADER_STYLE), control=False).add_to(group)
    for text, lat, lon, as_number, _overlaps, _leader in plan.labels:
        if as_number:
            key.append(text)
            inner = f'<div class="peta-label-no" style="font-size:{font_px}px">{len(key)}</div>'
        else:
            inner = f'<div class="peta-label" style="font-size:{font_px}px">{html.escape(text)}</div>'
        folium.Marker([lat, lon], icon=folium.DivIcon(html=inner, icon_size=(0, 0), class_name="peta-label-icon"),
                      interactive=False).add_to(group)
    fmap.get_root().header.add_child(folium.Element(
        "<style>.peta-label{display:inline-block;transform:translate(-50%,-50%);white-space:nowrap;line-height:1.2;"
        "font-weight:700;color:#1b1b1b;text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 3px #fff;"
        f"pointer-events:none;font-family:{LABEL_FONT}}}"
        ".peta-label-no{transform:translate(-50%,-50%);display:inline-block;min-width:1.4em;text-align:center;line-height:1.2;"
        "font-weight:700;color:#fff;background:#1b1b1b;border-radius:.7em;padding:0 .2em;"
        f"pointer-events:none;font-family:{LABEL_FONT}}}"
        f".peta-label-key{{position:absolute;top:{KEY_ORIGIN[1]}px;left:{KEY_ORIGIN[0]}px;z-index:800;"
        "background:rgba(255,255,255,.92);border-radius:6px;padding:4px 8px;display:grid;grid-auto-flow:column;"
        f"column-gap:{KEY_COLUMN_GAP_PX}px;font:700 12px/{KEY_LINE_EM} {LABEL_FONT};color:#1b1b1b;"
        "white-space:nowrap;"
        "box-shadow:0 1px 4px rgba(0,0,0,.3)}</style>"
    ))
    layout = plan.key
    if layout:
        rows = "".join(f"<div>{i} {html.escape(text)}</div>" for i, text in enumerate(key, start=1))
        fmap.get_root().html.add_child(folium.Element(
            f'<div class="peta-label-key" style="font-size:{key_font_px(font_px)}px;'
            f'grid-template-rows:repeat({layout.rows},auto)">{rows}</div>'))
    group.add_to(fmap)
    return group


def kecamatan_outline_map(kecamatan: gpd.GeoDataFrame, labels: bool = True) -> folium.Map:
    """Map of kecamatan polygons with names: the offline base map.

    Parameters
    ----------
    kecamatan : GeoDataFrame
        The ``kecamatan_web`` layer (``kode``, ``nama``, ``n_desa``, ``area_km2``).
    labels : bool
        Draw kecamatan names.

    Returns
    -------
    folium.Map
    """
    layer = escape_strings(kecamatan[["kode", "nama", "n_desa", "area_km2", "geometry"]], ["nama"])
    fmap = base_map(layer)
    folium.GeoJson(
        layer,
        name="Kecamatan",
        style_function=lambda _f: {"fillColor": "#9ecae1", "color": "#08306b",
                                   "weight": 1.2, "fillOpacity": 0.6},
        highlight_function=lambda _f: {"weight": 3, "fillOpacity": 0.8},
        tooltip=folium.GeoJsonTooltip(
            fields=["nama", "kode", "n_desa"],
            aliases=["Kecamatan", "Kode", "Desa/kelurahan"],
            sticky=True,
        ),
    ).add_to(fmap)
    if labels:
        add_labels(fmap, kecamatan)
    return fmap

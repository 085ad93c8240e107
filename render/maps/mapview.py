"""Build Folium maps of the boundary layers (no basemap tiles needed).

Maps are drawn from the simplified display layers (``*_web``).  Every string
property that reaches a tooltip or label is HTML-escaped here, so a name
containing markup shows as text.
"""

from __future__ import annotations

import html

import folium
import geopandas as gpd
import pandas as pd

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


def base_map(layer: gpd.GeoDataFrame, height: str = "100%") -> folium.Map:
    """Return an empty map fitted to a layer, with no tiles and a plain background.

    Parameters
    ----------
    layer : GeoDataFrame
        In EPSG:4326; its bounds set the view.
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
        prefer_canvas=False,
    )
    fmap.get_root().header.add_child(
        folium.Element(f"<style>.leaflet-container {{ background: {BACKGROUND}; }}</style>")
    )
    fmap.fit_bounds([[miny, minx], [maxy, maxx]])
    return fmap


def add_labels(fmap: folium.Map, layer: gpd.GeoDataFrame, column: str = "nama",
               font_px: int = 11) -> folium.FeatureGroup:
    """Add a text label per polygon at a point guaranteed inside it.

    Parameters
    ----------
    fmap : folium.Map
    layer : GeoDataFrame
        In EPSG:4326.
    column : str
        Column holding the label text (escaped here).
    font_px : int
        Label font size in pixels.

    Returns
    -------
    folium.FeatureGroup
        The label layer (already added to the map).
    """
    group = folium.FeatureGroup(name="Label", control=False)
    points = layer.geometry.representative_point()
    for text, point in zip(layer[column], points):
        label = html.escape(str(text))
        folium.Marker(
            [point.y, point.x],
            icon=folium.DivIcon(
                html=(
                    f'<div class="peta-label" style="font-size:{font_px}px">{label}</div>'
                ),
                icon_size=(0, 0),
                class_name="peta-label-icon",
            ),
            interactive=False,
        ).add_to(group)
    fmap.get_root().header.add_child(folium.Element(
        "<style>.peta-label{transform:translate(-50%,-50%);white-space:nowrap;"
        "font-weight:600;color:#1b1b1b;text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 3px #fff;"
        "pointer-events:none;font-family:system-ui,sans-serif}</style>"
    ))
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

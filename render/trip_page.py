"""A printable page per visit-plan trip: map and ordered list, one standalone HTML file.

:func:`trip_page_html` turns one trip of :meth:`analysis.trips.TripPlan.records`
into an HTML page that needs no network and no app: the Leaflet map (the
trip's desa, numbered stops, the straight-line path from and back to the
start point, kecamatan outlines and names for orientation) is embedded with
:func:`render.maps.web_assets.inline_html`, followed by the stops in visiting order
with their distances and a blank column for field notes.  The page is laid
out for A4 portrait (``@page`` CSS; the map keeps the same size on screen
and on paper, so Leaflet does not need to redraw when printing) and carries
the "DATA CONTOH" and illustrative-sites labels when they apply.

Every name and reason is HTML-escaped here; numbers and dates are formatted
for the page's language (Babel).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

import folium
import geopandas as gpd
from babel.dates import format_date
from branca.element import Element, MacroElement
from jinja2 import Template

from core.formatting import check_lang, format_int, format_number
from core.i18n import localize, t
from render import escape
from render.exports.naming import slug
from render.maps.mapview import base_map, refit
from render.maps.sites_layer import DivIconMarker
from render.maps.web_assets import inline_html

#: Width of the printable area of A4 portrait with 12 mm margins, and the map height.
PAGE_WIDTH_MM = 186
MAP_HEIGHT_MM = 92
#: Colours of the trip map.
PATH_COLOR = "#08519c"
STOP_FILL = "#fdd49e"
STOP_LINE = "#a63603"
CONTEXT_FILL = "#f1f3f5"
CONTEXT_LINE = "#9aa3ad"

_CSS = f"""
html,body{{height:auto!important;width:auto!important}}
html body{{font:10pt/1.3 system-ui,"Segoe UI",Roboto,Arial,sans-serif;color:#111;background:#fff;
 width:{PAGE_WIDTH_MM}mm!important;margin:8mm auto!important;
 -webkit-print-color-adjust:exact;print-color-adjust:exact}}
.folium-map{{width:{PAGE_WIDTH_MM}mm!important;height:{MAP_HEIGHT_MM}mm!important;
 border:1px solid #8a8f98;box-sizing:border-box}}
.trip-head .app{{font-size:9pt;color:#444;letter-spacing:.02em}}
.trip-head h1{{font-size:15pt;margin:.5mm 0 1.5mm 0}}
.trip-banner{{background:#ffe066;border:2px solid #b58900;border-radius:4px;padding:.6mm 3mm;
 font-weight:800;margin:0 0 1.2mm 0}}
.trip-banner.illu{{background:#fff3bf;border-width:1px;font-weight:700}}
.trip-facts{{margin:0 0 2.5mm 0}}
.trip-facts p{{margin:.6mm 0}}
.trip-facts b{{font-weight:700}}
.trip-facts .sep{{color:#888;padding:0 1.5mm}}
.trip-facts .note{{color:#7a4b00}}
.trip-print{{float:right;font:inherit;padding:1.5mm 5mm;border:1px solid #08519c;background:#08519c;
 color:#fff;border-radius:4px;cursor:pointer}}
.trip-list{{margin-top:3mm}}
.trip-list table{{width:100%;table-layout:fixed;border-collapse:collapse;font-size:9pt}}
.trip-list col.c-stop{{width:9mm}} .trip-list col.c-desa{{width:42mm}} .trip-list col.c-kec{{width:28mm}}
.trip-list col.c-rank{{width:17mm}} .trip-list col.c-score{{width:12mm}} .trip-list col.c-leg{{width:23mm}}
.trip-list col.c-cum{{width:21mm}} .trip-list col.c-field{{width:34mm}}
.trip-list th{{text-align:left;background:#e9eef5;border-bottom:1.5px solid #555;padding:1.2mm 1.5mm;
 vertical-align:bottom;font-size:8.5pt}}
.trip-list td{{padding:1mm 1.5mm;vertical-align:top}}
.trip-list tr.stop-main td{{border-top:1px solid #c9ced6;padding-bottom:.3mm}}
.trip-list td.num,.trip-list th.num{{text-align:right;font-variant-numeric:tabular-nums;padding-right:2mm}}
.trip-list td.stop{{text-align:center}}
.trip-list td.stop span{{display:inline-block;width:6mm;height:6mm;line-height:6mm;border-radius:50%;
 background:{PATH_COLOR};color:#fff;font-weight:700}}
.trip-list td .kode{{color:#555;font-size:8.5pt}}
.trip-list td.reason{{font-size:8.5pt;color:#333;padding-top:0}}
.trip-list td.field{{border:1px solid #9aa3ad;background:#fff}}
.trip-list tr.endpoint td{{background:#f6f7f9;font-style:italic;border-top:1px solid #c9ced6}}
.trip-list tbody{{page-break-inside:avoid;break-inside:avoid}}
.trip-notes{{font-size:8pt;color:#333;margin-top:1mm}}
.trip-notes p{{margin:.8mm 0}}
.peta-stop{{width:24px;height:24px;line-height:20px;border-radius:50%;background:{PATH_COLOR};color:#fff;
 border:2px solid #fff;box-shadow:0 0 0 1px #1b1b1b;text-align:center;font:700 12px/20px system-ui,Arial,sans-serif;
 box-sizing:border-box}}
.peta-start{{width:22px;height:22px;border-radius:4px;background:#111;border:2px solid #fff;
 box-shadow:0 0 0 1px #111;box-sizing:border-box}}
.peta-stop-icon,.peta-start-icon,.peta-label-icon{{background:none;border:none}}
.peta-trip-kec{{transform:translate(-50%,-50%);white-space:nowrap;font:600 11px system-ui,Arial,sans-serif;
 color:#333;text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 3px #fff;pointer-events:none}}
.leaflet-tooltip.peta-trip-label{{font:600 11px/1.2 system-ui,Arial,sans-serif;padding:1px 4px;
 background:rgba(255,255,255,.92);border:1px solid #555;box-shadow:none;color:#111}}
.leaflet-control-scale-line:nth-child(2){{display:none}}
@page{{size:A4 portrait;margin:12mm}}
@media print{{
 html body{{margin:0!important}}
 .trip-print,.leaflet-control-zoom,.leaflet-control-attribution{{display:none!important}}
}}
"""


class _After(MacroElement):
    """Puts a block of HTML right after its parent map's ``<div>`` in the page body."""

    _template = Template("{% macro html(this, kwargs) %}{{ this.content }}{% endmacro %}")

    def __init__(self, content: str) -> None:
        super().__init__()
        self._name = "TripList"
        self.content = content


def _km(metres: float | None, lang: str) -> str:
    return "–" if metres is None else f"{format_number(float(metres) / 1000, lang, digits=1)} km"


def _date_text(value: str | dt.date | None, lang: str, missing: str) -> str:
    if not value:
        return missing
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    return format_date(day, "EEEE, d MMMM y", locale=lang)


#: Text for HTML content or attributes (the one escaper of rendered pages).
_e = escape.html_text


def trip_map(trip: Mapping[str, Any], desa_web: gpd.GeoDataFrame,
             kecamatan_web: gpd.GeoDataFrame | None = None, lang: str = "id",
             height: str = "100%") -> folium.Map:
    """Map of one trip: its desa, numbered stops, the path and the start point.

    Parameters
    ----------
    trip : mapping
        One item of :meth:`analysis.trips.TripPlan.records`.
    desa_web : GeoDataFrame
        Desa display layer (``kode``, ``kode_kec``, ``nama``, EPSG:4326).
    kecamatan_web : GeoDataFrame, optional
        Kecamatan display layer, drawn as named outlines for orientation.
    lang : {"id", "en"}
    height : str
        CSS height of the map.

    Returns
    -------
    folium.Map
        Not yet localised (see :func:`trip_page_html` / ``ui.vendor.offline``).

    Raises
    ------
    ValueError
        If the trip has no stops or names a desa not in ``desa_web``.
    """
    lang = check_lang(lang)
    stops = list(trip.get("stops") or [])
    if not stops:
        raise ValueError(f"Trip of day {trip.get('day')} has no stops; nothing to map.")
    codes = [s["kode"] for s in stops]
    chosen = desa_web[desa_web["kode"].isin(codes)]
    missing = sorted(set(codes) - set(chosen["kode"]))
    if missing:
        raise ValueError(f"Desa code(s) {missing[:5]} of the trip are not in the desa layer.")
    kec_codes = {c[:8] for c in codes}
    context = desa_web[desa_web["kode_kec"].isin(kec_codes) & ~desa_web["kode"].isin(codes)]

    fmap = base_map(chosen, height=height)
    if kecamatan_web is not None:
        folium.GeoJson(
            json.loads(kecamatan_web[["geometry"]].to_json(drop_id=True)), name="kecamatan",
            style_function=lambda _f: {"color": CONTEXT_LINE, "weight": 1.2, "fillColor": "#ffffff",
                                       "fillOpacity": 0.6},
            interactive=False, control=False,
        ).add_to(fmap)
    if len(context):
        folium.GeoJson(
            json.loads(context[["geometry"]].to_json(drop_id=True)), name="context",
            style_function=lambda _f: {"color": CONTEXT_LINE, "weight": 0.6, "fillColor": CONTEXT_FILL,
                                       "fillOpacity": 0.9},
            interactive=False, control=False,
        ).add_to(fmap)
    folium.GeoJson(
        json.loads(chosen[["geometry"]].to_json(drop_id=True)), name="trip-desa",
        style_function=lambda _f: {"color": STOP_LINE, "weight": 2.2, "fillColor": STOP_FILL,
                                   "fillOpacity": 0.75},
        interactive=False, control=False,
    ).add_to(fmap)
    if kecamatan_web is not None:
        named = kecamatan_web[kecamatan_web["kode"].isin(kec_codes)]
        for name, point in zip(named["nama"], named.geometry.representative_point()):
            DivIconMarker([point.y, point.x], html=f'<div class="peta-trip-kec">{_e(name)}</div>',
                          icon_size=(0, 0), icon_anchor=(0, 0), class_name="peta-label-icon",
                          interactive=False).add_to(fmap)
    path = [[float(lat), float(lon)] for lat, lon in trip["path"]]
    folium.PolyLine(path, color=PATH_COLOR, weight=3, opacity=0.9, dash_array="8 6").add_to(fmap)

    start = trip["start"]
    DivIconMarker(
        [start["lat"], start["lon"]], html='<div class="peta-start"></div>', icon_size=(22, 22),
        icon_anchor=(11, 11), class_name="peta-start-icon",
        tooltip=escape.tooltip(_e(t("trip.map_start", lang)), permanent=True, direction="left",
                               offset=(-12, 0), class_name="peta-trip-label"),
    ).add_to(fmap)
    for stop in stops:
        number = int(stop["urutan"])
        DivIconMarker(
            [stop["lat"], stop["lon"]], html=f'<div class="peta-stop">{number}</div>', icon_size=(24, 24),
            icon_anchor=(12, 12), class_name="peta-stop-icon",
            tooltip=escape.tooltip(_e(f"{number}. {stop['nama']} ({stop['kecamatan']})"), direction="right",
                                   offset=(13, 0), class_name="peta-trip-label"),
        ).add_to(fmap)
    lats = [p[0] for p in path] + [chosen.total_bounds[1], chosen.total_bounds[3]]
    lons = [p[1] for p in path] + [chosen.total_bounds[0], chosen.total_bounds[2]]
    # base_map fitted the desa only: refit to the path too
    refit(fmap, [[min(lats), min(lons)], [max(lats), max(lons)]], padding=(28, 28))
    fmap.get_root().header.add_child(Element(f"<style>{' '.join(_CSS.split())}</style>"), name="trip_css")
    return fmap


def _duration(trip: Mapping[str, Any], lang: str) -> str:
    return t("trip.duration_value", lang, hours=format_number(trip.get("duration_min", 0) / 60, lang, 1),
             speed=format_number(trip.get("speed_kmh", 0), lang, 0),
             service=format_number(trip.get("service_minutes", 0), lang, 0))


def _head_html(trip: Mapping[str, Any], lang: str, is_sample: bool, sites_label: str | None) -> str:
    start = trip["start"]
    banners = ""
    if is_sample:
        banners += f'<div class="trip-banner" role="alert">{_e(t("sample.banner", lang))}</div>'
    if sites_label:
        banners += f'<div class="trip-banner illu">{_e(sites_label)}</div>'
    start_text = (f"<b>{_e(start['name'])} ({format_number(start['lat'], lang, 5)}, "
                  f"{format_number(start['lon'], lang, 5)})</b>")
    if not start.get("configured", False):
        start_text += f' <span class="note">{_e(t("trip.start_unset", lang))}</span>'
    sep = '<span class="sep">·</span>'
    date = _date_text(trip.get("date"), lang, t("trip.no_date", lang))
    return (
        '<header class="trip-head">'
        f'<button class="trip-print" onclick="window.print()">{_e(t("trip.print_button", lang))}</button>'
        f'<div class="app">{_e(t("trip.app", lang))}</div>'
        f'<h1>{_e(t("trip.title", lang, team=trip.get("team") or "", day=trip["day"]))}</h1>'
        f"{banners}"
        '<div class="trip-facts">'
        f'<p>{_e(t("trip.date", lang))}: <b>{_e(date)}</b>{sep}'
        f'{_e(t("trip.n_desa", lang))}: <b>{format_int(trip["n_desa"], lang)}</b>{sep}'
        f'{_e(t("trip.total", lang))}: <b>{_km(trip["total_m"], lang)}</b>{sep}'
        f'{_e(t("trip.duration", lang))}: <b>{_e(_duration(trip, lang))}</b></p>'
        f'<p>{_e(t("trip.start", lang))}: {start_text}</p>'
        "</div></header>"
    )


def _list_html(trip: Mapping[str, Any], lang: str, generated: dt.date) -> str:
    name = trip["start"]["name"]
    cols = "".join(f'<col class="c-{c}">' for c in ("stop", "desa", "kec", "rank", "score", "leg", "cum", "field"))
    head = "".join(
        f'<th class="{cls}">{_e(t(key, lang))}</th>' for key, cls in (
            ("trip.col.order", ""), ("trip.col.desa", ""), ("trip.col.kecamatan", ""),
            ("trip.col.rank", "num"), ("trip.col.score", "num"), ("trip.col.leg", "num"),
            ("trip.col.cumulative", "num"), ("trip.col.field", ""),
        )
    )
    bodies = [f'<tbody><tr class="endpoint"><td></td><td colspan="7">{_e(t("trip.depart", lang, name=name))}'
              "</td></tr></tbody>"]
    for stop in trip["stops"]:
        rank = "–" if stop.get("rank") is None else format_int(stop["rank"], lang)
        score = "–" if stop.get("score") is None else format_number(stop["score"], lang, 1)
        reason = _e(localize(stop.get("alasan"), lang) or "")
        bodies.append(
            '<tbody class="stop-body"><tr class="stop-main">'
            f'<td class="stop" rowspan="2"><span>{int(stop["urutan"])}</span></td>'
            f'<td><b>{_e(stop["nama"])}</b> <span class="kode">{_e(stop["kode"])}</span></td>'
            f'<td>{_e(stop["kecamatan"])}</td>'
            f'<td class="num">{rank}</td><td class="num">{score}</td>'
            f'<td class="num">{_km(stop["jarak_dari_sebelumnya_m"], lang)}</td>'
            f'<td class="num">{_km(stop["jarak_kumulatif_m"], lang)}</td>'
            '<td class="field" rowspan="2"></td></tr>'
            f'<tr><td class="reason" colspan="6">{_e(t("trip.col.reason", lang))}: {reason}</td></tr>'
            "</tbody>"
        )
    bodies.append(
        f'<tbody><tr class="endpoint"><td></td><td colspan="4">{_e(t("trip.return", lang, name=name))}</td>'
        f'<td class="num">{_km(trip["return_m"], lang)}</td><td class="num">{_km(trip["total_m"], lang)}</td>'
        "<td></td></tr></tbody>"
    )
    notes = (
        f'<p>{_e(localize(trip.get("distance_note"), lang) or "")} '
        f'{_e(t("trip.generated", lang, date=format_date(generated, "d MMMM y", locale=lang)))}</p>'
    )
    return (f'<section class="trip-list"><table><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>'
            f'{"".join(bodies)}</table><div class="trip-notes">{notes}</div></section>')


def trip_page_html(trip: Mapping[str, Any], desa_web: gpd.GeoDataFrame,
                   kecamatan_web: gpd.GeoDataFrame | None = None, *, lang: str = "id",
                   is_sample: bool = False, sites_label: str | None = None,
                   generated: dt.date | None = None) -> str:
    """Standalone printable HTML page (A4) of one trip: header, map, ordered list.

    Parameters
    ----------
    trip : mapping
        One item of :meth:`analysis.trips.TripPlan.records`.
    desa_web, kecamatan_web : GeoDataFrame
        Display layers (see :func:`trip_map`).
    lang : {"id", "en"}
    is_sample : bool
        Show the "DATA CONTOH" banner (the ranking used the sample coverage data).
    sites_label : str, optional
        E.g. :data:`ingest.sites.ILLUSTRATIVE_LABEL` when the ranking used the
        illustrative sites; shown as a second banner.
    generated : datetime.date, optional
        Date printed in the footer (default today).

    Returns
    -------
    str
        One HTML document with Leaflet and every style embedded; it makes no
        network request.
    """
    lang = check_lang(lang)
    fmap = trip_map(trip, desa_web, kecamatan_web, lang=lang)
    root = fmap.get_root()
    root.title = _e(t("trip.title", lang, team=trip.get("team") or "", day=trip["day"]))  # branca does not escape
    root.html.add_child(Element(_head_html(trip, lang, is_sample, sites_label)), name="trip_head")
    _After(_list_html(trip, lang, generated or dt.date.today())).add_to(fmap)
    page = inline_html(fmap)
    return page.replace("<html>", f'<html lang="{lang}">', 1)


def trip_file_name(trip: Mapping[str, Any]) -> str:
    """File name of a trip's printable page: ``rencana_kunjungan_tim_1_hari_01_2025-02-03.html``."""
    date = f"_{trip['date']}" if trip.get("date") else ""
    team_slug = slug(str(trip.get("team") or ""))[:40]
    team = f"_{team_slug}" if team_slug else ""
    return f"rencana_kunjungan{team}_hari_{int(trip['day']):02d}{date}.html"

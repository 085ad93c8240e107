"""The companies layer: one offline marker per company, sized by uncovered workers, coloured by status.

:func:`add_companies_layer` draws each company of
:func:`analysis.compliance.company_status` as a disc (inline SVG in a
``DivIcon``: no image or icon font is fetched) whose area grows with the
company's uncovered workers and whose colour and letter say its status
(:data:`STATUS_STYLES`; the letter keeps statuses apart for readers who cannot
tell the colours apart).  Markers cluster when zoomed out
(Leaflet.markercluster, served locally), and the in-map legend has one check
box per status that shows or hides its markers in the browser.  A company
placed by desa code or name, not by a point, stands on its desa's
representative point, and its popup says so.

Every text from the file (names, desa) is HTML-escaped, and tooltips and
popups go through :mod:`render.escape` (they sit inside JavaScript template
literals).
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping

import folium
import folium.plugins
import geopandas as gpd
import pandas as pd

from analysis.compliance import STATUSES, sector_label_key
from core.formatting import check_lang, format_int
from core.i18n import localize, t
from render import escape
from render.maps.sites_layer import DivIconMarker, SiteCategoryControl, _add_css, clustered_group

#: Status -> (fill colour, letter on the disc).
STATUS_STYLES: dict[str, tuple[str, str]] = {
    "pwbd": ("#b2182b", "W"),          # wajib belum daftar: dark red
    "pds_tk": ("#e66101", "T"),        # tenaga kerja: orange
    "pds_upah": ("#7b3294", "U"),      # upah: purple
    "pds_program": ("#0571b0", "P"),   # program: blue
    "belum_pasti": ("#6b6b6b", "?"),   # not known: dark grey
    "patuh": ("#1b7837", "✓"),         # compliant: green
    "tidak_wajib": ("#bdbdbd", "–"),   # not obliged: light grey
}
#: Disc diameters (px): the smallest, and the one of the most uncovered workers on the map.
MIN_PX, MAX_PX = 14, 40
#: Maps narrower than this (px, a phone) open with the status legend folded.
FOLD_LEGEND_BELOW_PX = 600


def status_label(status: str, lang: str = "id") -> str:
    """A status's name in a language (``compliance.status.<status>``)."""
    return t(f"compliance.status.{status}", lang)


def disc_svg(status: str, px: float = MIN_PX) -> str:
    """Inline SVG of a status's disc of diameter ``px``, with its letter from 16 px up."""
    fill, letter = STATUS_STYLES[status]
    text_color = "#111111" if status == "tidak_wajib" else "#ffffff"
    r = px / 2
    label = (f'<text x="{r}" y="{r}" dy="0.35em" text-anchor="middle" font-family="system-ui,Arial,sans-serif" '
             f'font-size="{max(9.0, round(px * 0.42, 1))}" font-weight="700" fill="{text_color}">'
             f'{html.escape(letter)}</text>') if px >= 16 else ""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{px}" height="{px}" viewBox="0 0 {px} {px}" '
            f'aria-hidden="true"><circle cx="{r}" cy="{r}" r="{r - 1}" fill="{fill}" fill-opacity="0.9" '
            f'stroke="#ffffff" stroke-width="1.5"/>{label}</svg>')


def disc_px(uncovered: float, most: float) -> float:
    """Diameter for ``uncovered`` workers: area in proportion, from :data:`MIN_PX` to :data:`MAX_PX`."""
    if not most or pd.isna(uncovered) or uncovered <= 0:
        return MIN_PX
    return round(MIN_PX + (MAX_PX - MIN_PX) * math.sqrt(min(uncovered, most) / most), 1)


def _points(companies: pd.DataFrame, desa: gpd.GeoDataFrame) -> tuple[list[tuple[float, float]], list[bool]]:
    """Each company's (lat, lon): its own point, else its desa's representative point; and which are its own."""
    centre = desa.set_index("kode").geometry.representative_point()
    points, own = [], []
    for lat, lon, kode in zip(companies["lat"], companies["lon"], companies["kode_desa"]):
        if pd.notna(lat) and pd.notna(lon):
            points.append((float(lat), float(lon)))
            own.append(True)
        else:
            point = centre.get(kode)
            points.append((point.y, point.x) if point is not None else (math.nan, math.nan))
            own.append(False)
    return points, own


def company_popup_html(company: Mapping[str, object], lang: str, own_point: bool,
                       next_step: str | None = None) -> str:
    """The popup of one company: name, status and its rule, workers, sector, desa (every value escaped)."""
    enrolled, uncovered = company.get("workers_enrolled"), company.get("uncovered")
    rows = [
        (t("companies.popup.status", lang), status_label(str(company["status"]), lang)),
        (t("companies.popup.rule", lang), localize(company.get("rule", ""), lang)),
        (t("companies.popup.employed", lang), format_int(company["workers_employed"], lang)),
        (t("companies.popup.enrolled", lang), "-" if pd.isna(enrolled) else format_int(enrolled, lang)),
        (t("companies.popup.uncovered", lang), "-" if pd.isna(uncovered) else format_int(uncovered, lang)),
        (t("companies.popup.sector", lang), t(sector_label_key(str(company.get("sector"))), lang)),
        (t("companies.popup.desa", lang), t("companies.popup.desa_value", lang, desa=company.get("desa"),
                                             kecamatan=company.get("kecamatan"))),
    ]
    if next_step:
        rows.append((t("companies.popup.next_step", lang), next_step))
    body = "".join(f"<tr><th>{escape.html_text(k)}</th><td>{escape.html_text(v)}</td></tr>" for k, v in rows)
    note = escape.html_text(t("companies.popup.at_desa_centre", lang))
    where = "" if own_point else f'<div class="note">{note}</div>'
    return (f'<div class="peta-company-popup"><b>{escape.html_text(company["name"])}</b>'
            f'<table>{body}</table>{where}</div>')


_CSS = """
.peta-company-icon{background:none;border:none}
.peta-company-icon svg{display:block;filter:drop-shadow(0 1px 1.5px rgba(0,0,0,.45))}
.peta-company-popup table{border-collapse:collapse;margin-top:4px}
.peta-company-popup th{text-align:left;font-weight:600;padding:1px 8px 1px 0;vertical-align:top;white-space:nowrap}
.peta-company-popup td{padding:1px 0}
.peta-company-popup .note{color:#555;margin-top:4px;font-size:12px}
"""


def add_companies_layer(fmap: folium.Map, companies: pd.DataFrame, desa: gpd.GeoDataFrame, lang: str = "id",
                        statuses: Iterable[str] | None = None, illustrative: bool = False,
                        next_steps: Mapping[str, str] | None = None, legend_position: str = "topright",
                        cluster: bool = True) -> folium.FeatureGroup:
    """Add the companies to a map: discs by status and uncovered workers, clusters, a legend with toggles.

    Parameters
    ----------
    fmap : folium.Map
        The map (then localise it: ``ui.vendor.offline`` or ``render.maps.web_assets.inline_html``).
    companies : DataFrame
        :func:`analysis.compliance.company_status`.
    desa : GeoDataFrame
        Desa polygons (``kode``, EPSG:4326): where a company without a point stands.
    lang : {"id", "en"}
    statuses : iterable of str, optional
        Statuses to draw (default all).
    illustrative : bool
        Label the layer ILUSTRATIF in its legend.
    next_steps : mapping, optional
        ``{row: text}``: the next step shown in a company's popup.

    Returns
    -------
    folium.FeatureGroup
        The layer (already on the map).

    Raises
    ------
    ValueError
        For an unknown status.
    """
    lang = check_lang(lang)
    wanted = list(STATUSES) if statuses is None else list(statuses)
    unknown = sorted(set(wanted) - set(STATUSES))
    if unknown:
        raise ValueError(f"Unknown statuses {unknown}; use {list(STATUSES)}.")
    companies = companies[companies["status"].isin(wanted)]
    title = t("companies.layer", lang)
    label = t("companies.illustrative_short", lang) if illustrative else None
    group, parent = clustered_group(fmap, title, label, cluster, radius_px=40)
    most = float(companies["uncovered"].fillna(0).max()) if len(companies) else 0.0
    points, own = _points(companies, desa)
    markers: dict[str, list[folium.Marker]] = {s: [] for s in STATUSES if s in set(companies["status"])}
    for company, (lat, lon), own_point in zip(companies.to_dict("records"), points, own):
        if math.isnan(lat):
            continue
        px = disc_px(company["uncovered"], most)
        status = str(company["status"])
        uncovered = company["uncovered"]
        tip = t("companies.tooltip", lang, name=company["name"], status=status_label(status, lang),
                uncovered="-" if pd.isna(uncovered) else format_int(uncovered, lang))
        marker = DivIconMarker(
            [lat, lon], html=f'<div data-status="{html.escape(status, quote=True)}">{disc_svg(status, px)}</div>',
            icon_size=(px, px), icon_anchor=(px / 2, px / 2), class_name="peta-company-icon",
            popup=escape.popup(company_popup_html(company, lang, own_point, (next_steps or {}).get(company["row"])),
                               max_width=340),
            tooltip=escape.tooltip(escape.html_text(tip)))
        marker.add_to(parent)
        markers[status].append(marker)
    _add_css(fmap)
    fmap.get_root().header.add_child(folium.Element(f"<style>{' '.join(_CSS.split())}</style>"))
    if markers:
        SiteCategoryControl(parent, markers, title, lang, illustrative_label=label, position=legend_position,
                            label_of=lambda s: status_label(s, lang), icon_of=lambda s: disc_svg(s, 16),
                            fold_below_px=FOLD_LEGEND_BELOW_PX).add_to(fmap)
    return group

"""Small pieces of the outreach pages that other pages reuse (the map page too).

* :func:`visit_log` — the visit log of the settings (``$PETA_APP_DB`` or
  ``[visits] db_path``; ``data/app.db`` by default, created on first use);
* :func:`illustrative_sites` — the illustrative sites layer, cached;
* :func:`visited_summary` — KPI cards of the visits since the coverage
  snapshot and the projected coverage, returning the
  :class:`analysis.projection.Projection` whose ``visited`` set feeds
  :func:`render.maps.sites_layer.add_visited_layer`.
"""

from __future__ import annotations

from html import escape

import geopandas as gpd
import streamlit as st
from babel.dates import format_date

from analysis.config import load_config
from analysis.coverage import CoverageResult
from analysis.projection import Projection, projection_from_log
from analysis.visits import VisitLog
from core.errors import PetaCakupanError
from core.formatting import format_change_pp, format_int, format_percent
from core.i18n import t
from geo.boundaries import load_layer
from geo.region import region_in_use
from ingest.sites import SiteCheck, check_sites_bytes, load_illustrative_sites
from ui.common import current_lang
from ui.markdown import md


# The caches are keyed by the region in use too: the server's region is fixed when it starts, but a test
# process runs the app for several.
@st.cache_resource(show_spinner=False)
def _region_desa_codes(region: str) -> frozenset[str]:
    return frozenset(load_layer("desa", region)["kode"])


def _desa_codes() -> frozenset[str]:
    return _region_desa_codes(region_in_use())


@st.cache_resource(show_spinner=False)
def _region_layer(name: str, region: str) -> gpd.GeoDataFrame:
    return load_layer(name, region)


def layer(name: str) -> gpd.GeoDataFrame:
    """A boundary layer of the region in use (``desa``, ``desa_web``, ``kecamatan``, ``kecamatan_web``), cached."""
    return _region_layer(name, region_in_use())


@st.cache_resource(show_spinner=False)
def _region_sites(region: str) -> gpd.GeoDataFrame:
    return load_illustrative_sites(region=region)


def illustrative_sites() -> gpd.GeoDataFrame:
    """The illustrative high-risk sites of the region in use (built on first use), cached for the server."""
    return _region_sites(region_in_use())


#: Session key of an uploaded sites file accepted by the user: (file name, bytes).
SITES_UPLOAD_KEY = "sites_upload"


@st.cache_data(show_spinner=False, max_entries=4)
def _checked_sites(content: bytes, filename: str, region: str) -> SiteCheck:
    return check_sites_bytes(content, filename, desa=layer("desa"))


def checked_sites(content: bytes, filename: str) -> SiteCheck:
    """Validate an uploaded sites file against the region in use (cached per content and region)."""
    return _checked_sites(content, filename, region_in_use())


def sites_in_use() -> gpd.GeoDataFrame:
    """The user's accepted sites file if there is one, else the illustrative layer."""
    upload = st.session_state.get(SITES_UPLOAD_KEY)
    if upload is None:
        return illustrative_sites()
    name, content = upload
    return checked_sites(content, name).sites


def sites_are_illustrative() -> bool:
    """True while the illustrative layer is in use (no accepted sites file of the user's)."""
    return st.session_state.get(SITES_UPLOAD_KEY) is None


def sites_label(sites, lang: str = "id") -> str | None:
    """The illustrative label when the sites in use are the illustrative layer, else None."""
    if sites is None or "illustrative" not in sites.columns or not sites["illustrative"].fillna(False).any():
        return None
    return t("sites.illustrative_label", lang)


def visit_log() -> VisitLog:
    """The visit log named by the settings (read each run, so a changed ``$PETA_APP_DB`` applies)."""
    return VisitLog(load_config().database, desa_codes=_desa_codes())


def _card(label: str, value: str, sub: str = "") -> str:
    return (f'<div class="peta-kpi"><div class="l" style="font-size:15px">{escape(label)}</div>'
            f'<div class="v" style="font-size:30px">{escape(value)}</div>'
            f'<div class="s" style="font-size:14px">{escape(sub)}</div></div>')


def kpi_cards_html(cards: list[tuple[str, str, str]], css_class: str = "") -> str:
    """A row of KPI cards (``ui.html`` styles) from ``(label, value, sub-line)`` texts, escaped here."""
    inner = "".join(_card(label, value, sub) for label, value, sub in cards)
    return f'<div class="peta-kpis {escape(css_class, quote=True)}">{inner}</div>'


def visited_summary_html(projection: Projection, result: CoverageResult, lang: str = "id") -> str:
    """KPI cards of a projection (pure function; values formatted, every string escaped).

    Parameters
    ----------
    projection : Projection
    result : CoverageResult
        The snapshot (its period and target are shown).
    lang : {"id", "en"}
    """
    kab = projection.kabupaten
    since = projection.since
    visits_text = (t("proj.visits", lang, n=format_int(kab["visits"], lang),
                     date=format_date(since, "d MMMM y", locale=lang))
                   if since else t("proj.visits_all", lang, n=format_int(kab["visits"], lang)))
    target = format_percent(result.target, lang, 0)
    cards = [
        (t("proj.visited", lang), format_int(kab["n_desa_visited"], lang), visits_text),
        (t("proj.enrolled", lang), format_int(kab["enrolled"], lang),
         t("proj.enrolled_sub", lang, added=format_int(kab["added"], lang))),
        # two decimals: a few visits move the regency rate by hundredths of a point
        (t("proj.rate", lang), format_percent(kab["projected_rate"], lang, 2),
         t("proj.rate_sub", lang, change=format_change_pp(kab["change_rate"], lang, 2),
           rate=format_percent(kab["coverage_rate"], lang, 2))),
        (t("proj.gap", lang, target=target), format_int(kab["projected_gap"], lang),
         t("proj.gap_sub", lang, gap=format_int(kab["gap_to_target"], lang))),
    ]
    return kpi_cards_html(cards, "peta-visited-kpis")


def visited_summary(result: CoverageResult, lang: str | None = None, log: VisitLog | None = None,
                    title: bool = True, projection: Projection | None = None) -> Projection | None:
    """Show the visits since the coverage snapshot and the projected coverage; return the projection.

    Parameters
    ----------
    result : CoverageResult
        ``ui.common.dataset().result``.
    lang : {"id", "en"}, optional
        Default: the app's current language.
    log : VisitLog, optional
        Default: :func:`visit_log`.
    title : bool
        Print a small heading above the cards.
    projection : Projection, optional
        Already read from the log this run (the log is not read again).

    Returns
    -------
    Projection or None
        None (after an error message) when the log cannot be read or does not
        match the data; otherwise ``projection.visited`` is the set of visited
        desa codes for :func:`render.maps.sites_layer.add_visited_layer`.
    """
    lang = lang or current_lang()
    if projection is None:
        try:
            projection = projection_from_log(result, log or visit_log())
        except (PetaCakupanError, ValueError, OSError) as exc:
            st.error(md("proj.error", lang, detail=exc))
            return None
    if title:
        heading = (t("proj.title", lang, period=result.period) if result.period else t("proj.title_all", lang))
        st.markdown(f"**{escape(heading)}**")
    st.markdown(visited_summary_html(projection, result, lang), unsafe_allow_html=True)
    notes = [t("proj.assumption", lang)]
    if projection.kabupaten["not_added"]:
        notes.append(t("proj.not_added", lang, n=format_int(projection.kabupaten["not_added"], lang)))
    st.caption(" ".join(notes))
    return projection


def visited_details(projection: Projection, lang: str = "id") -> dict[str, str]:
    """``{kode: "2 kunjungan · 12 pekerja didaftarkan"}`` for the visited layer's tooltips."""
    visited = projection.desa[projection.desa["visits"] > 0]
    return {kode: t("visited.details", lang, visits=format_int(v, lang), enrolled=format_int(e, lang))
            for kode, v, e in zip(visited["kode"], visited["visits"], visited["enrolled"])}

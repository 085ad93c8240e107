"""Priorities page: ranked desa with the why, map with high-risk sites, visit plan, printable trips.

Figures come from :mod:`analysis.priorities` (score and reasons),
:mod:`analysis.trips` (day trips, CSV/XLSX), :mod:`render.trip_page`
(printable page) and :mod:`render.maps.sites_layer` (map layers); this module lays
them out.  Widget keys start with ``prio_`` / ``plan_`` so they never clash
with the map page's URL-bound keys.
"""

from __future__ import annotations

from html import escape

import altair as alt
import pandas as pd
import streamlit as st
from babel.dates import format_date
from streamlit_folium import st_folium

from analysis.classify import classify
from analysis.config import SCORE_COMPONENTS, OutreachConfig, ScoreConfig, load_config
from analysis.priorities import Ranking, rank_desa
from analysis.projection import projection_from_log, with_enrolments
from analysis.views import map_regions
from core.errors import PetaCakupanError
from core.formatting import format_int, format_number, format_percent, format_value
from core.i18n import localize, t
from geo.boundaries import region_name
from render.maps.choropleth import choropleth_map
from render.maps.sites_layer import (
    add_follow_up_layer,
    add_sites_layer,
    add_visited_layer,
)
from render.spreadsheet import write_table, written_bytes
from ui.access import audit, audit_upload, can, download_button
from ui.common import current_lang, dataset, page_header
from ui.companies_state import company_gaps_in_use
from ui.markdown import md, md_value
from ui.outreach_widgets import (
    SITES_UPLOAD_KEY,
    checked_sites,
    layer,
    sites_in_use,
    sites_label,
    visit_log,
    visited_details,
)
from ui.programmes import programmes_in_use
from ui.tables import XLSX_MIME, right_aligned
from ui.trip_planner import plan_section
from ui.vendor import offline

PTS_COLUMNS = tuple(f"pts_{c}" for c in SCORE_COMPONENTS)
#: Colours of the score components in the breakdown chart (ColorBrewer Set2, colour-blind safe).
COMPONENT_COLORS = ("#66c2a5", "#fc8d62", "#8da0cb", "#e78ac3", "#a6d854")


# --------------------------------------------------------------------------- pure helpers


def component_label(component: str, lang: str) -> str:
    """Name of a score component in a language."""
    return t(f"prio.component.{component}", lang)


def _visit_date(value: object, lang: str) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return t("prio.never", lang)
    return format_date(value, "d MMM y", locale=lang)


def ranking_table(top: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The ranked desa formatted for display (every cell a string, numbers in the UI language).

    Columns: rank, desa, kecamatan, score, the reason (``alasan``,
    Indonesian), the points of each component and the last visit.
    """
    out = pd.DataFrame({
        t("prio.col.rank", lang): [format_int(v, lang) for v in top["rank"]],
        t("prio.col.desa", lang): top["nama"].astype(str).to_numpy(),
        t("prio.col.kecamatan", lang): top["kecamatan"].astype(str).to_numpy(),
        t("prio.col.score", lang): [format_number(v, lang, 1) for v in top["score"]],
        t("prio.col.reason", lang): top["alasan"].map(lambda reason: localize(reason, lang)).to_numpy(),
    })
    for component in shown_components(top):
        header = t("prio.col.points", lang, component=component_label(component, lang))
        out[header] = [format_number(v, lang, 1) for v in top[f"pts_{component}"]]
    out[t("prio.col.last_visit", lang)] = [_visit_date(v, lang) for v in top["last_visit"]]
    return out


def shown_components(top: pd.DataFrame) -> list[str]:
    """The components a table or chart shows: the five of every score, and an opt-in one that earns points."""
    return [c for c in SCORE_COMPONENTS if c in _ALWAYS_LISTED or (f"pts_{c}" in top and top[f"pts_{c}"].gt(0).any())]


def breakdown_long(top: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Points per desa and component in long form, for the stacked bar chart.

    Returns
    -------
    DataFrame
        ``desa`` (``"1. Talagasari (Kadungora)"``), ``order`` (rank),
        ``component``, ``component_order``, ``points``, ``points_text``, ``score_text``.
    """
    rows = []
    for _, row in top.iterrows():
        label = f"{int(row['rank'])}. {row['nama']} ({row['kecamatan']})"
        for i, component in enumerate(shown_components(top)):
            points = float(row[f"pts_{component}"])
            rows.append({"desa": label, "order": int(row["rank"]), "component": component_label(component, lang),
                         "component_order": i, "points": points, "points_text": format_number(points, lang, 1),
                         "score_text": format_number(row["score"], lang, 1)})
    return pd.DataFrame(rows, columns=["desa", "order", "component", "component_order", "points",
                                       "points_text", "score_text"])


#: Components the breakdown lists even at weight 0 (the opt-in ones show once a planner weighs them).
_ALWAYS_LISTED = ("gap", "informal", "low_coverage", "sites", "last_visit")


def breakdown_rows(row: pd.Series, config: ScoreConfig, lang: str) -> pd.DataFrame:
    """Why one desa scores what it does: per component its basis, value (0–1), weight and points.

    Parameters
    ----------
    row : Series
        One row of :attr:`analysis.priorities.Ranking.ranked`.
    config : ScoreConfig
        The ranking's settings (target, distance, weights).
    lang : {"id", "en"}

    Returns
    -------
    DataFrame
        One row per component plus a total row; every cell a string.
    """
    target = format_percent(config.target_rate, lang, 0)
    km = config.site_distance_m / 1000
    informal = row["informal_share"]
    basis = {
        "gap": t("prio.basis.gap", lang, n=format_int(row["gap_to_target"], lang), target=target),
        "informal": (t("prio.basis.informal_none", lang) if pd.isna(informal)
                     else t("prio.basis.informal", lang, share=format_percent(informal, lang, 0))),
        "low_coverage": t("prio.basis.low_coverage", lang, rate=format_percent(row["coverage_rate"], lang),
                          target=target),
        "sites": t("prio.basis.sites", lang, inside=format_int(row["sites_in"], lang),
                   near=format_int(row["sites_near"], lang),
                   km=format_number(km, lang, 0 if float(km).is_integer() else 1))
                 + (f" ({row['site_categories']})" if row["site_categories"] else ""),
        "last_visit": (t("prio.basis.never", lang) if pd.isna(row["days_since_visit"])
                       else t("prio.basis.last_visit", lang, days=format_int(row["days_since_visit"], lang),
                              date=_visit_date(row["last_visit"], lang))),
        "companies": t("prio.basis.companies", lang, n=format_int(row.get("company_gap", 0), lang)),
        "programme": t("prio.basis.programme", lang),
    }
    total_weight = sum(config.weights.values())
    records = [{
        t("prio.detail.component", lang): component_label(c, lang),
        t("prio.detail.basis", lang): basis[c],
        t("prio.detail.value", lang): format_number(row[f"c_{c}"], lang, 2),
        t("prio.detail.weight", lang): format_percent(config.weights.get(c, 0.0) / total_weight, lang, 0),
        t("prio.detail.points", lang): format_number(row[f"pts_{c}"], lang, 1),
    } for c in SCORE_COMPONENTS if config.weights.get(c, 0.0) > 0 or c in _ALWAYS_LISTED]
    records.append({
        t("prio.detail.component", lang): t("prio.detail.total", lang),
        t("prio.detail.basis", lang): "", t("prio.detail.value", lang): "",
        t("prio.detail.weight", lang): format_percent(1.0, lang, 0),
        t("prio.detail.points", lang): format_number(row["score"], lang, 1),
    })
    return pd.DataFrame(records)


def ranking_export_headers(lang: str) -> dict[str, str]:
    """Columns and headers of the priority list export."""
    headers = {
        "rank": t("prio.col.rank", lang),
        "kode": t("prio.col.kode", lang),
        "nama": t("prio.col.desa", lang),
        "kecamatan": t("prio.col.kecamatan", lang),
        "score": t("prio.col.score", lang),
    }
    for component in SCORE_COMPONENTS:
        headers[f"pts_{component}"] = t("prio.col.points", lang, component=component_label(component, lang))
    headers["last_visit"] = t("prio.col.last_visit", lang)
    headers["alasan"] = t("prio.col.reason", lang)
    return headers


def sites_banner_html(text: str) -> str:
    """The illustrative-sites notice: pale yellow, thinner than the DATA CONTOH banner (text escaped)."""
    return ('<div class="peta-sites-banner" role="note" style="background:#fff3bf;border:1px solid #b58900;'
            'border-radius:6px;padding:.4rem .8rem;margin:.2rem 0 .8rem 0;color:#1a1a1a;font-weight:600">'
            f"{escape(text)}</div>")


# --------------------------------------------------------------------------- sections


def _controls(ranking: Ranking, config: OutreachConfig, lang: str) -> tuple[int, str | None]:
    names = (ranking.ranked[["kode_kec", "kecamatan"]].drop_duplicates()
             .set_index("kode_kec")["kecamatan"].to_dict())
    left, right, _ = st.columns([1, 1.4, 1.6])
    n_max = len(ranking.ranked)
    top_n = left.number_input(t("prio.top_n", lang), min_value=1, max_value=n_max, step=1,
                              value=min(config.top_n, n_max), key="prio_top_n")
    kec = right.selectbox(t("prio.kecamatan", lang), [None, *sorted(names, key=names.get)], key="prio_kec",
                          format_func=lambda v: t("control.all_kecamatan", lang) if v is None else names[v])
    return int(top_n), kec


def _ranking_section(ranking: Ranking, top: pd.DataFrame, kec_name: str | None, lang: str) -> None:
    title = (t("prio.table_title_kec", lang, n=len(top), kecamatan=kec_name) if kec_name
             else t("prio.table_title", lang, n=len(top)))
    st.subheader(title)
    st.caption(t("prio.rank_note", lang))
    table = ranking_table(top, lang)
    numeric = [c for c in table.columns if c not in (t("prio.col.desa", lang), t("prio.col.kecamatan", lang),
                                                      t("prio.col.reason", lang), t("prio.col.last_visit", lang))]
    config = {**right_aligned(numeric),
              t("prio.col.reason", lang): st.column_config.TextColumn(t("prio.col.reason", lang), width="large")}
    st.dataframe(table, hide_index=True, width="stretch", key="prio_table", column_config=config)
    headers = ranking_export_headers(lang)
    notes = [t("prio.intro", lang)]
    buttons = st.container(horizontal=True)
    download_button(buttons,
        t("prio.download_csv", lang),
        data=lambda: written_bytes(lambda p: write_table(top, p, headers, lang=lang), ".csv"),
        file_name="prioritas_desa.csv",
        mime="text/csv",
        key="prio_dl_csv",
        on_click="ignore",
    )
    download_button(buttons,
        t("prio.download_xlsx", lang),
        data=lambda: written_bytes(
            lambda p: write_table(
                top, p, headers, sheet_name=t("export.sheet.priorities", lang), notes=notes, lang=lang
            ),
            ".xlsx",
        ),
        file_name="prioritas_desa.xlsx",
        mime=XLSX_MIME,
        key="prio_dl_xlsx",
        on_click="ignore",
    )

    st.markdown(f"**{t('prio.chart_title', lang)}**")
    data = breakdown_long(top, lang)
    order = [component_label(c, lang) for c in SCORE_COMPONENTS]
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("points:Q", stack="zero", title=t("prio.chart.points", lang), scale=alt.Scale(domain=[0, 100])),
        y=alt.Y("desa:N", sort=alt.SortField("order"), title=None,
                axis=alt.Axis(labelLimit=260, labelOverlap=False)),
        color=alt.Color("component:N", sort=order, title=t("prio.chart.component", lang),
                        scale=alt.Scale(domain=order, range=list(COMPONENT_COLORS)),
                        legend=alt.Legend(orient="bottom", columns=3)),
        order=alt.Order("component_order:Q"),
        tooltip=[alt.Tooltip("desa:N", title=t("prio.col.desa", lang)),
                 alt.Tooltip("component:N", title=t("prio.chart.component", lang)),
                 alt.Tooltip("points_text:N", title=t("prio.chart.points", lang)),
                 alt.Tooltip("score_text:N", title=t("prio.col.score", lang))],
    ).properties(height=max(160, 24 * len(top)))
    st.altair_chart(chart, width="stretch")

    labels = {kode: f"{rank}. {nama} ({kecamatan})" for kode, rank, nama, kecamatan
              in zip(top["kode"], top["rank"], top["nama"], top["kecamatan"])}
    chosen = st.selectbox(t("prio.detail_select", lang), list(labels), format_func=labels.get, key="prio_detail")
    if chosen:
        row = top.set_index("kode").loc[chosen]
        row["kode"] = chosen
        st.table(breakdown_rows(row, ranking.config, lang).set_index(t("prio.detail.component", lang)))
        st.caption(f"{t('prio.col.reason', lang)}: {md_value(row['alasan'], lang)}")

    if len(ranking.no_data):
        with st.expander(t("prio.no_data", lang, n=format_int(len(ranking.no_data), lang))):
            st.caption(t("prio.no_data_help", lang))
            st.dataframe(pd.DataFrame({
                t("prio.col.desa", lang): ranking.no_data["nama"],
                t("prio.col.kecamatan", lang): ranking.no_data["kecamatan"],
                t("prio.col.sites_in", lang): [format_int(v, lang) for v in ranking.no_data["sites_in"]],
                t("prio.col.sites_near", lang): [format_int(v, lang) for v in ranking.no_data["sites_near"]],
            }), hide_index=True, width="stretch")


def priority_map(result, ranking: Ranking, highlight: set[str], kec: str | None, sites, visited: set[str],
                 details: dict[str, str], lang: str, is_sample: bool):
    """Folium map: desa coloured by priority score, selected desa outlined, sites and visits on top."""
    regions = map_regions(result, "desa", kec)
    scores = ranking.ranked.set_index("kode")
    regions["score"] = regions["kode"].map(scores["score"]).astype(float)
    regions["score_text"] = [format_value(v, "text", lang) if pd.isna(v) else format_number(v, lang, 1)
                             for v in regions["score"]]
    regions["rank_text"] = [format_value(scores["rank"].get(k), "count", lang) for k in regions["kode"]]
    classes = classify(regions["score"].to_numpy(), "quantiles", k=5)
    fields = [("nama", t("level.desa", lang), None), ("kecamatan", t("level.kecamatan", lang), None),
              ("rank_text", t("prio.col.rank", lang), None), ("score_text", t("prio.col.score", lang), None),
              ("coverage_rate", t("metric.coverage_rate", lang), "rate"),
              ("gap_to_target", t("metric.gap_to_target", lang), "count")]
    outline = layer("kecamatan_web")
    if kec:
        outline = outline[outline["kode"] == kec]
    fmap = choropleth_map(
        regions, "score", classes, "YlOrRd", tooltip_fields=fields, lang=lang, title=t("prio.map_legend", lang),
        kind="count", outline_layer=outline, highlight=highlight,
        legend_note=t("sample.short", lang) if is_sample else None,
    )
    desa_web = layer("desa_web")
    desa_here = desa_web if not kec else desa_web[desa_web["kode_kec"] == kec]
    add_visited_layer(fmap, desa_here, visited, lang, details=details)
    add_follow_up_layer(fmap, desa_here, visit_log().follow_ups(), lang)
    if sites is not None and len(sites):
        add_sites_layer(fmap, sites, lang=lang)
    return fmap


# --------------------------------------------------------------------------- page


def sites_upload_section(lang: str) -> None:
    """Let the user check and use their own sites file (CSV, XLSX or GeoJSON); for roles that may upload."""
    if not can("upload"):
        return
    with st.expander(t("sites.upload.title", lang), expanded=False):
        st.caption(t("sites.upload.help", lang, region=region_name()))
        if st.session_state.get(SITES_UPLOAD_KEY) is not None:
            st.info(md("sites.upload.in_use", lang, name=st.session_state[SITES_UPLOAD_KEY][0]))
            if st.button(t("sites.upload.back", lang), key="sites_back"):
                st.session_state[SITES_UPLOAD_KEY] = None
                audit("dataset_switch", kind="sites", to="sample")
                st.rerun()
        upload = st.file_uploader(t("sites.upload.file", lang), type=["csv", "xlsx", "geojson", "json"],
                                  key="sites_file")
        if upload is None:
            return
        try:
            check = checked_sites(upload.getvalue(), upload.name)
        except PetaCakupanError as exc:
            audit_upload("sites", upload, problem=exc.key)
            st.error(md("sites.upload.unreadable", lang, detail=exc))
            return
        report = check.report()
        audit_upload("sites", upload, report["rows_in"], report["rows_matched"],
                     report["rows_rejected"])
        st.markdown(t("sites.upload.counts", lang, rows=format_int(report["rows_in"], lang),
                      matched=format_int(report["rows_matched"], lang),
                      rejected=format_int(report["rows_rejected"], lang)))
        if report["problems"]:
            st.dataframe(pd.DataFrame(report["problems"]), hide_index=True, width="stretch")
        if report["rows_matched"] and st.button(t("sites.upload.use", lang), type="primary", key="sites_use"):
            st.session_state[SITES_UPLOAD_KEY] = (upload.name, upload.getvalue())
            audit("dataset_switch", kind="sites", to="upload", file=upload.name)
            st.rerun()


def render() -> None:
    """Draw the priorities page: ranking, map, visit plan."""
    lang = current_lang()
    data = dataset()
    result = data.result
    page_header(data, lang)
    st.title(t("prio.title", lang))
    st.caption(t("prio.intro", lang))
    config = load_config()
    sites_upload_section(lang)
    try:
        sites = sites_in_use()
    except PetaCakupanError as exc:       # e.g. the shared data is missing and the layer was never built
        st.warning(md("sites.unavailable", lang, detail=exc))
        sites = None
    label = sites_label(sites, lang)
    if label:
        st.markdown(sites_banner_html(t("sites.banner", lang, label=label, n=format_int(len(sites), lang))),
                    unsafe_allow_html=True)

    log = visit_log()
    try:
        last_visits = log.last_visits()
        projection = projection_from_log(result, log)
    except (PetaCakupanError, OSError, ValueError) as exc:
        st.error(md("proj.error", lang, detail=exc))
        last_visits, projection = {}, None
    # the enrolments logged since the snapshot count: gap, score and reason say what the visits changed
    desa_now = with_enrolments(result.desa, projection) if projection is not None else result.desa
    weights = config.score.weights      # the company and programme components are read only when weighted
    programmes = programmes_in_use() if weights.get("programme", 0) > 0 else None
    ranking = rank_desa(desa_now, sites, last_visits=last_visits, config=config, desa=layer("desa"),
                        company_gaps=company_gaps_in_use() if weights.get("companies", 0) > 0 else None,
                        programmes=programmes[0] if programmes else None)
    if ranking.ranked.empty:
        st.warning(t("prio.no_ranked", lang))
        return

    top_n, kec = _controls(ranking, config, lang)
    top = ranking.top(top_n, kecamatan=kec)
    kec_name = top["kecamatan"].iloc[0] if kec and len(top) else None
    _ranking_section(ranking, top, kec_name, lang)

    st.subheader(t("prio.map_title", lang))
    st.caption(t("prio.map_caption", lang, n=format_int(len(top), lang)))
    visited = set(projection.visited) if projection else set()
    details = visited_details(projection, lang) if projection else {}
    fmap = priority_map(result, ranking, set(top["kode"]), kec, sites, visited, details, lang, data.is_sample)
    st_folium(offline(fmap), key="prio_map", height=600, use_container_width=True, returned_objects=[])

    plan_section(top, config, data, sites, lang, last_visits)

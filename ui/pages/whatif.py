"""What-if page "1 ASN 1 pekerja rentan": sponsoring civil servants, projected coverage and cost.

The scenario is :func:`analysis.whatif.asn_scenario`: ASN given as one total
(shared out in proportion to uncovered informal workers) or per kecamatan in
an editable table; each sponsors one worker's JKK + JKM contribution
(``[whatif]`` in ``config/outreach.toml``, adjustable here).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

from analysis.cohorts import CohortStore
from analysis.config import load_config
from analysis.whatif import WhatIf, asn_scenario, sponsors_needed
from core.formatting import format_change_pp, format_int, format_percent, format_rupiah
from core.i18n import t
from render.exports.text import format_period
from render.spreadsheet import write_table, written_bytes
from ui.access import download_button
from ui.cohorts_panel import cohorts_section, month_options
from ui.common import current_lang, dataset, page_header
from ui.markdown import md
from ui.outreach_widgets import kpi_cards_html
from ui.tables import XLSX_MIME, right_aligned

#: Default number of sponsoring ASN offered in the total field.
DEFAULT_ASN = 1000


def whatif_table(scenario: WhatIf, lang: str) -> pd.DataFrame:
    """The scenario per kecamatan for display (every cell a formatted string), largest change first."""
    frame = scenario.kecamatan.sort_values(["change_rate", "nama"], ascending=[False, True], na_position="last")
    return pd.DataFrame({
        t("whatif.col.kecamatan", lang): frame["nama"].to_numpy(),
        t("whatif.col.informal_uncovered", lang): [format_int(v, lang) for v in frame["informal_uncovered"]],
        t("whatif.col.asn", lang): [format_int(v, lang) for v in frame["asn"]],
        t("whatif.col.sponsored", lang): [format_int(v, lang) for v in frame["sponsored"]],
        t("whatif.col.now", lang): [format_percent(v, lang) for v in frame["coverage_rate"]],
        t("whatif.col.projected", lang): [format_percent(v, lang) for v in frame["projected_rate"]],
        t("whatif.col.change", lang): [format_change_pp(v, lang) for v in frame["change_rate"]],
        t("whatif.col.cost", lang): [format_rupiah(v, lang) for v in frame["yearly_cost_rp"]],
    })


def whatif_cards(scenario: WhatIf, lang: str) -> list[tuple[str, str, str]]:
    """KPI cards ``(label, value, sub-line)`` of a scenario's regency totals."""
    totals = scenario.totals
    unused = (t("whatif.kpi.unused", lang, n=format_int(totals["unused_asn"], lang)) if totals["unused_asn"]
              else t("whatif.kpi.all_used", lang))
    return [
        (t("whatif.kpi.asn", lang), format_int(totals["asn"], lang), unused),
        (t("whatif.kpi.sponsored", lang), format_int(totals["sponsored"], lang), ""),
        (t("whatif.kpi.cost", lang), format_rupiah(totals["yearly_cost_rp"], lang),
         t("whatif.kpi.cost_sub", lang, per_worker=format_rupiah(scenario.yearly_cost_per_worker_rp, lang,
                                                                 compact=False))),
        # two decimals, so that "now + change = projected" also holds for the rounded figures shown
        (t("whatif.kpi.rate", lang), format_percent(totals["projected_rate"], lang, 2),
         t("whatif.kpi.rate_sub", lang, change=format_change_pp(totals["change_rate"], lang, 2),
           rate=format_percent(totals["coverage_rate"], lang, 2))),
    ]


def chart_data(scenario: WhatIf, lang: str) -> pd.DataFrame:
    """Coverage now and projected per kecamatan in long form (``nama, series, rate, rate_text``)."""
    frame = scenario.kecamatan.dropna(subset=["coverage_rate"])
    now, projected = t("whatif.chart.now", lang), t("whatif.chart.projected", lang)
    rows = []
    for _, row in frame.iterrows():
        for series, column in ((now, "coverage_rate"), (projected, "projected_rate")):
            rows.append({"nama": row["nama"], "series": series, "rate": float(row[column]),
                         "rate_text": format_percent(row[column], lang), "order": float(row["projected_rate"])})
    return pd.DataFrame(rows, columns=["nama", "series", "rate", "rate_text", "order"])


def _chart(scenario: WhatIf, target: float, lang: str) -> None:
    data = chart_data(scenario, lang)
    now, projected = t("whatif.chart.now", lang), t("whatif.chart.projected", lang)
    base = alt.Chart(data).encode(
        y=alt.Y("nama:N", sort=alt.SortField("order", order="descending"), title=None,
                axis=alt.Axis(labelOverlap=False, labelLimit=160)),
        tooltip=[alt.Tooltip("nama:N", title=t("whatif.col.kecamatan", lang)),
                 alt.Tooltip("series:N", title=t("whatif.chart.series", lang)),
                 alt.Tooltip("rate_text:N", title=t("whatif.chart.series", lang))],
    )
    bars = base.mark_bar().encode(
        x=alt.X("rate:Q", stack=None, title=t("whatif.chart.series", lang), axis=alt.Axis(format="%")),
        color=alt.Color("series:N", sort=[projected, now], title=None,
                        scale=alt.Scale(domain=[projected, now], range=["#9ecae1", "#08519c"]),
                        legend=alt.Legend(orient="top")),
        order=alt.Order("series:N", sort="descending"),
    )
    rule = alt.Chart(pd.DataFrame({"target": [target]})).mark_rule(color="#b30000", strokeWidth=2).encode(
        x="target:Q")
    st.altair_chart((bars + rule).properties(height=max(300, 19 * data["nama"].nunique())), width="stretch")


def _editor(kecamatan: pd.DataFrame, lang: str) -> dict[str, int]:
    st.caption(t("whatif.editor_help", lang))
    table = pd.DataFrame({
        "kode": kecamatan["kode"].to_numpy(),
        t("whatif.col.kecamatan", lang): kecamatan["nama"].to_numpy(),
        t("whatif.col.informal_uncovered", lang): [format_int(v, lang) for v in kecamatan["informal_uncovered"]],
        "asn": [0] * len(kecamatan),
    })
    edited = st.data_editor(
        table, key="wi_editor", hide_index=True, width="stretch", num_rows="fixed", height=420,
        disabled=["kode", t("whatif.col.kecamatan", lang), t("whatif.col.informal_uncovered", lang)],
        column_order=[t("whatif.col.kecamatan", lang), t("whatif.col.informal_uncovered", lang), "asn"],
        column_config={
            t("whatif.col.informal_uncovered", lang): st.column_config.TextColumn(alignment="right"),
            "asn": st.column_config.NumberColumn(t("whatif.col.asn", lang), min_value=0, step=1, format="%d",
                                                 required=True),
        },
    )
    asn = pd.to_numeric(edited["asn"], errors="coerce").fillna(0).astype(int)
    return dict(zip(edited["kode"], asn))


def _use_needed(total: int) -> None:
    st.session_state["wi_mode"] = "total"
    st.session_state["wi_asn_total"] = total
    st.session_state["wi_needed_shown"] = True


def default_by(today: dt.date) -> str:
    """The month the one-click answer aims at by default: December of this year."""
    return f"{today.year:04d}-12"


def needed_table(needed, lang: str) -> pd.DataFrame:
    """Sponsors needed per kecamatan for display, most first."""
    frame = needed.kecamatan.sort_values(["sponsors", "nama"], ascending=[False, True])
    return pd.DataFrame({
        t("whatif.col.kecamatan", lang): frame["nama"].to_numpy(),
        t("whatif.col.gap", lang): [format_int(v, lang) for v in frame["gap_to_target"]],
        t("whatif.col.already", lang): [format_int(v, lang) for v in frame["already_sponsored"]],
        t("whatif.col.needed", lang): [format_int(v, lang) for v in frame["sponsors"]],
        t("whatif.col.cost", lang): [format_rupiah(v, lang) for v in frame["yearly_cost_rp"]],
    })


def _needed_section(result, config, cohorts, lang: str) -> str:
    """One click: how many sponsored workers reach the target by a month, at what yearly cost; return the month."""
    months = month_options(dt.date.today(), back=0, ahead=60)
    st.session_state.setdefault("wi_by", default_by(dt.date.today()))
    left, right = st.columns([1, 2])
    by = left.selectbox(t("whatif.by", lang), months, key="wi_by", format_func=lambda m: format_period(m, lang),
                        help=t("whatif.by_help", lang))
    needed = sponsors_needed(result, config=config, cohorts=cohorts, by=by)
    target = format_percent(needed.target, lang, 0)
    right.markdown("<div style='height:1.9rem'></div>", unsafe_allow_html=True)
    right.button(t("whatif.needed_button_by", lang, target=target, month=format_period(by, lang)), key="wi_needed",
                 type="primary", on_click=_use_needed, args=(needed.total,))
    if st.session_state.get("wi_needed_shown"):
        st.success(t("whatif.needed_answer_by", lang, n=format_int(needed.total, lang), target=target,
                     month=format_period(by, lang), cost=format_rupiah(needed.yearly_cost_rp, lang),
                     already=format_int(needed.already_sponsored, lang)))
        with st.expander(t("whatif.needed_per_kecamatan", lang), expanded=False):
            table = needed_table(needed, lang)
            st.dataframe(table, hide_index=True, width="stretch", key="wi_needed_table",
                         column_config=right_aligned(list(table.columns[1:])))
    return by


def render() -> None:
    """Draw the what-if page."""
    lang = current_lang()
    data = dataset()
    result = data.result
    page_header(data, lang)
    st.title(t("whatif.title", lang))
    config = load_config()
    store = CohortStore(config.database)
    by = _needed_section(result, config, store.all(), lang)
    left, right = st.columns(2)
    st.session_state.setdefault("wi_mode", "total")  # state, not a default: the one-click answer sets it
    st.session_state.setdefault("wi_asn_total", DEFAULT_ASN)
    mode = left.segmented_control(t("whatif.mode", lang), ["total", "per_kecamatan"], key="wi_mode",
                                  required=True,
                                  format_func=lambda m: t(f"whatif.mode.{m}", lang))
    monthly = right.number_input(t("whatif.monthly", lang), min_value=0, step=100,
                                 value=int(config.monthly_contribution_rp), key="wi_monthly")
    config = dataclasses.replace(config, monthly_contribution_rp=float(monthly))
    if mode == "per_kecamatan":
        st.write(t("whatif.intro", lang, monthly=format_rupiah(monthly, lang, compact=False),
                   yearly=format_rupiah(monthly * config.months_per_year, lang, compact=False)))
        given: dict[str, object] = {"asn_per_kecamatan": _editor(result.kecamatan, lang)}
    else:
        total = left.number_input(t("whatif.asn_total", lang), min_value=0, step=100, key="wi_asn_total")
        st.write(t("whatif.intro", lang, monthly=format_rupiah(monthly, lang, compact=False),
                   yearly=format_rupiah(monthly * config.months_per_year, lang, compact=False)))
        st.caption(t("whatif.total_help", lang))
        given = {"asn_total": int(total)}
    try:
        scenario = asn_scenario(result.kecamatan, config=config, **given)
    except ValueError as exc:
        st.error(md("whatif.error", lang, detail=exc))
        return
    st.markdown(kpi_cards_html(whatif_cards(scenario, lang), "peta-whatif-kpis"), unsafe_allow_html=True)
    st.subheader(t("whatif.chart_title", lang))
    _chart(scenario, result.target, lang)
    table = whatif_table(scenario, lang)
    st.dataframe(table, hide_index=True, width="stretch", key="wi_table",
                 column_config=right_aligned(list(table.columns[1:])))

    headers = {"kode": t("export.field.kecamatan_code", lang), **{c: h for c, h in zip(
        ("nama", "informal_uncovered", "asn", "sponsored", "coverage_rate", "projected_rate", "change_rate",
         "yearly_cost_rp"),
        (t("whatif.col.kecamatan", lang), t("whatif.col.informal_uncovered", lang), t("whatif.col.asn", lang),
         t("whatif.col.sponsored", lang), t("whatif.col.now", lang), t("whatif.col.projected", lang),
         t("whatif.col.change", lang), t("whatif.col.cost", lang)))}}
    notes = [t("whatif.intro", lang, monthly=format_rupiah(monthly, lang, compact=False),
               yearly=format_rupiah(monthly * config.months_per_year, lang, compact=False)),
             *([t("sample.banner", lang)] if data.is_sample else [])]
    buttons = st.container(horizontal=True)
    download_button(buttons,
        t("whatif.download_csv", lang),
        data=lambda: written_bytes(lambda p: write_table(scenario.kecamatan, p, headers), ".csv"),
        file_name="simulasi_asn.csv", mime="text/csv", key="wi_dl_csv", on_click="ignore")
    download_button(buttons,
        t("whatif.download_xlsx", lang),
        data=lambda: written_bytes(lambda p: write_table(scenario.kecamatan, p, headers, sheet_name=t("whatif.sheet", lang),
                                                      notes=notes), ".xlsx"),
        file_name="simulasi_asn.xlsx", mime=XLSX_MIME, key="wi_dl_xlsx", on_click="ignore")
    cohorts_section(result, store, by, lang)

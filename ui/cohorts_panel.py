"""What-if page: sponsored cohorts (record, list, remove) and the monthly coverage forecast they give.

Cohorts are stored in the app database (:class:`analysis.cohorts.CohortStore`);
the forecast is :func:`analysis.cohorts.forecast_for`, the same function
``python -m analysis whatif`` prints.
"""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

from analysis.cohorts import CohortStore, forecast_for
from core.errors import PetaCakupanError
from core.formatting import format_change_pp, format_int, format_percent
from core.i18n import t
from ingest.cohorts import (
    FUNDING_SOURCES,
    Cohort,
    check_cohort,
    month_text,
    months_between,
)
from render.exports.text import format_period
from ui.access import audit, can
from ui.markdown import md_value
from ui.outreach_widgets import layer
from ui.tables import right_aligned


def month_options(today: dt.date, back: int = 24, ahead: int = 36) -> list[str]:
    """Months offered by the month pickers: ``back`` months before ``today`` to ``ahead`` after."""
    now = pd.Period(month_text(today), "M")
    return months_between(str(now - back), str(now + ahead))


def area_options(lang: str) -> dict[str, str]:
    """``{code: label}``: every kecamatan, then every desa (named with its kecamatan)."""
    kec = layer("kecamatan").sort_values("nama")
    desa = layer("desa").sort_values(["nama", "kecamatan"])
    out = {k: t("cohort.area_kecamatan", lang, kecamatan=n) for k, n in zip(kec["kode"], kec["nama"])}
    out.update({k: t("cohort.area_desa", lang, desa=n, kecamatan=kc)
                for k, n, kc in zip(desa["kode"], desa["nama"], desa["kecamatan"])})
    return out


def cohort_display(cohorts: list[Cohort], lang: str) -> pd.DataFrame:
    """The stored cohorts for display."""
    areas = area_options(lang)
    return pd.DataFrame({
        t("cohort.col.count", lang): [format_int(c.count, lang) for c in cohorts],
        t("cohort.col.area", lang): [areas.get(c.kode, c.kode) for c in cohorts],
        t("cohort.col.source", lang): [t(f"cohort.source.{c.source}", lang) for c in cohorts],
        t("cohort.col.start", lang): [format_period(c.start_month, lang) for c in cohorts],
        t("cohort.col.end", lang): [format_period(c.end_month, lang) for c in cohorts],
    })


def forecast_display(months: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The forecast for display: month, sponsored, coverage, change, funding ending."""
    return pd.DataFrame({
        t("cohort.col.month", lang): [format_period(m, lang) for m in months["month"]],
        t("cohort.col.sponsored", lang): [format_int(v, lang) for v in months["sponsored"]],
        t("cohort.col.rate", lang): [format_percent(v, lang, 2) for v in months["coverage_rate"]],
        t("cohort.col.change", lang): [format_int(v, lang) if v <= 0 else f"+{format_int(v, lang)}"
                                       for v in months["change"]],
        t("cohort.col.ending", lang): [format_int(v, lang) for v in months["ending"]],
    })


def _add_form(store: CohortStore, lang: str) -> None:
    areas, months = area_options(lang), month_options(dt.date.today())
    this_month = month_text(dt.date.today())
    with st.form("cohort_form"):
        st.markdown("**" + t("cohort.form_title", lang) + "**")
        left, right = st.columns(2)
        count = left.number_input(t("cohort.count", lang), min_value=1, step=10, value=100, key="cohort_count")
        source = right.selectbox(t("cohort.source", lang), list(FUNDING_SOURCES), key="cohort_source",
                                 format_func=lambda s: t(f"cohort.source.{s}", lang))
        area = st.selectbox(t("cohort.area", lang), list(areas), index=None, key="cohort_area",
                            format_func=areas.get, placeholder=t("cohort.area_placeholder", lang))
        left, right = st.columns(2)
        start = left.selectbox(t("cohort.start", lang), months, index=months.index(this_month), key="cohort_start",
                               format_func=lambda m: format_period(m, lang))
        end = right.selectbox(t("cohort.end", lang), months, index=months.index(this_month) + 11, key="cohort_end",
                              format_func=lambda m: format_period(m, lang))
        if st.form_submit_button(t("cohort.save", lang)):
            try:
                cohort_id = store.add(check_cohort(count, area, source, start, end, areas))
            except PetaCakupanError as exc:
                st.error(md_value(exc, lang))
            else:
                audit("settings", setting="cohort_added", id=cohort_id, count=int(count), source=source)
                st.rerun()


def cohorts_section(result, store: CohortStore, by: str, lang: str) -> list[Cohort]:
    """Record and list cohorts, forecast coverage month by month; return the cohorts."""
    st.subheader(t("cohort.title", lang))
    st.caption(t("cohort.intro", lang))
    if can("settings"):
        _add_form(store, lang)
    cohorts = store.all()
    if not cohorts:
        st.caption(t("cohort.none", lang))
        return cohorts
    st.dataframe(cohort_display(cohorts, lang), hide_index=True, width="stretch", key="cohort_table",
                 column_config=right_aligned([t("cohort.col.count", lang)]))
    if not can("settings"):
        return _forecast(result, cohorts, by, lang)
    labels = {c.id: t("cohort.option", lang, n=format_int(c.count, lang), source=t(f"cohort.source.{c.source}", lang),
                      start=format_period(c.start_month, lang), end=format_period(c.end_month, lang)) for c in cohorts}
    remove_cols = st.columns([3, 1])
    chosen = remove_cols[0].selectbox(t("cohort.remove_which", lang), list(labels), key="cohort_remove_id",
                                      format_func=labels.get)
    remove_cols[1].markdown("<div style='height:1.9rem'></div>", unsafe_allow_html=True)
    if remove_cols[1].button(t("cohort.remove", lang), key="cohort_remove"):
        store.delete(chosen)
        audit("settings", setting="cohort_removed", id=chosen)
        st.rerun()
    return _forecast(result, cohorts, by, lang)


def _forecast(result, cohorts: list[Cohort], by: str, lang: str) -> list[Cohort]:
    """The month-by-month forecast of the cohorts; returns them."""
    months = forecast_for(result, cohorts, by=by)
    st.markdown("**" + t("cohort.forecast_title", lang) + "**")
    _forecast_chart(months, result.target, lang)
    drops = months[months["change"] < 0]
    for row in drops.itertuples():
        st.warning(t("cohort.drop", lang, month=format_period(row.month, lang), n=format_int(-row.change, lang),
                     change=format_change_pp(row.change / float(result.kabupaten["workers"]), lang, 2)))
    table = forecast_display(months, lang)
    st.dataframe(table, hide_index=True, width="stretch", key="cohort_forecast",
                 column_config=right_aligned(list(table.columns[1:])))
    return cohorts


#: Vega-Lite axis labels use a decimal point; Indonesian readers expect a comma (24,5%).
DECIMAL_COMMA = "replace(datum.label, '.', ',')"


def _forecast_chart(months: pd.DataFrame, target: float, lang: str) -> None:
    """Coverage by month as steps; the axis fits the forecast (a drop of a few tenths of a point stays visible),
    and the target line is drawn only when it is within reach of the axis (the caption gives it otherwise)."""
    data = pd.DataFrame({"month": pd.to_datetime(months["month"] + "-01"), "rate": months["coverage_rate"],
                         "label": [format_period(m, lang) for m in months["month"]],
                         "rate_text": [format_percent(v, lang, 2) for v in months["coverage_rate"]]})
    low, high = float(data["rate"].min()), float(data["rate"].max())
    show_target = target <= high + 0.05
    line = alt.Chart(data).mark_line(point=True, interpolate="step-after", color="#08519c").encode(
        x=alt.X("month:T", title=None, axis=alt.Axis(format="%m/%Y")),
        y=alt.Y("rate:Q", title=t("cohort.col.rate", lang),
                axis=alt.Axis(format=".1%", labelExpr=DECIMAL_COMMA if lang == "id" else None),
                scale=alt.Scale(zero=False, domain=[max(0.0, low - 0.01), (max(high, target) if show_target
                                                                           else high) + 0.01])),
        tooltip=[alt.Tooltip("label:N", title=t("cohort.col.month", lang)),
                 alt.Tooltip("rate_text:N", title=t("cohort.col.rate", lang))])
    chart = line
    if show_target:
        chart = line + alt.Chart(pd.DataFrame({"target": [target]})).mark_rule(
            color="#b30000", strokeWidth=2, strokeDash=[6, 4]).encode(y="target:Q")
    st.altair_chart(chart.properties(height=260), width="stretch")
    st.caption(t("cohort.chart_caption", lang, target=format_percent(target, lang, 0),
                 gap=format_int(int(months["gap_to_target"].iloc[-1]), lang),
                 month=format_period(months["month"].iloc[-1], lang)))

"""Map page: the coverage trend by period with the target line, the pace and the pace needed.

The figures are :func:`analysis.trend.dataset_trend` (the same as
``python -m analysis trend``); the sentences are
:func:`render.exports.text.trend_sentences` (the same as the PDF briefing).
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from analysis.config import load_config
from analysis.trend import Trend, dataset_trends, month_index
from core.errors import PetaCakupanError
from core.formatting import format_percent
from core.i18n import t
from render.exports.text import format_period, trend_sentences
from ui.common import dataset_key, session_memo
from ui.fingerprint import fingerprint
from ui.markdown import md_escape, md_value


def trend_chart_data(trends: list[Trend], lang: str) -> pd.DataFrame:
    """Long form for the chart: the rates of each area, and two projections from its latest period to the target
    month (at the current pace, and at the pace needed)."""
    rows = []
    for trend in trends:
        for period, rate in zip(trend.periods["period"], trend.periods["coverage_rate"]):
            rows.append({"area": trend.nama, "series": t("trend.series.data", lang), "period": period,
                         "rate": float(rate)})
        last_period, last_rate = trend.periods["period"].iloc[-1], trend.latest_rate
        months = month_index(trend.target_by) - month_index(last_period)
        if months <= 0:
            continue
        if trend.pace_pp is not None:
            rows += [{"area": trend.nama, "series": t("trend.series.pace", lang), "period": p, "rate": r}
                     for p, r in ((last_period, last_rate),
                                  (trend.target_by, min(1.0, last_rate + trend.pace_pp / 100 * months)))]
        if trend.needed_pp:
            rows += [{"area": trend.nama, "series": t("trend.series.needed", lang), "period": p, "rate": r}
                     for p, r in ((last_period, last_rate), (trend.target_by, trend.target))]
    frame = pd.DataFrame(rows, columns=["area", "series", "period", "rate"])
    frame["month"] = pd.to_datetime(frame["period"] + "-01")
    frame["label"] = [format_period(p, lang) for p in frame["period"]]
    frame["rate_text"] = [format_percent(r, lang) for r in frame["rate"]]
    return frame


def _show_change() -> None:
    st.session_state["metric"] = "change_rate"      # a callback: runs before the next run draws the selector


def trend_section(dataset, kecamatan: str | None, lang: str) -> None:
    """The trend of the kabupaten and, in a drill-down, of the kecamatan; a button puts the change since the
    previous period on the map.

    ``dataset`` is the data in use (:func:`ui.common.dataset`): its trends are computed once per session and
    settings file.
    """
    st.subheader(t("trend.title", lang))
    previous = dataset.result.previous_period
    if previous and st.session_state.get("metric") != "change_rate":
        st.button(t("trend.show_change", lang, period=format_period(previous, lang)), key="trend_show_change",
                  icon=":material/compare_arrows:", help=t("trend.show_change_help", lang), on_click=_show_change)
    try:
        areas = [None, kecamatan] if kecamatan else [None]
        config = load_config()              # read on every run: its target date may have been edited
        trends = session_memo("trends", fingerprint((dataset_key(dataset.result.target), areas, config)),
                              lambda: dataset_trends(dataset, areas, config))
    except PetaCakupanError as exc:
        st.info(md_value(exc, lang))
        return
    data = trend_chart_data(trends, lang)
    target = trends[0].target
    series = [t(f"trend.series.{s}", lang) for s in ("data", "pace", "needed")]
    base = alt.Chart(data).encode(
        x=alt.X("month:T", title=None, axis=alt.Axis(format="%Y")),
        y=alt.Y("rate:Q", title=t("metric.coverage_rate", lang), axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, min(1.0, target + 0.1)])),
        color=alt.Color("area:N", title=None, legend=alt.Legend(orient="top")),
        strokeDash=alt.StrokeDash("series:N", title=None, sort=series,
                                  scale=alt.Scale(domain=series, range=[[1, 0], [6, 4], [2, 3]]),
                                  legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("area:N", title=t("trend.col.area", lang)),
                 alt.Tooltip("series:N", title=t("trend.col.series", lang)),
                 alt.Tooltip("label:N", title=t("trend.col.period", lang)),
                 alt.Tooltip("rate_text:N", title=t("metric.coverage_rate", lang))],
    )
    lines = base.mark_line(point=True, strokeWidth=2.5)
    rule = alt.Chart(pd.DataFrame({"target": [target]})).mark_rule(color="#b30000", strokeWidth=2).encode(
        y="target:Q")
    st.altair_chart((lines + rule).properties(height=300), width="stretch")
    for trend in trends:
        st.markdown("**" + md_escape(trend.nama) + "** · " + md_escape(" ".join(trend_sentences(trend, lang)[1:-1])))
    st.caption(md_escape(trend_sentences(trends[0], lang)[-1]))      # the source comes from the settings file

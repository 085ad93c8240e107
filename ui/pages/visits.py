"""Visit log page: record a field visit, see the log and the projected coverage, export the log.

Validation is :func:`analysis.visits.validate_visit` (no future dates, a desa
of Garut, a team name, a whole number of workers >= 0); its message is shown
as it is.  The log lives in the SQLite file of the settings
(``$PETA_APP_DB`` or ``[visits] db_path``, ``data/app.db`` by default).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st
from babel.dates import format_date

from analysis.visits import (
    MAX_NOTES_CHARS,
    MAX_TEAM_CHARS,
    follow_up_counts,
    open_follow_ups,
)
from core.errors import AccessError, VisitValidationError
from core.formatting import format_int
from core.i18n import t
from render.exports.outreach import export_visits
from render.spreadsheet import written_bytes
from ui.access import audit, can, current_user, download_button, team_field
from ui.common import current_lang, dataset, page_header
from ui.markdown import md
from ui.outreach_widgets import layer, visit_log, visited_summary
from ui.tables import XLSX_MIME, right_aligned


def desa_options(desa: pd.DataFrame, lang: str) -> dict[str, str]:
    """``{kode: "Nama — Kec. X (kode)"}`` sorted by desa name, then kecamatan (for a searchable select)."""
    ordered = desa.sort_values(["nama", "kecamatan", "kode"])
    return {kode: t("visits.desa_option", lang, desa=nama, kecamatan=kec, kode=kode)
            for kode, nama, kec in zip(ordered["kode"], ordered["nama"], ordered["kecamatan"])}


def log_table(visits: pd.DataFrame, desa: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The visit log for display, newest first: every cell a string, numbers in the UI language."""
    names = pd.DataFrame(desa)[["kode", "nama", "kecamatan"]].set_index("kode")
    frame = visits.sort_values(["visit_date", "id"], ascending=False)
    return pd.DataFrame({
        t("visits.col.id", lang): [format_int(v, lang) for v in frame["id"]],
        t("visits.col.visit_date", lang): [format_date(d, "d MMM y", locale=lang) for d in frame["visit_date"]],
        t("visits.col.desa", lang): frame["kode_desa"].map(names["nama"]).fillna(frame["kode_desa"]).to_numpy(),
        t("visits.col.kecamatan", lang): frame["kode_desa"].map(names["kecamatan"]).fillna("").to_numpy(),
        t("visits.col.team", lang): frame["team"].to_numpy(),
        t("visits.col.enrolled", lang): [format_int(v, lang) for v in frame["enrolled"]],
        t("visits.col.promised", lang): [format_int(v, lang) for v in frame["promised"]],
        t("visits.col.follow_up", lang): ["" if d is None else format_date(d, "d MMM y", locale=lang)
                                          for d in frame["follow_up"]],
        t("visits.col.notes", lang): frame["notes"].to_numpy(),
        t("visits.col.recorded_at", lang): frame["recorded_at"].str.replace("T", " ").str[:16].to_numpy(),
    })


def follow_up_table(follow_ups: pd.DataFrame, desa: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Open follow-ups for display, most urgent first: every cell a string in the UI language."""
    names = pd.DataFrame(desa)[["kode", "nama", "kecamatan"]].set_index("kode")
    state = {"overdue": "visits.follow_up_state.overdue", "due": "visits.follow_up_state.due",
             "upcoming": "visits.follow_up_state.upcoming"}
    return pd.DataFrame({
        t("visits.col.status", lang): [t(state[s], lang, days=format_int(n, lang))
                                       for s, n in zip(follow_ups["status"], follow_ups["days_late"])],
        t("visits.col.follow_up", lang): [format_date(d, "d MMM y", locale=lang) for d in follow_ups["follow_up"]],
        t("visits.col.desa", lang): follow_ups["kode_desa"].map(names["nama"]).fillna(follow_ups["kode_desa"]).to_numpy(),
        t("visits.col.kecamatan", lang): follow_ups["kode_desa"].map(names["kecamatan"]).fillna("").to_numpy(),
        t("visits.col.team", lang): follow_ups["team"].to_numpy(),
        t("visits.col.promised", lang): [format_int(v, lang) for v in follow_ups["promised"]],
        t("visits.col.visit_date", lang): [format_date(d, "d MMM y", locale=lang) for d in follow_ups["visit_date"]],
    })


def team_count_table(counts: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Open follow-ups per team for display."""
    return pd.DataFrame({
        t("visits.col.team", lang): counts["team"].to_numpy(),
        t("visits.col.overdue", lang): [format_int(v, lang) for v in counts["overdue"]],
        t("visits.col.due", lang): [format_int(v, lang) for v in counts["due"]],
        t("visits.col.upcoming", lang): [format_int(v, lang) for v in counts["upcoming"]],
        t("visits.col.promised", lang): [format_int(v, lang) for v in counts["promised"]],
    })


def _follow_up_section(visits: pd.DataFrame, desa: pd.DataFrame, lang: str) -> None:
    follow_ups = open_follow_ups(visits)
    counts = follow_up_counts(follow_ups)
    urgent = follow_ups[follow_ups["status"] != "upcoming"]
    st.subheader(t("visits.follow_up_title", lang, n=format_int(len(urgent), lang)))
    if follow_ups.empty:
        st.caption(t("visits.follow_up_none", lang))
        return
    overdue = int((follow_ups["status"] == "overdue").sum())
    if overdue:
        st.warning(t("visits.follow_up_overdue", lang, n=format_int(overdue, lang)))
    number_columns = [t(f"visits.col.{c}", lang) for c in ("overdue", "due", "upcoming", "promised")]
    st.dataframe(team_count_table(counts, lang), hide_index=True, width="stretch", key="follow_up_teams",
                 column_config=right_aligned(number_columns))
    st.dataframe(follow_up_table(follow_ups, desa, lang), hide_index=True, width="stretch", key="follow_up_list",
                 column_config=right_aligned([t("visits.col.promised", lang)]))
    st.caption(t("visits.follow_up_rule", lang))


def _form(log, desa: pd.DataFrame, lang: str) -> None:
    if not can("record_visit"):
        return
    options = desa_options(desa, lang)
    st.subheader(t("visits.form_title", lang))
    with st.form("visit_form", border=True):
        left, right = st.columns(2)
        visit_date = left.date_input(t("visits.date", lang), value=dt.date.today(), key="visit_date",
                                     format="DD/MM/YYYY")
        kode = right.selectbox(t("visits.desa", lang), list(options), index=None, key="visit_desa",
                               format_func=options.get, placeholder=t("visits.desa_placeholder", lang))
        team = team_field(left, t("visits.team", lang), max_chars=MAX_TEAM_CHARS, key="visit_team",
                          help=t("visits.team_help", lang))
        enrolled = right.number_input(t("visits.enrolled", lang), min_value=0, step=1, value=0,
                                      key="visit_enrolled")
        promised = left.number_input(t("visits.promised", lang), min_value=0, step=1, value=0,
                                     key="visit_promised", help=t("visits.promised_help", lang))
        follow_up = right.date_input(t("visits.follow_up", lang), value=None, key="visit_follow_up",
                                     format="DD/MM/YYYY", help=t("visits.follow_up_help", lang))
        notes = st.text_area(t("visits.notes", lang), max_chars=MAX_NOTES_CHARS, key="visit_notes")
        st.caption(t("visits.privacy", lang))
        submitted = st.form_submit_button(t("visits.submit", lang), type="primary", key="visit_submit")
    if not submitted:
        return
    try:
        current_user().require("record_visit", team=team)
        visit_id = log.record_visit(visit_date, kode, team, int(enrolled), notes, promised=int(promised),
                                    follow_up=follow_up)
    except (VisitValidationError, AccessError) as exc:
        st.error(md("visits.invalid", lang, detail=exc))
        return
    audit("visit", id=visit_id, kode_desa=kode, team=team, enrolled=int(enrolled), promised=int(promised),
          visit_date=visit_date.isoformat())
    if follow_up:
        audit("follow_up", visit=visit_id, kode_desa=kode, team=team, follow_up=follow_up.isoformat())
    row = desa.set_index("kode").loc[kode]
    st.success(md("visits.saved", lang, desa=row["nama"], kecamatan=row["kecamatan"],
                 date=format_date(visit_date, "d MMMM y", locale=lang), n=format_int(enrolled, lang)))


def render() -> None:
    """Draw the visit log page."""
    lang = current_lang()
    data = dataset()
    page_header(data, lang)
    st.title(t("visits.title", lang))
    st.write(t("visits.intro", lang))
    log = visit_log()
    desa = pd.DataFrame(layer("desa")[["kode", "nama", "kecamatan"]])
    _form(log, desa, lang)

    visited_summary(data.result, lang, log)
    visits = log.visits()
    _follow_up_section(visits, desa, lang)
    st.subheader(t("visits.log_title", lang, n=format_int(len(visits), lang)))
    if visits.empty:
        st.info(t("visits.empty", lang))
        return
    table = log_table(visits, desa, lang)
    st.dataframe(table, hide_index=True, width="stretch", key="visits_table",
                 column_config=right_aligned([t("visits.col.id", lang), t("visits.col.enrolled", lang),
                                               t("visits.col.promised", lang)]))
    buttons = st.container(horizontal=True)
    download_button(buttons, t("visits.download_csv", lang),
                            data=lambda: written_bytes(lambda p: export_visits(log, p, desa, lang=lang), ".csv"),
                            file_name="log_kunjungan.csv", mime="text/csv", key="visits_dl_csv", on_click="ignore")
    download_button(buttons, t("visits.download_xlsx", lang),
                            data=lambda: written_bytes(lambda p: export_visits(log, p, desa, lang=lang), ".xlsx"),
                            file_name="log_kunjungan.xlsx", mime=XLSX_MIME, key="visits_dl_xlsx",
                            on_click="ignore")

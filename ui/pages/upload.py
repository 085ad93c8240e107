"""Upload page: read a coverage file, show its report, switch the maps to it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.dataset import load_coverage
from core.errors import PetaCakupanError
from core.formatting import format_int
from core.i18n import localize_all, t
from render.spreadsheet import write_table, written_bytes
from ui.common import UPLOAD_KEY, current_lang, dataset, page_header
from ui.markdown import md, md_value


def report_csv(frame: pd.DataFrame) -> bytes:
    """A report table as CSV, cells that a spreadsheet would run as formulas neutralised."""
    return written_bytes(lambda path: write_table(frame, path, {c: c for c in frame.columns}), ".csv")


def report_tables(report: dict, lang: str = "id") -> dict[str, pd.DataFrame]:
    """The rejected rows, the matched rows and the matches a person should confirm (texts in ``lang``)."""
    problems = pd.DataFrame(localize_all(report["problems"], lang),
                            columns=["row", "column", "value", "reason", "suggestion"])
    matches = pd.DataFrame(report["matches"], columns=["row", "input", "kode", "nama", "method"])
    return {
        "rejected": problems,
        "matched": matches,
        "to_confirm": matches[matches["method"].isin(["alias", "fuzzy"])],
    }


def render() -> None:
    """Draw the upload page."""
    lang = current_lang()
    page_header(dataset(), lang)
    st.title(t("upload.title", lang))
    st.write(t("upload.intro", lang))
    upload = st.file_uploader(t("upload.file_label", lang), type=["csv", "xlsx"], key="upload_file")
    if st.session_state.get(UPLOAD_KEY) is not None:
        st.info(md("upload.in_use", lang, name=st.session_state[UPLOAD_KEY][0]))
        if st.button(t("upload.use_sample", lang)):
            st.session_state[UPLOAD_KEY] = None
            st.rerun()
    if upload is None:
        return
    content = upload.getvalue()
    sheet = st.session_state.get("upload_sheet")
    try:
        data = load_coverage(content, filename=upload.name, sheet=sheet)
    except PetaCakupanError as exc:
        st.error(md("error.file_unreadable", lang, detail=exc))
        sheets = getattr(exc, "sheets", None)
        if sheets:
            st.selectbox(t("upload.choose_sheet", lang), sheets, index=None, key="upload_sheet")
        return
    report = data.ingest.report
    cols = st.columns(3)
    cols[0].metric(t("upload.rows_in", lang), format_int(report["rows_in"], lang))
    cols[1].metric(t("upload.rows_matched", lang), format_int(report["rows_matched"], lang))
    cols[2].metric(t("upload.rows_rejected", lang), format_int(report["rows_rejected"], lang))
    for note in data.ingest.notes:
        st.caption(md_value(note, lang))
    if data.ingest.personal_columns:
        st.warning(md("upload.personal_dropped", lang, columns=", ".join(data.ingest.personal_columns)))
    tables = report_tables(report, lang)
    for name, frame in tables.items():
        st.subheader(t(f"upload.table.{name}", lang, n=len(frame)))
        st.dataframe(frame, hide_index=True, width="stretch")
        st.download_button(t("upload.download_csv", lang), data=lambda frame=frame: report_csv(frame),
                           file_name=f"laporan_unggah_{name}.csv", mime="text/csv", key=f"dl_{name}",
                           on_click="ignore")
    if data.result is None and report["rows_matched"]:
        st.info(
            t(
                "upload.participants_only",
                lang,
                covered=format_int(int(data.ingest.table["covered"].sum()), lang),
            )
        )
        counts = data.ingest.table[["kode", "period", "covered", "covered_formal", "covered_informal"]]
        st.dataframe(counts, hide_index=True, width="stretch")
    elif report["rows_matched"]:
        if st.button(t("upload.use_this", lang), type="primary"):
            st.session_state[UPLOAD_KEY] = (upload.name, content)
            st.success(t("upload.switched", lang))
    else:
        st.error(t("error.no_rows", lang))

"""Upload page: read a coverage file, show its report, switch the maps to it."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from analysis.config import load_config
from analysis.dataset import load_coverage
from core.errors import PetaCakupanError
from core.formatting import Figure, format_int
from core.i18n import STRINGS, Joined, Message, localize_all, t
from ingest.headers import IGNORE, ROLES
from ingest.mappings import MappingStore, header_signature
from render.spreadsheet import write_table, written_bytes
from render.template import template_bytes
from ui.access import audit, audit_upload, download_button
from ui.common import (
    UPLOAD_KEY,
    current_lang,
    dataset,
    page_header,
    workers_estimate_warning,
)
from ui.markdown import md, md_value
from ui.programmes import programme_section
from ui.tables import XLSX_MIME


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


def problems_not_listed(report: dict) -> Message | None:
    """What a report's listing leaves out (it lists the first problems only), or None when it lists them all."""
    total, shown = int(report.get("problems_total", 0)), len(report["problems"])
    if total <= shown:
        return None
    counts = sorted(report["problem_counts"].items(), key=lambda item: -item[1])
    reasons = Joined([Message("upload.reason_count", n=Figure(n, "count"),
                              reason=Message(f"reason.{r}") if f"reason.{r}" in STRINGS["id"] else r)
                      for r, n in counts], sep="; ")
    return Message("upload.problems_not_listed", shown=Figure(shown, "count"), total=Figure(total, "count"),
                   reasons=reasons)


def for_people(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A report table as a person reads it: headers, reasons and match methods in ``lang``."""
    out = frame.copy()
    if "reason" in out:
        out["reason"] = out["reason"].map(lambda r: t(f"reason.{r}", lang) if f"reason.{r}" in STRINGS[lang] else r)
    if "method" in out:
        out["method"] = out["method"].map(lambda m: t(f"upload.method.{m}", lang))
    return out.rename(columns={c: t(f"upload.col.{c}", lang) for c in out.columns})


#: Session key: upload content hash -> the column mapping applied to it.
MAPPING_KEY = "column_mapping"


def _mapping_store() -> MappingStore:
    return MappingStore(load_config().database)


def _apply_remembered(upload_id: str, columns: list[dict]) -> bool:
    """Apply the mapping a person confirmed for this header before; True when there is one."""
    remembered = _mapping_store().get(header_signature(c["column"] for c in columns))
    if not remembered:
        return False
    st.session_state[MAPPING_KEY][upload_id] = remembered
    return True


def _role_label(role: str, lang: str) -> str:
    return t("role.ignore", lang) if role == IGNORE else f"{role} — {t(f'role.{role}', lang)}"


def column_mapping_step(columns: list[dict], lang: str, upload_id: str, expanded: bool) -> None:
    """Each file column with its first values and a role chooser (pre-filled with the best guess).

    Confirming applies the mapping to this upload and remembers it for files
    with the same header.  Personal columns are listed without values and
    cannot be given a role.
    """
    with st.expander(t("upload.mapping.title", lang), expanded=expanded):
        st.caption(t("upload.mapping.help", lang))
        options = [IGNORE, *ROLES]
        with st.form(f"mapping_{upload_id[:12]}"):
            chosen: dict[str, str] = {}
            for i, column in enumerate(columns):
                name_col, preview_col, role_col = st.columns([3, 4, 4])
                name_col.text(column["column"])
                if column["personal"]:
                    preview_col.text(t("upload.mapping.personal", lang))
                    continue
                preview_col.text(" · ".join(column["preview"]) or "—")
                default = column["role"] or column["closest"] or IGNORE
                chosen[column["column"]] = role_col.selectbox(
                    md("upload.mapping.role_for", lang, column=column["column"]), options,
                    index=options.index(default) if default in options else 0,
                    format_func=lambda role: _role_label(role, lang), key=f"map_{upload_id[:12]}_{i}",
                    label_visibility="collapsed")
            if st.form_submit_button(t("upload.mapping.apply", lang), type="primary"):
                st.session_state[MAPPING_KEY][upload_id] = chosen
                _mapping_store().put(header_signature(c["column"] for c in columns), chosen)
                audit("settings", setting="column_mapping", columns=len(chosen))
                st.rerun()


def render() -> None:
    """Draw the upload page: the coverage file, then the desa programme table."""
    lang = current_lang()
    _coverage_section(lang)
    st.divider()
    programme_section(lang)


def _coverage_section(lang: str) -> None:
    """Read a coverage file, show its report, and switch the maps to it."""
    page_header(dataset(), lang)
    st.title(t("upload.title", lang))
    st.write(t("upload.intro", lang))
    download_button(st, t("upload.template", lang), data=lambda: template_bytes("xlsx", lang),
                       file_name="templat_cakupan_garut.xlsx", mime=XLSX_MIME, key="dl_template",
                       on_click="ignore")
    upload = st.file_uploader(t("upload.file_label", lang), type=["csv", "xlsx"], key="upload_file")
    if st.session_state.get(UPLOAD_KEY) is not None:
        st.info(md("upload.in_use", lang, name=dataset().source_name))
        if st.button(t("upload.use_sample", lang)):
            st.session_state[UPLOAD_KEY] = None
            audit("dataset_switch", to="sample")
            st.rerun()
    if upload is None:
        return
    content = upload.getvalue()
    sheet = st.session_state.get("upload_sheet")
    upload_id = hashlib.sha256(content).hexdigest()
    applied = st.session_state.setdefault(MAPPING_KEY, {}).get(upload_id)
    try:
        data = load_coverage(content, filename=upload.name, sheet=sheet, columns=applied)
    except PetaCakupanError as exc:
        columns = getattr(exc, "columns", None)
        if columns and applied is None and _apply_remembered(upload_id, columns):
            st.rerun()
        audit_upload("coverage", upload, problem=exc.key)
        st.error(md("error.file_unreadable", lang, detail=exc))
        sheets = getattr(exc, "sheets", None)
        if sheets:
            st.selectbox(t("upload.choose_sheet", lang), sheets, index=None, key="upload_sheet")
        if columns:
            column_mapping_step(columns, lang, upload_id, expanded=True)
        return
    if applied is None and _apply_remembered(upload_id, data.ingest.columns):
        st.rerun()
    report = data.ingest.report
    audit_upload("coverage", upload, report["rows_in"], report["rows_matched"], report["rows_rejected"])
    cols = st.columns(3)
    cols[0].metric(t("upload.rows_in", lang), format_int(report["rows_in"], lang))
    cols[1].metric(t("upload.rows_matched", lang), format_int(report["rows_matched"], lang))
    cols[2].metric(t("upload.rows_rejected", lang), format_int(report["rows_rejected"], lang))
    for note in data.ingest.notes:
        st.caption(md_value(note, lang))
    unsure = any(c["role"] is None and not c["personal"] for c in data.ingest.columns)
    column_mapping_step(data.ingest.columns, lang, upload_id, expanded=unsure)
    workers_estimate_warning(data.workers_estimate, lang)
    if data.ingest.personal_columns:
        st.warning(md("upload.personal_dropped", lang, columns=", ".join(data.ingest.personal_columns)))
    tables = {name: for_people(frame, lang) for name, frame in report_tables(report, lang).items()}
    for name, frame in tables.items():
        st.subheader(t(f"upload.table.{name}", lang, n=len(frame)))
        if name == "rejected" and problems_not_listed(report):
            st.caption(md_value(problems_not_listed(report), lang))
        st.dataframe(frame, hide_index=True, width="stretch")
        download_button(st, t("upload.download_csv", lang), data=lambda frame=frame: report_csv(frame),
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
        alone, update = st.columns(2)
        if alone.button(t("upload.use_this", lang), type="primary"):
            st.session_state[UPLOAD_KEY] = (upload.name, content, applied)
            audit("dataset_switch", to="upload", file=upload.name, sha256=upload_id)
            st.success(t("upload.switched", lang))
        current = st.session_state.get(UPLOAD_KEY)
        if data.workers_estimate is None and update.button(
                t("upload.update_current", lang, n=format_int(report["rows_matched"], lang)),
                help=t("upload.update_current_help", lang)):
            if isinstance(current, dict):
                combined = {"base": current["base"], "updates": [*current["updates"], (upload.name, content, applied)]}
            else:
                combined = {"base": current, "updates": [(upload.name, content, applied)]}
            try:
                st.session_state[UPLOAD_KEY] = combined
                dataset()
            except PetaCakupanError as exc:
                st.session_state[UPLOAD_KEY] = current
                st.error(md("error.file_unreadable", lang, detail=exc))
            else:
                audit("dataset_switch", to="update", file=upload.name, sha256=upload_id, rows=report["rows_matched"])
                st.success(md("upload.updated", lang, name=upload.name, n=format_int(report["rows_matched"], lang)))
    else:
        st.error(t("error.no_rows", lang))

"""The desa programme table in use (Desa Sadar Jamsostek, perangkat desa, Perisai agents) and its upload section.

The table is none until the user uploads one or takes the illustrative one on
the upload page; while it is in use the desa map's tooltip and the desa card
show each desa's programmes (:mod:`analysis.desa_programmes`).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.desa_programmes import PROGRAMME_FIELDS
from analysis.sample_programmes import SAMPLE_PROGRAMMES_PATH, is_sample_programmes
from core.errors import PetaCakupanError
from core.formatting import format_int
from core.i18n import localize, t
from geo.boundaries import region_name
from geo.region import region_in_use
from ingest.desa_programmes import ProgrammeCheck, read_desa_programmes
from ui.access import audit, audit_upload
from ui.markdown import md
from ui.tables import problems_table

#: Session key of the desa programme table in use: (file name, bytes).
PROGRAMMES_KEY = "desa_programmes"


@st.cache_data(show_spinner=False, max_entries=4)
def _checked(content: bytes, filename: str, region: str) -> ProgrammeCheck:
    return read_desa_programmes(content, filename=filename, region=region)


def programmes_in_use() -> tuple[pd.DataFrame, bool] | None:
    """``(table, illustrative)`` of the desa programme table in use, or None."""
    chosen = st.session_state.get(PROGRAMMES_KEY)
    if chosen is None:
        return None
    name, content = chosen
    return _checked(content, name, region_in_use()).table, is_sample_programmes(content)


def tooltip_rows(lang: str, illustrative: bool) -> list[tuple[str, str, str | None]]:
    """The map tooltip's programme rows ``(column, label, kind)`` (labelled ILUSTRATIF when so)."""
    suffix = f" ({t('companies.illustrative_short', lang)})" if illustrative else ""
    labels = {"programme_sadar": t("programmes.col.sadar", lang) + suffix,
              "programme_perangkat": t("programmes.col.perangkat", lang),
              "programme_perisai": t("programmes.col.perisai", lang)}
    kinds = {"programme_sadar": "text", "programme_perangkat": "text", "programme_perisai": "count"}
    return [(column, labels[column], kinds[column]) for column in PROGRAMME_FIELDS]


def card_line(row: pd.Series, lang: str, illustrative: bool = False) -> str | None:
    """The desa card's programme line (safe Markdown), or None when the desa is not in the table.

    An illustrative table's line says so.
    """
    if all(row.get(c) is None for c in PROGRAMME_FIELDS):
        return None
    shown = {c: "-" if row.get(c) is None else localize(row.get(c), lang) for c in PROGRAMME_FIELDS}
    line = md("programmes.card", lang, sadar=str(shown["programme_sadar"]),
              perangkat=str(shown["programme_perangkat"]), perisai=str(shown["programme_perisai"]))
    return line + (" " + md("programmes.card_illustrative", lang) if illustrative else "")


def programme_section(lang: str) -> None:
    """Upload a desa programme table, or take the illustrative one; what is in use."""
    st.subheader(t("programmes.upload.title", lang))
    st.caption(t("programmes.upload.help", lang, region=region_name()))
    chosen = st.session_state.get(PROGRAMMES_KEY)
    if chosen is not None:
        label = t("programmes.illustrative_label", lang) if is_sample_programmes(chosen[1]) else chosen[0]
        st.info(md("programmes.upload.in_use", lang, name=label))
        if st.button(t("programmes.upload.stop", lang), key="programmes_stop"):
            st.session_state[PROGRAMMES_KEY] = None
            audit("dataset_switch", kind="programmes", to="none")
            st.rerun()
    elif st.button(t("programmes.upload.sample", lang), key="programmes_sample"):
        st.session_state[PROGRAMMES_KEY] = (SAMPLE_PROGRAMMES_PATH.name, SAMPLE_PROGRAMMES_PATH.read_bytes())
        audit("dataset_switch", kind="programmes", to="sample")
        st.rerun()
    upload = st.file_uploader(t("programmes.upload.file", lang), type=["csv", "txt", "xlsx"], key="programmes_file")
    if upload is None:
        return
    try:
        check = _checked(upload.getvalue(), upload.name, region_in_use())
    except PetaCakupanError as exc:
        audit_upload("programmes", upload, problem=exc.key)
        st.error(md("companies.upload.unreadable", lang, detail=exc))
        return
    audit_upload("programmes", upload, check.rows_in, check.rows_matched, check.rows_rejected)
    st.markdown(md("companies.upload.counts", lang, rows=format_int(check.rows_in, lang),
                   matched=format_int(check.rows_matched, lang), rejected=format_int(check.rows_rejected, lang)))
    if check.problems:
        st.dataframe(problems_table(check.problems, lang), hide_index=True, width="stretch")
    if check.rows_matched and st.button(t("programmes.upload.use", lang), type="primary", key="programmes_use"):
        st.session_state[PROGRAMMES_KEY] = (upload.name, upload.getvalue())
        audit("dataset_switch", kind="programmes", to="upload", file=upload.name)
        st.rerun()

"""Table widgets shared by the pages: right-aligned number columns, download types."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.formatting import format_int
from core.i18n import localize, t

#: MIME type of the XLSX downloads.
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def right_aligned(columns: list[str]) -> dict[str, object]:
    """``column_config`` aligning formatted numbers (text cells) to the right."""
    return {c: st.column_config.TextColumn(c, alignment="right") for c in columns}


def problems_table(problems: list, lang: str, with_status: bool = True) -> pd.DataFrame:
    """An upload's row problems (:class:`ingest.problems.Problem`) for display: row, column, cell, problem, fix.

    ``with_status`` adds whether each row was rejected or kept (a warning).
    """
    table = {
        t("companies.col.row", lang): [format_int(p.row, lang) for p in problems],
        t("companies.col.column", lang): [p.column for p in problems],
        t("companies.col.value", lang): [localize(p.value, lang) for p in problems],
        t("companies.col.reason", lang): [localize(p.reason, lang) for p in problems],
        t("companies.col.fix", lang): [localize(p.suggestion, lang) for p in problems],
    }
    if with_status:
        table[t("companies.col.rejected", lang)] = [t("companies.rejected", lang) if p.rejected
                                                    else t("companies.kept", lang) for p in problems]
    return pd.DataFrame(table)

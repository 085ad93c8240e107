"""Table widgets shared by the pages: right-aligned number columns, download types."""

from __future__ import annotations

import streamlit as st

#: MIME type of the XLSX downloads.
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def right_aligned(columns: list[str]) -> dict[str, object]:
    """``column_config`` aligning formatted numbers (text cells) to the right."""
    return {c: st.column_config.TextColumn(c, alignment="right") for c in columns}

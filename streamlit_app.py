"""Peta Cakupan Jamsostek Garut: the Streamlit app (thin UI).

Run with ``make run``.  Pages live in ``ui/``; every figure they show comes
from ``analysis``/``geo`` functions that the CLI calls too.
"""

from __future__ import annotations

import streamlit as st

from analysis.i18n import t
from ui import page_map, page_upload
from ui.common import language_control, seed_from_query

st.set_page_config(page_title="Peta Cakupan Jamsostek Garut", page_icon="🗺️", layout="wide")
seed_from_query()
lang = language_control()
pages = [
    st.Page(page_map.render, title=t("nav.map", lang), url_path="peta", default=True),
    st.Page(page_upload.render, title=t("nav.upload", lang), url_path="unggah"),
]
st.navigation(pages).run()

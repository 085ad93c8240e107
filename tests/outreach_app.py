"""A tiny Streamlit app showing only the outreach pages (for AppTest and browser tests).

``streamlit run tests/outreach_app.py`` serves the priorities page; the query
parameter ``?page=visits``, ``?page=whatif`` or ``?page=companies`` picks another outreach page.
The visit log is wherever ``$PETA_APP_DB`` points (tests use a temporary file).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from ui.pages import companies as page_companies  # noqa: E402
from ui.pages import priorities as page_priorities
from ui.pages import visits as page_visits
from ui.pages import whatif as page_whatif

st.set_page_config(page_title="Peta Cakupan Jamsostek Garut", layout="wide")
PAGES = {"priorities": page_priorities.render, "visits": page_visits.render, "whatif": page_whatif.render,
         "companies": page_companies.render}
st.session_state.setdefault("lang", st.query_params.get("lang", "id"))
PAGES.get(st.query_params.get("page", "priorities"), page_priorities.render)()

"""Peta Cakupan Jamsostek Garut: the Streamlit app (thin UI).

Run with ``make run``.  Pages live in ``ui/``; every figure they show comes
from ``analysis``/``geo`` functions that the CLI calls too.  The sign-in
(:func:`ui.auth.signed_in_user`) runs before anything else: until it
returns, only the login form is sent.  Each page is listed (and so can be
opened, by link or typed address) only for the roles that hold its
permission in ``analysis/access.json``.
"""

from __future__ import annotations

import streamlit as st

from core.i18n import t
from ui.auth import account_panel, signed_in_user
from ui.common import language_control, prepare_region, seed_from_query
from ui.pages import admin as page_admin
from ui.pages import companies as page_companies
from ui.pages import map as page_map
from ui.pages import priorities as page_priorities
from ui.pages import upload as page_upload
from ui.pages import visits as page_visits
from ui.pages import whatif as page_whatif

st.set_page_config(page_title="Peta Cakupan Jamsostek Garut", page_icon="🗺️", layout="wide")
prepare_region()   # a region's first use builds its boundaries, with progress (no coverage figures)
seed_from_query()  # the view asked for in the URL, kept for after the sign-in
lang = language_control()
user = signed_in_user(lang)   # stops the run at the login form until someone has signed in
account_panel(user, lang)
#: (url path, page); the path names the page's permission in analysis/access.json.  (A default page's own
#: ``url_path`` is empty: it is served at "/", so the permission is looked up by the path declared here.)
pages = [
    ("beranda", st.Page(page_map.render, title=t("nav.map", lang), url_path="beranda", default=True)),
    # The default page is served at "/" only; this hidden twin makes the declared path /peta open the map too.
    ("peta", st.Page(page_map.render, title=t("nav.map", lang), url_path="peta", visibility="hidden")),
    ("prioritas", st.Page(page_priorities.render, title=t("prio.nav", lang), url_path="prioritas")),
    ("kunjungan", st.Page(page_visits.render, title=t("visits.nav", lang), url_path="kunjungan")),
    ("simulasi-asn", st.Page(page_whatif.render, title=t("whatif.nav", lang), url_path="simulasi-asn")),
    ("perusahaan", st.Page(page_companies.render, title=t("companies.nav", lang), url_path="perusahaan")),
    ("unggah", st.Page(page_upload.render, title=t("nav.upload", lang), url_path="unggah")),
    ("admin", st.Page(page_admin.render, title=t("admin.nav", lang), url_path="admin")),
]
st.navigation([page for path, page in pages if user.may_open(path)]).run()

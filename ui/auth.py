"""Sign-in for the app: the gate every run passes before anything else is drawn.

:func:`signed_in_user` is called by the router first.  Until a user has
signed in it draws only the login form (and the language switch) and stops
the run, so no map, figure or table reaches the browser.  A session is
server-side (``st.session_state``): it ends after the idle time or the
longest session of ``analysis/access.json``, when the user signs out, or
when an admin changes the account (its session version moves on).

``PETA_AUTH=off`` is the single-user local mode: no login, every
permission, and a banner on every page saying so.
"""

from __future__ import annotations

import json

import streamlit as st

from analysis.accounts import AccountStore, User, access_policy, local_user, normalise_username
from analysis.audit import AuditLog
from analysis.config import load_config
from core.errors import AccessError
from core.i18n import t
from ui.access import USER_KEY, remember_user
from ui.html import local_mode_html
from ui.markdown import md, md_value

SESSION_KEY = "auth_session"
#: The browser cookie that holds the session token, so a reload or a typed address keeps the sign-in.
COOKIE = "peta_session"
_COOKIE_KEY = "auth_cookie"


def _store() -> AccountStore:
    return AccountStore(load_config().database)


def signed_in_user(lang: str) -> User:
    """The user of this session; draws the login (or password-change) form and stops the run until there is one."""
    if not load_config().auth:
        st.markdown(local_mode_html(t("auth.local_mode", lang)), unsafe_allow_html=True)
        user = local_user()
        remember_user(user)
        return user
    st.session_state.pop(USER_KEY, None)
    user = _session_user()
    _write_cookie()
    if user is None:
        _login_form(lang)
        st.stop()
    if user.must_change:
        _change_password_form(user, lang)
        st.stop()
    remember_user(user)
    return user


def _session_user() -> User | None:
    """The user of this tab's session, or of the browser's cookie (a reload); None once it has ended."""
    session = st.session_state.get(SESSION_KEY)
    token = session["token"] if session else st.context.cookies.get(COOKIE)
    if not isinstance(token, str) or not token:
        return None
    user = _store().resume_session(token)
    if user is None:
        st.session_state.pop(SESSION_KEY, None)
        st.session_state[_COOKIE_KEY] = ""            # forget the cookie too
        if session:
            st.session_state["auth_notice"] = "auth.ended"
        return None
    st.session_state[SESSION_KEY] = {"token": token}
    return user


def _start_session(user: User) -> None:
    token = _store().open_session(user)
    st.session_state[SESSION_KEY] = {"token": token}
    st.session_state[_COOKIE_KEY] = token               # written to the browser on the next run


def _end_session() -> None:
    session = st.session_state.pop(SESSION_KEY, None)
    if session:
        _store().close_session(session["token"])
    st.session_state[_COOKIE_KEY] = ""


def _write_cookie() -> None:
    """Set (or clear) the session cookie in the browser, once, from a hidden frame of the page's origin.

    ``SameSite=Strict``: no other site's page sends it; it lasts no longer than
    the longest session (the server ends idle sessions sooner).
    """
    value = st.session_state.pop(_COOKIE_KEY, None)
    if value is None:
        return
    age = int(access_policy().max_session_seconds) if value else 0
    cookie = json.dumps(f"{COOKIE}={value}; path=/; max-age={age}; SameSite=Strict")
    st.iframe(f"<script>window.parent.document.cookie = {cookie};</script>", height=1)


def _login_form(lang: str) -> None:
    with st.columns([1, 2, 1])[1]:     # a narrow form in the middle of a wide screen (stacked on a phone)
        _login_fields(lang)


def _login_fields(lang: str) -> None:
    st.title(t("auth.title", lang))
    notice = st.session_state.pop("auth_notice", None)
    if notice:
        st.info(t(notice, lang))
    with st.form("login", enter_to_submit=True):
        username = st.text_input(t("auth.username", lang), key="login_username", max_chars=64)
        password = st.text_input(t("auth.password", lang), type="password", key="login_password", max_chars=256)
        submitted = st.form_submit_button(t("auth.sign_in", lang), type="primary")
    if not submitted:
        return
    store = _store()
    audit = AuditLog(load_config().database)
    try:
        user = store.authenticate(username, password)
    except AccessError as exc:
        # a name that is no account may be a password typed in the wrong box: never written down
        name = normalise_username(username)[:64] if store.exists(username) else "?"
        if exc.key == "auth.bad_login":
            audit.record(name, "-", "login_failed", failures=store.failures(username))
        else:                                       # refused unchecked: still waiting after too many failures
            audit.record(name, "-", "login_refused", wait_seconds=exc.params.get("seconds"))
        st.error(md_value(exc, lang))
        return
    audit.record(user.username, user.role, "login")
    _start_session(user)
    st.rerun()


def _change_password_form(user: User, lang: str) -> None:
    with st.columns([1, 2, 1])[1]:
        _change_password_fields(user, lang)


def _change_password_fields(user: User, lang: str) -> None:
    st.title(t("auth.change_title", lang))
    st.info(t("auth.change_why", lang, chars=access_policy().min_password_chars))
    with st.form("change_password"):
        current = st.text_input(t("auth.current_password", lang), type="password", max_chars=256)
        new = st.text_input(t("auth.new_password", lang), type="password", max_chars=256)
        again = st.text_input(t("auth.new_password_again", lang), type="password", max_chars=256)
        submitted = st.form_submit_button(t("auth.change", lang), type="primary")
    if not submitted:
        return
    if new != again:
        st.error(t("auth.mismatch", lang))
        return
    try:
        changed = _store().change_password(user.username, current, new)
    except AccessError as exc:
        st.error(md_value(exc, lang))
        return
    AuditLog(load_config().database).record(user.username, user.role, "password_changed")
    _start_session(changed)
    st.rerun()


def account_panel(user: User, lang: str) -> None:
    """Who is signed in, and the sign-out button (sidebar)."""
    if user.local:
        return
    role = t(f"account_role.{user.role}", lang)
    line = f"{user.username} · {role}" + (f" · {user.team}" if user.team else "")
    st.sidebar.caption(md("auth.signed_in_as", lang, who=line))
    if st.sidebar.button(t("auth.sign_out", lang), key="sign_out"):
        AuditLog(load_config().database).record(user.username, user.role, "logout")
        _end_session()
        st.rerun()

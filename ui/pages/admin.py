"""The admin page: accounts and roles, and the audit trail (roles with ``manage_users``).

A new or reset account's one-time password is shown once, to the admin who
made it, and never stored or logged: only its Argon2 hash is kept.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.accounts import ROLES, AccountStore, access_policy
from analysis.audit import ACTIONS, AuditLog
from analysis.config import load_config
from core.errors import AccessError
from core.formatting import format_int
from core.i18n import t
from render.exports.audit import audit_headers, audit_table, export_audit
from render.spreadsheet import written_bytes
from ui.access import audit, current_user, download_button
from ui.common import current_lang
from ui.markdown import md, md_value

#: Most audit entries listed on screen (the download has all that match).
SHOWN_ENTRIES = 500
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_REVEAL_KEY = "admin_one_time"


def _role_label(role: str, lang: str) -> str:
    return t(f"account_role.{role}", lang)


def _reveal(lang: str) -> None:
    """The one-time password of the account just made or reset, shown this once."""
    shown = st.session_state.pop(_REVEAL_KEY, None)
    if shown:
        username, password = shown
        st.success(md("admin.one_time", lang, username=username))
        st.code(password, language=None)


def users_section(store: AccountStore, lang: str) -> None:
    """The accounts, a form to add one and the changes an admin can make."""
    st.subheader(t("admin.users_title", lang))
    _reveal(lang)
    users = store.users()
    shown = pd.DataFrame({
        t("admin.col.username", lang): users["username"],
        t("admin.col.role", lang): [_role_label(r, lang) for r in users["role"]],
        t("admin.col.team", lang): users["team"],
        t("admin.col.active", lang): users["active"],
        t("admin.col.must_change", lang): users["must_change"],
        t("admin.col.created_at", lang): users["created_at"],
    })
    st.dataframe(shown, hide_index=True, width="stretch", key="admin_users")
    add, change = st.columns(2)
    with add, st.form("admin_add_user", clear_on_submit=True):
        st.markdown("**" + t("admin.add_title", lang) + "**")
        username = st.text_input(t("admin.col.username", lang), max_chars=40, key="admin_new_username",
                                 help=t("admin.username_help", lang))
        role = st.selectbox(t("admin.col.role", lang), ROLES, format_func=lambda r: _role_label(r, lang),
                            key="admin_new_role")
        team = st.text_input(t("admin.col.team", lang), max_chars=100, key="admin_new_team",
                             help=t("admin.team_help", lang))
        if st.form_submit_button(t("admin.add", lang), type="primary"):
            try:
                user, password = store.create_user(username, role, team)
            except AccessError as exc:
                st.error(md_value(exc, lang))
            else:
                audit("user_created", account=user.username, new_role=user.role, team=user.team)
                st.session_state[_REVEAL_KEY] = (user.username, password)
                st.rerun()
    if users.empty:
        return
    with change, st.form("admin_change_user"):
        st.markdown("**" + t("admin.change_title", lang) + "**")
        name = st.selectbox(t("admin.col.username", lang), list(users["username"]), key="admin_change_username")
        row = users.set_index("username").loc[name]
        new_role = st.selectbox(t("admin.col.role", lang), ROLES, index=ROLES.index(row["role"]),
                                format_func=lambda r: _role_label(r, lang), key="admin_change_role")
        new_team = st.text_input(t("admin.col.team", lang), value=row["team"], max_chars=100,
                                 key="admin_change_team")
        active = st.checkbox(t("admin.col.active", lang), value=bool(row["active"]), key="admin_change_active")
        save, reset = st.columns(2)
        saved = save.form_submit_button(t("admin.save", lang), type="primary")
        reset_pressed = reset.form_submit_button(t("admin.reset_password", lang))
    me = current_user()
    try:
        if saved:
            if name == me.username and (new_role != "admin" or not active):
                raise AccessError("users.not_yourself")
            store.set_role(name, new_role, new_team)
            if bool(row["active"]) != active:
                store.set_active(name, active)
            audit("user_changed", account=name, new_role=new_role, team=new_team.strip(), active=active)
            st.rerun()
        if reset_pressed:
            password = store.reset_password(name)
            audit("password_reset", account=name)
            st.session_state[_REVEAL_KEY] = (name, password)
            st.rerun()
    except AccessError as exc:
        st.error(md_value(exc, lang))


def audit_section(lang: str) -> None:
    """The audit trail, newest first, filtered by action and user; downloadable as CSV or XLSX."""
    st.subheader(t("admin.audit_title", lang))
    st.caption(t("admin.audit_help", lang))
    log = AuditLog(load_config().database)
    left, right = st.columns(2)
    action = left.selectbox(t("admin.audit_action", lang), [None, *ACTIONS], key="admin_audit_action",
                            format_func=lambda a: t("admin.audit_all", lang) if a is None else t(f"audit.action.{a}",
                                                                                                  lang))
    username = right.text_input(t("admin.audit_user", lang), max_chars=64, key="admin_audit_user").strip().casefold()
    total = log.count(action=action, username=username or None)
    entries = log.entries(action=action, username=username or None, limit=SHOWN_ENTRIES)
    st.caption(t("admin.audit_count", lang, n=format_int(total, lang), shown=format_int(len(entries), lang)))
    headers = audit_headers(lang)
    table = audit_table(entries, lang)[list(headers)].rename(columns=headers)
    st.dataframe(table, hide_index=True, width="stretch", key="admin_audit_table", height=420)
    buttons = st.container(horizontal=True)
    for suffix, mime in ((".csv", "text/csv"), (".xlsx", XLSX_MIME)):
        download_button(buttons, t(f"admin.audit_download{suffix.replace('.', '_')}", lang),
                        lambda suffix=suffix: written_bytes(  # every matching entry, read when pressed
                            lambda p: export_audit(log.entries(action=action, username=username or None), p, lang),
                            suffix),
                        f"jejak_audit{suffix}", mime=mime, key=f"admin_audit_dl{suffix.replace('.', '_')}",
                        on_click="ignore", what="audit")


def render() -> None:
    """Draw the admin page."""
    lang = current_lang()
    current_user().require("manage_users")
    st.title(t("admin.title", lang))
    st.caption(t("admin.intro", lang, idle=int(access_policy().idle_seconds // 60)))
    users_section(AccountStore(load_config().database), lang)
    st.divider()
    if current_user().can("view_audit"):
        audit_section(lang)

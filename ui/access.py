"""What the signed-in user may do on a page, and the audit trail of what they did.

* :func:`current_user` — the user :func:`ui.auth.signed_in_user` verified this run;
* :func:`audit` — one entry of the audit trail for this user;
* :func:`download_button` — ``st.download_button`` for exports: drawn only for
  roles that may export, and the download is recorded when it is made.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import streamlit as st

from analysis.accounts import User, local_user
from analysis.audit import AuditLog
from analysis.config import load_config
from core.errors import AccessError

USER_KEY = "_current_user"


def remember_user(user: User) -> None:
    """Called by the sign-in gate: the user of this run."""
    st.session_state[USER_KEY] = user


def current_user() -> User:
    """The signed-in user (the local user when ``PETA_AUTH=off``).

    Raises
    ------
    AccessError
        ``access.signed_out`` when accounts are on and nobody signed in (a page run outside the router).
    """
    user = st.session_state.get(USER_KEY)
    if user is not None:
        return user
    if not load_config().auth:
        return local_user()
    raise AccessError("access.signed_out")


def can(permission: str) -> bool:
    """Whether the current user holds ``permission``."""
    return current_user().can(permission)


def audit(action: str, user: User | None = None, **details: object) -> None:
    """Record ``action`` by ``user`` (default: the current user) in the audit trail."""
    user = user or current_user()
    AuditLog(load_config().database).record(user.username, user.role, action, **details)


def _recorded(data: Callable[[], bytes] | bytes, file_name: str, what: str, user: User) -> Callable[[], bytes]:
    """``data`` as a callable that records the export when Streamlit asks for the bytes (a button press).

    The user is taken when the button is drawn: Streamlit may make the file outside the script run.
    """

    def make() -> bytes:
        content = data() if callable(data) else data
        audit("export", user, what=what, file=file_name, bytes=len(content))
        return content

    return make


def download_button(container, label: str, data: Callable[[], bytes] | bytes, file_name: str, *,
                    what: str | None = None, **kwargs: object) -> bool:
    """A download of an export, drawn only for roles with the ``export`` permission; recorded when made.

    Parameters
    ----------
    container
        ``st`` or a column/container.
    label, file_name, **kwargs
        As ``st.download_button``.
    data : bytes or callable
        The file, or a function making it when the button is pressed.
    what : str, optional
        What is exported, for the audit trail (default: the button's key).
    """
    user = current_user()
    if not user.can("export"):
        return False
    what = what or str(kwargs.get("key") or file_name)
    return container.download_button(label, data=_recorded(data, file_name, what, user), file_name=file_name,
                                     **kwargs)


_AUDITED_UPLOADS = "_audited_uploads"


def audit_upload(kind: str, upload, rows_in: int | None = None, rows_matched: int | None = None,
                 rows_rejected: int | None = None, problem: str = "") -> None:
    """Record an upload once per file and session (the page reads it again on every run; it is hashed once).

    Parameters
    ----------
    kind : str
        ``coverage``, ``sites``, ``companies``, ``programmes``...
    upload : streamlit.runtime.uploaded_file_manager.UploadedFile
        As ``st.file_uploader`` returns it: its name (masked for personal data
        by the trail), size and SHA-256 are recorded, never its content.
    rows_in, rows_matched, rows_rejected : int, optional
        The reader's accounting.
    problem : str
        The error key when the file could not be read at all.
    """
    done = st.session_state.setdefault(_AUDITED_UPLOADS, set())
    if (kind, upload.file_id) in done:
        return
    content = upload.getvalue()
    audit("upload", kind=kind, file=upload.name, sha256=hashlib.sha256(content).hexdigest(), bytes=len(content),
          rows_in=rows_in, rows_matched=rows_matched, rows_rejected=rows_rejected, problem=problem or None)
    done.add((kind, upload.file_id))


def team_field(container, label: str, key: str, **kwargs: object) -> str:
    """The team a record is made for: typed freely, or (team roles) fixed to the user's own team.

    The value is checked again by :meth:`analysis.accounts.User.require` when the record is saved,
    so a changed request cannot record for another team.
    """
    user = current_user()
    if user.team:
        container.text_input(label, value=user.team, key=key, disabled=True, **kwargs)
        return user.team
    return container.text_input(label, key=key, **kwargs)

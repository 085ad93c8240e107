"""The audit trail: who did what, and when, in the app database.

Every upload, dataset switch, visit, follow-up step, company step, settings
change, export, login and account change is one row: time (UTC), user name,
role, action and a few details.  Details are numbers, codes, file names and
hashes only: the caller passes no note, no participant data, and every text
detail is run through :func:`ingest.problems.mask_personal` and cut to
:data:`MAX_DETAIL_CHARS`, so a NIK, phone number or e-mail typed into a file
name never reaches the trail.

>>> AuditLog("data/app.db").record(user, "export", file="peta.png")   # doctest: +SKIP
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ingest.appdb import AppDatabase, app_database, text, utc_now_text
from ingest.problems import mask_personal

#: Actions the trail knows, in the order the admin page lists them.
ACTIONS: tuple[str, ...] = (
    "login", "login_failed", "login_refused", "logout", "password_changed", "user_created", "user_changed",
    "password_reset", "upload", "dataset_switch", "visit", "follow_up", "company_step", "settings", "export",
)
MAX_DETAIL_CHARS = 200
MAX_DETAILS = 12
AUDIT_COLUMNS = ("id", "at", "username", "role", "action", "details")


def _detail(value: object) -> object:
    """A detail as stored: numbers and booleans as they are, anything else as masked, bounded text."""
    if value is None or isinstance(value, (bool, np.bool_)):
        return None if value is None else bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value)
    return mask_personal(str(value))[:MAX_DETAIL_CHARS]


class AuditLog:
    """The audit trail.

    Parameters
    ----------
    path : path-like, str or AppDatabase
        The app database (``analysis.config.load_config().database``).
    """

    def __init__(self, path: str | os.PathLike[str] | AppDatabase) -> None:
        self.db = app_database(path)

    def record(self, username: str, role: str, action: str, **details: object) -> int:
        """Add one entry (committed before this returns); its id.

        Raises
        ------
        ValueError
            For an action not in :data:`ACTIONS` or more than :data:`MAX_DETAILS` details (a programming error).
        """
        if action not in ACTIONS:
            raise ValueError(f"Unknown audit action {action!r}: use one of {', '.join(ACTIONS)}.")
        if len(details) > MAX_DETAILS:
            raise ValueError(f"An audit entry takes at most {MAX_DETAILS} details, got {len(details)}.")
        body = json.dumps({str(k): _detail(v) for k, v in details.items()}, ensure_ascii=False, sort_keys=True)
        now = utc_now_text()
        with self.db.write() as conn:
            return int(conn.execute(text("INSERT INTO audit_log (at, username, role, action, details) "
                                         "VALUES (:at, :u, :r, :a, :d) RETURNING id"),
                                    {"at": now, "u": str(username)[:64], "r": str(role)[:40], "a": action,
                                     "d": body}).scalar_one())

    def count(self, action: str | None = None, username: str | None = None, since: str | None = None) -> int:
        """How many entries match (as :meth:`entries`), counted by the database."""
        where, params = _filters(action, username, since)
        with self.db.read() as conn:
            return int(conn.execute(text("SELECT count(*) FROM audit_log" + where), params).scalar_one())

    def entries(self, action: str | None = None, username: str | None = None, since: str | None = None,
                limit: int | None = None) -> pd.DataFrame:
        """Entries, newest first: :data:`AUDIT_COLUMNS` with ``details`` as a dict.

        Parameters
        ----------
        action, username : str, optional
            Only this action or user.
        since : str, optional
            ISO date or time: only entries from then on.
        limit : int, optional
            At most this many.
        """
        where, params = _filters(action, username, since)
        sql = "SELECT id, at, username, role, action, details FROM audit_log" + where
        sql += " ORDER BY id DESC" + (f" LIMIT {int(limit)}" if limit else "")
        with self.db.read() as conn:
            rows = conn.execute(text(sql), params).all()
        frame = pd.DataFrame(rows, columns=list(AUDIT_COLUMNS))
        frame["details"] = pd.Series([json.loads(d) for d in frame["details"]], index=frame.index, dtype=object)
        return frame


def _filters(action: str | None, username: str | None, since: str | None) -> tuple[str, dict[str, str]]:
    """The ``WHERE`` clause (or '') and parameters of an entry filter."""
    where, params = [], {}
    for column, value in (("action", action), ("username", username)):
        if value:
            where.append(f"{column} = :{column}")
            params[column] = value
    if since:
        where.append("at >= :since")
        params["since"] = str(since)
    return (" WHERE " + " AND ".join(where)) if where else "", params


def details_text(details: Mapping[str, object]) -> str:
    """Details as one line ``key=value; ...`` (for tables and exports)."""
    return "; ".join(f"{k}={v}" for k, v in details.items())

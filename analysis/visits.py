"""Visit log: field visits recorded in the app database (:mod:`ingest.appdb`).

The database (``data/app.db`` by default; ``[visits] db_path`` in
``config/outreach.toml``, ``$PETA_APP_DB``, or a PostgreSQL server named by
``$PETA_DATABASE_URL``) is created on first use.  Every committed visit is
durable before :meth:`VisitLog.record_visit` returns, so it survives the app
being killed, and several app users can write at once.

Notes are free text typed by staff: they are stored and exported (with
formulas neutralised) but never written to logs or error messages.

>>> from analysis.visits import VisitLog
>>> log = VisitLog()                                            # doctest: +SKIP
>>> log.record_visit("2025-06-02", "32.05.01.1001", "Tim A", 12)  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.config import load_config
from core.errors import VisitValidationError
from geo.boundaries import load_layer, region_name
from geo.region import region_in_use
from ingest.appdb import AppDatabase, app_database, text, utc_now_text

#: Longest team name and note accepted (characters).
MAX_TEAM_CHARS = 100
MAX_NOTES_CHARS = 2000

#: Export headers (Bahasa Indonesia), in column order.
VISIT_COLUMNS: tuple[str, ...] = (
    'id', 'visit_date', 'kode_desa', 'desa', 'kecamatan', 'team', 'enrolled', 'promised', 'follow_up', 'notes',
    'recorded_at',
)
#: Follow-up states, most urgent first.
FOLLOW_UP_STATES: tuple[str, ...] = ("overdue", "due", "upcoming")


@dataclass(frozen=True)
class Visit:
    """A validated visit, ready to store.

    Attributes
    ----------
    visit_date : datetime.date
    kode_desa : str
    team : str
        Team name (not individuals).
    enrolled : int
        Workers enrolled in JKK/JKM during the visit.
    notes : str
    promised : int
        Workers who promised to enrol later (counted nowhere until enrolled).
    follow_up : datetime.date or None
        When the team means to come back (on or after the visit).
    """

    visit_date: dt.date
    kode_desa: str
    team: str
    enrolled: int
    notes: str = ""
    promised: int = 0
    follow_up: dt.date | None = None


def _desa_codes() -> frozenset[str]:
    return frozenset(load_layer("desa")["kode"])


def _whole(value: object) -> int | None:
    """A whole number from an int, an integral float or digits; None otherwise (``True``, ``1.5``, ``"x"``)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def _as_date(value: object, error_key: str, field: str) -> dt.date:
    """A date, datetime or ``YYYY-MM-DD`` text as a date; else the error ``error_key`` naming ``field``."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise VisitValidationError(error_key, date=repr(str(value)), field=field) from None


def past_date(value: object, field: str, today: dt.date) -> dt.date:
    """A ``YYYY-MM-DD`` text, date or datetime as a date that is not after ``today``.

    Raises
    ------
    VisitValidationError
        With ``field`` set: not a date (``visits.bad_date``), or after today (``visits.date_in_future``).
    """
    value = _as_date(value, "visits.bad_date", field)
    if value > today:
        raise VisitValidationError("visits.date_in_future", date=value.isoformat(), today=today.isoformat(),
                                   field=field)
    return value


def validate_visit(visit_date: object, kode_desa: object, team: object, enrolled: object,
                   notes: object = "", *, desa_codes: Iterable[str] | None = None,
                   today: dt.date | None = None, promised: object = 0, follow_up: object = None) -> Visit:
    """Check one visit's fields and return it as a :class:`Visit`.

    Parameters
    ----------
    visit_date : date or str
        ``YYYY-MM-DD``; not after ``today``.
    kode_desa : str
        Must be one of ``desa_codes``.
    team : str
        Non-empty, at most :data:`MAX_TEAM_CHARS` characters.
    enrolled : int
        Whole number >= 0 (``"12"`` is accepted, ``1.5`` and ``-1`` are not).
    notes : str
        At most :data:`MAX_NOTES_CHARS` characters.
    promised : int
        Whole number >= 0 of workers who promised to enrol.
    follow_up : date or str, optional
        ``YYYY-MM-DD``, on or after the visit (may be in the future); empty: none.
    desa_codes : iterable of str, optional
        Known desa codes (default: the Garut desa layer).
    today : datetime.date, optional
        Default: the local date.

    Raises
    ------
    VisitValidationError
        With ``field`` set and a message in Indonesian and English.  The
        message never quotes the notes.
    """
    today = today or dt.date.today()
    visit_date = past_date(visit_date, "visit_date", today)

    kode = str(kode_desa or "").strip()
    codes = frozenset(desa_codes) if desa_codes is not None else _desa_codes()
    if kode not in codes:
        raise VisitValidationError(
            "visits.unknown_desa", kode=repr(kode), field="kode_desa", region=region_name(), prefix=region_in_use())

    team_name = str(team or "").strip()
    if not team_name:
        raise VisitValidationError("visits.team_empty", field="team")
    if len(team_name) > MAX_TEAM_CHARS:
        raise VisitValidationError(
            "visits.team_too_long", n=len(team_name), limit=MAX_TEAM_CHARS, field="team")

    count = _whole(enrolled)
    if count is None:
        raise VisitValidationError(
            "visits.enrolled_not_whole", enrolled=repr(enrolled), field="enrolled")
    if count < 0:
        raise VisitValidationError(
            "visits.enrolled_negative", count=count, field="enrolled")

    text = "" if notes is None else str(notes)
    if len(text) > MAX_NOTES_CHARS:
        raise VisitValidationError(
            "visits.notes_too_long", n=len(text), limit=MAX_NOTES_CHARS,
            field="notes")
    pledged = _whole(0 if promised is None or promised == "" else promised)
    if pledged is None or pledged < 0:
        raise VisitValidationError("visits.promised_bad", promised=repr(promised), field="promised")
    return Visit(visit_date, kode, team_name, count, text, pledged, _follow_up_date(follow_up, visit_date))


def _follow_up_date(value: object, visit_date: dt.date) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    value = _as_date(value, "visits.follow_up_bad", "follow_up")
    if value < visit_date:
        raise VisitValidationError("visits.follow_up_before_visit", date=value.isoformat(),
                                   visit=visit_date.isoformat(), field="follow_up")
    return value


class VisitLog:
    """The visit log database.

    Parameters
    ----------
    path : path-like, str or AppDatabase, optional
        SQLite file or database URL (default: ``load_config().database``); the
        file's folder and the tables are created on first use.
    desa_codes : iterable of str, optional
        Codes a visit may name (default: the Garut desa layer, loaded when
        first needed).
    busy_timeout_s : float
        How long a writer waits for another writer's lock.
    """

    def __init__(self, path: str | os.PathLike[str] | AppDatabase | None = None,
                 desa_codes: Iterable[str] | None = None, busy_timeout_s: float = 30.0) -> None:
        self.db = app_database(load_config().database if path is None else path, busy_timeout_s)
        self.path: Path | None = self.db.path
        self._codes = frozenset(desa_codes) if desa_codes is not None else None

    @property
    def desa_codes(self) -> frozenset[str]:
        """Codes a visit may name."""
        if self._codes is None:
            self._codes = _desa_codes()
        return self._codes

    def record_visits(self, visits: Iterable[Visit], today: dt.date | None = None) -> list[int]:
        """Store several visits in one transaction (all or none); return their ids.

        Every visit is validated again first (a :class:`Visit` built by hand
        could hold anything).
        """
        checked = [validate_visit(v.visit_date, v.kode_desa, v.team, v.enrolled, v.notes,
                                  desa_codes=self.desa_codes, today=today, promised=v.promised,
                                  follow_up=v.follow_up) for v in visits]
        now = utc_now_text()
        insert = text("INSERT INTO visit_log (visit_date, kode_desa, team, enrolled, notes, recorded_at, promised, "
                      "follow_up) VALUES (:visit_date, :kode_desa, :team, :enrolled, :notes, :now, :promised, "
                      ":follow_up) RETURNING id")
        with self.db.write() as conn:
            return [int(conn.execute(insert, {
                "visit_date": v.visit_date.isoformat(), "kode_desa": v.kode_desa, "team": v.team,
                "enrolled": v.enrolled, "notes": v.notes, "now": now, "promised": v.promised,
                "follow_up": v.follow_up.isoformat() if v.follow_up else None}).scalar_one()) for v in checked]

    def record_visit(self, visit_date: object, kode_desa: object, team: object, enrolled: object,
                     notes: object = "", today: dt.date | None = None, promised: object = 0,
                     follow_up: object = None) -> int:
        """Validate and store one visit; return its id once it is committed to disk.

        Raises
        ------
        VisitValidationError
            See :func:`validate_visit`.
        """
        visit = validate_visit(visit_date, kode_desa, team, enrolled, notes,
                               desa_codes=self.desa_codes, today=today, promised=promised, follow_up=follow_up)
        return self.record_visits([visit], today=today)[0]

    def visits(self) -> pd.DataFrame:
        """Every visit: ``id, visit_date (date), kode_desa, team, enrolled, promised, follow_up (date or None),
        notes, recorded_at``."""
        with self.db.read() as conn:
            frame = pd.read_sql_query(
                text("SELECT id, visit_date, kode_desa, team, enrolled, promised, follow_up, notes, recorded_at "
                     "FROM visit_log ORDER BY id"), conn)
        frame["visit_date"] = frame["visit_date"].map(dt.date.fromisoformat)
        frame["follow_up"] = pd.Series([dt.date.fromisoformat(v) if isinstance(v, str) else None
                                        for v in frame["follow_up"]], index=frame.index, dtype=object)
        return frame

    def follow_ups(self, today: dt.date | None = None) -> pd.DataFrame:
        """Open follow-ups: see :func:`open_follow_ups`."""
        return open_follow_ups(self.visits(), today)

    def last_visits(self) -> dict[str, dt.date]:
        """``{kode_desa: date of the latest visit}`` (for the ranking's visit component)."""
        with self.db.read() as conn:
            rows = conn.execute(text("SELECT kode_desa, max(visit_date) FROM visit_log GROUP BY kode_desa")).all()
        return {kode: dt.date.fromisoformat(day) for kode, day in rows}

    def enrolments_since(self, since: dt.date | str, level: str = "desa",
                        until: dt.date | str | None = None) -> pd.DataFrame:
        """Workers enrolled during visits from ``since`` (inclusive) on.

        Parameters
        ----------
        since : date or str
        level : {"desa", "kecamatan"}
            Kecamatan totals use the first 8 characters of the desa code.
        until : date or str, optional
            Last day included (default: no limit).

        Returns
        -------
        DataFrame
            ``kode, enrolled, visits`` (only places with visits), by kode.
        """
        if level not in ("desa", "kecamatan"):
            raise ValueError(f"level must be 'desa' or 'kecamatan', got {level!r}.")
        key = "kode_desa" if level == "desa" else "substr(kode_desa, 1, 8)"
        start = dt.date.fromisoformat(str(since)[:10]).isoformat()
        end = dt.date.fromisoformat(str(until)[:10]).isoformat() if until else "9999-12-31"
        with self.db.read() as conn:
            frame = pd.read_sql_query(
                text(f"SELECT {key} AS kode, sum(enrolled) AS enrolled, count(*) AS visits FROM visit_log "
                     "WHERE visit_date >= :start AND visit_date <= :end GROUP BY 1 ORDER BY 1"),
                conn, params={"start": start, "end": end})
        return frame.astype({"enrolled": "int64", "visits": "int64"})

    def integrity_ok(self) -> bool:
        """True when the database answers and (SQLite) its ``PRAGMA integrity_check`` reports ``ok``."""
        return self.db.integrity_ok()


def open_follow_ups(visits: pd.DataFrame, today: dt.date | None = None) -> pd.DataFrame:
    """Follow-ups not yet made, most urgent first.

    A visit's follow-up is made by any later visit to the same desa (by any
    team); until then it is ``overdue`` after its date, ``due`` on it and
    ``upcoming`` before it.

    Parameters
    ----------
    visits : DataFrame
        As :meth:`VisitLog.visits` returns.
    today : datetime.date, optional
        Default: the local date.

    Returns
    -------
    DataFrame
        ``id, kode_desa, team, visit_date, follow_up, promised, status, days_late``
        (``days_late`` > 0 when overdue), ordered by state, then date.
    """
    today = today or dt.date.today()
    columns = ["id", "kode_desa", "team", "visit_date", "follow_up", "promised", "status", "days_late"]
    if visits.empty:
        return pd.DataFrame(columns=columns)
    latest = visits.groupby("kode_desa")["visit_date"].max()
    wanted = visits[visits["follow_up"].notna()]
    wanted = wanted[wanted["visit_date"].to_numpy() >= wanted["kode_desa"].map(latest).to_numpy()]
    # A visit on the same day as the one that asked for the follow-up does not make it.
    later_same_day = wanted.duplicated(["kode_desa", "visit_date"], keep="last")
    wanted = wanted[~later_same_day].copy()
    late = pd.Series([(today - d).days for d in wanted["follow_up"]], index=wanted.index, dtype="int64")
    wanted["days_late"] = late.clip(lower=0)
    wanted["status"] = ["overdue" if n > 0 else "due" if n == 0 else "upcoming" for n in late]
    order = {state: i for i, state in enumerate(FOLLOW_UP_STATES)}
    wanted = wanted.assign(_o=wanted["status"].map(order)).sort_values(["_o", "follow_up", "id"])
    return wanted[columns].reset_index(drop=True)


def follow_up_counts(follow_ups: pd.DataFrame) -> pd.DataFrame:
    """Open follow-ups per team: ``team, overdue, due, upcoming, promised`` (promised workers still to enrol)."""
    columns = ["team", *FOLLOW_UP_STATES, "promised"]
    if follow_ups.empty:
        return pd.DataFrame(columns=columns)
    counts = pd.crosstab(follow_ups["team"], follow_ups["status"]).reindex(columns=list(FOLLOW_UP_STATES),
                                                                          fill_value=0)
    counts["promised"] = follow_ups.groupby("team")["promised"].sum()
    return counts.reset_index()[columns].sort_values(["overdue", "due", "team"], ascending=[False, False, True],
                                                      ignore_index=True)

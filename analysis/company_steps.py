"""Follow-up of PWBD/PDS companies: the ladder, the record of each step, and the next step with its date.

The ladder is package data (``analysis/company_ladder.json``): himbauan
(appeal letter), teguran tertulis 1 and 2 (written warnings), pemeriksaan
(inspection), then penyerahan ke Kejaksaan (handover under a special power
of attorney, SKK).  Each step has the days after which the next one is due.
A visit (``kunjungan``) is recorded too but does not move the ladder; an
outcome of ``done_outcomes`` (every worker registered) ends it.

Steps are kept in the app database (``data/app.db``, table
``company_steps``), durable as the visit log is
(:mod:`ingest.appdb`).  A company is known by its key
(:func:`company_key`): its NPP, else its name and desa, so a newer companies
file finds the steps of the same company.  Notes are free text typed by
staff: stored and exported (formulas neutralised by the exports) but never
written to logs or messages.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from analysis.compliance import compliance_list
from analysis.config import load_config
from analysis.visits import past_date
from core.errors import VisitValidationError
from ingest.appdb import AppDatabase, app_database, text, utc_now_text
from ingest.matching import normalise_name

LADDER_PATH = Path(__file__).with_name("company_ladder.json")
#: Longest team name and note accepted (characters), as for visits.
MAX_TEAM_CHARS = 100
MAX_NOTES_CHARS = 2000
MAX_LETTER_NUMBER_CHARS = 80

STEP_COLUMNS = ("id", "company_key", "company_name", "kode_desa", "step", "step_date", "outcome", "letter_number",
                "team", "notes", "recorded_at")


@dataclass(frozen=True)
class Ladder:
    """The follow-up ladder (``analysis/company_ladder.json``)."""

    steps: tuple[str, ...]
    wait_days: dict[str, int | None]
    letters: dict[str, str | None]
    other_records: tuple[str, ...]
    outcomes: tuple[str, ...]
    done_outcomes: frozenset[str]

    @property
    def records(self) -> tuple[str, ...]:
        """Every kind of record: the ladder's steps, then the others."""
        return self.steps + self.other_records


@cache
def _ladder_from(path: str) -> Ladder:
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    steps = tuple(s["key"] for s in raw["steps"])
    return Ladder(steps, {s["key"]: s["wait_days"] for s in raw["steps"]},
                  {s["key"]: s["letter"] for s in raw["steps"]}, tuple(raw["other_records"]),
                  tuple(raw["outcomes"]), frozenset(raw["done_outcomes"]))


def load_ladder(path: str | Path | None = None) -> Ladder:
    """The ladder (default ``analysis/company_ladder.json``)."""
    return _ladder_from(str(path or LADDER_PATH))


def company_key(npp: str, name: str, kode_desa: str) -> str:
    """How the steps know a company: ``npp:<NPP>``, else ``nama:<normalised name>@<desa code>``."""
    npp = "".join(str(npp or "").split()).upper()
    return f"npp:{npp}" if npp else f"nama:{normalise_name(name)}@{kode_desa}"


def company_keys(companies: pd.DataFrame) -> pd.Series:
    """:func:`company_key` of every row of a companies table."""
    return pd.Series([company_key(r.npp, r.name, r.kode_desa) for r in companies.itertuples(index=False)],
                     index=companies.index, dtype=object)


# -- recording ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """A validated step, ready to store."""

    company_key: str
    company_name: str
    kode_desa: str
    step: str
    step_date: dt.date
    outcome: str
    letter_number: str = ""
    team: str = ""
    notes: str = ""


def _bounded_text(value: object, field: str, limit: int) -> str:
    text = "" if value is None else str(value).strip()
    if len(text) > limit:
        raise VisitValidationError("steps.text_too_long", n=len(text), limit=limit, field=field)
    return text


def validate_step(company_key: object, company_name: object, kode_desa: object, step: object, step_date: object,
                  outcome: object, *, letter_number: object = "", team: object = "", notes: object = "",
                  today: dt.date | None = None, ladder: Ladder | None = None) -> Step:
    """Check one step's fields.

    Raises
    ------
    VisitValidationError
        With ``field`` set: an unknown step or outcome (the message lists the
        choices), a date that is not ``YYYY-MM-DD`` or lies after ``today``,
        an empty company, or a text over its limit.  Notes are never quoted.
    """
    ladder = ladder or load_ladder()
    today = today or dt.date.today()
    key = str(company_key or "").strip()
    if not key:
        raise VisitValidationError("steps.no_company", field="company_key")
    if step not in ladder.records:
        raise VisitValidationError("steps.unknown_step", step=repr(step), choices=", ".join(ladder.records),
                                   field="step")
    if outcome not in ladder.outcomes:
        raise VisitValidationError("steps.unknown_outcome", outcome=repr(outcome),
                                   choices=", ".join(ladder.outcomes), field="outcome")
    return Step(key, _bounded_text(company_name, "company_name", 300), str(kode_desa or "").strip(), str(step),
                past_date(step_date, "step_date", today), str(outcome),
                _bounded_text(letter_number, "letter_number", MAX_LETTER_NUMBER_CHARS),
                _bounded_text(team, "team", MAX_TEAM_CHARS), _bounded_text(notes, "notes", MAX_NOTES_CHARS))


class StepLog:
    """The record of follow-up steps (the app database, durable).

    Parameters
    ----------
    path : path-like, str or AppDatabase, optional
        Default the app database (``load_config().database``, as the visit log).
    """

    def __init__(self, path: str | os.PathLike[str] | AppDatabase | None = None, busy_timeout_s: float = 30.0) -> None:
        self.db = app_database(load_config().database if path is None else path, busy_timeout_s)
        self.path = self.db.path

    def record(self, steps: Iterable[Step]) -> list[int]:
        """Store validated steps in one transaction (all or none); their ids once committed to disk."""
        now = utc_now_text()
        names = STEP_COLUMNS[1:-1]
        insert = text(f"INSERT INTO company_steps ({', '.join(names)}, recorded_at) "
                      f"VALUES ({', '.join(':' + n for n in names)}, :now) RETURNING id")
        with self.db.write() as conn:
            return [int(conn.execute(insert, {**{n: getattr(s, n) for n in names},
                                              "step_date": s.step_date.isoformat(), "now": now}).scalar_one())
                    for s in steps]

    def record_step(self, *args: object, **kwargs: object) -> int:
        """Validate (:func:`validate_step`, same arguments) and store one step; its id."""
        return self.record([validate_step(*args, **kwargs)])[0]

    def steps(self) -> pd.DataFrame:
        """Every step (:data:`STEP_COLUMNS`), oldest first; ``step_date`` as dates."""
        with self.db.read() as conn:
            frame = pd.read_sql_query(text(f"SELECT {', '.join(STEP_COLUMNS)} FROM company_steps "
                                           "ORDER BY step_date, id"), conn)
        frame["step_date"] = pd.Series([dt.date.fromisoformat(v) for v in frame["step_date"]], index=frame.index,
                                       dtype=object)
        return frame


# -- the next step --------------------------------------------------------------------------------


#: The states of a company's next step, the most urgent first.
NEXT_STATES = ("overdue", "due", "upcoming", "done", "handed_over")


def next_steps(keys: Iterable[str], steps: pd.DataFrame, today: dt.date | None = None,
               ladder: Ladder | None = None) -> pd.DataFrame:
    """Each company's last record and its next step on the ladder, with the date it is due.

    Parameters
    ----------
    keys : iterable of str
        Company keys (:func:`company_keys`).
    steps : DataFrame
        :meth:`StepLog.steps`.
    today : datetime.date, optional

    Returns
    -------
    DataFrame
        Indexed by key: ``last_step``, ``last_date``, ``last_outcome`` (None
        when nothing is recorded), ``steps_done`` (ladder steps recorded),
        ``next_step`` (None when the ladder is done or ended), ``due`` (date or
        None), ``letter`` (the letter the next step sends, or None) and
        ``state``: ``overdue`` / ``due`` (today or no step yet) / ``upcoming``
        / ``done`` (an outcome of ``done_outcomes``: check the next companies
        file) / ``handed_over`` (the last step was taken).
    """
    ladder = ladder or load_ladder()
    today = today or dt.date.today()
    by_key = {key: group for key, group in steps.groupby("company_key", sort=False)} if len(steps) else {}
    rows = {}
    for key in dict.fromkeys(keys):
        group = by_key.get(key)
        rows[key] = _next(group, today, ladder)
    return pd.DataFrame.from_dict(rows, orient="index",
                                  columns=["last_step", "last_date", "last_outcome", "steps_done", "next_step", "due",
                                           "letter", "state"])


def _next(group: pd.DataFrame | None, today: dt.date, ladder: Ladder) -> dict:
    if group is None or not len(group):
        first = ladder.steps[0]
        return {"last_step": None, "last_date": None, "last_outcome": None, "steps_done": 0, "next_step": first,
                "due": today, "letter": ladder.letters[first], "state": "due"}
    group = group.sort_values(["step_date", "id"], kind="stable")
    last = group.iloc[-1]
    on_ladder = group[group["step"].isin(ladder.steps)]
    reached = max((ladder.steps.index(s) for s in on_ladder["step"]), default=-1)
    out = {"last_step": last["step"], "last_date": last["step_date"], "last_outcome": last["outcome"],
           "steps_done": int(on_ladder["step"].nunique())}
    if last["outcome"] in ladder.done_outcomes:
        return {**out, "next_step": None, "due": None, "letter": None, "state": "done"}
    if reached == len(ladder.steps) - 1:
        return {**out, "next_step": None, "due": None, "letter": None, "state": "handed_over"}
    following = ladder.steps[reached + 1]
    if reached < 0:
        due = today
    else:
        taken = on_ladder[on_ladder["step"] == ladder.steps[reached]]["step_date"].max()
        due = taken + dt.timedelta(days=ladder.wait_days[ladder.steps[reached]] or 0)
    state = "overdue" if due < today else "due" if due == today else "upcoming"
    return {**out, "next_step": following, "due": due, "letter": ladder.letters[following], "state": state}


def follow_up_list(companies: pd.DataFrame, steps: pd.DataFrame, today: dt.date | None = None,
                   ladder: Ladder | None = None) -> pd.DataFrame:
    """The PWBD and PDS companies, the most uncovered workers first, each with its next step and date.

    Parameters
    ----------
    companies : DataFrame
        :func:`analysis.compliance.company_status`.
    steps : DataFrame
        :meth:`StepLog.steps`.

    Returns
    -------
    DataFrame
        :func:`analysis.compliance.compliance_list` plus ``company_key`` and
        the columns of :func:`next_steps`.
    """
    todo = compliance_list(companies)
    todo.insert(0, "company_key", company_keys(todo).to_numpy())
    ahead = next_steps(todo["company_key"], steps, today, ladder)
    return todo.join(ahead, on="company_key")

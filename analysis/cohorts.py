"""Sponsored cohorts and the month-by-month coverage forecast they give.

A cohort is a group of workers whose contributions a programme pays for a
while: ``count`` workers in a desa or kecamatan, paid by a funding source
(ASN under "1 ASN 1 pekerja rentan", APBD, APBDes, DBHCHT, CSR or another),
from a start month to an end month, both included.  Coverage in a month is
the snapshot's covered workers plus every cohort active that month, over the
working people:

    rate(m) = (covered + sum of cohorts active in m) / workers

so a cohort whose funding ends in December stops counting in January (DBHCHT
cohorts often run only 3-4 months), and the forecast drops by its size.
Cohorts are stored in the app database (:class:`CohortStore`) or read from a
file (:func:`ingest.cohorts.read_cohorts`); both are checked by
:func:`ingest.cohorts.check_cohort`.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable

import numpy as np
import pandas as pd

from ingest.appdb import AppDatabase, app_database, text, utc_now_text
from ingest.cohorts import FUNDING_SOURCES, Cohort, month_text, months_between

#: Longest forecast, in months.
MAX_MONTHS = 120

class CohortStore:
    """Sponsored cohorts recorded on the what-if page, in the app database.

    Parameters
    ----------
    path : path-like
    """

    def __init__(self, path: str | os.PathLike[str] | AppDatabase) -> None:
        self.db = app_database(path)
        self.path = self.db.path

    def all(self) -> list[Cohort]:
        """Every stored cohort, oldest first."""
        with self.db.read() as conn:
            rows = conn.execute(text("SELECT id, count, kode, source, start_month, end_month FROM cohorts "
                                     "ORDER BY id")).all()
        return [Cohort(count, kode, source, start, end, id=i) for i, count, kode, source, start, end in rows]

    def add(self, cohort: Cohort) -> int:
        """Store a checked cohort; return its id."""
        with self.db.write() as conn:
            return int(conn.execute(text(
                "INSERT INTO cohorts (count, kode, source, start_month, end_month, saved_at) "
                "VALUES (:count, :kode, :source, :start, :end, :now) RETURNING id"),
                {"count": cohort.count, "kode": cohort.kode, "source": cohort.source, "start": cohort.start_month,
                 "end": cohort.end_month, "now": utc_now_text()}).scalar_one())

    def delete(self, cohort_id: int) -> None:
        """Remove a cohort."""
        with self.db.write() as conn:
            conn.execute(text("DELETE FROM cohorts WHERE id = :id"), {"id": int(cohort_id)})



def cohort_table(cohorts: Iterable[Cohort]) -> pd.DataFrame:
    """Cohorts as a table: ``id, count, kode, kecamatan_kode, source, start_month, end_month``."""
    rows = [{"id": c.id, "count": c.count, "kode": c.kode, "kecamatan_kode": c.kecamatan, "source": c.source,
             "start_month": c.start_month, "end_month": c.end_month} for c in cohorts]
    return pd.DataFrame(rows, columns=["id", "count", "kode", "kecamatan_kode", "source", "start_month",
                                       "end_month"])


def active_by_kecamatan(cohorts: Iterable[Cohort], month: str) -> dict[str, int]:
    """Sponsored workers active in ``month``, per kecamatan code."""
    out: dict[str, int] = {}
    for cohort in cohorts:
        if cohort.active(month):
            out[cohort.kecamatan] = out.get(cohort.kecamatan, 0) + cohort.count
    return out


def forecast(workers: float, covered: float, cohorts: Iterable[Cohort], first: str, last: str,
             target: float | None = None) -> pd.DataFrame:
    """Coverage month by month with the cohorts active in each month.

    Parameters
    ----------
    workers, covered : float
        The snapshot's working people and active participants.
    cohorts : iterable of Cohort
    first, last : str
        ``YYYY-MM``, both included (at most :data:`MAX_MONTHS` months).
    target : float, optional
        Adds ``gap_to_target`` (sponsors still needed that month).

    Returns
    -------
    DataFrame
        ``month, sponsored, covered, coverage_rate, change`` (workers gained
        or lost since the previous month), ``ending`` (workers whose funding
        ends after this month), then one ``sponsored_<source>`` column per funding source.
    """
    months = months_between(first, last)
    if not months or len(months) > MAX_MONTHS:
        raise ValueError(f"A forecast covers 1 to {MAX_MONTHS} months; {first} to {last} is {len(months)}.")
    cohorts = list(cohorts)
    by_source = {s: np.array([sum(c.count for c in cohorts if c.source == s and c.active(m)) for m in months])
                 for s in FUNDING_SOURCES}
    sponsored = sum(by_source.values())
    ending = np.array([sum(c.count for c in cohorts if c.end_month == m) for m in months])
    before = sum(c.count for c in cohorts if c.active(str(pd.Period(first, "M") - 1)))
    frame = pd.DataFrame({"month": months, "sponsored": sponsored.astype("int64")})
    frame["covered"] = covered + frame["sponsored"]
    frame["coverage_rate"] = frame["covered"] / workers if workers else np.nan
    frame["change"] = np.diff(np.concatenate([[before], sponsored])).astype("int64")
    frame["ending"] = ending.astype("int64")
    if target is not None:
        frame["gap_to_target"] = np.maximum(0, np.ceil(np.round(target * workers, 6)) - frame["covered"]).astype(
            "int64")
    for source, values in by_source.items():
        frame[f"sponsored_{source}"] = values.astype("int64")
    return frame



def forecast_for(result, cohorts: Iterable[Cohort], by: str | None = None, today: dt.date | None = None,
                 months: int = 12) -> pd.DataFrame:
    """:func:`forecast` of a coverage result over the months a planner asks about.

    The forecast runs from the current month (or the first cohort's start,
    when earlier) for ``months`` months, or to ``by`` when that is later, and
    on to one month past the last cohort end, so the drop when funding ends
    shows (at most :data:`MAX_MONTHS` months in all).

    Parameters
    ----------
    result : analysis.coverage.CoverageResult
    cohorts : iterable of Cohort
    by : str, optional
        ``YYYY-MM``.
    today : datetime.date, optional
    months : int
        Shortest length.
    """
    cohorts = list(cohorts)
    now = month_text(today or dt.date.today())
    first = min([now, *(c.start_month for c in cohorts)])
    cap = str(pd.Period(first, "M") + (MAX_MONTHS - 1))
    ends = [str(pd.Period(c.end_month, "M") + 1) for c in cohorts]
    last = min(cap, max([str(pd.Period(first, "M") + (months - 1)), *([by] if by else []), *ends]))
    kab = result.kabupaten
    return forecast(float(kab["workers"]), float(kab["covered"]), cohorts, first, last, target=result.target)

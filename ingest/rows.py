"""Row checks shared by every table kind: keys to regions, cell problems, the report.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from core.i18n import Message
from ingest.headers import KEY_ROLES, Header
from ingest.matching import KeyResult, RegionIndex, resolve_key
from ingest.problems import ProblemLog
from ingest.validation import SUGGESTIONS, cell_text, map_unique, parse_period

TABLE_COLUMNS = ("row", "kode", "level", "period", "workers", "covered", "workers_formal",
                 "covered_formal", "workers_informal", "covered_informal", "covered_jakon", "covered_pmi")
#: Canonical figure columns and their table names.
FIGURES = {
    "pekerja": "workers", "peserta_aktif": "covered",
    "pekerja_pu": "workers_formal", "peserta_pu": "covered_formal",
    "pekerja_bpu": "workers_informal", "peserta_bpu": "covered_informal",
    "peserta_jakon": "covered_jakon", "peserta_pmi": "covered_pmi",
}
#: (workers, covered) pairs checked for covered <= workers.
FIGURE_PAIRS = (("pekerja", "peserta_aktif"), ("pekerja_pu", "peserta_pu"), ("pekerja_bpu", "peserta_bpu"))
#: Total column and its two parts.
FIGURE_PARTS = {"pekerja": ("pekerja_pu", "pekerja_bpu"), "peserta_aktif": ("peserta_pu", "peserta_bpu")}
#: Participant segments counted in the total besides PU and BPU: construction projects (Jakon), migrant workers.
SEGMENT_FIGURES = ("peserta_jakon", "peserta_pmi")
def _texts(values: pd.Series) -> np.ndarray:
    """Cell texts of a column (computed once per distinct value)."""
    if isinstance(values, pd.Series) and pd.api.types.is_string_dtype(values.dtype) and values.dtype != object:
        return values.fillna("").str.strip().to_numpy(dtype=object)  # CSV: text already, vectorised
    codes, uniques = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=False)
    return np.array([cell_text(u) for u in uniques], dtype=object)[codes] if len(codes) else np.array(
        [], dtype=object)


@dataclass
class RowContext:
    """Everything row checks need (shared with :mod:`ingest.participants`)."""

    name: str
    header: Header
    rows: pd.DataFrame
    spreadsheet_rows: np.ndarray
    index: RegionIndex
    level: str
    threshold: float
    participant: bool
    notes: list[str]
    #: Rows with cells right of the header's last named column (see :func:`log_extra_fields`).
    extra_fields: np.ndarray | None = None

    def __post_init__(self) -> None:
        if self.extra_fields is None:
            self.extra_fields = np.zeros(len(self.rows), dtype=bool)

    def column(self, role: str) -> int | None:
        cols = self.header.positions(role)
        return cols[0] if cols else None

    def texts(self, role: str) -> np.ndarray | None:
        col = self.column(role)
        return None if col is None else _texts(self.rows[col])


# -- keys ----------------------------------------------------------------------------

def match_keys(ctx: RowContext, mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, list[KeyResult]]:
    """Match the key cells of every row (once per distinct combination).

    Parameters
    ----------
    ctx : RowContext
    mask : numpy.ndarray, optional
        Rows to match (default all).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray, list of KeyResult)
        Positions of the matched rows, the combination number of each of
        those rows, and the results per combination.
    """
    roles = [r for r in KEY_ROLES if ctx.header.has(r)]
    positions = np.arange(len(ctx.rows)) if mask is None else np.flatnonzero(mask)
    columns = {r: ctx.texts(r)[positions] for r in roles}
    combined = np.zeros(len(positions), dtype=np.int64)
    for r in roles:
        codes, uniques = pd.factorize(columns[r])
        combined = pd.factorize(combined * (len(uniques) + 1) + codes)[0]
    _, first, group = np.unique(combined, return_index=True, return_inverse=True)
    results = [resolve_key({r: columns[r][i] for r in roles}, ctx.level, ctx.index, ctx.threshold) for i in first]
    return positions, group, results


def log_key_problems(ctx: RowContext, log: ProblemLog, positions: np.ndarray, group: np.ndarray,
                     results: list[KeyResult]) -> np.ndarray:
    """Record the key problems of matched rows; return each row's kode (None if rejected)."""
    kodes = np.array([r.kode for r in results], dtype=object)[group] if len(group) else np.array([], dtype=object)
    bad = [i for i, r in enumerate(results) if r.problems]
    if bad:
        is_bad = np.isin(group, bad)
        for pos, g in zip(positions[is_bad], group[is_bad]):
            for role, reason, suggestion in results[g].problems:
                col = ctx.column(role)
                value = "" if col is None else cell_text(ctx.rows.iat[pos, col])
                log.add(pos, col if col is not None else -1, ctx.header.names[col] if col is not None else role,
                        value, reason, suggestion)
    return kodes


# -- figures -------------------------------------------------------------------------

def log_cell_problems(ctx: RowContext, log: ProblemLog, role: str, reasons: np.ndarray,
                      skip: Iterable[str] = ()) -> None:
    """Record one problem per row whose cell in ``role``'s column has a reason (except ``skip``)."""
    col = ctx.column(role)
    bad = np.flatnonzero(pd.notna(reasons) & ~np.isin(reasons.astype(str), list(skip)))
    if len(bad):
        values = _texts(ctx.rows[col])[bad]
        log.add_many(bad, col, ctx.header.names[col], values, reasons[bad],
                     [SUGGESTIONS.get(r, "") for r in reasons[bad]])


def parse_periods(ctx: RowContext, log: ProblemLog, today: dt.date | None = None) -> np.ndarray:
    """Parse the period column (all None when there is none); periods after this month are rejected.

    A period after ``today``'s month (default today) cannot have been counted
    yet: a typing error such as 2099 would otherwise become the period shown.
    """
    col = ctx.column("periode")
    if col is None:
        return np.full(len(ctx.rows), None, dtype=object)
    periods, reasons = map_unique(ctx.rows[col], parse_period)
    log_cell_problems(ctx, log, "periode", reasons)
    day = today or dt.date.today()
    this_month = f"{day.year:04d}-{day.month:02d}"
    future = np.flatnonzero(pd.notna(periods) & (periods.astype(str) > this_month))
    if len(future):
        log.add_many(future, col, ctx.header.names[col], _texts(ctx.rows[col])[future],
                     ["period_in_future"] * len(future),
                     [Message("suggestion.period_in_future", period=periods[i], month=this_month) for i in future])
        periods = periods.copy()
        periods[future] = None
    return periods


def log_extra_fields(ctx: RowContext, log: ProblemLog) -> None:
    """Reject rows with cells right of the header's last column, when only some rows have them.

    Such a row has more fields than the header: in a comma-separated file,
    an unquoted ``3.050,00`` or a name with a comma splits one cell in two
    and shifts every later figure one column to the right.
    """
    if not ctx.extra_fields.any():
        return
    width = ctx.header.width
    for pos in np.flatnonzero(ctx.extra_fields):
        cells = [cell_text(v) for v in ctx.rows.iloc[pos, width:]]
        last = max(i for i, c in enumerate(cells) if c)
        log.add(pos, width + last, Message("note.untitled_column", n=width + last + 1), cells[last], "extra_fields",
                Message("suggestion.extra_fields", fields=width + last + 1, header=width))


def checked_keep(rejected: np.ndarray, kodes: np.ndarray) -> np.ndarray:
    """Positions of the accepted rows; every other row must have a problem."""
    unmatched = ~rejected & pd.isna(kodes)
    if unmatched.any():  # a bug, not a data problem: a row would vanish silently
        raise RuntimeError(f"{int(unmatched.sum())} row(s) neither matched nor rejected")
    return np.flatnonzero(~rejected)


def make_table(rows: np.ndarray, kodes: np.ndarray, level: str, periods: np.ndarray,
               figures: dict[str, Any]) -> pd.DataFrame:
    """Build the result table (:data:`TABLE_COLUMNS`); figures not given are <NA>."""
    period = np.asarray(periods, dtype=object).copy()
    period[pd.isna(period)] = None
    table = pd.DataFrame({"row": np.asarray(rows, dtype=np.int64), "kode": np.asarray(kodes, dtype=object),
                          "level": level, "period": pd.array(period, dtype="string")})
    for column in FIGURES.values():
        source = figures.get(column)
        table[column] = pd.array(list(source) if source is not None else [pd.NA] * len(table), dtype="Int64")
    return table[list(TABLE_COLUMNS)]


#: Problems a report lists at most; the others are counted per reason (``problem_counts``).  A file whose
#: millions of rows are all rejected (a wrong column, a wrong region) would otherwise build millions of
#: entries.  ``PETA_MAX_LISTED_PROBLEMS`` overrides it.
MAX_LISTED_PROBLEMS = 100_000


def max_listed_problems() -> int:
    """The listing limit: ``PETA_MAX_LISTED_PROBLEMS`` or :data:`MAX_LISTED_PROBLEMS`."""
    try:
        value = int(os.environ.get("PETA_MAX_LISTED_PROBLEMS", ""))
    except ValueError:
        return MAX_LISTED_PROBLEMS
    return value if value > 0 else MAX_LISTED_PROBLEMS


def build_report(rows_in: int, rejected: int, problems: list[dict[str, Any]],
                 matches: list[dict[str, Any]], total_rows: list[dict[str, Any]] | None = None,
                 problem_counts: dict[str, int] | None = None) -> dict[str, Any]:
    """The report dict without ``totals`` (``total_rows``: total rows compared with the rows they sum).

    ``problems`` lists the first :func:`max_listed_problems` problems by row; ``problems_total`` and
    ``problem_counts`` (reason -> number) count every problem, listed or not.
    """
    counts = dict(problem_counts) if problem_counts is not None else dict(
        Counter(str(p["reason"]) for p in problems))
    return {"rows_in": rows_in, "rows_matched": rows_in - rejected, "rows_rejected": rejected,
            "problems": problems, "problems_total": sum(counts.values()), "problem_counts": counts,
            "matches": matches, "total_rows": total_rows or []}



"""Sponsored cohorts: one checked record per cohort, from the page or from a file.

A cohorts file (CSV/XLSX, read by the one table reader) has one row per
cohort with the columns of ``ingest/aliases.json`` (``cohorts``):

======  ========  ===========  =======  ========
jumlah  kode      sumber_dana  mulai    selesai
======  ========  ===========  =======  ========
400     32.05.30  DBHCHT       2025-09  2025-12
======  ========  ===========  =======  ========

A file with any bad row is refused as a whole, every problem named by row,
column and fix (at most :data:`MAX_LISTED`): a forecast built on part of the
cohorts would understate what is funded without saying so.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

import pandas as pd

from core.errors import ConfigError, InputFileError
from core.i18n import Joined, Message
from ingest.headers import COHORT_COLUMN_ALIASES, COHORT_LOOKUP, match_alias
from ingest.reader import HEADER_SCAN_ROWS, load_source, read_grid

#: Funding sources, in the order the page offers them (labels: catalog ``cohort.source.<code>``).
FUNDING_SOURCES: tuple[str, ...] = ("ASN", "APBD", "APBDes", "DBHCHT", "CSR", "lainnya")
#: Most workers one cohort may hold (Garut has about 836,000 working people).
MAX_COUNT = 1_000_000
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_KECAMATAN = re.compile(r"^\d{2}\.\d{2}\.\d{2}$")
_DESA = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$")

#: Problems listed in one refusal; the count says how many there are in all.
MAX_LISTED = 20
#: Most rows a cohorts file may hold.
MAX_ROWS = 10_000


@dataclass(frozen=True)
class Cohort:
    """A sponsored cohort.

    Attributes
    ----------
    count : int
    kode : str
        Desa (``32.05.01.1001``) or kecamatan (``32.05.01``) code.
    source : str
        One of :data:`FUNDING_SOURCES`.
    start_month, end_month : str
        ``YYYY-MM``, both included.
    id : int or None
        Row id once stored.
    """

    count: int
    kode: str
    source: str
    start_month: str
    end_month: str
    id: int | None = None

    @property
    def kecamatan(self) -> str:
        """The kecamatan code the cohort belongs to."""
        return self.kode[:8]

    def active(self, month: str) -> bool:
        """Whether the cohort is paid for in ``month`` (``YYYY-MM``)."""
        return self.start_month <= month <= self.end_month


def month_text(value: object) -> str:
    """``YYYY-MM`` of a date, a month text, or a ``YYYY-MM-DD`` text; ValueError otherwise."""
    if isinstance(value, (dt.date, pd.Timestamp)):
        return f"{value.year:04d}-{value.month:02d}"
    text = str(value).strip()[:10]
    match = _MONTH.match(text[:7]) if len(text) in (7, 10) else None
    if not match or not 1 <= int(match.group(2)) <= 12 or (len(text) == 10 and not re.match(r"^-\d{2}$", text[7:])):
        raise ValueError(text)
    return text[:7]


def months_between(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last``, both included."""
    return [str(p) for p in pd.period_range(first, last, freq="M")]


def check_cohort(count: object, kode: object, source: object, start_month: object, end_month: object,
                 known_codes: Iterable[str]) -> Cohort:
    """Check one cohort's fields.

    Parameters
    ----------
    count : int
        Whole number from 1 to :data:`MAX_COUNT`.
    kode : str
        A desa or kecamatan code of ``known_codes``.
    source : str
        One of :data:`FUNDING_SOURCES` (case-insensitive).
    start_month, end_month : str or date
        ``YYYY-MM``; the end not before the start.
    known_codes : iterable of str
        Desa and kecamatan codes of the region.

    Raises
    ------
    ConfigError
        ``cohort.bad_count``, ``cohort.bad_area``, ``cohort.bad_source``, ``cohort.bad_start_month``,
        ``cohort.bad_end_month`` or ``cohort.end_before_start``.
    """
    number = None if isinstance(count, bool) else _whole(count)
    if number is None or not 1 <= number <= MAX_COUNT:
        raise ConfigError("cohort.bad_count", value=repr(count), limit=MAX_COUNT)
    code = str(kode or "").strip()
    if not (_DESA.match(code) or _KECAMATAN.match(code)) or code not in set(known_codes):
        raise ConfigError("cohort.bad_area", value=repr(code[:40]))
    by_key = {s.casefold(): s for s in FUNDING_SOURCES}
    funding = by_key.get(str(source or "").strip().casefold())
    if funding is None:
        raise ConfigError("cohort.bad_source", value=repr(str(source)[:40]), sources=", ".join(FUNDING_SOURCES))
    months = []
    for key, value in (("cohort.bad_start_month", start_month), ("cohort.bad_end_month", end_month)):
        try:
            months.append(month_text(value))
        except ValueError:
            raise ConfigError(key, value=repr(str(value)[:40])) from None
    if months[1] < months[0]:
        raise ConfigError("cohort.end_before_start", start=months[0], end=months[1])
    return Cohort(number, code, funding, months[0], months[1])


def _whole(value: object) -> int | None:
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value).strip().replace(".", "") if isinstance(value, str) else ""
    return int(text) if text.isdigit() else None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, float) and math.isnan(value))


#: Exact spellings (lower case, ``_`` for spaces): "jumlah" alone is a filler word to the word matcher.
_EXACT = {alias: role for role, names in COHORT_COLUMN_ALIASES.items() for alias in names}


def _role(cell: object) -> str | None:
    exact = re.sub(r"[\s-]+", "_", str(cell).strip().casefold())
    return match_alias(cell, COHORT_LOOKUP) or _EXACT.get(exact)


def _header(grid) -> tuple[int, dict[str, int]]:
    for number, row in enumerate(grid.head(HEADER_SCAN_ROWS).itertuples(index=False)):
        roles: dict[str | None, int] = {}
        for i, cell in enumerate(row):
            if not _blank(cell):
                roles.setdefault(_role(cell), i)
        if all(role in roles for role in COHORT_COLUMN_ALIASES):
            return number, {role: roles[role] for role in COHORT_COLUMN_ALIASES}
    return -1, {}


def _holds_cohort_header(grid) -> bool:
    """Whether a sheet's first rows hold the header (module level: the XLSX worker pickles it)."""
    return _header(grid)[0] >= 0


def read_cohorts(path_or_file: str | os.PathLike[str] | bytes | IO[bytes], known_codes: Iterable[str],
                 filename: str | None = None) -> list[Cohort]:
    """Read and check a cohorts file.

    Parameters
    ----------
    path_or_file : path, bytes or binary file
    known_codes : iterable of str
        Desa and kecamatan codes of the region.
    filename : str, optional
        Name for messages (uploads).

    Raises
    ------
    InputFileError
        ``cohorts.no_header``, ``cohorts.rows_refused`` (every bad row with its
        reason), ``cohorts.empty`` or ``cohorts.too_many_rows``.
    """
    name, data = load_source(path_or_file, filename)
    grid, meta, _merged = read_grid(name, data, holds_table=_holds_cohort_header)
    source = name if meta.get("sheet") is None else f"{name} ({meta['sheet']!r})"
    header_row, columns = _header(grid)
    if header_row < 0:
        accepted = "; ".join(f"{role}: {', '.join(names)}" for role, names in COHORT_COLUMN_ALIASES.items())
        raise InputFileError("cohorts.no_header", file=source, accepted=accepted)
    if len(grid) - header_row - 1 > MAX_ROWS:
        raise InputFileError("cohorts.too_many_rows", file=source, n=len(grid) - header_row - 1, limit=MAX_ROWS)
    known = frozenset(known_codes)
    out: list[Cohort] = []
    problems: list[Message] = []
    for number in range(header_row + 1, len(grid)):
        cells = {role: grid.iat[number, col] if col < grid.shape[1] else None for role, col in columns.items()}
        if all(_blank(v) for v in cells.values()):
            continue
        try:
            out.append(check_cohort(cells["count"], cells["kode"], cells["source"], cells["start_month"],
                                    cells["end_month"], known))
        except ConfigError as exc:
            problems.append(Message("cohorts.problem_row", row=number + 1, problem=Message(f"error.{exc.key}",
                                                                                          **exc.params)))
    if problems:
        raise InputFileError("cohorts.rows_refused", file=source, n=len(problems),
                             problems=Joined(problems[:MAX_LISTED], sep="; "))
    if not out:
        raise InputFileError("cohorts.empty", file=source)
    return out

"""Sponsored cohorts: one checked record per cohort, from the page or from a file.

A cohorts file (CSV/XLSX, read by the one table reader) has one row per
cohort with the columns of ``ingest/aliases.json`` (``cohorts``):

======  ========  ===========  =======  ========
jumlah  kode      sumber_dana  mulai    selesai
======  ========  ===========  =======  ========
400     32.05.30  DBHCHT       2025-09  2025-12
======  ========  ===========  =======  ========

A file with any bad row is refused as a whole, every problem named by row
and fix (:mod:`ingest.small_tables`): a forecast built on part of the cohorts
would understate what is funded without saying so.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

import pandas as pd

from core.errors import ConfigError, InputFileError
from core.i18n import Message
from geo.boundaries import region_name
from ingest.headers import COHORT_COLUMN_ALIASES
from ingest.small_tables import accepted_headers, listed, read_small_table
from ingest.validation import parse_count

#: Funding sources, in the order the page offers them (labels: catalog ``cohort.source.<code>``).
FUNDING_SOURCES: tuple[str, ...] = ("ASN", "APBD", "APBDes", "DBHCHT", "CSR", "lainnya")
#: Most workers one cohort may hold (Garut has about 836,000 working people).
MAX_COUNT = 1_000_000
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_KECAMATAN = re.compile(r"^\d{2}\.\d{2}\.\d{2}$")
_DESA = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$")

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
    number, _reason = parse_count(count)
    if number is None or not 1 <= number <= MAX_COUNT:
        raise ConfigError("cohort.bad_count", value=repr(count), limit=MAX_COUNT)
    code = str(kode or "").strip()
    if not (_DESA.match(code) or _KECAMATAN.match(code)) or code not in set(known_codes):
        examples = sorted(known_codes)
        desa = next((c for c in examples if _DESA.match(c)), "32.05.01.1001")
        kecamatan = next((c for c in examples if _KECAMATAN.match(c)), "32.05.01")
        raise ConfigError("cohort.bad_area", value=repr(code[:40]), desa=desa, kecamatan=kecamatan,
                          region=region_name())
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
    table = read_small_table(path_or_file, filename, COHORT_COLUMN_ALIASES)
    if table.header_row < 0:
        raise InputFileError("cohorts.no_header", file=table.source, accepted=accepted_headers(COHORT_COLUMN_ALIASES))
    if table.n_rows > MAX_ROWS:
        raise InputFileError("cohorts.too_many_rows", file=table.source, n=table.n_rows, limit=MAX_ROWS)
    known = frozenset(known_codes)
    out: list[Cohort] = []
    problems: list[Message] = []
    for row, cells in table.rows():
        try:
            out.append(check_cohort(cells["count"], cells["kode"], cells["source"], cells["start_month"],
                                    cells["end_month"], known))
        except ConfigError as exc:
            problems.append(Message("cohorts.problem_row", row=row, problem=Message(f"error.{exc.key}", **exc.params)))
    if problems:
        raise InputFileError("cohorts.rows_refused", file=table.source, n=len(problems), problems=listed(problems))
    if not out:
        raise InputFileError("cohorts.empty", file=table.source)
    return out

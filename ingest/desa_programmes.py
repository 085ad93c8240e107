"""Desa programme tables: Desa Sadar Jamsostek, perangkat desa registered, active Perisai agents, per desa.

A desa programme table (CSV, TXT or XLSX, through the one table reader) has
one row per desa: the desa (``kode_desa``, or ``desa`` with ``kecamatan``),
``sadar_status`` ("Desa Sadar Jaminan Sosial Ketenagakerjaan": sudah /
proses / belum), ``sadar_date`` (the day it was declared), ``perangkat_registered``
of ``perangkat_total`` (the kepala desa and perangkat desa registered, usually
the first step) and ``perisai_active`` (active Perisai agents).  Every column
but the desa is optional; header spellings are package data
(``ingest/aliases.json``, ``desa_programmes``).

:func:`read_desa_programmes` reads it row by row: every data row is accepted
or rejected with at least one problem naming row, column, cell and fix
(``rows_in == rows_matched + rows_rejected``); nothing is silently fixed.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from typing import IO, Any

import pandas as pd

from core.errors import InputFileError
from core.formatting import Figure
from core.i18n import Message
from ingest.headers import PROGRAMME_COLUMN_ALIASES, alias_lookup, header_role
from ingest.matching import RegionIndex, normalise_name, resolve_key
from ingest.problems import Problem
from ingest.reader import HEADER_SCAN_ROWS, load_source, read_grid
from ingest.validation import (
    SUGGESTIONS,
    UncomputedFormula,
    cell_text,
    is_blank,
    parse_count,
)

COLUMN_ALIASES: dict[str, tuple[str, ...]] = PROGRAMME_COLUMN_ALIASES
_LOOKUP = alias_lookup(dict(COLUMN_ALIASES))
#: The figures a table can give besides the desa (at least one is needed).
FIGURE_COLUMNS = ("sadar_status", "sadar_date", "perangkat_registered", "perangkat_total", "perisai_active")
#: Desa Sadar Jamsostek statuses and the words that name them (lower case, spaces for punctuation).
SADAR_STATUSES = ("sudah", "proses", "belum")
_STATUS_WORDS = {
    "sudah": "sudah", "ya": "sudah", "y": "sudah", "yes": "sudah", "dicanangkan": "sudah", "sudah dicanangkan": "sudah",
    "desa sadar": "sudah", "sadar": "sudah", "1": "sudah", "true": "sudah", "done": "sudah", "declared": "sudah",
    "proses": "proses", "dalam proses": "proses", "persiapan": "proses", "in progress": "proses",
    "progress": "proses", "berjalan": "proses",
    "belum": "belum", "tidak": "belum", "no": "belum", "n": "belum", "0": "belum", "false": "belum", "not yet": "belum",
}
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y")
#: Largest number of perangkat desa or Perisai agents one desa may give (a typing slip above it).
MAX_PEOPLE = 500


@dataclass
class ProgrammeCheck:
    """A desa programme table as read.

    Attributes
    ----------
    source : str
    rows_in : int
        Non-blank data rows.
    table : DataFrame
        Accepted rows: ``row``, ``kode_desa``, ``sadar_status`` (of
        :data:`SADAR_STATUSES` or None when not given), ``sadar_date`` (date or
        None), ``perangkat_registered``, ``perangkat_total``, ``perisai_active``
        (Int64, <NA> when not given).
    problems : list of Problem
    columns : dict
        Canonical column -> the header as written.
    """

    source: str
    rows_in: int
    table: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)

    @property
    def rows_matched(self) -> int:
        """Rows accepted."""
        return int(len(self.table))

    @property
    def rows_rejected(self) -> int:
        """Rows rejected; ``rows_in == rows_matched + rows_rejected``."""
        return self.rows_in - self.rows_matched

    def report(self) -> dict[str, Any]:
        """JSON-ready report (messages not yet localised)."""
        return {"source": self.source, "rows_in": self.rows_in, "rows_matched": self.rows_matched,
                "rows_rejected": self.rows_rejected, "columns": self.columns,
                "problems": [p.as_dict() for p in self.problems]}


def read_desa_programmes(path_or_file: str | os.PathLike[str] | bytes | IO[bytes], *, filename: str | None = None,
                         sheet: str | int | None = None, region: str | None = None, fuzzy_threshold: float = 90.0,
                         today: dt.date | None = None) -> ProgrammeCheck:
    """Read, validate and place a desa programme table.

    Raises
    ------
    InputFileError
        The file cannot be read as such a table (no header naming a desa and a programme column).
    """
    today = today or dt.date.today()
    name, data = load_source(path_or_file, filename)
    grid, meta, _merged = read_grid(name, data, sheet, holds_table=_holds_header)
    source = name if meta.get("sheet") is None else f"{name} ({meta['sheet']!r})"
    number, roles = _header(grid, source)
    index = RegionIndex.load(region)
    rows, problems, seen = [], [], {}
    n_rows = 0
    for r in range(number + 1, len(grid)):
        cells = {role: grid.iat[r, i] if i < grid.shape[1] else None for role, i in roles.items()}
        if all(is_blank(v) for v in cells.values()):
            continue
        n_rows += 1
        item, found = _parse_row(r + 1, cells, index, fuzzy_threshold, today)
        if not any(p.rejected for p in found) and item["kode_desa"] in seen:
            found.append(Problem(r + 1, "kode_desa", cell_text(cells.get("kode_desa") or cells.get("desa")),
                                 Message("programmes.problem.repeat"),
                                 Message("programmes.suggest.repeat", row=seen[item["kode_desa"]])))
        problems += found
        if not any(p.rejected for p in found):
            seen[item["kode_desa"]] = r + 1
            rows.append(item)
    frame = pd.DataFrame(rows, columns=["row", "kode_desa", "sadar_status", "sadar_date", "perangkat_registered",
                                        "perangkat_total", "perisai_active"])
    for column in ("perangkat_registered", "perangkat_total", "perisai_active"):
        frame[column] = frame[column].astype("Int64")
    frame["row"] = frame["row"].astype("int64")
    for column in ("sadar_status", "sadar_date"):
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    problems.sort(key=lambda p: (p.row, not p.rejected))
    return ProgrammeCheck(source, n_rows, frame, problems,
                          {role: cell_text(grid.iat[number, i]) for role, i in roles.items()})


def _role(cell: object) -> str | None:
    return header_role(cell, COLUMN_ALIASES, _LOOKUP)


def _holds_header(grid: pd.DataFrame) -> bool:
    """Whether a sheet's first rows name a desa and a programme column (a module function: XLSX sheets are
    read in a worker process, which gets it pickled)."""
    return _header_row(grid) >= 0


def _header_row(grid: pd.DataFrame) -> int:
    for number, row in enumerate(grid.head(HEADER_SCAN_ROWS).itertuples(index=False)):
        roles = {_role(cell) for cell in row if not is_blank(cell)}
        if roles & {"kode_desa", "desa"} and roles & set(FIGURE_COLUMNS):
            return number
    return -1


def _header(grid: pd.DataFrame, source: str) -> tuple[int, dict[str, int]]:
    number = _header_row(grid)
    if number < 0:
        raise InputFileError("programmes.no_header", file=source, rows=HEADER_SCAN_ROWS,
                             accepted="; ".join(f"{c}: {', '.join(v)}" for c, v in COLUMN_ALIASES.items()))
    roles: dict[str, int] = {}
    for i, cell in enumerate(grid.iloc[number]):
        role = None if is_blank(cell) else _role(cell)
        if role is not None:
            if role in roles:
                raise InputFileError("companies.same_column_twice", file=source, column=role,
                                     first=cell_text(grid.iat[number, roles[role]]), second=cell_text(cell))
            roles[role] = i
    return number, roles


def _problem(row: int, column: str, value: Any, reason: Message | str, suggestion: Message | str = "") -> Problem:
    return Problem(row, column, cell_text(value), reason, suggestion)


def _parse_row(row: int, cells: dict[str, Any], index: RegionIndex, threshold: float, today: dt.date
               ) -> tuple[dict[str, Any], list[Problem]]:
    found: list[Problem] = []
    item: dict[str, Any] = {"row": row, "kode_desa": None}
    keys = {r: cell_text(cells[r]) for r in ("kode_desa", "desa", "kecamatan") if r in cells and not is_blank(cells[r])}
    result = resolve_key(keys, "desa", index, threshold) if keys else None
    if result is None:
        column = "kode_desa" if "kode_desa" in cells else "desa"
        found.append(_problem(row, column, "", Message("reason.missing_value"), Message("match.missing_key_desa")))
    elif result.kode is None:
        found += [_problem(row, role, cells.get(role), Message(f"reason.{why}"), hint)
                  for role, why, hint in result.problems]
    else:
        item["kode_desa"] = result.kode
    status = cells.get("sadar_status")
    if isinstance(status, UncomputedFormula):
        found.append(_problem(row, "sadar_status", status, Message("reason.formula_not_computed"),
                              SUGGESTIONS["formula_not_computed"]))
        item["sadar_status"] = None
    elif is_blank(status):
        item["sadar_status"] = None
    else:
        key = re.sub(r"\s+", " ", re.sub(r"[^a-z0-9 ]", " ", cell_text(status).casefold())).strip()
        item["sadar_status"] = _STATUS_WORDS.get(key) or _STATUS_WORDS.get(normalise_name(cell_text(status)))
        if item["sadar_status"] is None:
            found.append(_problem(row, "sadar_status", status, Message("programmes.problem.status"),
                                  Message("programmes.suggest.status", choices=", ".join(SADAR_STATUSES))))
    item["sadar_date"], problem = _date(row, cells.get("sadar_date"), today)
    found += [problem] if problem else []
    if item["sadar_date"] is not None and item.get("sadar_status") in ("belum", "proses"):
        found.append(_problem(row, "sadar_date", item["sadar_date"].isoformat(),
                              Message("programmes.problem.date_without_status"),
                              Message("programmes.suggest.date_without_status")))
    for role in ("perangkat_registered", "perangkat_total", "perisai_active"):
        value, why = parse_count(cells.get(role)) if role in cells else (None, "missing_value")
        if why == "missing_value":
            value = None
        elif why:
            found.append(_problem(row, role, cells.get(role), Message(f"reason.{why}"), SUGGESTIONS.get(why, "")))
        elif value > MAX_PEOPLE:
            found.append(_problem(row, role, cells.get(role), Message("programmes.problem.too_many"),
                                  Message("programmes.suggest.too_many", limit=Figure(MAX_PEOPLE, "count"))))
            value = None
        item[role] = value
    registered, total = item["perangkat_registered"], item["perangkat_total"]
    if registered is not None and total is not None and registered > total:
        found.append(_problem(row, "perangkat_registered", cells.get("perangkat_registered"),
                              Message("programmes.problem.registered_gt_total"),
                              Message("programmes.suggest.registered_gt_total", registered=Figure(registered, "count"),
                                      total=Figure(total, "count"))))
    return item, found


def _date(row: int, value: Any, today: dt.date) -> tuple[dt.date | None, Problem | None]:
    """A declaration date (``2025-03-12``, ``12/03/2025``, an XLSX date); not after ``today``."""
    if is_blank(value):
        return None, None
    if isinstance(value, UncomputedFormula):
        return None, _problem(row, "sadar_date", value, Message("reason.formula_not_computed"),
                              SUGGESTIONS["formula_not_computed"])
    day = value.date() if isinstance(value, dt.datetime) else value if isinstance(value, dt.date) else None
    if day is None:
        text = cell_text(value)
        for fmt in _DATE_FORMATS:
            try:
                day = dt.datetime.strptime(text, fmt).date()
                break
            except ValueError:
                continue
    if day is None:
        return None, _problem(row, "sadar_date", value, Message("programmes.problem.date"),
                              Message("programmes.suggest.date"))
    if day > today:
        return None, _problem(row, "sadar_date", value, Message("programmes.problem.date_future"),
                              Message("programmes.suggest.date_future", today=today.isoformat()))
    return day, None

"""Small planning tables (road distances, sponsored cohorts): find the header, give the rows, refuse as a whole.

These tables feed a plan or a forecast, so a file with any bad row is refused
as a whole, each problem named by row and column (at most :data:`MAX_LISTED`
listed, all counted): a plan built on part of a table would be wrong without
saying where.  Files go through the one table reader
(:func:`ingest.reader.read_grid`: size limit, encodings, delimiters, XLSX in
a bounded worker); the header may stand in any of the first
:data:`ingest.reader.HEADER_SCAN_ROWS` rows.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from typing import IO, Any

from core.i18n import Joined, Message
from ingest.headers import alias_lookup, header_role
from ingest.reader import HEADER_SCAN_ROWS, load_source, read_grid

#: Problems listed in one refusal; the count says how many there are in all.
MAX_LISTED = 20


def blank(value: Any) -> bool:
    """An empty cell: None, NaN or only spaces."""
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, float) and math.isnan(value))


def find_header(grid, aliases: Mapping[str, tuple[str, ...]]) -> tuple[int, dict[str, int]]:
    """Row (0-based) of the first header naming every column of ``aliases``, and each column's position; -1 if none."""
    lookup = alias_lookup(dict(aliases))
    for number, row in enumerate(grid.head(HEADER_SCAN_ROWS).itertuples(index=False)):
        roles: dict[str | None, int] = {}
        for i, cell in enumerate(row):
            if not blank(cell):
                roles.setdefault(header_role(cell, aliases, lookup), i)
        if all(role in roles for role in aliases):
            return number, {role: roles[role] for role in aliases}
    return -1, {}


def _holds_header(aliases: Mapping[str, tuple[str, ...]], grid) -> bool:
    return find_header(grid, aliases)[0] >= 0


@dataclass
class SmallTable:
    """A small table as read: where from, the header cell of each column, the grid."""

    source: str
    headers: dict[str, str]
    columns: dict[str, int]
    header_row: int
    grid: Any

    @property
    def n_rows(self) -> int:
        """Rows below the header."""
        return len(self.grid) - self.header_row - 1

    def rows(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """``(spreadsheet row, {column: cell})`` of every non-empty row below the header."""
        for number in range(self.header_row + 1, len(self.grid)):
            cells = {role: self.grid.iat[number, col] if col < self.grid.shape[1] else None
                     for role, col in self.columns.items()}
            if not all(blank(v) for v in cells.values()):
                yield number + 1, cells


def read_small_table(path_or_file: str | os.PathLike[str] | bytes | IO[bytes], filename: str | None,
                     aliases: Mapping[str, tuple[str, ...]]) -> SmallTable:
    """Read a small table through the one table reader and find its header.

    Parameters
    ----------
    path_or_file : path, bytes or binary file
    filename : str, optional
        Name for messages (uploads).
    aliases : mapping
        Column -> accepted header spellings (``ingest/aliases.json``); every column is required.

    Returns
    -------
    SmallTable
        ``header_row`` is -1 when no header was found (the caller refuses the file with its own message).

    Raises
    ------
    InputFileError
        Whole-file problems of the reader (size, type, encoding, limits).
    """
    name, data = load_source(path_or_file, filename)
    grid, meta, _merged = read_grid(name, data, holds_table=partial(_holds_header, dict(aliases)))
    source = name if meta.get("sheet") is None else f"{name} ({meta['sheet']!r})"
    header_row, columns = find_header(grid, aliases)
    headers = {role: str(grid.iat[header_row, col]) for role, col in columns.items()}
    return SmallTable(source, headers, columns, header_row, grid)


def accepted_headers(aliases: Mapping[str, tuple[str, ...]]) -> str:
    """The header spellings accepted per column, for a "no header" message."""
    return "; ".join(f"{role}: {', '.join(names)}" for role, names in aliases.items())


def listed(problems: list[Message]) -> Joined:
    """The first :data:`MAX_LISTED` problems, joined for a refusal message (the count goes beside it)."""
    return Joined(problems[:MAX_LISTED], sep="; ")

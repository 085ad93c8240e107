"""A road-distance matrix: desa code pairs and kilometres, for trip plans.

No road network is available offline, so trip plans estimate distances
(straight lines times a detour factor).  A planner who has road distances
(from a routing service, the Dinas PUPR, or the teams' odometers) gives them
as a table, CSV or XLSX, read by the one table reader:

=============  ================  ===
dari           ke                km
=============  ================  ===
32.05.01.1001  32.05.05.2003     7,4
=============  ================  ===

Column names may be spelled as in ``ingest/aliases.json`` (``road_distances``).
One pair serves both directions unless the other direction is given too.  A
file with any bad row is refused as a whole, every problem named by row,
column and fix (:mod:`ingest.small_tables`): a plan built on a half-read
matrix would mix road and estimated legs without saying where.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from core.errors import InputFileError
from core.i18n import Message
from geo.boundaries import load_layer, region_name
from ingest.headers import ROAD_COLUMN_ALIASES
from ingest.problems import mask_personal
from ingest.small_tables import accepted_headers, blank, listed, read_small_table
from ingest.validation import parse_number

#: Most pairs a matrix may hold: every ordered pair of Garut's 442 desa is 194,922.
MAX_ROWS = 200_000
#: Longest leg accepted, km: Garut is about 100 km across; 1,000 km is a unit mistake (metres typed as km).
MAX_KM = 1000.0
_CODE = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$")


@dataclass
class RoadDistances:
    """Road distances read from a file.

    Attributes
    ----------
    source : str
        File name (and sheet).
    metres : dict
        ``{(kode_a, kode_b): metres}`` as given (one direction per row).
    """

    source: str
    metres: dict[tuple[str, str], float] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.metres)


def read_road_distances(path_or_file: str | os.PathLike[str] | bytes | IO[bytes], filename: str | None = None,
                        desa_codes: Iterable[str] | None = None) -> RoadDistances:
    """Read and check a road-distance matrix.

    Parameters
    ----------
    path_or_file : path, bytes or binary file
        CSV/TXT/XLSX.
    filename : str, optional
        Name for messages (uploads).
    desa_codes : iterable of str, optional
        Codes a pair may name (default: the Garut desa layer).

    Returns
    -------
    RoadDistances

    Raises
    ------
    InputFileError
        ``road.no_header`` when no row names the three columns; ``road.too_many_rows``;
        ``road.rows_refused`` listing every bad row (unknown or malformed
        code, a pair of one desa, a distance that is not a positive number of
        km, a pair given twice with different distances); ``road.empty``.
    """
    table = read_small_table(path_or_file, filename, ROAD_COLUMN_ALIASES)
    if table.header_row < 0:
        raise InputFileError("road.no_header", file=table.source, accepted=accepted_headers(ROAD_COLUMN_ALIASES))
    if table.n_rows > MAX_ROWS:
        raise InputFileError("road.too_many_rows", file=table.source, n=table.n_rows, limit=MAX_ROWS)
    if desa_codes is None:
        desa_codes = load_layer("desa")["kode"]
    known = frozenset(desa_codes)
    region = region_name()              # once per file, for the messages of unknown codes
    problems: list[Message] = []
    out: dict[tuple[str, str], float] = {}
    first_row: dict[tuple[str, str], int] = {}
    for row, cells in table.rows():
        bad = _row_problems(row, cells, table.headers, known, region)
        if bad:
            problems += bad
            continue
        pair = (str(cells["from"]).strip(), str(cells["to"]).strip())
        metres = round(parse_number(cells["km"]) * 1000.0, 1)
        if pair in out and out[pair] != metres:
            problems.append(Message("road.problem.twice", row=row, first=first_row[pair], a=pair[0], b=pair[1]))
            continue
        out[pair], first_row[pair] = metres, first_row.get(pair, row)
    if problems:
        raise InputFileError("road.rows_refused", file=table.source, n=len(problems), problems=listed(problems))
    if not out:
        raise InputFileError("road.empty", file=table.source)
    return RoadDistances(table.source, out)


def _row_problems(row: int, cells: dict[str, Any], headers: dict[str, str], known: frozenset[str],
                  region: str) -> list[Message]:
    problems = []
    for role in ("from", "to"):
        value = "" if blank(cells[role]) else str(cells[role]).strip()
        if not _CODE.match(value):
            problems.append(Message("road.problem.bad_code", row=row, column=headers[role],
                                    value=repr(mask_personal(value[:40]))))
        elif value not in known:
            problems.append(Message("road.problem.unknown_code", row=row, column=headers[role], value=value,
                                    region=region))
    if not problems and str(cells["from"]).strip() == str(cells["to"]).strip():
        problems.append(Message("road.problem.same_desa", row=row, value=str(cells["from"]).strip()))
    km = None if blank(cells["km"]) else parse_number(cells["km"])
    if km is None or not math.isfinite(km) or not 0 < km <= MAX_KM:
        shown = "" if blank(cells["km"]) else mask_personal(str(cells["km"])[:40])
        problems.append(Message("road.problem.bad_km", row=row, column=headers["km"], value=repr(shown),
                                limit=f"{MAX_KM:g}"))
    return problems

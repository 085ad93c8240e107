"""Companies files (PWBD/PDS follow-up): read, validate and place one company per row.

A companies file (CSV, TXT or XLSX, through the one table reader
:func:`ingest.reader.read_grid`) lists employers: ``name``, ``npp`` (BPJS
Ketenagakerjaan company number, when registered), ``npwp``, ``sector``
(KBLI section letter, KBLI code or a sector word), a location (``kode_desa``,
or ``desa`` with ``kecamatan``, or ``lat``/``lon``), ``workers_employed``
(e.g. from the Disnaker WLKP report), ``workers_enrolled``, ``wage_reported``
and ``wage_registered`` (average monthly wage per worker, Rp, as the company
reports it and as registered with BPJS Ketenagakerjaan), ``programmes``
(``JKK, JKM, JHT, JP``) and ``scale`` (mikro/kecil/menengah/besar).  Header
spellings are package data (``ingest/aliases.json``, ``companies``).

:func:`read_companies` is the table of contents: find the header
(:func:`_header`), read each row's cells (:func:`_parse_row`), place it in a
desa (:func:`_place`), reject repeats (:func:`_reject_repeats`) and build the
table (:func:`_frame`).  Every data row is either accepted or rejected with at
least one :class:`~ingest.problems.Problem` naming row, column, cell and fix;
``rows_in == rows_matched + rows_rejected``.  Nothing is silently fixed.

A company counts as **registered** when it has an NPP, enrolled workers or
registered programmes (an NPWP alone does not register it).  Its compliance
status is derived in :mod:`analysis.compliance`.

Personal data: a contact column (PIC, telephone, e-mail, owner) is dropped as
it is read and named in the report by its header only; NPWP values never
enter the report (an individual's NPWP is the NIK) and every echoed cell goes
through :func:`ingest.problems.mask_personal`.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from core.errors import InputFileError
from core.formatting import Figure
from core.i18n import Message
from geo.locate import find_corrections
from ingest.headers import (
    COMPANY_COLUMN_ALIASES,
    PERSONAL_WORDS,
    alias_lookup,
    header_role,
)
from ingest.matching import RegionIndex, normalise_name, resolve_key
from ingest.problems import Problem, mask_personal
from ingest.reader import HEADER_SCAN_ROWS, load_source, read_grid
from ingest.validation import (
    SUGGESTIONS,
    UncomputedFormula,
    cell_text,
    is_blank,
    number_convention,
    parse_coordinate,
    parse_count,
)

#: Canonical column -> accepted header spellings (``ingest/aliases.json``, ``companies``).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = COMPANY_COLUMN_ALIASES
_LOOKUP = alias_lookup(dict(COLUMN_ALIASES))
#: Columns every companies file needs (and one way to place the company: see :data:`LOCATION_COLUMNS`).
REQUIRED_COLUMNS = ("name", "workers_employed")
#: Ways to place a company: a desa code, a desa name, or both coordinates.
LOCATION_COLUMNS = (("kode_desa",), ("desa",), ("lat", "lon"))
#: The four programmes of a company's registration (JKP, the job-loss programme, comes with them).
PROGRAMMES = ("JKK", "JKM", "JHT", "JP")
#: Words and names of each programme in a ``programmes`` cell (lower case).
_PROGRAMME_WORDS = {
    "jkk": "JKK", "jaminan kecelakaan kerja": "JKK", "kecelakaan kerja": "JKK",
    "jkm": "JKM", "jaminan kematian": "JKM", "kematian": "JKM",
    "jht": "JHT", "jaminan hari tua": "JHT", "hari tua": "JHT",
    "jp": "JP", "jaminan pensiun": "JP", "pensiun": "JP",
    "jkp": "JKP", "jaminan kehilangan pekerjaan": "JKP",
}
#: Business scales (UU 20/2008 on MSMEs) and the words that name them.
SCALES = ("mikro", "kecil", "menengah", "besar")
_SCALE_WORDS = {"mikro": "mikro", "micro": "mikro", "kecil": "kecil", "small": "kecil",
                "menengah": "menengah", "medium": "menengah", "besar": "besar", "large": "besar"}
#: Label of a company whose sector is blank or not recognised.
UNKNOWN_SECTOR = "?"
_KBLI_PATH = Path(__file__).with_name("kbli_sections.json")
#: Largest average monthly wage one row may give (Rp): a typing slip, not a wage.
MAX_WAGE = 1_000_000_000


@dataclass
class CompanyCheck:
    """A companies file as read: the accepted companies and one problem per bad cell.

    Attributes
    ----------
    source : str
        File name (and sheet), for messages.
    rows_in : int
        Non-blank data rows.
    companies : DataFrame
        Accepted rows: ``row``, ``name``, ``npp``, ``npwp``, ``sector`` (KBLI
        section letter or :data:`UNKNOWN_SECTOR`), ``sector_text`` (as written),
        ``kode_desa``, ``desa``, ``kode_kec``, ``kecamatan``, ``lat``, ``lon``
        (NaN when placed by code or name), ``workers_employed``,
        ``workers_enrolled`` (<NA> when the file has no such column; a blank
        cell is 0), ``wage_reported``, ``wage_registered`` (NaN =
        not given), ``programmes`` (comma-joined, of :data:`PROGRAMMES`),
        ``programmes_given``, ``scale`` (of :data:`SCALES` or None) and
        ``registered``.
    problems : list of Problem
    columns : dict
        Canonical column -> the header as written.
    personal_columns : list of str
        Headers dropped as personal data (contacts), named only.
    ignored_columns : list of str
        Headers the reader does not use.
    """

    source: str
    rows_in: int
    companies: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    personal_columns: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def rows_matched(self) -> int:
        """Rows accepted."""
        return int(len(self.companies))

    @property
    def rows_rejected(self) -> int:
        """Rows rejected; ``rows_in == rows_matched + rows_rejected``."""
        return self.rows_in - self.rows_matched

    def report(self) -> dict[str, Any]:
        """JSON-ready report (messages not yet localised); no NPWP, no contact values."""
        return {
            "source": self.source, "rows_in": self.rows_in, "rows_matched": self.rows_matched,
            "rows_rejected": self.rows_rejected, "columns": self.columns,
            "personal_columns": self.personal_columns, "ignored_columns": self.ignored_columns,
            "problems": [p.as_dict() for p in self.problems],
        }


# -- the entry point ------------------------------------------------------------------------------


def read_companies(path_or_file: str | os.PathLike[str] | bytes | IO[bytes], *, filename: str | None = None,
                   sheet: str | int | None = None, region: str | None = None,
                   fuzzy_threshold: float = 90.0) -> CompanyCheck:
    """Read, validate and place a companies file.

    Parameters
    ----------
    path_or_file : path, bytes or binary file
    filename : str, optional
        Name for messages (uploads).
    sheet : str or int, optional
        XLSX sheet; default the one whose first rows hold a companies header.
    region : str, optional
        Region code (default the region in use, :mod:`geo.region`).
    fuzzy_threshold : float
        Lowest rapidfuzz score (0-100) at which a desa or kecamatan name matches.

    Returns
    -------
    CompanyCheck

    Raises
    ------
    InputFileError
        The file cannot be read as a companies table at all (size, type,
        encoding, no header, a required column missing); row problems are
        reported row by row instead.
    """
    name, data = load_source(path_or_file, filename)
    grid, meta, _merged = read_grid(name, data, sheet, holds_table=_holds_header)
    source = name if meta.get("sheet") is None else f"{name} ({meta['sheet']!r})"
    header = _header(grid, source)
    index = RegionIndex.load(region)
    rows = list(_rows(grid, header))
    decimal = number_convention(grid.iloc[header.row + 1:, i] for r, i in header.roles.items()
                                if r.startswith(("workers", "wage")))
    problems: list[Problem] = []
    parsed = []
    for number, cells in rows:
        item, found = _parse_row(number, cells, decimal)
        found += _place(item, cells, index, fuzzy_threshold)
        problems += found
        if not any(p.rejected for p in found):
            parsed.append(item)
    kept, repeats = _reject_repeats(parsed)
    problems += repeats
    problems.sort(key=lambda p: (p.row, not p.rejected))
    return CompanyCheck(source, len(rows), _frame(kept, index), problems,
                        {role: header.names[i] for role, i in header.roles.items()},
                        header.personal, header.ignored)


# -- header ---------------------------------------------------------------------------------------


@dataclass
class _Header:
    row: int                      # 0-based grid row of the header
    roles: dict[str, int]         # canonical column -> grid column
    names: dict[int, str]         # grid column -> header as written
    personal: list[str]
    ignored: list[str]


def _role(cell: object) -> str | None:
    return header_role(cell, COLUMN_ALIASES, _LOOKUP)


def _holds_header(grid: pd.DataFrame) -> bool:
    """Whether a sheet's first rows name a company and its workers (the required columns)."""
    return _header_row(grid) >= 0


def _header_row(grid: pd.DataFrame) -> int:
    for number, row in enumerate(grid.head(HEADER_SCAN_ROWS).itertuples(index=False)):
        roles = {_role(cell) for cell in row if not is_blank(cell)}
        if all(r in roles for r in REQUIRED_COLUMNS):
            return number
    return -1


def _header(grid: pd.DataFrame, source: str) -> _Header:
    """The header row and the column of every role; refuse a file without the required columns."""
    number = _header_row(grid)
    if number < 0:
        raise InputFileError("companies.no_header", file=source, rows=HEADER_SCAN_ROWS,
                             accepted="; ".join(f"{c}: {', '.join(COLUMN_ALIASES[c])}" for c in REQUIRED_COLUMNS))
    roles: dict[str, int] = {}
    names: dict[int, str] = {}
    personal, ignored = [], []
    for i, cell in enumerate(grid.iloc[number]):
        if is_blank(cell):
            continue
        text = mask_personal(cell_text(cell))
        names[i] = text
        role = _role(cell)
        if role == "contact" or (role is None and _personal(text)):
            personal.append(text)
        elif role is None:
            ignored.append(text)
        elif role in roles:
            raise InputFileError("companies.same_column_twice", file=source, column=role,
                                 first=names[roles[role]], second=text)
        else:
            roles[role] = i
    if not any(all(c in roles for c in way) for way in LOCATION_COLUMNS):
        raise InputFileError("companies.no_location", file=source,
                             accepted="; ".join(f"{c}: {', '.join(COLUMN_ALIASES[c])}"
                                                for c in ("kode_desa", "desa", "lat", "lon")))
    return _Header(number, roles, names, personal, ignored)


def _personal(header: str) -> bool:
    words = set(re.split(r"[^a-z]+", header.casefold()))
    return bool(words & (PERSONAL_WORDS - {"nama", "name", "npwp"}))


def _rows(grid: pd.DataFrame, header: _Header):
    """``(spreadsheet row, {role: cell})`` of every row below the header with a cell in a used column."""
    width = grid.shape[1]
    for number in range(header.row + 1, len(grid)):
        cells = {role: grid.iat[number, col] if col < width else None for role, col in header.roles.items()}
        if not all(is_blank(v) for v in cells.values()):
            yield number + 1, cells


# -- one row's cells ------------------------------------------------------------------------------


def _problem(row: int, column: str, value: Any, reason: str, suggestion: Message | str = "",
             rejected: bool = True) -> Problem:
    return Problem(row, column, cell_text(value), Message(reason), suggestion, rejected=rejected)


def _generic(row: int, column: str, value: Any, why: str) -> Problem:
    """A problem of :data:`ingest.validation.REASONS` (``reason.<why>``, ``suggestion.<why>``)."""
    return _problem(row, column, value, f"reason.{why}", SUGGESTIONS.get(why, ""))


def _text(value: Any) -> str:
    return "" if is_blank(value) else cell_text(value)


def _parse_row(row: int, cells: dict[str, Any], decimal: str | None) -> tuple[dict[str, Any], list[Problem]]:
    """One row's cells as values, and the problems of its cells (placing is :func:`_place`'s)."""
    found: list[Problem] = []
    item: dict[str, Any] = {"row": row}
    for role in cells:
        if isinstance(cells[role], UncomputedFormula):
            found.append(_generic(row, role, cells[role], "formula_not_computed"))
    name = _text(cells.get("name"))
    if not name and "name" in cells:
        found.append(_generic(row, "name", "", "missing_value"))
    item["name"] = re.sub(r"\s+", " ", name)
    item["npp"] = re.sub(r"\s+", "", _text(cells.get("npp"))).upper()
    item["npwp"] = re.sub(r"[^0-9]", "", _text(cells.get("npwp")))
    item["sector_text"] = _text(cells.get("sector"))
    item["sector"] = sector_section(item["sector_text"]) if item["sector_text"] else UNKNOWN_SECTOR
    if item["sector_text"] and item["sector"] == UNKNOWN_SECTOR:
        found.append(_problem(row, "sector", item["sector_text"], "companies.problem.unknown_sector",
                              Message("companies.suggest.sector"), rejected=False))
    for role in ("workers_employed", "workers_enrolled"):
        value, why = parse_count(cells.get(role), decimal) if role in cells else (None, "missing_value")
        if why == "missing_value" and role == "workers_enrolled":
            value = 0 if role in cells else None     # a blank cell is none enrolled; no column, not known
        elif why and not isinstance(cells.get(role), UncomputedFormula):
            found.append(_generic(row, role, cells.get(role), why))
        item[role] = value
    for role in ("wage_reported", "wage_registered"):
        value, problem = _wage(row, role, cells.get(role), decimal)
        item[role] = value
        found += [problem] if problem else []
    item["programmes"], item["programmes_given"], problem = _programmes(row, cells.get("programmes"))
    found += [problem] if problem else []
    item["scale"] = _SCALE_WORDS.get(normalise_name(_text(cells.get("scale"))))
    if _text(cells.get("scale")) and item["scale"] is None:
        found.append(_problem(row, "scale", cells.get("scale"), "companies.problem.unknown_scale",
                              Message("companies.suggest.scale", scales=", ".join(SCALES)), rejected=False))
    item["registered"] = bool(item["npp"]) or bool(item["workers_enrolled"]) or bool(item["programmes"])
    if item["npp"] and "workers_enrolled" in cells and is_blank(cells["workers_enrolled"]):
        found.append(_problem(row, "workers_enrolled", "", "companies.problem.enrolled_missing",
                              Message("companies.suggest.enrolled_missing")))
    employed, enrolled = item["workers_employed"], item["workers_enrolled"] or 0
    if employed is not None and enrolled > employed:
        found.append(_problem(row, "workers_enrolled", cells.get("workers_enrolled"),
                              "companies.problem.enrolled_gt_employed",
                              Message("companies.suggest.enrolled_gt_employed", enrolled=Figure(enrolled, "count"),
                                      employed=Figure(employed, "count"))))
    return item, found


def _wage(row: int, role: str, value: Any, decimal: str | None) -> tuple[float, Problem | None]:
    """An average monthly wage in rupiah (``Rp 2.500.000``, ``2500000``), NaN when blank."""
    if is_blank(value) or isinstance(value, UncomputedFormula):
        return np.nan, None
    text = value if not isinstance(value, str) else re.sub(r"^\s*rp\.?\s*", "", value, flags=re.IGNORECASE)
    number, why = parse_count(text, decimal)
    if why == "not_whole_number":
        return np.nan, _problem(row, role, value, "companies.problem.wage_not_whole", Message("companies.suggest.wage"))
    if why:
        return np.nan, _generic(row, role, value, why)
    if number > MAX_WAGE:
        return np.nan, _problem(row, role, value, "companies.problem.wage_too_large",
                                Message("companies.suggest.wage"))
    return float(number), None


def _programmes(row: int, value: Any) -> tuple[str, bool, Problem | None]:
    """The programmes a cell names (``"JKK, JKM, JHT"``, ``"JKK+JKM"``), comma-joined in a fixed order."""
    text = _text(value)
    if not text or isinstance(value, UncomputedFormula):
        return "", False, None
    found, unknown = set(), []
    for part in re.split(r"[,;/+&|]|\bdan\b|\band\b", text.casefold()):
        word = re.sub(r"\s+", " ", re.sub(r"[^a-z ]", " ", part)).strip()
        if not word:
            continue
        if word in _PROGRAMME_WORDS:
            found.add(_PROGRAMME_WORDS[word])
        elif all(w in _PROGRAMME_WORDS for w in word.split()):   # "JKK JKM JHT"
            found.update(_PROGRAMME_WORDS[w] for w in word.split())
        else:
            unknown.append(part.strip())
    if unknown:
        return "", True, _problem(row, "programmes", value, "companies.problem.unknown_programme",
                                  Message("companies.suggest.programmes", programmes=", ".join(PROGRAMMES)))
    return ",".join(p for p in (*PROGRAMMES, "JKP") if p in found), True, None


# -- sectors --------------------------------------------------------------------------------------


@cache
def _kbli() -> tuple[dict[int, str], list[tuple[re.Pattern[str], str]]]:
    sections = json.loads(_KBLI_PATH.read_text(encoding="utf-8"))["sections"]
    divisions = {d: letter for letter, s in sections.items() for lo, hi in s["divisions"] for d in range(lo, hi + 1)}
    words = sorted(((w, letter) for letter, s in sections.items() for w in s["words"]), key=lambda p: -len(p[0]))
    return divisions, [(re.compile(rf"\b{re.escape(w)}\b"), letter) for w, letter in words]


#: KBLI section letters, A to U (``ingest/kbli_sections.json``).
SECTIONS: tuple[str, ...] = tuple(sorted(set(_kbli()[0].values())))


def sector_section(text: str) -> str:
    """The KBLI section a sector cell names, or :data:`UNKNOWN_SECTOR`.

    Accepts a section letter (``C``, ``Kategori C``), a KBLI code of 2 to 5
    digits (``15111``: its first two digits, the division, give the section)
    or a word of the section (``perdagangan``, ``konstruksi``; the longest
    word found wins).

    >>> sector_section("15111"), sector_section("G"), sector_section("Jasa Konstruksi")
    ('C', 'G', 'F')
    """
    divisions, words = _kbli()
    s = text.strip()
    letter = re.fullmatch(r"(?:kategori|section|seksi)?\s*([a-uA-U])(?:\s*[-.:].*)?", s, flags=re.IGNORECASE)
    if letter:
        return letter.group(1).upper()
    code = re.fullmatch(r"(\d{2})\d{0,3}(?:\s*[-.:].*)?", s)
    if code:
        return divisions.get(int(code.group(1)), UNKNOWN_SECTOR)
    low = s.casefold()
    return next((section for pattern, section in words if pattern.search(low)), UNKNOWN_SECTOR)


# -- placing --------------------------------------------------------------------------------------


def _place(item: dict[str, Any], cells: dict[str, Any], index: RegionIndex, threshold: float) -> list[Problem]:
    """Put the row in a desa: by code or name when given, else by its point; the problems of doing so."""
    row = item["row"]
    keys = {role: _text(cells.get(role)) for role in ("kode_desa", "desa", "kecamatan") if role in cells}
    item["lat"] = item["lon"] = np.nan
    item["kode_desa"] = None
    point, found = _point(row, cells)
    if any(keys.get(r) for r in ("kode_desa", "desa")):
        result = resolve_key({r: v for r, v in keys.items() if v}, "desa", index, threshold)
        if result.kode is None:
            return found + [_problem(row, role, cells.get(role), f"reason.{why}", hint)
                            for role, why, hint in result.problems]
        item["kode_desa"] = result.kode
        if point is not None and not found:
            item["lat"], item["lon"] = point
            at = index.locate(np.array([point[1]]), np.array([point[0]]))[0]
            if at != result.kode:
                found.append(_problem(row, "lat", f"{cells.get('lat')}, {cells.get('lon')}",
                                      "companies.problem.point_elsewhere",
                                      Message("companies.suggest.point_elsewhere", desa=index.label(result.kode)),
                                      rejected=False))
        for problem in found:  # the code places the company; an unreadable point beside it is only a warning
            problem.rejected = False
        return found
    if point is None:
        if not found:
            column = next((r for r in ("kode_desa", "desa", "lat") if r in cells), "kode_desa")
            found.append(_problem(row, column, "", "companies.problem.no_location",
                                  Message("companies.suggest.location")))
        return found
    lat, lon = point
    item["lat"], item["lon"] = lat, lon
    if abs(lat) <= 90 and abs(lon) <= 180:
        item["kode_desa"] = index.locate(np.array([lon]), np.array([lat]))[0]
    if item["kode_desa"] is None:
        kinds, *_ = find_corrections([lat], [lon], index.locate)
        hint = (Message(f"suggestion.coordinates_{kinds[0]}") if kinds[0] is not None
                else Message("suggestion.point_outside_region", region=index.region))
        found.append(_problem(row, "lat", f"{cells.get('lat')}, {cells.get('lon')}", "reason.outside_region", hint))
    return found


def _point(row: int, cells: dict[str, Any]) -> tuple[tuple[float, float] | None, list[Problem]]:
    """The row's (lat, lon) when both are given and read; problems of a half-given or unreadable point."""
    if "lat" not in cells or "lon" not in cells or (is_blank(cells["lat"]) and is_blank(cells["lon"])):
        return None, []
    values, found = [], []
    for role in ("lat", "lon"):
        value, why = parse_coordinate(cells[role])
        if why and why != "formula_not_computed":
            found.append(_generic(row, role, cells[role], why))
        values.append(value)
    return (None, found) if found or None in values else ((values[0], values[1]), [])


# -- repeats and the table ------------------------------------------------------------------------


def _reject_repeats(items: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Keep the first row of a company; reject a later row with its NPP, NPWP, or name in the same desa."""
    first: dict[tuple[str, str], int] = {}
    kept, problems = [], []
    for item in items:
        keys = [("npp", item["npp"]), ("npwp", item["npwp"]),
                ("name", f"{normalise_name(item['name'])}|{item['kode_desa']}")]
        repeat = next(((column, first[(column, key)]) for column, key in keys if key and (column, key) in first), None)
        if repeat:
            column, earlier = repeat
            problems.append(_problem(item["row"], column, item["npp"] if column == "npp" else item["name"]
                                     if column == "name" else "", "companies.problem.repeat",
                                     Message("companies.suggest.repeat", row=earlier)))
            continue
        for column, key in keys:
            if key:
                first.setdefault((column, key), item["row"])
        kept.append(item)
    return kept, problems


_FRAME_COLUMNS = ("row", "name", "npp", "npwp", "sector", "sector_text", "kode_desa", "desa", "kode_kec", "kecamatan",
                  "lat", "lon", "workers_employed", "workers_enrolled", "wage_reported", "wage_registered",
                  "programmes", "programmes_given", "scale", "registered")


def _frame(items: list[dict[str, Any]], index: RegionIndex) -> pd.DataFrame:
    frame = pd.DataFrame(items, columns=[c for c in _FRAME_COLUMNS if c not in ("desa", "kode_kec", "kecamatan")])
    frame["desa"] = frame["kode_desa"].map(index.desa_nama)
    frame["kode_kec"] = frame["kode_desa"].map(index.desa_kec)
    frame["kecamatan"] = frame["kode_kec"].map(index.kec_nama)
    for column in ("row", "workers_employed"):
        frame[column] = frame[column].astype("int64")
    frame["workers_enrolled"] = frame["workers_enrolled"].astype("Int64")   # <NA>: the file has no such column
    for column in ("lat", "lon", "wage_reported", "wage_registered"):
        frame[column] = frame[column].astype(float)
    for column in ("programmes_given", "registered"):
        frame[column] = frame[column].astype(bool)
    return frame[list(_FRAME_COLUMNS)].reset_index(drop=True)


def accepted_headers() -> str:
    """Every accepted header per column, for help texts."""
    return "; ".join(f"{c}: {', '.join(names)}" for c, names in COLUMN_ALIASES.items() if c != "contact")


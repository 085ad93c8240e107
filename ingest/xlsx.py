"""XLSX workbooks -> grids of cells, bounded in memory before anything is loaded.

:func:`read_xlsx` is the XLSX half of :func:`ingest.reader.read_grid`.  It
reads in two steps:

1. **Scan** (:func:`_archive_members`, :func:`_workbook_sheets`,
   :func:`scan_sheet`): the zip's member count and real uncompressed sizes,
   then one streaming pass of expat over the chosen sheet's XML that finds the
   farthest cell holding a value, the hidden rows, the formulas saved without
   a computed value and the merged ranges; a declared dimension past the
   limit is refused before any cell is read.  Nothing is kept per cell, so a
   file that claims a million rows costs nothing to scan.  A sheet whose
   cells span more than :data:`MAX_CELLS` or whose XML is over
   :data:`MAX_UNCOMPRESSED_BYTES` is refused here, before loading.
2. **Values** (:func:`_sheet_values`): python-calamine (a maintained Rust
   reader, many times faster than openpyxl and with typed dates) loads the
   scanned sheet; formulas without a value become
   :class:`ingest.validation.UncomputedFormula` cells from the scan.

Run it through :func:`ingest.bounded.run_bounded` (the reader does) so a
hostile file costs a separate process, with a memory and time limit, that can
be stopped without touching the server.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.parsers import expat

import pandas as pd

from core.errors import InputFileError
from ingest.characters import clean_text, has_hidden, merge_counts
from ingest.validation import UncomputedFormula

#: Largest sheet area (rows x columns from A1 to the farthest cell with a value) that is loaded.
MAX_CELLS = 2_000_000
#: Largest uncompressed size of a workbook's parts together.
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
#: Most parts a workbook may have.
MAX_ZIP_MEMBERS = 10_000

_CHUNK = 1 << 20


@dataclass(frozen=True)
class Limits:
    """What one workbook may cost; the defaults are the module constants."""

    cells: int = MAX_CELLS
    uncompressed_bytes: int = MAX_UNCOMPRESSED_BYTES
    parts: int = MAX_ZIP_MEMBERS

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")


# -- facts -------------------------------------------------------------------------

@dataclass(frozen=True)
class SheetInfo:
    """One sheet as the workbook lists it."""

    name: str
    part: str | None  #: zip member of its XML (None for a chart sheet or a broken link)
    visible: bool
    chart: bool = False


@dataclass
class SheetScan:
    """What one streaming pass over a sheet's XML found (rows and columns 1-based)."""

    last_row: int = 0  #: farthest row with a cell that has content (a value, a formula, even an empty one)
    last_col: int = 0
    declared: str | None = None
    hidden_rows: list[int] = field(default_factory=list)
    #: (row0, col0) -> formula text of formula cells saved without a computed value
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    #: merged ranges, 0-based (row0, col0, row1, col1)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)

    @property
    def area(self) -> int:
        """Cells from A1 to the farthest cell with a value (what a grid of the sheet holds)."""
        return self.last_row * self.last_col


def column_letters(col: int) -> str:
    """``1 -> "A"``, ``27 -> "AA"``."""
    letters = ""
    while col > 0:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _parse_ref(ref: str) -> tuple[int, int] | None:
    """``"B3" -> (3, 2)`` (row, column), or None when malformed."""
    m = _CELL_REF.match(ref.strip())
    if not m:
        return None
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


# -- archive -----------------------------------------------------------------------

def _unreadable(name: str, reason: str) -> InputFileError:
    return InputFileError("reader.workbook_unreadable", file=name, error=reason)


def _archive_members(name: str, archive: zipfile.ZipFile, limits: Limits) -> None:
    """Refuse a zip with too many parts or too large ones (as its directory declares them)."""
    infos = archive.infolist()
    if len(infos) > limits.parts:
        raise InputFileError("reader.workbook_too_many_parts", file=name, parts=len(infos), limit=limits.parts)
    declared = sum(info.file_size for info in infos)
    if declared > limits.uncompressed_bytes:
        raise _too_big(name, declared, limits.uncompressed_bytes)


def _too_big(name: str, size: int, limit: int) -> InputFileError:
    return InputFileError("reader.workbook_uncompressed_too_big", file=name, size=_megabytes(size),
                          limit=_megabytes(limit))


def _megabytes(n: int) -> str:
    return f"{n / 1024 / 1024:,.0f} MB"


class _Budget:
    """Uncompressed bytes read so far, against the limit."""

    def __init__(self, name: str, limit: int) -> None:
        self.name = name
        self.limit = limit
        self.used = 0

    def chunks(self, archive: zipfile.ZipFile, member: str) -> Iterator[bytes]:
        """The member's bytes in chunks, stopping the read past the budget (whatever the zip declares)."""
        try:
            with archive.open(member) as stream:
                while chunk := stream.read(_CHUNK):
                    self.used += len(chunk)
                    if self.used > self.limit:
                        raise _too_big(self.name, self.used, self.limit)
                    yield chunk
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
            raise _unreadable(self.name, type(exc).__name__) from None


def _parse_xml(name: str, chunks: Iterator[bytes], start: Callable[[str, dict[str, str]], None],
               end: Callable[[str], None] | None = None, text: Callable[[str], None] | None = None) -> None:
    """Stream XML through expat; element names arrive without their namespace.

    A document type declaration (never in a real workbook; the way to
    entity-expansion bombs) is refused.
    """
    parser = expat.ParserCreate(namespace_separator=" ")

    def refuse_doctype(*_args: Any) -> None:
        raise _unreadable(name, "DOCTYPE")

    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_doctype
    parser.StartElementHandler = lambda tag, attrs: start(tag.rpartition(" ")[2], attrs)
    if end is not None:
        parser.EndElementHandler = lambda tag: end(tag.rpartition(" ")[2])
    if text is not None:
        parser.CharacterDataHandler = text
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise _unreadable(name, f"XML: {expat.ErrorString(exc.code)}") from None


def _local(attrs: dict[str, str], key: str) -> str | None:
    """An attribute by its local name (``id`` finds ``r:id``)."""
    for k, v in attrs.items():
        if k.rpartition(" ")[2] == key:
            return v
    return None


def _workbook_sheets(name: str, archive: zipfile.ZipFile, budget: _Budget) -> list[SheetInfo]:
    """The sheets in workbook order, with their XML part and visibility."""
    listed: list[tuple[str, str | None, bool]] = []

    def sheet(tag: str, attrs: dict[str, str]) -> None:
        if tag == "sheet":
            listed.append((attrs.get("name", ""), _local(attrs, "id"), attrs.get("state", "visible") == "visible"))

    _parse_xml(name, budget.chunks(archive, "xl/workbook.xml"), sheet)
    targets: dict[str, tuple[str, str]] = {}

    def relation(tag: str, attrs: dict[str, str]) -> None:
        if tag == "Relationship" and "Id" in attrs:
            targets[attrs["Id"]] = (attrs.get("Target", ""), attrs.get("Type", ""))

    if "xl/_rels/workbook.xml.rels" in archive.namelist():
        _parse_xml(name, budget.chunks(archive, "xl/_rels/workbook.xml.rels"), relation)
    sheets = []
    for sheet_name, rid, visible in listed:
        target, kind = targets.get(rid or "", ("", ""))
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}" if target else None
        if part is not None and part not in archive.namelist():
            part = None
        sheets.append(SheetInfo(sheet_name, part, visible, chart=kind.endswith("/chartsheet")))
    return sheets


# -- sheet scan --------------------------------------------------------------------

def scan_sheet(name: str, archive: zipfile.ZipFile, sheet: SheetInfo, budget: _Budget,
               max_cells: int = MAX_CELLS) -> SheetScan:
    """One streaming pass over a sheet's XML (see :class:`SheetScan`).

    Raises
    ------
    InputFileError
        ``reader.sheet_too_large`` as soon as the cells with a value span more
        than ``max_cells``; ``reader.workbook_*`` for damaged or oversized XML.
    """
    limit = max_cells
    scan = SheetScan()
    state = {"row": 0, "col": 0, "row_hidden": False, "row_counted": False, "present": False, "value": False,
             "formula": None, "in": None, "text": []}

    def start(tag: str, attrs: dict[str, str]) -> None:
        if tag == "c":
            ref = _parse_ref(attrs["r"]) if "r" in attrs else None
            state["col"] = ref[1] if ref else state["col"] + 1
            state["present"] = state["value"] = False
            state["formula"] = None
        elif tag in ("v", "t", "f", "is"):
            state["present"] = True  # even empty: another reader may still give the cell a place in its grid
            if tag != "is":
                state["in"], state["text"] = tag, []
            if tag == "f":
                state["formula"] = ""
        elif tag == "row":
            r = attrs.get("r")
            state["row"] = int(r) if r and r.isdigit() else state["row"] + 1
            state["col"] = 0
            state["row_hidden"] = attrs.get("hidden", "0") in ("1", "true")
            state["row_counted"] = False
        elif tag == "dimension":
            scan.declared = attrs.get("ref")
            _check_declared(name, sheet, scan.declared, limit)
        elif tag == "mergeCell":
            _add_merge(scan, attrs.get("ref", ""))

    def text(data: str) -> None:
        if state["in"] is not None:
            state["text"].append(data)

    def end(tag: str) -> None:
        if tag in ("v", "t", "f"):
            content = "".join(state["text"])
            if tag == "f":
                state["formula"] = content
            elif content:
                state["value"] = True
            state["in"] = None
        elif tag == "c":
            if not state["present"]:
                return
            row, col = state["row"], state["col"]
            scan.last_row, scan.last_col = max(scan.last_row, row), max(scan.last_col, col)
            if scan.area > limit:
                raise InputFileError("reader.sheet_too_large", file=name, sheet=repr(sheet.name),
                                     cell=f"{column_letters(col)}{row}", limit=f"{limit:,}".replace(",", "."))
            if state["formula"] is not None and not state["value"]:
                scan.formulas[(row - 1, col - 1)] = "=" + state["formula"].lstrip("=")
            if state["row_hidden"] and not state["row_counted"]:
                scan.hidden_rows.append(row)
                state["row_counted"] = True

    assert sheet.part is not None
    _parse_xml(name, budget.chunks(archive, sheet.part), start, end, text)
    return scan


def _check_declared(name: str, sheet: SheetInfo, ref: str | None, limit: int) -> None:
    """Refuse a sheet whose declared dimension (``<dimension ref="A1:Z1048576">``) spans more than ``limit`` cells.

    The dimension comes before the cells, so this refuses before one cell is read;
    the cells themselves are counted too (a dimension may also understate them).
    """
    first, _, last = (ref or "").partition(":")
    end = _parse_ref(last or first)
    if end and end[0] * end[1] > limit:
        raise InputFileError("reader.sheet_too_large", file=name, sheet=repr(sheet.name),
                             cell=f"{column_letters(end[1])}{end[0]}", limit=f"{limit:,}".replace(",", "."))


def _add_merge(scan: SheetScan, ref: str) -> None:
    first, _, last = ref.partition(":")
    a, b = _parse_ref(first), _parse_ref(last or first)
    if a and b:
        scan.merged.append((min(a[0], b[0]) - 1, min(a[1], b[1]) - 1, max(a[0], b[0]) - 1, max(a[1], b[1]) - 1))


# -- values ------------------------------------------------------------------------

_EXACT_FLOAT = 2 ** 53


def _cell(value: Any) -> Any:
    """A calamine value as the grid holds it: None for empty, int for whole numbers, datetime for dates."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, float) and value.is_integer() and abs(value) < _EXACT_FLOAT:
        return int(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    return value


def _sheet_values(book: Any, sheet: SheetInfo, scan: SheetScan, nrows: int | None = None,
                  cleaned: dict[str, int] | None = None) -> list[list[Any]]:
    """The sheet's cells from A1 (rows up to ``nrows``), formulas without a value as :class:`UncomputedFormula`.

    Text cells lose invisible characters (:func:`ingest.characters.clean_text`), counted into ``cleaned``.
    """
    rows = book.get_sheet_by_name(sheet.name).to_python(skip_empty_area=False, nrows=nrows)
    out = [[_cell(v) for v in row] for row in rows]
    if cleaned is not None:
        for row in out:
            for j, value in enumerate(row):
                if isinstance(value, str) and has_hidden(value):
                    row[j], counts = clean_text(value)
                    row[j] = row[j].strip() or None
                    merge_counts(cleaned, counts)
    for (r, c), formula in scan.formulas.items():
        if r < len(out):
            row = out[r]
            if c >= len(row):
                row.extend([None] * (c + 1 - len(row)))
            if row[c] is None:
                row[c] = UncomputedFormula(formula)
    return out


def cell_grid(rows: list[list[Any]], fill: Any = None) -> pd.DataFrame:
    """Cells as an object DataFrame, short rows padded with ``fill`` (columns 0..n-1); every reader's grid."""
    width = max((len(r) for r in rows), default=0)
    return pd.DataFrame([list(r) + [fill] * (width - len(r)) for r in rows], columns=range(width), dtype=object)


# -- entry point -------------------------------------------------------------------

@dataclass
class XlsxResult:
    """A read sheet: grid, source facts and the merged ranges."""

    grid: pd.DataFrame
    meta: dict[str, Any]
    merged: list[tuple[int, int, int, int]]


def read_xlsx(name: str, data: bytes, sheet: str | int | None = None,
              holds_table: Callable[[pd.DataFrame], bool] | None = None, scan_rows: int = 30,
              limits: Limits = Limits()) -> XlsxResult:
    """Read one sheet of an XLSX workbook into a grid (row i = spreadsheet row i + 1).

    Parameters
    ----------
    name, data : str, bytes
        File name (for messages) and content.
    sheet : str or int, optional
        By name (also case-insensitive) or 0-based number; by default the one
        visible sheet whose first ``scan_rows`` rows ``holds_table``.
    holds_table : callable, optional
        ``grid -> bool or number``: how well a sheet's first rows hold the
        table (the best-fitting sheet is read; a tie between sheets is
        refused); default: any non-blank cell.
    scan_rows : int
        Rows read to decide whether a sheet ``holds_table``.
    limits : Limits
        Cells, uncompressed bytes and parts allowed.

    Returns
    -------
    XlsxResult
        ``meta`` holds ``format``, ``sheet``, ``hidden_rows`` (spreadsheet
        rows with values that Excel hides) and ``hidden_sheets``.

    Raises
    ------
    InputFileError
        Damaged, oversized (``limits``) or ambiguous workbooks, and sheets that do not exist.
    """
    import python_calamine  # lazy: only XLSX uploads pay for the Rust reader's import

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise InputFileError("reader.damaged_zip", file=name) from None
    with archive:
        _archive_members(name, archive, limits)
        budget = _Budget(name, limits.uncompressed_bytes)
        sheets = _workbook_sheets(name, archive, budget)
        if not sheets:
            raise _unreadable(name, "no sheets")
        try:
            book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        except Exception as exc:  # calamine raises its own types for damaged files
            raise _unreadable(name, type(exc).__name__) from None
        scans: dict[str, SheetScan] = {}
        chosen = _choose_sheet(name, archive, book, sheets, sheet, holds_table, budget, scan_rows, scans,
                               limits.cells)
        if chosen.chart or chosen.part is None:
            raise InputFileError("reader.chart_sheet", file=name, sheet=repr(chosen.name))
        scan = scans.get(chosen.name) or scan_sheet(name, archive, chosen, budget, limits.cells)
        cleaned: dict[str, int] = {}
        try:
            grid = cell_grid(_sheet_values(book, chosen, scan, cleaned=cleaned))
        except Exception as exc:
            raise _unreadable(name, type(exc).__name__) from None
    meta = {"format": "xlsx", "encoding": None, "delimiter": None, "sheet": chosen.name,
            "hidden_rows": scan.hidden_rows, "hidden_sheets": [s.name for s in sheets if not s.visible],
            "cleaned": cleaned}
    return XlsxResult(grid, meta, scan.merged)


def _choose_sheet(name: str, archive: zipfile.ZipFile, book: Any, sheets: list[SheetInfo],
                  sheet: str | int | None, holds_table: Callable[[pd.DataFrame], bool] | None,
                  budget: _Budget, scan_rows: int, scans: dict[str, SheetScan], max_cells: int) -> SheetInfo:
    names = [s.name for s in sheets]
    listed = ", ".join(repr(n) for n in names)
    if sheet is not None:
        return sheets[_sheet_position(name, names, sheet, listed)]
    candidates: list[tuple[SheetInfo, float]] = []
    for info in sheets:
        if not info.visible or info.chart or info.part is None:
            continue
        scan = scans[info.name] = scan_sheet(name, archive, info, budget, max_cells)
        try:
            head = cell_grid(_sheet_values(book, info, scan, nrows=scan_rows))
        except Exception as exc:
            raise _unreadable(name, type(exc).__name__) from None
        fit = holds_table(head) if holds_table is not None else head.notna().to_numpy().any()
        if fit:
            candidates.append((info, float(fit)))
    if not candidates:
        raise InputFileError("reader.no_sheet_with_table", file=name, listed=listed)
    best = max(fit for _, fit in candidates)
    chosen = [info for info, fit in candidates if fit == best]
    if len(chosen) > 1:
        err = InputFileError("reader.several_sheets", file=name, sheets=", ".join(repr(c.name) for c in chosen))
        err.sheets = [c.name for c in chosen]  # type: ignore[attr-defined]
        raise err
    return chosen[0]


def _sheet_position(name: str, names: list[str], sheet: str | int, listed: str) -> int:
    if isinstance(sheet, int) and not isinstance(sheet, bool):
        if not 0 <= sheet < len(names):
            raise InputFileError("reader.no_sheet_number", file=name, sheet=sheet, listed=listed)
        return sheet
    if str(sheet) in names:
        return names.index(str(sheet))
    lowered = [n.casefold().strip() for n in names]
    wanted = str(sheet).casefold().strip()
    if wanted in lowered:
        return lowered.index(wanted)
    if wanted.isdigit() and int(wanted) < len(names):
        return int(wanted)  # "1" from a command line: a 0-based number
    raise InputFileError("reader.no_sheet_named", file=name, sheet=repr(sheet), listed=listed)

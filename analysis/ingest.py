"""Read coverage files (CSV or XLSX) into a validated, region-matched table.

>>> from analysis.ingest import read_coverage
>>> res = read_coverage("cakupan.csv")            # doctest: +SKIP
>>> res.report["rows_in"], res.report["rows_rejected"]   # doctest: +SKIP

One entry point, :func:`read_coverage`:

1. **File** (:func:`load_source`, :func:`read_grid`): a path, bytes or a
   file-like (a Streamlit upload).  CSV/TXT/TSV in UTF-8 (with or without
   BOM), UTF-16 (Excel "Unicode text") or Windows-1252, separated by
   ``;`` ``,`` tab or ``|`` (detected); or XLSX (sheet chosen by name, by
   0-based index, or the only sheet holding a recognisable table).  Whole-file
   problems raise :class:`geo.errors.InputFileError` naming the file and the
   fix.
2. **Header** (:func:`find_header`): the first 30 rows are searched for the
   header row (title rows above it are skipped; a two-row header with merged
   group cells such as "Penerima Upah" over "Pekerja | Peserta" is
   combined).  Columns are recognised by :func:`classify_header` from
   Indonesian and English names (:data:`COLUMN_ALIASES`); personal columns
   (NIK, nama, phone, address, ...) and unknown columns are dropped at once,
   by name.
3. **Rows**: each data row is matched to a region (:mod:`analysis.matching`)
   and its figures are checked (:mod:`analysis.validation`), or it is
   rejected with one problem per fault.  ``rows_in = rows_matched +
   rows_rejected``; blank rows are not data and are not counted, but row
   numbers stay those a spreadsheet shows.
4. **Participant files** (:mod:`analysis.participants`) are aggregated to one
   row per desa (and period) holding ``covered`` counts.

Column names, number formats and reasons are documented, in Bahasa Indonesia
and English, in ``docs/input_format.md``.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from analysis.matching import DESA_KEYS, KECAMATAN_KEYS, KeyResult, RegionIndex, code_digits, resolve_key
from analysis.validation import (
    SUGGESTIONS,
    ProblemLog,
    UncomputedFormula,
    cell_text,
    map_unique,
    number_convention,
    parse_counts,
    parse_period,
)
from geo.errors import InputFileError
from geo.source import validate_region

__all__ = ["read_coverage", "IngestResult", "InputFileError", "COLUMN_ALIASES", "MAX_INPUT_BYTES",
           "classify_header", "TABLE_COLUMNS"]

#: Default size limit of an input file; ``PETA_MAX_INPUT_MB`` overrides it.
MAX_INPUT_BYTES = 200 * 1024 * 1024
#: Rows searched for the header.
HEADER_SCAN_ROWS = 30
#: XLSX files up to this size are fully loaded (merged cells, formulas
#: without values); bigger ones are streamed.
XLSX_FULL_LOAD_BYTES = 20 * 1024 * 1024

#: Columns of :attr:`IngestResult.table`, in order.
TABLE_COLUMNS = ("row", "kode", "level", "period", "workers", "covered", "workers_formal",
                 "covered_formal", "workers_informal", "covered_informal")
#: Canonical figure columns and their table names.
FIGURES = {
    "pekerja": "workers", "peserta_aktif": "covered",
    "pekerja_pu": "workers_formal", "peserta_pu": "covered_formal",
    "pekerja_bpu": "workers_informal", "peserta_bpu": "covered_informal",
}
#: (workers, covered) pairs checked for covered <= workers.
FIGURE_PAIRS = (("pekerja", "peserta_aktif"), ("pekerja_pu", "peserta_pu"), ("pekerja_bpu", "peserta_bpu"))
#: Total column and its two parts.
FIGURE_PARTS = {"pekerja": ("pekerja_pu", "pekerja_bpu"), "peserta_aktif": ("peserta_pu", "peserta_bpu")}

KEY_ROLES = ("kode_desa", "kode_kecamatan", "kode_bps", "kode", "desa", "kecamatan")

# -- column names ------------------------------------------------------------------

_CODE = ("kode", "kd", "code", "kode wilayah", "kode kemendagri", "kode dagri", "kemendagri", "id")
_DESA = ("desa", "kelurahan", "desa kelurahan", "desa kel", "kel", "ds", "village")
_KEC = ("kecamatan", "kec", "district", "subdistrict", "sub district")
_NAME = ("", "nama", "name", "nama wilayah")
_WORKERS = ("pekerja", "tenaga kerja", "workers", "worker", "employed", "penduduk bekerja")
_COVERED = ("peserta aktif", "peserta", "covered", "terlindungi", "pekerja terlindungi",
            "tenaga kerja terlindungi", "tk aktif", "tenaga kerja aktif", "peserta bpjs",
            "peserta bpjs ketenagakerjaan", "peserta bpjstk", "covered workers", "insured",
            "active participants", "participants", "active members", "kepesertaan aktif")
_PU = ("pu", "ppu", "penerima upah", "formal", "wage earners", "wage earner")
_BPU = ("bpu", "bukan penerima upah", "informal", "non formal", "nonformal", "non wage earners",
        "non wage earner")


def _join(*parts: str) -> str:
    return " ".join(p for p in parts if p)


#: Accepted column names per canonical column.  Matching ignores case, word
#: order, punctuation, digits (a year) and the filler words
#: :data:`FILLER_WORDS` ("jumlah", "total", "orang", ...).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "kode_desa": tuple(_join(c, d) for c in _CODE for d in _DESA),
    "kode_kecamatan": tuple(_join(c, k) for c in _CODE for k in _KEC),
    "kode_bps": tuple(_join(c, k, "bps") for c in ("", "kode", "kd", "code") for k in ("", *_KEC)),
    "kode": tuple(c for c in _CODE if c != "id") + ("region code", "area code", "kode area"),
    "desa": tuple(_join(n, d) for n in _NAME for d in _DESA),
    "kecamatan": tuple(_join(n, k) for n in _NAME for k in _KEC),
    "periode": ("periode", "period", "bulan", "month", "bulan tahun", "tahun bulan", "year month",
                "month year", "periode bulan", "periode data", "periode laporan", "bulan laporan",
                "reporting period", "reporting month", "yyyy mm"),
    "pekerja": _WORKERS,
    "peserta_aktif": _COVERED,
    "pekerja_pu": tuple(_join(w, s) for w in _WORKERS for s in _PU),
    "peserta_pu": tuple(_join(c, s) for c in _COVERED for s in _PU),
    "pekerja_bpu": tuple(_join(w, s) for w in _WORKERS for s in _BPU),
    "peserta_bpu": tuple(_join(c, s) for c in _COVERED for s in _BPU),
    "segmen": ("segmen", "segment", "segmen peserta", "segmen kepesertaan", "jenis kepesertaan",
               "kategori peserta", "jenis peserta", "kepesertaan", "participant segment", "sektor"),
    "lat": ("lat", "latitude", "lintang", "garis lintang"),
    "lon": ("lon", "lng", "long", "longitude", "bujur", "garis bujur"),
    # Personal identifiers: used to recognise participant files and repeated
    # participants, then dropped.  Never written anywhere.
    "id_peserta": ("nik", "no nik", "nomor nik", "nik ktp", "ktp", "no ktp", "nomor ktp", "kpj",
                   "no kpj", "nomor kpj", "no peserta", "nomor peserta", "id peserta", "kode peserta",
                   "participant id", "member id", "no kartu", "nomor kartu", "no kartu peserta",
                   "nomor kartu peserta", "nomor induk kependudukan", "national id"),
}
#: Words ignored in column names.
FILLER_WORDS = frozenset({"jumlah", "jml", "total", "banyaknya", "banyak", "number", "of", "the", "orang",
                          "jiwa", "org", "people", "persons", "person", "count", "sum", "nilai"})
#: A column whose name holds one of these words is personal data: dropped at
#: ingest, reported by name only.
PERSONAL_WORDS = frozenset({
    "nik", "ktp", "kpj", "npwp", "kk", "nama", "name", "alamat", "address", "telepon", "telp", "tlp",
    "phone", "hp", "handphone", "ponsel", "whatsapp", "wa", "email", "surel", "mail", "lahir", "birth",
    "dob", "ttl", "rekening", "account", "ibu", "mother", "kelamin", "gender", "sex", "umur", "usia",
    "age", "agama", "religion", "rt", "rw", "kartu", "paspor", "passport",
})
#: Roles that hold personal data.
PERSONAL_ROLES = frozenset({"id_peserta"})


def _tokens(text: object) -> frozenset[str]:
    s = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii").casefold()
    return frozenset(t for t in re.split(r"[^a-z0-9]+", s) if t and not t.isdigit() and t not in FILLER_WORDS)


def _build_lookup() -> dict[frozenset[str], str]:
    lookup: dict[frozenset[str], str] = {}
    for role, phrases in COLUMN_ALIASES.items():
        for phrase in (role, role.replace("_", " "), *phrases):
            key = _tokens(phrase)
            if key and lookup.setdefault(key, role) != role:
                raise AssertionError(f"column alias {phrase!r} means both {lookup[key]} and {role}")
    return lookup


_LOOKUP = _build_lookup()


@lru_cache(maxsize=4096)
def classify_header(text: str) -> str | None:
    """Return what a column header means.

    Parameters
    ----------
    text : str
        Header text as written (any case, order, punctuation).

    Returns
    -------
    str or None
        A canonical role (``kode_desa``, ``desa``, ``pekerja``, ``lat``,
        ``id_peserta`` ...), ``"personal"`` for other personal columns, or
        None for a column that is not used.
    """
    key = _tokens(text)
    if not key:
        return None
    role = _LOOKUP.get(key)
    if role:
        return role
    if key & PERSONAL_WORDS:
        return "personal"
    return None


# -- result ------------------------------------------------------------------------

@dataclass
class IngestResult:
    """What :func:`read_coverage` returns.

    Attributes
    ----------
    table : pandas.DataFrame
        Matched valid rows only, columns :data:`TABLE_COLUMNS`.  For a
        participant file, one row per region (and period) with ``covered``
        counts; ``row`` is the first input row counted in it.
    report : dict
        ``rows_in``, ``rows_matched``, ``rows_rejected``, ``problems``,
        ``matches``, ``totals`` (sums over ``table``, None where no value).
    level : str
        ``"desa"`` or ``"kecamatan"``.
    dropped_columns : list of str
        Names of the columns not used (personal ones included), never values.
    personal_columns : list of str
        The subset of ``dropped_columns`` recognised as personal data.
    participant : bool
        True when the file was read as one row per participant.
    source : dict
        ``filename``, ``format`` (csv/xlsx), ``encoding``, ``delimiter``,
        ``sheet``, ``header_row`` (spreadsheet row of the header),
        ``columns`` (file column name -> canonical name).
    notes : list of str
        File-level remarks for a person (blank rows skipped, totals derived
        from PU + BPU, ...).
    """

    table: pd.DataFrame
    report: dict[str, Any]
    level: str
    dropped_columns: list[str]
    personal_columns: list[str] = field(default_factory=list)
    participant: bool = False
    source: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


# -- file --------------------------------------------------------------------------

def _file_error(name: str, problem: str, fix: str) -> InputFileError:
    return InputFileError(f"{name}: {problem} {fix}")


def max_input_bytes() -> int:
    """The size limit: ``PETA_MAX_INPUT_MB`` (megabytes) or :data:`MAX_INPUT_BYTES`."""
    env = os.environ.get("PETA_MAX_INPUT_MB")
    try:
        return int(float(env) * 1024 * 1024) if env else MAX_INPUT_BYTES
    except ValueError:
        return MAX_INPUT_BYTES


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:,.1f} MB" if n >= 1024 * 1024 else f"{n:,} bytes"


def _limit_error(name: str, size: int | None, limit: int) -> InputFileError:
    got = f" ({_size(size)})" if size is not None else ""
    return _file_error(
        name, f"the file{got} is over the size limit of {_size(limit)} / berkas melebihi batas {_size(limit)}.",
        "Split it (e.g. per kecamatan or per period) or raise the limit (max_bytes, "
        "PETA_MAX_INPUT_MB). / Pecah berkas per kecamatan atau per periode.")


def load_source(path_or_file: str | os.PathLike[str] | bytes | IO[bytes], filename: str | None = None,
                max_bytes: int | None = None) -> tuple[str, bytes]:
    """Return ``(name, content)`` of a path, bytes or binary file-like.

    Raises
    ------
    InputFileError
        If the file is missing, unreadable or over the size limit.
    """
    limit = max_bytes if max_bytes is not None else max_input_bytes()
    if isinstance(path_or_file, (str, os.PathLike)):
        path = Path(path_or_file)
        name = filename or path.name
        if not path.is_file():
            raise _file_error(name, f"no such file: {path} / berkas tidak ada.",
                              "Check the path. / Periksa lokasi berkas.")
        if path.stat().st_size > limit:
            raise _limit_error(name, path.stat().st_size, limit)
        return name, path.read_bytes()
    if isinstance(path_or_file, (bytes, bytearray, memoryview)):
        data = bytes(path_or_file)
        name = filename or "upload"
    else:
        name = filename or Path(str(getattr(path_or_file, "name", "") or "upload")).name
        size = getattr(path_or_file, "size", None)
        if isinstance(size, int) and size > limit:
            raise _limit_error(name, size, limit)
        if hasattr(path_or_file, "seek"):
            try:
                path_or_file.seek(0)
            except (OSError, ValueError):
                pass
        data = path_or_file.read(limit + 1)
        if isinstance(data, str):
            data = data.encode("utf-8")
    if len(data) > limit:
        raise _limit_error(name, None if len(data) == limit + 1 else len(data), limit)
    return name, data


_MAGIC = (
    (b"%PDF", "a PDF document"), (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"), (b"\x1f\x8b", "a gzip archive"), (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"), (b"PAR1", "a Parquet file"), (b"SQLite format 3", "an SQLite database"),
    (b"\x7fELF", "a program"), (b"MZ", "a program"),
)


def _kind(name: str, data: bytes) -> str:
    """Return ``"xlsx"`` or ``"text"``, or raise for anything else."""
    fix_table = "Save the table as .xlsx or .csv. / Simpan tabel sebagai .xlsx atau .csv."
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        raise _file_error(name, "the file is empty / berkas kosong.",
                          "Upload the file that holds the table. / Unggah berkas yang berisi tabel.")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _file_error(name, "this is an old Excel .xls file or a password-protected workbook "
                                "/ berkas .xls lama atau dilindungi kata sandi.",
                          "Open it in Excel or LibreOffice, remove any password and save as .xlsx or .csv. "
                          "/ Buka lalu simpan sebagai .xlsx atau .csv.")
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            raise _file_error(name, "the file is a damaged ZIP/XLSX / berkas XLSX rusak.", fix_table) from None
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "content.xml" in names:
            raise _file_error(name, "this is an OpenDocument spreadsheet (.ods) / berkas .ods.", fix_table)
        raise _file_error(name, "this is a ZIP archive, not a table / arsip ZIP, bukan tabel.",
                          "Unpack it and upload the .xlsx or .csv inside. / Ekstrak dulu.")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise _file_error(name, f"this is {what}, not a table / bukan tabel.", fix_table)
    if name.lower().endswith((".xlsx", ".xlsm")):
        raise _file_error(name, "the file is named .xlsx but is not an Excel workbook / bukan XLSX.",
                          fix_table)
    return "text"


def _decode(name: str, data: bytes) -> tuple[str, str]:
    """Decode text bytes; return ``(text, encoding)``."""
    if data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8"
    binary = _file_error(name, "the file holds binary data, not text / berkas biner, bukan teks.",
                         "Save the table as .csv (UTF-8) or .xlsx. / Simpan sebagai .csv atau .xlsx.")
    if encoding == "utf-8" and b"\x00" in data[:65536]:
        raise binary
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        if encoding != "utf-8":
            raise binary from None
        try:
            text, encoding = data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            text, encoding = data.decode("latin-1"), "latin-1"
    sample = text[:65536]
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n\f\v")
    if control > max(8, len(sample) // 100):
        raise binary
    return text, encoding


def _sniff_delimiter(text: str) -> str | None:
    """Pick the separator whose field count is most consistent (None: one column)."""
    lines = [line for line in text.splitlines()[:200] if line.strip()][:60]
    best: tuple[int, int] = (0, 0)
    choice = None
    for delimiter in (";", ",", "\t", "|"):
        counts = [len(r) for r in csv.reader(lines, delimiter=delimiter)]
        if not counts:
            continue
        mode = max(set(counts), key=lambda c: (counts.count(c), c))
        if mode < 2:
            continue
        score = (counts.count(mode), mode)
        if score > best:
            best, choice = score, delimiter
    return choice


def _text_grid(name: str, data: bytes) -> tuple[pd.DataFrame, dict[str, Any]]:
    text, encoding = _decode(name, data)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    hint = re.match(r"sep=(.)\n", text)
    if hint:  # Excel's separator line: Excel hides it, so row numbers start after it
        text = text[hint.end():]
    delimiter = hint.group(1) if hint else _sniff_delimiter(text)
    meta = {"format": "csv", "encoding": encoding, "delimiter": delimiter, "sheet": None}
    if delimiter is None:
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        return _grid([[line] for line in lines]), meta
    try:
        grid = pd.read_csv(io.StringIO(text), sep=delimiter, header=None, dtype=str, keep_default_na=False,
                           na_filter=False, skip_blank_lines=False, engine="c", quotechar='"')
    except (pd.errors.ParserError, ValueError):
        grid = _grid(list(csv.reader(io.StringIO(text), delimiter=delimiter)), fill="")
    grid.columns = range(grid.shape[1])
    return grid, meta


def _grid(rows: list[list[Any]], fill: Any = None) -> pd.DataFrame:
    """Cells as an object DataFrame, short rows padded (columns 0..n-1)."""
    width = max((len(r) for r in rows), default=0)
    return pd.DataFrame([list(r) + [fill] * (width - len(r)) for r in rows], columns=range(width), dtype=object)


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip()
    return value


def _sheet_rows(ws, formulas_ws=None, max_row: int | None = None) -> list[list[Any]]:
    rows: list[list[Any]] = []
    values = ws.iter_rows(values_only=True, max_row=max_row)
    raw = formulas_ws.iter_rows(values_only=True, max_row=max_row) if formulas_ws is not None else None
    for row in values:
        cells = [_xlsx_cell(v) for v in row]
        if raw is not None:
            formula_row = next(raw, ())
            for j, f in enumerate(formula_row):
                if j < len(cells) and cells[j] is None and f is not None:
                    text = getattr(f, "text", f)
                    if isinstance(text, str) and text.startswith("="):
                        cells[j] = UncomputedFormula(text)
        rows.append(cells)
    return rows


def _fill_merged(grid: pd.DataFrame, ranges: list[tuple[int, int, int, int]],
                 rows_limit: int | None = None, columns: Iterable[int] | None = None) -> int:
    """Copy each merged range's top-left value into its other cells.

    Only ranges starting before ``rows_limit`` (0-based grid rows) or, when
    ``columns`` is given, lying within those columns.  Returns how many were
    filled.
    """
    filled = 0
    allowed = set(columns) if columns is not None else None
    for r0, c0, r1, c1 in ranges:
        if r0 >= len(grid) or c0 >= grid.shape[1]:
            continue
        if rows_limit is not None and r0 >= rows_limit:
            continue
        if allowed is not None and not set(range(c0, c1 + 1)) <= allowed:
            continue
        value = grid.iat[r0, c0]
        for r in range(r0, min(r1, len(grid) - 1) + 1):
            for c in range(c0, min(c1, grid.shape[1] - 1) + 1):
                if (r, c) != (r0, c0):
                    grid.iat[r, c] = value
        filled += 1
    return filled


def _xlsx_grid(name: str, data: bytes, sheet: str | int | None
               ) -> tuple[pd.DataFrame, dict[str, Any], list[tuple[int, int, int, int]]]:
    import openpyxl

    full = len(data) <= XLSX_FULL_LOAD_BYTES
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=not full, data_only=True)
            formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=False) if full else None
        except Exception as exc:  # openpyxl raises many types for damaged files
            raise _file_error(name, f"the workbook cannot be read ({type(exc).__name__}) / XLSX tidak terbaca.",
                              "Open it in Excel or LibreOffice and save it again as .xlsx, or save as .csv. "
                              "/ Simpan ulang sebagai .xlsx atau .csv.") from None
    names = list(book.sheetnames)
    listed = ", ".join(repr(n) for n in names)
    if sheet is not None:
        if isinstance(sheet, int) and not isinstance(sheet, bool):
            if not 0 <= sheet < len(names):
                raise _file_error(name, f"there is no sheet number {sheet} (0-based); sheets: {listed} "
                                        "/ lembar tidak ada.", "Choose one of the listed sheets. / Pilih lembar.")
            chosen = names[sheet]
        elif str(sheet) in names:
            chosen = str(sheet)
        else:
            lowered = {n.casefold().strip(): n for n in names}
            chosen = lowered.get(str(sheet).casefold().strip())
            if chosen is None and str(sheet).strip().isdigit() and int(sheet) < len(names):
                chosen = names[int(sheet)]  # "1" from a command line: a 0-based number
            if chosen is None:
                raise _file_error(name, f"there is no sheet {sheet!r}; sheets: {listed} / lembar tidak ada.",
                                  "Choose one of the listed sheets. / Pilih salah satu lembar.")
        candidates = [chosen]
    else:
        candidates = []
        visible = [n for n in names if getattr(book[n], "sheet_state", "visible") == "visible"
                   and hasattr(book[n], "iter_rows")]
        for n in visible:
            if not full:
                book[n].reset_dimensions()  # streamed sheets may state wrong dimensions
            # In a fully loaded sheet, reading past max_row would create (blank) rows.
            scan = min(HEADER_SCAN_ROWS, book[n].max_row or HEADER_SCAN_ROWS)
            head = _grid(_sheet_rows(book[n], max_row=scan))
            if find_header(head, raise_for=None) is not None:
                candidates.append(n)
        if not candidates:
            raise _file_error(name, f"no sheet holds a table with a region column (kode_desa, desa, "
                                    f"kecamatan, ...); sheets: {listed} / tidak ada lembar berisi tabel wilayah.",
                              "Check the column names (see docs/input_format.md) or choose the sheet. "
                              "/ Periksa nama kolom atau pilih lembar.")
        if len(candidates) > 1:
            err = _file_error(name, "several sheets hold a table: "
                                    f"{', '.join(repr(c) for c in candidates)} / beberapa lembar berisi tabel.",
                              "Choose one sheet (sheet=...), or keep one table per file. / Pilih satu lembar.")
            err.sheets = candidates  # type: ignore[attr-defined]
            raise err
    chosen = candidates[0]
    ws = book[chosen]
    if not hasattr(ws, "iter_rows"):
        raise _file_error(name, f"sheet {chosen!r} is a chart, not a table / lembar grafik.",
                          "Choose a sheet with the table. / Pilih lembar berisi tabel.")
    if not full:
        ws.reset_dimensions()
    grid = _grid(_sheet_rows(ws, formulas[chosen] if formulas is not None else None))
    ranges = []
    if full:
        for merged in ws.merged_cells.ranges:
            ranges.append((merged.min_row - 1, merged.min_col - 1, merged.max_row - 1, merged.max_col - 1))
    book.close()
    meta = {"format": "xlsx", "encoding": None, "delimiter": None, "sheet": chosen}
    return grid, meta, ranges


def read_grid(name: str, data: bytes, sheet: str | int | None = None
              ) -> tuple[pd.DataFrame, dict[str, Any], list[tuple[int, int, int, int]]]:
    """Read all cells of a file into a grid (row i = spreadsheet row i + 1).

    Returns
    -------
    (DataFrame, dict, list)
        The grid (object cells, columns 0..n-1), source facts and merged
        ranges (XLSX, 0-based ``(row0, col0, row1, col1)``).
    """
    kind = _kind(name, data)
    if kind == "xlsx":
        return _xlsx_grid(name, data, sheet)
    grid, meta = _text_grid(name, data)
    return grid, meta, []


# -- header ------------------------------------------------------------------------

@dataclass
class Header:
    """The header found in a grid.

    Attributes
    ----------
    last_row : int
        Grid position of the (last) header row; data starts below it.
    names : list of str
        Column names as the file gives them (two-row headers joined by " / ").
    roles : list of str or None
        What each column means (:func:`classify_header`).
    """

    last_row: int
    names: list[str]
    roles: list[str | None]

    def positions(self, role: str) -> list[int]:
        """Column positions holding a role."""
        return [i for i, r in enumerate(self.roles) if r == role]

    def has(self, role: str) -> bool:
        """True when one column holds the role."""
        return role in self.roles


def _row_texts(grid: pd.DataFrame, r: int) -> list[str]:
    return [cell_text(v) for v in grid.iloc[r].tolist()]


def _combine_rows(upper: list[str], lower: list[str]) -> list[str]:
    filled = list(upper)
    for j in range(1, len(filled)):
        if not filled[j] and lower[j] and filled[j - 1] and lower[j - 1]:
            filled[j] = filled[j - 1]  # a merged group label spreads right over its sub-columns
    return [f"{u} / {lo}" if u and lo and u != lo else (lo or u) for u, lo in zip(filled, lower)]


def _score(names: list[str]) -> tuple[int, list[str | None]]:
    roles = [classify_header(n) if n else None for n in names]
    used = [r for r in roles if r and r != "personal"]
    distinct = {r for r in used if used.count(r) == 1}
    has_key = bool(distinct & set(KEY_ROLES)) or {"lat", "lon"} <= distinct
    return (len(distinct) if has_key else 0), roles


def find_header(grid: pd.DataFrame, raise_for: str | None = "upload", sheet: str | None = None) -> Header | None:
    """Find the header row (or two-row header) in the first rows of a grid.

    The header is the row, or pair of rows, naming the most recognised
    columns, one of them a region key.

    Parameters
    ----------
    grid : DataFrame
        Cells, row i = spreadsheet row i + 1.
    raise_for : str or None
        File name for the error; None returns None instead of raising.
    sheet : str, optional
        XLSX sheet name, for the error.

    Raises
    ------
    InputFileError
        If no row names a region key column.
    """
    best: tuple[int, int] = (0, 0)
    found: Header | None = None
    previous: list[str] | None = None
    for r in range(min(HEADER_SCAN_ROWS, len(grid))):
        texts = _row_texts(grid, r)
        options = [(texts, False)]
        if previous is not None and any(previous):
            options.append((_combine_rows(previous, texts), True))
        for names, pair in options:
            score, roles = _score(names)
            rank = (score, -int(pair))
            if score and rank > best:
                best, found = rank, Header(r, names, roles)
        previous = texts
    if found is None and raise_for is not None:
        if grid.shape[1] <= 1 and sheet is None:
            raise _file_error(raise_for, "this is not a table: no column separator (; , tab) was found "
                                         "/ bukan tabel: tidak ada pemisah kolom.",
                              "Save the sheet as CSV or XLSX with one column per field. "
                              "/ Simpan sebagai CSV atau XLSX satu kolom per isian.")
        # Cell texts are not quoted: in a file without a header they could be personal data.
        where = f" of sheet {sheet!r}" if sheet is not None else ""
        raise _file_error(raise_for, f"no region key column was found in the first {HEADER_SCAN_ROWS} rows{where} "
                                     "/ tidak ada kolom kunci wilayah.",
                          "Name a column kode_desa, kode_kecamatan, kode_bps, desa or kecamatan "
                          "(see docs/input_format.md). / Beri nama kolom kode_desa, desa, kecamatan, ...")
    return found


# -- reading -------------------------------------------------------------------------

def _blank_rows(grid: pd.DataFrame) -> np.ndarray:
    mask = np.ones(len(grid), dtype=bool)
    for c in grid.columns:
        col = grid[c]
        if col.dtype == object and not all(isinstance(v, str) for v in col.head(50)):
            blank = col.map(lambda v: cell_text(v) == "" and not isinstance(v, UncomputedFormula))
            mask &= blank.to_numpy(dtype=bool)
        else:
            mask &= (col.isna() | col.astype(str).str.strip().eq("")).to_numpy(dtype=bool)
    return mask


def _texts(values: pd.Series) -> np.ndarray:
    """Cell texts of a column (computed once per distinct value)."""
    if isinstance(values, pd.Series) and pd.api.types.is_string_dtype(values.dtype) and values.dtype != object:
        return values.fillna("").str.strip().to_numpy(dtype=object)  # CSV: text already, vectorised
    codes, uniques = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=False)
    return np.array([cell_text(u) for u in uniques], dtype=object)[codes] if len(codes) else np.array(
        [], dtype=object)


def _auto_level(header: Header, data: pd.DataFrame) -> str:
    if header.has("kode_desa") or header.has("desa"):
        return "desa"
    if header.has("kode"):
        sample = pd.unique(_texts(data[header.positions("kode")[0]]))[:2000]
        lengths = [len(d) for d in (code_digits(s) for s in sample if s) if d]
        desa = sum(1 for n in lengths if n == 10)
        kec = sum(1 for n in lengths if n in (6, 7))
        if kec > desa:
            return "kecamatan"
        if desa:
            return "desa"
    if any(header.has(r) for r in ("kode_kecamatan", "kode_bps", "kecamatan")):
        return "kecamatan"
    return "desa"


def read_coverage(
    path_or_file: str | os.PathLike[str] | bytes | IO[bytes],
    *,
    filename: str | None = None,
    level: str | None = None,
    sheet: str | int | None = None,
    region: str = "32.05",
    fuzzy_threshold: float = 90,
    max_bytes: int | None = None,
) -> IngestResult:
    """Read, validate and region-match a coverage file.

    Parameters
    ----------
    path_or_file : path, bytes or binary file-like
        The file; a Streamlit ``UploadedFile`` works as is.
    filename : str, optional
        Name used in messages and for type detection (default: the path's
        or upload's name).
    level : {"desa", "kecamatan"}, optional
        Expected level; None detects it from the key columns.
    sheet : str or int, optional
        XLSX sheet by name or 0-based index; None picks the only sheet
        holding a recognisable table.
    region : str
        Kabupaten code of the boundaries to match against (default Garut).
    fuzzy_threshold : float
        Minimum :func:`rapidfuzz.fuzz.ratio` (0-100) for a fuzzy name match.
    max_bytes : int, optional
        Size limit (default :func:`max_input_bytes`, 200 MB).

    Returns
    -------
    IngestResult

    Raises
    ------
    InputFileError
        For whole-file problems: empty, binary, not a table, no key or
        figure column, two columns meaning the same, wrong sheet, no data
        rows, over the size limit.
    geo.errors.SourceNotFoundError
        If the region's boundaries are not built.
    """
    region = validate_region(region)
    if level not in (None, "desa", "kecamatan"):
        raise ValueError(f"level must be 'desa', 'kecamatan' or None, not {level!r}.")
    if not 0 <= float(fuzzy_threshold) <= 100:
        raise ValueError(f"fuzzy_threshold must be between 0 and 100, not {fuzzy_threshold!r}.")
    name, data = load_source(path_or_file, filename, max_bytes)
    grid, meta, merged = read_grid(name, data, sheet)
    notes: list[str] = []
    if sheet is not None and meta["format"] != "xlsx":
        notes.append("Parameter sheet diabaikan: berkas ini CSV. / sheet ignored: the file is CSV.")
    if merged:
        _fill_merged(grid, merged, rows_limit=HEADER_SCAN_ROWS)
    header = find_header(grid, raise_for=name, sheet=meta["sheet"])
    assert header is not None

    # Columns: used, personal, ignored.
    personal = [n or f"(kolom {i + 1})" for i, (n, r) in enumerate(zip(header.names, header.roles))
                if r == "personal" or r in PERSONAL_ROLES]
    dropped = [n for n, r in zip(header.names, header.roles) if n and r is None] + personal
    data_rows = grid.iloc[header.last_row + 1:]
    unnamed = [c for c, n in enumerate(header.names) if not n]
    if unnamed:
        with_data = [c for c in unnamed if not _blank_rows(data_rows[[c]]).all()]
        for c in with_data:
            dropped.append(f"(kolom {c + 1} tanpa judul)")
        if with_data:
            notes.append(f"{len(with_data)} kolom tanpa judul berisi data diabaikan. / "
                         f"{len(with_data)} untitled column(s) with data ignored.")
    used = {r for r in header.roles if r and r != "personal"}
    for role in dict.fromkeys(r for r in header.roles if r in used):
        cols = header.positions(role)
        if len(cols) > 1 and role not in PERSONAL_ROLES:
            names = ", ".join(repr(header.names[c]) for c in cols)
            raise _file_error(name, f"columns {names} all mean {role!r} / beberapa kolom berarti {role}.",
                              "Keep one column per figure; put periods in rows with a 'periode' column. "
                              "/ Satu kolom per angka; periode ditulis per baris di kolom 'periode'.")
    figures = [r for r in FIGURES if r in used]
    participant = not figures and bool(used & {"id_peserta", "segmen"} or {"lat", "lon"} <= used)
    if not figures and not participant:
        raise _file_error(name, "no figure column was found (pekerja, peserta_aktif, pekerja_pu, ...) "
                                "/ tidak ada kolom angka.",
                          "Name the columns pekerja and peserta_aktif (or workers, covered), or, for one row "
                          "per participant, include a segmen or NIK column (see docs/input_format.md). "
                          "/ Beri nama kolom pekerja dan peserta_aktif.")
    level = level or _auto_level(header, data_rows)
    level_keys = DESA_KEYS if level == "desa" else KECAMATAN_KEYS
    if not any(header.has(k) for k in level_keys) and not (participant and level == "desa"
                                                           and {"lat", "lon"} <= used):
        raise _file_error(name, f"no {level} key column was found / tidak ada kolom kunci {level}.",
                          f"Add one of {', '.join(level_keys)} or choose the other level. "
                          f"/ Tambahkan kolom {', '.join(level_keys)}.")

    # Recognised columns this kind of file does not use are ignored too, by name.
    unused = {"segmen", "lat", "lon"} if not participant else set()
    if level == "kecamatan":
        unused |= {"kode_desa", "desa", "lat", "lon"}
    for i, role in enumerate(header.roles):
        if role in unused:
            header.roles[i] = None
            dropped.append(header.names[i])
            notes.append(f"Kolom {header.names[i]!r} tidak dipakai untuk berkas ini dan diabaikan. / "
                         f"Column {header.names[i]!r} is not used for this file and was ignored.")

    if merged:
        scope = [c for r in ("kecamatan", "kode_kecamatan", "kode_bps", "desa") for c in header.positions(r)]
        offset = header.last_row + 1
        shifted = [(r0 - offset, c0, r1 - offset, c1) for r0, c0, r1, c1 in merged if r0 >= offset]
        data_rows = data_rows.reset_index(drop=True)
        if _fill_merged(data_rows, shifted, columns=scope):
            notes.append("Sel gabungan (merged) di kolom nama wilayah diisi ke setiap baris. / "
                         "Merged region-name cells were applied to every row they span.")
    blank = _blank_rows(data_rows)
    spreadsheet_rows = np.arange(header.last_row + 2, header.last_row + 2 + len(data_rows))[~blank]
    rows_frame = data_rows.iloc[np.flatnonzero(~blank)].reset_index(drop=True)
    if blank.any():
        notes.append(f"{int(blank.sum())} baris kosong dilewati (tidak dihitung). / "
                     f"{int(blank.sum())} blank row(s) skipped (not counted).")
    if rows_frame.empty:
        raise _file_error(name, f"the header was found in row {header.last_row + 1} but there are no data rows "
                                "below it / tidak ada baris data.",
                          "Add the data rows or upload the right file. / Tambahkan baris data.")

    index = RegionIndex.load(region)
    source = {"filename": name, **meta, "header_row": header.last_row + 1,
              "columns": {n: r for n, r in zip(header.names, header.roles) if n and r and r != "personal"
                          and r not in PERSONAL_ROLES}}
    context = RowContext(name, header, rows_frame, spreadsheet_rows, index, level, float(fuzzy_threshold),
                       participant, notes)
    if participant:
        from analysis.participants import ingest_participants

        table, report = ingest_participants(context)
    else:
        table, report = _ingest_regions(context)
    report["totals"] = _totals(table)
    return IngestResult(table=table, report=report, level=level, dropped_columns=dropped,
                        personal_columns=personal, participant=participant, source=source, notes=notes)


@dataclass
class RowContext:
    """Everything row checks need (shared with :mod:`analysis.participants`)."""

    name: str
    header: Header
    rows: pd.DataFrame
    spreadsheet_rows: np.ndarray
    index: RegionIndex
    level: str
    threshold: float
    participant: bool
    notes: list[str]

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


def parse_periods(ctx: RowContext, log: ProblemLog) -> np.ndarray:
    """Parse the period column (all None when there is none)."""
    col = ctx.column("periode")
    if col is None:
        return np.full(len(ctx.rows), None, dtype=object)
    periods, reasons = map_unique(ctx.rows[col], parse_period)
    log_cell_problems(ctx, log, "periode", reasons)
    return periods


def _ingest_regions(ctx: RowContext) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Check region rows (key, period, figures, duplicates); return the table and report."""
    n = len(ctx.rows)
    log = ProblemLog(n)
    positions, group, results = match_keys(ctx)
    kodes = log_key_problems(ctx, log, positions, group, results)
    periods = parse_periods(ctx, log)

    present = [r for r in FIGURES if ctx.header.has(r)]
    # A total missing from the file is derived from its two parts, which are then required.
    derive = [t for t, parts in FIGURE_PARTS.items() if t not in present and set(parts) <= set(present)]
    required = set(FIGURE_PARTS) | {p for t in derive for p in FIGURE_PARTS[t]}
    decimal = number_convention(ctx.rows[ctx.column(r)] for r in present)
    values: dict[str, np.ndarray] = {}
    valid: dict[str, np.ndarray] = {}
    for role in present:
        counts, reasons = parse_counts(ctx.rows[ctx.column(role)], decimal)
        log_cell_problems(ctx, log, role, reasons, skip=set() if role in required else {"missing_value"})
        values[role] = counts
        valid[role] = pd.isna(reasons)
    for total in derive:
        pu, bpu = FIGURE_PARTS[total]
        values[total] = np.array([a + b if a is not None and b is not None else None
                                  for a, b in zip(values[pu], values[bpu])], dtype=object)
        valid[total] = valid[pu] & valid[bpu]
        ctx.notes.append(f"Kolom {total} dihitung dari {pu} + {bpu}. / {total} derived as {pu} + {bpu}.")
    for workers, covered in FIGURE_PAIRS:
        if workers in values and covered in values:
            check = valid[workers] & valid[covered]
            over = np.flatnonzero(check & (np.where(check, values[covered], 0) > np.where(check, values[workers], 0)))
            if len(over):
                role = covered if covered in present else FIGURE_PARTS[covered][0]
                col = ctx.column(role)
                log.add_many(over, col, ctx.header.names[col], _texts(ctx.rows[col])[over],
                             ["covered_gt_workers"] * len(over),
                             [f"Peserta ({values[covered][i]:,}) > pekerja ({values[workers][i]:,}): periksa "
                              f"angkanya atau apakah kolom tertukar. / Covered exceeds workers: check the figures "
                              f"or whether the columns are swapped." for i in over])
    for total, (pu, bpu) in FIGURE_PARTS.items():
        if total in present and pu in values and bpu in values:
            check = valid[total] & valid[pu] & valid[bpu]
            sums = np.where(check, [a + b if c else 0 for a, b, c in zip(values[pu], values[bpu], check)], 0)
            over = np.flatnonzero(check & (sums > np.where(check, values[total], 0)))
            if len(over):
                col = ctx.column(total)
                log.add_many(over, col, ctx.header.names[col], _texts(ctx.rows[col])[over],
                             ["parts_exceed_total"] * len(over),
                             [f"{pu} + {bpu} = {sums[i]:,} > {total} {values[total][i]:,}: periksa angkanya. / "
                              "The parts exceed the total: check the figures." for i in over])

    # Duplicate region (and period): every row of the group is rejected.
    matched = np.flatnonzero(pd.notna(kodes))
    if len(matched):
        keys = pd.DataFrame({"kode": kodes[matched], "period": periods[matched]})
        dup = keys.duplicated(keep=False).to_numpy()
        if dup.any():
            dup_pos = positions[matched[dup]]
            groups: dict[tuple, list[int]] = {}
            for pos, k, p in zip(dup_pos, keys["kode"][dup], keys["period"][dup]):
                groups.setdefault((k, p), []).append(int(pos))
            for (k, p), members in groups.items():
                for pos in members:
                    role = next(r for r in (DESA_KEYS if ctx.level == "desa" else KECAMATAN_KEYS)
                                if ctx.header.has(r) and cell_text(ctx.rows.iat[pos, ctx.column(r)]))
                    others = ", ".join(str(ctx.spreadsheet_rows[o]) for o in members if o != pos)
                    period = f" periode {p}" if p else ""
                    log.add(pos, ctx.column(role), ctx.header.names[ctx.column(role)],
                            cell_text(ctx.rows.iat[pos, ctx.column(role)]), "duplicate_region",
                            f"{ctx.index.label(k)}{period} juga ada di baris {others}; sisakan satu baris. / "
                            f"Same region{' and period' if p else ''} also in row(s) {others}: keep one.")

    rejected = log.rejected()
    keep = checked_keep(rejected, kodes)
    table = make_table(ctx.spreadsheet_rows[keep], kodes[keep], ctx.level, periods[keep],
                       {FIGURES[r]: v[keep] for r, v in values.items()})
    matches = [
        {"row": int(ctx.spreadsheet_rows[pos]), "input": results[g].input, "kode": results[g].kode,
         "nama": ctx.index.label(results[g].kode), "method": results[g].method}
        for pos, g in zip(positions, group) if not rejected[pos] and results[g].kode
    ]
    report = build_report(n, int(rejected.sum()), log.records(ctx.spreadsheet_rows), matches)
    return table, report


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


def build_report(rows_in: int, rejected: int, problems: list[dict[str, Any]],
                 matches: list[dict[str, Any]]) -> dict[str, Any]:
    """The report dict without ``totals``."""
    return {"rows_in": rows_in, "rows_matched": rows_in - rejected, "rows_rejected": rejected,
            "problems": problems, "matches": matches}


def _totals(table: pd.DataFrame) -> dict[str, int | None]:
    totals: dict[str, int | None] = {}
    for column in FIGURES.values():
        values = table[column]
        totals[column] = int(values.sum()) if values.notna().any() else None
    return totals

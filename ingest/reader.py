"""The one table reader: a file (path, bytes or upload) -> a grid of cells.

Every upload goes through here (coverage, participants, sites): size limit,
file type by content, encodings (UTF-8 with or without BOM, UTF-16, cp1252),
delimiters (``;`` ``,`` tab ``|``, ``sep=`` lines), Parquet (:mod:`ingest.parquet`), XLSX sheets with merged
cells, formulas and hidden rows (:mod:`ingest.xlsx`, read in a separate
process with limits: :mod:`ingest.bounded`; text files over
:data:`TEXT_IN_WORKER_BYTES` are parsed there too).  Whole-file problems raise
:class:`core.errors.InputFileError`.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from core.errors import InputFileError
from core.i18n import Message
from ingest.bounded import run_bounded
from ingest.characters import clean_text, has_hidden, merge_counts
from ingest.parquet import MAGIC as PARQUET_MAGIC
from ingest.parquet import parquet_bytes_grid
from ingest.xlsx import Limits, cell_grid, read_xlsx

#: Default size limit of an input file; ``PETA_MAX_INPUT_MB`` overrides it.
MAX_INPUT_BYTES = 200 * 1024 * 1024

#: Text files over this size are parsed in the worker process (:mod:`ingest.bounded`), like every XLSX.
TEXT_IN_WORKER_BYTES = 8 * 1024 * 1024

#: Rows searched for a header (and read to choose an XLSX sheet).
HEADER_SCAN_ROWS = 30


# -- file --------------------------------------------------------------------------

def _file_error(name: str, key: str, **params: object) -> InputFileError:
    """An :class:`InputFileError` about file ``name`` (catalog ``error.<key>``, whose text starts with ``{file}``)."""
    return InputFileError(key, file=name, **params)


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
    if size is None:
        return InputFileError("reader.over_size_limit", file=name, limit=_size(limit))
    return InputFileError("reader.over_size_limit_size", file=name, size=_size(size), limit=_size(limit))


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
            raise _file_error(name, 'reader.no_such_path', path=path)
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


#: Leading bytes of files that are not tables -> catalog key ``filetype.<kind>``.
_MAGIC = (
    (b"%PDF", "pdf"), (b"\x89PNG", "png"), (b"\xff\xd8\xff", "jpeg"), (b"GIF8", "gif"), (b"\x1f\x8b", "gzip"),
    (b"Rar!", "rar"), (b"7z\xbc\xaf", "7z"), (b"SQLite format 3", "sqlite"),
    (b"\x7fELF", "program"), (b"MZ", "program"),
)


def _kind(name: str, data: bytes) -> str:
    """Return ``"xlsx"``, ``"parquet"`` or ``"text"``, or raise for anything else."""
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        raise _file_error(name, 'reader.empty')
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _file_error(name, "reader.old_xls")
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            raise _file_error(name, "reader.damaged_zip") from None
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "content.xml" in names:
            raise _file_error(name, "reader.ods")
        raise _file_error(name, "reader.zip")
    if data.startswith(PARQUET_MAGIC):
        return "parquet"
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise _file_error(name, "reader.not_a_table", what=Message(f"filetype.{what}"))
    if name.lower().endswith((".xlsx", ".xlsm")):
        raise _file_error(name, "reader.not_xlsx")
    return "text"


def _decode(name: str, data: bytes) -> tuple[str, str]:
    """Decode text bytes; return ``(text, encoding)``."""
    if data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8"
    binary = _file_error(name, "reader.binary")
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
    text, cleaned = clean_text(text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    hint = re.match(r"sep=(.)\n", text)
    if hint:  # Excel's separator line: Excel hides it, so row numbers start after it
        text = text[hint.end():]
    delimiter = hint.group(1) if hint else _sniff_delimiter(text)
    meta = {"format": "csv", "encoding": encoding, "delimiter": delimiter, "sheet": None, "cleaned": cleaned}
    if delimiter is None:
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        return cell_grid([[line] for line in lines]), meta
    try:
        grid = pd.read_csv(io.StringIO(text), sep=delimiter, header=None, dtype=str, keep_default_na=False,
                           na_filter=False, skip_blank_lines=False, engine="c", quotechar='"')
    except (pd.errors.ParserError, ValueError):
        grid = cell_grid(list(csv.reader(io.StringIO(text), delimiter=delimiter)), fill="")
    grid.columns = range(grid.shape[1])
    _check_quotes(name, grid, delimiter, first_line=2 if hint else 1)
    return grid, meta


def _check_quotes(name: str, grid: pd.DataFrame, delimiter: str, first_line: int = 1) -> None:
    """Refuse a text file where an opening quote without its closing quote swallowed the following rows.

    A quoted cell may hold line breaks (a note over two lines); it may not
    hold lines that are rows of the table themselves (as many separators as
    the header), which is what a missing closing quote reads as.
    """
    width = grid.shape[1]
    if width < 2:
        return
    for col in grid.columns:
        cells = grid[col]
        multiline = cells.str.contains("\n", regex=False, na=False).to_numpy()
        for i in np.flatnonzero(multiline):
            cell = cells.iat[i].rstrip("\n")
            swallowed = [line for line in cell.split("\n")[1:] if line.count(delimiter) >= width - 1]
            if swallowed:
                before = grid.iloc[:i].apply(lambda c: c.str.count("\n").fillna(0).sum()).sum()
                start = first_line + i + int(before)
                raise _file_error(name, "reader.unclosed_quote", line=start, rows=len(swallowed),
                                  end=start + cell.count("\n"))


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


def _parquet_grid(name: str, data: bytes) -> tuple[pd.DataFrame, dict[str, Any]]:
    """A Parquet file as a grid (column names in row 1), its text cells cleaned as a CSV's would be."""
    import duckdb

    try:
        grid = parquet_bytes_grid(data)
    except duckdb.Error:
        raise _file_error(name, "reader.damaged_parquet") from None
    cleaned: dict[str, int] = {}
    for column in grid.columns:
        values = grid[column].to_numpy(dtype=object)
        if any(has_hidden(v) for v in values if isinstance(v, str)):
            pairs = [clean_text(v) for v in values]
            grid[column] = [text for text, _counts in pairs]
            for _text, counts in pairs:
                merge_counts(cleaned, counts)
    return grid, {"format": "parquet", "encoding": None, "delimiter": None, "sheet": None, "cleaned": cleaned}


def _xlsx_grid(name: str, data: bytes, sheet: str | int | None,
               holds_table: Callable[[pd.DataFrame], bool] | None = None,
               ) -> tuple[pd.DataFrame, dict[str, Any], list[tuple[int, int, int, int]]]:
    result = run_bounded(name, read_xlsx, name, data, sheet, holds_table, HEADER_SCAN_ROWS, Limits())
    return result.grid, result.meta, result.merged


def read_grid(name: str, data: bytes, sheet: str | int | None = None,
              holds_table: Callable[[pd.DataFrame], bool] | None = None,
              ) -> tuple[pd.DataFrame, dict[str, Any], list[tuple[int, int, int, int]]]:
    """Read all cells of a file into a grid (row i = spreadsheet row i + 1).

    Parameters
    ----------
    name : str
        File name, for messages.
    data : bytes
        The file's content.
    sheet : str or int, optional
        XLSX sheet by name or 0-based number; by default the one visible
        sheet whose first :data:`HEADER_SCAN_ROWS` rows ``holds_table``.
    holds_table : callable, optional
        ``grid -> bool``: whether a sheet's first rows hold the table the
        caller reads (a header it recognises).  Default: any non-blank cell.

    Returns
    -------
    (DataFrame, dict, list)
        The grid (object cells, columns 0..n-1), source facts and merged
        ranges (XLSX, 0-based ``(row0, col0, row1, col1)``).
    """
    kind = _kind(name, data)
    if kind == "xlsx":
        return _xlsx_grid(name, data, sheet, holds_table)
    if kind == "parquet":      # decompressed where a hostile file cannot exhaust the app's memory
        grid, meta = run_bounded(name, _parquet_grid, name, data)
        return grid, meta, []
    if len(data) > TEXT_IN_WORKER_BYTES:  # a big text file: parsed where it cannot slow the other sessions
        grid, meta = run_bounded(name, _text_grid, name, data)
    else:
        grid, meta = _text_grid(name, data)
    return grid, meta, []



"""Large participant files read by column: DuckDB reads only the columns used and counts in the engine.

A participant list of a million rows has a few thousand distinct
combinations of the cells that matter (desa code or name, segment, period).
This module has DuckDB read the file, keep only those columns (the identity
column as a 128-bit hash, names and other personal columns never leave the
engine), and group the rows into **signatures**: one per distinct
combination, with its row count and first row.  :mod:`ingest.participants`
then runs every check of the grid reader once per signature, and DuckDB
expands the outcome back to rows: the problems of each rejected row, the
same participant listed twice in a period, the counts per desa.  The
result is the one the grid reader gives (``tests/test_columnar.py``
compares the two on the same files).

**Which files.**  A CSV/TXT of at least :data:`COLUMNAR_MIN_BYTES`, or any
Parquet file, whose header names a participant list.  The engine is used
only where it reads exactly what the grid reader would: UTF-8 (with or
without BOM), no character :func:`ingest.characters.clean_text` would
change, one line ending throughout, no blank line, no ``sep=`` line, every
column named, every row as wide as the header, no cell over two lines, a
level told by the header.  Anything else goes to the grid reader
(:mod:`ingest.reader`), whose messages name the file, row and column: this
module never reports a problem of its own.

**Limits.**  DuckDB gets :data:`MEMORY_LIMIT` of memory (it spills to a
temporary folder beyond it, so a file larger than memory is streamed), two
threads and the parse time limit of :mod:`ingest.bounded`
(``PETA_PARSE_TIMEOUT_S``), after which the query is interrupted.  A path
may be up to :func:`max_columnar_bytes` (``PETA_MAX_COLUMNAR_MB``): larger
than the grid reader's limit, as the file is never held in memory.

DuckDB rather than pyarrow or polars: it streams CSV larger than memory
within a memory limit, reads Parquet, and does the grouping, the
duplicate search (a window over the identity hash) and the anti-join in
SQL, so a million rows cross into Python as a few thousand.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from core.errors import InputFileError, PetaCakupanError
from ingest.bounded import timeout_s
from ingest.characters import KINDS, has_hidden
from ingest.headers import PERSONAL_ROLES
from ingest.parquet import MAGIC as PARQUET_MAGIC
from ingest.parquet import column_names, parquet_grid, sql_identifier, sql_literal
from ingest.reader import (
    HEADER_SCAN_ROWS,
    _kind,
    _text_grid,
    max_input_bytes,
)

#: Text files from this size on are read by column (smaller ones are fast on the grid reader).
COLUMNAR_MIN_BYTES = 8 * 1024 * 1024
#: Bytes read for the header and the delimiter (the first rows of the file).
HEAD_BYTES = 256 * 1024
#: Memory DuckDB may use before it spills to its temporary folder.
MEMORY_LIMIT = "1GB"
#: Bytes read at a time when checking a file's text.
_CHUNK = 16 * 1024 * 1024
#: What Python's ``str.strip`` removes from an ASCII cell, for DuckDB's ``trim``.
_STRIP = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"
#: A character Python's ``str.strip`` keeps (a row without one is blank), as an RE2 class.
_NOT_SPACE = "[^ \\t\\n\\r\\x0b\\x0c\\x1c-\\x1f]"
#: Any character :func:`ingest.characters.clean_text` changes, as an RE2 class.
_HIDDEN = "[" + "".join(f"\\x{{{ord(ch):04x}}}" for chars in KINDS.values() for ch in chars) + "]"
#: An ID Excel wrote in scientific notation (as :func:`ingest.participants._mangled_by_excel`).
_SCIENTIFIC_ID = r"^\d[.,]\d+[eE]\+?\d+$"
#: A coordinate the engine converts itself: plain decimal degrees, which Python and DuckDB read alike.
_PLAIN_DEGREES = r"-?[0-9]{1,3}(\.[0-9]{1,20})?"


def max_columnar_bytes() -> int:
    """Size limit of a file read by column from a path: ``PETA_MAX_COLUMNAR_MB``, else 20x the grid limit."""
    env = os.environ.get("PETA_MAX_COLUMNAR_MB")
    try:
        return int(float(env) * 1024 * 1024) if env else 20 * max_input_bytes()
    except ValueError:
        return 20 * max_input_bytes()


@dataclass
class ColumnarFile:
    """A file DuckDB can read as the grid reader would, and its first rows as a grid.

    Attributes
    ----------
    name : str
        The file's name, for messages.
    kind : str
        ``"csv"`` or ``"parquet"``.
    meta : dict
        Source facts as the grid reader gives them (``format``, ``encoding``,
        ``delimiter``, ``sheet``, ``cleaned``) and ``filename``.
    head : pandas.DataFrame
        The first rows as a grid of text cells (row i = spreadsheet row i + 1).
    newline : str
        ``"\\n"`` or ``"\\r\\n"`` (CSV).
    """

    name: str
    kind: str
    meta: dict[str, Any]
    head: pd.DataFrame
    newline: str = "\n"
    quoted: bool = True
    _path: Path | None = field(default=None, repr=False)
    _data: bytes | None = field(default=None, repr=False)
    _folder: tempfile.TemporaryDirectory | None = field(default=None, repr=False)

    @property
    def path(self) -> Path:
        """What DuckDB reads: the file itself, or for an upload a temporary copy written on first use.

        An upload the header leaves to the grid reader is never written to disk.
        """
        if self._path is None:
            self._folder = tempfile.TemporaryDirectory(prefix="peta-columnar-")
            self._path = Path(self._folder.name) / "upload"
            self._path.write_bytes(self._data)
            self._data = None
        return self._path

    def chunks(self) -> Iterator[bytes]:
        """The file's bytes, :data:`_CHUNK` at a time."""
        if self._data is not None:
            view = memoryview(self._data)
            for start in range(0, len(view), _CHUNK):
                yield bytes(view[start:start + _CHUNK])
            return
        with self.path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                yield chunk

    def close(self) -> None:
        """Remove the temporary copy, if any."""
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None


def open_columnar(path_or_file: str | os.PathLike[str] | bytes | IO[bytes], filename: str | None,
                  max_bytes: int | None = None) -> ColumnarFile | None:
    """The file as a :class:`ColumnarFile` when it is one DuckDB may read, else None (the grid reader reads it).

    Parameters
    ----------
    path_or_file : path, bytes or binary file-like
    filename : str, optional
        Name for messages and type detection.
    max_bytes : int, optional
        Size limit (default: the grid reader's for an upload; for a path
        :func:`max_columnar_bytes`, as a path is never loaded whole).
    """
    if isinstance(path_or_file, (str, os.PathLike)):
        path = Path(path_or_file)
        name = filename or path.name
        limit = max_bytes if max_bytes is not None else max_columnar_bytes()
        if not path.is_file() or path.stat().st_size > limit:
            return None
        with path.open("rb") as handle:
            start = handle.read(HEAD_BYTES)
        return _open(name, start, path.stat().st_size, path=path)
    limit = max_bytes if max_bytes is not None else max_input_bytes()
    if isinstance(path_or_file, (bytes, bytearray, memoryview)):
        data, name = bytes(path_or_file), filename or "upload"
    else:
        name = filename or Path(str(getattr(path_or_file, "name", "") or "upload")).name
        size = getattr(path_or_file, "size", None)
        if not isinstance(size, int) or size > limit or not hasattr(path_or_file, "seek"):
            return None
        if size < COLUMNAR_MIN_BYTES and not name.lower().endswith(".parquet"):
            return None
        path_or_file.seek(0)
        data = path_or_file.read(limit + 1)
        path_or_file.seek(0)
        if not isinstance(data, bytes):
            return None
    if len(data) > limit:
        return None
    return _open(name, data[:HEAD_BYTES], len(data), data=data)


def _is_parquet_bytes(start: bytes) -> bool:
    return start == PARQUET_MAGIC


def _open(name: str, start: bytes, size: int, path: Path | None = None,
          data: bytes | None = None) -> ColumnarFile | None:
    """The :class:`ColumnarFile` of a file (``path``) or an upload (``data``) whose first bytes are ``start``."""
    if _is_parquet_bytes(start[:4]):
        source = ColumnarFile(name, "parquet", {"format": "parquet", "encoding": None, "delimiter": None,
                                                "sheet": None, "cleaned": {}, "filename": name,
                                                "read_by": "column"}, pd.DataFrame(), _path=path, _data=data)
        head = _parquet_head(source.path)                  # an upload's Parquet is written for DuckDB here
        if head is None:
            source.close()
            return None
        source.head = head
        return source
    if size < COLUMNAR_MIN_BYTES or name.lower().endswith((".xlsx", ".xlsm")):
        return None
    try:
        if _kind(name, start) != "text":
            return None
    except PetaCakupanError:                  # a workbook, an archive ...: the grid reader says what it is
        return None
    cut = start.rfind(b"\n")
    if cut < 0:
        return None
    head_bytes = start[:cut + 1]
    if b"sep=" in head_bytes[:8]:
        return None
    try:
        head, meta = _text_grid(name, head_bytes)
    except PetaCakupanError:
        return None
    if meta["delimiter"] is None or meta["cleaned"] or meta["encoding"] not in ("utf-8", "utf-8-sig"):
        return None
    if len(head) != head_bytes.count(b"\n"):       # a cell over two lines in the first rows
        return None
    meta = {**meta, "filename": name, "read_by": "column"}
    return ColumnarFile(name, "csv", meta, head, _path=path, _data=data)


def _plain_text(chunks: Iterable[bytes]) -> tuple[str, bool] | None:
    """The line ending of a UTF-8 text (``chunks`` of its bytes) DuckDB reads as the grid reader would, or None.

    With the line ending, whether the text holds a quote character ``"``.

    None for: bytes that are not UTF-8, a NUL byte, a character the grid
    reader cleans, a blank line (DuckDB skips it, which would shift row
    numbers), a lone ``\\r`` or line endings of both kinds.
    """
    crlf = lf = quoted = False
    previous = b""
    for chunk in chunks:
        quoted = quoted or b'"' in chunk
        joined = previous + chunk
        if b"\x00" in chunk:
            return None
        if not chunk.isascii():
            try:
                text = joined.decode("utf-8")
            except UnicodeDecodeError as error:        # a character cut by the chunk's end is fine
                if error.start < len(joined) - 4:
                    return None
                text = joined[:error.start].decode("utf-8")
            if has_hidden(text.lstrip("\ufeff")):
                return None
        if b"\r" in joined:
            normalised = joined.replace(b"\r\n", b"\n")
            if b"\r" in normalised.rstrip(b"\r"):               # a lone CR (an old Mac line end)
                return None
            crlf = True
            lf = lf or b"\n" in chunk.replace(b"\r\n", b"")
        else:
            normalised = joined
            lf = lf or b"\n" in chunk
        if b"\n\n" in normalised or (not previous and normalised.lstrip(b"\xef\xbb\xbf").startswith(b"\n")):
            return None
        previous = chunk[-3:]
    if crlf and lf:
        return None
    return ("\r\n" if crlf else "\n"), quoted


def _parquet_head(path: Path) -> pd.DataFrame | None:
    """The column names and first rows of a Parquet file as a grid of text cells (None if unreadable)."""
    import duckdb

    try:
        return parquet_grid(path, rows=HEADER_SCAN_ROWS)
    except duckdb.Error:
        return None


# -- the rows --------------------------------------------------------------------------

@dataclass(frozen=True)
class PointColumns:
    """The coordinate columns of a desa-level file, for rows the engine places itself.

    A row whose key cells are all empty is placed by its point.  When both
    of its coordinates are plain decimal degrees (:data:`_PLAIN_DEGREES`)
    and the point falls in a desa, the engine converts them, ``locate``
    names the desa and the row's signature carries that desa instead of the
    two cells: a million scattered points make a few thousand signatures,
    not a million.  Every other point keeps its cells and is checked in
    Python as on the grid.

    Attributes
    ----------
    lat, lon : int
        Column positions of latitude and longitude.
    keys : tuple of int
        Positions of the key columns (code, names) that place a row before its point.
    locate : callable
        ``locate(lon, lat)``: ``(position of the desa covering each point, -1
        outside; the desa codes)``
        (:meth:`ingest.matching.RegionIndex.locate_positions`).
    """

    lat: int
    lon: int
    keys: tuple[int, ...]
    locate: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


@dataclass
class Signatures:
    """The distinct combinations of used cells of a file's rows, and the engine holding the rows.

    Attributes
    ----------
    frame : pandas.DataFrame
        One row per signature, columns 0..width-1 as the header's (cells of
        unused columns are empty), in the order of their first row.
    first_rows : numpy.ndarray
        Spreadsheet row of each signature's first row.
    counts : numpy.ndarray
        Rows per signature.
    rows_in : int
        Data rows (blank rows not counted).
    blank_rows : int
        Blank rows skipped.
    ids_mangled : bool
        Whether the identity column holds numbers Excel wrote in scientific notation.
    located : numpy.ndarray, optional
        Per signature, the desa code the engine placed its rows in by their
        point (:class:`PointColumns`; their coordinate cells are then empty
        in ``frame``), else None; None when no point was placed.
    """

    frame: pd.DataFrame
    first_rows: np.ndarray
    counts: np.ndarray
    rows_in: int
    blank_rows: int
    ids_mangled: bool
    located: np.ndarray | None = None
    _con: Any = field(repr=False, default=None)
    _offset: int = 0
    _timer: threading.Timer | None = field(default=None, repr=False)
    _source: ColumnarFile | None = field(default=None, repr=False)
    _spill: str | None = field(default=None, repr=False)

    def rows_of(self, signatures: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(spreadsheet rows, signature of each)`` of every row of the given signatures, by row."""
        if not len(signatures):
            return np.array([], dtype=np.int64), np.array([], dtype=np.int64)
        self._con.register("wanted", pd.DataFrame({"sig": np.asarray(signatures, dtype=np.int64)}))
        rows = self._con.execute("SELECT rid, sig FROM m JOIN wanted USING (sig) ORDER BY rid").fetchnumpy()
        self._con.unregister("wanted")
        return rows["rid"].astype(np.int64) + self._offset, rows["sig"].astype(np.int64)

    def accepted(self, periods: np.ndarray, valid: np.ndarray,
                 limit: int | None = None) -> tuple[pd.DataFrame, list[tuple[int, int]], int]:
        """Accepted rows per valid signature, and the rows of a participant already counted in that period.

        Parameters
        ----------
        periods : numpy.ndarray
            Parsed period of each signature (None where there is none).
        valid : numpy.ndarray
            Boolean, per signature: no problem found.

        limit : int, optional
            Return at most this many duplicate pairs (the first by row).

        Returns
        -------
        (DataFrame, list of (int, int), int)
            ``sig``, ``n`` (rows counted) and ``first`` (spreadsheet row of the
            first row counted) per valid signature with rows left;
            ``(row, first row)`` of the later rows of the same identity and
            period (the first valid row counts; rows with a blank identity are
            never duplicates), up to ``limit``; and how many such rows there are.
        """
        sigs = np.flatnonzero(valid)
        period = pd.Series(np.asarray(periods, dtype=object)[sigs], dtype=object)
        table = pd.DataFrame({"sig": sigs.astype(np.int64), "period": period.where(period.notna(), "").astype(str)})
        self._con.register("valid_sigs", table)
        # Only a row whose identity is listed more than once can be a duplicate.  Those identities are
        # found by a hash aggregate over a 64-bit hash of the identity hash (a collision only lets more
        # rows into the window, which compares the identity hashes themselves); the window that finds
        # each (identity, period)'s first row runs over their rows alone: none in a list without
        # repeated identities.
        self._con.execute("""
            CREATE OR REPLACE TEMP TABLE dup AS
            WITH twice AS (SELECT hash(idh) AS h FROM m WHERE idh IS NOT NULL GROUP BY h HAVING count(*) > 1),
                 repeated AS (SELECT m.rid, m.idh, v.period FROM m JOIN valid_sigs v USING (sig)
                              WHERE m.idh IS NOT NULL AND hash(m.idh) IN (SELECT h FROM twice))
            SELECT rid, first_rid FROM (
                SELECT rid, first_value(rid) OVER (PARTITION BY idh, period ORDER BY rid) AS first_rid
                FROM repeated)
            WHERE rid <> first_rid""")
        listed = f" LIMIT {int(limit)}" if limit is not None else ""
        duplicates = self._con.execute(f"SELECT rid, first_rid FROM dup ORDER BY rid{listed}").fetchnumpy()
        (n_duplicates,) = self._con.execute("SELECT count(*) FROM dup").fetchone()
        counted = self._con.execute("""
            SELECT sig, count(*) AS n, min(rid) AS first FROM m JOIN valid_sigs USING (sig)
            WHERE rid NOT IN (SELECT rid FROM dup) GROUP BY sig ORDER BY sig""").df()
        self._con.unregister("valid_sigs")
        counted["first"] = counted["first"].astype(np.int64) + self._offset
        pairs = [(int(r) + self._offset, int(f) + self._offset)
                 for r, f in zip(duplicates["rid"], duplicates["first_rid"])]
        return counted, pairs, int(n_duplicates)

    def close(self) -> None:
        """Close the engine and remove its files."""
        if self._timer is not None:
            self._timer.cancel()
        if self._con is not None:
            self._con.close()
            self._con = None
        if self._spill is not None:
            shutil.rmtree(self._spill, ignore_errors=True)
            self._spill = None
        if self._source is not None:
            self._source.close()

    def __enter__(self) -> Signatures:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_signatures(source: ColumnarFile, header_last_row: int, width: int, used: list[int],
                    id_column: int | None, points: PointColumns | None = None) -> Signatures | None:
    """Have DuckDB read the rows below the header and group them into :class:`Signatures`.

    Parameters
    ----------
    source : ColumnarFile
    header_last_row : int
        0-based grid row of the header's last row.
    width : int
        Columns of the file (every row must have exactly these).
    used : list of int
        Columns whose cells the checks read (keys, segment, period, coordinates).
    id_column : int, optional
        The identity column: only its hash is kept, for finding a participant listed twice.
    points : PointColumns, optional
        Coordinate columns of a desa-level file: rows with plain coordinates
        and no key are placed in the engine (:class:`PointColumns`).

    Returns
    -------
    Signatures or None
        None when the engine cannot read the file as the grid reader would
        (a row of another width, an unclosed quote, a cell over two lines, no
        data row): the grid reader then reads it and says what is wrong.
    """
    import duckdb

    spill = tempfile.mkdtemp(prefix="peta-duckdb-")
    con = duckdb.connect(config={"memory_limit": MEMORY_LIMIT, "threads": 2, "temp_directory": spill,
                                 "preserve_insertion_order": True, "enable_external_access": True})
    timer = threading.Timer(timeout_s(), con.interrupt)
    timer.daemon = True
    timer.start()
    signatures = Signatures(pd.DataFrame(), np.array([]), np.array([]), 0, 0, False, _con=con,
                            _offset=header_last_row + 2, _timer=timer, _source=source, _spill=spill)
    columns = [f"c{i}" for i in range(width)]
    try:
        scan = _scan(source, header_last_row, columns)
        if scan is None:
            signatures.close()
            return None
        n_irregular, n_blank, n_rows, n_ids, n_sci = _row_table(con, source, scan, columns, used, id_column,
                                                                points)
        if n_irregular or not n_rows:
            signatures.close()
            return None
        keys = [columns[i] for i in used]
        if points is not None:
            desa = _place_points(con, points, columns)
        else:
            desa = None
            con.execute("CREATE TEMP VIEW u AS SELECT rowid AS rid, * FROM t")
        found = _group(con, keys + (["loc"] if desa is not None else []))
    except duckdb.InterruptException:
        signatures.close()
        raise InputFileError("reader.took_too_long", file=source.name, seconds=f"{timeout_s():g}") from None
    except duckdb.Error:
        signatures.close()
        return None
    count = len(found["n"])
    empty = np.full(count, "", dtype=object)
    frame = pd.DataFrame({i: pd.Series(np.asarray(found[columns[i]], dtype=object) if i in used else empty,
                                       dtype=object) for i in range(width)})
    signatures.frame = frame
    signatures.first_rows = np.asarray(found["first"], dtype=np.int64) + signatures._offset
    signatures.counts = np.asarray(found["n"], dtype=np.int64)
    signatures.rows_in, signatures.blank_rows = int(n_rows), int(n_blank)
    signatures.ids_mangled = bool(n_ids) and int(n_sci) * 10 >= int(n_ids)
    if desa is not None and len(desa):
        loc = np.asarray(found["loc"], dtype=np.int64)
        signatures.located = np.where(loc >= 0, desa[np.maximum(loc, 0)], None)
    return signatures


def _row_table(con: Any, source: ColumnarFile, scan: str, columns: list[str], used: list[int],
               id_column: int | None, points: PointColumns | None) -> tuple[int, int, int, int, int]:
    """Table ``t``: per row its used cells, identity hash and flags; return its counts.

    The counts are ``(rows with a cell over two lines or a hidden character,
    blank rows, data rows, data rows with an identity, identities in
    scientific notation)``.  With ``points``, ``plat``/``plon`` hold the
    coordinates of the rows the engine may place (no key, plain degrees).
    """
    kept = {columns[i]: f"coalesce({columns[i]}, '')" for i in used}     # the used cells, by column
    extra: list[str] = []                                                  # the identity, the point
    every_cell = f"concat({', '.join(columns)})"           # NULL cells count as empty
    # A row whose first characters are no space is not blank: the regular expression only for the rest.
    visible = " OR ".join(f"ascii(coalesce({c}, '')) > 32" for c in columns)
    blank = f"CASE WHEN {visible} THEN false ELSE NOT regexp_matches({every_cell}, {sql_literal(_NOT_SPACE)}) END"
    # Only a quoted cell can hold a line break.
    irregular = (" OR ".join(f"coalesce(contains({c}, chr(10)), false)" for c in columns)
                 if source.quoted else "false")
    if source.kind == "parquet":    # a CSV was checked byte by byte; Parquet cells are checked here
        irregular += f" OR regexp_matches({every_cell}, {sql_literal(_HIDDEN)})"
    if id_column is not None:
        raw = f"coalesce(c{id_column}, '')"
        # trimmed as str.strip would; trim() with a character set is slow, so only cells with a space
        # or control character at either end (the set is narrower: trim leaves the others)
        identity = (f"nullif(CASE WHEN ascii({raw}) <= 32 OR ascii({raw}[-1:]) <= 32 "
                    f"THEN trim({raw}, {sql_literal(_STRIP)}) ELSE {raw} END, '')")
        extra += [f"md5_number({identity}) AS idh",
                  f"coalesce(regexp_full_match({identity}, {sql_literal(_SCIENTIFIC_ID)}), false) AS sci"]
    else:
        extra += ["NULL::HUGEINT AS idh", "false AS sci"]
    if points is not None:
        # A placeable row keeps its coordinates as numbers only (its text is restored from them, in
        # _place_points, if its point falls in no desa); the test is made once per row, in a subquery.
        lat, lon = columns[points.lat], columns[points.lon]
        placeable = " AND ".join([f"coalesce({columns[k]}, '') = ''" for k in points.keys]
                                 + [f"coalesce(regexp_full_match({c}, {sql_literal(_PLAIN_DEGREES)}), false)"
                                    for c in (lat, lon)])
        for c in (lat, lon):
            kept[c] = f"CASE WHEN _placeable THEN '' ELSE coalesce({c}, '') END"
        extra += [f"CASE WHEN _placeable THEN CAST({lat} AS DOUBLE) END AS plat",
                  f"CASE WHEN _placeable THEN CAST({lon} AS DOUBLE) END AS plon"]
        scan = f"(SELECT *, ({placeable}) AS _placeable FROM {scan})"
    cells = [f"{expression} AS {c}" for c, expression in kept.items()] + extra
    con.execute(f"CREATE TEMP TABLE t AS SELECT {', '.join(cells)}, ({blank}) AS blank, "
                f"({irregular}) AS irregular FROM {scan}")
    return con.execute(
        "SELECT count(*) FILTER (WHERE irregular), count(*) FILTER (WHERE blank),"
        " count(*) FILTER (WHERE NOT blank), count(idh) FILTER (WHERE NOT blank),"
        " count(*) FILTER (WHERE sci AND NOT blank) FROM t").fetchone()


def _place_points(con: Any, points: PointColumns, columns: list[str]) -> np.ndarray:
    """Place the rows of ``t`` with plain coordinates; table ``u``: the rows, with ``loc`` for the placed.

    A placed row's coordinate cells are empty and ``loc`` is its desa's
    position in the returned codes (every desa of the region); ``loc`` is -1
    for every other row.  A row that was placeable but falls in no desa gets
    its coordinates back as text (the shortest text of the same number, which
    Python reads back to it): it is checked, and its correction found, in Python.
    """
    rows = con.execute("SELECT rowid AS rid, plat, plon FROM t WHERE plat IS NOT NULL AND NOT blank").fetchnumpy()
    rid = np.asarray(rows["rid"], dtype=np.int64)
    lat, lon = np.asarray(rows["plat"], dtype=float), np.asarray(rows["plon"], dtype=float)
    where = np.full(len(rid), -1, dtype=np.int64)
    in_range = np.flatnonzero((np.abs(lat) <= 90) & (np.abs(lon) <= 180))
    positions, codes = points.locate(lon[in_range], lat[in_range])
    where[in_range] = positions
    placed = where >= 0
    con.register("placed", pd.DataFrame({"rid": rid[placed], "k": where[placed].astype(np.int32)}))
    lat_col, lon_col = columns[points.lat], columns[points.lon]
    con.execute(f"""
        CREATE TEMP TABLE u AS
        SELECT t.rowid AS rid, t.* EXCLUDE (plat, plon) REPLACE (
            CASE WHEN p.k IS NULL AND t.plat IS NOT NULL THEN CAST(t.plat AS VARCHAR) ELSE t.{lat_col} END
                AS {lat_col},
            CASE WHEN p.k IS NULL AND t.plon IS NOT NULL THEN CAST(t.plon AS VARCHAR) ELSE t.{lon_col} END
                AS {lon_col}),
            coalesce(p.k, -1) AS loc
        FROM t LEFT JOIN placed p ON t.rowid = p.rid""")
    con.unregister("placed")
    return np.asarray(codes, dtype=object)


def _group(con: Any, keys: list[str]) -> dict[str, np.ndarray]:
    """Tables ``s`` (one row per signature: its cells, row count, first row) and ``m`` (each row's signature).

    The rows are those of ``u``: ``t`` with its row id as ``rid`` (and ``loc``, see :func:`_place_points`).
    Returns the signatures' key cells, ``n`` and ``first``, in signature order.
    """
    group = ", ".join(keys) if keys else "1"
    con.execute(f"""
        CREATE TEMP TABLE s AS
        SELECT (row_number() OVER (ORDER BY first)) - 1 AS sig, * FROM (
            SELECT {', '.join(keys + [''])} count(*) AS n, min(rid) AS first
            FROM u WHERE NOT blank GROUP BY {group})""")
    join = " AND ".join(f"u.{c} = s.{c}" for c in keys) or "true"
    con.execute(f"CREATE TEMP TABLE m AS SELECT u.rid, s.sig, u.idh FROM u JOIN s ON {join} WHERE NOT u.blank")
    return con.execute(f"SELECT {', '.join(keys + [''])} n, first FROM s ORDER BY sig").fetchnumpy()


def _scan(source: ColumnarFile, header_last_row: int, columns: list[str]) -> str | None:
    """The ``FROM`` clause reading the data rows as text columns ``c0``.. (None: the file has other columns)."""
    path = sql_literal(source.path)
    if source.kind == "parquet":
        import duckdb

        with duckdb.connect() as probe:
            names = column_names(probe, source.path)
        if len(names) != len(columns):
            return None
        cast = ", ".join(f"CAST({sql_identifier(n)} AS VARCHAR) AS {c}" for n, c in zip(names, columns))
        return f"(SELECT {cast} FROM read_parquet({path}))"
    types = "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in columns) + "}"
    delimiter = sql_literal(source.meta["delimiter"])
    return (f"read_csv({path}, header=false, skip={header_last_row + 1}, delim={delimiter}, quote='\"', "
            f"escape='\"', columns={types}, auto_detect=false, strict_mode=true, null_padding=false, "
            "encoding='utf-8', max_line_size=10000000)")       # the line ending is DuckDB's to find (one kind)


def is_eligible(source: ColumnarFile, header: Any, participant: bool, level_from_header: bool,
                extra_fields: object) -> bool:
    """Whether the engine reads ``source`` exactly as the grid reader would.

    The header's facts first (a participant list, every column named, no row wider than the header
    in the first rows, the level told by the header); then, for a CSV, the whole file's text
    (:func:`_plain_text`: one pass over its bytes).
    """
    width = source.head.shape[1]
    named = len(header.names) >= width and all(header.names[i] for i in range(width))
    if not (participant and level_from_header and extra_fields is None and named
            and header.last_row < len(source.head) - 1):
        return False
    if source.kind == "csv":
        text = _plain_text(source.chunks())
        if text is None:
            return False
        source.newline, source.quoted = text
    return True


def used_columns(header: Any) -> tuple[list[int], int | None]:
    """Columns the participant checks read, and the identity column (hashed only)."""
    used = sorted({i for i, role in enumerate(header.roles)
                   if role and role != "personal" and role not in PERSONAL_ROLES and role != "id_peserta"})
    ids = header.positions("id_peserta")
    return used, (ids[0] if ids else None)


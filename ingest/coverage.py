"""Read coverage files (CSV or XLSX) into a validated, region-matched table.

>>> from ingest.coverage import read_coverage
>>> res = read_coverage("cakupan.csv")            # doctest: +SKIP
>>> res.report["rows_in"], res.report["rows_rejected"]   # doctest: +SKIP

One entry point, :func:`read_coverage`:

1. **File** (:func:`load_source`, :func:`read_grid`): a path, bytes or a
   file-like (a Streamlit upload).  CSV/TXT/TSV in UTF-8 (with or without
   BOM), UTF-16 (Excel "Unicode text") or Windows-1252, separated by
   ``;`` ``,`` tab or ``|`` (detected); or XLSX (sheet chosen by name, by
   0-based index, or the only sheet holding a recognisable table).  Whole-file
   problems raise :class:`core.errors.InputFileError` naming the file and the
   fix.
2. **Header** (:func:`find_header`): the first 30 rows are searched for the
   header row (title rows above it are skipped; a two-row header with merged
   group cells such as "Penerima Upah" over "Pekerja | Peserta" is
   combined).  Columns are recognised by :func:`classify_header` from
   Indonesian and English names (:data:`COLUMN_ALIASES`); personal columns
   (NIK, nama, phone, address, ...) and unknown columns are dropped at once,
   by name.
3. **Rows**: each data row is matched to a region (:mod:`ingest.matching`)
   and its figures are checked (:mod:`ingest.validation`), or it is
   rejected with one problem per fault.  ``rows_in = rows_matched +
   rows_rejected``; blank rows are not data and are not counted, but row
   numbers stay those a spreadsheet shows.
4. **Participant files** (:mod:`ingest.participants`) are aggregated to one
   row per desa (and period) holding ``covered`` counts.

Column names, number formats and reasons are documented, in Bahasa Indonesia
and English, in ``docs/input_format.md``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import IO, Any

import numpy as np
import pandas as pd

from core.errors import InputFileError, PetaCakupanError
from core.formatting import Figure
from core.i18n import Joined, Message
from geo.region import resolve_region
from ingest.columnar import (
    PointColumns,
    is_eligible,
    open_columnar,
    read_signatures,
    used_columns,
)
from ingest.headers import (
    COLUMN_ALIASES,
    GUESS_SCORE,
    IGNORE,
    PERSONAL_ROLES,
    ROLES,
    Header,
    classify_header,
    column_key,
    find_header,
    guess_role,
)
from ingest.matching import (
    DESA_KEYS,
    KECAMATAN_KEYS,
    RegionIndex,
    code_digits,
    normalise_name,
    total_row_role,
)
from ingest.participants import ingest_participants, ingest_participants_columnar
from ingest.population import load_population
from ingest.problems import ProblemLog, mask_personal
from ingest.reader import (
    HEADER_SCAN_ROWS,
    MAX_INPUT_BYTES,
    _file_error,
    _fill_merged,
    load_source,
    read_grid,
)
from ingest.rows import (
    FIGURE_PAIRS,
    FIGURE_PARTS,
    FIGURES,
    SEGMENT_FIGURES,
    TABLE_COLUMNS,
    RowContext,
    _texts,
    build_report,
    checked_keep,
    log_cell_problems,
    log_extra_fields,
    log_key_problems,
    make_table,
    match_keys,
    max_listed_problems,
    parse_periods,
)
from ingest.validation import (
    UncomputedFormula,
    cell_text,
    number_convention,
    parse_counts,
)

__all__ = ["read_coverage", "IngestResult", "InputFileError", "COLUMN_ALIASES", "MAX_INPUT_BYTES",
           "classify_header", "TABLE_COLUMNS"]

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
        ``read_by`` (``"grid"``, or ``"column"`` for a large participant
        file read by :mod:`ingest.columnar`), ``columns`` (file column name
        -> canonical name).
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
    #: Every named column of the file: ``column``, ``role``, ``personal``, ``closest``, ``preview``
    #: (:func:`column_table`), for a person to check or correct the mapping.
    columns: list[dict[str, Any]] = field(default_factory=list)


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


def _holds_coverage_table(grid: pd.DataFrame) -> int:
    """How well a sheet's first rows hold a coverage header: 2 with figure columns, 1 with a region column only.

    A workbook whose one sheet has figures and another only lists desa (the
    template's ``Daftar desa``) is read from the first.
    """
    header = find_header(grid, raise_for=None)
    if header is None:
        return 0
    return 2 if any(r in FIGURES for r in header.roles) else 1


def read_coverage(
    path_or_file: str | os.PathLike[str] | bytes | IO[bytes],
    *,
    filename: str | None = None,
    level: str | None = None,
    sheet: str | int | None = None,
    region: str | None = None,
    fuzzy_threshold: float = 90,
    max_bytes: int | None = None,
    columns: Mapping[str, str] | None = None,
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
    region : str, optional
        Kabupaten/kota (or province) code of the boundaries to match against; default the region in use
        (:func:`geo.region.region_in_use`, Garut unless ``PETA_REGION`` is set).
    fuzzy_threshold : float
        Minimum :func:`rapidfuzz.fuzz.ratio` (0-100) for a fuzzy name match.
    max_bytes : int, optional
        Size limit (default :func:`max_input_bytes`, 200 MB).
    columns : mapping, optional
        File column name -> role (:data:`ingest.headers.ROLES`, or ``"-"``
        to ignore it), given by a person (``--columns``, the mapping step);
        other columns are recognised by their names.

    Returns
    -------
    IngestResult

    Raises
    ------
    InputFileError
        For whole-file problems: empty, binary, not a table, no key or
        figure column, two columns meaning the same, wrong sheet, no data
        rows, over the size limit.
    core.errors.SourceNotFoundError
        If the region's boundaries are not built.
    """
    region = resolve_region(region)
    if level not in (None, "desa", "kecamatan"):
        raise ValueError(f"level must be 'desa', 'kecamatan' or None, not {level!r}.")
    if not 0 <= float(fuzzy_threshold) <= 100:
        raise ValueError(f"fuzzy_threshold must be between 0 and 100, not {fuzzy_threshold!r}.")
    overrides = _column_overrides(filename or _source_name(path_or_file), columns)
    by_column = _read_by_column(path_or_file, filename, max_bytes, sheet, overrides, level, region,
                                fuzzy_threshold)
    if by_column is not None:
        return by_column
    name, data = load_source(path_or_file, filename, max_bytes)
    grid, meta, merged = read_grid(name, data, sheet, holds_table=_holds_coverage_table)
    plan = _columns(name, grid, {**meta, "filename": name}, merged, sheet, overrides, level)

    # Rows: blank rows skipped (row numbers kept), merged key cells filled.
    data_rows, header = plan.data_rows, plan.header
    if merged:
        scope = [c for r in ("kecamatan", "kode_kecamatan", "kode_bps", "desa") for c in header.positions(r)]
        offset = header.last_row + 1
        shifted = [(r0 - offset, c0, r1 - offset, c1) for r0, c0, r1, c1 in merged if r0 >= offset]
        data_rows = data_rows.reset_index(drop=True)
        if _fill_merged(data_rows, shifted, columns=scope):
            plan.notes.append(Message("note.merged_cells_filled"))
    blank = _blank_rows(data_rows)
    spreadsheet_rows = np.arange(header.last_row + 2, header.last_row + 2 + len(data_rows))[~blank]
    rows_frame = data_rows.iloc[np.flatnonzero(~blank)].reset_index(drop=True)
    if blank.any():
        plan.notes.append(Message("note.blank_rows_skipped", n=int(blank.sum())))
    if rows_frame.empty:
        raise _file_error(name, "coverage.no_data_rows", header_row=header.last_row + 1)
    extra = None if plan.extra_fields is None else plan.extra_fields[~blank]
    context = _context(plan, region, fuzzy_threshold, (rows_frame, spreadsheet_rows, extra))
    ingest = ingest_participants if plan.participant else _ingest_regions
    return _finish(plan, ingest(context), column_table(header, grid))  # roles as finally used


def _read_by_column(path_or_file: Any, filename: str | None, max_bytes: int | None, sheet: str | int | None,
                    overrides: dict[str, str | None] | None, level: str | None, region: str,
                    fuzzy_threshold: float) -> IngestResult | None:
    """A large participant file read by column (:mod:`ingest.columnar`), or None: the grid reader reads it.

    The header is found in the file's first rows exactly as the grid reader finds it; any whole-file
    problem, or a file the engine would not read as the grid reader does, leaves the file to the grid
    reader, which reports it.
    """
    source = open_columnar(path_or_file, filename, max_bytes)
    if source is None:
        return None
    try:
        plan = _columns(source.name, source.head.copy(), source.meta, [], sheet, overrides, level)
    except PetaCakupanError:
        plan = None
    if plan is None or not is_eligible(source, plan.header, plan.participant, plan.level_from_header,
                                       plan.extra_fields):
        source.close()
        return None
    used, id_column = used_columns(plan.header)
    signatures = read_signatures(source, plan.header.last_row, source.head.shape[1], used, id_column,
                                 _point_columns(plan, region))
    if signatures is None:
        return None
    with signatures:
        if signatures.blank_rows:
            plan.notes.append(Message("note.blank_rows_skipped", n=signatures.blank_rows))
        context = _context(plan, region, fuzzy_threshold, (signatures.frame, signatures.first_rows, None))
        ingested = ingest_participants_columnar(context, signatures)
    return _finish(plan, ingested, column_table(plan.header, source.head))


def _point_columns(plan: _Plan, region: str) -> PointColumns | None:
    """The coordinates the engine may place rows by: a desa-level file with lat and lon (as the row checks)."""
    header = plan.header
    if plan.level != "desa" or not (header.has("lat") and header.has("lon")):
        return None
    keys = tuple(i for role in DESA_KEYS if header.has(role) for i in header.positions(role))
    return PointColumns(header.positions("lat")[0], header.positions("lon")[0], keys,
                        RegionIndex.load(region).locate_positions)


def _source_name(path_or_file: object) -> str:
    """The file name messages use before the file is read (the path's or upload's name)."""
    if isinstance(path_or_file, (str, os.PathLike)):
        return os.path.basename(os.fspath(path_or_file))
    return os.path.basename(str(getattr(path_or_file, "name", "") or "upload"))


@dataclass
class _Plan:
    """What the header says about a file: its columns, their roles, the level, and the notes so far."""

    name: str
    meta: dict[str, Any]
    header: Header
    data_rows: pd.DataFrame
    extra_fields: np.ndarray | None
    level: str
    participant: bool
    dropped: list[Any]
    personal: list[str]
    notes: list[Any]
    columns_found: list[dict[str, Any]]
    unrecognised: list[dict[str, Any]]
    #: Whether the level came from the header alone (not from sampling the codes below it).
    level_from_header: bool = True


def _columns(name: str, grid: pd.DataFrame, meta: dict[str, Any], merged: list[tuple[int, int, int, int]],
             sheet: str | int | None, overrides: dict[str, str | None] | None, level: str | None) -> _Plan:
    """The header of ``grid`` and what it decides: roles, dropped columns, the level, participant or not.

    Raises :class:`InputFileError` for the whole-file column problems (no key, no figure, two columns
    meaning the same ...).
    """
    notes: list[str] = []
    if sheet is not None and meta["format"] != "xlsx":
        notes.append(Message("note.sheet_ignored_csv"))
    head = grid
    if merged:  # merged header cells name every column they span; data cells are filled later, keys only
        head = grid.iloc[:HEADER_SCAN_ROWS].copy()
        _fill_merged(head, merged, rows_limit=HEADER_SCAN_ROWS)
    header = find_header(head, raise_for=name, sheet=meta["sheet"], overrides=overrides)
    assert header is not None
    if merged:
        _fill_merged(grid, [m for m in merged if m[2] <= header.last_row])
    _check_overrides_found(name, overrides, header)
    columns_found = column_table(header, grid)
    unrecognised = unrecognised_columns(columns_found, overrides)
    notes.extend(_hidden_notes(meta, header.last_row + 1, sheet_chosen=sheet is None))

    # Columns: used, personal, ignored.
    personal = [n or f"(kolom {i + 1})" for i, (n, r) in enumerate(zip(header.names, header.roles))
                if r == "personal" or r in PERSONAL_ROLES]
    dropped = [n for n, r in zip(header.names, header.roles) if n and r is None] + personal
    data_rows = grid.iloc[header.last_row + 1:]
    unnamed = [c for c, n in enumerate(header.names) if not n]
    extra_fields = _extra_fields(header, data_rows)
    if extra_fields is not None:  # cells right of the header in some rows only: those rows are shifted
        unnamed = [c for c in unnamed if c < header.width]
    if unnamed:
        with_data = [c for c in unnamed if not _blank_rows(data_rows[[c]]).all()]
        for c in with_data:
            dropped.append(Message("note.untitled_column", n=c + 1))
        if with_data:
            notes.append(Message("note.untitled_columns_ignored", n=len(with_data)))
    used = {r for r in header.roles if r and r != "personal"}
    for role in dict.fromkeys(r for r in header.roles if r in used):
        cols = header.positions(role)
        if len(cols) > 1 and role not in PERSONAL_ROLES:
            names = ", ".join(repr(header.names[c]) for c in cols)
            raise _file_error(name, "coverage.columns_same_role", names=names, role=role)
    figures = [r for r in FIGURES if r in used]
    participant = not figures and bool(used & {"id_peserta", "segmen"} or {"lat", "lon"} <= used)
    if not figures and not participant:
        raise _columns_error(name, "coverage.no_figure_column", columns_found, unrecognised)
    if figures and not {covered for _workers, covered in FIGURE_PAIRS} & _figures_given(figures):
        # Workers without covered say nothing about coverage (covered alone is fine: workers may be estimated).
        raise _columns_error(name, "coverage.figure_pair_missing", columns_found, unrecognised,
                             found=", ".join(header.names[header.positions(r)[0]] for r in figures))
    level_from_header = level is not None or any(
        header.has(r) for r in ("kode_desa", "desa", "kode_kecamatan", "kode_bps", "kecamatan")) or not header.has(
        "kode")
    level = level or _auto_level(header, data_rows)
    level_keys = DESA_KEYS if level == "desa" else KECAMATAN_KEYS
    if not any(header.has(k) for k in level_keys) and not (participant and level == "desa"
                                                           and {"lat", "lon"} <= used):
        raise _columns_error(name, "coverage.no_key_column", columns_found, unrecognised, level=level,
                             columns=', '.join(level_keys))

    # Recognised columns this kind of file does not use are ignored too, by name.
    unused = {"segmen", "lat", "lon"} if not participant else set()
    if level == "kecamatan":
        unused |= {"kode_desa", "desa", "lat", "lon"}
    for i, role in enumerate(header.roles):
        if role in unused:
            header.roles[i] = None
            dropped.append(header.names[i])
            notes.append(Message("note.column_not_used", column=repr(header.names[i])))
    return _Plan(name, meta, header, data_rows, extra_fields, level, participant, dropped, personal, notes,
                 columns_found, unrecognised, level_from_header)


def _context(plan: _Plan, region: str, fuzzy_threshold: float, rows: tuple) -> RowContext:
    """The row checks' context for ``rows``: ``(frame, spreadsheet rows, extra-field mask or None)``."""
    frame, spreadsheet_rows, extra = rows
    return RowContext(plan.name, plan.header, frame, spreadsheet_rows, RegionIndex.load(region), plan.level,
                      float(fuzzy_threshold), plan.participant, plan.notes, extra)


def _finish(plan: _Plan, ingested: tuple[pd.DataFrame, dict[str, Any]],
            columns: list[dict[str, Any]]) -> IngestResult:
    """The :class:`IngestResult` of a file whose rows have been checked."""
    table, report = ingested
    header = plan.header
    source = {"filename": plan.name, **{k: v for k, v in plan.meta.items() if k != "filename"},
              "header_row": header.last_row + 1, "read_by": plan.meta.get("read_by", "grid"),
              "columns": {n: r for n, r in zip(header.names, header.roles) if n and r and r != "personal"
                          and r not in PERSONAL_ROLES}}
    report["totals"] = _totals(table)
    for column in plan.unrecognised:
        plan.notes.append(Message("note.column_not_recognised_closest", column=repr(column["column"]),
                                  role=column["closest"]) if column["closest"] else
                          Message("note.column_not_recognised", column=repr(column["column"])))
    return IngestResult(table=table, report=report, level=plan.level, dropped_columns=plan.dropped,
                        personal_columns=plan.personal, participant=plan.participant, source=source,
                        notes=plan.notes, columns=columns)


def _figures_given(figures: list[str]) -> set[str]:
    """Figure roles a file gives, with totals its parts make up (``pekerja`` from PU + BPU)."""
    given = set(figures)
    for total, parts in FIGURE_PARTS.items():
        if set(parts) <= given:
            given.add(total)
    return given


def _column_overrides(name: str, columns: Mapping[str, str] | None) -> dict[str, str | None] | None:
    """A person's column mapping, checked: :func:`column_key` -> role (None to ignore)."""
    if not columns:
        return None
    out: dict[str, str | None] = {}
    for column, role in columns.items():
        role = str(role).strip()
        if role not in ROLES and role != IGNORE:
            raise _file_error(name, "coverage.unknown_role", column=repr(column), role=repr(role),
                              roles=", ".join(ROLES))
        out[column_key(column)] = None if role == IGNORE else role
    return out


def _check_overrides_found(name: str, overrides: dict[str, str | None] | None, header: Header) -> None:
    if not overrides:
        return
    present = {column_key(n) for n in header.names if n}
    missing = [k for k in overrides if k not in present]
    if missing:
        raise _file_error(name, "coverage.mapped_column_missing", columns=", ".join(repr(m) for m in missing),
                          header=", ".join(repr(n) for n in header.names if n))


#: Values shown per column in the mapping step and in refusals (masked when they look personal).
PREVIEW_VALUES = 3


def column_table(header: Header, grid: pd.DataFrame) -> list[dict[str, Any]]:
    """Every named column: ``column``, its ``role`` (None when not used), ``closest`` guess and ``preview``.

    The preview is the first :data:`PREVIEW_VALUES` non-blank values below
    the header, with NIKs, phone numbers and e-mail masked; a personal
    column shows no values at all.
    """
    below = grid.iloc[header.last_row + 1:]
    out = []
    for i, (column, role) in enumerate(zip(header.names, header.roles)):
        if not column:
            continue
        personal = role == "personal" or role in PERSONAL_ROLES
        values = [] if personal else [mask_personal(t) for t in (cell_text(v) for v in below[i].head(50)) if t]
        guess = guess_role(column)
        out.append({"column": column, "role": role, "personal": personal,
                    "closest": guess.role if role is None and not personal and guess.score >= GUESS_SCORE else None,
                    "preview": values[:PREVIEW_VALUES]})
    return out


def unrecognised_columns(columns: list[dict[str, Any]],
                         overrides: dict[str, str | None] | None = None) -> list[dict[str, Any]]:
    """The columns of :func:`column_table` no role was found for (and not ignored on purpose)."""
    ignored = {k for k, v in (overrides or {}).items() if v is None}
    return [c for c in columns if c["role"] is None and column_key(c["column"]) not in ignored]


def _columns_error(name: str, key: str, table: list[dict[str, Any]], unrecognised: list[dict[str, Any]],
                   **params: Any) -> InputFileError:
    """A whole-file error about columns, naming those not recognised and the closest role of each.

    The error carries ``columns`` (:func:`column_table`) for a mapping step.
    """
    hints = [Message("hint.column_closest", column=repr(c["column"]), role=c["closest"]) if c["closest"]
             else Message("hint.column_unknown", column=repr(c["column"])) for c in unrecognised]
    hint = Message("hint.columns_not_recognised", columns=Joined(hints, sep="; ")) if hints else ""
    err = _file_error(name, key, hint=hint, **params)
    err.columns = table  # type: ignore[attr-defined]
    return err


def _extra_fields(header: Header, data_rows: pd.DataFrame) -> np.ndarray | None:
    """Rows with cells right of the header's last named column, when fewer than half the rows have them.

    When most rows have them, the file has a real column without a header
    (noted and ignored); when a few do, those rows hold one field too many
    (rejected, :func:`ingest.rows.log_extra_fields`).  None when no row has.
    """
    if data_rows.shape[1] <= header.width or data_rows.empty:
        return None
    rows = ~_blank_rows(data_rows.iloc[:, header.width:])
    non_blank = ~_blank_rows(data_rows)
    if not rows.any() or rows.sum() * 2 >= non_blank.sum():
        return None
    return rows


def _hidden_notes(meta: dict[str, Any], header_row: int, sheet_chosen: bool) -> list[Message]:
    """Notes on what a person cannot see: invisible characters (removed), data rows Excel hides (read and
    counted like the others) and hidden sheets (not read).

    Takes ``cleaned``, ``hidden_rows`` and ``hidden_sheets`` out of ``meta`` (they are
    not facts of the source to keep).
    """
    notes = []
    cleaned = meta.pop("cleaned", {})
    if cleaned:
        what = Joined([Message(f"note.character_kind.{kind}", n=n) for kind, n in cleaned.items()])
        notes.append(Message("note.invisible_characters", what=what))
    hidden_rows = [r for r in meta.pop("hidden_rows", []) if r > header_row]
    hidden_sheets = meta.pop("hidden_sheets", [])
    if hidden_rows:
        shown = ", ".join(str(r) for r in hidden_rows[:10]) + (", ..." if len(hidden_rows) > 10 else "")
        notes.append(Message("note.hidden_rows_read", n=len(hidden_rows), rows=shown))
    if hidden_sheets and sheet_chosen:
        notes.append(Message("note.hidden_sheets_not_read", sheets=", ".join(repr(s) for s in hidden_sheets)))
    return notes


def _ingest_regions(ctx: RowContext) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Check region rows (key, period, figures, duplicates); return the table and report."""
    n = len(ctx.rows)
    log = ProblemLog(n)
    positions, group, results = match_keys(ctx)
    kodes = log_key_problems(ctx, log, positions, group, results)
    periods = parse_periods(ctx, log)
    log_extra_fields(ctx, log)

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
    _check_population(ctx, log, kodes, values, valid)
    segments = [r for r in SEGMENT_FIGURES if r in values]
    for total in derive:
        pu, bpu = FIGURE_PARTS[total]
        # the participants' total also counts the Jakon and PMI participants a file gives (blank: none)
        extra = segments if total == "peserta_aktif" else []
        values[total] = np.array([a + b + sum(values[s][i] or 0 for s in extra) if a is not None and b is not None
                                  else None for i, (a, b) in enumerate(zip(values[pu], values[bpu]))], dtype=object)
        valid[total] = valid[pu] & valid[bpu]
        for role in extra:
            valid[total] = valid[total] & valid[role]
        ctx.notes.append(Message("note.total_derived", total=total, pu=pu, bpu=bpu) if not extra else
                         Message("note.total_derived_segments", total=total, parts=", ".join([pu, bpu, *extra])))
    for workers, covered in FIGURE_PAIRS:
        if workers in values and covered in values:
            check = valid[workers] & valid[covered]
            over = np.flatnonzero(
                check & (np.where(check, values[covered], 0) > np.where(check, values[workers], 0))
            )
            if len(over):
                role = covered if covered in present else FIGURE_PARTS[covered][0]
                col = ctx.column(role)
                log.add_many(over, col, ctx.header.names[col], _texts(ctx.rows[col])[over],
                             ["covered_gt_workers"] * len(over),
                             [Message("suggestion.covered_gt_workers", covered=f"{values[covered][i]:,}",
                                      workers=f"{values[workers][i]:,}") for i in over])
    if "peserta_aktif" in present and segments:
        _check_segments(ctx, log, values, valid, segments)
    for total, (pu, bpu) in FIGURE_PARTS.items():
        if total == "peserta_aktif" and segments:
            continue                                # checked with the segments just above
        if total in present and pu in values and bpu in values:
            check = valid[total] & valid[pu] & valid[bpu]
            sums = np.where(check, [a + b if c else 0 for a, b, c in zip(values[pu], values[bpu], check)], 0)
            over = np.flatnonzero(check & (sums > np.where(check, values[total], 0)))
            if len(over):
                col = ctx.column(total)
                log.add_many(over, col, ctx.header.names[col], _texts(ctx.rows[col])[over],
                             ["parts_exceed_total"] * len(over),
                             [Message("suggestion.parts_exceed_total", pu=pu, bpu=bpu, parts=f"{sums[i]:,}",
                                      total=total, value=f"{values[total][i]:,}") for i in over])

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
                figures_of = [tuple(values[r][m] for r in present) for m in members]
                if len(set(figures_of)) == 1 and all(valid[r][m] for r in present for m in members):
                    # Exact repeats: the first row counts, each repeat is rejected as its copy.
                    kept = members[0]
                    for pos in members[1:]:
                        _log_duplicate(ctx, log, pos, Message("suggestion.repeat_of_kept_row",
                                                              name=ctx.index.label(k),
                                                              row=str(ctx.spreadsheet_rows[kept])))
                    continue
                for pos in members:
                    others = ", ".join(str(ctx.spreadsheet_rows[o]) for o in members if o != pos)
                    hint = (Message("suggestion.duplicate_region_period", name=ctx.index.label(k), period=p,
                                    rows=others) if p else
                            Message("suggestion.duplicate_region", name=ctx.index.label(k), rows=others))
                    _log_duplicate(ctx, log, pos, hint)

    total_rows = _check_total_rows(ctx, log, kodes, values, valid)
    rejected = log.rejected()
    keep = checked_keep(rejected, kodes)
    table = make_table(ctx.spreadsheet_rows[keep], kodes[keep], ctx.level, periods[keep],
                       {FIGURES[r]: v[keep] for r, v in values.items()})
    matches = [
        {"row": int(ctx.spreadsheet_rows[pos]), "input": results[g].input, "kode": results[g].kode,
         "nama": ctx.index.label(results[g].kode), "method": results[g].method}
        for pos, g in zip(positions, group) if not rejected[pos] and results[g].kode
    ]
    report = build_report(n, int(rejected.sum()), log.records(ctx.spreadsheet_rows, limit=max_listed_problems()),
                          matches, total_rows, problem_counts=log.reason_counts())
    return table, report


def _check_segments(ctx: RowContext, log: ProblemLog, values: dict[str, np.ndarray], valid: dict[str, np.ndarray],
                    segments: list[str]) -> None:
    """Reject a row whose PU, BPU, Jakon and PMI participants (those the file gives) add up to more than its total."""
    parts = [r for r in (*FIGURE_PARTS["peserta_aktif"], *segments) if r in values]
    check = valid["peserta_aktif"].copy()
    for role in parts:
        check &= valid[role] | pd.isna(values[role])
    sums = np.array([sum(values[r][i] or 0 for r in parts) if ok else 0 for i, ok in enumerate(check)])
    total = np.where(check, values["peserta_aktif"], 0)
    over = np.flatnonzero(check & (sums > total.astype(float)))
    if len(over):
        col = ctx.column("peserta_aktif")
        log.add_many(over, col, ctx.header.names[col], _texts(ctx.rows[col])[over], ["parts_exceed_total"] * len(over),
                     [Message("suggestion.segments_exceed_total", parts=", ".join(parts), sum=f"{sums[i]:,}",
                              value=f"{values['peserta_aktif'][i]:,}") for i in over])


def _log_duplicate(ctx: RowContext, log: ProblemLog, pos: int, hint: Message) -> None:
    """Reject row ``pos`` as ``duplicate_region``, on the first key column it fills."""
    role = next(r for r in (DESA_KEYS if ctx.level == "desa" else KECAMATAN_KEYS)
                if ctx.header.has(r) and cell_text(ctx.rows.iat[pos, ctx.column(r)]))
    col = ctx.column(role)
    log.add(pos, col, ctx.header.names[col], cell_text(ctx.rows.iat[pos, col]), "duplicate_region", hint)


def _check_population(ctx: RowContext, log: ProblemLog, kodes: np.ndarray, values: dict[str, np.ndarray],
                      valid: dict[str, np.ndarray]) -> None:
    """Reject figures larger than the region's whole Dukcapil population (2024, semester 1) as ``count_too_large``.

    More workers or participants than people live there is a typing or
    column error.  Kecamatan figures are checked against the sum of their
    desa.  Without the built population table (no reference data) the check
    is skipped and a note says so.
    """
    try:
        population = load_population("s1", ctx.index.region).desa.set_index("kode")["penduduk"]
    except PetaCakupanError:
        ctx.notes.append(Message("note.population_check_skipped"))
        return
    if ctx.level == "kecamatan":
        population = population.groupby(population.index.str[:8]).sum()
    limits = np.array([population.get(k, np.nan) if isinstance(k, str) else np.nan for k in kodes], dtype="float64")
    for role, counts in values.items():
        numbers = np.array([v if good and v is not None else np.nan for v, good in zip(counts, valid[role])],
                           dtype="float64")
        over = np.flatnonzero(numbers > limits)
        if not len(over):
            continue
        col = ctx.column(role)
        log.add_many(over, col, ctx.header.names[col], _texts(ctx.rows[col])[over], ["count_too_large"] * len(over),
                     [Message("suggestion.count_over_population", name=ctx.index.label(kodes[i]),
                              population=Figure(int(limits[i]), "count")) for i in over])
        valid[role][over] = False


def _check_total_rows(ctx: RowContext, log: ProblemLog, kodes: np.ndarray, values: dict[str, np.ndarray],
                      valid: dict[str, np.ndarray]) -> list[dict[str, Any]]:
    """Find subtotal rows by their figures, then compare every total row with the sum of the rows.

    A row matched to the desa that shares its kecamatan's name (Leles in
    Kecamatan Leles: 38 such desa in Garut) whose figures all equal the sums
    of at least two other accepted desa rows of that kecamatan is the
    kecamatan's subtotal, rejected as ``total_row``.  Each total row
    is then compared with the accepted rows it sums: its kecamatan (named in
    its kecamatan cell or as ``Kec. X``) or the whole file.

    Returns
    -------
    list of dict
        Per total row: ``row``, ``scope`` (kecamatan code or None for the
        file), ``label`` and per figure ``{"file": n, "rows": n}``; a note
        says whether they agree.
    """
    figures = [r for r in ("pekerja", "peserta_aktif") if r in values]
    if not figures:
        return []
    accepted = ~log.rejected() & pd.notna(kodes)
    if ctx.level == "desa" and accepted.sum() >= 3:
        frame = pd.DataFrame({"kec": [k[:8] if isinstance(k, str) else None for k in kodes]})
        ok = accepted.copy()
        for role in figures:
            frame[role] = pd.array([v if good else None for v, good in zip(values[role], valid[role])],
                                   dtype="Int64")
            ok &= valid[role]
        mine = frame[ok]
        sums = mine.groupby("kec")[figures].transform("sum")
        sizes = mine.groupby("kec")["kec"].transform("size")
        namesake = np.array([normalise_name(ctx.index.desa_nama.get(k, "")) == normalise_name(
            ctx.index.kec_nama.get(k[:8], "")) for k in kodes[mine.index]], dtype=bool)
        equal = (namesake & (sizes >= 3) & (mine[figures] == sums - mine[figures]).all(axis=1)
                 & (mine[figures] > 0).any(axis=1))
        for pos in mine.index[equal.to_numpy(dtype=bool)]:
            role = "desa" if ctx.header.has("desa") else next(r for r in DESA_KEYS if ctx.header.has(r))
            col = ctx.column(role)
            log.add(pos, col, ctx.header.names[col], cell_text(ctx.rows.iat[pos, col]), "total_row",
                    Message("suggestion.subtotal_by_figures", kecamatan=ctx.index.label(kodes[pos][:8])))
            kodes[pos] = None
        accepted = ~log.rejected() & pd.notna(kodes)
    checked = []
    for pos in log.positions("total_row"):
        scope = _total_scope(ctx, pos)
        members = accepted & np.array([isinstance(k, str) and (scope is None or k.startswith(scope + "."))
                                       or k == scope for k in kodes])
        entry: dict[str, Any] = {"row": int(ctx.spreadsheet_rows[pos]), "scope": scope,
                                 "label": ctx.index.label(scope) if scope else ""}
        for role in figures:
            if valid[role][pos]:
                rows_sum = sum(int(v) for v, m in zip(values[role], members) if m and v is not None)
                entry[FIGURES[role]] = {"file": int(values[role][pos]), "rows": rows_sum}
        if len(entry) > 3:
            agree = all(entry[FIGURES[r]]["file"] == entry[FIGURES[r]]["rows"] for r in figures
                        if FIGURES[r] in entry)
            shown = Joined([Message("note.total_figure", figure=Message(f"metric.{FIGURES[r]}"),
                                    file=Figure(entry[FIGURES[r]]["file"], "count"),
                                    rows=Figure(entry[FIGURES[r]]["rows"], "count"))
                            for r in figures if FIGURES[r] in entry], sep="; ")
            params = {"row": entry["row"], "scope": entry["label"] or Message("note.total_scope_file"),
                      "figures": shown}
            ctx.notes.append(Message("note.total_row_agrees", **params) if agree
                             else Message("note.total_row_differs", **params))
            entry["agrees"] = agree
        checked.append(entry)
    return checked


def _total_scope(ctx: RowContext, pos: int) -> str | None:
    """The kecamatan a total row sums (from its kecamatan cell, or ``Kec. X`` in its desa cell), or None."""
    if ctx.level != "desa":
        return None
    for role in ("kode_kecamatan", "kecamatan", "desa"):
        col = ctx.column(role)
        if col is None:
            continue
        text = cell_text(ctx.rows.iat[pos, col])
        if not text or total_row_role({"kecamatan": text}, "kecamatan"):
            continue
        found = (ctx.index.match_code(text, "kecamatan") if role == "kode_kecamatan"
                 else ctx.index.match_kecamatan(text, ctx.threshold))
        if found.ok:
            return found.kode
    return None


def _totals(table: pd.DataFrame) -> dict[str, int | None]:
    totals: dict[str, int | None] = {}
    for column in FIGURES.values():
        values = table[column]
        totals[column] = int(values.sum()) if values.notna().any() else None
    return totals

"""Participant-level files: one row per participant, aggregated to desa counts.

**Which files.**  A file is read as a participant list when it has *no*
figure column (``pekerja``, ``peserta_aktif``, ``*_pu``, ``*_bpu``) and at
least one of: an identity column (NIK, KPJ, nomor/ID peserta), a segment
column (``segmen``: PU/BPU), or both ``lat`` and ``lon``.  A file with
figure columns is always read as a region table (its personal columns are
dropped all the same).

**Where.**  A participant's region comes from its key columns, as in region
files (``kode_desa``, ``desa`` + ``kecamatan``, ...).  Rows whose key cells
are blank are placed by ``lat``/``lon`` when the file has them: the desa
polygon covering the point (one vectorised STRtree query for all points).

**What is counted.**  Each accepted row is one covered participant
(``covered`` = number of rows per desa and period).  With a segment column,
``covered_formal`` counts PU rows, ``covered_informal`` BPU rows, ``covered_jakon`` and ``covered_pmi``
Jakon and PMI rows;
construction (JK/Jakon) and migrant (PMI) participants count in ``covered``
only.  Workers are unknown at participant level: every ``workers*`` column is
<NA>, and coverage rates need a workers denominator from a region file.

**Privacy.**  Personal columns are dropped when the header is read; the
identity column is only used, in memory, to find a participant listed twice
in the same period (``duplicate_participant``: the first row counts, the
others are rejected).  Reports never contain identity values, and the values
of coordinate cells are not repeated in problems either (``value`` is
empty): the row number is enough to find them.

**Large files.**  A large participant list is read by column
(:mod:`ingest.columnar`): the checks run once per distinct combination of
used cells (:func:`ingest_participants_columnar`), the identity column is
compared as a hash inside DuckDB, points in plain decimal degrees are
placed before the rows are grouped, and table and report are those of
:func:`ingest_participants`.

**Report.**  ``rows_in`` counts participant rows; ``matches`` lists each
distinct key text once (its first row); points are not listed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from core.i18n import Message
from geo.locate import find_corrections
from ingest.columnar import Signatures
from ingest.matching import DESA_KEYS, KECAMATAN_KEYS
from ingest.problems import ProblemLog
from ingest.rows import (
    RowContext,
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
from ingest.validation import SUGGESTIONS, map_unique, parse_coordinate, parse_segment


def parse_coordinates(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Parse a coordinate column to floats (NaN where invalid) and reasons.

    Plain numbers are converted in one vectorised step; only the rest
    (decimal commas, blanks, text) go through :func:`parse_coordinate`.
    """
    raw = np.asarray(values, dtype=object)
    numbers = pd.to_numeric(pd.Series(raw, dtype=object), errors="coerce").to_numpy(dtype=float, copy=True)
    reasons = np.full(len(raw), None, dtype=object)
    rest = np.flatnonzero(np.isnan(numbers))
    if len(rest):
        parsed, why = map_unique(raw[rest], parse_coordinate)
        numbers[rest] = np.array([np.nan if p is None else p for p in parsed], dtype=float)
        reasons[rest] = why
    reasons[np.isinf(numbers)] = "invalid_coordinate"
    return numbers, reasons


def _locate_points(ctx: RowContext, log: ProblemLog, rows: np.ndarray) -> np.ndarray:
    """Place the given rows by lat/lon; return their desa codes (None where rejected)."""
    lat_col, lon_col = ctx.column("lat"), ctx.column("lon")
    lat, lat_why = parse_coordinates(ctx.rows[lat_col].to_numpy()[rows])
    lon, lon_why = parse_coordinates(ctx.rows[lon_col].to_numpy()[rows])
    ok = pd.isna(lat_why) & pd.isna(lon_why)
    for col, why in ((lat_col, lat_why), (lon_col, lon_why)):
        bad = np.flatnonzero(pd.notna(why))
        if len(bad):
            reasons = why[bad]
            log.add_many(rows[bad], col, ctx.header.names[col], [""] * len(bad), reasons,
                         [SUGGESTIONS.get(r, "") for r in reasons])
    in_range = ok & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    kodes = np.full(len(rows), None, dtype=object)
    inside = np.flatnonzero(in_range)
    if len(inside):
        kodes[inside] = ctx.index.locate(lon[inside], lat[inside])
    wrong = np.flatnonzero(ok & (~in_range | pd.isna(kodes)))
    if len(wrong):
        # The same corrections as for sites; the corrected point is not echoed (it may be a home).
        kinds, *_ = find_corrections(lat[wrong], lon[wrong], ctx.index.locate)
        reasons = np.where(in_range[wrong], "outside_region", "invalid_coordinate")
        hints = [
            Message(f"suggestion.coordinates_{kind}")
            if kind is not None
            else Message("suggestion.point_outside_region", region=ctx.index.region)
            if reason == "outside_region"
            else SUGGESTIONS["invalid_coordinate"]
            for kind, reason in zip(kinds, reasons)
        ]
        log.add_many(rows[wrong], lat_col, ctx.header.names[lat_col], [""] * len(wrong), reasons, hints)
    return kodes


_SCIENTIFIC_ID = re.compile(r"^\d[.,]\d+[eE]\+?\d+$")


def _mangled_by_excel(ids: np.ndarray) -> bool:
    """Whether an ID column holds numbers Excel wrote in scientific notation (``3,20501E+15``)."""
    present = [v for v in ids if v]
    return bool(present) and sum(bool(_SCIENTIFIC_ID.match(v)) for v in present) * 10 >= len(present)


@dataclass
class _Checked:
    """Outcome of the row checks before the search for participants listed twice."""

    log: ProblemLog
    kodes: np.ndarray
    segments: np.ndarray
    periods: np.ndarray
    positions: np.ndarray
    group: np.ndarray
    results: list
    segment_col: int | None


def _check_rows(ctx: RowContext, located: np.ndarray | None = None) -> _Checked:
    """Region, segment, period and extra-field checks of every row of ``ctx`` (rows or signatures).

    ``located`` holds, per row, the desa the engine already placed it in by its point (None: not
    placed; :class:`ingest.columnar.PointColumns`).
    """
    n = len(ctx.rows)
    log = ProblemLog(n)
    kodes = np.full(n, None, dtype=object)
    keys = [r for r in (DESA_KEYS if ctx.level == "desa" else KECAMATAN_KEYS) if ctx.header.has(r)]
    has_key = np.zeros(n, dtype=bool)
    for role in keys:
        has_key |= ctx.texts(role) != ""
    by_point = ~has_key if (ctx.level == "desa" and ctx.header.has("lat") and ctx.header.has("lon")) \
        else np.zeros(n, dtype=bool)
    positions, group, results = match_keys(ctx, ~by_point)
    kodes[positions] = log_key_problems(ctx, log, positions, group, results)
    point_rows = np.flatnonzero(by_point)
    if located is not None:
        placed = point_rows[pd.notna(located[point_rows])]
        kodes[placed] = located[placed]
        point_rows = np.setdiff1d(point_rows, placed)
    if len(point_rows):
        kodes[point_rows] = _locate_points(ctx, log, point_rows)

    segment_col = ctx.column("segmen")
    segments = np.full(n, None, dtype=object)
    if segment_col is not None:
        segments, reasons = map_unique(ctx.rows[segment_col], parse_segment)
        log_cell_problems(ctx, log, "segmen", reasons)
    periods = parse_periods(ctx, log)
    log_extra_fields(ctx, log)
    return _Checked(log, kodes, segments, periods, positions, group, results, segment_col)


def _note_mangled_ids(ctx: RowContext, id_col: int) -> None:
    """"3,20501E+15": Excel kept only a few digits, so different people look the same.  A column
    problem: no row is a duplicate of another by this column."""
    ctx.notes.append(Message("note.ids_mangled_by_excel", column=repr(ctx.header.names[id_col])))


def _aggregate(ctx: RowContext, checked: _Checked, keep: np.ndarray, weights: np.ndarray,
               first_rows: np.ndarray) -> pd.DataFrame:
    """The table of accepted rows (or signatures, each counting ``weights`` rows from ``first_rows``)."""
    segments = checked.segments[keep]
    accepted = pd.DataFrame({"kode": checked.kodes[keep], "period": checked.periods[keep], "row": first_rows,
                             "n": weights, "pu": np.where(segments == "PU", weights, 0),
                             "bpu": np.where(segments == "BPU", weights, 0),
                             "jakon": np.where(segments == "JAKON", weights, 0),
                             "pmi": np.where(segments == "PMI", weights, 0)})
    table = accepted.groupby(["kode", "period"], dropna=False, sort=True).agg(
        row=("row", "min"), covered=("n", "sum"), pu=("pu", "sum"), bpu=("bpu", "sum"), jakon=("jakon", "sum"),
        pmi=("pmi", "sum"))
    figures: dict[str, Any] = {"covered": table["covered"].to_numpy()}
    if checked.segment_col is not None:
        figures["covered_formal"] = table["pu"].to_numpy()
        figures["covered_informal"] = table["bpu"].to_numpy()
        figures["covered_jakon"] = table["jakon"].to_numpy()
        figures["covered_pmi"] = table["pmi"].to_numpy()
    index = table.index.to_frame(index=False)
    return make_table(table["row"].to_numpy(), index["kode"].to_numpy(dtype=object), ctx.level,
                      index["period"].to_numpy(dtype=object), figures)


def _matches(ctx: RowContext, checked: _Checked, first_accepted: np.ndarray) -> list[dict[str, Any]]:
    """One match per distinct key text: its first accepted row (``first_accepted`` per position, -1: none)."""
    positions, group, results = checked.positions, checked.group, checked.results
    fine = first_accepted[positions] >= 0
    firsts: dict[int, int] = {}
    for g, row in zip(group[fine], first_accepted[positions][fine]):
        if g not in firsts or row < firsts[g]:
            firsts[g] = int(row)
    matches = []
    for g, row in sorted(firsts.items(), key=lambda item: item[1]):
        result = results[g]
        matches.append({"row": row, "input": result.input, "kode": result.kode,
                        "nama": ctx.index.label(result.kode), "method": result.method})
    return matches


def ingest_participants(ctx: RowContext) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Validate participant rows and aggregate them to one row per region and period.

    Returns
    -------
    (DataFrame, dict)
        The table (:data:`ingest.coverage.TABLE_COLUMNS`) and the report
        without ``totals``.
    """
    n = len(ctx.rows)
    checked = _check_rows(ctx)
    log, periods = checked.log, checked.periods

    # The same participant twice in a period: the first valid row counts.
    id_col = ctx.column("id_peserta")
    if id_col is not None and _mangled_by_excel(ctx.texts("id_peserta")):
        _note_mangled_ids(ctx, id_col)
        id_col = None
    if id_col is not None:
        ok = np.flatnonzero(~log.rejected())
        frame = pd.DataFrame({"id": ctx.texts("id_peserta")[ok], "period": periods[ok], "pos": ok})
        frame = frame[frame["id"] != ""]
        later = frame.duplicated(["id", "period"], keep="first").to_numpy()
        if later.any():
            first = frame.groupby(["id", "period"], dropna=False, sort=False)["pos"].transform("first")
            for pos, first_pos in zip(frame["pos"][later], first[later]):
                row = ctx.spreadsheet_rows[first_pos]
                log.add(pos, id_col, ctx.header.names[id_col], "", "duplicate_participant",
                        Message("suggestion.duplicate_participant", row=row))

    rejected = log.rejected()
    keep = checked_keep(rejected, checked.kodes)
    out = _aggregate(ctx, checked, keep, np.ones(len(keep), dtype=np.int64), ctx.spreadsheet_rows[keep])
    first_accepted = np.where(rejected, -1, ctx.spreadsheet_rows)
    report = build_report(n, int(rejected.sum()), log.records(ctx.spreadsheet_rows, limit=max_listed_problems()),
                          _matches(ctx, checked, first_accepted), problem_counts=log.reason_counts())
    return out, report


def ingest_participants_columnar(ctx: RowContext, signatures: Signatures) -> tuple[pd.DataFrame, dict[str, Any]]:
    """:func:`ingest_participants` for a file read by column: ``ctx.rows`` holds one row per signature.

    Every check runs once per signature (:class:`ingest.columnar.Signatures`);
    the engine expands its outcome to the rows: each row of a rejected
    signature gets its problems, and the rows of a participant already
    counted in the period are rejected as in the grid reader.  The table and
    the report are those :func:`ingest_participants` gives for the same file.
    """
    checked = _check_rows(ctx, signatures.located)
    log = checked.log
    invalid = log.rejected()
    id_col = ctx.column("id_peserta")
    if id_col is not None and signatures.ids_mangled:
        _note_mangled_ids(ctx, id_col)
    limit = max_listed_problems()
    if id_col is not None and not signatures.ids_mangled:
        counted, duplicates, n_duplicates = signatures.accepted(checked.periods, ~invalid, limit)
    else:                                  # no identity to compare: every row of a valid signature counts
        valid = np.flatnonzero(~invalid)
        counted = pd.DataFrame({"sig": valid, "n": signatures.counts[valid], "first": signatures.first_rows[valid]})
        duplicates, n_duplicates = [], 0

    keep_sigs = counted["sig"].to_numpy(dtype=np.int64)
    checked_keep(invalid, checked.kodes)
    out = _aggregate(ctx, checked, keep_sigs, counted["n"].to_numpy(dtype=np.int64),
                     counted["first"].to_numpy(dtype=np.int64))
    first_accepted = np.full(len(ctx.rows), -1, dtype=np.int64)
    first_accepted[keep_sigs] = counted["first"].to_numpy(dtype=np.int64)

    rows, sig_of_row = signatures.rows_of(np.flatnonzero(invalid))
    extra = [(row, id_col, ctx.header.names[id_col], "", "duplicate_participant",
              Message("suggestion.duplicate_participant", row=first)) for row, first in duplicates]
    problems, counts = log.expanded_records(rows, sig_of_row, extra, limit=limit)
    if n_duplicates > len(duplicates):      # duplicates beyond the listing are counted, not built
        counts["duplicate_participant"] = counts.get("duplicate_participant", 0) + n_duplicates - len(duplicates)
    report = build_report(signatures.rows_in, len(rows) + n_duplicates, problems,
                          _matches(ctx, checked, first_accepted), problem_counts=counts)
    return out, report

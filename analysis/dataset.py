"""One call from a coverage file to everything the app and the CLI show.

``load_coverage`` reads and validates the file (:mod:`ingest.coverage`),
computes the figures (:mod:`analysis.coverage`) and records whether the
bundled sample is in use, so every screen and export can say so.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import IO

import pandas as pd

from analysis.coverage import (
    CONTRIBUTION_PER_WORKER_MONTHLY,
    DEFAULT_TARGET,
    CoverageResult,
    compute_coverage,
    kabupaten_kpis,
)
from analysis.denominator import estimate_workers
from analysis.sample import is_sample, sample_path
from core.errors import CoverageInputError
from ingest.coverage import IngestResult, read_coverage

Source = str | os.PathLike[str] | bytes | IO[bytes]


@dataclass(frozen=True)
class CoverageDataset:
    """A validated coverage file and the figures computed from it.

    Attributes
    ----------
    ingest : IngestResult
        Row-level report and the matched table.
    result : CoverageResult or None
        Per desa, kecamatan and kabupaten figures; None for a participant
        file, which gives member counts (``covered``) but no worker
        counts, so no rate can be computed from it alone.
    is_sample : bool
        True when the data is the bundled illustrative sample.
    source_name : str
        File name for captions and export metadata.
    workers_estimate : dict or None
        Set when the file gave covered counts but no workers, so the workers
        per desa are the estimate of :func:`analysis.denominator.estimate_workers`:
        ``label`` and ``date`` of the Dukcapil snapshot, ``basis`` and ``total``.
        Every screen and export that shows workers says so.
    """

    ingest: IngestResult
    result: CoverageResult | None
    is_sample: bool
    source_name: str
    workers_estimate: dict[str, object] | None = None
    #: Source file of each region's figures when files were combined (:func:`update_dataset`); else empty.
    sources: dict[str, str] = field(default_factory=dict)


def load_coverage(
    source: Source | None = None,
    *,
    filename: str | None = None,
    level: str | None = None,
    sheet: str | int | None = None,
    target: float = DEFAULT_TARGET,
    contribution_per_worker: int = CONTRIBUTION_PER_WORKER_MONTHLY,
    period: str | None = None,
    columns: Mapping[str, str] | None = None,
) -> CoverageDataset:
    """Read, validate and compute a coverage file (default: the sample).

    Parameters
    ----------
    source : path, bytes or binary file-like, optional
        The coverage file; None uses the sample of the region in use (:func:`analysis.sample.sample_path`).
    filename : str, optional
        Name for messages and type detection (uploads).
    level, sheet
        Passed to :func:`ingest.coverage.read_coverage`.
    target : float
        Coverage target as a fraction (default 0.70).
    contribution_per_worker : int
        Monthly JKK+JKM contribution per informal worker in rupiah.
    period : str, optional
        ``YYYY-MM`` to show; default the latest in the file.
    columns : mapping, optional
        File column name -> role, given by a person (see
        :func:`ingest.coverage.read_coverage`).

    Returns
    -------
    CoverageDataset

    Raises
    ------
    core.errors.InputFileError
        If the file cannot be read as a table (see ``read_coverage``).
    core.errors.CoverageInputError
        If the matched table is inconsistent (see ``compute_coverage``).
    """
    if source is None:
        source = sample_path()
    ingest = read_coverage(source, filename=filename, level=level, sheet=sheet, columns=columns)
    result = None
    estimate = None
    table = ingest.table
    if not has_worker_counts(ingest) and not ingest.participant and ingest.level == "desa" \
            and bool(table["covered"].notna().any()):
        table, estimate = with_estimated_workers(table)
    if has_worker_counts(ingest) or estimate is not None:
        result = compute_coverage(
            table, target=target, contribution_per_worker=contribution_per_worker, period=period
        )
    if isinstance(source, (str, os.PathLike)):
        sample = is_sample(source)
        name = filename or os.path.basename(os.fspath(source))
    else:
        sample = is_sample(source if isinstance(source, bytes) else _peek_bytes(source))
        name = filename or getattr(source, "name", "upload")
    return CoverageDataset(ingest=ingest, result=result, is_sample=sample, source_name=name,
                           workers_estimate=estimate)


def with_estimated_workers(table: pd.DataFrame, region: str | None = None) -> tuple[pd.DataFrame, dict[str, object]]:
    """The table with ``workers`` per desa from the denominator estimate, and what the estimate is.

    The formal/informal workers stay unknown.  Returns ``(table, info)``
    with ``info`` = ``label``, ``date``, ``basis``, ``total``.  ``region``: default the region in use.
    """
    estimate = estimate_workers(region=region)
    per_desa = estimate.desa.set_index("kode")["pekerja_estimasi"]
    out = table.copy()
    out["workers"] = out["kode"].map(per_desa).astype("Int64")
    info = {"label": estimate.source["label"], "date": estimate.source.get("date"), "basis": "penduduk_15_64",
            "total": estimate.total}
    return out, info


def has_worker_counts(ingest: IngestResult) -> bool:
    """True when the matched rows carry worker counts (False for participant files)."""
    return bool(ingest.table["workers"].notna().any())


def _peek_bytes(stream: IO[bytes]) -> bytes:
    position = stream.tell()
    stream.seek(0)
    data = stream.read()
    stream.seek(position)
    return data


def coverage_report(dataset: CoverageDataset) -> dict[str, object]:
    """Return the CLI's JSON report: the ingest report plus kabupaten totals.

    ``totals`` are computed over the matched rows of the period shown
    (the latest by default): ``workers``, ``covered``, ``coverage_rate``,
    ``gap_to_target``, plus ``target`` and ``period``.
    """
    report = {key: dataset.ingest.report[key]
              for key in ("rows_in", "rows_matched", "rows_rejected", "problems", "matches")}
    if dataset.workers_estimate:
        report["workers_estimate"] = dataset.workers_estimate
    if dataset.result is None:  # participant file: member counts only
        table = dataset.ingest.table
        latest = table["period"].dropna().max() if table["period"].notna().any() else None
        rows = table if latest is None else table[table["period"] == latest]
        report["totals"] = {"workers": None, "covered": int(rows["covered"].sum()),
                            "coverage_rate": None, "gap_to_target": None, "target": None, "period": latest}
    else:
        kpis = kabupaten_kpis(dataset.result)
        report["totals"] = {key: kpis[key] for key in ("workers", "covered", "coverage_rate", "gap_to_target")}
        report["totals"].update(target=kpis["target"], period=kpis["period"])
    report["level"] = dataset.ingest.level
    report["participant"] = dataset.ingest.participant
    report["sample"] = dataset.is_sample
    return report


def update_dataset(current: CoverageDataset, update: CoverageDataset, *, target: float = DEFAULT_TARGET,
                   contribution_per_worker: int = CONTRIBUTION_PER_WORKER_MONTHLY) -> CoverageDataset:
    """The current data with the regions of ``update`` replaced (added when new); the others keep theirs.

    Regions are matched by code and period.  Both must be region files of
    the same level with worker counts.  ``sources`` says which file each
    region's figures come from; the data is the sample if either part is.

    Raises
    ------
    CoverageInputError
        ``coverage.update_level_differs`` or ``coverage.update_needs_workers``.
    """
    for part in (current, update):
        if part.result is None or part.workers_estimate:
            raise CoverageInputError("coverage.update_needs_workers", file=part.source_name)
    if current.ingest.level != update.ingest.level:
        raise CoverageInputError("coverage.update_level_differs", current=current.ingest.level,
                                 update=update.ingest.level, file=update.source_name)
    old, new = current.ingest.table, update.ingest.table
    key = ["kode", "period"]
    replaced = old.set_index(key).index.isin(new.set_index(key).index)
    table = pd.concat([old[~replaced], new], ignore_index=True).sort_values(key, kind="stable").reset_index(drop=True)
    sources = {**(current.sources or dict.fromkeys(old["kode"], current.source_name)),
               **dict.fromkeys(new["kode"], update.source_name)}
    result = compute_coverage(table, target=target, contribution_per_worker=contribution_per_worker)
    ingest = replace(current.ingest, table=table)
    return CoverageDataset(ingest=ingest, result=result, is_sample=current.is_sample or update.is_sample,
                           source_name=f"{current.source_name} + {update.source_name}", sources=sources)

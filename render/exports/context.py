"""Everything an export shows, gathered once: coverage, sample flag, sites, priorities.

The UI already holds a :class:`analysis.dataset.CoverageDataset` (and maybe
a priority ranking) and calls :func:`export_data_from`; the CLI and scripts
call :func:`load_export_data` with a file name.  Every export function takes
the resulting :class:`ExportData`, so a map, a briefing and a table made from
one ``ExportData`` always agree.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from analysis.config import load_config
from analysis.coverage import (
    CONTRIBUTION_PER_WORKER_MONTHLY,
    DEFAULT_TARGET,
    CoverageResult,
    top_gaps,
)
from analysis.dataset import load_coverage
from analysis.priorities import rank_desa
from analysis.projection import projection_from_log, with_enrolments
from analysis.sample import sample_path
from analysis.trend import Trend, dataset_trend
from analysis.visits import VisitLog
from core.errors import ExportError, PetaCakupanError
from ingest.appdb import app_database
from ingest.sites import load_illustrative_sites, load_sites

#: ``sites=`` value meaning "the illustrative sites layer" (ingest.sites).
ILLUSTRATIVE = "illustrative"


@dataclass(frozen=True)
class ExportData:
    """The figures and layers one set of exports is made from.

    Attributes
    ----------
    result : analysis.coverage.CoverageResult
        Coverage per desa, kecamatan and kabupaten.
    is_sample : bool
        True when the figures are the bundled sample: every export then
        carries the DATA CONTOH notice.
    source_name : str
        File name of the coverage data, for source lines and metadata.
    created : datetime.date
        Date printed as "made on".
    sites : GeoDataFrame or None
        Accepted high-risk sites (``ingest.sites``), or None.
    sites_illustrative : bool
        Whether ``sites`` is the illustrative layer (labelled as such).
    ranking : DataFrame or None
        ``analysis.priorities.rank_desa(...).ranked``; None when the
        priorities module is unavailable (the briefing then lists desa by
        gap to target and says so).
    """

    result: CoverageResult
    is_sample: bool
    source_name: str
    created: dt.date
    sites: gpd.GeoDataFrame | None = None
    sites_illustrative: bool = False
    ranking: pd.DataFrame | None = None
    #: What the workers per desa are when the file gave none (``CoverageDataset.workers_estimate``).
    workers_estimate: dict | None = None
    #: The kabupaten's coverage trend (:func:`analysis.trend.dataset_trend`), None when it cannot be computed.
    trend: Trend | None = None

    def visit_list(self, n: int = 10) -> tuple[pd.DataFrame, bool]:
        """Return the desa to visit and whether they come from the priority ranking.

        Parameters
        ----------
        n : int
            Number of desa.

        Returns
        -------
        (DataFrame, bool)
            The first ``n`` rows of :attr:`ranking` (``rank, kode, nama,
            kecamatan, score, coverage_rate, gap_to_target, alasan``...) and
            True; without a ranking, :func:`analysis.coverage.top_gaps` of
            the desa (``rank`` added) and False.
        """
        if self.ranking is not None:
            return self.ranking.head(n).reset_index(drop=True), True
        table = top_gaps(self.result.desa, n).copy()
        table.insert(0, "rank", range(1, len(table) + 1))
        return table, False


def _read_dataset(source: str | os.PathLike[str], period: str | None, target: float,
                  contribution: int):
    """``(CoverageResult, is_sample, name, workers_estimate, trend)`` of a coverage file, through :func:`analysis.dataset.load_coverage`.

    Raises
    ------
    ExportError
        ``export.no_figures`` when the file gives no figures to export (no row matched, or no worker
        counts): an export of nothing would fail further on with a traceback.
    """
    dataset = load_coverage(source, target=target, contribution_per_worker=contribution, period=period)
    if dataset.result is None:
        report = dataset.ingest.report
        raise ExportError("export.no_figures", file=dataset.source_name, matched=report["rows_matched"],
                          rows=report["rows_in"], rejected=report["rows_rejected"])
    return dataset.result, dataset.is_sample, dataset.source_name, dataset.workers_estimate, trend_or_none(dataset)


def trend_or_none(dataset) -> Trend | None:
    """The kabupaten's trend of a dataset, or None (no worker counts, no figures)."""
    try:
        return dataset_trend(dataset) if getattr(dataset, "ingest", None) is not None else None
    except PetaCakupanError:
        return None


def load_sites_layer(sites: str | os.PathLike[str] | None) -> tuple[gpd.GeoDataFrame | None, bool]:
    """Return ``(sites, illustrative)`` for ``sites=`` of :func:`load_export_data`.

    Parameters
    ----------
    sites : str, path-like or None
        :data:`ILLUSTRATIVE` (the illustrative layer), a sites file, or None.

    Returns
    -------
    (GeoDataFrame or None, bool)
    """
    if sites is None:
        return None, False
    if str(sites) == ILLUSTRATIVE:
        return load_illustrative_sites(), True
    return load_sites(sites), False


def rank_for_export(result: CoverageResult, sites: gpd.GeoDataFrame | None) -> pd.DataFrame:
    """Priority ranking of the desa (:func:`analysis.priorities.rank_desa`).

    Uses the settings file and, when it exists, the visit log it names (the
    last visits, and the enrolments since the snapshot added to the desa
    figures, as the priorities page does).
    """

    config = load_config()
    db = app_database(config.database)
    if not db.exists():
        return rank_desa(result.desa, sites, {}, config).ranked
    log = VisitLog(db)
    desa = with_enrolments(result.desa, projection_from_log(result, log))  # as the priorities page ranks
    return rank_desa(desa, sites, log.last_visits(), config).ranked


def load_export_data(
    coverage: str | os.PathLike[str] | None = None,
    *,
    period: str | None = None,
    target: float = DEFAULT_TARGET,
    contribution_per_worker: int = CONTRIBUTION_PER_WORKER_MONTHLY,
    sites: str | os.PathLike[str] | None = ILLUSTRATIVE,
    priorities: bool = True,
    created: dt.date | None = None,
) -> ExportData:
    """Read a coverage file and gather what the exports need.

    Parameters
    ----------
    coverage : path-like, optional
        Coverage file (CSV/XLSX); default the bundled sample.
    period : str, optional
        ``YYYY-MM`` to show; default the latest.
    target : float
        Coverage target (default 0.70).
    contribution_per_worker : int
        Monthly JKK + JKM contribution per informal worker, rupiah.
    sites : str, path-like or None
        :data:`ILLUSTRATIVE` (default, as ``python -m analysis priorities``),
        a sites file, or None for no sites.
    priorities : bool
        Rank the desa with :mod:`analysis.priorities` when it is available.
    created : datetime.date, optional
        Date printed on the exports (default today).

    Returns
    -------
    ExportData
    """
    source = Path(coverage) if coverage is not None else sample_path()
    result, sample, name, estimate, trend = _read_dataset(source, period, target, contribution_per_worker)
    layer, illustrative = load_sites_layer(sites)
    ranking = rank_for_export(result, layer) if priorities else None
    return ExportData(result=result, is_sample=sample, source_name=name, workers_estimate=estimate, trend=trend,
                      created=created or dt.date.today(),
                      sites=layer, sites_illustrative=illustrative, ranking=ranking)


def export_data_from(dataset, *, sites: gpd.GeoDataFrame | None = None, sites_illustrative: bool = False,
                     ranking: pd.DataFrame | None = None, created: dt.date | None = None) -> ExportData:
    """Wrap what the app already holds (no file is read again).

    Parameters
    ----------
    dataset : analysis.dataset.CoverageDataset
        Or any object with ``result``, ``is_sample`` and ``source_name``.
    sites : GeoDataFrame, optional
        The sites layer the app shows.
    sites_illustrative : bool
        Whether ``sites`` is the illustrative layer.
    ranking : DataFrame, optional
        ``Ranking.ranked`` the app shows; None lists desa by gap to target.
    created : datetime.date, optional
        Default today.

    Returns
    -------
    ExportData
    """
    return ExportData(result=dataset.result, is_sample=bool(dataset.is_sample), source_name=dataset.source_name,
                      created=created or dt.date.today(), sites=sites, sites_illustrative=sites_illustrative,
                      ranking=ranking, workers_estimate=getattr(dataset, "workers_estimate", None),
                      trend=trend_or_none(dataset))

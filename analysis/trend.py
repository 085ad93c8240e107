"""Coverage over time: the rate per period, the pace, the pace needed, and when the target is reached.

:func:`coverage_trend` reads as its steps:

1. :func:`_rates_by_period` computes the coverage of every period of the
   data (the kabupaten, or one kecamatan) with :func:`analysis.coverage.compute_coverage`;
2. the **pace** is the least-squares slope of the rate over the months
   between periods, in percentage points per month (two periods: the
   change between them over the months between them);
3. the **pace needed** is the gap from the latest rate to the target over the
   months from the latest period to the target month (``[target] by`` in the
   settings, with its source);
4. **reached at**: the month the target is reached if the current pace holds
   (none when the pace is zero or negative).

A period is a month, ``YYYY-MM``.  One period gives no pace.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.config import OutreachConfig, load_config
from analysis.coverage import CoverageResult, compute_coverage
from analysis.dataset import with_estimated_workers
from core.errors import CoverageInputError
from core.i18n import Message


@dataclass
class Trend:
    """Coverage by period of one area and what it says about the target.

    Attributes
    ----------
    kode, nama : str
        The kabupaten or the kecamatan.
    periods : DataFrame
        ``period, workers, covered, coverage_rate``, oldest first.
    target : float
    target_by : str
        ``YYYY-MM``.
    target_source : str or Message
        Where the target and its date come from.
    pace_pp : float or None
        Percentage points per month (None with one period).
    needed_pp : float or None
        Points per month needed from the latest period to reach the target by
        ``target_by`` (0 when reached; None when the date has passed).
    reached_at : str or None
        ``YYYY-MM`` the target is reached at the current pace; the latest
        period when already reached; None when the pace does not rise.
    """

    kode: str
    nama: str
    periods: pd.DataFrame
    target: float
    target_by: str
    target_source: str
    pace_pp: float | None = None
    needed_pp: float | None = None
    reached_at: str | None = None

    @property
    def latest_rate(self) -> float:
        """Coverage in the latest period."""
        return float(self.periods["coverage_rate"].iloc[-1])

    @property
    def on_track(self) -> bool | None:
        """Whether the current pace reaches the target by its date (None without a pace)."""
        if self.latest_rate >= self.target:
            return True
        if self.pace_pp is None or self.needed_pp is None:
            return None
        return self.pace_pp >= self.needed_pp

    def as_json(self) -> dict[str, object]:
        """One JSON-ready object."""
        return {
            "kode": self.kode, "nama": self.nama, "target": self.target, "target_by": self.target_by,
            "target_source": self.target_source,
            "periods": [{"period": p, "workers": float(w), "covered": float(c), "coverage_rate": round(float(r), 6)}
                        for p, w, c, r in self.periods[["period", "workers", "covered", "coverage_rate"]].itertuples(
                            index=False)],
            "latest_rate": round(self.latest_rate, 6),
            "pace_pp_per_month": None if self.pace_pp is None else round(float(self.pace_pp), 4),
            "needed_pp_per_month": None if self.needed_pp is None else round(float(self.needed_pp), 4),
            "reached_at": self.reached_at, "on_track": None if self.on_track is None else bool(self.on_track),
        }


def month_index(period: str) -> int:
    """``"2024-12"`` -> a month number (year x 12 + month - 1), for counting months between periods."""
    year, month = (int(part) for part in period.split("-"))
    return year * 12 + month - 1


def _month_text(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def period_results(table: pd.DataFrame, periods: list[str], target: float,
                   known: CoverageResult | None = None) -> dict[str, CoverageResult]:
    """The coverage of every period, oldest first; ``known`` (already computed for its period) is reused."""
    return {p: known if known is not None and known.period == p else compute_coverage(table, period=p, target=target)
            for p in periods}


def _rates_by_period(results: dict[str, CoverageResult], kecamatan: str | None) -> pd.DataFrame:
    rows = []
    for period, result in results.items():
        if kecamatan is None:
            area = result.kabupaten
        else:
            match = result.kecamatan[result.kecamatan["kode"] == kecamatan]
            if match.empty or not bool(match["has_data"].iloc[0]):
                continue
            area = match.iloc[0]
        if area["workers"] is None or pd.isna(area["workers"]) or not area["workers"]:
            continue
        rows.append({"period": period, "workers": float(area["workers"]), "covered": float(area["covered"]),
                     "coverage_rate": float(area["covered"]) / float(area["workers"])})
    return pd.DataFrame(rows, columns=["period", "workers", "covered", "coverage_rate"])


def coverage_trend(table: pd.DataFrame, periods: list[str], kecamatan: str | None = None, *,
                   names: dict[str, str] | None = None, target: float | None = None,
                   config: OutreachConfig | None = None,
                   results: dict[str, CoverageResult] | None = None) -> Trend:
    """The trend of the kabupaten (or one kecamatan) over ``periods``.

    Parameters
    ----------
    table : DataFrame
        The matched coverage table with every period (``IngestResult.table``).
    periods : list of str
        ``CoverageResult.periods``.
    kecamatan : str, optional
        A kecamatan code (``32.05.05``); default the kabupaten.
    names : dict, optional
        ``{kode: nama}`` for the result's name (default the code).
    target : float, optional
        Default ``[score] target_rate`` of the settings (70%).
    config : OutreachConfig, optional
    results : dict, optional
        :func:`period_results` of ``table`` already computed (several areas of one dataset share them).

    Raises
    ------
    CoverageInputError
        ``trend.no_figures`` when no period has figures for the area.
    """
    config = config or load_config()
    target = float(config.score.target_rate if target is None else target)
    frame = _rates_by_period(results if results is not None else period_results(table, periods, target), kecamatan)
    if frame.empty:
        raise CoverageInputError("trend.no_figures", area=kecamatan or str(table["kode"].iloc[0])[:5])
    kode = kecamatan or str(table["kode"].iloc[0])[:5]
    source = config.target_source or Message("target.source_default")
    trend = Trend(kode, (names or {}).get(kode, kode), frame, target, config.target_by, source)
    months = np.array([month_index(p) for p in frame["period"]], dtype=float)
    rates = frame["coverage_rate"].to_numpy(dtype=float)
    latest, now = rates[-1], int(months[-1])
    if len(frame) >= 2 and months[-1] > months[0]:
        slope = float(np.polyfit(months - months[0], rates, 1)[0])
        trend.pace_pp = slope * 100
    left = month_index(config.target_by) - now
    if latest >= target:
        trend.needed_pp, trend.reached_at = 0.0, frame["period"].iloc[-1]
    else:
        trend.needed_pp = float((target - latest) * 100 / left) if left > 0 else None
        if trend.pace_pp is not None and trend.pace_pp > 0:
            trend.reached_at = _month_text(now + math.ceil(round((target - latest) * 100 / trend.pace_pp, 6)))
    return trend


def dataset_trend(dataset, kecamatan: str | None = None, config: OutreachConfig | None = None) -> Trend:
    """:func:`coverage_trend` of a loaded coverage dataset; ``kecamatan`` by code (``32.05.05``) or name.

    Raises
    ------
    CoverageInputError
        ``trend.no_workers`` for a dataset without worker counts, ``trend.no_periods`` for one
        without periods, ``trend.unknown_kecamatan``.
    """
    return dataset_trends(dataset, [kecamatan], config)[0]


def dataset_trends(dataset, areas: list[str | None], config: OutreachConfig | None = None) -> list[Trend]:
    """The trends of several areas of one dataset (None: the kabupaten), the periods computed once for all.

    Raises
    ------
    CoverageInputError
        As :func:`dataset_trend`.
    """
    result = dataset.result
    if result is None:
        raise CoverageInputError("trend.no_workers", file=dataset.source_name)
    names = dict(zip(result.kecamatan["kode"], result.kecamatan["nama"]))
    names[result.kabupaten["kode"]] = result.kabupaten["nama"]
    codes = [_kecamatan_code(area, names) if area else None for area in areas]
    if not result.periods:
        raise CoverageInputError("trend.no_periods", file=dataset.source_name)
    table = dataset.ingest.table
    if dataset.workers_estimate is not None:  # covered counts only: the workers per desa are the estimate
        table, _ = with_estimated_workers(table)
    periods = list(result.periods)
    results = period_results(table, periods, result.target, known=result)
    return [coverage_trend(table, periods, code, names=names, target=result.target, config=config, results=results)
            for code in codes]


def _kecamatan_code(kecamatan: str, names: dict[str, str]) -> str:
    wanted = kecamatan.strip()
    code = wanted if wanted in names else next(
        (k for k, n in names.items() if str(n).casefold() == wanted.casefold() and len(k) == 8), None)
    if code is None:
        raise CoverageInputError("trend.unknown_kecamatan", kecamatan=repr(kecamatan))
    return code

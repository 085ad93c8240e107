"""What-if "1 ASN 1 pekerja rentan": civil servants each sponsoring one worker.

Each sponsoring ASN (civil servant) pays the JKK + JKM contribution of one
uncovered informal (BPU) worker, ``Rp16,800`` a month by default
(``[whatif]`` in ``config/outreach.toml``), so the yearly cost is
``sponsored workers x 16,800 x 12``.

The ASN are given either as a total, distributed across kecamatan in
proportion to each kecamatan's **uncovered informal workers** (largest
remainder, :func:`analysis.sample.apportion`; no kecamatan gets more ASN than
it has uncovered informal workers, so nobody is sponsored twice), or per
kecamatan.  Kecamatan without a formal/informal split get none from a total
(their informal need is unknown); given per kecamatan, their ASN are capped
by all uncovered workers instead.  ASN that find no one to sponsor are
reported as ``unused_asn`` and cost nothing.

Projected coverage adds the sponsored workers to ``covered``:
``(covered + sponsored) / workers``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.apportion import apportion
from analysis.cohorts import active_by_kecamatan
from analysis.config import OutreachConfig, load_config
from ingest.cohorts import Cohort, month_text

#: Columns of :attr:`WhatIf.kecamatan`, in order.
WHATIF_COLUMNS = (
    "kode", "nama", "workers", "covered", "coverage_rate", "informal_uncovered",
    "asn", "sponsored", "unused_asn", "projected_covered", "projected_rate", "change_rate",
    "yearly_cost_rp",
)


@dataclass
class WhatIf:
    """Result of a "1 ASN 1 pekerja rentan" scenario.

    Attributes
    ----------
    kecamatan : DataFrame
        :data:`WHATIF_COLUMNS`, one row per kecamatan.  ``change_rate`` is
        ``projected_rate - coverage_rate`` (a fraction: 0.012 = +1.2 points).
    totals : dict
        ``asn``, ``sponsored``, ``unused_asn``, ``yearly_cost_rp``,
        ``workers``, ``covered``, ``coverage_rate``, ``projected_rate``,
        ``change_rate`` for the whole regency (kecamatan with data).
    yearly_cost_per_worker_rp : float
    method : str
        ``"proportional to uncovered informal workers"`` or ``"given per kecamatan"``.
    """

    kecamatan: pd.DataFrame
    totals: dict[str, float]
    yearly_cost_per_worker_rp: float
    method: str


def _floats(series: pd.Series) -> np.ndarray:
    return pd.to_numeric(series, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def _per_kecamatan(frame: pd.DataFrame, given: Mapping[str, int]) -> np.ndarray:
    by_code = dict(zip(frame["kode"], range(len(frame))))
    by_name = {str(n).casefold(): i for i, n in enumerate(frame["nama"])}
    asn = np.zeros(len(frame), dtype="int64")
    for key, count in given.items():
        position = by_code.get(str(key).strip(), by_name.get(str(key).strip().casefold()))
        if position is None:
            raise ValueError(
                f"Kecamatan {key!r} is not in the coverage table; use a code like 32.05.05 or a name "
                f"such as {frame['nama'].iloc[0]!r}."
            )
        if isinstance(count, bool) or not float(count).is_integer() or count < 0:
            raise ValueError(f"ASN for kecamatan {key!r} must be a whole number >= 0, got {count!r}.")
        asn[position] += int(count)
    return asn


def asn_scenario(
    kecamatan: pd.DataFrame,
    asn_total: int | None = None,
    asn_per_kecamatan: Mapping[str, int] | None = None,
    config: OutreachConfig | None = None,
) -> WhatIf:
    """Project coverage per kecamatan if ASN each sponsor one informal worker.

    Parameters
    ----------
    kecamatan : DataFrame
        ``compute_coverage(...).kecamatan``: ``kode, nama, has_data, workers,
        covered, uncovered, coverage_rate, informal_uncovered``.
    asn_total : int, optional
        Number of sponsoring ASN, distributed as the module describes.
    asn_per_kecamatan : mapping, optional
        ``{kecamatan code or name: ASN}`` instead of a total.
    config : OutreachConfig, optional
        Contribution per month and months per year (default the settings file).

    Returns
    -------
    WhatIf

    Raises
    ------
    ValueError
        If neither or both of ``asn_total`` and ``asn_per_kecamatan`` are
        given, a count is negative or not whole, a kecamatan is unknown, or
        a total is asked for while no kecamatan has uncovered informal workers.
    """
    if (asn_total is None) == (asn_per_kecamatan is None):
        raise ValueError("Give either asn_total or asn_per_kecamatan (exactly one).")
    config = config or load_config()
    yearly = float(config.monthly_contribution_rp) * config.months_per_year
    frame = kecamatan.reset_index(drop=True)
    workers = _floats(frame["workers"])
    covered = _floats(frame["covered"])
    informal_uncovered = _floats(frame["informal_uncovered"])
    uncovered = _floats(frame["uncovered"])

    if asn_total is not None:
        if isinstance(asn_total, bool) or not float(asn_total).is_integer() or asn_total < 0:
            raise ValueError(f"asn_total must be a whole number >= 0, got {asn_total!r}.")
        caps = np.nan_to_num(informal_uncovered, nan=0.0).clip(min=0).astype("int64")
        if asn_total > 0 and caps.sum() == 0:
            raise ValueError("No kecamatan has uncovered informal workers in the coverage table, "
                             "so a total cannot be distributed; give ASN per kecamatan.")
        placed = min(int(asn_total), int(caps.sum()))
        sponsored = apportion(placed, caps.astype(float), caps) if placed else np.zeros(len(frame), "int64")
        asn = sponsored.copy()
        unused = np.zeros(len(frame), dtype="int64")
        leftover = int(asn_total) - placed
        method = "proportional to uncovered informal workers"
    else:
        asn = _per_kecamatan(frame, asn_per_kecamatan)
        caps = np.where(np.isnan(informal_uncovered), np.nan_to_num(uncovered, nan=0.0), informal_uncovered)
        sponsored = np.minimum(asn, caps.clip(min=0)).astype("int64")
        unused = asn - sponsored
        leftover = 0
        method = "given per kecamatan"

    with np.errstate(divide="ignore", invalid="ignore"):
        projected_covered = covered + sponsored
        projected_rate = np.where(workers > 0, projected_covered / workers, np.nan)
        rate = np.where(workers > 0, covered / workers, np.nan)
    out = pd.DataFrame({
        "kode": frame["kode"], "nama": frame["nama"],
        "workers": workers, "covered": covered, "coverage_rate": rate,
        "informal_uncovered": informal_uncovered,
        "asn": asn, "sponsored": sponsored, "unused_asn": unused,
        "projected_covered": projected_covered, "projected_rate": projected_rate,
        "change_rate": projected_rate - rate,
        "yearly_cost_rp": sponsored * yearly,
    })
    with_data = ~np.isnan(workers)
    total_workers = float(np.nansum(workers[with_data]))
    total_covered = float(np.nansum(covered[with_data]))
    total_sponsored = int(sponsored.sum())
    totals = {
        "asn": int(asn.sum()) + leftover,
        "sponsored": total_sponsored,
        "unused_asn": int(unused.sum()) + leftover,
        "yearly_cost_rp": total_sponsored * yearly,
        "workers": total_workers,
        "covered": total_covered,
        "coverage_rate": total_covered / total_workers if total_workers else float("nan"),
        "projected_rate": (total_covered + total_sponsored) / total_workers if total_workers else float("nan"),
    }
    totals["change_rate"] = totals["projected_rate"] - totals["coverage_rate"]
    return WhatIf(out[list(WHATIF_COLUMNS)], totals, yearly, method)


@dataclass
class SponsorsNeeded:
    """How many sponsored workers reach a target share of coverage, and what they cost.

    Attributes
    ----------
    target : float
    total : int
        Sponsors needed for the kabupaten to reach ``target``: its gap,
        ``ceil(target x workers) - covered`` (0 when already there).
    yearly_cost_rp : float
        ``total x monthly contribution x months per year``.
    kecamatan : DataFrame
        ``kode``, ``nama``, ``gap_to_target`` (each kecamatan's own gap),
        ``already_sponsored`` (cohorts active in the month ``by``),
        ``sponsors`` (where to place them: the total spread over the kecamatan
        in proportion to their remaining gaps, summing to ``total`` exactly) and
        ``yearly_cost_rp``.
    by : str or None
        The month (``YYYY-MM``) the target is to be reached in; cohorts active then count.
    already_sponsored : int
        Workers of those cohorts (kabupaten).
    """

    target: float
    total: int
    yearly_cost_rp: float
    kecamatan: pd.DataFrame
    by: str | None = None
    already_sponsored: int = 0

    def as_json(self) -> dict[str, object]:
        """One JSON-ready object: totals and the per-kecamatan rows."""
        return {"target": self.target, "by": self.by, "already_sponsored": self.already_sponsored,
                "sponsors_needed": self.total, "yearly_cost_rp": self.yearly_cost_rp,
                "per_kecamatan": [{k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
                                  for row in self.kecamatan.to_dict("records")]}


def sponsors_needed(result, target: float | None = None, config: OutreachConfig | None = None,
                    cohorts: Iterable[Cohort] = (), by: str | None = None) -> SponsorsNeeded:
    """Sponsored workers (ASN or any programme) needed to reach ``target`` (default the result's), and their cost.

    Parameters
    ----------
    result : analysis.coverage.CoverageResult
    target : float, optional
        A share between 0 and 1; default ``result.target`` (70%).
    config : OutreachConfig, optional
        Contribution per month and months per year (default the settings file).
    cohorts : iterable of Cohort
        Cohorts already funded (:mod:`analysis.cohorts`); those active in the month ``by`` reduce the need.
    by : str, optional
        ``YYYY-MM``: the month the target is to be reached in (needed for ``cohorts`` to count).

    Raises
    ------
    ValueError
        For a target outside (0, 1] or a result without worker counts.
    """
    target = float(result.target if target is None else target)
    if not 0 < target <= 1:
        raise ValueError(f"target must be a share between 0 and 1 (e.g. 0.7), not {target!r}.")
    config = config or load_config()
    yearly = float(config.monthly_contribution_rp) * config.months_per_year
    kab = result.kabupaten
    if kab["workers"] is None:
        raise ValueError("The coverage has no worker counts, so the sponsors needed cannot be computed.")
    active = active_by_kecamatan(cohorts, month_text(by)) if by is not None else {}
    already = int(sum(active.values()))
    total = max(0, math.ceil(round(target * kab["workers"], 6)) - int(kab["covered"]) - already)
    frame = result.kecamatan[result.kecamatan["has_data"]].reset_index(drop=True)
    workers = _floats(frame["workers"])
    covered = _floats(frame["covered"])
    funded = np.array([active.get(k, 0) for k in frame["kode"]], dtype="int64")
    gaps = np.maximum(0, np.ceil(np.round(target * workers, 6)) - covered).astype("int64")
    remaining = np.maximum(0, gaps - funded)
    weights = remaining if remaining.sum() else gaps
    sponsors = apportion(total, weights.astype(float)) if total and weights.sum() else np.zeros(len(frame), "int64")
    out = pd.DataFrame({"kode": frame["kode"], "nama": frame["nama"], "gap_to_target": gaps,
                        "already_sponsored": funded, "sponsors": sponsors})
    out["yearly_cost_rp"] = out["sponsors"] * yearly
    return SponsorsNeeded(target, int(total), float(total * yearly), out,
                          by=month_text(by) if by is not None else None, already_sponsored=already)

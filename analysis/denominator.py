"""Working people per desa, estimated from the Dukcapil population aged 15–64.

No per-desa workforce figure exists.  :func:`estimate_workers` spreads a
published kabupaten total (default the 836,000 working people of Garut,
2024) over the desa in proportion to their population aged 15–64
(:mod:`ingest.population`), exactly: the desa add up to the total
(largest-remainder apportionment).  It is an estimate and says so: every
figure made from it carries its source, snapshot and basis.

Snapshot ``s2`` lacks 16 Garut desa (its repeated rows are dropped, never
counted twice); those desa take their ``s1`` population, and the result
lists them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from analysis.apportion import apportion
from core.errors import CoverageInputError
from geo.boundaries import load_layer
from geo.region import resolve_region
from ingest.population import load_population

#: Published working people of Kabupaten Garut, 2024.
PUBLISHED_WORKERS = {"32.05": 836_000}
#: What the estimate is proportional to.
BASIS = "penduduk_15_64"


@dataclass
class WorkerEstimate:
    """Estimated working people per desa.

    Attributes
    ----------
    desa : DataFrame
        ``kode``, ``nama``, ``kecamatan``, ``penduduk``, ``penduduk_15_64``,
        ``pekerja_estimasi`` (int) and ``sumber`` (snapshot id), by code.
    total : int
        The total spread (the desa add up to it exactly).
    source : dict
        ``id``, ``label``, ``file``, ``licence`` of the snapshot.
    repeats : int
        Repeated rows of the snapshot dropped.
    filled_from_s1 : list of str
        Desa missing from the snapshot whose population came from ``s1``.
    """

    region: str
    total: int
    desa: pd.DataFrame
    source: dict[str, str]
    repeats: int = 0
    filled_from_s1: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The estimate as one JSON-ready object (per desa, totals, source)."""
        d = self.desa
        return {
            "region": self.region, "basis": BASIS, "source": self.source,
            "totals": {"desa": len(d), "penduduk": int(d["penduduk"].sum()),
                       "penduduk_15_64": int(d["penduduk_15_64"].sum()),
                       "pekerja_estimasi": int(d["pekerja_estimasi"].sum())},
            "correlation_with_15_64": round(float(np.corrcoef(d["pekerja_estimasi"], d["penduduk_15_64"])[0, 1]), 6),
            "repeats_dropped": self.repeats, "filled_from_s1": self.filled_from_s1,
            "desa": [{k: (int(v) if isinstance(v, (int, np.integer)) else v) for k, v in row.items()}
                     for row in d.to_dict("records")],
        }


def estimate_workers(total: int | None = None, region: str | None = None, source: str = "s1") -> WorkerEstimate:
    """Spread ``total`` working people over the region's desa by their population aged 15–64.

    Parameters
    ----------
    total : int, optional
        Default the published figure of the region (:data:`PUBLISHED_WORKERS`).
    region : str, optional
        Default the region in use (:func:`geo.region.region_in_use`).
    source : {"s1", "s2"}
        Dukcapil snapshot (semester 1 or 2 of 2024).

    Raises
    ------
    CoverageInputError
        For a region without a published total when none is given (``denominator.no_published_total``).
    ValueError
        For a negative total.
    """
    region = resolve_region(region)
    if total is None:
        if region not in PUBLISHED_WORKERS:
            raise CoverageInputError("denominator.no_published_total", region=region,
                                     known=", ".join(sorted(PUBLISHED_WORKERS)))
        total = PUBLISHED_WORKERS[region]
    if int(total) < 0:
        raise ValueError(f"total must be 0 or more, not {total!r}.")
    table = load_population(source, region)
    population = table.desa.set_index("kode")
    population["sumber"] = source
    filled: list[str] = []
    if table.missing and source != "s1":
        first = load_population("s1", region).desa.set_index("kode")
        filled = [k for k in table.missing if k in first.index]
        extra = first.loc[filled].assign(sumber="s1")
        population = pd.concat([population, extra])
    desa = load_layer("desa", region)[["kode", "nama", "kecamatan"]].set_index("kode")
    frame = desa.join(population, how="inner").reset_index().sort_values("kode").reset_index(drop=True)
    frame["pekerja_estimasi"] = apportion(int(total), frame["penduduk_15_64"].to_numpy(dtype="float64"))
    frame[["penduduk", "penduduk_15_64"]] = frame[["penduduk", "penduduk_15_64"]].astype("int64")
    return WorkerEstimate(region, int(total), frame[["kode", "nama", "kecamatan", "penduduk", "penduduk_15_64",
                                                     "pekerja_estimasi", "sumber"]],
                          table.source, len(table.repeats), filled)

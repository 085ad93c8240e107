"""Natural breaks at the sizes the maps have: 442 desa (Garut) and 5,957 (Jawa Barat).

The project's classification (:func:`analysis.classify.classify`, jenkspy) is
timed cold (cache cleared) and cached, against mapclassify's ``FisherJenks``
on the same values in the same run.  The values are coverage-like rates
(a beta distribution, rounded to 0.01 %, as the app's rates are).  The
mapclassify baseline at 5,957 values takes about 100 s and is skipped with
``--quick``.
"""

from __future__ import annotations

import warnings

import numpy as np

from analysis.classify import classify, clear_cache
from cli.bench import BenchRow, best_of

#: Natural breaks at the province's desa count must take at most this long (issue 13).
TARGET_S = 1.0


def _rates(n: int) -> np.ndarray:
    return np.round(np.random.default_rng(n).beta(2.0, 6.0, size=n), 4)


def _mapclassify(values: np.ndarray) -> float:
    import mapclassify

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)     # "Numba not installed"
        return best_of(lambda: mapclassify.FisherJenks(values, k=5), repeat=1)


def _cold(values: np.ndarray) -> None:
    clear_cache()
    classify(values, "natural_breaks", k=5)


def run(quick: bool = False) -> list[BenchRow]:
    """Time natural breaks (k=5) at 442 and 5,957 values, cold and cached."""
    rows = []
    for n in (442, 5957):
        values = _rates(n)
        seconds = best_of(lambda: _cold(values), repeat=3)
        baseline = None if quick and n > 1000 else _mapclassify(values)
        target = {"target": f"<= {TARGET_S:g} s", "ok": seconds <= TARGET_S} if n == 5957 else {}
        rows.append(BenchRow("classify", f"natural breaks, {n:,} values (cold)", seconds, "s",
                             baseline=baseline, baseline_name="mapclassify FisherJenks", **target))
        classify(values, "natural_breaks", k=5)
        cached = best_of(lambda: classify(values, "natural_breaks", k=5), repeat=5)
        rows.append(BenchRow("classify", f"natural breaks, {n:,} values (cached)", cached, "s",
                             baseline=seconds, baseline_name="cold"))
    return rows

"""Trip plans: the OR-Tools plan against a nearest-neighbour plan of the same desa and start point.

The top 40 and top 120 desa of the sample ranking at 4 desa a day from the
fallback start (one team).  Several teams are not planned yet (issue 11).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from analysis.dataset import load_coverage
from analysis.priorities import rank_desa
from analysis.routing import (
    distance_matrix,
    nearest_neighbour_days,
    solve_days,
    total_length,
)
from analysis.trips import start_point
from cli.bench import BenchRow, stopwatch
from geo.boundaries import load_layer
from geo.paths import METRIC_CRS

GROUP = "trips"
#: The solver's plan may be at most this share of the nearest-neighbour plan (issue 11, top 40 at 4 a day).
TARGET_RATIO = 0.90


def run(quick: bool = False) -> list[BenchRow]:
    """Plan time and total km of the top 40 and top 120, next to nearest neighbour."""
    ranked = rank_desa(load_coverage().result.desa).ranked
    desa = load_layer("desa").set_index("kode")
    start = start_point(kecamatan=load_layer("kecamatan"))
    start_m = gpd.GeoSeries([shapely.Point(start.lon, start.lat)], crs=4326).to_crs(METRIC_CRS)
    rows = []
    for n in ((40,) if quick else (40, 120)):
        codes = ranked["kode"].head(n).tolist()
        points = gpd.GeoSeries(desa.loc[codes].geometry.representative_point().values, crs=4326).to_crs(METRIC_CRS)
        dist = distance_matrix(np.array([start_m.x.iloc[0], start_m.y.iloc[0]]), np.column_stack([points.x, points.y]))
        with stopwatch() as elapsed:
            days = solve_days(dist, 4)
        solver_km, nn_km = total_length(dist, days) / 1000, total_length(dist, nearest_neighbour_days(dist, 4)) / 1000
        ratio = solver_km / nn_km
        target = f"<= {TARGET_RATIO:g}" if n == 40 else ""
        rows += [BenchRow(GROUP, f"top {n}, 4 a day, 1 team: solver time", elapsed(), "s"),
                 BenchRow(GROUP, f"top {n}, 4 a day, 1 team: solver total (straight lines)", solver_km, "km"),
                 BenchRow(GROUP, f"top {n}, 4 a day, 1 team: nearest-neighbour total", nn_km, "km"),
                 BenchRow(GROUP, f"top {n}, 4 a day, 1 team: solver / nearest neighbour", ratio, "x", target=target,
                          ok=(ratio <= TARGET_RATIO) if n == 40 else None)]
    return rows

"""High-risk sites and priorities: ranking all desa, the point-in-desa join, trip planning."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.config import load_config
from analysis.coverage import compute_coverage
from analysis.priorities import rank_desa
from analysis.trips import plan_trips
from cli.bench import BenchRow, best_of, stopwatch
from geo.boundaries import load_layer
from geo.locate import locate_points
from ingest.sites import check_sites_file, illustrative_source, load_illustrative_sites


def _coverage(desa: pd.DataFrame, seed: int = 1) -> pd.DataFrame:
    """Random desa-level coverage for every desa, through the real coverage module."""
    rng = np.random.default_rng(seed)
    n = len(desa)
    formal = rng.integers(100, 3000, n)
    informal = rng.integers(100, 4000, n)
    covered_formal = (formal * rng.uniform(0.2, 0.9, n)).astype(int)
    covered_informal = (informal * rng.uniform(0.0, 0.3, n)).astype(int)
    table = pd.DataFrame({
        "row": np.arange(2, n + 2), "kode": desa["kode"].to_numpy(), "level": "desa", "period": "2024-12",
        "workers": formal + informal, "covered": covered_formal + covered_informal,
        "workers_formal": formal, "covered_formal": covered_formal,
        "workers_informal": informal, "covered_informal": covered_informal,
    })
    for column in table.columns[4:]:
        table[column] = table[column].astype("Int64")
    return compute_coverage(table).desa


def run(quick: bool = False) -> list[BenchRow]:
    """Time the ranking of all desa and a random-point join (1,000,000 points; quick: 50,000)."""
    desa = load_layer("desa")
    config = load_config()
    sites = load_illustrative_sites()
    coverage = _coverage(desa)
    rows = [BenchRow("sites", "check illustrative sites file (26 rows)",
                     best_of(lambda: check_sites_file(illustrative_source(), desa)), "s")]
    rows.append(BenchRow("sites", f"rank all {len(desa)} desa (with 26 sites, 2 km)",
                         best_of(lambda: rank_desa(coverage, sites, {}, config, desa=desa)), "s"))
    ranking = rank_desa(coverage, sites, {}, config, desa=desa)
    rows.append(BenchRow("sites", "plan trips for the top 40 desa (4 per day)",
                         best_of(lambda: plan_trips(ranking.top(40), desa, desa_per_day=4, config=config)), "s"))

    n = 50_000 if quick else 1_000_000
    rng = np.random.default_rng(0)
    minx, miny, maxx, maxy = desa.total_bounds
    lon, lat = rng.uniform(minx, maxx, n), rng.uniform(miny, maxy, n)
    _ = desa.sindex  # build the tree outside the timing, as a long-running app holds it
    with stopwatch() as elapsed:
        where = locate_points(lon, lat, desa)
    seconds = elapsed()
    rows.append(BenchRow("sites", f"join {n:,} random points to desa", seconds, "s"))
    rows.append(BenchRow("sites", f"join {n:,} random points to desa, throughput", n / seconds, "points/s"))
    rows.append(BenchRow("sites", "share of random bounding-box points inside Garut",
                         float((where >= 0).mean()), "fraction"))
    return rows

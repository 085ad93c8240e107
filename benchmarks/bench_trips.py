"""Trip plans: the OR-Tools plan against a nearest-neighbour plan of the same desa and start points.

The top 40 and top 120 desa of the sample ranking at 4 desa a day with the
settings of ``config/outreach.toml`` (45 minutes a desa, 8-hour days,
30 km/h, detour factor 1.4), for one team from the fallback start and for
three teams (the fallback start, a post in the north and one in the south).
Each plan is timed with the default search (greedy descent, deterministic)
and, for one team, with 10 s of guided local search.
"""

from __future__ import annotations

from analysis.config import load_config
from analysis.dataset import load_coverage
from analysis.priorities import rank_desa
from analysis.trips import StartPoint, Team, plan_trips, start_point
from cli.bench import BenchRow, stopwatch
from geo.boundaries import load_layer

GROUP = "trips"
#: The solver's plan may be at most this share of the nearest-neighbour plan (issue 11, top 40 at 4 a day).
TARGET_RATIO = 0.90
#: Extra start points of the three-team rows: a post in Kadungora (north) and one in Pameungpeuk (south).
OTHER_STARTS = (StartPoint("Pos utara (Kadungora)", -7.07, 107.89, True),
                StartPoint("Pos selatan (Pameungpeuk)", -7.64, 107.72, True))


def run(quick: bool = False) -> list[BenchRow]:
    """Plan time and total km of the top 40 and top 120 for 1 and 3 teams, next to nearest neighbour."""
    config = load_config()
    ranked = rank_desa(load_coverage().result.desa).ranked
    desa = load_layer("desa")
    first = start_point(config, kecamatan=load_layer("kecamatan"))
    rows = []
    for n in ((40,) if quick else (40, 120)):
        top = ranked.head(n)
        for n_teams in ((1,) if quick else (1, 3)):
            starts = [first, *OTHER_STARTS][:n_teams]
            teams = [Team(f"Tim {k + 1}", s) for k, s in enumerate(starts)]
            searches = (0.0, 10.0) if n_teams == 1 and not quick else (0.0,)
            for seconds in searches:
                with stopwatch() as elapsed:
                    plan = plan_trips(top, desa, desa_per_day=4, config=config, teams=teams,
                                      search_seconds=seconds)
                nn_km = plan.baseline_m / 1000
                what = f"top {n}, 4 a day, {n_teams} team{'s' if n_teams > 1 else ''}"
                how = "greedy descent" if seconds == 0 else f"guided search {seconds:g} s"
                ratio = plan.total_m / 1000 / nn_km
                judged = n == 40 and n_teams == 1
                rows += [BenchRow(GROUP, f"{what}, {how}: plan time", elapsed(), "s"),
                         BenchRow(GROUP, f"{what}, {how}: total (estimate, x{config.detour_factor:g})",
                                  plan.total_m / 1000, "km"),
                         BenchRow(GROUP, f"{what}, {how}: desa left unplanned", len(plan.unplanned), "desa")]
                if seconds == 0:
                    rows.append(BenchRow(GROUP, f"{what}: nearest-neighbour total", nn_km, "km"))
                rows.append(BenchRow(GROUP, f"{what}, {how}: solver / nearest neighbour", ratio, "x",
                                     target=f"<= {TARGET_RATIO:g}" if judged else "",
                                     ok=(ratio <= TARGET_RATIO) if judged else None))
    return rows

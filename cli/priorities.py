"""``python -m analysis priorities``: ranked desa with score components, and a visit plan."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

from analysis.config import load_config
from analysis.coverage import compute_coverage
from analysis.priorities import json_records, rank_desa
from analysis.start_points import StartPointStore, check_start
from analysis.trips import StartPoint, Team, TripPlan, plan_trips, start_point
from analysis.visits import VisitLog
from cli.actor import record
from core.errors import PetaCakupanError
from core.i18n import Message, env_lang, localize_all, t
from geo.paths import PROJECT_ROOT
from ingest.appdb import AppDatabase, app_database
from ingest.coverage import read_coverage
from ingest.road_distances import read_road_distances
from ingest.sites import check_sites_file, load_illustrative_sites
from render.exports.outreach import export_trips

#: Coverage file used when --coverage is not given.
DEFAULT_COVERAGE = PROJECT_ROOT / "data" / "sample" / "coverage_desa.csv"


def read_coverage_desa(path: str | Path):
    """``compute_coverage(read_coverage(path).table).desa``."""
    return compute_coverage(read_coverage(path).table).desa


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(t("cli.not_a_date", env_lang(), text=repr(text))) from None


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``priorities`` sub-command."""
    parser = subparsers.add_parser(
        "priorities",
        help=t("cli.help.priorities"),
        description=(
            "Score every desa with coverage data (see docs/priorities.md), print the top N with "
            "component values and the Indonesian reason as one JSON object, list desa without data "
            "separately, and with --out write the visit plan for the top N as CSV or XLSX."
        ),
    )
    parser.add_argument("--coverage", default=str(DEFAULT_COVERAGE),
                        help="coverage file (default data/sample/coverage_desa.csv)")
    parser.add_argument("--sites", default=None,
                        help="high-risk sites file (default: the illustrative layer)")
    parser.add_argument("--no-sites", action="store_true", help="score without high-risk sites")
    parser.add_argument("--top", type=int, default=None, help="number of desa (default [trips] top_n = 20)")
    parser.add_argument("--kecamatan", default=None, help="only this kecamatan (code like 32.05.05 or name)")
    parser.add_argument("--out", default=None, help="write the visit plan of the listed desa (.csv or .xlsx)")
    parser.add_argument("--per-day", type=int, default=None, help="desa per trip day (default from config)")
    parser.add_argument("--teams", type=int, default=None,
                        help="plan for N teams (named Tim 1..N), each from the start point; prints the plan")
    parser.add_argument("--team", action="append", default=[], metavar="NAME[@LAT,LON]",
                        help="a team and its own start point (repeatable; instead of --teams)")
    parser.add_argument("--days", type=int, default=None,
                        help="working days of each team (default: as many as the plan needs)")
    parser.add_argument("--road", default=None,
                        help="road-distance matrix (CSV/XLSX: from code, to code, km) used instead of estimates")
    parser.add_argument("--start-date", type=_date, default=None,
                        help="date of the first trip, YYYY-MM-DD (default tomorrow; weekends skipped)")
    parser.add_argument("--db", default=None, help="visit log for the last-visit component (default from config)")
    parser.add_argument("--as-of", type=_date, default=None, help="count visit ages to this day (default today)")
    parser.add_argument("--config", default=None, help="settings file (default config/outreach.toml)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Rank, print JSON, optionally export the visit plan."""
    config = load_config(args.config)
    top = args.top or config.top_n
    if top < 1:
        raise PetaCakupanError("priorities.bad_top", top=top)
    coverage = read_coverage_desa(args.coverage)

    sites_info: dict[str, object]
    if args.no_sites:
        sites, sites_info = None, {"source": None}
    elif args.sites:
        check = check_sites_file(args.sites)
        sites = check.sites
        sites_info = {"source": check.source, "rows_in": check.rows_in, "rows_matched": check.rows_matched,
                      "rows_rejected": check.rows_rejected}
    else:
        sites = load_illustrative_sites()
        sites_info = {
            "source": "sites_illustrative",
            "rows_matched": len(sites),
            "label": t("sites.illustrative_label", args.lang),
        }

    db = app_database(args.db or config.database)
    last_visits = VisitLog(db).last_visits() if db.exists() else {}
    ranking = rank_desa(coverage, sites, last_visits, config, as_of=args.as_of)
    table = ranking.top(top, kecamatan=args.kecamatan)

    result: dict[str, object] = {
        "coverage": str(args.coverage),
        "sites": sites_info,
        "visit_log": db.display_url if db.exists() else None,
        "as_of": ranking.as_of.isoformat(),
        "weights": ranking.config.weights,
        "ranked_total": len(ranking.ranked),
        "ranked": localize_all(json_records(table), args.lang),
        "no_data": {"count": len(ranking.no_data), "desa": localize_all(json_records(ranking.no_data), args.lang)},
    }
    if args.out or args.teams or args.team or args.days or args.road:
        road = read_road_distances(args.road).metres if args.road else None
        plan = plan_trips(table, desa_per_day=args.per_day, config=config, teams=_teams(args, config, db),
                          start_date=args.start_date or dt.date.today() + dt.timedelta(days=1), road=road)
        if args.out:
            label = sites_info.get("label") if isinstance(sites_info.get("label"), str) else None
            export_trips(plan, args.out, source_label=label, lang=args.lang)
            record("export", what="trips", file=Path(args.out).name)
        result["trips"] = localize_all(plan_summary(plan, out=args.out), args.lang)
    print(json.dumps(result, ensure_ascii=False))
    return 0


def plan_summary(plan: TripPlan, out: str | None = None) -> dict[str, object]:
    """The plan as JSON: teams, days with their desa and km, totals, the nearest-neighbour yardstick, unplanned desa."""
    return {
        "out": str(out) if out else None,
        "start": plan.start.name, "start_configured": plan.start.configured,
        "teams": [{"name": tm.name, "start": {"name": tm.start.name, "lat": tm.start.lat, "lon": tm.start.lon},
                   "days_available": tm.days, "days_planned": sum(1 for t in plan.trips if t.team == tm.name)}
                  for tm in plan.teams],
        "days": [{"team": t.team, "day": t.day, "date": t.date.isoformat() if t.date else None,
                  "desa": t.stops["kode"].tolist(), "total_m": round(t.total_m),
                  "total_km": round(t.total_m / 1000, 1), "duration_min": t.duration_min} for t in plan.trips],
        "total_km": round(plan.total_m / 1000, 1),
        "nearest_neighbour_km": round(plan.baseline_m / 1000, 1) if plan.baseline_m is not None else None,
        "distances": plan.distance_note(),
        "road_legs": plan.road_legs, "estimated_legs": plan.estimated_legs,
        "unplanned": json_records(plan.unplanned),
    }


def _teams(args: argparse.Namespace, config, db: AppDatabase) -> list[Team]:
    """Teams from ``--team NAME@LAT,LON`` or ``--teams N``, each from the start point unless its own is given."""
    if args.teams is not None and args.teams < 1:
        raise PetaCakupanError("priorities.bad_teams", teams=args.teams)
    if args.days is not None and args.days < 1:
        raise PetaCakupanError("priorities.bad_days", days=args.days)
    stored = StartPointStore(db).get() if db.exists() else None
    start = start_point(config, stored=stored)
    teams = []
    for text in args.team:
        name, _, where = text.partition("@")
        team_start = start
        if where:
            lat, _, lon = where.partition(",")
            saved = check_start(name or text, lat, lon)
            team_start = StartPoint(saved[0], saved[1], saved[2], True)
        teams.append(Team(name.strip() or text, team_start, args.days))
    if not teams:
        teams = [Team(Message("plan.team_default", n=k + 1), start, args.days) for k in range(args.teams or 1)]
    return teams

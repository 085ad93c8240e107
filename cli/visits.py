"""``python -m analysis visits add|list|follow-ups|export``: the visit log from the command line."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

from analysis.config import load_config
from analysis.visits import VisitLog, follow_up_counts
from cli.actor import record
from core.i18n import LANGS, t
from geo.boundaries import load_layer
from render.exports.outreach import export_visits


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``visits`` sub-command and its actions."""
    parser = subparsers.add_parser("visits", help=t("cli.help.visits"), description=t("cli.help.visits"))
    actions = parser.add_subparsers(dest="action", required=True)
    # --lang after the action too (its default stays the command line's)
    lang = argparse.ArgumentParser(add_help=False)
    lang.add_argument("--lang", choices=LANGS, default=argparse.SUPPRESS, help=t("cli.help.lang"))
    add = actions.add_parser("add", help=t("cli.help.visits_add"), parents=[lang])
    add.add_argument("--date", required=True, help=t("cli.help.visits_date"))
    add.add_argument("--desa", required=True, help=t("cli.help.visits_desa"))
    add.add_argument("--team", required=True, help=t("cli.help.visits_team"))
    add.add_argument("--enrolled", type=int, default=0, help=t("cli.help.visits_enrolled"))
    add.add_argument("--notes", default="", help=t("cli.help.visits_notes"))
    add.add_argument("--promised", type=int, default=0, help=t("cli.help.visits_promised"))
    add.add_argument("--follow-up", default=None, help=t("cli.help.visits_follow_up"))
    actions.add_parser("list", help=t("cli.help.visits_list"), parents=[lang])
    actions.add_parser("follow-ups", help=t("cli.help.visits_follow_ups"), parents=[lang])
    out = actions.add_parser("export", help=t("cli.help.visits_export"), parents=[lang])
    out.add_argument("--out", type=Path, required=True, help=t("cli.help.visits_out"))
    parser.set_defaults(func=run)


def follow_up_report(log: VisitLog, today: dt.date | None = None) -> dict[str, object]:
    """Open follow-ups (most urgent first, with desa names) and their counts per team, JSON-ready."""
    names = load_layer("desa").set_index("kode")
    items = log.follow_ups(today)
    follow_ups = [{"id": int(r.id), "kode_desa": r.kode_desa, "desa": names["nama"].get(r.kode_desa),
                   "kecamatan": names["kecamatan"].get(r.kode_desa), "team": r.team,
                   "visit_date": r.visit_date.isoformat(), "follow_up": r.follow_up.isoformat(),
                   "promised": int(r.promised), "status": r.status, "days_late": int(r.days_late)}
                  for r in items.itertuples()]
    counts = [{k: (int(v) if k != "team" else v) for k, v in row.items()}
              for row in follow_up_counts(items).to_dict("records")]
    return {"today": (today or dt.date.today()).isoformat(), "follow_ups": follow_ups, "counts": counts}


def run(args: argparse.Namespace) -> int:
    """Add a visit (prints its id), list the visits (JSON lines) or export them (CSV/XLSX)."""
    log = VisitLog(load_config().database)
    if args.action == "add":
        visit_id = log.record_visit(args.date, args.desa, args.team, args.enrolled, args.notes,
                                    promised=args.promised, follow_up=args.follow_up)
        record("visit", id=visit_id, kode_desa=args.desa, team=args.team, enrolled=args.enrolled,
               promised=args.promised)
        if args.follow_up:
            record("follow_up", visit=visit_id, kode_desa=args.desa, team=args.team, follow_up=args.follow_up)
        print(json.dumps({"id": visit_id, "kode_desa": args.desa, "enrolled": args.enrolled,
                          "promised": args.promised, "follow_up": args.follow_up}))
    elif args.action == "follow-ups":
        print(json.dumps(follow_up_report(log), ensure_ascii=False))
    elif args.action == "list":
        for row in log.visits().to_dict("records"):
            print(json.dumps({k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()},
                             ensure_ascii=False, default=str))
    else:
        path = export_visits(log, args.out, lang=args.lang)
        record("export", what="visits", file=path.name)
        print(json.dumps({"path": str(path), "visits": len(log.visits())}))
    return 0

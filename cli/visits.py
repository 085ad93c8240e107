"""``python -m analysis visits add|list|export``: the visit log from the command line."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from analysis.config import load_config
from analysis.visits import VisitLog
from core.i18n import LANGS, t
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
    actions.add_parser("list", help=t("cli.help.visits_list"), parents=[lang])
    out = actions.add_parser("export", help=t("cli.help.visits_export"), parents=[lang])
    out.add_argument("--out", type=Path, required=True, help=t("cli.help.visits_out"))
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Add a visit (prints its id), list the visits (JSON lines) or export them (CSV/XLSX)."""
    log = VisitLog(load_config().db_path)
    if args.action == "add":
        visit_id = log.record_visit(args.date, args.desa, args.team, args.enrolled, args.notes)
        print(json.dumps({"id": visit_id, "kode_desa": args.desa, "enrolled": args.enrolled}))
    elif args.action == "list":
        for row in log.visits().to_dict("records"):
            print(json.dumps({k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()},
                             ensure_ascii=False, default=str))
    else:
        path = export_visits(log, args.out, lang=args.lang)
        print(json.dumps({"path": str(path), "visits": len(log.visits())}))
    return 0

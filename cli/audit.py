"""``python -m analysis audit list|export``: the audit trail from the command line."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from analysis.audit import ACTIONS, AuditLog
from analysis.config import load_config
from cli.actor import actor
from core.i18n import LANGS, t
from render.exports.audit import export_audit


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``audit`` sub-command."""
    lang = argparse.ArgumentParser(add_help=False)
    lang.add_argument("--lang", choices=LANGS, default=argparse.SUPPRESS, help=t("cli.help.lang"))
    audit = subparsers.add_parser("audit", help=t("cli.help.audit"), description=t("cli.help.audit"))
    audit_actions = audit.add_subparsers(dest="action", required=True)
    listing = audit_actions.add_parser("list", help=t("cli.help.audit_list"), parents=[lang])
    out = audit_actions.add_parser("export", help=t("cli.help.audit_export"), parents=[lang])
    out.add_argument("--out", type=Path, required=True, help=t("cli.help.audit_out"))
    for parser in (listing, out):
        parser.add_argument("--action", dest="only_action", choices=ACTIONS, default=None)
        parser.add_argument("--user", default=None)
    listing.add_argument("--limit", type=int, default=None)
    audit.set_defaults(func=run_audit)


def run_audit(args: argparse.Namespace) -> int:
    """List the audit trail (JSON lines, newest first) or export it (CSV/XLSX)."""
    log = AuditLog(load_config().database)
    if args.action == "list":
        for row in log.entries(action=args.only_action, username=args.user, limit=args.limit).to_dict("records"):
            print(json.dumps(row, ensure_ascii=False, default=str))
        return 0
    entries = log.entries(action=args.only_action, username=args.user)
    path = export_audit(entries, args.out, lang=args.lang)
    log.record(*actor(), "export", what="audit", file=path.name, rows=len(entries))
    print(json.dumps({"path": str(path), "entries": len(entries)}))
    return 0

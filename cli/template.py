"""``python -m analysis template --out FILE.xlsx|csv``: the coverage template to fill in."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from core.errors import ExportError
from core.i18n import t
from render.template import template_bytes


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``template`` sub-command."""
    parser = subparsers.add_parser("template", help=t("cli.help.template"), description=t("cli.help.template"))
    parser.add_argument("--out", type=Path, required=True, help=t("cli.help.template_out"))
    parser.add_argument("--period", default="2024-12", help=t("cli.help.template_period"))
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Write the template; print ``{"path", "format", "bytes"}``."""
    fmt = args.out.suffix.lower().lstrip(".")
    if fmt not in ("xlsx", "csv"):
        raise ExportError("template.bad_format", name=args.out.name)
    content = template_bytes(fmt, lang=args.lang, period=args.period)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(content)
    print(json.dumps({"path": str(args.out), "format": fmt, "bytes": len(content)}))
    return 0

"""``python -m analysis denominator``: working people per desa estimated from the population aged 15–64."""

from __future__ import annotations

import argparse
import json

from analysis.denominator import estimate_workers
from core.i18n import t


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``denominator`` sub-command."""
    parser = subparsers.add_parser("denominator", help=t("cli.help.denominator"),
                                   description=t("cli.help.denominator"))
    parser.add_argument("--total", type=int, default=None, help=t("cli.help.denominator_total"))
    parser.add_argument("--source", choices=["s1", "s2"], default="s1", help=t("cli.help.denominator_source"))
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the estimate as one JSON object."""
    estimate = estimate_workers(args.total, region=args.region, source=args.source)
    print(json.dumps(estimate.as_json(), ensure_ascii=False))
    return 0

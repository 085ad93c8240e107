"""``python -m analysis whatif``: sponsored workers needed to reach a target, and their yearly cost."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from analysis.dataset import load_coverage
from analysis.whatif import sponsors_needed
from core.errors import CoverageInputError
from core.i18n import t


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``whatif`` sub-command."""
    parser = subparsers.add_parser("whatif", help=t("cli.help.whatif"), description=t("cli.help.whatif"))
    parser.add_argument("--target", type=float, default=0.70, help=t("cli.help.whatif_target"))
    parser.add_argument("--coverage", type=Path, default=None, help=t("cli.help.whatif_coverage"))
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print ``{"target", "sponsors_needed", "yearly_cost_rp", "per_kecamatan": [...]}``."""
    dataset = load_coverage(args.coverage)
    if dataset.result is None:
        raise CoverageInputError("whatif.no_workers", file=dataset.source_name)
    try:
        needed = sponsors_needed(dataset.result, target=args.target)
    except ValueError:
        raise CoverageInputError("whatif.bad_target", target=repr(args.target)) from None
    out = {**needed.as_json(), "source": dataset.source_name, "sample": dataset.is_sample}
    print(json.dumps(out, ensure_ascii=False))
    return 0

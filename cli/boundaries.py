"""``python -m analysis boundaries``: build (if needed) and summarise boundaries."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from core.i18n import t
from geo.boundaries import ensure_built, summary


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``boundaries`` sub-command."""
    parser = subparsers.add_parser(
        "boundaries",
        help=t("cli.help.boundaries"),
        description=(
            "Build data/boundaries/wilayah_<region>.gpkg from the Kemendagri 2025 dumps "
            "if it is missing or stale, then print one JSON object on stdout."
        ),
    )
    parser.add_argument(
        "--source",
        default=None,
        help="wilayah_boundaries folder (default $PETA_BOUNDARIES_SOURCE or ../shared/data/wilayah_boundaries)",
    )
    parser.add_argument("--out-dir", type=Path, default=None,
                        help="output folder (default $PETA_BOUNDARIES_DIR or data/boundaries)")
    parser.add_argument("--force", action="store_true", help="rebuild even if the GeoPackage is current")
    parser.add_argument("--check", action="store_true",
                        help="also fail (exit 1) unless geometries are valid and codes match Kemendagri 2025")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Build if needed, print the summary; with --check, exit 1 on problems."""
    ensure_built(args.region, source=args.source, out_dir=args.out_dir, force=args.force)
    result = summary(args.region, out_dir=args.out_dir)
    print(json.dumps(result, ensure_ascii=False))
    if args.check:
        ref = result["reference_check"]
        problems = []
        if result["invalid_geometries"]:
            problems.append(t("cli.boundaries.invalid_geometries", args.lang, n=result["invalid_geometries"]))
        if any(ref.get(k) for k in ("missing_in_boundaries", "not_in_reference", "name_differs")):
            problems.append(t("cli.boundaries.codes_differ", args.lang, reference=ref))
        if problems:
            print(t("cli.check_failed", args.lang, problems="; ".join(problems)), file=sys.stderr)
            return 1
    return 0

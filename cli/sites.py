"""``python -m analysis sites``: check a sites file, or build the illustrative layer."""

from __future__ import annotations

import argparse
import json
import sys

from analysis.sites import desa_near_sites, site_counts
from core.i18n import localize_all, t
from ingest.sites import (
    KNOWN_CATEGORIES,
    OTHER_CATEGORY,
    check_sites_file,
    ensure_sites_built,
    load_illustrative_sites,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``sites`` sub-command."""
    parser = subparsers.add_parser(
        "sites",
        help=t("cli.help.sites"),
        description=(
            "With --check FILE: read and validate a sites file and print one JSON report "
            "(rows_in, rows_matched, rows_rejected, problems, per-site kode_desa); exit 0 if the "
            "file is readable, 2 if not. Without it: build data/sites/sites_illustrative.gpkg if "
            "missing or stale and print a JSON summary. Contact and operator values are never printed."
        ),
    )
    parser.add_argument("--check", metavar="FILE", help="sites file to validate")
    parser.add_argument("--force", action="store_true", help="rebuild the illustrative layer even if current")
    parser.add_argument("--near", metavar="CATEGORY", action="append",
                        choices=[*KNOWN_CATEGORIES, OTHER_CATEGORY],
                        help="also list desa within --distance-m of sites of this category (repeatable)")
    parser.add_argument("--distance-m", type=float, default=2000.0,
                        help="distance for --near, metres from site to desa polygon (default 2000)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the JSON report; exit 0 (readable) or 2 via the CLI's error handling."""
    if args.check:
        check = check_sites_file(args.check)
        result = localize_all(check.report(), args.lang)
        sites = check.sites
    else:
        path = ensure_sites_built(force=args.force, stream=sys.stderr)
        sites = load_illustrative_sites()
        result = {
            "gpkg": str(path), "label": t("sites.illustrative_label", "id"),
            "label_en": t("sites.illustrative_label", "en"),
            "sites": int(len(sites)),
            "by_category": {r.category_group: int(r.n_sites) for r in site_counts(sites, "category").itertuples()},
            "desa_with_sites": int(sites["kode_desa"].nunique()),
            "kecamatan_with_sites": int(sites["kode_kec"].nunique()),
        }
    if args.near:
        pairs = desa_near_sites(sites, distance_m=args.distance_m, categories=args.near)
        result["near"] = {
            "categories": args.near,
            "distance_m": args.distance_m,
            "desa": [
                {
                    "kode": r.kode,
                    "nama": r.nama,
                    "kecamatan": r.kecamatan,
                    "site_row": int(sites["row"].iloc[r.site]),
                    "site": r.name,
                    "category": r.category_group,
                    "distance_m": float(r.distance_m),
                }
                for r in pairs.itertuples()
            ],
        }
    print(json.dumps(result, ensure_ascii=False))
    return 0

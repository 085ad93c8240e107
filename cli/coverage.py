"""``python -m analysis coverage INPUT``: validate, match and compute a coverage file."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from analysis.coverage import DEFAULT_TARGET, join_geometry
from analysis.dataset import CoverageDataset, coverage_report, load_coverage
from core.errors import InputFileError
from core.i18n import localize_all, t
from ingest.headers import parse_column_mapping


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``coverage`` sub-command."""
    parser = subparsers.add_parser(
        "coverage",
        help=t("cli.help.coverage"),
        description=(
            "Read INPUT (CSV or XLSX; per desa, per kecamatan or per participant), account for "
            "every row (matched or rejected with a reason), compute the figures and print one JSON "
            "object. Exit 0 when the file could be read (even with rejected rows), 2 when it could not."
        ),
    )
    parser.add_argument("input", type=Path, help="coverage file (.csv or .xlsx)")
    parser.add_argument("--level", choices=["desa", "kecamatan"], default=None,
                        help="expected level (default: detected from the key columns)")
    parser.add_argument("--sheet", default=None, help="XLSX sheet name (default: the only sheet with a table)")
    parser.add_argument("--columns", default=None, metavar='"COLUMN=role,..."',
                        help=t("cli.help.columns"))
    parser.add_argument("--target", type=float, default=DEFAULT_TARGET,
                        help="coverage target as a fraction (default 0.7)")
    parser.add_argument("--period", default=None, help="period YYYY-MM to report (default: the latest)")
    parser.add_argument("--out", type=Path, default=None,
                        help="write a GeoPackage with layers desa and kecamatan (figures on the boundaries)")
    parser.add_argument("--report", type=Path, default=None, help="also write the JSON report to this file")
    parser.set_defaults(func=run)


def write_gpkg(dataset: CoverageDataset, path: Path, lang: str = "id") -> None:
    """Write the desa and kecamatan figures on their full boundaries to a GeoPackage.

    A ``keterangan`` table records the source file, period and, for the
    sample, that the data is illustrative.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    result = dataset.result
    for level, frame in (("desa", result.desa), ("kecamatan", result.kecamatan)):
        layer: gpd.GeoDataFrame = join_geometry(frame, level, region=result.region)
        pyogrio.write_dataframe(layer, path, layer=level, driver="GPKG")
    notes = pd.DataFrame({
        "key": ["sumber", "periode", "target", "data_contoh"],
        "value": [dataset.source_name, str(result.period), str(result.target),
                  t("sample.banner", lang) if dataset.is_sample else t("common.no", lang)],
    })
    pyogrio.write_dataframe(notes, path, layer="keterangan", driver="GPKG")


def run(args: argparse.Namespace) -> int:
    """Read, validate, compute; print the report (errors propagate to the CLI's exit 2)."""
    columns = parse_column_mapping(args.columns) if args.columns else None
    dataset = load_coverage(args.input, level=args.level, sheet=args.sheet, target=args.target,
                            period=args.period, columns=columns)
    report = coverage_report(dataset)
    text = json.dumps(localize_all(report, args.lang), ensure_ascii=False, default=str)
    if args.report:
        args.report.write_text(text + "\n", encoding="utf-8")
    if args.out:
        if dataset.result is None:
            raise InputFileError(
                "coverage.participants_no_out", file=args.input.name
            )
        write_gpkg(dataset, args.out, args.lang)
    print(text)
    return 0

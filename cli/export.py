"""``python -m analysis export``: maps, briefing and data tables as files.

Examples::

    python -m analysis export --what map --format png --level desa --dpi 300 --out peta.png
    python -m analysis export --what briefing --format pdf --out ringkasan.pdf
    python -m analysis export --what data --format xlsx --coverage cakupan.xlsx --out data/
    python -m analysis export --what map --format html --level kecamatan --metric gap_to_target --out peta.html

``--out`` may be a folder: the file then gets the name
:func:`render.exports.export_filename` gives it.  Bad combinations (a
briefing as CSV, ``--dpi`` on an HTML map, an ``--out`` whose extension is
not the format's) exit with code 2 and a message saying what to change.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from analysis.classify import SCHEMES
from analysis.metrics import METRICS
from cli.actor import record
from core.errors import ExportError
from core.i18n import t
from render.exports import (
    DPIS,
    FORMATS,
    ILLUSTRATIVE,
    LEVELS,
    SIZES,
    ExportView,
    check_export,
    export_bytes,
    export_filename,
    load_export_data,
)

ALL_FORMATS = tuple(dict.fromkeys(f for formats in FORMATS.values() for f in formats))
#: Formats that --dpi and --size apply to.
_DPI_FORMATS = ("png",)
_SIZE_FORMATS = ("png", "pdf")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``export`` sub-command."""
    parser = subparsers.add_parser(
        "export",
        help=t("cli.help.export"),
        description=(
            "Write one export of the coverage data to --out and print a JSON summary. "
            f"Formats: map -> {', '.join(FORMATS['map'])}; briefing -> {', '.join(FORMATS['briefing'])}; "
            f"data -> {', '.join(FORMATS['data'])}. Sample data is marked DATA CONTOH in every export."
        ),
    )
    parser.add_argument("--what", required=True, choices=tuple(FORMATS), help="what to export")
    parser.add_argument("--format", dest="fmt", choices=ALL_FORMATS, default=None,
                        help="file format (default: from the --out extension, else the first of --what)")
    parser.add_argument("--level", choices=LEVELS, default="desa", help="map / table level (default desa)")
    parser.add_argument("--metric", choices=tuple(METRICS), default="coverage_rate",
                        help="map metric (default coverage_rate)")
    parser.add_argument("--coverage", default=None,
                        help="coverage file, CSV or XLSX (default the sample of the region: "
                             "data/sample/coverage_desa.csv for Garut)")
    parser.add_argument("--period", default=None, help="period YYYY-MM to show (default the latest)")
    parser.add_argument("--scheme", choices=SCHEMES, default=None,
                        help="classification scheme (default the metric's)")
    parser.add_argument("--dpi", type=int, choices=DPIS, default=None, help="PNG resolution (default 150)")
    parser.add_argument("--size", choices=tuple(SIZES), default=None,
                        help="PNG/PDF map page: a4 (landscape, default) or 16:9")
    parser.add_argument("--kec", default=None, help="map only the desa of this kecamatan (code like 32.05.01)")
    parser.add_argument("--sites", default=None,
                        help="high-risk sites file for priorities and markers (default: the illustrative layer)")
    parser.add_argument("--no-sites", action="store_true", help="no sites (priorities without the site component)")
    parser.add_argument("--show-sites", action="store_true", help="draw site markers on the map")
    parser.add_argument("--out", required=True, help="output file, or an existing folder to name the file in")
    parser.set_defaults(func=run)


def _format(args: argparse.Namespace) -> str:
    if args.fmt:
        return args.fmt
    suffix = Path(args.out).suffix.lower().lstrip(".")
    if suffix in FORMATS[args.what]:
        return suffix
    return FORMATS[args.what][0]


def check_args(args: argparse.Namespace, fmt: str) -> None:
    """Raise ExportError for option combinations that make no sense."""
    check_export(args.what, fmt, args.level, args.metric)
    if args.dpi is not None and fmt not in _DPI_FORMATS:
        raise ExportError("export.dpi_png_only", fmt=fmt)
    if args.size is not None and not (args.what == "map" and fmt in _SIZE_FORMATS):
        raise ExportError("export.size_maps_only", what=args.what, fmt=fmt)
    if args.kec is not None and args.what != "map":
        raise ExportError("export.kec_maps_only")
    if args.kec is not None and args.level != "desa":
        raise ExportError("export.kec_needs_desa")
    if args.show_sites and args.what != "map":
        raise ExportError("export.show_sites_maps_only")
    if args.show_sites and args.no_sites:
        raise ExportError("export.show_sites_and_no_sites")
    if args.sites and args.no_sites:
        raise ExportError("export.sites_and_no_sites")
    out = Path(args.out)
    if not out.is_dir() and out.suffix.lower() != f".{fmt}":
        raise ExportError("export.out_suffix", out=args.out, fmt=fmt)


def run(args: argparse.Namespace) -> int:
    """Make the export, write it, print a JSON summary."""
    fmt = _format(args)
    check_args(args, fmt)
    start = time.perf_counter()
    sites = None if args.no_sites else (args.sites or ILLUSTRATIVE)
    data = load_export_data(args.coverage, period=args.period, sites=sites,
                            priorities=args.what in ("briefing", "data"))
    view = ExportView(level=args.level, metric=args.metric, scheme=args.scheme, lang=args.lang,
                      dpi=args.dpi or 150, size=args.size or "a4", show_sites=args.show_sites, kec=args.kec)
    content = export_bytes(data, args.what, fmt, view)
    out = Path(args.out)
    if out.is_dir():
        area = None
        if args.kec:
            match = data.result.kecamatan.loc[data.result.kecamatan["kode"] == args.kec, "nama"]
            area = str(match.iloc[0]) if len(match) else args.kec
        out = out / export_filename(args.what, args.level, args.metric, data.result.period, fmt, area=area,
                                    sample=data.is_sample)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(content)
    record("export", what=args.what, format=fmt, file=out.name, bytes=len(content), sample=data.is_sample)
    print(json.dumps({
        "out": str(out), "what": args.what, "format": fmt, "level": args.level, "metric": args.metric,
        "period": data.result.period, "sample": data.is_sample, "bytes": len(content),
        "seconds": round(time.perf_counter() - start, 2),
    }, ensure_ascii=False))
    return 0

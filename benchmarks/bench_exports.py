"""Exports at desa level on the sample: time and size of each format.

Each export is made from one :class:`render.exports.ExportData` (the
sample, illustrative sites, priority ranking), as the app's download buttons
and ``python -m analysis export`` make them.  Times are the best of 3 (1 with
``--quick``); ``--quick`` also skips the 300 dpi PNGs.  Targets: the HTML map
at most 2 MB (issue 6) and every export at most 5 s, so a download button
answers while the planner waits.
"""

from __future__ import annotations

from collections.abc import Callable

from cli.bench import BenchRow, best_of
from geo.boundaries import ensure_built
from render.exports import export_bytes, load_export_data

MB = 1_000_000
HTML_TARGET_MB = 2.0
TIME_TARGET_S = 5.0

#: (label, what, format, options); the last flag marks slow rows skipped by --quick.
EXPORTS: tuple[tuple[str, str, str, dict, bool], ...] = (
    ("map HTML (standalone, offline)", "map", "html", {}, False),
    ("map PNG A4 150 dpi", "map", "png", {"dpi": 150}, False),
    ("map PNG A4 300 dpi", "map", "png", {"dpi": 300}, True),
    ("map PNG 16:9 300 dpi, site markers", "map", "png", {"dpi": 300, "size": "16:9", "show_sites": True}, True),
    ("map PDF A4 (vector)", "map", "pdf", {}, False),
    ("briefing PDF (2 pages)", "briefing", "pdf", {}, False),
    ("data CSV (442 desa)", "data", "csv", {}, False),
    ("data XLSX (desa, kecamatan, priorities, sites)", "data", "xlsx", {}, False),
    ("data GeoJSON (442 desa, full geometry)", "data", "geojson", {}, False),
    ("data GeoPackage (4 layers + keterangan)", "data", "gpkg", {}, False),
)


def _timed(make: Callable[[], bytes], repeat: int) -> tuple[float, int]:
    content: list[bytes] = []
    seconds = best_of(lambda: content.append(make()), repeat=repeat)
    return seconds, len(content[-1])


def run(quick: bool = False) -> list[BenchRow]:
    """Time and size each export of the sample at desa level."""
    ensure_built("32.05", stream=None)
    repeat = 1 if quick else 3
    seconds = best_of(load_export_data, repeat=repeat)
    rows = [BenchRow("exports", "load_export_data (sample + sites + priorities)", seconds, "s")]
    data = load_export_data()
    export_bytes(data, "map", "png")  # warm caches (fonts, layers, projections)
    for label, what, fmt, options, slow in EXPORTS:
        if quick and slow:
            continue
        seconds, size = _timed(lambda: export_bytes(data, what, fmt, level="desa", **options), repeat)
        rows.append(BenchRow("exports", f"{label}: time", seconds, "s", target=f"<= {TIME_TARGET_S:g} s",
                             ok=seconds <= TIME_TARGET_S))
        size_target = f"<= {HTML_TARGET_MB:g} MB" if fmt == "html" else ""
        rows.append(BenchRow("exports", f"{label}: size", size / MB, "MB", target=size_target,
                             ok=(size / MB <= HTML_TARGET_MB) if fmt == "html" else None))
    return rows

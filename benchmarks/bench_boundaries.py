"""Boundary build time, web GeoJSON size full vs simplified, GeoPackage load time."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pyogrio

from cli.bench import BenchRow, best_of, stopwatch
from geo.boundaries import load_layer, web_geojson
from geo.build import build_region, gpkg_path

MB = 1_000_000
#: The whole province must build within this (issue 13; one clean over the province took 500-700 s).
PROVINCE_BUILD_S = 90.0


def _region_rows(region: str, label: str, out_dir: Path, size_target: float | None) -> list[BenchRow]:
    with stopwatch() as elapsed:
        build_region(region, out_dir=out_dir, stream=None)
    seconds = elapsed()
    held = {"target": f"<= {PROVINCE_BUILD_S:g} s", "ok": seconds <= PROVINCE_BUILD_S} if region == "32" else {}
    rows = [BenchRow("boundaries", f"build {label} ({region})", seconds, "s", **held)]
    full = len(web_geojson(load_layer("desa", region, out_dir).drop(columns="repaired")).encode()) / MB
    web = len(web_geojson(load_layer("desa_web", region, out_dir)).encode()) / MB
    rows.append(BenchRow("boundaries", f"desa GeoJSON full, {label}", full, "MB"))
    rows.append(BenchRow(
        "boundaries", f"desa GeoJSON simplified, {label}", web, "MB",
        target=f"<= {size_target} MB" if size_target else "",
        ok=(web <= size_target) if size_target else None,
    ))
    path = gpkg_path(region, out_dir)
    rows.append(BenchRow(
        "boundaries", f"load GeoPackage desa layer, {label}",
        best_of(lambda: pyogrio.read_dataframe(path, layer="desa")), "s",
    ))
    return rows


def run(quick: bool = False) -> list[BenchRow]:
    """Build Garut (and, unless quick, Jawa Barat) in a temporary folder and measure."""
    with tempfile.TemporaryDirectory(prefix="bench-boundaries-") as tmp:
        out_dir = Path(tmp)
        rows = _region_rows("32.05", "Garut", out_dir, size_target=0.5)
        if not quick:
            rows += _region_rows("32", "Jawa Barat", out_dir, size_target=None)
    return rows

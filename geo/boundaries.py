"""Public entry points to the built boundaries: build if needed, load, summarise.

>>> from geo.boundaries import load_layer
>>> kec = load_layer("kecamatan_web")          # Garut, display geometry
"""

from __future__ import annotations

import json
import os
import sys
import threading
from functools import lru_cache
from pathlib import Path
from typing import TextIO

import geopandas as gpd
import pandas as pd
import pyogrio

from core.errors import SourceNotFoundError
from geo.build import (
    BUILD_VERSION,
    BuildParams,
    build_region,
    gpkg_path,
    params_for,
    source_fingerprint,
)
from geo.gpkg import read_build_info
from geo.paths import boundaries_source_dir
from geo.quality import measure_coverage
from geo.region import region_title, resolve_region
from geo.source import desa_files

SPATIAL_LAYERS = ("desa", "kecamatan", "kabupaten", "desa_web", "kecamatan_web", "kabupaten_web")
TABLE_LAYERS = ("alias_nama", "kecamatan_bps", "build_info")


def is_current(path: Path, source_files: list[Path], params: BuildParams | None = None) -> bool:
    """Tell whether a built GeoPackage matches the source files and parameters (default: the region's own)."""
    if not path.is_file():
        return False
    info = read_build_info(path)
    if params is None:
        params = params_for(info["region"]) if info.get("region") else BuildParams()
    return (
        info.get("build_version") == BUILD_VERSION
        and info.get("source_sha256") == source_fingerprint(source_files)
        and info.get("simplify_tolerance_m") == str(params.simplify_tolerance_m)
        and info.get("gap_width_m") == str(params.gap_width_m)
        and info.get("web_precision_deg") == str(params.web_precision_deg)
    )


def ensure_built(
    region: str | None = None,
    source: str | os.PathLike[str] | None = None,
    out_dir: Path | None = None,
    force: bool = False,
    stream: TextIO | None = sys.stderr,
) -> Path:
    """Return the region's GeoPackage, building it first if missing or stale.

    Parameters
    ----------
    region : str, optional
        Region code; default the region in use (:func:`geo.region.region_in_use`, Garut unless
        ``PETA_REGION`` is set).
    source : path-like, optional
        Boundary source folder; see :mod:`geo.paths`.
    out_dir : pathlib.Path, optional
        Output folder.
    force : bool
        Rebuild even when the existing file is current.
    stream : file-like, optional
        Progress output.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    SourceNotFoundError
        If the GeoPackage must be (re)built and the source is missing.  A
        current GeoPackage is used without the source only when the source is
        absent altogether (a deployment that ships only the built file).
    """
    region = resolve_region(region)
    path = gpkg_path(region, out_dir)
    try:
        files = desa_files(boundaries_source_dir(source), region)
    except SourceNotFoundError:
        if path.is_file() and read_build_info(path).get("build_version") == BUILD_VERSION and not force:
            return path
        raise
    if force or not is_current(path, files):
        build_region(region, source=source, out_dir=out_dir, stream=stream)
    return path


@lru_cache(maxsize=32)
def _read_layer_cached(path: str, mtime: float, layer: str) -> pd.DataFrame:
    if layer in TABLE_LAYERS:
        return pyogrio.read_dataframe(path, layer=layer, read_geometry=False)
    return pyogrio.read_dataframe(path, layer=layer)


def load_layer(
    layer: str,
    region: str | None = None,
    out_dir: Path | None = None,
    stream: TextIO | None = sys.stderr,
) -> gpd.GeoDataFrame | pd.DataFrame:
    """Load one layer of a region's built GeoPackage (cached in memory).

    Parameters
    ----------
    layer : str
        One of ``desa``, ``kecamatan``, ``kabupaten``, their ``*_web``
        display copies, or the tables ``alias_nama``, ``kecamatan_bps``,
        ``build_info``.
    region : str, optional
        Region code; default the region in use (:func:`geo.region.region_in_use`).
    out_dir : pathlib.Path, optional
        Folder of the GeoPackage.
    stream : file-like, optional
        Where the build's progress goes when the region is not built yet (``None``: silence).

    Returns
    -------
    GeoDataFrame or DataFrame
        A copy; callers may modify it.

    Raises
    ------
    SourceNotFoundError
        If the region has not been built and cannot be (the boundary source is missing); the message
        gives the command.
    ValueError
        If ``layer`` is not a known layer name.
    """
    if layer not in SPATIAL_LAYERS + TABLE_LAYERS:
        raise ValueError(
            f"Unknown boundary layer {layer!r}; choose one of {SPATIAL_LAYERS + TABLE_LAYERS}."
        )
    region = resolve_region(region)
    path = gpkg_path(region, out_dir)
    if not path.is_file():
        _build_on_demand(region, path, out_dir, stream)
    return _read_layer_cached(str(path), path.stat().st_mtime, layer).copy()


_BUILDING = threading.Lock()


def _build_on_demand(region: str, path: Path, out_dir: Path | None, stream: TextIO | None) -> None:
    """Build a region asked for the first time (one build at a time in a process); say how if it cannot be."""
    with _BUILDING:
        if path.is_file():          # built by another thread while this one waited
            return
        try:
            ensure_built(region, out_dir=out_dir, stream=stream)
        except SourceNotFoundError as exc:
            raise SourceNotFoundError("boundaries.not_built", region=region, path=path) from exc


def region_name(region: str | None = None) -> str:
    """The region's name for titles and messages: ``Kabupaten Garut``, ``Kota Bandung``, ``Provinsi Jawa Barat``.

    ``region``: default the region in use (its boundaries are built first when needed).
    """
    region = resolve_region(region)
    return region_title(region, load_layer("kabupaten", region)["nama"])


def web_geojson(layer: gpd.GeoDataFrame) -> str:
    """Serialise a display layer as compact GeoJSON (what a web map sends).

    Parameters
    ----------
    layer : GeoDataFrame
        In EPSG:4326.

    Returns
    -------
    str
        GeoJSON without ids or whitespace.
    """
    return layer.to_json(drop_id=True, separators=(",", ":"))


def summary(region: str | None = None, out_dir: Path | None = None) -> dict[str, object]:
    """Summarise a built region: counts, validity, area, sizes, topology.

    Parameters
    ----------
    region : str, optional
        Default the region in use.
    out_dir : pathlib.Path, optional

    Returns
    -------
    dict
        ``region``, ``kecamatan``, ``desa``, ``kelurahan``,
        ``invalid_geometries`` (over all spatial layers), ``area_km2``,
        ``web_geojson_bytes`` (display desa and kecamatan), ``full_geojson_bytes``,
        ``gaps_km2`` and ``overlaps_km2`` between neighbouring simplified desa,
        ``repaired_geometries`` and ``reference_check``.
    """
    region = resolve_region(region)
    layers = {name: load_layer(name, region, out_dir) for name in SPATIAL_LAYERS}
    desa = layers["desa"]
    quality = measure_coverage(layers["desa_web"])
    info = load_layer("build_info", region, out_dir)
    info = dict(zip(info["key"], info["value"]))
    return {
        "region": region,
        "kabupaten": int(len(layers["kabupaten"])),
        "kecamatan": int(len(layers["kecamatan"])),
        "desa": int(len(desa)),
        "kelurahan": int((desa["jenis"] == "kelurahan").sum()),
        "invalid_geometries": int(sum((~g.is_valid | g.is_empty).sum() for g in layers.values())),
        "repaired_geometries": int(desa["repaired"].sum()),
        "area_km2": round(float(desa["area_km2"].sum()), 2),
        "web_geojson_bytes": {
            "desa": len(web_geojson(layers["desa_web"]).encode()),
            "kecamatan": len(web_geojson(layers["kecamatan_web"]).encode()),
        },
        "full_geojson_bytes": {
            "desa": len(web_geojson(desa.drop(columns="repaired")).encode()),
            "kecamatan": len(web_geojson(layers["kecamatan"]).encode()),
        },
        "gaps_km2": round(quality.gaps_km2, 6),
        "overlaps_km2": round(quality.overlaps_km2, 6),
        "simplify_tolerance_m": float(info.get("simplify_tolerance_m", "nan")),
        "reference_check": json.loads(info.get("reference_check", "{}")),
        "gpkg": str(gpkg_path(region, out_dir)),
    }

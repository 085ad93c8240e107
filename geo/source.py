"""Read the Kemendagri 2025 boundary SQL dumps (cahyadsn/wilayah_boundaries).

The dumps are MySQL ``INSERT`` statements with one row per line::

    ('32.05.01.1001','Kota Kulon',-7.226,107.909,'[[[-7.2203,107.9149],...]]'),

``path`` is a JSON string of **[lat, lng]** pairs (latitude first, the reverse
of GeoJSON).  Nesting depth 3 is a Polygon given as a list of rings, depth 4
is a MultiPolygon.  This module turns those rows into shapely geometries in
(x=lng, y=lat) order and fails loudly, naming the file and line, on anything
it cannot read.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from core.errors import RegionError, SourceCorruptError, SourceNotFoundError
from geo.region import validate_region

_ROW = re.compile(
    r"""^\s*\(\s*
        '(?P<kode>[0-9.]+)'\s*,\s*
        '(?P<nama>(?:[^'\\]|\\.|'')*)'\s*,\s*
        (?P<lat>-?[0-9.eE+-]+|NULL)\s*,\s*
        (?P<lng>-?[0-9.eE+-]+|NULL)\s*,\s*
        '(?P<path>[^']*)'\s*
        \)\s*[,;]?\s*$""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class BoundaryRow:
    """One row of a boundary dump, with its geometry in (lng, lat) order."""

    kode: str
    nama: str
    geometry: BaseGeometry
    source: str
    line: int


def _require_dir(source_dir: Path) -> Path:
    if not source_dir.is_dir():
        raise SourceNotFoundError(
            "source.folder_missing", source_dir=source_dir
        )
    return source_dir


def desa_files(source_dir: Path, region: str) -> list[Path]:
    """Return the desa/kelurahan dump files that cover a region.

    Parameters
    ----------
    source_dir : pathlib.Path
        The ``wilayah_boundaries`` folder.
    region : str
        Province (``"32"``) or kabupaten/kota (``"32.05"``) code.

    Returns
    -------
    list of pathlib.Path
        One file per kabupaten/kota, sorted by code.

    Raises
    ------
    SourceNotFoundError
        If the folder or the region's files are missing.
    RegionError
        If the province folder exists but the kabupaten has no file.
    """
    region = validate_region(region)
    prov = region[:2]
    kel_dir = _require_dir(source_dir) / "db" / "kel" / prov
    if not kel_dir.is_dir():
        raise SourceNotFoundError(
            "source.no_province", prov=prov, kel_dir=kel_dir, source_dir=source_dir
        )
    files = sorted(kel_dir.glob(f"wilayah_boundaries_kel_{prov}.*.sql"))
    if len(region) == 5:
        files = [f for f in files if f.name == f"wilayah_boundaries_kel_{region}.sql"]
        if not files:
            available = ", ".join(
                sorted(p.stem.rsplit("_", 1)[-1] for p in kel_dir.glob("*.sql"))
            )
            raise RegionError(
                "source.region_missing", region=region, kel_dir=kel_dir, available=available
            )
    if not files:
        raise SourceNotFoundError(
            "source.no_desa_files", prov=prov, kel_dir=kel_dir
        )
    return files


def _unescape_sql(text: str) -> str:
    return text.replace("''", "'").replace("\\'", "'").replace('\\"', '"').replace("\\\\", "\\")


def path_to_geometry(path_json: str) -> BaseGeometry:
    """Convert a ``path`` value ([lat, lng] pairs) to a shapely geometry.

    Parameters
    ----------
    path_json : str
        JSON text nested 3 deep (Polygon as a list of rings) or 4 deep
        (MultiPolygon as a list of polygons).

    Returns
    -------
    shapely.Polygon or shapely.MultiPolygon
        With coordinates swapped to (x=lng, y=lat).

    Raises
    ------
    ValueError
        If the JSON is malformed or nested at another depth.
    """
    data = json.loads(path_json)
    depth = 0
    probe = data
    while isinstance(probe, list) and probe:
        depth += 1
        probe = probe[0]
    if depth == 3:
        polygons = [data]
    elif depth == 4:
        polygons = data
    else:
        raise ValueError(f"path is nested {depth} deep; expected 3 (Polygon) or 4 (MultiPolygon)")
    parts = []
    for rings in polygons:
        arrays = [np.asarray(ring, dtype=float)[:, ::-1] for ring in rings]
        parts.append(shapely.Polygon(arrays[0], arrays[1:]))
    return parts[0] if depth == 3 else shapely.MultiPolygon(parts)


def read_dump(path: Path, code_length: int | None = None) -> list[BoundaryRow]:
    """Read every row of one boundary dump file.

    Parameters
    ----------
    path : pathlib.Path
        A ``wilayah_boundaries_*.sql`` file.
    code_length : int, optional
        Keep only rows whose ``kode`` has this many characters (13 = desa,
        8 = kecamatan, 5 = kabupaten).

    Returns
    -------
    list of BoundaryRow

    Raises
    ------
    SourceCorruptError
        If a value row cannot be parsed, naming the file, line and code.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SourceCorruptError(
            "source.not_utf8", path=path, error=exc
        ) from exc
    rows: list[BoundaryRow] = []
    in_values = False
    for lineno, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.upper().startswith("INSERT INTO"):
            in_values = True
            continue
        if not in_values or not stripped.startswith("("):
            continue
        match = _ROW.match(line)
        if match is None:
            raise SourceCorruptError(
                "source.unparsable_row", path=path, lineno=lineno, start=repr(stripped[:60])
            )
        kode = match["kode"]
        if code_length is not None and len(kode) != code_length:
            continue
        try:
            geometry = path_to_geometry(match["path"])
        except (ValueError, IndexError, TypeError) as exc:
            raise SourceCorruptError(
                "source.bad_polygon", path=path, lineno=lineno, kode=kode, error=exc
            ) from exc
        rows.append(BoundaryRow(kode, _unescape_sql(match["nama"]), geometry, path.name, lineno))
    if not rows:
        if code_length:
            raise SourceCorruptError("source.no_rows_with_code_length", path=path, code_length=code_length)
        raise SourceCorruptError("source.no_rows", path=path)
    return rows


def read_names(source_dir: Path, level: str, prefix: str) -> dict[str, str]:
    """Read the names (not the geometry) of kecamatan or kabupaten rows.

    Parameters
    ----------
    source_dir : pathlib.Path
        The ``wilayah_boundaries`` folder.
    level : {"kec", "kab"}
        Which dump to read.
    prefix : str
        Keep codes that start with this (e.g. ``"32.05"``).

    Returns
    -------
    dict
        ``{kode: nama}``.
    """
    prov = prefix[:2]
    path = _require_dir(source_dir) / "db" / level / f"wilayah_boundaries_{level}_{prov}.sql"
    if not path.is_file():
        raise SourceNotFoundError(
            "source.names_missing", path=path, source_dir=source_dir
        )
    names: dict[str, str] = {}
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = re.match(r"^\s*\(\s*'([0-9.]+)'\s*,\s*'((?:[^'\\]|\\.|'')*)'", line)
        if match and match[1].startswith(prefix):
            names[match[1]] = _unescape_sql(match[2])
    return names

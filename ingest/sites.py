"""High-risk informal work sites: read, validate, join to desa, count, measure.

A sites file (CSV, XLSX or GeoJSON) has one site per row with ``name``,
``category``, ``lat`` and ``lon`` (Indonesian and common spreadsheet names
are accepted, see :data:`COLUMN_ALIASES`) and optionally ``est_workers``,
``operator`` and ``contact``.  :func:`check_sites_file` reads it, validates
every row against the desa polygons and returns the accepted sites with
their desa plus one problem per bad cell.  Nothing is silently fixed: a
point whose latitude and longitude look swapped is *rejected*, and the
problem says where the swapped point would fall.

``contact`` (and ``operator``) may name a person: they are kept as data for
the app but never written to reports, problems or logs.

>>> from ingest.sites import check_sites_file
>>> check = check_sites_file("my_sites.xlsx")          # doctest: +SKIP
>>> check.report()["rows_rejected"]                    # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from core.errors import InputFileError, SiteFileError, SourceNotFoundError
from core.i18n import DEFAULT_LANG, LANGS, Message, t
from geo.boundaries import load_layer
from geo.build import gpkg_path
from geo.gpkg import read_build_info, write_layers_atomic
from geo.locate import distance_to_nearest, find_corrections, join_desa, locate_points
from geo.paths import GEOGRAPHIC_CRS, METRIC_CRS, PROJECT_ROOT, reference_dir
from geo.region import resolve_region
from ingest.headers import SITE_COLUMN_ALIASES, SITE_LOOKUP, match_alias
from ingest.problems import Problem, mask_personal
from ingest.reader import HEADER_SCAN_ROWS, load_source, read_grid
from ingest.validation import parse_coordinate

#: Known site categories and their Indonesian labels.
#: Known site categories (codes); their labels are the catalog's ``sites.category.<code>``.
_CATEGORY_CODES = ("rafting", "river_tubing", "crater_tourism", "beach_tourism", "fishing_port", "hot_spring",
                   "tannery", "quarry", "geothermal", "plantation", "lake_boats", "market_porters")
#: Known site categories and their Indonesian labels (read from the catalog).
KNOWN_CATEGORIES: dict[str, str] = {code: t(f"sites.category.{code}", "id") for code in _CATEGORY_CODES}
#: Group of every category not in :data:`KNOWN_CATEGORIES` (also empty cells).
OTHER_CATEGORY = "lainnya"


#: Canonical column -> accepted header spellings (package data: ``ingest/aliases.json``).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = SITE_COLUMN_ALIASES
REQUIRED_COLUMNS = ("name", "category", "lat", "lon")
#: Input columns renamed because the desa join writes columns of that name.
_RENAMED_INPUT = {"kode_desa": "kode_desa_file", "desa": "desa_file", "kecamatan": "kecamatan_file",
                  "kode_kec": "kode_kec_file", "row": "row_file", "geometry": "geometry_file"}
#: Two rows with the same name this close together are one site.
DUPLICATE_DISTANCE_M = 100.0
#: Bump when the built illustrative layer changes for the same inputs.
SITES_BUILD_VERSION = "1"
SUPPORTED_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm", ".geojson", ".json")


# --------------------------------------------------------------------------- problems




@dataclass
class SiteCheck:
    """Result of reading and validating a sites file.

    Attributes
    ----------
    source : str
        File name (no folder, for reports).
    rows_in : int
        Non-blank data rows read.
    sites : GeoDataFrame
        Accepted sites in EPSG:4326: ``row``, ``name``, ``category`` (as
        written), ``category_group`` (known category or ``lainnya``),
        ``category_label``, ``lat``, ``lon``, ``est_workers`` (float, NaN =
        unknown), ``operator``, ``contact``, ``kode_desa``, ``desa``,
        ``kode_kec``, ``kecamatan``, then any other input columns.
    problems : list of Problem
    """

    source: str
    rows_in: int
    sites: gpd.GeoDataFrame
    problems: list[Problem] = field(default_factory=list)

    @property
    def rows_matched(self) -> int:
        """Rows accepted (inside a desa of the region)."""
        return int(len(self.sites))

    @property
    def rows_rejected(self) -> int:
        """Rows rejected; ``rows_in == rows_matched + rows_rejected``."""
        return self.rows_in - self.rows_matched

    def report(self) -> dict[str, Any]:
        """JSON-ready report; never contains ``contact`` or ``operator`` values."""
        sites = [
            {"row": int(r.row), "name": r.name, "category": r.category_group,
             "kode_desa": r.kode_desa, "desa": r.desa, "kecamatan": r.kecamatan}
            for r in self.sites.itertuples()
        ]
        return {
            "source": self.source,
            "rows_in": self.rows_in,
            "rows_matched": self.rows_matched,
            "rows_rejected": self.rows_rejected,
            "problems": [p.as_dict() for p in self.problems],
            "sites": sites,
        }


# --------------------------------------------------------------------------- categories


def _key(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", str(text).strip().casefold())


_CATEGORY_LOOKUP = {
    **{_key(t(f"sites.category.{cat}", lang)): cat for cat in KNOWN_CATEGORIES for lang in LANGS},
    **{cat: cat for cat in KNOWN_CATEGORIES},
}


def category_group(category: object) -> str:
    """Return the known category a value names (code or Indonesian label), else ``lainnya``."""
    if category is None or (isinstance(category, float) and math.isnan(category)):
        return OTHER_CATEGORY
    return _CATEGORY_LOOKUP.get(_key(str(category)), OTHER_CATEGORY)


def category_label(group: str, lang: str = DEFAULT_LANG) -> str:
    """Label of a category group in a language (``lainnya`` for an unknown group)."""
    return t(f"sites.category.{group if group in KNOWN_CATEGORIES else OTHER_CATEGORY}", lang)


# --------------------------------------------------------------------------- reading


@dataclass
class _Table:
    columns: dict[str, str]            # canonical or passthrough name -> original header
    records: list[tuple[int, dict[str, Any]]]   # (spreadsheet row, {name: raw value})


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, float) and math.isnan(value))


def _map_header(header: list[Any], source: str) -> list[str | None]:
    """Return the canonical/passthrough name of every header cell."""
    names: list[str | None] = []
    seen: dict[str, str] = {}
    for cell in header:
        if _blank(cell):
            names.append(None)
            continue
        key = _key(str(cell))
        name = match_alias(cell, SITE_LOOKUP) or _RENAMED_INPUT.get(key, key)
        if name in seen:
            raise SiteFileError(
                "sites.columns_same_meaning",
                source=source,
                first=repr(mask_personal(seen[name])),
                second=repr(mask_personal(str(cell))),
                name=repr(name),
            )
        seen[name] = str(cell)
        names.append(name)
    missing = [c for c in REQUIRED_COLUMNS if c not in seen]
    if missing and not any(match_alias(cell, SITE_LOOKUP) for cell in header if not _blank(cell)):
        # No cell names a known column: the first row is data (no header), so its cells (names,
        # phone numbers) are not quoted back.
        raise SiteFileError("sites.no_header_row", source=source, n=len([c for c in header if not _blank(c)]),
                            accepted="; ".join(f"{c}: {', '.join(COLUMN_ALIASES[c])}" for c in REQUIRED_COLUMNS))
    if missing:
        accepted = "; ".join(f"{c}: {', '.join(COLUMN_ALIASES[c])}" for c in missing)
        raise SiteFileError(
            "sites.required_columns_missing",
            source=source,
            missing=missing,
            header=[mask_personal(str(c)) for c in header if not _blank(c)],
            accepted=accepted,
        )
    return names


def _records(rows: list[tuple[int, list[Any]]], source: str) -> _Table:
    rows = [(n, cells) for n, cells in rows if not all(_blank(c) for c in cells)]
    if not rows:
        raise SiteFileError("sites.empty", source=source)
    (header_row, header), data = rows[0], rows[1:]
    names = _map_header(list(header), source)
    columns = {n: str(h) for n, h in zip(names, header) if n is not None}
    records = []
    for number, cells in data:
        values = {n: (cells[i] if i < len(cells) else None) for i, n in enumerate(names) if n is not None}
        for i in range(len(names), len(cells)):
            if not _blank(cells[i]):
                raise SiteFileError(
                    "sites.value_without_header",
                    source=source,
                    row=number,
                    value=repr(cells[i]),
                    column=i + 1,
                    header_row=header_row,
                    n=len(names),
                )
        records.append((number, values))
    return _Table(columns, records)


def _holds_sites_header(grid: pd.DataFrame) -> bool:
    """Whether a sheet's first rows hold a header naming the required columns (name, category, lat, lon)."""
    for _, row in grid.head(HEADER_SCAN_ROWS).iterrows():
        if sum(match_alias(cell, SITE_LOOKUP) in REQUIRED_COLUMNS for cell in row if not _blank(cell)) >= 3:
            return True
    return False


def _read_table(name: str, data: bytes, sheet: str | int | None) -> _Table:
    """CSV/TXT/XLSX through the one table reader (encodings, delimiters, ``sep=`` lines, sheets, limits)."""
    grid, meta, _merged = read_grid(name, data, sheet, holds_table=_holds_sites_header)
    rows = [(number, list(cells)) for number, cells in enumerate(grid.itertuples(index=False), start=1)]
    source = name if meta.get("sheet") is None else f"{name} ({meta['sheet']!r})"
    return _records(rows, source)


def _read_geojson(name: str, content: bytes) -> _Table:
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SiteFileError("sites.bad_geojson", file=name, error=exc) from exc
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise SiteFileError("sites.not_a_feature_collection", file=name)
    header: list[str] = []
    prepared = []
    for feature in features:
        props = dict((feature or {}).get("properties") or {})
        geometry = (feature or {}).get("geometry")
        if geometry is not None:
            props["geometry"] = geometry
        prepared.append(props)
        header.extend(k for k in props if k not in header)
    for canonical in ("lat", "lon"):
        if not any(match_alias(h, SITE_LOOKUP) == canonical for h in header) and "geometry" in header:
            header.append(canonical)
    names = _map_header(header, name)
    columns = {n: h for n, h in zip(names, header) if n is not None}
    records = []
    for number, props in enumerate(prepared, start=2):
        values = {n: props.get(h) for n, h in zip(names, header) if n is not None}
        geometry = props.get("geometry")
        if geometry is not None:
            coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
            if (isinstance(geometry, dict) and geometry.get("type") == "Point"
                    and isinstance(coords, list) and len(coords) >= 2):
                values["lon"], values["lat"] = coords[0], coords[1]
            else:
                kind = geometry.get("type") if isinstance(geometry, dict) else type(geometry).__name__
                values["lon"] = values["lat"] = None
                values["_geometry_error"] = kind
        records.append((number, values))
    columns.pop("geometry_file", None)
    return _Table(columns, records)


def read_sites_table(path: str | os.PathLike[str] | bytes, filename: str | None = None,
                     sheet: str | int | None = None) -> _Table:
    """Read a sites file into header names and raw records with their row numbers.

    CSV, TXT and XLSX go through :func:`ingest.reader.read_grid`, the reader of
    every upload (BOM, UTF-16, cp1252, ``;`` and ``sep=`` lines, sheet choice,
    size limit); GeoJSON is read as a FeatureCollection of points.

    Parameters
    ----------
    path : path-like or bytes
        The file, or its content (then ``filename`` names it).
    filename : str, optional
        Name used in messages (default the path's name).
    sheet : str or int, optional
        XLSX sheet; default the one sheet whose header names the site columns.

    Raises
    ------
    SiteFileError
        If the file is missing, of an unsupported type, not decodable or
        lacks a required column.
    """
    if isinstance(path, (bytes, bytearray, memoryview)):
        name = Path(filename or "upload").name
    else:
        if not Path(path).is_file():
            raise SiteFileError("sites.file_missing", path=path)
        name = filename or Path(path).name
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise SiteFileError(
            "sites.unsupported_type", file=name, suffix=suffix or '(none)',
            choices=', '.join(SUPPORTED_SUFFIXES))
    try:
        name, content = load_source(path, filename=name)
        if suffix in (".geojson", ".json"):
            return _read_geojson(name, content)
        return _read_table(name, content, sheet)
    except InputFileError as exc:  # the reader's words, as a sites-file error
        raise SiteFileError(exc.key, **exc.params) from exc


# --------------------------------------------------------------------------- joining


#: The region of the illustrative sites (Garut's): they are located on its desa whatever the region in use.
ILLUSTRATIVE_REGION = "32.05"


def default_desa() -> gpd.GeoDataFrame:
    """The desa layer (full geometry) of the region in use, which a sites file is joined to."""
    return load_layer("desa")








# --------------------------------------------------------------------------- validation


def _number(value: Any) -> float | None:
    """Parse a coordinate or count: numbers, '1.5', '1,5' (decimal comma), '−7.2'."""
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError("boolean")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = str(value).strip().replace("\u2212", "-").replace(" ", "")
        if "," in text and "." not in text and text.count(",") == 1:
            text = text.replace(",", ".")
        number = float(text)
    if not math.isfinite(number):
        raise ValueError("not finite")
    return number


def _shown(value: Any) -> str:
    return "" if _blank(value) else str(value)


def _fmt(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _outside_problem(row: int, lat: float, lon: float, desa: gpd.GeoDataFrame,
                     region: str, shown: str) -> list[Problem]:
    kinds, alt_lats, alt_lons, where = find_corrections([lat], [lon], lambda x, y: locate_points(x, y, desa))
    if kinds[0] is not None:
        what, alt_lat, alt_lon = kinds[0], float(alt_lats[0]), float(alt_lons[0])
        hit = desa.iloc[int(where[0])]
        position = {"lat": alt_lat, "lon": alt_lon, "kode_desa": hit["kode"],
                    "desa": hit["nama"], "kecamatan": hit["kecamatan"]}
        return [Problem(
            row, "lat", shown,
            Message("sites.problem.outside_probably", region=region, what=Message(f"sites.fix.{what}")),
            Message("sites.suggest.corrected_position", lat=_fmt(alt_lat), lon=_fmt(alt_lon),
                    desa=hit["nama"], kecamatan=hit["kecamatan"], kode=hit["kode"]),
            suggested_position=position,
        )]
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return [Problem(row, "lat", shown, Message("sites.problem.out_of_range"),
                        Message("sites.suggest.decimal_degrees_example"))]
    distance, nearest = distance_to_nearest(lon, lat, desa)
    hit = desa.iloc[nearest]
    return [Problem(
        row, "lat", shown,
        Message("sites.problem.outside_km", region=region, km=f"{distance / 1000:.1f}"),
        Message("sites.suggest.nearest_desa", desa=hit["nama"], kecamatan=hit["kecamatan"], kode=hit["kode"]),
    )]


def validate_sites(table: _Table, desa: gpd.GeoDataFrame, source: str = "",
                   region: str = "Kabupaten Garut") -> SiteCheck:
    """Validate raw records and join the accepted ones to desa.

    Parameters
    ----------
    table : _Table
        From :func:`read_sites_table`.
    desa : GeoDataFrame
        Desa polygons in EPSG:4326 with ``kode``, ``nama``, ``kode_kec``, ``kecamatan``.
    source : str
        File name for the report.
    region : str
        Region name used in messages.

    Returns
    -------
    SiteCheck
    """
    problems: dict[int, list[Problem]] = {}
    parsed: list[dict[str, Any]] = []

    def add(problem: Problem) -> None:
        problems.setdefault(problem.row, []).append(problem)

    for row, values in table.records:
        item = {"row": row, **{k: v for k, v in values.items() if not k.startswith("_")},
                "_lat_in": values.get("lat"), "_lon_in": values.get("lon")}
        if _blank(values.get("name")):
            add(Problem(row, "name", "", Message("sites.problem.empty_name"), Message("sites.suggest.fill_name")))
        else:
            item["name"] = str(values["name"]).strip()
        if "_geometry_error" in values:
            add(Problem(row, "geometry", str(values["_geometry_error"]),
                        Message("sites.problem.not_a_point"), Message("sites.suggest.use_point")))
        for column in ("lat", "lon"):
            item[column], why = parse_coordinate(values.get(column))  # the parser of every coordinate
            if why == "missing_value":
                if "_geometry_error" not in values:
                    add(Problem(row, column, "", Message("sites.problem.empty_coordinate"),
                                Message("sites.suggest.fill_coordinates")))
            elif why:
                add(Problem(row, column, _shown(values.get(column)), Message(f"reason.{why}"),
                            Message("sites.suggest.decimal_degrees")))
        try:
            workers = _number(values.get("est_workers"))
        except ValueError:
            add(
                Problem(
                    row,
                    "est_workers",
                    _shown(values.get("est_workers")),
                    Message("sites.problem.workers_not_a_number"),
                    Message("sites.suggest.whole_number_or_blank"),
                )
            )
        else:
            if workers is not None and (workers < 0 or workers != int(workers)):
                add(
                    Problem(
                        row,
                        "est_workers",
                        _shown(values.get("est_workers")),
                        Message("sites.problem.workers_not_whole"),
                        Message("sites.suggest.whole_number_or_blank"),
                    )
                )
            item["est_workers"] = np.nan if workers is None else workers
        raw_category = values.get("category")
        item["category"] = "" if _blank(raw_category) else str(raw_category).strip()
        item["category_group"] = category_group(raw_category if not _blank(raw_category) else None)
        if item["category_group"] == OTHER_CATEGORY and _key(item["category"]) != OTHER_CATEGORY:
            add(Problem(row, "category", item["category"],
                        Message("sites.problem.unknown_category") if item["category"]
                        else Message("sites.problem.empty_category"),
                        Message("sites.suggest.known_categories", categories=", ".join(KNOWN_CATEGORIES)),
                        rejected=False))
        parsed.append(item)

    rejected = {row for row, found in problems.items() if any(p.rejected for p in found)}
    located = [p for p in parsed if p["row"] not in rejected]
    joined = join_desa([p["lon"] for p in located], [p["lat"] for p in located], desa)
    accepted = []
    for item, (_, hit) in zip(located, joined.iterrows()):
        if pd.isna(hit["kode_desa"]):
            shown = f"lat={_shown(item['_lat_in'])}, lon={_shown(item['_lon_in'])}"
            for problem in _outside_problem(item["row"], item["lat"], item["lon"], desa, region, shown):
                add(problem)
            continue
        item.update(hit.to_dict())
        accepted.append(item)

    accepted = _reject_duplicates(accepted, add)
    for item in accepted:
        stated = item.get("kode_desa_file")
        if not _blank(stated) and str(stated).strip() != item["kode_desa"]:
            add(Problem(item["row"], "kode_desa", str(stated),
                        Message("sites.problem.kode_differs", desa=item["desa"], kecamatan=item["kecamatan"],
                                kode=item["kode_desa"]),
                        Message("sites.suggest.map_uses_point"), rejected=False))

    extra = [c for c in table.columns if c not in COLUMN_ALIASES and c not in ("row",)]
    columns = ["row", "name", "category", "category_group", "category_label", "lat", "lon",
               "est_workers", "operator", "contact", "kode_desa", "desa", "kode_kec", "kecamatan"]
    frame = pd.DataFrame(accepted, columns=list(dict.fromkeys(columns + extra)))
    frame["category_label"] = frame["category_group"].map(category_label)
    frame["est_workers"] = frame["est_workers"].astype(float)
    frame["row"] = frame["row"].astype(int)
    for column in ("operator", "contact"):
        frame[column] = frame[column].map(lambda v: None if _blank(v) else str(v).strip())
    sites = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]),
                             crs=GEOGRAPHIC_CRS)
    flat = sorted((p for found in problems.values() for p in found), key=lambda p: (p.row, not p.rejected))
    return SiteCheck(source=source, rows_in=len(table.records), sites=sites, problems=flat)


def _reject_duplicates(items: list[dict[str, Any]], add: Callable[[Problem], None]) -> list[dict[str, Any]]:
    """Reject a row repeating an earlier row's name within DUPLICATE_DISTANCE_M; warn on shared points."""
    if not items:
        return items
    xy = gpd.GeoSeries(gpd.points_from_xy([i["lon"] for i in items], [i["lat"] for i in items]),
                       crs=GEOGRAPHIC_CRS).to_crs(METRIC_CRS)
    first_by_name: dict[str, list[int]] = {}
    first_by_point: dict[tuple[float, float], int] = {}
    kept = []
    for pos, item in enumerate(items):
        name_key = re.sub(r"\s+", " ", item["name"].casefold())
        earlier = [j for j in first_by_name.get(name_key, [])
                   if xy.iloc[pos].distance(xy.iloc[j]) <= DUPLICATE_DISTANCE_M]
        if earlier:
            first = items[earlier[0]]
            distance = xy.iloc[pos].distance(xy.iloc[earlier[0]])
            add(Problem(item["row"], "name", item["name"],
                        Message("sites.problem.duplicate", row=first["row"], metres=f"{distance:.0f}"),
                        Message("sites.suggest.delete_duplicate")))
            continue
        first_by_name.setdefault(name_key, []).append(pos)
        point_key = (round(item["lat"], 5), round(item["lon"], 5))
        if point_key in first_by_point:
            other = items[first_by_point[point_key]]
            add(Problem(item["row"], "lat", f"lat={_fmt(item['lat'])}, lon={_fmt(item['lon'])}",
                        Message("sites.problem.same_position", row=other["row"], name=other["name"]),
                        Message("sites.suggest.both_mapped"), rejected=False))
        else:
            first_by_point[point_key] = pos
        kept.append(item)
    return kept


def check_sites_bytes(content: bytes, filename: str, desa: gpd.GeoDataFrame | None = None) -> SiteCheck:
    """Check an uploaded sites file (CSV, XLSX or GeoJSON) given as bytes.

    Parameters
    ----------
    content : bytes
        The file as uploaded.
    filename : str
        Its name; the extension decides how it is read and messages name it.
    desa : GeoDataFrame, optional
        See :func:`check_sites_file`.

    Returns
    -------
    SiteCheck
        As :func:`check_sites_file`, with ``source`` = ``filename``.
    """
    table = read_sites_table(content, filename=filename)
    return validate_sites(table, default_desa() if desa is None else desa, source=filename)


def check_sites_file(path: str | os.PathLike[str], desa: gpd.GeoDataFrame | None = None) -> SiteCheck:
    """Read, validate and join a sites file (CSV, XLSX or GeoJSON).

    Parameters
    ----------
    path : path-like
    desa : GeoDataFrame, optional
        Desa polygons (default: the built Garut ``desa`` layer).

    Returns
    -------
    SiteCheck

    Raises
    ------
    SiteFileError
        If the file cannot be read at all (the CLI exits 2).
    """
    table = read_sites_table(path)
    return validate_sites(table, default_desa() if desa is None else desa, source=Path(path).name)


# --------------------------------------------------------------------------- counts and distances








# --------------------------------------------------------------------------- display




# --------------------------------------------------------------------------- illustrative layer


def sites_dir() -> Path:
    """Folder of built site layers (``$PETA_SITES_DIR`` or ``data/sites``)."""
    env = os.environ.get("PETA_SITES_DIR")
    return Path(env) if env else PROJECT_ROOT / "data" / "sites"


def illustrative_source() -> Path:
    """The shared illustrative CSV (``<shared data>/garut_sites/sites_illustrative.csv``)."""
    return reference_dir("garut_sites") / "sites_illustrative.csv"


def illustrative_gpkg(out_dir: Path | None = None) -> Path:
    """Path of the built illustrative layer."""
    return (out_dir or sites_dir()) / "sites_illustrative.gpkg"


def _fingerprint(source: Path) -> str:
    digest = hashlib.sha256(source.read_bytes())
    boundaries = read_build_info(gpkg_path(ILLUSTRATIVE_REGION))
    digest.update(f"{boundaries.get('build_version')}:{boundaries.get('source_sha256')}".encode())
    return digest.hexdigest()


def ensure_sites_built(source: str | os.PathLike[str] | None = None, out_dir: Path | None = None,
                       force: bool = False, stream: TextIO | None = sys.stderr) -> Path:
    """Build ``data/sites/sites_illustrative.gpkg`` from the shared CSV when missing or stale.

    The CSV is validated like any user file and joined to the built Garut
    desa layer; rows it rejects are printed on ``stream`` (none today).  The
    layer carries ``illustrative = True`` and a ``build_info`` table
    (source fingerprint, counts, the illustrative label).

    Parameters
    ----------
    source : path-like, optional
        Default :func:`illustrative_source`.
    out_dir : pathlib.Path, optional
        Default :func:`sites_dir` (git-ignored ``data/sites``).
    force : bool
        Rebuild even when current.
    stream : file-like, optional
        Where warnings go (``None`` for silence).

    Returns
    -------
    pathlib.Path

    Raises
    ------
    SourceNotFoundError
        If the CSV is missing and no built layer exists.
    """
    source = Path(source) if source else illustrative_source()
    path = illustrative_gpkg(out_dir)
    if not source.is_file():
        if path.is_file() and not force:
            return path
        raise SourceNotFoundError(
            "sites.illustrative_source_missing", source=source
        )
    fingerprint = _fingerprint(source)
    info = read_build_info(path)
    if not force and info.get("fingerprint") == fingerprint and info.get("build_version") == SITES_BUILD_VERSION:
        return path
    check = check_sites_file(source, load_layer("desa", ILLUSTRATIVE_REGION))
    if check.rows_matched == 0:
        raise SourceNotFoundError("sites.no_usable_rows", source=source, problems=check.report()['problems'][:3])
    if stream is not None:
        for problem in check.problems:
            print(f"[sites] {source.name} row {problem.row}: {problem.reason} {problem.suggestion}",
                  file=stream)
    sites = check.sites.copy()
    sites["illustrative"] = True
    info_table = pd.DataFrame({
        "key": ["build_version", "fingerprint", "source", "rows_in", "rows_matched", "rows_rejected", "label"],
        "value": [SITES_BUILD_VERSION, fingerprint, str(source), str(check.rows_in),
                  str(check.rows_matched), str(check.rows_rejected), t("sites.illustrative_label", "id")],
    })
    write_layers_atomic(path, {"sites": sites, "build_info": info_table})
    return path


def load_illustrative_sites(out_dir: Path | None = None, region: str | None = None) -> gpd.GeoDataFrame:
    """The illustrative sites layer (built first if missing or stale), ``illustrative`` = True.

    The layer is Garut's; only its sites inside ``region`` (default the region in use) are returned:
    all of them for Garut and the province, none for another kabupaten/kota.
    """
    path = ensure_sites_built(out_dir=out_dir, stream=None)
    sites = pyogrio.read_dataframe(path, layer="sites")
    sites["illustrative"] = sites["illustrative"].astype(bool)
    prefix = resolve_region(region) + "."
    return sites[sites["kode_desa"].str.startswith(prefix)].reset_index(drop=True)


def load_sites(path: str | os.PathLike[str] | None = None,
               desa: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """Accepted sites of a file, or the illustrative layer when ``path`` is None.

    Rows a file rejects are left out here; use :func:`check_sites_file` to see them.
    """
    if path is None:
        return load_illustrative_sites()
    sites = check_sites_file(path, desa).sites
    sites["illustrative"] = False
    return sites

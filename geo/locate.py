"""Point location: which desa polygon covers each point (one locator for every file).

Sites, participant coordinates and anything else with ``lat``/``lon`` are
placed here, with one vectorised STRtree query over the polygons.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.paths import GEOGRAPHIC_CRS, METRIC_CRS


def locate_points(lon: Any, lat: Any, desa: gpd.GeoDataFrame) -> np.ndarray:
    """Return, for every point, the position in ``desa`` of the polygon covering it.

    Parameters
    ----------
    lon, lat : array-like
        WGS84 coordinates (EPSG:4326).
    desa : GeoDataFrame
        Polygons in EPSG:4326.

    Returns
    -------
    numpy.ndarray
        Integer positions, ``-1`` where no polygon covers the point.  A point
        on a shared border goes to the first polygon in ``desa`` order (the
        lowest kode for the built layers).
    """
    return covering_positions(desa.sindex, len(desa), lon, lat)


def join_desa(lon: Any, lat: Any, desa: gpd.GeoDataFrame) -> pd.DataFrame:
    """Return ``kode_desa``, ``desa``, ``kode_kec``, ``kecamatan`` for every point (NA outside)."""
    where = locate_points(lon, lat, desa)
    inside = where >= 0
    out = pd.DataFrame(index=range(len(where)), columns=["kode_desa", "desa", "kode_kec", "kecamatan"],
                       dtype=object)
    picked = desa.iloc[where[inside]]
    for target, source in (("kode_desa", "kode"), ("desa", "nama"), ("kode_kec", "kode_kec"),
                           ("kecamatan", "kecamatan")):
        out.loc[inside, target] = picked[source].to_numpy()
    return out


def distance_to_nearest(lon: float, lat: float, desa: gpd.GeoDataFrame) -> tuple[float, int]:
    """Metres (EPSG:32748) from a point to the nearest polygon, and that polygon's position.

    Parameters
    ----------
    lon, lat : float
        WGS84 coordinates.
    desa : GeoDataFrame
        Polygons in EPSG:4326.

    Returns
    -------
    (float, int)
    """
    point = gpd.GeoSeries([shapely.Point(lon, lat)], crs=GEOGRAPHIC_CRS)
    nearest = int(desa.sindex.nearest(point.values[0], return_all=False)[1][0])
    polygon = desa.geometry.iloc[[nearest]].to_crs(METRIC_CRS).values[0]
    return float(shapely.distance(point.to_crs(METRIC_CRS).values[0], polygon)), nearest


def covering_positions(index: Any, count: int, lon: Any, lat: Any) -> np.ndarray:
    """Position of the polygon covering each point, from a spatial index of ``count`` polygons.

    Parameters
    ----------
    index : shapely.STRtree or geopandas SpatialIndex
        Built over the polygons (anything with ``query(geoms, predicate=...)``).
    count : int
        Number of polygons in the index.
    lon, lat : array-like
        WGS84 coordinates.

    Returns
    -------
    numpy.ndarray
        Integer positions, ``-1`` where no polygon covers the point; a point
        on a shared border goes to the lowest position.
    """
    points = shapely.points(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    where = np.full(len(points), count, dtype=np.int64)
    if len(points):
        point_idx, poly_idx = index.query(points, predicate="covered_by")
        np.minimum.at(where, point_idx, poly_idx)
    where[where == count] = -1
    return where


#: Mistakes of coordinate columns, tried in this order when a point falls outside the region.
CORRECTIONS: tuple[str, ...] = ("swapped", "sign_flipped", "swapped_sign_flipped")


def corrected(kind: str, lat: Any, lon: Any) -> tuple[Any, Any]:
    """``(lat, lon)`` as they would be if mistake ``kind`` were undone (scalars or arrays).

    ``swapped``: latitude and longitude in each other's column; ``sign_flipped``:
    the latitude's minus sign lost or doubled; ``swapped_sign_flipped``: both.
    """
    if kind == "swapped":
        return lon, lat
    if kind == "sign_flipped":
        return -lat, lon
    if kind == "swapped_sign_flipped":
        return -lon, lat
    raise ValueError(f"Unknown coordinate correction {kind!r}; choose one of {CORRECTIONS}.")


def find_corrections(lat: Any, lon: Any, locate: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For points outside the region, the first :data:`CORRECTIONS` entry that lands inside.

    Parameters
    ----------
    lat, lon : array-like
        WGS84 degrees as written.
    locate : callable
        ``locate(lon, lat) -> positions`` with ``-1`` (or None) outside, e.g.
        ``lambda x, y: locate_points(x, y, desa)``.

    Returns
    -------
    (kinds, lat, lon, where) : numpy arrays
        Per point: the correction (``None`` when none lands inside), the
        corrected coordinates and the position ``locate`` gave for them.
    """
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    kinds = np.full(len(lat), None, dtype=object)
    new_lat, new_lon = np.full(len(lat), np.nan), np.full(len(lat), np.nan)
    where = np.full(len(lat), None, dtype=object)
    for kind in CORRECTIONS:
        todo = np.flatnonzero(pd.isna(kinds))
        if not len(todo):
            break
        alt_lat, alt_lon = corrected(kind, lat[todo], lon[todo])
        valid = (np.abs(alt_lat) <= 90) & (np.abs(alt_lon) <= 180)
        todo, alt_lat, alt_lon = todo[valid], alt_lat[valid], alt_lon[valid]
        if not len(todo):
            continue
        hits = np.asarray(locate(alt_lon, alt_lat), dtype=object)
        inside = np.array([h is not None and not (isinstance(h, (int, np.integer)) and h < 0) for h in hits],
                          dtype=bool)
        kinds[todo[inside]] = kind
        new_lat[todo[inside]], new_lon[todo[inside]] = alt_lat[inside], alt_lon[inside]
        where[todo[inside]] = hits[inside]
    return kinds, new_lat, new_lon, where

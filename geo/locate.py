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

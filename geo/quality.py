"""Topology measurements of a polygon coverage (gaps and overlaps).

All measurements are made in the metric CRS (EPSG:32748) and reported in km².
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely

from geo.paths import METRIC_CRS


@dataclass(frozen=True)
class CoverageQuality:
    """Gaps and overlaps between the polygons of one layer.

    Attributes
    ----------
    gaps_km2 : float
        Total area of holes inside the union of the polygons (slivers between
        neighbours), in km².  The outer edge of the region is not a gap.
    gap_count : int
        Number of such holes.
    overlaps_km2 : float
        Sum of the pairwise intersection areas of neighbouring polygons, in km².
    overlap_pairs : int
        Number of neighbouring pairs whose intersection has positive area.
    """

    gaps_km2: float
    gap_count: int
    overlaps_km2: float
    overlap_pairs: int


def measure_coverage(layer: gpd.GeoDataFrame | gpd.GeoSeries) -> CoverageQuality:
    """Measure the gaps and overlaps between neighbouring polygons.

    Parameters
    ----------
    layer : GeoDataFrame or GeoSeries
        Polygons with a CRS; they are projected to EPSG:32748 for measuring.

    Returns
    -------
    CoverageQuality

    Examples
    --------
    >>> from shapely import box
    >>> s = gpd.GeoSeries([box(0, 0, 1, 1), box(0.5, 0, 2, 1)], crs=32748)
    >>> round(measure_coverage(s).overlaps_km2 * 1e6, 3)
    0.5
    """
    geoms = np.asarray(layer.to_crs(METRIC_CRS).geometry.values)
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    pairs = left < right
    overlap_areas = shapely.area(shapely.intersection(geoms[left[pairs]], geoms[right[pairs]]))
    union = shapely.union_all(geoms)
    holes = [
        shapely.Polygon(ring)
        for part in shapely.get_parts(union)
        for ring in part.interiors
    ]
    hole_areas = shapely.area(np.asarray(holes)) if holes else np.zeros(0)
    return CoverageQuality(
        gaps_km2=float(hole_areas.sum() / 1e6),
        gap_count=int((hole_areas > 0).sum()),
        overlaps_km2=float(overlap_areas.sum() / 1e6),
        overlap_pairs=int((overlap_areas > 0).sum()),
    )

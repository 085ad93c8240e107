"""A small picture of one day's route (PNG, matplotlib): shown beside each day of the plan.

The interactive trip map (:func:`render.trip_page.trip_map`) shows one day at
a time; these thumbnails let a planner compare every day of every team at a
glance.  They are drawn offline from the boundaries only: the kecamatan the
route touches in grey, the day's desa in orange, the route as a dashed line
from the start (a black square) through the numbered stops and back.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the Agg backend)

from render.trip_page import PATH_COLOR, STOP_FILL, STOP_LINE  # noqa: E402

#: Thumbnail size in pixels (width, height) at 100 dpi.
SIZE_PX = (360, 300)


def trip_route_png(trip: Mapping[str, Any], desa_web: gpd.GeoDataFrame, kecamatan_web: gpd.GeoDataFrame,
                   size_px: tuple[int, int] = SIZE_PX) -> bytes:
    """PNG bytes of one trip's route.

    Parameters
    ----------
    trip : mapping
        One item of :meth:`analysis.trips.TripPlan.records`.
    desa_web, kecamatan_web : GeoDataFrame
        Display layers (EPSG:4326) with ``kode`` and, for desa, ``kode_kec``.
    size_px : (int, int)

    Returns
    -------
    bytes
        A PNG image; no text other than the stop numbers (the list beside it names them).
    """
    codes = [stop["kode"] for stop in trip["stops"]]
    chosen = desa_web[desa_web["kode"].isin(codes)]
    kec = kecamatan_web[kecamatan_web["kode"].isin(set(chosen["kode_kec"]))]
    fig, ax = plt.subplots(figsize=(size_px[0] / 100, size_px[1] / 100), dpi=100)
    try:
        kec.plot(ax=ax, color="#eeeeee", edgecolor="#9a9a9a", linewidth=0.6)
        chosen.plot(ax=ax, color=STOP_FILL, edgecolor=STOP_LINE, linewidth=1.0, alpha=0.85)
        lats = [p[0] for p in trip["path"]]
        lons = [p[1] for p in trip["path"]]
        ax.plot(lons, lats, color=PATH_COLOR, linewidth=1.6, linestyle=(0, (4, 3)))
        start = trip["start"]
        ax.plot([start["lon"]], [start["lat"]], marker="s", markersize=8, color="#111111")
        for stop in trip["stops"]:
            ax.annotate(str(int(stop["urutan"])), (stop["lon"], stop["lat"]), ha="center", va="center",
                        fontsize=8, fontweight="bold", color="white",
                        bbox={"boxstyle": "circle,pad=0.25", "fc": PATH_COLOR, "ec": "white", "lw": 0.8})
        minx, miny, maxx, maxy = kec.total_bounds if len(kec) else chosen.total_bounds
        minx, maxx = min(minx, *lons), max(maxx, *lons)
        miny, maxy = min(miny, *lats), max(maxy, *lats)
        pad = 0.05 * max(maxx - minx, maxy - miny, 0.01)
        ax.set_xlim(minx - pad, maxx + pad)
        ax.set_ylim(miny - pad, maxy + pad)
        ax.set_aspect("equal")
        ax.set_axis_off()
        fig.subplots_adjust(0, 0, 1, 1)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=100)
        return buffer.getvalue()
    finally:
        plt.close(fig)

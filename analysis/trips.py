"""Visit plan: group the top-ranked desa into day trips and order each trip.

Every trip starts and ends at one named point (``[start_point]`` in
``config/outreach.toml``, meant for the BPJS Ketenagakerjaan branch office).
Until its coordinates are set, the start is the representative point of
kecamatan Tarogong Kidul (32.05.05), the regency seat, labelled as such.

Grouping is a vehicle-routing problem solved by OR-Tools
(:mod:`analysis.routing`): the fewest days of at most ``desa_per_day`` desa,
each from the start and back, with the shortest total distance
(deterministic).  Days are ordered by the best-ranked desa they hold.  Within
a day the stops are ordered nearest-neighbour from the start, then improved
with 2-opt on the round trip.  Distances are straight lines between desa representative points
(inside each polygon) in EPSG:32748, in metres: a lower bound of road
distance, good for comparing trips, not for fuel budgets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from analysis.config import OutreachConfig, load_config
from analysis.priorities import json_records
from analysis.routing import distance_matrix, solve_days
from core.i18n import Message
from geo.boundaries import load_layer
from geo.paths import GEOGRAPHIC_CRS, METRIC_CRS

#: Export headers of the visit plan (Bahasa Indonesia), in column order.
TRIP_COLUMNS: tuple[str, ...] = (
    "hari",
    "tanggal",
    "urutan",
    "kode",
    "nama",
    "kecamatan",
    "rank",
    "score",
    "alasan",
    "jarak_dari_sebelumnya_m",
    "jarak_kumulatif_m",
    "jarak_kembali_m",
    "lat",
    "lon",
    "titik_awal",
)


# --------------------------------------------------------------------------- start point


@dataclass(frozen=True)
class StartPoint:
    """Where trips start and end.

    Attributes
    ----------
    name : str
        Label shown on the plan.
    lat, lon : float
        WGS84 position.
    configured : bool
        False while the fallback (Tarogong Kidul's representative point) is used.
    """

    name: str
    lat: float
    lon: float
    configured: bool


def start_point(config: OutreachConfig | None = None,
                kecamatan: gpd.GeoDataFrame | None = None,
                stored: tuple[str, float, float] | None = None) -> StartPoint:
    """Return the start point: the one set on the page, else the settings file's, else the Tarogong Kidul fallback.

    Parameters
    ----------
    config : OutreachConfig, optional
        Default: ``config/outreach.toml``.
    kecamatan : GeoDataFrame, optional
        Kecamatan layer (full geometry) for the fallback; default the Garut layer.
    stored : (name, lat, lon), optional
        Set on the priorities page (:class:`analysis.start_points.StartPointStore`); wins when given.

    Raises
    ------
    ValueError
        If the fallback kecamatan code is not in the layer.
    """
    if stored is not None:
        return StartPoint(stored[0], float(stored[1]), float(stored[2]), True)
    sp = (config or load_config()).start_point
    if sp.is_set:
        return StartPoint(sp.name, float(sp.lat), float(sp.lon), True)
    if kecamatan is None:
        kecamatan = load_layer("kecamatan")
    match = kecamatan[kecamatan["kode"] == sp.fallback_kode_kec]
    if match.empty:
        raise ValueError(
            f"Fallback start kecamatan {sp.fallback_kode_kec} is not in the kecamatan layer; "
            "set [start_point] lat/lon or fallback_kode_kec in config/outreach.toml."
        )
    point = match.geometry.iloc[0].representative_point()
    name = sp.fallback_name or Message("plan.start_fallback_name", kecamatan=match["nama"].iloc[0])
    return StartPoint(name, round(point.y, 6), round(point.x, 6), False)


# --------------------------------------------------------------------------- planning


@dataclass
class Trip:
    """One day's trip.

    Attributes
    ----------
    day : int
        1 for the first day.
    date : datetime.date or None
    stops : DataFrame
        One row per desa in visiting order (see :data:`TRIP_COLUMNS`).
    return_m : float
        Last stop back to the start, metres.
    """

    day: int
    date: dt.date | None
    stops: pd.DataFrame
    return_m: float

    @property
    def total_m(self) -> float:
        """Round-trip length, metres."""
        last = float(self.stops["jarak_kumulatif_m"].iloc[-1]) if len(self.stops) else 0.0
        return last + self.return_m


@dataclass
class TripPlan:
    """Trips for the coming days.

    Attributes
    ----------
    start : StartPoint
    trips : list of Trip
    desa_per_day : int
    """

    start: StartPoint
    trips: list[Trip] = field(default_factory=list)
    desa_per_day: int = 4

    @property
    def stops(self) -> pd.DataFrame:
        """All stops of all trips, one row per desa, in plan order."""
        if not self.trips:
            return pd.DataFrame(columns=list(TRIP_COLUMNS))
        return pd.concat([t.stops for t in self.trips], ignore_index=True)

    def records(self) -> list[dict[str, Any]]:
        """Trip data for the printable page and the map layer (JSON-ready).

        Returns
        -------
        list of dict
            Per trip: ``day``, ``date`` (ISO), ``start`` (name, lat, lon,
            configured), ``n_desa``, ``total_m``, ``return_m``, ``stops`` (list
            of stop dicts) and ``path`` (``[[lat, lon], ...]`` from the start
            through every stop back to the start).
        """
        start = {"name": self.start.name, "lat": self.start.lat, "lon": self.start.lon,
                 "configured": self.start.configured}
        out = []
        for trip in self.trips:
            stops = json_records(trip.stops)
            path = [[self.start.lat, self.start.lon], *[[s["lat"], s["lon"]] for s in stops],
                    [self.start.lat, self.start.lon]]
            out.append({
                "day": trip.day, "date": trip.date.isoformat() if trip.date else None, "start": start,
                "n_desa": len(stops), "total_m": round(trip.total_m), "return_m": round(trip.return_m),
                "stops": stops, "path": path,
            })
        return out


def order_stops(xy: np.ndarray, start_xy: np.ndarray) -> list[int]:
    """Order points into a short round trip from ``start_xy``.

    Nearest neighbour from the start, then 2-opt until no swap shortens the
    tour.  Returns positions into ``xy``.
    """
    points = np.vstack([start_xy, xy])
    dist = np.hypot(*(points[:, None, :] - points[None, :, :]).transpose(2, 0, 1))
    left = list(range(1, len(points)))
    tour = [0]
    while left:
        nearest = min(left, key=lambda j: (dist[tour[-1], j], j))
        tour.append(nearest)
        left.remove(nearest)
    tour.append(0)
    improved = True
    while improved:
        improved = False
        for i in range(1, len(tour) - 2):
            for k in range(i + 1, len(tour) - 1):
                a, b, c, d = tour[i - 1], tour[i], tour[k], tour[k + 1]
                if dist[a, c] + dist[b, d] < dist[a, b] + dist[c, d] - 1e-6:
                    tour[i:k + 1] = tour[i:k + 1][::-1]
                    improved = True
    return [j - 1 for j in tour[1:-1]]


def _dates(start_date: dt.date | None, days: int, workdays_only: bool) -> list[dt.date | None]:
    if start_date is None:
        return [None] * days
    out, day = [], start_date
    while len(out) < days:
        if not workdays_only or day.weekday() < 5:
            out.append(day)
        day += dt.timedelta(days=1)
    return out


def plan_trips(
    selected: pd.DataFrame,
    desa: gpd.GeoDataFrame | None = None,
    start: StartPoint | None = None,
    desa_per_day: int | None = None,
    start_date: dt.date | None = None,
    workdays_only: bool = True,
    config: OutreachConfig | None = None,
) -> TripPlan:
    """Build day trips covering every selected desa exactly once.

    Parameters
    ----------
    selected : DataFrame
        The desa to visit, best first (e.g. ``Ranking.top(20)``): ``kode``,
        and if present ``nama``, ``kecamatan``, ``rank``, ``score``, ``alasan``.
    desa : GeoDataFrame, optional
        Desa polygons (EPSG:4326) for the representative points; default the
        Garut layer.
    start : StartPoint, optional
        Default :func:`start_point`.
    desa_per_day : int, optional
        Stops per trip (default ``[trips] desa_per_day``).
    start_date : datetime.date, optional
        Date of the first trip; None leaves dates empty.
    workdays_only : bool
        Skip Saturdays and Sundays when dating trips.
    config : OutreachConfig, optional

    Returns
    -------
    TripPlan

    Raises
    ------
    ValueError
        If a code is repeated or unknown, or ``desa_per_day`` < 1.
    """
    config = config or load_config()
    per_day = int(desa_per_day or config.desa_per_day)
    if per_day < 1:
        raise ValueError(f"desa_per_day must be at least 1, got {desa_per_day}.")
    start = start or start_point(config)
    if desa is None:
        desa = load_layer("desa")
    codes = selected["kode"].astype(str).tolist()
    repeated = sorted({c for c in codes if codes.count(c) > 1})
    if repeated:
        raise ValueError(f"Desa code(s) {repeated} appear more than once in the selection; give each once.")
    layer = desa.set_index("kode")
    unknown = [c for c in codes if c not in layer.index]
    if unknown:
        raise ValueError(
            f"Desa code(s) {unknown[:5]} are not in the desa layer; use Kemendagri codes like 32.05.01.1001."
        )

    table = selected.reset_index(drop=True).copy()
    table["kode"] = codes
    for column, default in (
        ("nama", None),
        ("kecamatan", None),
        ("rank", np.nan),
        ("score", np.nan),
        ("alasan", ""),
    ):
        if column not in table.columns:
            table[column] = layer.loc[codes, column].to_numpy() if default is None else default
    points = gpd.GeoSeries(layer.loc[codes].geometry.representative_point().values, crs=GEOGRAPHIC_CRS)
    table["lat"] = points.y.round(6).to_numpy()
    table["lon"] = points.x.round(6).to_numpy()
    xy = np.column_stack([points.to_crs(METRIC_CRS).x, points.to_crs(METRIC_CRS).y])
    start_m = gpd.GeoSeries([shapely.Point(start.lon, start.lat)], crs=GEOGRAPHIC_CRS).to_crs(METRIC_CRS)
    start_xy = np.array([start_m.x.iloc[0], start_m.y.iloc[0]])

    # Days from the routing solver (fewest days, shortest total); the day holding the best-ranked desa first.
    groups = sorted(solve_days(distance_matrix(start_xy, xy), per_day), key=min)

    plan = TripPlan(start=start, desa_per_day=per_day)
    for day, (group, date) in enumerate(zip(groups, _dates(start_date, len(groups), workdays_only)), start=1):
        order = [group[i] for i in order_stops(xy[group], start_xy)]
        path = np.vstack([start_xy, xy[order]])
        legs = np.hypot(*np.diff(path, axis=0).T)
        stops = table.loc[order, ["kode", "nama", "kecamatan", "rank", "score", "alasan", "lat", "lon"]].copy()
        stops.insert(0, "urutan", range(1, len(order) + 1))
        stops.insert(0, "tanggal", date)
        stops.insert(0, "hari", day)
        stops["jarak_dari_sebelumnya_m"] = np.round(legs).astype(int)
        stops["jarak_kumulatif_m"] = np.cumsum(stops["jarak_dari_sebelumnya_m"].to_numpy())
        return_m = float(round(np.hypot(*(xy[order[-1]] - start_xy))))
        stops["jarak_kembali_m"] = [np.nan] * (len(order) - 1) + [return_m]
        stops["titik_awal"] = pd.Series([start.name] * len(stops), index=stops.index, dtype=object)
        plan.trips.append(Trip(day, date, stops[list(TRIP_COLUMNS)].reset_index(drop=True), return_m))
    return plan


def recently_visited(last_visits: Mapping[str, object], days: int, today: dt.date | None = None) -> dict[str, dt.date]:
    """Desa visited within ``days`` days before ``today`` (default today): ``{kode: last visit}``.

    These are left out of a new trip plan unless the planner includes them.
    """
    if days <= 0:
        return {}
    today = today or dt.date.today()
    out = {}
    for kode, when in last_visits.items():
        day = when if isinstance(when, dt.date) else dt.date.fromisoformat(str(when)[:10])
        if 0 <= (today - day).days < days:
            out[kode] = day
    return out

"""Visit plan: day trips of one or more field teams over the top-ranked desa.

Each team starts and ends its trips at its own point.  With one team and no
point set on the page, the start is ``[start_point]`` of
``config/outreach.toml``, else the representative point of kecamatan Tarogong
Kidul (32.05.05), the regency seat, labelled as such.

Planning is a vehicle-routing problem solved by OR-Tools
(:mod:`analysis.routing`): each team has working days, at most
``desa_per_day`` desa a day and a day length that travel (at ``speed_kmh``)
plus ``service_minutes`` per desa must fit in; the total distance is
minimised.  A team's days are ordered by the best-ranked desa they hold.
Desa that fit nowhere are listed with the reason.

Distances are estimates unless a road-distance matrix is given: straight
lines between desa representative points (inside each polygon) in
EPSG:32748 times ``detour_factor`` (default 1.4).  Each leg says which it is.
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
from analysis.routing import (
    DayLimits,
    RoutedPlan,
    days_needed,
    distance_matrix,
    fits_a_day,
    nearest_neighbour_plan,
    plan_length,
    solve_plan,
    travel_seconds,
)
from analysis.start_points import TeamRow
from core.formatting import Figure
from core.i18n import Message
from geo.boundaries import load_layer
from geo.paths import GEOGRAPHIC_CRS, METRIC_CRS

#: Export headers of the visit plan (Bahasa Indonesia), in column order.
TRIP_COLUMNS: tuple[str, ...] = (
    "tim",
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
    "jenis_jarak",
    "lat",
    "lon",
    "titik_awal",
)

#: Columns of :attr:`TripPlan.unplanned`.
UNPLANNED_COLUMNS: tuple[str, ...] = ("kode", "nama", "kecamatan", "rank", "alasan_tidak_terjadwal")


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

    In another region than Garut (``PETA_REGION``) the fallback kecamatan is not on the map: the kecamatan
    nearest the region's centre is used instead, and its name says so (``plan.start_central_name``).

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
    if not match.empty:
        point = match.geometry.iloc[0].representative_point()
        name = sp.fallback_name or Message("plan.start_fallback_name", kecamatan=match["nama"].iloc[0])
        return StartPoint(name, round(point.y, 6), round(point.x, 6), False)
    if kecamatan.empty:
        raise ValueError(
            f"Fallback start kecamatan {sp.fallback_kode_kec} is not in the kecamatan layer (it is empty); "
            "set [start_point] lat/lon or fallback_kode_kec in config/outreach.toml."
        )
    return _central_start(kecamatan)


def _central_start(kecamatan: gpd.GeoDataFrame) -> StartPoint:
    """Another region than the settings' fallback kecamatan: the kecamatan nearest the region's centre, so named."""
    metric = kecamatan.to_crs(METRIC_CRS)
    centre = metric.union_all().centroid
    nearest = int(metric.geometry.distance(centre).to_numpy().argmin())
    point = kecamatan.geometry.iloc[nearest].representative_point()
    name = Message("plan.start_central_name", kecamatan=kecamatan["nama"].iloc[nearest])
    return StartPoint(name, round(point.y, 6), round(point.x, 6), False)


# --------------------------------------------------------------------------- planning


@dataclass(frozen=True)
class Team:
    """A field team: its name, where its trips start and end, and its working days.

    Attributes
    ----------
    name : str
        Shown on the plan (a team name, never a person's).
    start : StartPoint
    days : int or None
        Working days available; None: as many as the plan needs.
    """

    name: str
    start: StartPoint
    days: int | None = None


@dataclass
class Trip:
    """One team's trip on one day.

    Attributes
    ----------
    day : int
        1 for the team's first day.
    date : datetime.date or None
    stops : DataFrame
        One row per desa in visiting order (see :data:`TRIP_COLUMNS`).
    return_m : float
        Last stop back to the start, metres.
    team : str
    start : StartPoint
    duration_min : int
        Travel at the average speed plus the service time of every desa, minutes.
    """

    day: int
    date: dt.date | None
    stops: pd.DataFrame
    return_m: float
    team: str = ""
    start: StartPoint | None = None
    duration_min: int = 0

    @property
    def total_m(self) -> float:
        """Round-trip length, metres."""
        last = float(self.stops["jarak_kumulatif_m"].iloc[-1]) if len(self.stops) else 0.0
        return last + self.return_m


@dataclass
class TripPlan:
    """Trips of every team for the coming days.

    Attributes
    ----------
    start : StartPoint
        The first team's start point.
    trips : list of Trip
        By team, then day.
    desa_per_day : int
    teams : list of Team
    unplanned : DataFrame
        Selected desa no team could fit: ``kode, nama, kecamatan, rank, alasan_tidak_terjadwal`` (a Message).
    detour_factor : float
        Straight lines were multiplied by this where no road distance was given.
    road_legs, estimated_legs : int
        Legs taken from the road-distance matrix, and legs estimated.
    baseline_m : float or None
        Length of the nearest-neighbour plan of the same desa, start points
        and day limits with no limit on days (the yardstick of
        :mod:`analysis.routing`), when both plan the same desa; None when the
        teams' days left desa out.
    """

    start: StartPoint
    trips: list[Trip] = field(default_factory=list)
    desa_per_day: int = 4
    teams: list[Team] = field(default_factory=list)
    unplanned: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(UNPLANNED_COLUMNS)))
    detour_factor: float = 1.0
    road_legs: int = 0
    estimated_legs: int = 0
    baseline_m: float | None = None

    @property
    def stops(self) -> pd.DataFrame:
        """All stops of all trips, one row per desa, in plan order."""
        if not self.trips:
            return pd.DataFrame(columns=list(TRIP_COLUMNS))
        return pd.concat([t.stops for t in self.trips], ignore_index=True)

    speed_kmh: float = 30.0
    service_minutes: float = 0.0

    @property
    def total_m(self) -> float:
        """Metres of all trips."""
        return float(sum(t.total_m for t in self.trips))

    def distance_note(self) -> Message:
        """How the distances and times were obtained (estimates, road matrix legs, speed, service time)."""
        return Message("plan.distance_note", factor=Figure(self.detour_factor, "number", 1),
                       road=Figure(self.road_legs), legs=Figure(self.road_legs + self.estimated_legs),
                       speed=Figure(self.speed_kmh, "number", 0), service=Figure(self.service_minutes, "number", 0))

    def records(self) -> list[dict[str, Any]]:
        """Trip data for the printable page and the map layer (JSON-ready).

        Returns
        -------
        list of dict
            Per trip: ``team``, ``day``, ``date`` (ISO), ``start`` (name, lat,
            lon, configured), ``n_desa``, ``total_m``, ``return_m``,
            ``duration_min``, ``distance_note`` (a Message), ``speed_kmh``,
            ``service_minutes``, ``stops`` (list of stop dicts) and ``path``
            (``[[lat, lon], ...]`` from the start through every stop back to the start).
        """
        out, note = [], self.distance_note()
        for trip in self.trips:
            start = trip.start or self.start
            stops = json_records(trip.stops)
            path = [[start.lat, start.lon], *[[s["lat"], s["lon"]] for s in stops], [start.lat, start.lon]]
            out.append({
                "team": trip.team, "day": trip.day, "date": trip.date.isoformat() if trip.date else None,
                "start": {"name": start.name, "lat": start.lat, "lon": start.lon, "configured": start.configured},
                "n_desa": len(stops), "total_m": round(trip.total_m), "return_m": round(trip.return_m),
                "duration_min": trip.duration_min, "distance_note": note, "speed_kmh": self.speed_kmh,
                "service_minutes": self.service_minutes, "stops": stops, "path": path,
            })
        return out


def plan_teams(rows: list[TeamRow], shared: StartPoint) -> list[Team]:
    """Teams for :func:`plan_trips` from the teams set on the page; a team without its own start uses ``shared``.

    No saved team gives one team, "Tim 1", from ``shared``.
    """
    if not rows:
        return [Team(Message("plan.team_default", n=1), shared)]
    return [Team(row.name, StartPoint(*row.start, True) if row.start else shared, row.days) for row in rows]


def _dates(start_date: dt.date | None, days: int, workdays_only: bool) -> list[dt.date | None]:
    if start_date is None:
        return [None] * days
    out, day = [], start_date
    while len(out) < days:
        if not workdays_only or day.weekday() < 5:
            out.append(day)
        day += dt.timedelta(days=1)
    return out


def metric_xy(lat: Any, lon: Any) -> np.ndarray:
    """WGS84 latitudes and longitudes as EPSG:32748 metres, one ``(x, y)`` row each."""
    points = gpd.GeoSeries(shapely.points(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)),
                           crs=GEOGRAPHIC_CRS).to_crs(METRIC_CRS)
    return np.column_stack([points.x, points.y])


def _check_selection(selected: pd.DataFrame, layer: gpd.GeoDataFrame) -> list[str]:
    codes = selected["kode"].astype(str).tolist()
    repeated = sorted({c for c in codes if codes.count(c) > 1})
    if repeated:
        raise ValueError(f"Desa code(s) {repeated} appear more than once in the selection; give each once.")
    unknown = [c for c in codes if c not in layer.index]
    if unknown:
        raise ValueError(
            f"Desa code(s) {unknown[:5]} are not in the desa layer; use Kemendagri codes like 32.05.01.1001."
        )
    return codes


def _leg_matrix(start_codes: list[str | None], codes: list[str], xy: np.ndarray, detour: float,
                road: Mapping[tuple[str, str], float] | None) -> tuple[np.ndarray, np.ndarray]:
    """Metres between all nodes (starts first, then desa) and whether each leg came from the road matrix.

    A start point's legs use the road distances of the desa it lies in, when given.
    """
    metres = distance_matrix(xy) * detour
    from_road = np.zeros(metres.shape, dtype=bool)
    if road:
        keys = [*start_codes, *codes]
        for i, a in enumerate(keys):
            for j, b in enumerate(keys):
                if a is None or b is None or i == j:
                    continue
                km = road.get((a, b), road.get((b, a)))
                if km is not None:
                    metres[i, j], from_road[i, j] = km, True
    return np.rint(metres).astype("int64"), from_road


def _unplanned_reason(node: int, teams: list[Team], seconds: np.ndarray, limits: DayLimits) -> Message:
    if not fits_a_day(seconds, len(teams), node, limits):
        return Message("plan.unplanned_too_far", hours=Figure(limits.day_s / 3600, "number", 1))
    return Message("plan.unplanned_no_room")


def plan_trips(
    selected: pd.DataFrame,
    desa: gpd.GeoDataFrame | None = None,
    start: StartPoint | None = None,
    desa_per_day: int | None = None,
    start_date: dt.date | None = None,
    workdays_only: bool = True,
    config: OutreachConfig | None = None,
    teams: list[Team] | None = None,
    road: Mapping[tuple[str, str], float] | None = None,
    search_seconds: float | None = None,
) -> TripPlan:
    """Plan day trips of one or more teams over the selected desa, each desa at most once.

    Parameters
    ----------
    selected : DataFrame
        The desa to visit, best first (e.g. ``Ranking.top(20)``): ``kode``,
        and if present ``nama``, ``kecamatan``, ``rank``, ``score``, ``alasan``.
    desa : GeoDataFrame, optional
        Desa polygons (EPSG:4326) for the representative points; default the
        Garut layer.
    start : StartPoint, optional
        The start of a single team when ``teams`` is not given (default :func:`start_point`).
    desa_per_day : int, optional
        Most desa per day (default ``[trips] desa_per_day``).
    start_date : datetime.date, optional
        Date of every team's first trip; None leaves dates empty.
    workdays_only : bool
        Skip Saturdays and Sundays when dating trips.
    config : OutreachConfig, optional
        Service time, day length, speed, detour factor and search time come from ``[trips]``.
    teams : list of Team, optional
        Default: one team, "Tim 1", from ``start``, with as many days as needed.
    road : mapping, optional
        ``{(kode_a, kode_b): metres}`` from a road-distance matrix
        (:func:`ingest.road_distances.read_road_distances`); either direction
        serves both.  Legs not in it are straight lines times the detour factor.
    search_seconds : float, optional
        Default ``[trips] search_seconds`` (0: the first local optimum, the same plan every run).

    Returns
    -------
    TripPlan
        Desa that fit in no team's days are in ``unplanned`` with the reason,
        never silently left out.

    Raises
    ------
    ValueError
        If a code is repeated or unknown, ``desa_per_day`` < 1 or no team is given.
    """
    config = config or load_config()
    per_day = int(desa_per_day or config.desa_per_day)
    if per_day < 1:
        raise ValueError(f"desa_per_day must be at least 1, got {desa_per_day}.")
    if teams is None:
        teams = [Team(Message("plan.team_default", n=1), start or start_point(config))]
    if not teams:
        raise ValueError("No team given; plan with at least one team.")
    if desa is None:
        desa = load_layer("desa")
    layer = desa.set_index("kode")
    codes = _check_selection(selected, layer)
    table = _stop_table(selected, layer, codes)

    starts_xy = metric_xy([tm.start.lat for tm in teams], [tm.start.lon for tm in teams])
    xy = np.vstack([starts_xy, metric_xy(table["lat"], table["lon"])])
    start_codes = _start_desa_codes(teams, desa) if road else [None] * len(teams)
    dist, from_road = _leg_matrix(start_codes, codes, xy, config.detour_factor, road)
    limits = DayLimits(per_day=per_day, service_s=int(config.service_minutes * 60),
                       day_s=int(config.day_hours * 3600) if config.day_hours else None,
                       speed_m_s=config.speed_kmh / 3.6)
    routed = _route(dist, teams, limits, len(codes),
                    config.search_seconds if search_seconds is None else search_seconds)

    plan = TripPlan(start=teams[0].start, desa_per_day=per_day, teams=list(teams),
                    detour_factor=config.detour_factor, speed_kmh=config.speed_kmh,
                    service_minutes=config.service_minutes)
    seconds = travel_seconds(dist, limits)
    for k, team in enumerate(teams):
        routes = sorted((route for tm, _day, route in routed.routes if tm == k), key=min)
        for day, (route, date) in enumerate(zip(routes, _dates(start_date, len(routes), workdays_only)), start=1):
            plan.trips.append(_trip(table, team, k, day, date, route, dist, from_road, seconds, limits, plan))
    n_teams = len(teams)
    baseline = nearest_neighbour_plan(dist, n_teams, [len(codes)] * n_teams, limits)
    if set(baseline.unplanned) == set(routed.unplanned):  # comparable: both planned every desa that fits a day
        plan.baseline_m = float(plan_length(dist, n_teams, baseline))
    plan.unplanned = pd.DataFrame({
        "kode": [codes[i] for i in routed.unplanned],
        "nama": [table.at[i, "nama"] for i in routed.unplanned],
        "kecamatan": [table.at[i, "kecamatan"] for i in routed.unplanned],
        "rank": [table.at[i, "rank"] for i in routed.unplanned],
        "alasan_tidak_terjadwal": pd.Series(
            [_unplanned_reason(n_teams + i, teams, seconds, limits) for i in routed.unplanned], dtype=object),
    }, columns=list(UNPLANNED_COLUMNS))
    return plan


def _stop_table(selected: pd.DataFrame, layer: gpd.GeoDataFrame, codes: list[str]) -> pd.DataFrame:
    table = selected.reset_index(drop=True).copy()
    table["kode"] = codes
    for column, default in (("nama", None), ("kecamatan", None), ("rank", np.nan), ("score", np.nan),
                            ("alasan", "")):
        if column not in table.columns:
            table[column] = layer.loc[codes, column].to_numpy() if default is None else default
    points = gpd.GeoSeries(layer.loc[codes].geometry.representative_point().values, crs=GEOGRAPHIC_CRS)
    table["lat"] = points.y.round(6).to_numpy()
    table["lon"] = points.x.round(6).to_numpy()
    return table


def _start_desa_codes(teams: list[Team], desa: gpd.GeoDataFrame) -> list[str | None]:
    """The desa each team's start point lies in (None outside every desa)."""
    points = gpd.GeoDataFrame(geometry=shapely.points([tm.start.lon for tm in teams], [tm.start.lat for tm in teams]),
                              crs=GEOGRAPHIC_CRS)
    joined = gpd.sjoin(points, desa[["kode", "geometry"]], how="left", predicate="within")
    joined = joined[~joined.index.duplicated()]
    return [None if pd.isna(k) else str(k) for k in joined["kode"]]


def _route(dist: np.ndarray, teams: list[Team], limits: DayLimits, n: int, search_seconds: float) -> RoutedPlan:
    """Solve; a team without a day count gets the fewest days that hold the desa, more while desa are left over."""
    open_days = [tm.days is None for tm in teams]
    seconds = travel_seconds(dist, limits)
    days = [tm.days if tm.days is not None else days_needed(n, len(teams), limits.per_day) for tm in teams]
    while True:
        routed = solve_plan(dist, len(teams), days, limits, search_seconds)
        placeable = [i for i in routed.unplanned if fits_a_day(seconds, len(teams), len(teams) + i, limits)]
        if not placeable or not any(open_days) or max(days) >= n:
            return routed
        grow = days_needed(len(placeable), sum(open_days), limits.per_day)
        days = [d + grow if is_open else d for d, is_open in zip(days, open_days)]


def _trip(table: pd.DataFrame, team: Team, k: int, day: int, date: dt.date | None, route: list[int],
          dist: np.ndarray, from_road: np.ndarray, seconds: np.ndarray, limits: DayLimits, plan: TripPlan) -> Trip:
    n_teams = len(plan.teams)
    nodes = [k, *(n_teams + i for i in route), k]
    legs = [int(dist[a][b]) for a, b in zip(nodes, nodes[1:])]
    road = [bool(from_road[a][b]) for a, b in zip(nodes, nodes[1:])]
    plan.road_legs += sum(road)
    plan.estimated_legs += len(road) - sum(road)
    stops = table.loc[route, ["kode", "nama", "kecamatan", "rank", "score", "alasan", "lat", "lon"]].copy()
    stops.insert(0, "urutan", range(1, len(route) + 1))
    stops.insert(0, "tanggal", date)
    stops.insert(0, "hari", day)
    stops.insert(0, "tim", pd.Series([team.name] * len(route), index=stops.index, dtype=object))
    stops["jarak_dari_sebelumnya_m"] = legs[:-1]
    stops["jarak_kumulatif_m"] = np.cumsum(legs[:-1])
    stops["jarak_kembali_m"] = [np.nan] * (len(route) - 1) + [float(legs[-1])]
    stops["jenis_jarak"] = pd.Series(
        [Message("plan.leg_road") if r else Message("plan.leg_estimated") for r in road[:-1]],
        index=stops.index, dtype=object)
    stops["titik_awal"] = pd.Series([team.start.name] * len(stops), index=stops.index, dtype=object)
    duration = sum(int(seconds[a][b]) for a, b in zip(nodes, nodes[1:])) + limits.service_s * len(route)
    return Trip(day, date, stops[list(TRIP_COLUMNS)].reset_index(drop=True), float(legs[-1]), team=team.name,
                start=team.start, duration_min=round(duration / 60))


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

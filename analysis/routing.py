"""Day trips of several field teams as a vehicle-routing problem, solved with OR-Tools.

:func:`solve_plan` is the entry point; it reads as the steps it takes:

1. :func:`_baseline` builds the nearest-neighbour plan of the same desa and
   start points (each team, day after day, drives from its start to the
   nearest desa not yet planned while the day's limits allow, then back);
2. :func:`_model` states the problem for OR-Tools' routing solver: one vehicle
   per team and working day, starting and ending at the team's start point,
   at most ``per_day`` desa, travel plus service time within the day length;
   a desa that does not fit may be left out at a penalty far above any
   distance, so the solver plans as many desa as the limits allow;
3. the solver starts from the baseline and improves it by local search
   (relocate, exchange, 2-opt, cross moves within and between days and
   teams): greedy descent to the first local optimum (deterministic), or
   guided local search for ``search_seconds`` when that is above zero.
   Starting from the baseline makes the plan never longer than it;
4. :func:`_read_routes` reads each vehicle's route back.

Distances are whole metres (straight lines times a detour factor, or a road
matrix the user supplied: :mod:`analysis.trips` builds them); travel time is
distance over an average speed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

#: Penalty, in metres, for leaving a desa out: far above any plan's length, so dropping is the last resort.
DROP_PENALTY = 10**10


@dataclass(frozen=True)
class DayLimits:
    """What one team can do in one working day.

    Attributes
    ----------
    per_day : int
        Most desa in a day.
    service_s : int
        Seconds spent in each desa.
    day_s : int or None
        Longest working day in seconds, travel and service together; None: no limit.
    speed_m_s : float
        Average travel speed, metres per second.
    """

    per_day: int
    service_s: int = 0
    day_s: int | None = None
    speed_m_s: float = 30 / 3.6


@dataclass
class RoutedPlan:
    """The solver's answer.

    Attributes
    ----------
    routes : list of (team, day, list of int)
        Per team (0-based) and vehicle day (0-based, in the solver's order), the
        desa (0-based positions into the desa list) in visiting order; empty days left out.
    unplanned : list of int
        Desa that no team could fit into its days.
    """

    routes: list[tuple[int, int, list[int]]] = field(default_factory=list)
    unplanned: list[int] = field(default_factory=list)


def distance_matrix(points_xy: np.ndarray) -> np.ndarray:
    """Straight-line metres between all pairs of points (rows of ``points_xy``), as floats."""
    xy = np.asarray(points_xy, dtype=float).reshape(-1, 2)
    diff = xy[:, None, :] - xy[None, :, :]
    return np.hypot(diff[..., 0], diff[..., 1])


def travel_seconds(dist: np.ndarray, limits: DayLimits) -> np.ndarray:
    """Whole seconds to drive each leg of ``dist`` at ``limits.speed_m_s``."""
    return np.rint(np.asarray(dist, dtype=float) / limits.speed_m_s).astype("int64")


def solve_plan(dist: np.ndarray, teams: int, days: list[int], limits: DayLimits,
               search_seconds: float = 0.0) -> RoutedPlan:
    """Plan day trips for ``teams`` teams over the desa of ``dist``, minimising the total distance.

    Parameters
    ----------
    dist : numpy.ndarray
        Square matrix of whole metres: nodes ``0..teams-1`` are the teams'
        start points, the rest the desa.
    teams : int
        Number of teams (at least 1).
    days : list of int
        Working days of each team.
    limits : DayLimits
    search_seconds : float
        0: stop at the first local optimum (same plan on every run); above 0:
        guided local search for that long (shorter plans, may differ between machines).

    Returns
    -------
    RoutedPlan
    """
    dist = np.asarray(dist, dtype="int64")
    if teams < 1 or len(days) != teams or min(days, default=0) < 0:
        raise ValueError(f"Need one day count per team, each >= 0; got teams={teams}, days={days}.")
    n = len(dist) - teams
    if n <= 0:
        return RoutedPlan()
    seconds = travel_seconds(dist, limits)
    baseline = _baseline(dist, seconds, teams, days, limits)
    if sum(days) == 0:
        return RoutedPlan(unplanned=list(range(n)))
    routing, manager, vehicles = _model(dist, seconds, teams, days, limits)
    params = _search_parameters(search_seconds)
    initial = routing.ReadAssignmentFromRoutes(_vehicle_routes(baseline, teams, days, vehicles), True)
    solution = (routing.SolveFromAssignmentWithParameters(initial, params) if initial is not None
                else routing.SolveWithParameters(params))
    if solution is None:  # pragma: no cover - dropping desa always allows a plan
        raise RuntimeError(f"The routing solver found no plan for {n} desa and {teams} team(s).")
    return _read_routes(routing, manager, solution, vehicles, teams, n)


def nearest_neighbour_plan(dist: np.ndarray, teams: int, days: list[int], limits: DayLimits) -> RoutedPlan:
    """The baseline the solver starts from and is held against (see :func:`_baseline`)."""
    dist = np.asarray(dist, dtype="int64")
    return _baseline(dist, travel_seconds(dist, limits), teams, days, limits)


def plan_length(dist: np.ndarray, teams: int, plan: RoutedPlan) -> int:
    """Metres of every day of ``plan``, each from its team's start and back."""
    total = 0
    for team, _day, route in plan.routes:
        path = [team, *(teams + i for i in route), team]
        total += int(sum(dist[a][b] for a, b in zip(path, path[1:])))
    return total


# --------------------------------------------------------------------------- steps


def _day_seconds(seconds: np.ndarray, depot: int, route: list[int], limits: DayLimits) -> int:
    path = [depot, *route, depot]
    return int(sum(seconds[a][b] for a, b in zip(path, path[1:]))) + limits.service_s * len(route)


def fits_a_day(seconds: np.ndarray, teams: int, node: int, limits: DayLimits) -> bool:
    """Whether some team can drive to desa node ``node``, serve it and come back within one day."""
    return limits.day_s is None or any(_day_seconds(seconds, k, [node], limits) <= limits.day_s
                                       for k in range(teams))


def _baseline(dist: np.ndarray, seconds: np.ndarray, teams: int, days: list[int], limits: DayLimits) -> RoutedPlan:
    """Nearest-neighbour plan: day by day, each team in turn from its start, always the nearest desa left.

    A day ends at ``per_day`` desa or when the nearest desa left would not
    leave time to drive back within the day.  Desa no day can take are unplanned.
    """
    left = set(range(teams, len(dist)))
    plan = RoutedPlan()
    for day in range(max(days, default=0)):
        for team in range(teams):
            if day >= days[team] or not left:
                continue
            here, route = team, []
            while left and len(route) < limits.per_day:
                candidates = sorted(left, key=lambda j: (dist[here][j], j))
                fits = [j for j in candidates if limits.day_s is None
                        or _day_seconds(seconds, team, [*route, j], limits) <= limits.day_s]
                if not fits:
                    break
                here = fits[0]
                left.remove(here)
                route.append(here)
            if route:
                plan.routes.append((team, day, [j - teams for j in route]))
    plan.unplanned = sorted(j - teams for j in left)
    return plan


def _model(dist: np.ndarray, seconds: np.ndarray, teams: int, days: list[int], limits: DayLimits):
    """The routing model: one vehicle per (team, day), stop and time dimensions, droppable desa."""
    from ortools.constraint_solver import (
        pywrapcp,  # lazy: only planning pays for OR-Tools
    )

    vehicles = [(team, day) for team in range(teams) for day in range(days[team])]
    depots = [team for team, _ in vehicles]
    manager = pywrapcp.RoutingIndexManager(len(dist), len(vehicles), depots, depots)
    routing = pywrapcp.RoutingModel(manager)
    matrix, travel = dist.tolist(), seconds.tolist()

    def cost(i: int, j: int) -> int:
        return matrix[manager.IndexToNode(i)][manager.IndexToNode(j)]

    def duration(i: int, j: int) -> int:
        a = manager.IndexToNode(i)
        return travel[a][manager.IndexToNode(j)] + (limits.service_s if a >= teams else 0)

    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitCallback(cost))
    stops = routing.RegisterUnaryTransitCallback(lambda i: 0 if manager.IndexToNode(i) < teams else 1)
    routing.AddDimensionWithVehicleCapacity(stops, 0, [limits.per_day] * len(vehicles), True, "stops")
    if limits.day_s is not None:
        routing.AddDimension(routing.RegisterTransitCallback(duration), 0, int(limits.day_s), True, "time")
    for node in range(teams, len(dist)):
        routing.AddDisjunction([manager.NodeToIndex(node)], DROP_PENALTY)
    return routing, manager, vehicles


def _search_parameters(search_seconds: float):
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    if search_seconds > 0:
        params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
        params.time_limit.FromMilliseconds(int(search_seconds * 1000))
    else:
        params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GREEDY_DESCENT
        params.time_limit.seconds = 60  # a safety net; greedy descent stops far earlier
    return params


def _vehicle_routes(plan: RoutedPlan, teams: int, days: list[int], vehicles: list[tuple[int, int]]) -> list[list[int]]:
    """The plan as OR-Tools wants an initial solution: per vehicle, node numbers."""
    slot = {vehicle: i for i, vehicle in enumerate(vehicles)}
    out: list[list[int]] = [[] for _ in vehicles]
    for team, day, route in plan.routes:
        out[slot[(team, day)]] = [teams + i for i in route]
    return out


def _read_routes(routing, manager, solution, vehicles: list[tuple[int, int]], teams: int, n: int) -> RoutedPlan:
    plan, seen = RoutedPlan(), set()
    for v, (team, day) in enumerate(vehicles):
        index, route = routing.Start(v), []
        while not routing.IsEnd(index):
            node = manager.IndexToNode(index)
            if node >= teams:
                route.append(node - teams)
            index = solution.Value(routing.NextVar(index))
        if route:
            plan.routes.append((team, day, route))
            seen.update(route)
    plan.unplanned = [i for i in range(n) if i not in seen]
    return plan


def days_needed(n: int, teams: int, per_day: int) -> int:
    """Fewest working days per team that can hold ``n`` desa at ``per_day`` a day."""
    return max(1, math.ceil(n / (teams * per_day)))

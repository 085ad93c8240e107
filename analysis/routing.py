"""Day trips as a vehicle-routing problem, solved with OR-Tools.

:func:`solve_days` splits desa into the fewest day trips from one start
point: each day visits at most ``per_day`` desa and returns to the start, and
the total distance of all days is minimised.  OR-Tools' routing solver (a
maintained library) starts from the cheapest-arc solution and improves it by
greedy-descent local search (relocate, exchange, 2-opt and cross moves,
within and between days) until no move helps; that is deterministic, so a
plan is the same on every run.  :func:`nearest_neighbour_days` is the plain
baseline the solver is held against (tests and ``python -m analysis bench``).
"""

from __future__ import annotations

import math

import numpy as np

#: Seconds the solver may search at most (it stops earlier, at a local optimum).
TIME_LIMIT_S = 10


def distance_matrix(start_xy: np.ndarray, xy: np.ndarray) -> np.ndarray:
    """Straight-line metres between the start (node 0) and the desa (nodes 1..n), rounded to whole metres."""
    nodes = np.vstack([np.asarray(start_xy, dtype=float).reshape(1, 2), np.asarray(xy, dtype=float)])
    diff = nodes[:, None, :] - nodes[None, :, :]
    return np.rint(np.hypot(diff[..., 0], diff[..., 1])).astype("int64")


def solve_days(dist: np.ndarray, per_day: int) -> list[list[int]]:
    """Split desa 1..n of ``dist`` into the fewest days of at most ``per_day``, minimising the total distance.

    Parameters
    ----------
    dist : numpy.ndarray
        Square matrix of whole metres, node 0 the start (:func:`distance_matrix`).
    per_day : int
        Most desa in one day.

    Returns
    -------
    list of list of int
        Per day, the desa (0-based, the start left out) in visiting order.
    """
    from ortools.constraint_solver import (  # lazy: only planning pays for OR-Tools
        pywrapcp,
        routing_enums_pb2,
    )

    n = len(dist) - 1
    if n <= 0:
        return []
    days = math.ceil(n / per_day)
    manager = pywrapcp.RoutingIndexManager(n + 1, days, 0)
    routing = pywrapcp.RoutingModel(manager)
    matrix = dist.tolist()

    def cost(i: int, j: int) -> int:
        return matrix[manager.IndexToNode(i)][manager.IndexToNode(j)]

    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitCallback(cost))
    stops = routing.RegisterUnaryTransitCallback(lambda i: 0 if manager.IndexToNode(i) == 0 else 1)
    routing.AddDimensionWithVehicleCapacity(stops, 0, [per_day] * days, True, "stops")
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GREEDY_DESCENT
    params.time_limit.seconds = TIME_LIMIT_S
    solution = routing.SolveWithParameters(params)
    if solution is None:  # pragma: no cover - the capacity always allows a plan
        raise RuntimeError(f"The routing solver found no plan for {n} desa at {per_day} a day.")
    routes = []
    for day in range(days):
        index, route = routing.Start(day), []
        while not routing.IsEnd(index):
            node = manager.IndexToNode(index)
            if node:
                route.append(node - 1)
            index = solution.Value(routing.NextVar(index))
        if route:
            routes.append(route)
    return routes


def nearest_neighbour_days(dist: np.ndarray, per_day: int) -> list[list[int]]:
    """The baseline: from the start, always the nearest desa not yet visited; back after ``per_day`` desa."""
    left = set(range(1, len(dist)))
    days = []
    while left:
        here, route = 0, []
        while left and len(route) < per_day:
            here = min(left, key=lambda j: (dist[here][j], j))
            left.remove(here)
            route.append(here - 1)
        days.append(route)
    return days


def total_length(dist: np.ndarray, days: list[list[int]]) -> int:
    """Metres of all days, each from the start and back."""
    total = 0
    for route in days:
        path = [0, *(i + 1 for i in route), 0]
        total += int(sum(dist[a][b] for a, b in zip(path, path[1:])))
    return total

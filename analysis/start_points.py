"""The trips' start point and the field teams as the planner sets them on the priorities page (app database).

Set on the page (typed coordinates), it wins over ``[start_point]`` of
``config/outreach.toml`` and over the Tarogong Kidul fallback, so no one has
to edit a file.  A point outside the kabupaten is refused with the reason.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

import numpy as np

from core.errors import ConfigError
from geo.region import resolve_region
from ingest.appdb import AppDatabase, app_database, text, utc_now_text
from ingest.matching import RegionIndex

#: Longest name kept.
MAX_NAME = 80


def _degrees(value: object) -> float:
    """A coordinate typed either way: ``-7.21`` or ``-7,21`` (one decimal comma, no point)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip()
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    return float(text)


def check_start(name: object, lat: object, lon: object, region: str | None = None) -> tuple[str, float, float]:
    """Check a start point: a name, coordinates that are numbers, inside the region.

    Returns
    -------
    (str, float, float)
        The name (spaces tidied, at most :data:`MAX_NAME` characters), lat, lon.

    Raises
    ------
    ConfigError
        ``start.no_name``, ``start.bad_coordinate`` or ``start.outside_region``.
    """
    text = " ".join(str(name or "").split())[:MAX_NAME]
    if not text:
        raise ConfigError("start.no_name")
    try:
        la, lo = _degrees(lat), _degrees(lon)
    except (TypeError, ValueError):
        raise ConfigError("start.bad_coordinate", lat=repr(lat), lon=repr(lon)) from None
    if not (math.isfinite(la) and math.isfinite(lo) and -90 <= la <= 90 and -180 <= lo <= 180):
        raise ConfigError("start.bad_coordinate", lat=repr(lat), lon=repr(lon))
    region = resolve_region(region)
    index = RegionIndex.load(region)
    if index.locate(np.array([lo]), np.array([la]))[0] is None:
        raise ConfigError("start.outside_region", lat=f"{la:.5f}", lon=f"{lo:.5f}", region=region)
    return text, la, lo


class StartPointStore:
    """The one start point of the trips, in an SQLite file (the app database).

    Parameters
    ----------
    path : path-like
    """

    def __init__(self, path: str | os.PathLike[str] | AppDatabase) -> None:
        self.db = app_database(path)
        self.path = self.db.path

    def get(self) -> tuple[str, float, float] | None:
        """``(name, lat, lon)`` as saved, or None."""
        with self.db.read() as conn:
            row = conn.execute(text("SELECT name, lat, lon FROM start_point WHERE id = 1")).first()
        return (row[0], float(row[1]), float(row[2])) if row else None

    def put(self, name: object, lat: object, lon: object, region: str | None = None) -> tuple[str, float, float]:
        """Check and save the start point; return what was saved.

        Raises
        ------
        ConfigError
            ``start.no_name``, ``start.bad_coordinate`` or ``start.outside_region``.
        """
        name_text, la, lo = check_start(name, lat, lon, region)
        now = utc_now_text()
        with self.db.write() as conn:
            conn.execute(text("INSERT INTO start_point (id, name, lat, lon, saved_at) VALUES (1, :name, :lat, :lon, "
                              ":now) ON CONFLICT (id) DO UPDATE SET name = excluded.name, lat = excluded.lat, "
                              "lon = excluded.lon, saved_at = excluded.saved_at"),
                         {"name": name_text, "lat": la, "lon": lo, "now": now})
        return name_text, la, lo


#: Most teams one plan takes, and most working days one team may be given.
MAX_TEAMS = 20
MAX_DAYS = 60


@dataclass(frozen=True)
class TeamRow:
    """A field team as the planner sets it: a name, its own start or none (the shared start), its working days."""

    name: str
    start: tuple[str, float, float] | None = None
    days: int | None = None


def check_teams(rows: list[dict[str, object]]) -> list[TeamRow]:
    """Check the teams typed on the page: ``{"name", "start_name", "lat", "lon", "days"}`` per team.

    A row whose name, coordinates and days are all empty is skipped (an empty
    editor row).  Coordinates are both given or both left empty.

    Raises
    ------
    ConfigError
        ``teams.none``, ``teams.too_many``, ``teams.no_name``, ``teams.same_name``, ``teams.half_start``,
        ``teams.bad_days`` (with the row number), or a start point's own error.
    """
    def empty(value: object) -> bool:
        return value is None or (isinstance(value, float) and math.isnan(value)) or str(value).strip() == ""

    out: list[TeamRow] = []
    for number, row in enumerate(rows, start=1):
        if all(empty(row.get(k)) for k in ("name", "start_name", "lat", "lon", "days")):
            continue
        name = " ".join(str(row.get("name") or "").split())[:MAX_NAME]
        if not name:
            raise ConfigError("teams.no_name", row=number)
        if name in {team.name for team in out}:
            raise ConfigError("teams.same_name", row=number, name=name)
        if empty(row.get("lat")) != empty(row.get("lon")):
            raise ConfigError("teams.half_start", row=number, name=name)
        start = None
        if not empty(row.get("lat")):
            start = check_start(row.get("start_name") if not empty(row.get("start_name")) else name,
                                row.get("lat"), row.get("lon"))
        days = None
        if not empty(row.get("days")):
            try:
                typed = _degrees(row.get("days"))
            except ValueError:
                typed = math.nan
            if not (typed.is_integer() and 1 <= typed <= MAX_DAYS):
                raise ConfigError("teams.bad_days", row=number, name=name, days=repr(row.get("days")),
                                  limit=MAX_DAYS)
            days = int(typed)
        out.append(TeamRow(name, start, days))
    if not out:
        raise ConfigError("teams.none")
    if len(out) > MAX_TEAMS:
        raise ConfigError("teams.too_many", n=len(out), limit=MAX_TEAMS)
    return out


class TeamStore:
    """The field teams of the trip plans, in the app database (set on the priorities page).

    Parameters
    ----------
    path : path-like
    """

    def __init__(self, path: str | os.PathLike[str] | AppDatabase) -> None:
        self.db = app_database(path)
        self.path = self.db.path

    def get(self) -> list[TeamRow]:
        """The saved teams in their order (empty when none were saved)."""
        with self.db.read() as conn:
            rows = conn.execute(text("SELECT name, start_name, lat, lon, days FROM trip_teams ORDER BY position")).all()
        return [TeamRow(name, (start_name, float(lat), float(lon)) if lat is not None else None, days)
                for name, start_name, lat, lon, days in rows]

    def put(self, rows: list[dict[str, object]]) -> list[TeamRow]:
        """Check and save the teams (replacing the saved ones at once); return them.

        Raises
        ------
        ConfigError
            See :func:`check_teams`.
        """
        teams = check_teams(rows)
        with self.db.write() as conn:
            conn.execute(text("DELETE FROM trip_teams"))
            if teams:
                conn.execute(
                    text("INSERT INTO trip_teams (position, name, start_name, lat, lon, days) "
                         "VALUES (:position, :name, :start_name, :lat, :lon, :days)"),
                    [{"position": i, "name": tm.name, "start_name": tm.start[0] if tm.start else None,
                      "lat": tm.start[1] if tm.start else None, "lon": tm.start[2] if tm.start else None,
                      "days": tm.days} for i, tm in enumerate(teams)])
        return teams

    def move(self, name: str, lat: object, lon: object) -> list[TeamRow]:
        """Give team ``name`` its own start at ``lat, lon`` (picked on the map); return the teams."""
        teams = self.get()
        rows = [{"name": tm.name, "start_name": tm.start[0] if tm.start else None,
                 "lat": tm.start[1] if tm.start else None, "lon": tm.start[2] if tm.start else None,
                 "days": tm.days} for tm in teams]
        for row in rows:
            if row["name"] == name:
                row["lat"], row["lon"] = lat, lon
                row["start_name"] = row["start_name"] or name
        return self.put(rows)

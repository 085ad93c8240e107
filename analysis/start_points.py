"""The trips' start point as the planner sets it on the priorities page, stored in the app database.

Set on the page (typed coordinates), it wins over ``[start_point]`` of
``config/outreach.toml`` and over the Tarogong Kidul fallback, so no one has
to edit a file.  A point outside the kabupaten is refused with the reason.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np

from core.errors import ConfigError
from ingest.appdb import table_connection
from ingest.matching import RegionIndex

_SCHEMA = """
CREATE TABLE IF NOT EXISTS start_point (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    saved_at TEXT NOT NULL DEFAULT (datetime('now'))
)
"""
#: Longest name kept.
MAX_NAME = 80


def check_start(name: object, lat: object, lon: object, region: str = "32.05") -> tuple[str, float, float]:
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
        la, lo = float(str(lat).strip()), float(str(lon).strip())
    except (TypeError, ValueError):
        raise ConfigError("start.bad_coordinate", lat=repr(lat), lon=repr(lon)) from None
    if not (math.isfinite(la) and math.isfinite(lo) and -90 <= la <= 90 and -180 <= lo <= 180):
        raise ConfigError("start.bad_coordinate", lat=repr(lat), lon=repr(lon))
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

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    def get(self) -> tuple[str, float, float] | None:
        """``(name, lat, lon)`` as saved, or None."""
        with table_connection(self.path, _SCHEMA) as conn:
            row = conn.execute("SELECT name, lat, lon FROM start_point WHERE id = 1").fetchone()
        return (row[0], float(row[1]), float(row[2])) if row else None

    def put(self, name: object, lat: object, lon: object, region: str = "32.05") -> tuple[str, float, float]:
        """Check and save the start point; return what was saved.

        Raises
        ------
        ConfigError
            ``start.no_name``, ``start.bad_coordinate`` or ``start.outside_region``.
        """
        text, la, lo = check_start(name, lat, lon, region)
        with table_connection(self.path, _SCHEMA) as conn:
            conn.execute("INSERT INTO start_point (id, name, lat, lon) VALUES (1, ?, ?, ?) ON CONFLICT(id) DO UPDATE "
                         "SET name = excluded.name, lat = excluded.lat, lon = excluded.lon, saved_at = datetime('now')",
                         (text, la, lo))
        return text, la, lo

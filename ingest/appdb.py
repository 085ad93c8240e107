"""One small table in the app database (SQLite): the connection every small store of the app opens."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path


@contextmanager
def table_connection(path: str | os.PathLike[str], schema: str) -> Iterator[sqlite3.Connection]:
    """An autocommit connection to the database file, closed on exit.

    The file's folder and ``schema`` (a ``CREATE TABLE IF NOT EXISTS``) are made first.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(path, timeout=30, isolation_level=None)) as conn:
        conn.execute(schema)
        yield conn

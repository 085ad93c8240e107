"""The app database (SQLite): the connections its stores open.

:func:`table_connection` serves the small settings tables (autocommit);
:func:`durable_connection` the logs whose every acknowledged write must
survive a crash (WAL, ``synchronous=FULL``, writers queueing on the lock).
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterator
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


def switch_to_wal(conn: sqlite3.Connection, deadline: float) -> None:
    """Switch the file to WAL; retried because a journal-mode change does not wait on the busy handler."""
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


#: (file, schema) pairs already made by this process: later connections skip the schema transaction.
_READY: set[tuple[str, str]] = set()


@contextmanager
def durable_connection(path: str | os.PathLike[str], schema: str, busy_timeout_s: float = 30.0,
                       migrate: Callable[[sqlite3.Connection], None] | None = None
                       ) -> Iterator[sqlite3.Connection]:
    """A connection for a log: WAL, ``synchronous=FULL``, the schema made first; closed on exit.

    Parameters
    ----------
    path : path-like
        The database file (its folder is made).
    schema : str
        ``CREATE ... IF NOT EXISTS`` statements separated by ``;``, run in one
        ``BEGIN IMMEDIATE`` transaction (safe when several processes start at once).
    busy_timeout_s : float
        How long a writer waits for another's lock.
    migrate : callable, optional
        ``migrate(conn)`` inside the same transaction (columns added after a first release).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(path, timeout=busy_timeout_s, isolation_level=None)) as conn:
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
        conn.execute("PRAGMA synchronous = FULL")
        ready = (str(path.resolve()), schema)
        if ready not in _READY:
            switch_to_wal(conn, time.monotonic() + busy_timeout_s)
            conn.execute("BEGIN IMMEDIATE")
            try:
                for statement in filter(str.strip, schema.split(";")):
                    conn.execute(statement)
                if migrate is not None:
                    migrate(conn)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            _READY.add(ready)
        yield conn

"""The app database: the embedded SQLite file by default, a shared PostgreSQL server when configured.

Every store of the app (visits, follow-up steps, cohorts, column mappings,
trip teams, accounts, the audit trail) goes through one :class:`AppDatabase`,
one code path for both back ends (SQLAlchemy), whose schema is versioned by
Alembic migrations (``ingest/migrations/versions``) applied on first use by
each process.

* SQLite (``data/app.db``; ``$PETA_APP_DB``): WAL journal, ``synchronous=FULL``
  (a committed write is on disk before the call returns), writers queue on
  the file lock for up to ``busy_timeout_s``.
* PostgreSQL (``$PETA_DATABASE_URL=postgresql://user:pass@host:port/db``): the
  server's own durability (``synchronous_commit=on``); connections are checked
  before use, so a server restart costs the writes in flight, never an
  acknowledged one.

>>> db = app_database("data/app.db")              # doctest: +SKIP
>>> with db.write() as conn:                       # doctest: +SKIP
...     conn.execute(text("DELETE FROM cohorts"))
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine

from core.errors import StoreError

__all__ = ["AppDatabase", "app_database", "text", "utc_now_text", "MIGRATIONS_DIR"]

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
#: Key of the PostgreSQL advisory lock that serialises migrations of several processes.
_MIGRATION_LOCK = 7_205_001
_DRIVERS = {"postgresql": "postgresql+psycopg", "postgres": "postgresql+psycopg"}


def utc_now_text() -> str:
    """The time a row is written, as every store keeps it: UTC, ISO 8601 to the second."""
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def database_url(target: str | os.PathLike[str]) -> str:
    """The SQLAlchemy URL of a database file path or URL (``postgresql://`` gets the psycopg driver).

    Raises
    ------
    StoreError
        ``store.bad_url`` for a URL of another kind of database.
    """
    value = os.fspath(target)
    scheme, sep, rest = value.partition("://")
    if not sep:
        return f"sqlite:///{Path(value).resolve()}"
    base = scheme.split("+")[0].lower()
    if base in _DRIVERS:
        return f"{_DRIVERS[base]}://{rest}"
    if base == "sqlite":
        return value
    raise StoreError("store.bad_url", scheme=scheme)


class AppDatabase:
    """One app database (a file or a server), its schema brought up to date on first use.

    Parameters
    ----------
    target : path-like or str
        An SQLite file path, ``sqlite:///...`` or ``postgresql://...``.
    busy_timeout_s : float
        How long a writer waits for another's lock (SQLite) or a connection (PostgreSQL).
    """

    def __init__(self, target: str | os.PathLike[str], busy_timeout_s: float = 30.0) -> None:
        self.url = database_url(target)
        self.busy_timeout_s = busy_timeout_s
        self.dialect = "sqlite" if self.url.startswith("sqlite") else "postgresql"
        self._engine: Engine | None = None
        self._migrated = False
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"AppDatabase({self.display_url!r})"

    @property
    def display_url(self) -> str:
        """The URL with any password hidden (for messages and logs)."""
        return sa.engine.make_url(self.url).render_as_string(hide_password=True)

    @property
    def path(self) -> Path | None:
        """The SQLite file, or None for a server."""
        if self.dialect != "sqlite":
            return None
        database = sa.engine.make_url(self.url).database
        return Path(database) if database else None

    def exists(self) -> bool:
        """Whether anything was ever stored: the SQLite file exists, or (server) always."""
        return self.path is None or self.path.is_file()

    @property
    def engine(self) -> Engine:
        """The process's engine (made on first use)."""
        with self._lock:
            if self._engine is None:
                self._engine = self._make_engine()
            return self._engine

    def _make_engine(self) -> Engine:
        if self.dialect == "sqlite":
            if self.path is not None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            engine = sa.create_engine(self.url, connect_args={"timeout": self.busy_timeout_s})
            _sqlite_pragmas(engine, self.busy_timeout_s)
            return engine
        return sa.create_engine(self.url, pool_pre_ping=True, pool_size=2, max_overflow=4,
                                pool_timeout=self.busy_timeout_s,
                                connect_args={"connect_timeout": max(1, int(self.busy_timeout_s))})

    def dispose(self) -> None:
        """Close the pooled connections (after a fork, or at the end of a test)."""
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection in a read transaction (a consistent snapshot), closed on exit."""
        self._ensure_schema()
        with self._connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A connection in a write transaction: committed on a clean exit (durably), rolled back on an error."""
        self._ensure_schema()
        with self._connect(write=True) as conn, conn.begin():
            yield conn

    @contextmanager
    def _connect(self, write: bool = False) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                if write:
                    conn.execution_options(peta_write=True)
                yield conn
        except sa.exc.OperationalError as exc:
            raise StoreError("store.unavailable", database=self.display_url,
                             reason=str(exc.orig).strip().splitlines()[0][:200]) from exc

    def _ensure_schema(self) -> None:
        if self._migrated:
            return
        # lazy: Alembic is loaded only when a database is first used
        from ingest.migrations import upgrade

        with self._connect(write=True) as conn, conn.begin():
            if self.dialect == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
            upgrade(conn)
        self._migrated = True

    def schema_version(self) -> str | None:
        """The Alembic revision the database is at."""
        with self.read() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()

    def integrity_ok(self) -> bool:
        """True when the database answers and (SQLite) ``PRAGMA integrity_check`` reports ``ok``."""
        with self.read() as conn:
            if self.dialect == "sqlite":
                return conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            return conn.execute(text("SELECT 1")).scalar() == 1


def _sqlite_pragmas(engine: Engine, busy_timeout_s: float) -> None:
    """WAL and full sync on every connection; ``BEGIN IMMEDIATE`` for writes (SQLAlchemy's SQLite recipe).

    The driver's own transaction handling is switched off so that SQLAlchemy's
    ``begin`` emits the statement: a write takes the lock at its start and
    queues on the busy handler instead of failing when it upgrades a read lock.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
        cursor.execute("PRAGMA synchronous = FULL")
        _switch_to_wal(cursor, time.monotonic() + busy_timeout_s)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("peta_write") else "BEGIN")


def _switch_to_wal(cursor, deadline: float) -> None:
    """Switch the file to WAL; retried because a journal-mode change does not wait on the busy handler."""
    import sqlite3

    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


_DATABASES: dict[tuple[int, str, float], AppDatabase] = {}
_DATABASES_LOCK = threading.Lock()


def app_database(target: AppDatabase | str | os.PathLike[str], busy_timeout_s: float = 30.0) -> AppDatabase:
    """The process's :class:`AppDatabase` for a path or URL (``analysis.config.Config.database``).

    One object per database, wait limit and process, so its schema check and
    connection pool are shared by every store that names it.
    """
    if isinstance(target, AppDatabase):
        return target
    url = database_url(target)
    key = (os.getpid(), url, float(busy_timeout_s))
    with _DATABASES_LOCK:
        if key not in _DATABASES:
            _DATABASES[key] = AppDatabase(url, busy_timeout_s)
        return _DATABASES[key]


def close_database(target: AppDatabase | str | os.PathLike[str]) -> None:
    """Close this process's pooled connections to a database and forget it (tests, shutdown)."""
    url = target.url if isinstance(target, AppDatabase) else database_url(target)
    with _DATABASES_LOCK:
        found = [key for key in _DATABASES if key[:2] == (os.getpid(), url)]
        dropped = [_DATABASES.pop(key) for key in found]
    for db in dropped:
        db.dispose()
    if isinstance(target, AppDatabase):
        target.dispose()

"""Column mappings a person confirmed, remembered for the next file with the same header.

A mapping is ``{file column name: role}`` (see
:func:`ingest.coverage.read_coverage`'s ``columns``).  It is stored under the
header's :func:`header_signature` in the app database (SQLite, the file the
caller names), so the planner who mapped ``TK Terdata`` to ``pekerja`` once
is not asked again for next month's file.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping

from ingest.appdb import AppDatabase, app_database, text, utc_now_text
from ingest.headers import column_key


def header_signature(columns: Iterable[str]) -> str:
    """A stable key of a header: its column names (:func:`ingest.headers.column_key`) in order, hashed."""
    joined = "\x1f".join(column_key(c) for c in columns)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


class MappingStore:
    """Remembered column mappings in an SQLite file.

    Parameters
    ----------
    path : path-like
        The database file (created with its table on first use).
    """

    def __init__(self, path: str | os.PathLike[str] | AppDatabase) -> None:
        self.db = app_database(path)
        self.path = self.db.path

    def get(self, signature: str) -> dict[str, str] | None:
        """The mapping saved for a header, or None."""
        with self.db.read() as conn:
            row = conn.execute(text("SELECT mapping FROM column_mappings WHERE signature = :s"),
                               {"s": signature}).first()
        return json.loads(row[0]) if row else None

    def put(self, signature: str, mapping: Mapping[str, str]) -> None:
        """Save (or replace) the mapping of a header."""
        now = utc_now_text()
        with self.db.write() as conn:
            conn.execute(text("INSERT INTO column_mappings (signature, mapping, saved_at) VALUES (:s, :m, :now) "
                              "ON CONFLICT (signature) DO UPDATE SET mapping = excluded.mapping, "
                              "saved_at = excluded.saved_at"),
                         {"s": signature, "m": json.dumps(dict(mapping), ensure_ascii=False), "now": now})

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
from pathlib import Path

from ingest.appdb import table_connection
from ingest.headers import column_key

_SCHEMA = """
CREATE TABLE IF NOT EXISTS column_mappings (
    signature TEXT PRIMARY KEY,
    mapping TEXT NOT NULL,
    saved_at TEXT NOT NULL DEFAULT (datetime('now'))
)
"""


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

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    def get(self, signature: str) -> dict[str, str] | None:
        """The mapping saved for a header, or None."""
        with table_connection(self.path, _SCHEMA) as conn:
            row = conn.execute("SELECT mapping FROM column_mappings WHERE signature = ?", (signature,)).fetchone()
        return json.loads(row[0]) if row else None

    def put(self, signature: str, mapping: Mapping[str, str]) -> None:
        """Save (or replace) the mapping of a header."""
        with table_connection(self.path, _SCHEMA) as conn:
            conn.execute("INSERT INTO column_mappings (signature, mapping) VALUES (?, ?) "
                         "ON CONFLICT(signature) DO UPDATE SET mapping = excluded.mapping, saved_at = datetime('now')",
                         (signature, json.dumps(dict(mapping), ensure_ascii=False)))

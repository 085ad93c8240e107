"""Parquet files as grids of text cells, read with DuckDB.

A Parquet file has no header row: its column names become row 1 of the grid
and its records rows 2 onwards, as a CSV with a header would give, so row
numbers in messages are those of the CSV the same table would be.  Every
value is cast to text (``VARCHAR``); a missing value is an empty cell.
Large participant lists are not read into a grid at all
(:mod:`ingest.columnar` reads them by column).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

#: The first bytes (and the last) of every Parquet file.
MAGIC = b"PAR1"


def sql_literal(value: object) -> str:
    """``value`` as a single-quoted SQL string literal."""
    return "'" + str(value).replace("'", "''") + "'"


def sql_identifier(name: str) -> str:
    """``name`` as a double-quoted SQL identifier."""
    return '"' + str(name).replace('"', '""') + '"'


def column_names(con: Any, path: Path) -> list[str]:
    """The column names of the Parquet file at ``path`` (``con``: a DuckDB connection)."""
    return [d[0] for d in con.execute(f"SELECT * FROM read_parquet({sql_literal(path)}) LIMIT 0").description]


def parquet_grid(path: Path, rows: int | None = None) -> pd.DataFrame:
    """The file's column names and (the first ``rows``) records as a grid of text cells.

    Raises
    ------
    duckdb.Error
        If the file is not a readable Parquet file.
    """
    import duckdb

    with duckdb.connect(config={"threads": 2, "memory_limit": "1GB"}) as con:
        names = column_names(con, path)
        cast = ", ".join(f"coalesce(CAST({sql_identifier(n)} AS VARCHAR), '')" for n in names)
        limit = f" LIMIT {int(rows)}" if rows is not None else ""
        records = con.execute(f"SELECT {cast} FROM read_parquet({sql_literal(path)}){limit}").fetchall()
    grid = pd.DataFrame([names, *records], dtype=object)
    grid.columns = range(grid.shape[1])
    return grid


def parquet_bytes_grid(data: bytes) -> pd.DataFrame:
    """:func:`parquet_grid` of a file held in memory (written to a temporary file for DuckDB)."""
    with tempfile.TemporaryDirectory(prefix="peta-parquet-") as folder:
        path = Path(folder) / "upload.parquet"
        path.write_bytes(data)
        return parquet_grid(path)

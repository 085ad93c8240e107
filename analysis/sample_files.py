"""Writing the project's illustrative files: CSV bytes, a whole-file replace, a byte-for-byte comparison.

Shared by the illustrative companies file (:mod:`analysis.sample_companies`)
and desa programme table (:mod:`analysis.sample_programmes`).
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path


def csv_bytes(rows: Iterable[Mapping[str, object]], columns: Sequence[str]) -> bytes:
    """Rows as UTF-8, comma-separated CSV with a header and ``\\n`` line ends."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def write_whole(path: str | os.PathLike[str], content: bytes) -> Path:
    """Write ``content`` to ``path`` (folders made), replacing the file whole: a reader never sees half of it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    partial.write_bytes(content)
    partial.replace(path)
    return path


def same_bytes(path: str | os.PathLike[str], content: bytes) -> bool:
    """Whether the file at ``path`` exists and holds exactly ``content``."""
    path = Path(path)
    return path.is_file() and path.stat().st_size == len(content) and path.read_bytes() == content

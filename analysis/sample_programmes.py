"""The ILLUSTRATIVE desa programme table: invented Desa Sadar Jamsostek status, perangkat and Perisai agents.

``data/sample/program_desa_ilustratif.csv`` (``python -m analysis sample
--programmes``) gives every desa of Garut an invented status (about one in
eight declared a Desa Sadar Jamsostek, one in ten in progress), a declaration
date in 2024-2025, its perangkat desa registered of 8 to 16, and 0 to 4
active Perisai agents, more where a desa has declared.  Every row says
``ILUSTRATIF``; the app labels the table so whenever it is in use.  Numbers
come from a keyed BLAKE2b hash of (seed, desa code, quantity): the same bytes
on every machine.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

from analysis.sample_files import csv_bytes, same_bytes, write_whole
from geo.paths import PROJECT_ROOT
from ingest.matching import RegionIndex

SAMPLE_PROGRAMMES_PATH = PROJECT_ROOT / "data" / "sample" / "program_desa_ilustratif.csv"
SAMPLE_SEED = 3205
SAMPLE_REGION = "32.05"
LABEL = "ILUSTRATIF"
COLUMNS = ("kode_desa", "desa", "kecamatan", "desa_sadar_jamsostek", "tanggal_pencanangan", "perangkat_terdaftar",
           "jumlah_perangkat", "agen_perisai_aktif", "keterangan")
#: Invented shares of desa declared and in progress.
DECLARED, IN_PROGRESS = 0.12, 0.10
_FIRST_DAY, _DAYS = dt.date(2024, 1, 8), 700


def _unit(seed: int, kode: str, quantity: str) -> float:
    digest = hashlib.blake2b(f"{seed}:{kode}:{quantity}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def generate_sample_programmes(seed: int = SAMPLE_SEED) -> list[dict]:
    """One invented row per desa of Garut, in code order."""
    index = RegionIndex.load(SAMPLE_REGION)
    rows = []
    for kode in sorted(index.desa_nama):
        u = _unit(seed, kode, "status")
        status = "sudah" if u < DECLARED else "proses" if u < DECLARED + IN_PROGRESS else "belum"
        total = 8 + int(_unit(seed, kode, "perangkat") * 9)
        share = {"sudah": 0.85, "proses": 0.5, "belum": 0.15}[status] * (0.6 + 0.4 * _unit(seed, kode, "share"))
        agents = int(_unit(seed, kode, "perisai") * (5 if status == "sudah" else 3 if status == "proses" else 2))
        day = _FIRST_DAY + dt.timedelta(days=int(_unit(seed, kode, "date") * _DAYS))
        rows.append({"kode_desa": kode, "desa": index.desa_nama[kode],
                     "kecamatan": index.kec_nama[index.desa_kec[kode]], "desa_sadar_jamsostek": status,
                     "tanggal_pencanangan": day.isoformat() if status == "sudah" else "",
                     "perangkat_terdaftar": min(total, round(total * share)), "jumlah_perangkat": total,
                     "agen_perisai_aktif": agents, "keterangan": LABEL})
    return rows


def sample_programmes_bytes(seed: int = SAMPLE_SEED) -> bytes:
    """The illustrative table as UTF-8 CSV with ``\\n`` line ends."""
    return csv_bytes(generate_sample_programmes(seed), COLUMNS)


def write_sample_programmes(path: str | os.PathLike[str] | None = None, seed: int = SAMPLE_SEED) -> Path:
    """Write the illustrative table (default :data:`SAMPLE_PROGRAMMES_PATH`), replaced whole."""
    return write_whole(path if path is not None else SAMPLE_PROGRAMMES_PATH, sample_programmes_bytes(seed))


def is_sample_programmes(content: bytes) -> bool:
    """Whether uploaded bytes are the committed illustrative table, byte for byte."""
    return same_bytes(SAMPLE_PROGRAMMES_PATH, content)

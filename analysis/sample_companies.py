"""The ILLUSTRATIVE companies file: invented employers of Garut for trying the compliance pages.

There is no public list of Garut's companies with their BPJS Ketenagakerjaan
registration, so the app ships ``data/sample/perusahaan_ilustratif.csv``,
written by :func:`write_sample_companies` (``python -m analysis sample
--companies``).  Everything in it is invented: the names (``CV Contoh
001``), the NPP numbers (``99`` and six digits), the workers, wages,
programmes and so each company's status.  Only the mix of sectors and where
they sit follows what is known of Garut's economy (the profiles,
``analysis/sample_companies.json``): plantations and vegetables in the
highlands, trade in the towns, leather tanning in Sukaregang (Garut Kota),
textiles, food (dodol), tourism (Cipanas, Cimanuk rafting, the south coast),
construction, transport, fishing on the south coast.

Each row says ``ILUSTRATIF`` in its ``keterangan`` column; the app and every
export label the data as illustrative whenever this file is in use
(:func:`is_sample_companies`).  Numbers come from a keyed BLAKE2b hash of
(seed, profile, company number, quantity), so the file is the same byte for
byte on every machine.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from pathlib import Path

from analysis.compliance import load_rules
from analysis.sample_files import csv_bytes, same_bytes, write_whole
from geo.paths import PROJECT_ROOT
from ingest.matching import RegionIndex

#: The committed file.
SAMPLE_COMPANIES_PATH = PROJECT_ROOT / "data" / "sample" / "perusahaan_ilustratif.csv"
PROFILES_PATH = Path(__file__).with_name("sample_companies.json")
SAMPLE_SEED = 3205
#: The region the profiles are written for.
SAMPLE_REGION = "32.05"
#: The word on every row, and the label of the data wherever it is shown.
LABEL = "ILUSTRATIF"
COLUMNS = ("nama_perusahaan", "npp", "kbli", "kode_desa", "desa", "kecamatan", "tk_dipekerjakan", "tk_terdaftar",
           "upah_dilaporkan", "upah_terdaftar", "program", "keterangan")


def _unit(seed: int, *parts: object) -> float:
    """A reproducible number in [0, 1) for one company and quantity."""
    digest = hashlib.blake2b(":".join(map(str, (seed, *parts))).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def _pick(weights: dict[str, float], u: float) -> str:
    total, running = sum(weights.values()), 0.0
    for key, weight in weights.items():
        running += weight / total
        if u < running:
            return key
    return next(reversed(weights))


def _company(seed: int, profile: dict, number: int, index: RegionIndex, kec_codes: dict[str, str]) -> dict:
    key = profile["key"]

    def unit(quantity: str) -> float:
        return _unit(seed, key, number, quantity)

    rules = load_rules()
    kec = kec_codes[_pick(profile["kecamatan"], unit("kecamatan"))]
    desa = sorted(k for k, parent in index.desa_kec.items() if parent == kec)
    kode = desa[int(unit("desa") * len(desa))]
    lo, hi = profile["workers"]
    workers = max(2, round(math.exp(math.log(lo) + unit("workers") * (math.log(hi) - math.log(lo)))))
    workers = min(workers, 4) if key == "tidak_wajib" else workers
    wage_lo, wage_hi = profile["wage"]
    wage = round((wage_lo + unit("wage") * (wage_hi - wage_lo)) / 10_000) * 10_000
    outcome = _pick(profile["outcomes"], unit("outcome"))
    required = list(rules.programmes_by_scale[rules.scale_for(workers)])
    row = {"nama_perusahaan": f"{profile['forms'][int(unit('form') * len(profile['forms']))]} Contoh {number:03d}",
           "npp": "", "kbli": profile["kbli"][int(unit("kbli") * len(profile["kbli"]))], "kode_desa": kode,
           "desa": index.desa_nama[kode], "kecamatan": index.kec_nama[kec], "tk_dipekerjakan": workers,
           "tk_terdaftar": "", "upah_dilaporkan": wage, "upah_terdaftar": "", "program": "", "keterangan": LABEL}
    if outcome in ("pwbd", "tidak_wajib"):
        return row
    enrolled = workers
    registered_wage = wage
    if outcome == "pds_tk":
        enrolled = min(workers - 1, max(1, round(workers * (0.25 + 0.6 * unit("enrolled")))))
    elif outcome == "pds_upah":
        registered_wage = round(wage * (0.6 + 0.3 * unit("registered_wage")) / 10_000) * 10_000
    elif outcome == "pds_program":
        required = required[:-1]
    row.update(npp=f"99{number:06d}", tk_terdaftar=enrolled, upah_terdaftar=registered_wage,
               program=", ".join(required))
    return row


def generate_sample_companies(seed: int = SAMPLE_SEED) -> list[dict]:
    """The illustrative companies (rows of :data:`COLUMNS`), numbered in profile order."""
    profiles = json.loads(PROFILES_PATH.read_text(encoding="utf-8"))["profiles"]
    index = RegionIndex.load(SAMPLE_REGION)
    kec_codes = {name: kode for kode, name in index.kec_nama.items()}
    rows, number = [], 0
    for profile in profiles:
        for _ in range(profile["count"]):
            number += 1
            rows.append(_company(seed, profile, number, index, kec_codes))
    return rows


def sample_companies_bytes(seed: int = SAMPLE_SEED) -> bytes:
    """The illustrative file as UTF-8 CSV with ``\\n`` line ends."""
    return csv_bytes(generate_sample_companies(seed), COLUMNS)


def write_sample_companies(path: str | os.PathLike[str] | None = None, seed: int = SAMPLE_SEED) -> Path:
    """Write the illustrative companies file (default :data:`SAMPLE_COMPANIES_PATH`), replaced whole."""
    return write_whole(path if path is not None else SAMPLE_COMPANIES_PATH, sample_companies_bytes(seed))


def is_sample_companies(source: str | os.PathLike[str] | bytes) -> bool:
    """Whether a file (path or uploaded bytes) is the committed illustrative companies file, byte for byte."""
    data = source if isinstance(source, bytes) else Path(source).read_bytes() if Path(source).is_file() else b""
    return same_bytes(SAMPLE_COMPANIES_PATH, data)

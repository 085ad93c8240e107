"""Deterministic SAMPLE coverage data for the 442 desa/kelurahan of Garut.

There is no public BPJS Ketenagakerjaan coverage by desa, so the app ships an
illustrative file, ``data/sample/coverage_desa.csv``, written by
:func:`write_sample` (``python -m analysis sample``).  Only the kabupaten
totals of the latest period are real: 836,000 working people and 186,000
active participants in 2024 (22.3%).  Everything below the kabupaten is
invented, as follows:

* **Workers** (``pekerja``) are 836,000 apportioned by a made-up population
  weight: ``area_km2 ** 0.3`` (area rounded to 0.1 km²) times a zone factor
  (urban kelurahan 3.0, the Garut Kota / Tarogong / Karangpawitan fringe
  1.4, rural 1.0, remote south 0.85) times a per-desa noise factor.
* **Covered** (``peserta_aktif``) are 186,000 apportioned by
  ``pekerja * rate``, the rate being a zone base (kelurahan 42%, fringe 29%,
  rural 21%, remote south 12%) times noise, never above ``pekerja``.
* **Formal / informal** (``*_pu`` / ``*_bpu``): a zone share of formal
  workers (kelurahan 55%, fringe 38%, rural 24%, remote south 14%, with
  noise); informal coverage is a fifth of formal coverage in every desa
  (:data:`INFORMAL_TO_FORMAL_RATE`).  ``pu + bpu`` equals the total for
  both workers and covered.
* **Two periods**: 2024-12 hits the published totals exactly; 2024-06 has
  829,000 workers and 174,000 covered (invented), spread so that most desa
  gain a little coverage and a few lose some.

Noise comes from a keyed hash of (seed, quantity, kode), not from a random
number generator, so it does not depend on the NumPy version, on row order
or on how many desa there are.  Sums are exact through largest-remainder
apportionment (:func:`apportion`).  The desa list, names and areas come from
the built boundaries (``geo.boundaries.load_layer("desa")``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import os
from pathlib import Path

import numpy as np
import pandas as pd

from geo.boundaries import load_layer
from geo.paths import PROJECT_ROOT

#: Where the committed sample lives.
SAMPLE_PATH = PROJECT_ROOT / "data" / "sample" / "coverage_desa.csv"
#: Seed of the committed sample.
SAMPLE_SEED = 3205
#: Region the sample covers (Kabupaten Garut).
SAMPLE_REGION = "32.05"
#: CSV header, in order (the canonical names the ingest module accepts).
SAMPLE_COLUMNS = (
    "kode_desa", "desa", "kecamatan", "periode",
    "pekerja", "peserta_aktif", "pekerja_pu", "peserta_pu", "pekerja_bpu", "peserta_bpu",
)
#: Periods of the sample, oldest first.
SAMPLE_PERIODS = ("2024-06", "2024-12")
#: (workers, covered) per period.  2024-12 is the published 2024 figure for
#: Garut; 2024-06 is invented (a little lower coverage).
PERIOD_TOTALS = {"2024-06": (829_000, 174_000), "2024-12": (836_000, 186_000)}

#: Kecamatan of the urban core: Garut Kota and its neighbours holding kelurahan.
URBAN_CORE_KECAMATAN = {
    "32.05.01": "Garut Kota",
    "32.05.02": "Karangpawitan",
    "32.05.04": "Tarogong Kaler",
    "32.05.05": "Tarogong Kidul",
}
#: Remote southern kecamatan (coast and southern highlands).
REMOTE_SOUTH_KECAMATAN = {
    "32.05.24": "Singajaya",
    "32.05.25": "Cihurip",
    "32.05.26": "Peundeuy",
    "32.05.27": "Pameungpeuk",
    "32.05.28": "Cisompet",
    "32.05.29": "Cibalong",
    "32.05.30": "Cikelet",
    "32.05.31": "Bungbulang",
    "32.05.32": "Mekarmukti",
    "32.05.33": "Pakenjeng",
    "32.05.35": "Cisewu",
    "32.05.36": "Caringin",
    "32.05.37": "Talegong",
}

#: Invented parameters per zone: population factor, coverage rate, formal share.
ZONE_PARAMETERS = {
    "kelurahan": (3.0, 0.42, 0.55),
    "pinggiran_kota": (1.4, 0.29, 0.38),
    "perdesaan": (1.0, 0.21, 0.24),
    "selatan_terpencil": (0.85, 0.12, 0.14),
}
#: Exponent of area in the population weight (large rural desa are sparse).
AREA_EXPONENT = 0.3
#: Spread (standard deviation of the log factor) of the per-desa noise.
NOISE = {"population": 0.25, "rate": 0.18, "formal_share": 0.15,
         "workers_change": 0.02, "covered_change": 0.04}
#: Informal (BPU) coverage rate as a fraction of the formal (PU) rate.
INFORMAL_TO_FORMAL_RATE = 0.2
#: Largest formal share any desa gets.
MAX_FORMAL_SHARE = 0.8


def apportion(total: int, weights: np.ndarray, caps: np.ndarray | None = None) -> np.ndarray:
    """Split an integer total in proportion to weights, exactly (largest remainder).

    Parameters
    ----------
    total : int
        Non-negative integer to split.
    weights : array of float
        Non-negative weights, at least one positive.
    caps : array of int, optional
        Upper bound of each share.  Shares whose proportional quota exceeds
        their cap get the cap; the rest is split among the others again.

    Returns
    -------
    numpy.ndarray of int64
        Shares summing to ``total``; ties in the remainders go to the
        earlier position.

    Raises
    ------
    ValueError
        If weights are negative or all zero, or the caps cannot hold ``total``.
    """
    weights = np.asarray(weights, dtype="float64")
    if total < 0 or (weights < 0).any() or not weights.sum() > 0:
        raise ValueError(f"apportion needs total >= 0 and non-negative weights with a positive sum; "
                         f"got total={total}, weight sum={weights.sum()}")
    caps = np.full(weights.shape, total, dtype="int64") if caps is None else np.asarray(caps, dtype="int64")
    if caps[weights > 0].sum() < total:
        raise ValueError(f"apportion cannot place {total} within caps summing to {caps[weights > 0].sum()}")
    shares = np.zeros(weights.shape, dtype="int64")
    free = weights > 0
    remaining = total
    while True:
        quotas = np.zeros(weights.shape)
        quotas[free] = remaining * weights[free] / weights[free].sum()
        over = free & (quotas >= caps)
        if not over.any():
            break
        shares[over] = caps[over]
        remaining -= int(caps[over].sum())
        free &= ~over
    shares[free] = np.floor(quotas[free]).astype("int64")
    left = remaining - int(shares[free].sum())
    remainders = np.where(free, quotas - np.floor(quotas), -1.0)
    order = np.argsort(-remainders, kind="stable")
    shares[order[:left]] += 1
    return shares


def _unit(seed: int, quantity: str, kode: str) -> float:
    """Return a reproducible number in [0, 1) for one desa and quantity."""
    digest = hashlib.blake2b(f"{seed}:{quantity}:{kode}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def _noise(seed: int, quantity: str, kodes: pd.Series) -> np.ndarray:
    """Return multiplicative noise exp(s·z), z uniform with unit variance, per desa."""
    spread = NOISE[quantity]
    u = np.array([_unit(seed, quantity, k) for k in kodes])
    return np.exp(spread * math.sqrt(3) * (2 * u - 1))


def _zone(desa: pd.DataFrame) -> pd.Series:
    """Classify each desa into one of :data:`ZONE_PARAMETERS`."""
    zone = pd.Series("perdesaan", index=desa.index)
    core = desa["kode_kec"].isin(list(URBAN_CORE_KECAMATAN))
    zone[core] = "pinggiran_kota"
    zone[core & desa["jenis"].eq("kelurahan")] = "kelurahan"
    zone[desa["kode_kec"].isin(list(REMOTE_SOUTH_KECAMATAN))] = "selatan_terpencil"
    return zone


def _round_half_up(values: np.ndarray) -> np.ndarray:
    return np.floor(values + 0.5).astype("int64")


def _split_covered(covered: np.ndarray, formal: np.ndarray, informal: np.ndarray) -> np.ndarray:
    """Covered formal workers when informal coverage is a fixed fraction of formal coverage."""
    k = INFORMAL_TO_FORMAL_RATE
    denominator = formal + k * informal
    with np.errstate(divide="ignore", invalid="ignore"):
        formal_rate = np.where(denominator > 0, covered / denominator, 0.0)
    covered_formal = np.minimum(np.minimum(formal, covered), _round_half_up(formal * formal_rate))
    # If the informal remainder would exceed the informal workers, move it to formal.
    return np.maximum(covered_formal, covered - informal)


def _period_rows(desa: pd.DataFrame, period: str, workers: np.ndarray, covered: np.ndarray,
                 formal_share: np.ndarray) -> pd.DataFrame:
    workers_pu = np.minimum(workers, _round_half_up(workers * formal_share))
    workers_bpu = workers - workers_pu
    covered_pu = _split_covered(covered, workers_pu, workers_bpu)
    return pd.DataFrame({
        "kode_desa": desa["kode"].to_numpy(),
        "desa": desa["nama"].to_numpy(),
        "kecamatan": desa["kecamatan"].to_numpy(),
        "periode": period,
        "pekerja": workers,
        "peserta_aktif": covered,
        "pekerja_pu": workers_pu,
        "peserta_pu": covered_pu,
        "pekerja_bpu": workers_bpu,
        "peserta_bpu": covered - covered_pu,
    })


def generate_sample(seed: int = SAMPLE_SEED) -> pd.DataFrame:
    """Generate the sample coverage table (one row per desa per period).

    Parameters
    ----------
    seed : int
        Seed of the per-desa noise; :data:`SAMPLE_SEED` gives the committed file.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SAMPLE_COLUMNS` (counts as int64), sorted by
        ``kode_desa`` then ``periode``; 884 rows for Garut's 442 desa.
    """
    desa = load_layer("desa", SAMPLE_REGION).sort_values("kode").reset_index(drop=True)
    zone = _zone(desa)
    pop_factor, base_rate, base_formal = (
        zone.map({z: p[i] for z, p in ZONE_PARAMETERS.items()}).to_numpy(dtype="float64") for i in range(3)
    )
    kodes = desa["kode"]
    area = np.maximum(desa["area_km2"].to_numpy(dtype="float64").round(1), 0.1)
    population = area**AREA_EXPONENT * pop_factor * _noise(seed, "population", kodes)
    rate = base_rate * _noise(seed, "rate", kodes)
    formal_share = np.minimum(base_formal * _noise(seed, "formal_share", kodes), MAX_FORMAL_SHARE)

    earlier, latest = SAMPLE_PERIODS
    workers = apportion(PERIOD_TOTALS[latest][0], population)
    covered = apportion(PERIOD_TOTALS[latest][1], workers * rate, caps=workers)
    workers_before = apportion(PERIOD_TOTALS[earlier][0], workers * _noise(seed, "workers_change", kodes))
    covered_before = apportion(
        PERIOD_TOTALS[earlier][1],
        covered * workers_before / workers * _noise(seed, "covered_change", kodes),
        caps=workers_before,
    )
    frame = pd.concat([
        _period_rows(desa, earlier, workers_before, covered_before, formal_share),
        _period_rows(desa, latest, workers, covered, formal_share),
    ])
    return frame.sort_values(["kode_desa", "periode"], kind="stable").reset_index(drop=True)


def sample_csv_bytes(frame: pd.DataFrame) -> bytes:
    """Serialise a sample table as plain UTF-8, comma-separated CSV with ``\\n`` line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(SAMPLE_COLUMNS)
    writer.writerows(frame[list(SAMPLE_COLUMNS)].itertuples(index=False, name=None))
    return buffer.getvalue().encode("utf-8")


def write_sample(path: str | os.PathLike[str] = SAMPLE_PATH, seed: int = SAMPLE_SEED) -> Path:
    """Generate the sample and write it as CSV.

    Parameters
    ----------
    path : path-like
        Output file (default :data:`SAMPLE_PATH`); parent folders are created.
    seed : int
        Noise seed (default :data:`SAMPLE_SEED`).

    Returns
    -------
    pathlib.Path
        The file written.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(sample_csv_bytes(generate_sample(seed)))
    return path


def is_sample(source: str | os.PathLike[str] | bytes) -> bool:
    """Tell whether a file is the committed sample (the file itself or a byte-identical copy).

    Parameters
    ----------
    source : path-like or bytes
        A file, or the content of an upload.

    Returns
    -------
    bool
        False when the file does not exist.  A copy that was edited in any
        way is no longer "the sample".
    """
    if not SAMPLE_PATH.is_file():
        return False
    if isinstance(source, bytes):
        return len(source) == SAMPLE_PATH.stat().st_size and source == SAMPLE_PATH.read_bytes()
    path = Path(source)
    if not path.is_file():
        return False
    if path.resolve() == SAMPLE_PATH.resolve():
        return True
    return path.stat().st_size == SAMPLE_PATH.stat().st_size and path.read_bytes() == SAMPLE_PATH.read_bytes()
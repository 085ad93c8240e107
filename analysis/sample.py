"""Deterministic SAMPLE coverage data for the 442 desa/kelurahan of Garut.

There is no public BPJS Ketenagakerjaan coverage by desa, so the app ships an
illustrative file, ``data/sample/coverage_desa.csv``, written by
:func:`write_sample` (``python -m analysis sample``).  The kabupaten totals
of the latest period are the published ones: 836,000 working people, 186,000
active participants (22.3%) and informal (BPU) coverage of 22.28%
(:data:`INFORMAL_COVERAGE`).  Below the kabupaten:

* **Workers** (``pekerja``) follow the real distribution: 836,000 spread over
  the desa by their Dukcapil population aged 15–64
  (:func:`analysis.denominator.estimate_workers`, snapshot ``s1``).
* **Formal / informal workers** (``*_pu`` / ``*_bpu``, invented): a zone
  share of formal workers (kelurahan 55%, fringe 38%, rural 24%, remote
  south 14%, with noise).
* **Covered** (invented): the BPU participants (22.28% of the informal
  workers) and the PU participants (the rest of the 186,000) are each
  apportioned by workers times a zone rate (kelurahan 42%, fringe 29%, rural
  21%, remote south 12%) with noise, never above the workers of their
  segment.  ``pu + bpu`` equals the total for workers and covered.
* **Two periods**: 2024-12 hits the published totals exactly; 2024-06 has
  829,000 workers and 174,000 covered (invented), spread so that most desa
  gain a little coverage and a few lose some.

**Other regions** (``PETA_REGION``, see :mod:`geo.region`) get a sample made
the same way on first use (:func:`sample_path`, into the git-ignored
``data/sample/generated/``), with what is known of Garut carried over, all
invented: the working people are Garut's share of the population aged 15–64
(836,000 of its 1,874,000 or so), coverage and its change are Garut's
(22.3%, 2024-06 against 2024-12), and the zones are only kelurahan and
perdesaan (the urban-core and remote-south lists are Garut's kecamatan).

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

from analysis.apportion import apportion
from analysis.denominator import estimate_workers
from geo.boundaries import load_layer
from geo.paths import PROJECT_ROOT
from geo.region import resolve_region
from ingest.population import load_population

#: Where the committed sample lives.
SAMPLE_PATH = PROJECT_ROOT / "data" / "sample" / "coverage_desa.csv"
#: Seed of the committed sample.
SAMPLE_SEED = 3205
#: Region the committed sample covers (Kabupaten Garut).
SAMPLE_REGION = "32.05"
#: Where the samples of other regions are written on first use (git-ignored), and the version of
#: their recipe (in their file names: a changed recipe makes new files).
GENERATED_DIR = PROJECT_ROOT / "data" / "sample" / "generated"
GENERATED_VERSION = 1
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

#: Invented parameters per zone: coverage rate (a weight), formal share of the workers.
ZONE_PARAMETERS = {
    "kelurahan": (0.42, 0.55),
    "pinggiran_kota": (0.29, 0.38),
    "perdesaan": (0.21, 0.24),
    "selatan_terpencil": (0.12, 0.14),
}
#: Spread (standard deviation of the log factor) of the per-desa noise.
NOISE = {"rate": 0.18, "formal_share": 0.15, "workers_change": 0.02, "covered_change": 0.04}
#: Published informal (BPU) coverage of the latest period: BPU participants / informal workers.
INFORMAL_COVERAGE = 0.2228
#: Largest formal share any desa gets.
MAX_FORMAL_SHARE = 0.8


def _unit(seed: int, quantity: str, kode: str) -> float:
    """Return a reproducible number in [0, 1) for one desa and quantity."""
    digest = hashlib.blake2b(f"{seed}:{quantity}:{kode}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def _noise(seed: int, quantity: str, kodes: pd.Series) -> np.ndarray:
    """Return multiplicative noise exp(s·z), z uniform with unit variance, per desa."""
    spread = NOISE[quantity]
    u = np.array([_unit(seed, quantity, k) for k in kodes])
    return np.exp(spread * math.sqrt(3) * (2 * u - 1))


def _zone(desa: pd.DataFrame, region: str = SAMPLE_REGION) -> pd.Series:
    """Classify each desa into one of :data:`ZONE_PARAMETERS` (outside Garut: kelurahan or perdesaan)."""
    zone = pd.Series("perdesaan", index=desa.index)
    if region != SAMPLE_REGION:
        zone[desa["jenis"].eq("kelurahan")] = "kelurahan"
        return zone
    core = desa["kode_kec"].isin(list(URBAN_CORE_KECAMATAN))
    zone[core] = "pinggiran_kota"
    zone[core & desa["jenis"].eq("kelurahan")] = "kelurahan"
    zone[desa["kode_kec"].isin(list(REMOTE_SOUTH_KECAMATAN))] = "selatan_terpencil"
    return zone


def _round_half_up(values: np.ndarray) -> np.ndarray:
    return np.floor(values + 0.5).astype("int64")


def _period_rows(desa: pd.DataFrame, period: str, workers_pu: np.ndarray, workers_bpu: np.ndarray,
                 covered_pu: np.ndarray, covered_bpu: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame({
        "kode_desa": desa["kode"].to_numpy(),
        "desa": desa["nama"].to_numpy(),
        "kecamatan": desa["kecamatan"].to_numpy(),
        "periode": period,
        "pekerja": workers_pu + workers_bpu,
        "peserta_aktif": covered_pu + covered_bpu,
        "pekerja_pu": workers_pu,
        "peserta_pu": covered_pu,
        "pekerja_bpu": workers_bpu,
        "peserta_bpu": covered_bpu,
    })


def _covered(total: int, informal_total: int, workers_pu: np.ndarray, workers_bpu: np.ndarray,
             rate: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """PU and BPU participants per desa: each segment's total apportioned by workers x rate, within its workers."""
    covered_bpu = apportion(informal_total, workers_bpu * rate, caps=workers_bpu)
    covered_pu = apportion(total - informal_total, workers_pu * rate, caps=workers_pu)
    return covered_pu, covered_bpu


def _region_totals(region: str) -> dict[str, tuple[int, int]]:
    """(workers, covered) per period of a region other than Garut: Garut's ratios on its population 15–64."""
    garut = int(load_population("s1", SAMPLE_REGION).desa["penduduk_15_64"].sum())
    people = int(load_population("s1", region).desa["penduduk_15_64"].sum())
    latest_workers = PERIOD_TOTALS[SAMPLE_PERIODS[-1]][0]
    workers = round(people * latest_workers / garut)
    return {period: (round(workers * w / latest_workers), round(workers * c / latest_workers))
            for period, (w, c) in PERIOD_TOTALS.items()}


def generate_sample(seed: int = SAMPLE_SEED, region: str | None = None) -> pd.DataFrame:
    """Generate the sample coverage table (one row per desa per period).

    Parameters
    ----------
    seed : int
        Seed of the per-desa noise; :data:`SAMPLE_SEED` gives the committed file.
    region : str, optional
        Default the region in use; Garut (:data:`SAMPLE_REGION`) gives the committed sample, another
        region the one described in the module's docstring.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SAMPLE_COLUMNS` (counts as int64), sorted by
        ``kode_desa`` then ``periode``; 884 rows for Garut's 442 desa.  A desa the Dukcapil snapshot
        has no population for (none in Garut) has no row: the map shows it as without data.
    """
    region = resolve_region(region)
    totals = PERIOD_TOTALS if region == SAMPLE_REGION else _region_totals(region)
    earlier, latest = SAMPLE_PERIODS
    estimate = estimate_workers(totals[latest][0], region, "s1").desa.set_index("kode")
    desa = load_layer("desa", region).sort_values("kode")
    desa = desa[desa["kode"].isin(estimate.index)].reset_index(drop=True)
    zone = _zone(desa, region)
    base_rate, base_formal = (
        zone.map({z: p[i] for z, p in ZONE_PARAMETERS.items()}).to_numpy(dtype="float64") for i in range(2)
    )
    kodes = desa["kode"]
    rate = base_rate * _noise(seed, "rate", kodes)
    formal_share = np.minimum(base_formal * _noise(seed, "formal_share", kodes), MAX_FORMAL_SHARE)

    workers = estimate.loc[kodes, "pekerja_estimasi"].to_numpy(dtype="int64")
    workers_before = apportion(totals[earlier][0], workers * _noise(seed, "workers_change", kodes))
    periods = {}
    for period, people, change in ((latest, workers, None), (earlier, workers_before, "covered_change")):
        total_covered = totals[period][1]
        workers_pu = np.minimum(people, _round_half_up(people * formal_share))
        workers_bpu = people - workers_pu
        informal = int(round(INFORMAL_COVERAGE * int(workers_bpu.sum())))
        if period != latest:  # the earlier period: the same informal share of the participants
            informal = int(round(periods[latest][3].sum() * total_covered / totals[latest][1]))
        weight = rate if change is None else rate * _noise(seed, change, kodes)
        covered_pu, covered_bpu = _covered(total_covered, informal, workers_pu, workers_bpu, weight)
        periods[period] = (workers_pu, workers_bpu, covered_pu, covered_bpu)
    frame = pd.concat([_period_rows(desa, period, *periods[period]) for period in SAMPLE_PERIODS])
    return frame.sort_values(["kode_desa", "periode"], kind="stable").reset_index(drop=True)


def sample_csv_bytes(frame: pd.DataFrame) -> bytes:
    """Serialise a sample table as plain UTF-8, comma-separated CSV with ``\\n`` line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(SAMPLE_COLUMNS)
    writer.writerows(frame[list(SAMPLE_COLUMNS)].itertuples(index=False, name=None))
    return buffer.getvalue().encode("utf-8")


def default_sample_path(region: str | None = None) -> Path:
    """Where a region's sample lives: :data:`SAMPLE_PATH` (committed) for Garut, else under :data:`GENERATED_DIR`."""
    region = resolve_region(region)
    if region == SAMPLE_REGION:
        return SAMPLE_PATH
    return GENERATED_DIR / f"coverage_desa_{region}_v{GENERATED_VERSION}.csv"


def sample_path(region: str | None = None) -> Path:
    """The sample file of a region (default the region in use), generated first when it is another region's."""
    path = default_sample_path(region)
    if not path.is_file() and path != SAMPLE_PATH:
        write_sample(path, region=region)
    return path


def write_sample(path: str | os.PathLike[str] | None = None, seed: int = SAMPLE_SEED,
                 region: str | None = None) -> Path:
    """Generate the sample and write it as CSV.

    Parameters
    ----------
    path : path-like, optional
        Output file (default :func:`default_sample_path` of the region); parent folders are created,
        and the file is replaced whole (a reader never sees half of it).
    seed : int
        Noise seed (default :data:`SAMPLE_SEED`).
    region : str, optional
        Default the region in use.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    path = Path(path) if path is not None else default_sample_path(region)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    partial.write_bytes(sample_csv_bytes(generate_sample(seed, region)))
    partial.replace(path)
    return path


def is_sample(source: str | os.PathLike[str] | bytes) -> bool:
    """Tell whether a file is a sample: the committed one, or the generated one of the region in use.

    Parameters
    ----------
    source : path-like or bytes
        A file, or the content of an upload.

    Returns
    -------
    bool
        False when the file does not exist.  A copy (byte for byte) counts; a copy that was edited in
        any way is no longer "the sample".
    """
    samples = [p for p in {SAMPLE_PATH, default_sample_path()} if p.is_file()]
    if isinstance(source, bytes):
        return any(len(source) == p.stat().st_size and source == p.read_bytes() for p in samples)
    path = Path(source)
    if not path.is_file():
        return False
    return any(path.resolve() == p.resolve()
               or (path.stat().st_size == p.stat().st_size and path.read_bytes() == p.read_bytes())
               for p in samples)

"""Ingest and validation speed, each against a plain pandas/geopandas baseline.

* a desa-level file of all 442 Garut desa (``read_coverage`` vs ``pd.read_csv``);
* a participant-level file aggregated to desa by code (vs ``pd.read_csv(usecols)``
  + ``groupby``, and vs a DuckDB ``GROUP BY``) and by lat/lon (vs ``pd.read_csv``
  + ``gpd.sjoin`` + ``groupby``): 1,000,000 rows, 50,000 with ``--quick``;
* 10,000,000 rows by code in a fresh process: time and peak memory (not with ``--quick``).

Peak memory is measured in a fresh interpreter (``VmHWM``) for the desa file,
the participant file and an XLSX bomb (refused before loading).

Files are generated in a temporary folder from a fixed seed (never
committed).  Baselines do no validation, matching or privacy handling, so
the ratio shows what those cost.  Each participant row also checks that
``read_coverage`` counts the same participants per desa as the baseline.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from cli.bench import BenchRow, best_of, stopwatch
from geo.boundaries import load_layer
from ingest.coverage import read_coverage
from ingest.matching import RegionIndex
from ingest.population import load_population

GROUP = "ingest"
SEED = 3205
#: Participant rows in full and quick mode.
ROWS_FULL, ROWS_QUICK = 1_000_000, 50_000
#: Throughput targets (participant rows per second).
TARGET_CODE_ROWS_PER_S = 100_000
TARGET_POINT_ROWS_PER_S = 50_000
#: Target for the whole-kabupaten desa file (seconds).
TARGET_DESA_FILE_S = 1.0


def write_desa_file(path: Path, desa: pd.DataFrame) -> None:
    """A desa-level file of every desa, canonical columns, Indonesian numbers."""
    rng = np.random.default_rng(SEED)
    # Plausible figures: a share of each desa's population (a figure above it is rejected).
    population = load_population().desa.set_index("kode")["penduduk"].reindex(desa["kode"]).to_numpy()
    workers = (population * rng.uniform(0.2, 0.35, len(desa))).astype(int)
    covered = (workers * rng.uniform(0.05, 0.5, len(desa))).astype(int)
    frame = pd.DataFrame({
        "kode_desa": desa["kode"], "desa": desa["nama"], "kecamatan": desa["kecamatan"], "periode": "2024-12",
        "pekerja": [f"{w:,}".replace(",", ".") for w in workers], "peserta_aktif": covered,
    })
    frame.to_csv(path, index=False, sep=";")


def write_participants(path_code: Path, path_points: Path, desa: gpd.GeoDataFrame, n: int) -> None:
    """Participant files (same people): one with kode_desa, one with lat/lon.

    Points scatter about 200 m around each desa's representative point, so a
    few fall in a neighbouring desa or outside the kabupaten (as real GPS
    points do).
    """
    rng = np.random.default_rng(SEED)
    pick = rng.integers(0, len(desa), n)
    anchor = desa.geometry.representative_point()
    lat = anchor.y.to_numpy()[pick] + rng.normal(0, 0.002, n)
    lon = anchor.x.to_numpy()[pick] + rng.normal(0, 0.002, n)
    nik = rng.integers(10**15, 10**16, n)
    segment = np.where(rng.random(n) < 0.7, "PU", "BPU")
    pd.DataFrame({"nik": nik, "kode_desa": desa["kode"].to_numpy()[pick], "segmen": segment}).to_csv(
        path_code, index=False)
    pd.DataFrame({"nik": nik, "lat": lat.round(6), "lon": lon.round(6), "segmen": segment}).to_csv(
        path_points, index=False)


def _baseline_code(path: Path) -> pd.Series:
    frame = pd.read_csv(path, usecols=["kode_desa", "segmen"], dtype=str)
    return frame.groupby("kode_desa").size()


def _baseline_duckdb(path: Path) -> pd.Series:
    """The same count in DuckDB with the checks a careful script would do (non-blank code, known segment)."""
    import duckdb

    with duckdb.connect(config={"threads": 2}) as con:
        frame = con.execute(
            f"SELECT kode_desa, count(*) AS n FROM read_csv('{path}', all_varchar=true) "
            "WHERE trim(kode_desa) <> '' AND upper(trim(segmen)) IN ('PU', 'BPU') GROUP BY kode_desa").df()
    return frame.set_index("kode_desa")["n"]


def _baseline_points(path: Path, desa: gpd.GeoDataFrame) -> pd.Series:
    frame = pd.read_csv(path)
    points = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs=desa.crs)
    joined = gpd.sjoin(points, desa[["kode", "geometry"]], predicate="within", how="inner")
    return joined.groupby("kode").size()


def _timed(fn, repeat: int):
    """Return ``(result of the first call, fastest time of repeat calls)``."""
    with stopwatch() as elapsed:
        result = fn()
    fastest = elapsed()
    if repeat > 1:
        fastest = min(fastest, best_of(fn, repeat - 1))
    return result, fastest


def _agrees(result, baseline: pd.Series) -> bool:
    got = result.table.set_index("kode")["covered"].astype("int64").sort_index()
    return got.equals(baseline.astype("int64").sort_index().rename("covered"))


def _pair(name: str, n: int, ours: float, baselines: list[tuple[str, float, float | None]],
          target: float, agrees: bool) -> list[BenchRow]:
    """Rows for one file: read_coverage against each ``(baseline name, seconds, target ratio or None)``."""
    rate = n / ours
    rows = []
    for label, base, ratio in baselines:
        held = {} if ratio is None else {"target": f"<= {ratio:g}x baseline", "ok": ours <= ratio * base}
        rows.append(BenchRow(GROUP, f"{name}: read_coverage", ours, "s", baseline=base, baseline_name=label,
                             **held))
    return rows + [
        BenchRow(GROUP, f"{name}: throughput", rate, "rows/s", target=f">= {target:,.0f} rows/s",
                 ok=rate >= target),
        BenchRow(GROUP, f"{name}: counts equal baseline", float(agrees), "bool", target="= 1", ok=agrees),
    ]


#: Memory targets (peak resident memory of a fresh process, imports included).
TARGET_BOMB_S, TARGET_BOMB_MB = 5.0, 500.0

_PEAK = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {root!r})
    {setup}
    started = time.perf_counter()
    {call}
    elapsed = time.perf_counter() - started
    status = open("/proc/self/status").read()
    peak_kb = int(next(l.split()[1] for l in status.splitlines() if l.startswith("VmHWM:")))
    print(elapsed, peak_kb / 1024)
""")


def _fresh_process(setup: str, call: str) -> tuple[float, float, float]:
    """``(seconds of call, peak MB of the process, peak MB of its parsing worker or 0)`` in a new interpreter.

    VmHWM counts that process only, so a parse done in the worker is reported by the worker itself.
    """
    from geo.paths import PROJECT_ROOT

    script = _PEAK.format(root=str(PROJECT_ROOT), setup=setup, call=call)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    lines = out.stdout.split("\n")
    worker = next((float(line.split()[1]) for line in lines if line.startswith("worker ")), 0.0)
    seconds, peak = next(line for line in reversed(lines) if line.strip()).split()
    return float(seconds), float(peak), worker


def _memory_rows(desa_file: Path, by_code: Path, n: int, folder: Path) -> list[BenchRow]:
    """Peak memory of reading the files in a fresh process, against the imports alone; the XLSX bomb."""
    from tests.test_xlsx_limits import BOMB

    imports = "from ingest.coverage import read_coverage\nfrom ingest.matching import RegionIndex\nRegionIndex.load()"
    _, base, _ = _fresh_process(imports, "pass")
    rows = [BenchRow(GROUP, "fresh process with the readers imported: peak memory", base, "MB")]
    for name, path in (("desa file, 442 desa", desa_file), (f"{n:,} participants by code", by_code)):
        call = (f"read_coverage({str(path)!r})\n"
                "import ingest.bounded; print('worker', (ingest.bounded.last_peak_bytes or 0) / 2**20)")
        seconds, peak, worker = _fresh_process(imports, call)
        rows += [BenchRow(GROUP, f"{name}: time in a fresh process", seconds, "s"),
                 BenchRow(GROUP, f"{name}: peak memory (process)", peak, "MB"),
                 BenchRow(GROUP, f"{name}: peak memory above the imports", peak - base, "MB")]
        if worker:
            rows.append(BenchRow(GROUP, f"{name}: peak memory of the parsing worker", worker, "MB"))
    bomb = folder / "bom.xlsx"
    bomb.write_bytes(BOMB)
    setup = "\n".join(["from ingest.xlsx import read_xlsx", f"data = open({str(bomb)!r}, 'rb').read()",
                       "def go():", "    try:", "        read_xlsx('bom.xlsx', data)", "    except Exception:",
                       "        pass"])
    seconds, peak, _ = _fresh_process(setup, "go()")
    rows += [BenchRow(GROUP, f"XLSX bomb ({len(BOMB):,} bytes, a cell at Z1048576): refused in", seconds, "s",
                      target=f"< {TARGET_BOMB_S:g} s", ok=seconds < TARGET_BOMB_S),
             BenchRow(GROUP, "XLSX bomb: peak memory (process)", peak, "MB", target=f"< {TARGET_BOMB_MB:g} MB",
                      ok=peak < TARGET_BOMB_MB)]
    return rows


def run(quick: bool = False) -> list[BenchRow]:
    """Generate the files in a temporary folder and time ingest against the baselines."""
    n = ROWS_QUICK if quick else ROWS_FULL
    desa = load_layer("desa").sort_values("kode").reset_index(drop=True)
    RegionIndex.load().locate(np.array([107.9]), np.array([-7.2]))  # load codes and polygons once, untimed
    rows: list[BenchRow] = []
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        folder = Path(tmp)
        desa_file = folder / "cakupan_desa.csv"
        write_desa_file(desa_file, desa)
        result = read_coverage(desa_file)
        ours = best_of(lambda: read_coverage(desa_file))
        base = best_of(lambda: pd.read_csv(desa_file, sep=";"))
        rows += [
            BenchRow(GROUP, f"desa file, {len(desa)} desa: read_coverage", ours, "s",
                     target=f"<= {TARGET_DESA_FILE_S} s", ok=ours <= TARGET_DESA_FILE_S,
                     baseline=base, baseline_name="pd.read_csv"),
            BenchRow(GROUP, f"desa file, {len(desa)} desa: rows matched", result.report["rows_matched"], "rows",
                     target=f"= {len(desa)}", ok=result.report["rows_matched"] == len(desa)),
        ]

        by_code, by_point = folder / "peserta_kode.csv", folder / "peserta_titik.csv"
        with stopwatch() as elapsed:
            write_participants(by_code, by_point, desa, n)
        rows.append(BenchRow(GROUP, f"generate {n:,} participants (2 files)", elapsed(), "s"))
        repeat = 3 if quick else 1
        result, ours = _timed(lambda: read_coverage(by_code), repeat)
        expected, usecols = _timed(lambda: _baseline_code(by_code), repeat)
        _, duck = _timed(lambda: _baseline_duckdb(by_code), repeat)
        rows += _pair(f"{n:,} participants by code", n, ours,
                      [("pandas read_csv(usecols) + groupby", usecols, 1.0), ("DuckDB read_csv + group by", duck, None)],
                      TARGET_CODE_ROWS_PER_S, _agrees(result, expected))
        result, ours = _timed(lambda: read_coverage(by_point), repeat)
        expected, sjoin = _timed(lambda: _baseline_points(by_point, desa), repeat)
        rows += _pair(f"{n:,} participants by lat/lon", n, ours, [("pandas + geopandas sjoin", sjoin, 0.5)],
                      TARGET_POINT_ROWS_PER_S, _agrees(result, expected))
        rows += _memory_rows(desa_file, by_code, n, folder)
        if not quick:
            rows += _ten_million(folder, desa)
    return rows


#: Peak memory a 10,000,000-row participant file may take (issue 13).
TARGET_10M_MB = 1536.0


def _ten_million(folder: Path, desa: gpd.GeoDataFrame) -> list[BenchRow]:
    """10,000,000 participants by code, read in a fresh process: time and peak memory."""
    big, points = folder / "peserta_10m.csv", folder / "peserta_10m_titik.csv"
    write_participants(big, points, desa, 10_000_000)
    points.unlink()
    imports = "from ingest.coverage import read_coverage\nfrom ingest.matching import RegionIndex\nRegionIndex.load()"
    seconds, peak, _ = _fresh_process(imports, f"read_coverage({str(big)!r})")
    usecols = best_of(lambda: _baseline_code(big), 1)
    return [BenchRow(GROUP, "10,000,000 participants by code: read_coverage (fresh process)", seconds, "s",
                     baseline=usecols, baseline_name="pandas read_csv(usecols) + groupby"),
            BenchRow(GROUP, "10,000,000 participants by code: peak memory (process)", peak, "MB",
                     target=f"<= {TARGET_10M_MB:g} MB", ok=peak <= TARGET_10M_MB)]

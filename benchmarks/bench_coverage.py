"""compute_coverage on the sample: desa input rolled up, kecamatan input joined directly."""

from __future__ import annotations

import pandas as pd

from analysis.coverage import COUNT_COLUMNS, compute_coverage
from analysis.sample import SAMPLE_PATH, generate_sample
from cli.bench import BenchRow, best_of

#: Sample CSV header -> coverage table column.
_SAMPLE_TO_TABLE = {
    "kode_desa": "kode", "periode": "period", "pekerja": "workers", "peserta_aktif": "covered",
    "pekerja_pu": "workers_formal", "peserta_pu": "covered_formal",
    "pekerja_bpu": "workers_informal", "peserta_bpu": "covered_informal",
}


def _sample_table() -> pd.DataFrame:
    """The committed sample as a desa-level coverage table (what ingest.coverage produces)."""
    try:
        from ingest.coverage import read_coverage
    except ImportError:  # before the ingest module exists: rename the canonical columns
        raw = pd.read_csv(SAMPLE_PATH, dtype={"kode_desa": str, "periode": str})
        table = raw.rename(columns=_SAMPLE_TO_TABLE)[list(_SAMPLE_TO_TABLE.values())]
        table.insert(0, "row", range(2, len(table) + 2))
        table["level"] = "desa"
        return table.astype({column: "Int64" for column in COUNT_COLUMNS})
    return read_coverage(SAMPLE_PATH).table


def _kecamatan_table(desa_table: pd.DataFrame) -> pd.DataFrame:
    summed = (desa_table.assign(kode=desa_table["kode"].str[:8])
              .groupby(["kode", "period"], as_index=False)[list(COUNT_COLUMNS)].sum())
    summed.insert(0, "row", range(2, len(summed) + 2))
    summed["level"] = "kecamatan"
    return summed


def run(quick: bool = False) -> list[BenchRow]:
    """Time compute_coverage (best of 3) on the sample at desa and kecamatan level."""
    desa_table = _sample_table()
    kecamatan_table = _kecamatan_table(desa_table)
    compute_coverage(desa_table)  # warm the boundary layer cache
    return [
        BenchRow("coverage", "compute_coverage, sample desa input (884 rows -> 442 desa, 42 kecamatan)",
                 best_of(lambda: compute_coverage(desa_table)), "s"),
        BenchRow("coverage", "compute_coverage, kecamatan input (84 rows -> 42 kecamatan)",
                 best_of(lambda: compute_coverage(kecamatan_table)), "s"),
        BenchRow("coverage", "generate sample (884 rows)", best_of(generate_sample), "s"),
    ]

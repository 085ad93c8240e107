"""Working people per desa from the Dukcapil population aged 15-64: exact totals, no desa counted twice."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from analysis.denominator import estimate_workers
from geo.paths import PROJECT_ROOT
from ingest.population import WORKING_AGE_BANDS, population_table

BANDS = ["00 - 04", "05 - 09", "10 - 14", *WORKING_AGE_BANDS, "65 - 69", "70 - 74", "75+"]


def test_s1_matches_every_garut_desa_with_the_published_total(garut_gpkg):
    table = population_table("s1")
    assert len(table.desa) == 442 and table.desa["kode"].is_unique
    assert table.desa["penduduk"].sum() == 2_790_435          # PROVENANCE.md: Kabupaten Garut, S1
    assert table.repeats == [] and table.conflicts == [] and table.unmatched == [] and table.missing == []
    assert (table.desa["penduduk_15_64"] < table.desa["penduduk"]).all()


def test_s2_repeats_are_reported_and_never_counted_twice(garut_gpkg):
    table = population_table("s2")
    assert len(table.repeats) == 16 and len(table.missing) == 16 and len(table.desa) == 426
    assert table.desa["kode"].is_unique
    assert all(r["same_as_row"] < r["row"] for r in table.repeats)


def _s2_file(path, rows):
    header = ["Provinsi", "Kabupaten/Kota", "Kecamatan", "Kelurahan/Desa", "Jumlah Penduduk", *BANDS]
    lines = [",".join(header)]
    for kec, desa, total in rows:
        per_band = [total // len(BANDS)] * len(BANDS)
        per_band[-1] += total - sum(per_band)
        lines.append(",".join(["JAWA BARAT", "KABUPATEN GARUT", kec, desa, str(total), *map(str, per_band)]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_small_file_repeats_conflicts_and_unknown_names(tmp_path, garut_gpkg):
    path = _s2_file(tmp_path / "s2.csv", [
        ("GARUT KOTA", "KOTA KULON", 1300), ("GARUT KOTA", "KOTA KULON", 1300),    # exact repeat: kept once
        ("GARUT KOTA", "KOTA WETAN", 1300), ("GARUT KOTA", "KOTA WETAN", 2600),    # two figures: both left out
        ("BL. LIMBANGAN", "LIMBANGAN BARAT", 1300),                                  # old kecamatan spelling
        ("GARUT KOTA", "DESA ANTAH BERANTAH", 1300),                                 # no such desa
    ])
    table = population_table("s2", path=path)
    assert list(table.desa["kode"]) == ["32.05.01.1001", "32.05.38.2002"]   # Limbangan Barat (Kec. Limbangan)
    assert table.repeats == [{"row": 3, "same_as_row": 2, "nama": "KOTA KULON"}]
    assert table.conflicts == [{"rows": [4, 5], "kode": "32.05.01.1002"}]
    assert table.unmatched == [{"row": 7, "kecamatan": "GARUT KOTA", "desa": "DESA ANTAH BERANTAH"}]
    assert table.desa.set_index("kode").loc["32.05.01.1001", "penduduk_15_64"] == 10 * (1300 // len(BANDS))


@pytest.mark.parametrize("total", [836_000, 1, 12_345, 0])
def test_estimate_adds_up_exactly_and_follows_the_15_64_population(total, garut_gpkg):
    estimate = estimate_workers(total)
    desa = estimate.desa
    assert len(desa) == 442 and desa["pekerja_estimasi"].sum() == total and (desa["pekerja_estimasi"] >= 0).all()
    if total >= 100_000:
        assert np.corrcoef(desa["pekerja_estimasi"], desa["penduduk_15_64"])[0, 1] > 0.9999
    if total:
        quota = total * desa["penduduk_15_64"] / desa["penduduk_15_64"].sum()
        assert (abs(desa["pekerja_estimasi"] - quota) < 1).all()


def test_s2_takes_the_missing_desa_from_s1(garut_gpkg):
    estimate = estimate_workers(source="s2")
    assert len(estimate.desa) == 442 and estimate.desa["pekerja_estimasi"].sum() == 836_000
    assert len(estimate.filled_from_s1) == 16 and estimate.repeats == 16
    assert set(estimate.desa.loc[estimate.desa["sumber"] == "s1", "kode"]) == set(estimate.filled_from_s1)


def test_denominator_command_prints_one_json_object(garut_gpkg):
    done = subprocess.run([sys.executable, "-m", "analysis", "denominator", "--total", "836000"], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, check=True)
    out = json.loads(done.stdout)
    assert out["totals"] == {"desa": 442, "penduduk": 2_790_435, "penduduk_15_64": out["totals"]["penduduk_15_64"],
                             "pekerja_estimasi": 836_000}
    assert out["source"]["label"] == "Dukcapil Kemendagri, semester 1 2024" and out["source"]["date"] == "2024-06"
    assert out["basis"] == "penduduk_15_64" and out["correlation_with_15_64"] > 0.9999
    assert len(out["desa"]) == 442 and sum(d["pekerja_estimasi"] for d in out["desa"]) == 836_000

"""Participant-level files: detection, aggregation, points and privacy."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from benchmarks.bench_ingest import write_participants
from core.errors import InputFileError
from ingest.coverage import read_coverage

CORPUS = Path(__file__).parent / "fixtures" / "coverage"


@pytest.fixture(autouse=True)
def _built(garut_gpkg):
    """Every test here needs the Garut boundaries."""


def _everything_written(res) -> str:
    """All a result exposes, as text (report, table, notes, source, column lists)."""
    return "\n".join([
        json.dumps(res.report, ensure_ascii=False), res.table.to_csv(), json.dumps(res.notes),
        json.dumps(res.source, ensure_ascii=False, default=str), json.dumps(res.dropped_columns),
        repr(res),
    ])


def test_personal_values_appear_nowhere():
    raw = pd.read_csv(CORPUS / "24_participants_nik.csv", dtype=str)
    res = read_coverage(CORPUS / "24_participants_nik.csv")
    written = _everything_written(res)
    for column in ("NIK", "Nama Lengkap", "No HP", "Alamat"):
        for value in raw[column]:
            assert value not in written, column
        assert column in res.dropped_columns and column in res.personal_columns
    # The NIK column is named (not its values) where a repeated participant is reported.
    duplicate = [p for p in res.report["problems"] if p["reason"] == "duplicate_participant"]
    assert duplicate == [{"row": 7, "column": "NIK", "value": "", "reason": "duplicate_participant",
                          "suggestion": duplicate[0]["suggestion"]}]
    assert "baris 2" in duplicate[0]["suggestion"]


def test_coordinates_not_echoed():
    res = read_coverage(CORPUS / "25_participants_latlon.csv")
    written = json.dumps(res.report)
    for secret in ("-7.22985", "107.90921", "-6.2", "106.8", "3205014101900001"):
        assert secret not in written


def test_figure_columns_make_a_region_file():
    data = b"NIK,kode_desa,pekerja,peserta_aktif\n3205010101010001,32.05.01.1001,100,10\n"
    res = read_coverage(data, filename="x.csv")
    assert not res.participant and res.personal_columns == ["NIK"]


@pytest.mark.parametrize("header", ["segmen", "NIK", "No KPJ"])
def test_participant_detection(header):
    data = f"kode_desa,{header}\n32.05.01.1001,PU\n32.05.01.1001,BPU\n".encode()
    res = read_coverage(data, filename="x.csv")
    assert res.participant
    assert list(res.table["covered"]) == [2]


def test_key_only_list_is_not_guessed_as_participants():
    with pytest.raises(InputFileError, match="no figure column"):
        read_coverage(b"kode_desa\n32.05.01.1001\n", filename="x.csv")


def test_participants_per_period_and_repeats_across_periods():
    data = ("nik;kode_desa;segmen;periode\n"
            "1;32.05.01.1001;PU;2024-06\n"
            "1;32.05.01.1001;PU;2024-12\n"   # same person, another period: counted
            "1;32.05.01.1001;PU;2024-12\n"   # same person, same period: rejected
            "2;32.05.01.1002;BPU;Des 2024\n").encode()
    res = read_coverage(data, filename="x.csv")
    assert [(p["row"], p["reason"]) for p in res.report["problems"]] == [(4, "duplicate_participant")]
    rows = res.table[["kode", "period", "covered", "covered_formal", "covered_informal"]].astype(object)
    assert rows.values.tolist() == [["32.05.01.1001", "2024-06", 1, 1, 0], ["32.05.01.1001", "2024-12", 1, 1, 0],
                                    ["32.05.01.1002", "2024-12", 1, 0, 1]]


def test_names_and_codes_mixed_with_points():
    data = ("nik;desa;kecamatan;lat;lon;segmen\n"
            "1;Mekarsari;Cibatu;;;PU\n"
            "2;;;-7.22985;107.90921;BPU\n"
            "3;Mekarsari;;;;PU\n").encode()
    res = read_coverage(data, filename="x.csv")
    assert list(res.table["kode"]) == ["32.05.01.1001", "32.05.12.2002"]
    assert [(p["row"], p["column"], p["reason"]) for p in res.report["problems"]] == [
        (4, "desa", "ambiguous_name")]
    assert res.report["matches"] == [{"row": 2, "input": "Mekarsari (Cibatu)", "kode": "32.05.12.2002",
                                      "nama": "Mekarsari (Cibatu)", "method": "exact"}]


def test_kecamatan_level_participants():
    data = b"nik,kecamatan,segmen\n1,Garut Kota,PU\n2,Bl. Limbangan,BPU\n3,Garut Kota,BPU\n"
    res = read_coverage(data, filename="x.csv")
    assert res.level == "kecamatan"
    assert res.table[["kode", "covered"]].astype(object).values.tolist() == [["32.05.01", 2], ["32.05.38", 1]]
    assert [m["method"] for m in res.report["matches"]] == ["exact", "alias"]


def test_segment_free_file_leaves_split_na():
    res = read_coverage(b"nik,kode_desa\n1,32.05.01.1001\n2,32.05.01.1001\n", filename="x.csv")
    assert list(res.table["covered"]) == [2]
    assert res.table[["covered_formal", "covered_informal", "workers"]].isna().all().all()


def test_participant_xlsx(tmp_path):
    path = tmp_path / "peserta.xlsx"
    pd.DataFrame({"NIK": ["3205010101010001", "3205010101010002"], "Latitude": [-7.22985, -7.22985],
                  "Longitude": [107.90921, 107.90921], "Segmen": ["PU", "BPU"]}).to_excel(path, index=False)
    res = read_coverage(path)
    assert res.table[["kode", "covered", "covered_formal"]].astype(object).values.tolist() == [
        ["32.05.01.1001", 2, 1]]


def test_many_participants_match_plain_pandas(tmp_path, desa):
    """50,000 generated participants: counts per desa equal a plain groupby / point-in-polygon join."""
    import geopandas as gpd

    by_code, by_point = tmp_path / "kode.csv", tmp_path / "titik.csv"
    write_participants(by_code, by_point, desa.sort_values("kode").reset_index(drop=True), 50_000)
    res = read_coverage(by_code)
    assert res.report["rows_in"] == res.report["rows_matched"] == 50_000
    expected = pd.read_csv(by_code, dtype=str).groupby(["kode_desa", "segmen"]).size().unstack(fill_value=0)
    got = res.table.set_index("kode")
    assert (got["covered_formal"].to_numpy() == expected.loc[got.index, "PU"].to_numpy()).all()
    assert (got["covered_informal"].to_numpy() == expected.loc[got.index, "BPU"].to_numpy()).all()

    res = read_coverage(by_point)
    raw = pd.read_csv(by_point)
    points = gpd.GeoDataFrame(raw, geometry=gpd.points_from_xy(raw["lon"], raw["lat"]), crs=desa.crs)
    joined = gpd.sjoin(points, desa[["kode", "geometry"]], predicate="within")
    assert res.report["rows_matched"] == len(joined)
    assert res.report["rows_rejected"] == 50_000 - len(joined)
    assert {p["reason"] for p in res.report["problems"]} <= {"outside_region"}
    counts = joined.groupby("kode").size()
    got = res.table.set_index("kode")["covered"].astype("int64")
    assert got.sort_index().to_numpy().tolist() == counts.sort_index().to_numpy().tolist()
    assert np.all(res.table["workers"].isna())

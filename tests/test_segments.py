"""Participant segments PU, BPU, Jakon and PMI: read from coverage and participant files, rolled up, shown."""

from __future__ import annotations

import pandas as pd

from analysis.coverage import compute_coverage, kabupaten_kpis
from analysis.views import segment_fields
from core.i18n import localize
from ingest.coverage import read_coverage
from ui.html import segments_line

SEGMENTED = (b"kode_desa,pekerja,peserta_aktif,peserta_pu,peserta_bpu,peserta_jakon,peserta_pmi\n"
             b"32.05.01.1001,1000,300,150,100,30,20\n"
             b"32.05.01.1002,800,100,60,30,20,5\n"           # 60 + 30 + 20 + 5 = 115 > 100
             b"32.05.01.1003,500,90,50,30,10,\n")            # a blank PMI cell: not known


def test_jakon_and_pmi_are_read_and_the_parts_may_not_exceed_the_total():
    result = read_coverage(SEGMENTED, filename="segmen.csv")
    assert result.report["rows_matched"] == 2 and result.report["rows_rejected"] == 1
    (problem,) = result.report["problems"]
    assert (problem["row"], problem["column"], problem["reason"]) == (3, "peserta_aktif", "parts_exceed_total")
    assert "115" in localize(problem["suggestion"], "en") and "peserta_jakon" in localize(problem["suggestion"], "en")
    table = result.table.set_index("kode")
    assert table.loc["32.05.01.1001", ["covered_jakon", "covered_pmi"]].tolist() == [30, 20]
    assert table.loc["32.05.01.1003", "covered_jakon"] == 10 and pd.isna(table.loc["32.05.01.1003", "covered_pmi"])


def test_a_total_computed_from_its_parts_counts_jakon_and_pmi():
    result = read_coverage(b"kode_desa,pekerja,peserta_pu,peserta_bpu,peserta_jakon,peserta_pmi\n"
                           b"32.05.01.1001,1000,150,100,30,\n", filename="tanpa_total.csv")
    assert result.table["covered"].tolist() == [280]
    assert any("peserta_jakon" in localize(n, "en") for n in result.notes)


def test_a_participant_file_counts_each_segment():
    rows = "\n".join(f"32050101019000{i:02d},32.05.01.1001,{s}" for i, s in
                     enumerate(["PU", "PU", "BPU", "Jakon", "Jasa Konstruksi", "PMI"]))
    result = read_coverage(f"nik,kode_desa,segmen\n{rows}\n".encode(), filename="peserta.csv")
    counts = result.table[["covered", "covered_formal", "covered_informal", "covered_jakon", "covered_pmi"]]
    assert counts.iloc[0].tolist() == [6, 2, 1, 2, 1]


def test_kpis_and_tooltips_show_the_segments_a_file_gives(garut_gpkg):
    complete = (b"kode_desa,pekerja,peserta_aktif,peserta_pu,peserta_bpu,peserta_jakon,peserta_pmi\n"
                b"32.05.01.1001,1000,300,150,100,30,20\n32.05.01.1002,800,100,50,30,15,5\n")
    res = compute_coverage(read_coverage(complete, filename="segmen.csv").table)
    kpis = kabupaten_kpis(res)
    assert [kpis[k] for k in ("covered_formal", "covered_informal", "covered_jakon", "covered_pmi")] == [200, 130,
                                                                                                     45, 25]
    assert "PU 200 · BPU 130 · Jakon 45 · PMI 25" in segments_line(kpis, "id")
    assert [c for c, _label, _kind in segment_fields(res, "en")] == ["covered_formal", "covered_informal",
                                                                     "covered_jakon", "covered_pmi"]
    assert segment_fields(res, "en")[2][1] == "Jakon participants (construction)"
    half = dict(kpis, covered_jakon=None, covered_pmi=None)
    assert "PU 200 · BPU 130<" in segments_line(half, "en")
    plain = compute_coverage(read_coverage(b"kode_desa,pekerja,peserta_aktif\n32.05.01.1001,1000,300\n",
                                           filename="polos.csv").table)
    assert segment_fields(plain) == [] and segments_line(kabupaten_kpis(plain), "id") == ""

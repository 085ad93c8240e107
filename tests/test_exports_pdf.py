"""PDF briefing (and the one-page PDF map), read back with pypdf."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import pandas as pd
import pytest
from pypdf import PdfReader

from analysis.sample import SAMPLE_PATH
from render.exports import briefing_pdf_bytes, load_export_data, map_pdf_bytes
from render.exports.view import ExportView

DAY = dt.date(2025, 1, 15)
A4_LANDSCAPE_PT = (841.7, 595.4)


@pytest.fixture(scope="module")
def sample(garut_gpkg):
    return load_export_data(created=DAY)


@pytest.fixture(scope="module")
def own(own_coverage_csv, garut_gpkg):
    return load_export_data(own_coverage_csv, created=DAY, sites=None)


@pytest.fixture(scope="module")
def sample_pdf(sample):
    return PdfReader(io.BytesIO(briefing_pdf_bytes(sample)))


def _pages(reader: PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def test_two_a4_landscape_pages(sample_pdf):
    assert len(sample_pdf.pages) == 2
    for page in sample_pdf.pages:
        box = page.mediabox
        assert (float(box.width), float(box.height)) == pytest.approx(A4_LANDSCAPE_PT, abs=1)


def test_page_one_has_the_kpis_in_indonesian_format_and_the_top_kecamatan(sample, sample_pdf):
    text = _pages(sample_pdf)[0]
    for figure in ("836.000", "186.000", "22,2%", "399.200", "Rp8,1 miliar", "+1,3 poin"):
        assert figure in text, figure
    assert "Ringkasan Cakupan BPJS Ketenagakerjaan" in text and "Desember 2024" in text
    top = sample.result.kecamatan.sort_values("gap_to_target", ascending=False).head(7)     # 7: the trend is there
    for name in top["nama"]:
        assert name in text, name
    assert "Halaman 1 dari 2" in text and "Sumber data: coverage_desa.csv" in text
    assert "15 Januari 2025" in text


def test_page_two_lists_the_priority_desa_with_reasons(sample, sample_pdf):
    text = _pages(sample_pdf)[1]
    assert "prioritas kunjungan" in text and "Halaman 2 dari 2" in text
    first = sample.ranking.iloc[0]
    assert first["nama"] in text and first["kecamatan"] in text
    assert "ILUSTRATIF" in text, "sites used in the score are labelled illustrative"
    assert "Kurang" in text  # the reasons


def test_sample_banner_exactly_when_sample(sample_pdf, own):
    assert all("DATA CONTOH" in page for page in _pages(sample_pdf))
    assert "DATA CONTOH" in sample_pdf.metadata.subject
    reader = PdfReader(io.BytesIO(briefing_pdf_bytes(own)))
    text = " ".join(_pages(reader))
    assert "DATA CONTOH" not in text and "836.000" in text
    assert "DATA CONTOH" not in reader.metadata.subject


def test_without_priorities_the_desa_list_is_by_gap_and_says_so(own):
    plain = dataclasses.replace(own, ranking=None)
    text = _pages(PdfReader(io.BytesIO(briefing_pdf_bytes(plain))))[1]
    assert "modul prioritas tidak tersedia" in text
    top = plain.result.desa.sort_values(["gap_to_target", "kode"], ascending=[False, True]).iloc[0]
    assert top["nama"] in text


def test_kecamatan_level_input_has_no_desa_list(tmp_path, garut_gpkg):
    raw = pd.read_csv(SAMPLE_PATH, dtype={"kode_desa": str})
    raw["kode_kecamatan"] = raw["kode_desa"].str[:8]
    summed = raw.groupby(["kode_kecamatan", "periode"], as_index=False)[["pekerja", "peserta_aktif"]].sum()
    path = tmp_path / "kecamatan.csv"
    summed.to_csv(path, index=False)
    data = load_export_data(path, created=DAY, sites=None)
    pages = _pages(PdfReader(io.BytesIO(briefing_pdf_bytes(data, ExportView(level="kecamatan")))))
    assert "836.000" in pages[0] and "Data per desa/kelurahan tidak tersedia" in pages[1]


def test_english_briefing(sample):
    text = " ".join(_pages(PdfReader(io.BytesIO(briefing_pdf_bytes(sample, ExportView(lang="en"))))))
    assert "836,000" in text and "22.2%" in text and "SAMPLE DATA" in text and "Page 1 of 2" in text


def test_pdf_map_is_one_page(sample):
    reader = PdfReader(io.BytesIO(map_pdf_bytes(sample, ExportView(level="kecamatan", metric="uncovered"))))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Pekerja belum terlindungi per kecamatan" in text and "DATA CONTOH" in text


def test_page_one_gives_the_trend_and_the_pace_needed(sample_pdf):
    text = " ".join(_pages(sample_pdf)[0].split())
    assert "Tren cakupan dan laju menuju target" in text
    assert "Laju yang dibutuhkan untuk 70% pada Desember 2029: +0,80 poin per bulan." in text
    assert "Dengan laju sekarang, 70% tercapai pada Desember 2043." in text

"""CSV, XLSX, GeoJSON and GeoPackage exports, each read back with its own reader."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json

import openpyxl
import pyogrio
import pytest

from core.i18n import t
from render.exports import (
    csv_bytes,
    geojson_bytes,
    gpkg_bytes,
    load_export_data,
    neutralise,
    xlsx_bytes,
)

SAMPLE_BANNER = t("sample.banner")

DAY = dt.date(2025, 1, 15)
EVIL = "=HYPERLINK(\"http://evil.example\",\"klik\")"


@pytest.fixture(scope="module")
def sample(garut_gpkg):
    return load_export_data(created=DAY)


@pytest.fixture(scope="module")
def own(own_coverage_csv, garut_gpkg):
    return load_export_data(own_coverage_csv, created=DAY, sites=None, priorities=False)


@pytest.fixture(scope="module")
def evil(own):
    """Data whose text cells try formula injection (names as an upload could carry them)."""
    desa = own.result.desa.copy()
    desa.loc[0, "nama"] = EVIL
    desa.loc[1, "nama"] = "+62 812"
    desa.loc[2, "nama"] = "-minus"
    desa.loc[3, "nama"] = "@SUM(A1:A3)"
    desa.loc[4, "nama"] = "\tTab"
    desa.loc[5, "nama"] = "\rCR"
    result = dataclasses.replace(own.result, desa=desa)
    return dataclasses.replace(own, result=result, source_name="=cmd|' /C calc'!A0")


def _csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM so that Excel reads the names right"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.mark.parametrize(("value", "expected"), [
    ("=1+1", "'=1+1"), ("+62 812", "'+62 812"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("Garut Kota", "Garut Kota"), ("", ""),
    (-5, -5), (3.5, 3.5), (None, None),
])
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_csv_desa_has_every_desa_with_indonesian_headers_and_numbers(sample):
    rows = _csv(csv_bytes(sample, "desa"))
    header, body = rows[0], rows[1:]
    assert len(body) == 442
    for name in ("Kode desa/kelurahan", "Desa/Kelurahan", "Kecamatan", "Jumlah pekerja", "Peserta aktif",
                 "Tingkat cakupan (%)", "Kekurangan menuju target 70%", "Catatan data"):
        assert name in header
    workers = [int(r[header.index("Jumlah pekerja")]) for r in body]
    covered = [int(r[header.index("Peserta aktif")]) for r in body]
    assert (sum(workers), sum(covered)) == (836_000, 186_000)
    rate = float(body[0][header.index("Tingkat cakupan (%)")])
    assert rate == pytest.approx(100 * covered[0] / workers[0], abs=0.005)
    assert {r[header.index("Catatan data")] for r in body} == {SAMPLE_BANNER}


def test_csv_kecamatan_level(sample):
    rows = _csv(csv_bytes(sample, "kecamatan"))
    assert len(rows) == 43 and rows[0][:2] == ["Kode kecamatan", "Kecamatan"]


def test_csv_of_own_data_has_no_sample_note(own):
    content = csv_bytes(own, "desa")
    assert "Catatan data" not in _csv(content)[0]
    assert b"DATA CONTOH" not in content


def test_csv_neutralises_formulas_but_numbers_stay_numbers(evil):
    rows = _csv(csv_bytes(evil, "desa"))
    names = [r[1] for r in rows[1:7]]
    assert names == ["'" + EVIL, "'+62 812", "'-minus", "'@SUM(A1:A3)", "'\tTab", "'\rCR"]
    change = rows[0].index("Perubahan cakupan (poin persen)")
    negative = [r[change] for r in rows[1:] if r[change].startswith("-")]
    assert negative, "the sample has desa whose coverage fell"
    assert all(float(v) < 0 for v in negative)


def test_xlsx_sheets_numbers_and_sample_note(sample):
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(sample, "desa")))
    assert book.sheetnames == ["Desa", "Kecamatan", "Prioritas", "Lokasi", "Keterangan"]
    desa = book["Desa"]
    header = [c.value for c in desa[1]]
    assert desa.max_row == 443
    col = header.index("Jumlah pekerja") + 1
    values = [desa.cell(row=r, column=col).value for r in range(2, 444)]
    assert all(isinstance(v, int) for v in values) and sum(values) == 836_000
    assert desa.cell(row=2, column=col).number_format == "#,##0"
    rate = desa.cell(row=2, column=header.index("Tingkat cakupan (%)") + 1)
    assert rate.data_type == "n" and 0 < rate.value < 100
    assert desa.cell(row=2, column=header.index("Catatan data") + 1).value == SAMPLE_BANNER
    kecamatan = book["Kecamatan"]
    assert kecamatan.max_row == 43
    about = {row[0].value: row[1].value for row in book["Keterangan"].iter_rows()}
    assert about["Status data"] == SAMPLE_BANNER
    assert about["Periode"].startswith("2024-12")
    lokasi = [c.value for c in book["Lokasi"][1]]
    assert "Nama lokasi" in lokasi and not {"operator", "contact", "Kontak"} & set(lokasi)
    assert book["Lokasi"].cell(row=2, column=lokasi.index("Keterangan") + 1).value.startswith("ILUSTRATIF")
    prioritas = [c.value for c in book["Prioritas"][1]]
    assert prioritas[:3] == ["Peringkat", "Kode desa/kelurahan", "Desa/Kelurahan"]
    assert book["Prioritas"].cell(row=2, column=1).value == 1


def test_xlsx_of_own_data_says_so_and_has_no_sample_note(own):
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(own, "kecamatan")))
    assert book.sheetnames == ["Kecamatan", "Desa", "Keterangan"]
    assert "Catatan data" not in [c.value for c in book["Desa"][1]]
    about = {row[0].value: row[1].value for row in book["Keterangan"].iter_rows()}
    assert about["Status data"] == "Data dari berkas pengguna"
    assert about["Sumber data"] == "cakupan.csv"


def test_xlsx_neutralises_formulas(evil):
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(evil, "desa")))
    desa = book["Desa"]
    cells = [desa.cell(row=r, column=2) for r in range(2, 8)]
    # (XML turns the stored CR into LF when read back; the quote is what matters.)
    assert [c.value for c in cells] == ["'" + EVIL, "'+62 812", "'-minus", "'@SUM(A1:A3)", "'\tTab", "'\nCR"]
    assert all(c.data_type == "s" for c in cells)
    about = {row[0].value: row[1].value for row in book["Keterangan"].iter_rows()}
    assert about["Sumber data"].startswith("'=")
    header = [c.value for c in desa[1]]
    change = header.index("Perubahan cakupan (poin persen)") + 1
    numbers = [desa.cell(row=r, column=change) for r in range(2, 444)]
    assert any(c.value < 0 for c in numbers) and all(c.data_type == "n" for c in numbers)


def test_gpkg_layers_rows_and_values(sample, tmp_path):
    path = tmp_path / "export.gpkg"
    path.write_bytes(gpkg_bytes(sample))
    layers = dict(pyogrio.list_layers(path))
    assert set(layers) == {"kecamatan", "desa", "sites", "priorities", "keterangan"}
    desa = pyogrio.read_dataframe(path, layer="desa")
    kecamatan = pyogrio.read_dataframe(path, layer="kecamatan")
    assert (len(desa), len(kecamatan)) == (442, 42)
    assert desa["pekerja"].sum() == 836_000 and kecamatan["peserta_aktif"].sum() == 186_000
    assert desa.crs.to_epsg() == 4326 and desa.geometry.is_valid.all()
    assert 0 < desa["tingkat_cakupan"].max() < 1, "rates are fractions in GIS files"
    assert set(desa["catatan_data"]) == {SAMPLE_BANNER}
    sites = pyogrio.read_dataframe(path, layer="sites")
    assert len(sites) == len(sample.sites) and not {"operator", "contact"} & set(sites.columns)
    assert set(sites["keterangan"]) == {"ILUSTRATIF: bukan daftar resmi lokasi"}
    priorities = pyogrio.read_dataframe(path, layer="priorities")
    assert priorities["peringkat"].tolist()[:3] == [1, 2, 3] and len(priorities) == 442
    meta = pyogrio.read_dataframe(path, layer="keterangan", read_geometry=False)
    assert dict(zip(meta["kunci"], meta["nilai"]))["Status data"] == SAMPLE_BANNER


def test_gpkg_of_own_data_has_only_the_coverage_layers(own, tmp_path):
    path = tmp_path / "own.gpkg"
    path.write_bytes(gpkg_bytes(own))
    assert {name for name, _ in pyogrio.list_layers(path)} == {"kecamatan", "desa", "keterangan"}
    assert "catatan_data" not in pyogrio.read_dataframe(path, layer="desa", read_geometry=False).columns


def test_geojson_kecamatan(sample, tmp_path):
    content = geojson_bytes(sample, "kecamatan")
    collection = json.loads(content)
    assert collection["keterangan"]["Status data"] == SAMPLE_BANNER
    assert len(collection["features"]) == 42
    path = tmp_path / "kec.geojson"
    path.write_bytes(content)
    frame = pyogrio.read_dataframe(path)
    assert frame["pekerja"].sum() == 836_000 and set(frame["nama"]) >= {"Garut Kota", "Limbangan"}

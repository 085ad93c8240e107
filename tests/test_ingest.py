"""Reading coverage files: inputs, headers, numbers, periods, interface."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from core.errors import InputFileError
from ingest.coverage import IngestResult, read_coverage
from ingest.headers import COLUMN_ALIASES, classify_header
from ingest.rows import TABLE_COLUMNS
from ingest.validation import (
    REASONS,
    number_convention,
    parse_count,
    parse_period,
    parse_segment,
)

GOOD = "kode_desa;pekerja;peserta_aktif\n32.05.01.1001;100;10\n32.05.01.1002;200;20\n"


@pytest.fixture(autouse=True)
def _built(garut_gpkg):
    """Every test here needs the Garut boundaries."""


# -- headers ---------------------------------------------------------------------------

@pytest.mark.parametrize(("header", "role"), [
    ("kode_desa", "kode_desa"), ("Kode Desa", "kode_desa"), ("KODE DESA/KEL.", "kode_desa"),
    ("Kode Kelurahan", "kode_desa"), ("village code", "kode_desa"), ("kode", "kode"), ("Kode Wilayah", "kode"),
    ("kode_kecamatan", "kode_kecamatan"), ("Kode Kec.", "kode_kecamatan"), ("district code", "kode_kecamatan"),
    ("kode_bps", "kode_bps"), ("Kode Kecamatan BPS", "kode_bps"), ("BPS", "kode_bps"),
    ("desa", "desa"), ("Nama Desa/Kelurahan", "desa"), ("Village", "desa"), ("Kelurahan", "desa"),
    ("kecamatan", "kecamatan"), ("Kec.", "kecamatan"), ("District", "kecamatan"), ("Subdistrict", "kecamatan"),
    ("Sub-district", "kecamatan"), ("periode", "periode"), ("Period", "periode"), ("Bulan", "periode"),
    ("pekerja", "pekerja"), ("Jumlah Pekerja", "pekerja"), ("Tenaga Kerja", "pekerja"),
    ("Jumlah Tenaga Kerja (orang)", "pekerja"), ("workers", "pekerja"), ("Pekerja 2024", "pekerja"),
    ("peserta_aktif", "peserta_aktif"), ("Peserta Aktif", "peserta_aktif"), ("Jumlah Peserta", "peserta_aktif"),
    ("covered", "peserta_aktif"), ("TK Aktif", "peserta_aktif"), ("Pekerja Terlindungi", "peserta_aktif"),
    ("pekerja_pu", "pekerja_pu"), ("Tenaga Kerja Penerima Upah", "pekerja_pu"), ("workers_formal", "pekerja_pu"),
    ("Formal workers", "pekerja_pu"), ("Penerima Upah / Pekerja", "pekerja_pu"),
    ("peserta_pu", "peserta_pu"), ("Peserta Aktif PU", "peserta_pu"), ("covered_formal", "peserta_pu"),
    ("pekerja_bpu", "pekerja_bpu"), ("Pekerja Bukan Penerima Upah", "pekerja_bpu"),
    ("workers_informal", "pekerja_bpu"), ("Non formal workers", "pekerja_bpu"),
    ("peserta_bpu", "peserta_bpu"), ("Peserta BPU", "peserta_bpu"), ("covered_informal", "peserta_bpu"),
    ("Bukan Penerima Upah / Peserta", "peserta_bpu"),
    ("segmen", "segmen"), ("Jenis Kepesertaan", "segmen"), ("lat", "lat"), ("Latitude", "lat"),
    ("lon", "lon"), ("lng", "lon"), ("Bujur", "lon"),
    ("NIK", "id_peserta"), ("No. KPJ", "id_peserta"), ("Nomor Peserta", "id_peserta"),
    ("Nama", "personal"), ("Nama Lengkap", "personal"), ("No HP", "personal"), ("Alamat", "personal"),
    ("Tanggal Lahir", "personal"), ("email", "personal"), ("NPWP", "personal"), ("Nama Ibu Kandung", "personal"),
    ("No.", None), ("Keterangan", None), ("persen_cakupan", None), ("", None), ("Jumlah", None),
])
def test_classify_header(header, role):
    assert classify_header(header) == role


def test_canonical_names_are_their_own_alias():
    for role in COLUMN_ALIASES:
        assert classify_header(role) == role


# -- numbers, periods, segments -----------------------------------------------------------

@pytest.mark.parametrize(("value", "decimal", "expected"), [
    ("836000", None, (836000, None)),
    ("836.000", None, (836000, None)),
    ("836,000", None, (836000, None)),
    ("1.234.567", None, (1234567, None)),
    ("1,234,567", None, (1234567, None)),
    ("836 000", None, (836000, None)),
    ("836\u00a0000", None, (836000, None)),
    ("+7", None, (7, None)),
    ("3.100,0", None, (3100, None)),
    ("1,000.00", None, (1000, None)),
    ("22,3", None, (None, "not_whole_number")),
    ("22.3", None, (None, "not_whole_number")),
    ("1.234", ",", (1234, None)),
    ("1.234", ".", (None, "not_whole_number")),
    ("1,234", ",", (None, "not_whole_number")),
    ("1,234", ".", (1234, None)),
    ("-5", None, (None, "negative")),
    ("−5", None, (None, "negative")),
    ("(5)", None, (None, "negative")),
    ("-0", None, (0, None)),
    ("", None, (None, "missing_value")),
    ("  ", None, (None, "missing_value")),
    ("-", None, (None, "missing_value")),
    (None, None, (None, "missing_value")),
    ("abc", None, (None, "not_a_number")),
    ("22,3%", None, (None, "not_a_number")),
    ("12 orang", None, (None, "not_a_number")),
    ("1.23.4", None, (None, "not_a_number")),
    (12, None, (12, None)),
    (12.0, None, (12, None)),
    (12.5, None, (None, "not_whole_number")),
    (-3, None, (None, "negative")),
    (float("nan"), None, (None, "missing_value")),
    (True, None, (None, "not_a_number")),
    (dt.datetime(2024, 1, 1), None, (None, "not_a_number")),
])
def test_parse_count(value, decimal, expected):
    assert parse_count(value, decimal) == expected


@pytest.mark.parametrize(("values", "expected"), [
    (["1.234.567", "10"], ","),
    (["12,5"], ","),
    (["1.234,5"], ","),
    (["1,234,567"], "."),
    (["12.5"], "."),
    (["1.234", "1,234"], None),
    (["1.234.567", "12.5"], None),
    (["100"], None),
])
def test_number_convention(values, expected):
    assert number_convention([pd.Series(values)]) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("2024-12", "2024-12"), ("2024-1", "2024-01"), ("2024/01", "2024-01"), ("202401", "2024-01"),
    ("01/2024", "2024-01"), ("1-2024", "2024-01"), ("2024-01-31", "2024-01"), ("31/01/2024", "2024-01"),
    ("Jan 2024", "2024-01"), ("Januari 2024", "2024-01"), ("Agustus 2024", "2024-08"), ("Agt-24", "2024-08"),
    ("Des 2024", "2024-12"), ("2024 Mei", "2024-05"), ("Oct-2024", "2024-10"), (202412, "2024-12"),
    (dt.datetime(2024, 6, 30), "2024-06"), (dt.date(2024, 6, 1), "2024-06"),
])
def test_parse_period(value, expected):
    assert parse_period(value) == (expected, None)


@pytest.mark.parametrize("value", ["2024-13", "2024", "Smarch 2024", "32/01/2024", "abc", "13/2024"])
def test_parse_period_invalid(value):
    assert parse_period(value) == (None, "invalid_period")


@pytest.mark.parametrize(("value", "expected"), [
    ("PU", "PU"), ("pu", "PU"), ("Penerima Upah", "PU"), ("formal", "PU"), ("BPU", "BPU"),
    ("Bukan Penerima Upah", "BPU"), ("informal", "BPU"), ("Non-Formal", "BPU"), ("Jakon", "JAKON"), ("PMI", "PMI"), ("Jasa Konstruksi", "JAKON"),
])
def test_parse_segment(value, expected):
    assert parse_segment(value) == (expected, None)


def test_reasons_documented():
    text = (Path(__file__).parents[1] / "docs" / "input_format.md").read_text(encoding="utf-8")
    for reason in REASONS:
        assert f"`{reason}`" in text
    for role in COLUMN_ALIASES:
        assert f"`{role}`" in text


# -- inputs -----------------------------------------------------------------------------

def _counts(res: IngestResult) -> tuple[int, int, int]:
    return res.report["rows_in"], res.report["rows_matched"], res.report["rows_rejected"]


def test_path_bytes_and_file_like_inputs(tmp_path):
    path = tmp_path / "cakupan.csv"
    path.write_text(GOOD)
    assert _counts(read_coverage(path)) == (2, 2, 0)
    assert _counts(read_coverage(str(path))) == (2, 2, 0)
    assert _counts(read_coverage(GOOD.encode(), filename="x.csv")) == (2, 2, 0)
    assert _counts(read_coverage(io.BytesIO(GOOD.encode()))) == (2, 2, 0)


class FakeUpload(io.BytesIO):
    """What Streamlit's UploadedFile offers: bytes, .name and .size."""

    def __init__(self, data: bytes, name: str) -> None:
        super().__init__(data)
        self.name = name
        self.size = len(data)


def test_streamlit_like_upload_name_used():
    upload = FakeUpload(b"", "kosong.csv")
    with pytest.raises(InputFileError, match=r"^kosong\.csv: the file is empty"):
        read_coverage(upload)
    upload = FakeUpload(GOOD.encode(), "data.csv")
    upload.read()  # already consumed once by the app: read_coverage rewinds
    assert read_coverage(upload).source["filename"] == "data.csv"


def test_size_limit(tmp_path, monkeypatch):
    path = tmp_path / "besar.csv"
    path.write_text(GOOD)
    with pytest.raises(InputFileError, match=r"^besar\.csv: the file \(74 bytes\) is over the size limit of 10 bytes"):
        read_coverage(path, max_bytes=10)
    with pytest.raises(InputFileError, match="over the size limit"):
        read_coverage(FakeUpload(GOOD.encode(), "u.csv"), max_bytes=10)
    with pytest.raises(InputFileError, match="over the size limit"):
        read_coverage(GOOD.encode(), max_bytes=10)
    monkeypatch.setenv("PETA_MAX_INPUT_MB", "0.00001")
    with pytest.raises(InputFileError, match="PETA_MAX_INPUT_MB"):
        read_coverage(path)
    monkeypatch.delenv("PETA_MAX_INPUT_MB")
    assert _counts(read_coverage(path)) == (2, 2, 0)


def test_missing_file(tmp_path):
    with pytest.raises(InputFileError, match="no such file"):
        read_coverage(tmp_path / "tidak_ada.csv")


@pytest.mark.parametrize(("data", "words"), [
    (b"PK\x03\x04garbage", "damaged"),
    (b"%PDF-1.7\n...", "PDF document"),
    (b"kode_desa,pekerja\x00\x00\x00\x01\x02\x03" * 50, "binary data"),
])
def test_binary_inputs(data, words):
    with pytest.raises(InputFileError, match=words):
        read_coverage(data, filename="x.csv")


def test_text_named_xlsx():
    with pytest.raises(InputFileError, match="not an Excel workbook"):
        read_coverage(GOOD.encode(), filename="cakupan.xlsx")


def test_ragged_rows_and_undefined_cp1252_bytes():
    data = ("kode_desa;pekerja;peserta_aktif\n32.05.01.1001;100;10;extra;cells\n"
            "32.05.01.1002;200;20\n").encode() + b"32.05.01.1003;300;30;\x81\x8d\n"
    res = read_coverage(data, filename="x.csv")
    assert _counts(res) == (3, 3, 0)
    assert res.source["encoding"] == "latin-1"


def test_excel_separator_line():
    data = b"sep=;\nkode_desa;pekerja;peserta_aktif\n32.05.01.1001;1.000;x\n"
    res = read_coverage(data, filename="x.csv")
    assert res.source["delimiter"] == ";" and res.source["header_row"] == 1
    assert [(p["row"], p["value"]) for p in res.report["problems"]] == [(2, "x")]


def test_title_line_without_separators():
    data = b"REKAP KEPESERTAAN\nKode;Desa;Pekerja;Peserta\n32.05.01.1001;Kota Kulon;100;10\n"
    res = read_coverage(data, filename="x.csv")
    assert res.source["header_row"] == 2 and list(res.table["row"]) == [3]


def test_interface_table_dtypes_and_report_shape():
    res = read_coverage(GOOD.encode(), filename="x.csv")
    table = res.table
    assert list(table.columns) == list(TABLE_COLUMNS)
    assert table["row"].dtype == "int64" and list(table["row"]) == [2, 3]
    assert list(table["kode"]) == ["32.05.01.1001", "32.05.01.1002"]
    assert list(table["level"]) == ["desa", "desa"]
    assert table["period"].isna().all() and table["period"].iloc[0] is pd.NA
    for column in TABLE_COLUMNS[4:]:
        assert str(table[column].dtype) == "Int64"
    assert set(res.report) == {"rows_in", "rows_matched", "rows_rejected", "problems", "problems_total",
                              "problem_counts", "matches", "totals", "total_rows"}
    assert res.report["totals"]["workers"] == 300 and res.report["totals"]["workers_formal"] is None
    assert res.level == "desa" and res.dropped_columns == [] and not res.participant
    json.dumps(res.report)


def test_problem_shape_uses_file_column_name():
    data = "Kode Desa;Jumlah Pekerja;Peserta Aktif\n32.05.01.1001;banyak;10\n".encode()
    problem = read_coverage(data, filename="x.csv").report["problems"][0]
    assert problem == {"row": 2, "column": "Jumlah Pekerja", "value": "banyak", "reason": "not_a_number",
                       "suggestion": problem["suggestion"]}
    assert problem["suggestion"]


def test_every_problem_reason_is_documented():
    data = ("kode_desa;desa;kecamatan;periode;pekerja;peserta_aktif\n"
            "32.05.99.1001;;;2024-12;1;1\n;Mekarsari;;2024-12;1;1\n;Xyz;Garut Kota;2024-12;1;1\n"
            "32.05.01.1001;;;2024-99;-1;x\n").encode()
    for problem in read_coverage(data, filename="x.csv").report["problems"]:
        assert problem["reason"] in REASONS


def test_level_parameter():
    with pytest.raises(InputFileError, match="no kecamatan key column"):
        read_coverage(GOOD.encode(), filename="x.csv", level="kecamatan")
    with pytest.raises(ValueError, match="level must be"):
        read_coverage(GOOD.encode(), filename="x.csv", level="kabupaten")
    data = "kode;pekerja;peserta_aktif\n32.05.01;100;10\n32.05.01.1001;100;10\n".encode()
    res = read_coverage(data, filename="x.csv", level="kecamatan")
    assert res.level == "kecamatan"
    assert [(p["row"], p["reason"]) for p in res.report["problems"]] == [(3, "wrong_level")]


def test_fuzzy_threshold_parameter():
    data = "kecamatan,desa,pekerja,peserta_aktif\nGarut Kota,Sukamentr,100,10\n".encode()
    assert read_coverage(data, filename="x.csv").report["matches"][0]["method"] == "fuzzy"
    strict = read_coverage(data, filename="x.csv", fuzzy_threshold=100)
    assert strict.report["problems"][0]["reason"] == "name_not_found"
    with pytest.raises(ValueError):
        read_coverage(data, filename="x.csv", fuzzy_threshold=150)


def test_covered_only_file_keeps_workers_na():
    res = read_coverage(b"kode_desa,peserta_aktif\n32.05.01.1001,10\n", filename="x.csv")
    assert res.table["workers"].isna().all() and list(res.table["covered"]) == [10]


def test_parts_exceeding_total_rejected():
    data = b"kode_desa,pekerja,pekerja_pu,pekerja_bpu,peserta_aktif\n32.05.01.1001,100,60,50,10\n"
    problem = read_coverage(data, filename="x.csv").report["problems"][0]
    assert (problem["column"], problem["reason"]) == ("pekerja", "parts_exceed_total")


def test_region_file_with_personal_columns_drops_them():
    data = b"kode_desa,nama,NIK,pekerja,peserta_aktif\n32.05.01.1001,Budi,3205010101010001,100,10\n"
    res = read_coverage(data, filename="x.csv")
    assert not res.participant and res.personal_columns == ["nama", "NIK"]
    assert "Budi" not in json.dumps(res.report) and "3205010101010001" not in json.dumps(res.report)


def test_headerless_participant_list_error_does_not_echo_cells():
    data = b"3205014101900001,Asep Sunandar,081234567801\n3205014101900002,Euis,081234567802\n"
    with pytest.raises(InputFileError) as info:
        read_coverage(data, filename="peserta.csv")
    for secret in ("3205014101900001", "Asep", "081234567801"):
        assert secret not in str(info.value)


def test_region_parameter_validated():
    from core.errors import RegionError

    with pytest.raises(RegionError):
        read_coverage(GOOD.encode(), filename="x.csv", region="garut")


def test_sheet_ignored_for_csv_with_note():
    res = read_coverage(GOOD.encode(), filename="x.csv", sheet="Data")
    assert any("sheet" in note for note in res.notes)


# -- column roles by scored matching (issue 10) ------------------------------------


@pytest.mark.parametrize("header, role", [
    ("Peserta Aktif BPJSTK", "peserta_aktif"), ("Jumlah Peserta BPJS TK", "peserta_aktif"),
    ("Peserta BP Jamsostek", "peserta_aktif"), ("Peserta Aktif BPJS Ketenagakerjaan", "peserta_aktif"),
    ("Jml TK", "pekerja"), ("Pesrta Aktif", "peserta_aktif"), ("Jumlah Pekrja", "pekerja"),
    ("Kode Dessa", "kode_desa"), ("NIK_PESERTA", "id_peserta"), ("NIK PESERTA", "id_peserta"),
    ("NIK_KTP", "id_peserta"), ("No KTP", "id_peserta"), ("Nomor Induk Kependudukan", "id_peserta"),
    ("Nama Lengkap", "personal"), ("No HP", "personal"), ("Keterangan", None), ("Pekerja Rentan", None),
])
def test_header_roles_by_tokens_noise_words_and_misspellings(header, role):
    from ingest.headers import classify_header

    assert classify_header(header) == role


def test_the_usual_bpjstk_header_is_read_not_refused():
    data = b"Kode Desa;Jml TK;Peserta Aktif BPJSTK\n32.05.01.1001;100;10\n32.05.01.1002;200;25\n"
    res = read_coverage(data, filename="bpjstk.csv")
    assert res.source["columns"] == {"Kode Desa": "kode_desa", "Jml TK": "pekerja",
                                     "Peserta Aktif BPJSTK": "peserta_aktif"}
    assert list(res.table["covered"]) == [10, 25]


def test_a_refusal_names_the_unrecognised_columns_and_their_closest_role():
    data = b"kode_desa;Pekerja;Peserta Baru;Keterangan\n32.05.01.1001;100;10;x\n"
    with pytest.raises(InputFileError) as info:
        read_coverage(data, filename="h.csv")
    assert info.value.key == "coverage.figure_pair_missing"
    assert "'Peserta Baru' (closest: peserta_bpu); 'Keterangan' (like no role)" in info.value.message("en")
    assert "'Peserta Baru' (paling mirip: peserta_bpu)" in info.value.message("id")
    columns = {c["column"]: c for c in info.value.columns}
    assert columns["Peserta Baru"]["preview"] == ["10"] and columns["Pekerja"]["role"] == "pekerja"


def test_a_person_maps_the_columns():
    data = b"kode_desa;Pekerja;Peserta Baru;Keterangan\n32.05.01.1001;100;10;x\n"
    res = read_coverage(data, filename="h.csv", columns={"peserta baru": "peserta_aktif", "Keterangan": "-"})
    assert list(res.table["covered"]) == [10] and res.notes == []
    with pytest.raises(InputFileError, match="'peserta lama'"):
        read_coverage(data, filename="h.csv", columns={"Peserta Lama": "peserta_aktif"})
    with pytest.raises(InputFileError, match="mapped to 'peserta', which is not a column role"):
        read_coverage(data, filename="h.csv", columns={"Peserta Baru": "peserta"})


def test_previews_never_show_personal_values():
    data = (b"kode_desa;Nama;Catatan;peserta_aktif\n32.05.01.1001;Siti;hubungi 081234567890;1\n")
    res = read_coverage(data, filename="p.csv")
    columns = {c["column"]: c for c in res.columns}
    assert columns["Nama"]["preview"] == [] and columns["Nama"]["personal"]
    assert columns["Catatan"]["preview"] == ["hubungi 08**********"]


def test_column_mapping_from_the_command_line():
    from core.errors import ConfigError
    from ingest.headers import parse_column_mapping

    assert parse_column_mapping("Peserta Aktif BPJSTK=peserta_aktif, Jml TK=pekerja") == {
        "Peserta Aktif BPJSTK": "peserta_aktif", "Jml TK": "pekerja"}
    with pytest.raises(ConfigError, match="'Jml TK' not understood"):
        parse_column_mapping("Jml TK")

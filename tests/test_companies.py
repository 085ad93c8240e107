"""Companies files and compliance: reading, placing, the status rules and their edges, roll-ups."""

from __future__ import annotations

import io
import json

import openpyxl
import pandas as pd
import pytest

from analysis.compliance import (
    STATUSES,
    by_area,
    by_sector,
    company_status,
    compliance_list,
    load_rules,
    status_counts,
)
from analysis.sample_companies import (
    SAMPLE_COMPANIES_PATH,
    is_sample_companies,
    sample_companies_bytes,
)
from cli.main import main
from core.errors import InputFileError
from core.i18n import localize, localize_all, t
from ingest.companies import SECTIONS, UNKNOWN_SECTOR, read_companies, sector_section

HEADER = ("Nama Perusahaan,NPP,NPWP,KBLI,Kode Desa,Desa,Kecamatan,Lat,Lon,TK Dipekerjakan,TK Terdaftar,"
          "Upah Dilaporkan,Upah Terdaftar,Program,Skala Usaha,PIC")
KOTA_KULON = "32.05.01.1001"          # Garut Kota
HAURPANGGUNG = "32.05.05.2004"        # Tarogong Kidul
KOTA_KULON_POINT = (-7.22985, 107.90921)
KADUNGORA_POINT = (-7.08322, 107.90211)   # desa Kadungora, 32.05.10.2001


def _csv(*rows: str) -> bytes:
    return ("\n".join((HEADER, *rows)) + "\n").encode("utf-8")


def _row(name: str, *, npp: str = "", npwp: str = "", sector: str = "C", kode: str = KOTA_KULON, desa: str = "",
         kec: str = "", lat: str = "", lon: str = "", employed: str = "", enrolled: str = "", wage: str = "",
         wage_reg: str = "", programmes: str = "", scale: str = "", pic: str = "") -> str:
    cells = (name, npp, npwp, sector, kode, desa, kec, lat, lon, employed, enrolled, wage, wage_reg, programmes,
             scale, pic)
    return ",".join(f'"{c}"' if ("," in c or '"' in c) and not c.startswith('"') else c for c in cells)


def _status(*rows: str) -> pd.DataFrame:
    check = read_companies(_csv(*rows), filename="perusahaan.csv")
    assert check.rows_rejected == 0, check.report()["problems"]
    return company_status(check.companies).set_index("name")


# -- the status rules and their edges ------------------------------------------------------------


def test_obligation_edges_nine_against_ten_workers_and_payroll_at_one_million():
    table = _status(
        _row("CV Sembilan", employed="9", wage="100000"),              # payroll 900.000
        _row("CV Sepuluh", employed="10", wage="100000"),               # 10 workers: obliged
        _row("CV Pas Sejuta", employed="4", wage="250000"),             # payroll exactly Rp1.000.000
        _row("CV Kurang Serupiah", employed="4", wage="249999"),        # payroll Rp999.996
        _row("CV Tanpa Upah", employed="9"),                            # below 10, no wage: cannot say
        _row("CV Tanpa Upah Sepuluh", employed="10"),                   # 10 workers need no wage
    )
    assert table.loc["CV Sembilan", "status"] == "tidak_wajib"
    assert table.loc["CV Sepuluh", "status"] == "pwbd"
    assert table.loc["CV Pas Sejuta", "status"] == "pwbd"
    assert table.loc["CV Kurang Serupiah", "status"] == "tidak_wajib"
    assert table.loc["CV Tanpa Upah", "status"] == "belum_pasti"
    assert table.loc["CV Tanpa Upah Sepuluh", "status"] == "pwbd"
    assert table.loc["CV Pas Sejuta", "payroll"] == 1_000_000
    # the rule names the deciding figure, in each language
    assert localize(table.loc["CV Sepuluh", "rule"], "id") == (
        "PWBD: belum terdaftar, padahal wajib karena mempekerjakan 10 orang (wajib dari 10 orang)")
    assert localize(table.loc["CV Pas Sejuta", "rule"], "en") == (
        "PWBD: not registered although obliged: monthly payroll Rp1,000,000 (obliged from Rp1,000,000)")
    assert "Rp999.996" in localize(table.loc["CV Kurang Serupiah", "rule"], "id")
    # uncovered: every worker of a company that is not registered
    assert table["uncovered"].tolist() == [9, 10, 4, 4, 9, 10]


def test_each_status_of_a_registered_company():
    table = _status(
        _row("PT Sebagian TK", npp="11110001", employed="20", enrolled="12", wage="2500000", wage_reg="2500000",
             programmes="JKK, JKM, JHT, JP"),
        _row("PT Upah Rendah", npp="11110002", employed="20", enrolled="20", wage="2500000", wage_reg="2000000",
             programmes="JKK, JKM, JHT, JP"),
        _row("CV Kurang Program", npp="11110003", employed="8", enrolled="8", programmes="JKK+JKM"),
        _row("UD Mikro", npp="11110004", employed="3", enrolled="3", programmes="JKK JKM"),
        _row("PT Menengah Kecil", npp="11110005", employed="8", enrolled="8", programmes="JKK, JKM, JHT",
             scale="Menengah"),
        _row("PT Patuh", npp="11110006", employed="120", enrolled="120", wage="3000000", wage_reg="3000000",
             programmes="Jaminan Kecelakaan Kerja; Jaminan Kematian; Jaminan Hari Tua; Jaminan Pensiun"),
        _row("PT Dua Kali", npp="11110007", employed="30", enrolled="10", wage="3000000", wage_reg="2000000",
             programmes="JKK,JKM"),
    )
    assert table.loc["PT Sebagian TK", "status"] == "pds_tk"
    assert table.loc["PT Sebagian TK", "uncovered"] == 8
    assert table.loc["PT Upah Rendah", "status"] == "pds_upah"
    assert table.loc["CV Kurang Program", "status"] == "pds_program"     # kecil (5-19): JHT required
    assert table.loc["CV Kurang Program", "missing_programmes"] == "JHT"
    assert table.loc["UD Mikro", "status"] == "patuh"                    # mikro: JKK and JKM only
    assert table.loc["PT Menengah Kecil", "status"] == "pds_program"     # the stated scale wins over 8 workers
    assert not table.loc["PT Menengah Kecil", "scale_estimated"]
    assert table.loc["PT Patuh", "status"] == "patuh"
    assert table.loc["PT Dua Kali", "statuses"] == "pds_tk,pds_upah,pds_program"
    assert table.loc["PT Dua Kali", "status"] == "pds_tk"
    assert localize(table.loc["PT Dua Kali", "rule"], "en") == (
        "PDS Workers: 10 of 30 workers enrolled; PDS Wage: registered wage Rp2,000,000 below the reported wage "
        "Rp3,000,000; PDS Programme: JHT, JP missing (a medium business must register JKK, JKM, JHT, JP)")


def test_a_wage_just_below_the_reported_one_is_pds_upah_and_the_tolerance_is_a_setting(tmp_path):
    rows = [_row("PT Selisih", npp="1", employed="12", enrolled="12", wage="2500000", wage_reg="2499999")]
    assert _status(*rows).loc["PT Selisih", "status"] == "pds_upah"
    raw = json.loads(load_rules.__globals__["RULES_PATH"].read_text(encoding="utf-8"))
    raw["wage_tolerance"] = 0.05
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    check = read_companies(_csv(*rows), filename="p.csv")
    assert company_status(check.companies, load_rules(path))["status"].tolist() == ["patuh"]


def test_a_rules_file_naming_an_unknown_programme_is_refused(tmp_path):
    raw = json.loads(load_rules.__globals__["RULES_PATH"].read_text(encoding="utf-8"))
    raw["programmes_by_scale"]["mikro"] = ["JKK", "JKX"]
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(ValueError, match="JKX"):
        load_rules(path)


def test_registered_without_an_enrolled_column_is_not_called_compliant():
    data = ("Nama Perusahaan,NPP,Kode Desa,TK Dipekerjakan,Program\n"
            f"PT Tanpa Kolom,11110001,{KOTA_KULON},25,\"JKK,JKM,JHT,JP\"\n").encode()
    check = read_companies(data, filename="p.csv")
    table = company_status(check.companies)
    assert table["status"].tolist() == ["belum_pasti"]
    assert table["uncovered"].isna().all()


# -- reading: every row matched or rejected with reasons ----------------------------------------


def test_every_row_is_matched_or_rejected_with_its_reason():
    data = _csv(
        _row("CV Baik", employed="12", enrolled="0"),
        _row("", employed="12"),                                                       # no name
        _row("CV Lebih", npp="2", employed="3", enrolled="7"),                          # enrolled > employed
        _row("CV Program Aneh", npp="3", employed="3", enrolled="3", programmes="JKK, JKX"),
        _row("CV Kode Salah", kode="32.05.99.9999", employed="3"),
        _row("CV Tanpa Lokasi", kode="", employed="3"),
        _row("CV Tertukar", kode="", lat=str(KOTA_KULON_POINT[1]), lon=str(KOTA_KULON_POINT[0]), employed="3"),
        _row("CV Baik", employed="12", enrolled="0"),                                   # repeat of row 2
        _row("CV Angka", employed="dua belas"),
        _row("CV Upah", employed="3", wage="Rp 2.500.000,50"),
        _row("CV NPP Kosong TK", npp="99", employed="3"),                              # NPP, enrolled blank
    )
    check = read_companies(data, filename="perusahaan.csv")
    assert check.rows_in == 11
    assert check.rows_in == check.rows_matched + check.rows_rejected
    assert check.companies["row"].tolist() == [2]
    rejected = {p.row: p for p in check.problems if p.rejected}
    assert set(rejected) == set(range(3, 13))
    reasons = {row: (p.column, localize(p.reason, "en")) for row, p in rejected.items()}
    assert reasons[3] == ("name", "a required cell is empty")
    assert reasons[4] == ("workers_enrolled", "more workers enrolled than employed")
    assert reasons[5] == ("programmes", "programme not recognised")
    assert reasons[6][0] == "kode_desa"
    assert reasons[7] == ("kode_desa", "company location is empty")
    assert reasons[8][1] == localize(rejected[8].reason, "en") and rejected[8].column == "lat"
    assert "swap" in localize(rejected[8].suggestion, "en").lower()
    assert reasons[9][0] == "name" and "row 2" in localize(rejected[9].suggestion, "en")
    assert reasons[10][0] == "workers_employed"
    assert reasons[11] == ("wage_reported", "wage is not a whole rupiah amount")
    assert reasons[12] == ("workers_enrolled", "company with an NPP but no enrolled workers")


def test_companies_are_placed_by_code_by_name_and_by_point():
    data = _csv(
        _row("CV Kode", kode=KOTA_KULON, employed="3"),
        _row("CV Nama", kode="", desa="Haurpanggung", kec="Tarogong Kidul", employed="3"),
        _row("CV Titik", kode="", lat=str(KADUNGORA_POINT[0]), lon=str(KADUNGORA_POINT[1]), employed="3"),
        _row("CV Dua Lokasi", kode=KOTA_KULON, lat=str(KADUNGORA_POINT[0]), lon=str(KADUNGORA_POINT[1]),
             employed="3"),
    )
    check = read_companies(data, filename="p.csv")
    assert check.rows_rejected == 0
    assert check.companies["kode_desa"].tolist() == [KOTA_KULON, HAURPANGGUNG, "32.05.10.2001", KOTA_KULON]
    assert check.companies["kecamatan"].tolist() == ["Garut Kota", "Tarogong Kidul", "Kadungora", "Garut Kota"]
    warning = [p for p in check.problems if p.row == 5]
    assert len(warning) == 1 and not warning[0].rejected
    assert "Kota Kulon" in localize(warning[0].suggestion, "en")


def test_contacts_are_dropped_and_personal_numbers_never_echoed():
    data = _csv(_row("CV Kontak 3205010101900001", employed="dua", pic="Budi 0812-3456-7890"))
    check = read_companies(data, filename="p.csv")
    text = json.dumps(localize_all(check.report(), "id"), ensure_ascii=False)
    assert check.personal_columns == ["PIC"]
    assert "0812" not in text and "Budi" not in text and "3205010101900001" not in text
    assert "contact" not in check.companies.columns
    npwp = read_companies(_csv(_row("CV Pajak", npwp="3205010101900001", employed="3")), filename="p.csv")
    assert "3205010101900001" not in json.dumps(localize_all(npwp.report(), "en"))


def test_xlsx_companies_with_a_title_row_read_as_the_csv():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Daftar perusahaan Kabupaten Garut"])
    sheet.append(HEADER.split(","))
    sheet.append(["PT Contoh 001", 12345678, None, "10", KOTA_KULON, None, None, None, None, 15, 15,
                  2_500_000, 2_500_000, "JKK, JKM, JHT, JP", None, None])
    buffer = io.BytesIO()
    book.save(buffer)
    check = read_companies(buffer.getvalue(), filename="perusahaan.xlsx")
    assert check.rows_rejected == 0
    row = check.companies.iloc[0]
    assert (row["row"], row["npp"], row["sector"], row["workers_employed"]) == (3, "12345678", "C", 15)
    assert company_status(check.companies)["status"].tolist() == ["patuh"]


def test_a_file_without_a_companies_header_or_location_is_refused_by_name():
    with pytest.raises(InputFileError) as no_header:
        read_companies(b"a,b\n1,2\n", filename="acak.csv")
    assert no_header.value.key == "companies.no_header" and "acak.csv" in no_header.value.message("en")
    with pytest.raises(InputFileError) as no_place:
        read_companies(b"Nama Perusahaan,TK Dipekerjakan\nCV A,12\n", filename="tanpa_lokasi.csv")
    assert no_place.value.key == "companies.no_location"
    assert "kode_desa" in no_place.value.message("id")


# -- sectors and roll-ups ------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "section"), [
    ("C", "C"), ("kategori g", "G"), ("15111", "C"), ("01", "A"), ("41", "F"), ("55101", "I"),
    ("Perkebunan teh", "A"), ("Jasa Konstruksi", "F"), ("Penyamakan kulit", "C"), ("arung jeram", "R"),
    ("Perdagangan eceran", "G"), ("04", UNKNOWN_SECTOR), ("lain-lain", UNKNOWN_SECTOR),
])
def test_sector_cells_name_a_kbli_section(text, section):
    assert sector_section(text) == section


def test_every_section_has_a_name_in_both_languages():
    assert SECTIONS == tuple("ABCDEFGHIJKLMNOPQRSTU")
    for section in SECTIONS:
        assert t(f"kbli.section.{section}", "id") != t(f"kbli.section.{section}", "en")


def test_roll_ups_by_area_and_sector_add_up_and_order_the_least_covered_sector_first():
    table = company_status(read_companies(_csv(
        _row("PT Kulit", npp="1", sector="15111", employed="40", enrolled="10", programmes="JKK,JKM,JHT,JP"),
        _row("CV Dagang", sector="G", kode=HAURPANGGUNG, employed="12"),
        _row("CV Toko", npp="2", sector="G", kode=HAURPANGGUNG, employed="10", enrolled="10",
             programmes="JKK,JKM,JHT"),
        _row("CV Kebun", sector="A", employed="6", wage="50000"),
    ), filename="p.csv").companies)
    sectors = by_sector(table)
    assert list(sectors.index) == ["A", "C", "G"]           # shares 0/6, 10/40, 10/22
    assert sectors.loc["C", "uncovered_non_compliant"] == 30
    assert sectors.loc["A", "uncovered_non_compliant"] == 0   # not obliged: uncovered, no follow-up
    desa = by_area(table, "desa")
    assert desa["companies"].sum() == 4
    assert desa.loc[HAURPANGGUNG, "n_pwbd"] == 1 and desa.loc[HAURPANGGUNG, "n_patuh"] == 1
    assert desa["uncovered"].sum() == table["uncovered"].sum() == 30 + 12 + 6
    kec = by_area(table, "kecamatan")
    assert kec.loc["32.05.01", "workers_employed"] == 46
    counts = status_counts(table)
    assert list(counts) == list(load_rules().status_order) and set(counts) == set(STATUSES)
    assert counts["pwbd"] == 1 and counts["pds_tk"] == 1 and counts["tidak_wajib"] == 1
    assert compliance_list(table)["name"].tolist() == ["PT Kulit", "CV Dagang"]
    with pytest.raises(ValueError, match="kabupaten"):
        by_area(table, "kabupaten")


# -- the illustrative file and the CLI -----------------------------------------------------------


def test_the_committed_illustrative_file_is_a_fresh_generation_and_reads_without_rejections():
    assert SAMPLE_COMPANIES_PATH.read_bytes() == sample_companies_bytes()
    assert is_sample_companies(SAMPLE_COMPANIES_PATH.read_bytes())
    assert not is_sample_companies(SAMPLE_COMPANIES_PATH.read_bytes().replace(b"Contoh 001", b"Contoh 999"))
    check = read_companies(SAMPLE_COMPANIES_PATH)
    assert check.rows_rejected == 0 and check.rows_in > 250
    assert check.companies["name"].str.fullmatch(r"(PT|CV|UD|Koperasi|Yayasan) Contoh \d{3}").all()
    table = company_status(check.companies)
    counts = status_counts(table)
    assert all(counts[s] > 0 for s in ("pwbd", "pds_tk", "pds_upah", "pds_program", "patuh", "tidak_wajib"))
    # leather tanning sits in Garut Kota (Sukaregang)
    tanning = table[table["sector_text"].str.startswith("151")]
    assert (tanning["kecamatan"] == "Garut Kota").mean() > 0.8


def test_cli_check_prints_status_counts_sectors_and_the_illustrative_label(capsys, tmp_path):
    assert main(["companies", "--check", str(SAMPLE_COMPANIES_PATH), "--lang", "en"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["illustrative"] is True and report["label"].startswith("ILLUSTRATIVE")
    assert sum(report["status_counts"].values()) == report["rows_matched"] == report["rows_in"]
    assert [s["enrolled_share"] for s in report["sectors"]] == sorted(s["enrolled_share"] for s in report["sectors"])
    assert report["sectors"][0]["label"] == "Accommodation and Food Service"
    assert {c["status"] for c in report["companies"]} >= {"pwbd", "patuh"}
    assert sum(d["companies"] for d in report["desa"]) == sum(k["companies"] for k in report["kecamatan"]) \
        == report["rows_matched"]
    assert sum(d["pwbd"] for d in report["desa"]) == report["status_counts"]["pwbd"]
    bad = tmp_path / "perusahaan.csv"
    bad.write_bytes(_csv(_row("CV Kontak", employed="x", pic="siti@contoh.id")))
    assert main(["companies", "--check", str(bad)]) == 0
    out = capsys.readouterr().out
    report = json.loads(out)
    assert report["rows_rejected"] == 1 and report["illustrative"] is False and "siti" not in out
    assert report["problems"][0]["reason"] == "bukan angka"
    assert main(["companies", "--check", str(tmp_path / "missing.csv")]) == 2
    assert "missing.csv" in capsys.readouterr().err

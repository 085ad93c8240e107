"""The corpus of messy coverage files: exact outcome of every file.

Files are in tests/fixtures/coverage/ (written by make_corpus.py there).
For each file the test pins rows_in / rows_matched / rows_rejected, every
problem as (row, column, reason[, value]) and every match as (row, kode,
method); whole-file problems pin the error and what its message names.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from core.errors import InputFileError, PetaCakupanError
from core.i18n import localize, localize_all
from ingest.coverage import read_coverage
from ingest.rows import TABLE_COLUMNS

CORPUS = Path(__file__).parent / "fixtures" / "coverage"


def outcome(res):
    rep = res.report
    return {
        "counts": (rep["rows_in"], rep["rows_matched"], rep["rows_rejected"]),
        "problems": [(p["row"], p["column"], p["reason"]) for p in rep["problems"]],
        "matches": [(m["row"], m["kode"], m["method"]) for m in rep["matches"]],
    }


def figures(res, *columns):
    return [tuple(None if pd.isna(v) else int(v) for v in row) for row in res.table[list(columns)].itertuples(
        index=False)]


K = "32.05.01.100"  # Garut Kota kelurahan codes 32.05.01.1001 ...

EXPECTED = {
    "01_canonical.csv": {
        "counts": (4, 4, 0), "problems": [],
        "matches": [(2, "32.05.01.1001", "code"), (3, "32.05.01.1002", "code"), (4, "32.05.12.2002", "code"),
                    (5, "32.05.38.2001", "code")],
    },
    "02_semicolon_decimal_comma.csv": {
        "counts": (4, 3, 1), "problems": [(4, "peserta_aktif", "not_whole_number")],
        "matches": [(2, K + "1", "code"), (3, K + "2", "code"), (5, K + "4", "code")],
    },
    "03_bom_utf8.csv": {
        "counts": (3, 3, 0), "problems": [],
        "matches": [(2, K + "1", "code"), (3, K + "2", "code"), (4, K + "3", "code")],
    },
    "04_cp1252.csv": {
        "counts": (3, 3, 0), "problems": [],
        "matches": [(2, K + "5", "code"), (3, K + "6", "code"), (4, K + "7", "code")],
    },
    "05_thousands_english.csv": {
        "counts": (3, 2, 1), "problems": [(4, "covered", "not_whole_number")],
        "matches": [(2, K + "1", "code"), (3, K + "2", "code")],
    },
    "06_alias_old_names.csv": {
        "counts": (6, 6, 0), "problems": [],
        "matches": [(2, "32.05.14.2004", "alias"), (3, "32.05.20.2010", "alias"), (4, "32.05.22.2012", "alias"),
                    (5, "32.05.38.2001", "alias"), (6, "32.05.02.1001", "exact"), (7, "32.05.38.2005", "alias")],
    },
    "07_mekarsari.csv": {
        "counts": (5, 3, 2), "problems": [(5, "desa", "ambiguous_name"), (6, "desa", "name_not_found")],
        "matches": [(2, "32.05.12.2002", "exact"), (3, "32.05.22.2003", "exact"), (4, "32.05.39.2006", "exact")],
    },
    "08_swapped_columns.csv": {
        "counts": (4, 1, 3),
        "problems": [(2, "peserta_aktif", "covered_gt_workers"), (3, "peserta_aktif", "covered_gt_workers"),
                     (4, "peserta_aktif", "covered_gt_workers")],
        "matches": [(5, K + "4", "code")],
    },
    "09_columns_reordered.csv": {
        "counts": (3, 3, 0), "problems": [],
        "matches": [(2, K + "1", "code"), (3, K + "2", "code"), (4, K + "3", "code")],
    },
    "10_blank_lines.csv": {
        "counts": (3, 2, 1), "problems": [(5, "pekerja", "not_a_number")],
        "matches": [(2, K + "1", "code"), (7, K + "3", "code")],
    },
    "11_merged_header.xlsx": {
        "counts": (3, 2, 1), "problems": [(6, "Bukan Penerima Upah / Peserta", "covered_gt_workers")],
        "matches": [(4, K + "1", "code"), (5, K + "2", "code")],
    },
    "12_several_sheets.xlsx": {
        "counts": (2, 2, 0), "problems": [], "matches": [(2, K + "1", "code"), (3, K + "2", "code")],
    },
    "14_formulas.xlsx": {
        "counts": (3, 2, 1), "problems": [(4, "pekerja", "formula_not_computed")],
        "matches": [(2, K + "1", "code"), (3, K + "2", "code")],
    },
    "15_covered_gt_workers.csv": {
        "counts": (3, 1, 2),
        "problems": [(3, "peserta_aktif", "covered_gt_workers"), (4, "peserta_pu", "covered_gt_workers")],
        "matches": [(2, K + "1", "code")],
    },
    "16_negative.csv": {
        "counts": (4, 1, 3),
        "problems": [(2, "pekerja", "negative"), (3, "pekerja", "negative"), (4, "peserta_aktif", "negative")],
        "matches": [(5, K + "4", "code")],
    },
    "17_text_in_numbers.csv": {
        "counts": (8, 1, 7),
        "problems": [(2, "pekerja", "not_a_number"), (3, "peserta_aktif", "not_a_number"),
                     (4, "pekerja", "not_a_number"), (5, "pekerja", "not_a_number"),
                     (6, "peserta_aktif", "not_a_number"), (7, "pekerja", "missing_value"),
                     (8, "peserta_aktif", "missing_value")],
        "matches": [(9, K + "8", "code")],
    },
    "18_unknown_codes.csv": {
        "counts": (6, 1, 5),
        "problems": [(2, "kode_desa", "unknown_code"), (3, "kode_desa", "unknown_code"),
                     (4, "kode_desa", "unknown_code"), (5, "kode_desa", "unknown_code"),
                     (6, "kode_desa", "wrong_level")],
        "matches": [(7, K + "1", "code")],
    },
    "21_bps_codes.csv": {
        "counts": (4, 3, 1), "problems": [(5, "kode_bps", "unknown_code")],
        "matches": [(2, "32.05.01", "code"), (3, "32.05.02", "code"), (4, "32.05.38", "code")],
    },
    "22_undotted_codes.csv": {
        "counts": (4, 4, 0), "problems": [],
        "matches": [(2, K + "1", "code"), (3, K + "2", "code"), (4, K + "3", "code"), (5, K + "4", "code")],
    },
    "23_kecamatan_level.csv": {
        "counts": (6, 4, 2),
        "problems": [(6, "kecamatan", "name_not_found"), (7, "kode_kecamatan", "wrong_level")],
        "matches": [(2, "32.05.01", "code"), (3, "32.05.02", "code"), (4, "32.05.38", "alias"),
                    (5, "32.05.04", "exact")],
    },
    "24_participants_nik.csv": {
        "counts": (10, 6, 4),
        "problems": [(7, "NIK", "duplicate_participant"), (8, "kode_desa", "unknown_code"),
                     (9, "segmen", "unknown_segment"), (10, "kode_desa", "missing_value")],
        "matches": [(2, K + "1", "code"), (5, K + "2", "code"), (6, K + "2", "code"),
                    (11, "32.05.12.2002", "code")],
    },
    "25_participants_latlon.csv": {
        "counts": (10, 5, 5),
        "problems": [(7, "lat", "outside_region"), (8, "lat", "invalid_coordinate"),
                     (9, "lat", "invalid_coordinate"), (10, "lat", "missing_value"), (10, "lon", "missing_value"),
                     (11, "segmen", "unknown_segment")],
        "matches": [],
    },
    "26_duplicate_regions.csv": {
        "counts": (5, 2, 3),
        "problems": [(2, "kode_desa", "duplicate_region"), (4, "kode_desa", "duplicate_region"),
                     (5, "desa", "duplicate_region")],
        "matches": [(3, K + "2", "code"), (6, K + "3", "code")],
    },
    "27_periods.csv": {
        "counts": (9, 5, 4),
        "problems": [(7, "kode_desa", "duplicate_region"), (8, "kode_desa", "duplicate_region"),
                     (9, "periode", "invalid_period"), (10, "periode", "missing_value")],
        "matches": [(2, K + "1", "code"), (3, K + "1", "code"), (4, K + "2", "code"), (5, K + "2", "code"),
                    (6, K + "3", "code")],
    },
    "31_english_headers.csv": {
        "counts": (2, 2, 0), "problems": [],
        "matches": [(2, K + "1", "exact"), (3, "32.05.12.2002", "exact")],
    },
    "32_indonesian_variants.csv": {
        "counts": (2, 2, 0), "problems": [], "matches": [(2, K + "1", "code"), (3, K + "2", "code")],
    },
    "33_fuzzy_names.csv": {
        "counts": (4, 3, 1), "problems": [(5, "desa", "name_not_found")],
        "matches": [(2, K + "6", "fuzzy"), (3, K + "1", "fuzzy"), (4, K + "3", "fuzzy")],
    },
    "34_total_row.csv": {
        "counts": (3, 2, 1), "problems": [(4, "desa", "total_row")],
        "matches": [(2, K + "1", "exact"), (3, K + "2", "exact")],
    },
    "36_tab_separated.tsv": {
        "counts": (2, 2, 0), "problems": [], "matches": [(2, K + "1", "code"), (3, K + "2", "code")],
    },
    "37_mixed_level.csv": {
        "counts": (3, 2, 1), "problems": [(2, "kode", "wrong_level")],
        "matches": [(3, K + "1", "code"), (4, K + "2", "code")],
    },
    "38_key_mismatch.csv": {
        "counts": (4, 2, 2), "problems": [(2, "desa", "key_mismatch"), (3, "kecamatan", "key_mismatch")],
        "matches": [(4, K + "3", "code"), (5, K + "6", "code")],
    },
    "39_excel_numbers.xlsx": {
        "counts": (4, 2, 2), "problems": [(3, "pekerja", "not_whole_number"), (5, "peserta_aktif", "not_a_number")],
        "matches": [(2, K + "1", "code"), (4, K + "3", "code")],
    },
    "40_utf16_unicode_text.txt": {
        "counts": (2, 2, 0), "problems": [], "matches": [(2, K + "1", "code"), (3, K + "2", "code")],
    },
    "41_derived_totals.csv": {
        "counts": (2, 1, 1), "problems": [(3, "pekerja_bpu", "missing_value")], "matches": [(2, K + "1", "code")],
    },
    "42_merged_kecamatan.xlsx": {
        "counts": (4, 4, 0), "problems": [],
        "matches": [(2, "32.05.12.2002", "exact"), (3, "32.05.12.2003", "exact"), (4, "32.05.14.2003", "exact"),
                    (5, "32.05.14.2002", "exact")],
    },
    "44_multiline_cell.csv": {
        "counts": (2, 1, 1), "problems": [(3, "pekerja", "not_a_number")], "matches": [(2, K + "1", "code")],
    },
    "45_title_rows.csv": {
        "counts": (2, 1, 1), "problems": [(6, "Pekerja", "negative")], "matches": [(5, K + "1", "code")],
    },
    "46_huge_numbers.csv": {
        "counts": (4, 1, 3),
        "problems": [(2, "pekerja", "count_too_large"), (3, "pekerja", "count_too_large"),
                     (3, "peserta_aktif", "count_too_large"), (4, "pekerja", "count_too_large")],
        "matches": [(5, K + "4", "code")],
    },
    "47_future_period.csv": {
        "counts": (3, 1, 2), "problems": [(3, "periode", "period_in_future"), (4, "periode", "period_in_future")],
        "matches": [(2, K + "1", "code")],
    },
    "48_comma_in_number.csv": {
        "counts": (3, 2, 1), "problems": [(2, "(kolom 4 tanpa judul)", "extra_fields")],
        "matches": [(3, K + "2", "code"), (4, K + "3", "code")],
    },
    "51_subtotal_rows.csv": {
        "counts": (8, 5, 3),
        "problems": [(4, "desa", "total_row"), (8, "desa", "total_row"), (9, "kecamatan", "total_row")],
        "matches": [(2, "32.05.09.2002", "exact"), (3, "32.05.09.2010", "exact"), (5, K + "1", "exact"),
                    (6, K + "2", "exact"), (7, K + "3", "exact")],
    },
    "52_exact_repeat.csv": {
        "counts": (5, 2, 3),
        "problems": [(4, "kode_desa", "duplicate_region"), (5, "kode_desa", "duplicate_region"),
                     (6, "kode_desa", "duplicate_region")],
        "matches": [(2, K + "1", "code"), (3, K + "2", "code")],
    },
    "53_invisible_characters.csv": {
        "counts": (2, 2, 0), "problems": [],
        "matches": [(2, K + "1", "code"), (3, K + "2", "code")],
    },
    "54_nik_scientific.csv": {
        "counts": (3, 3, 0), "problems": [], "matches": [(2, K + "1", "code"), (4, K + "2", "code")],
    },
    "49_participants_shifted_phone.csv": {
        "counts": (3, 2, 1),
        "problems": [(3, "kode_desa", "unknown_code"), (3, "segmen", "unknown_segment"),
                     (3, "(kolom 6 tanpa judul)", "extra_fields")],
        "matches": [(2, K + "1", "code"), (4, K + "2", "code")],
    },
}

#: Whole-file problems: file -> words the message must contain (besides the file name).
FILE_ERRORS = {
    "50_unclosed_quote.csv": ["opened in line 2 is never closed", "the 3 row(s) after it (to line 5)"],
    "13_two_tables.xlsx": ["several sheets", "'2024-06'", "'2024-12'", "sheet="],
    "19_empty.csv": ["empty"],
    "20_binary_renamed.csv": ["PNG image", ".xlsx or .csv"],
    "28_header_only.csv": ["no data rows", "row 1"],
    "29_no_key_column.csv": ["no region key column", "kode_desa"],
    "30_not_a_table.txt": ["not a table", "separator"],
    "35_old_excel.xls": [".xls", "save as .xlsx or .csv"],
    "43_wide_periods.csv": ["'Pekerja 2023'", "'Pekerja 2024'", "periode"],
}


def test_corpus_is_big_enough():
    files = [p for p in CORPUS.iterdir() if p.suffix != ".py"]
    assert len(files) >= 25
    assert {p.name for p in files} == set(EXPECTED) | set(FILE_ERRORS)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_exact_outcome(name):
    res = read_coverage(CORPUS / name)
    assert outcome(res) == EXPECTED[name]
    rep = res.report
    assert rep["rows_in"] == rep["rows_matched"] + rep["rows_rejected"]
    assert list(res.table.columns) == list(TABLE_COLUMNS)
    if not res.participant:
        assert len(res.table) == rep["rows_matched"]
        assert sorted(res.table["row"]) == [m[0] for m in EXPECTED[name]["matches"]]
    json.dumps(rep)  # the CLI prints it as is


@pytest.mark.parametrize("name", sorted(FILE_ERRORS))
def test_whole_file_errors(name):
    with pytest.raises(InputFileError) as info:
        read_coverage(CORPUS / name)
    message = str(info.value)
    assert message.startswith(name + ":")
    for words in FILE_ERRORS[name]:
        assert words in message
    assert isinstance(info.value, PetaCakupanError) and isinstance(info.value, ValueError)


def test_decimal_comma_and_thousand_dots_values():
    res = read_coverage(CORPUS / "02_semicolon_decimal_comma.csv")
    # 12.345,0 shows the Indonesian convention, so 8.360 is 8360 (figures stay below each desa's population)
    assert figures(res, "workers", "covered") == [(12_345, 2_230), (8_360, 1_860), (3_100, 1_000)]
    assert res.report["problems"][0]["value"] == "1.012,5"
    assert res.dropped_columns == ["persen_cakupan"]
    assert res.source["delimiter"] == ";"


def test_english_thousands_values():
    res = read_coverage(CORPUS / "05_thousands_english.csv")
    assert figures(res, "workers", "covered") == [(12_345, 1_234), (9_876, 2_345)]


def test_encodings_detected():
    assert read_coverage(CORPUS / "03_bom_utf8.csv").source["encoding"] == "utf-8-sig"
    res = read_coverage(CORPUS / "04_cp1252.csv")
    assert res.source["encoding"] == "cp1252"
    assert res.dropped_columns == ["Keterangan"]
    assert read_coverage(CORPUS / "40_utf16_unicode_text.txt").source["encoding"] == "utf-16"


def test_alias_and_fuzzy_matches_are_reported_with_input_and_name():
    matches = read_coverage(CORPUS / "06_alias_old_names.csv").report["matches"]
    assert matches[0] == {"row": 2, "input": "Cikarang (Malangbong)", "kode": "32.05.14.2004",
                          "nama": "Cikarag (Malangbong)", "method": "alias"}
    assert matches[3]["nama"] == "Limbangan Tengah (Limbangan)"
    fuzzy = read_coverage(CORPUS / "33_fuzzy_names.csv").report["matches"][0]
    assert (fuzzy["input"], fuzzy["nama"]) == ("Sukamentr (Garut Kota)", "Sukamentri (Garut Kota)")


def test_mekarsari_suggestions_name_the_kecamatan():
    problems = read_coverage(CORPUS / "07_mekarsari.csv").report["problems"]
    assert "Mekarsari (Cibatu)" in problems[0]["suggestion"] and "8 desa" in problems[0]["suggestion"]
    assert "Tidak ada desa ini di Kecamatan Garut Kota, tetapi ada: Mekarsari (Karangpawitan)" in (
        problems[1]["suggestion"])


def test_merged_header_maps_groups():
    res = read_coverage(CORPUS / "11_merged_header.xlsx")
    assert res.source["header_row"] == 3 and res.source["sheet"] == "Cakupan"
    assert res.source["columns"]["Penerima Upah / Pekerja"] == "pekerja_pu"
    assert res.source["columns"]["Total / Peserta"] == "peserta_aktif"
    assert figures(res, "workers", "covered", "workers_formal", "covered_formal", "workers_informal",
                   "covered_informal") == [(3000, 1600, 1500, 1300, 1500, 300), (2900, 1200, 1400, 1000, 1500, 200)]


def test_sheet_choice():
    path = CORPUS / "12_several_sheets.xlsx"
    assert read_coverage(path, sheet="Data").source["sheet"] == "Data"
    assert read_coverage(path, sheet=1).source["sheet"] == "Data"
    assert read_coverage(path, sheet="data").source["sheet"] == "Data"
    assert read_coverage(path, sheet="1").source["sheet"] == "Data"  # as a command line passes it
    with pytest.raises(InputFileError, match="no region key column"):
        read_coverage(path, sheet="Petunjuk")
    with pytest.raises(InputFileError, match=r"no sheet 'Salah'; sheets: 'Petunjuk', 'Data'"):
        read_coverage(path, sheet="Salah")
    with pytest.raises(InputFileError, match="no sheet number 5"):
        read_coverage(path, sheet=5)
    with pytest.raises(InputFileError) as info:
        read_coverage(CORPUS / "13_two_tables.xlsx")
    assert info.value.sheets == ["2024-06", "2024-12"]
    res = read_coverage(CORPUS / "13_two_tables.xlsx", sheet="2024-12")
    assert figures(res, "workers", "covered") == [(101, 11)]


def test_formula_values_used_when_saved():
    res = read_coverage(CORPUS / "14_formulas.xlsx")
    assert figures(res, "workers", "covered") == [(100, 30), (120, 40)]
    assert res.report["problems"][0]["value"] == "=B4+C4"


def test_periods_normalised():
    res = read_coverage(CORPUS / "27_periods.csv")
    assert list(res.table["period"]) == ["2024-06", "2024-12", "2024-06", "2024-12", "2024-06"]
    assert "baris 8" in res.report["problems"][0]["suggestion"]


def test_kecamatan_and_bps_levels():
    res = read_coverage(CORPUS / "21_bps_codes.csv")
    assert res.level == "kecamatan" and set(res.table["level"]) == {"kecamatan"}
    assert list(res.table["kode"]) == ["32.05.01", "32.05.02", "32.05.38"]
    assert read_coverage(CORPUS / "23_kecamatan_level.csv").level == "kecamatan"


def test_typed_excel_cells():
    res = read_coverage(CORPUS / "39_excel_numbers.xlsx")
    assert figures(res, "workers", "covered") == [(1000, 100), (1234, 10)]
    assert list(res.table["period"]) == ["2024-12", "2024-12"]
    assert res.report["problems"][0]["value"] == "12.5"


def test_derived_totals_and_notes():
    res = read_coverage(CORPUS / "41_derived_totals.csv")
    assert figures(res, "workers", "covered", "workers_formal", "workers_informal") == [(100, 35, 60, 40)]
    assert any("pekerja derived" in localize(note, "en") for note in res.notes)


def test_participant_counts():
    res = read_coverage(CORPUS / "24_participants_nik.csv")
    assert res.participant and res.personal_columns == ["NIK", "Nama Lengkap", "No HP", "Alamat"]
    assert figures(res, "covered", "covered_formal", "covered_informal") == [(3, 2, 1), (2, 0, 1), (1, 0, 1)]
    assert res.table["workers"].isna().all()
    points = read_coverage(CORPUS / "25_participants_latlon.csv")
    assert list(points.table["kode"]) == ["32.05.01.1001", "32.05.01.1002", "32.05.12.2002"]
    assert figures(points, "row", "covered", "covered_formal", "covered_informal") == [
        (2, 3, 2, 1), (5, 1, 1, 0), (6, 1, 0, 1)]
    assert all(p["value"] == "" for p in points.report["problems"] if p["column"] in ("lat", "lon"))


def test_huge_figures_are_rejected_per_row_and_totals_stay_true():
    res = read_coverage(CORPUS / "46_huge_numbers.csv")
    assert res.report["totals"]["workers"] == 500 and res.report["totals"]["covered"] == 50
    problem = res.report["problems"][0]
    assert localize(problem["suggestion"], "en").startswith("This is more than 100,000,000 people")
    assert "100.000.000" in localize(problem["suggestion"], "id")


def test_a_period_after_this_month_never_becomes_the_period_shown():
    res = read_coverage(CORPUS / "47_future_period.csv")
    assert list(res.table["period"]) == ["2024-12"]
    assert "2099-01" in localize(res.report["problems"][0]["suggestion"], "en")


def test_a_comma_inside_a_number_rejects_the_shifted_row():
    res = read_coverage(CORPUS / "48_comma_in_number.csv")
    assert figures(res, "workers", "covered") == [(200, 20), (300, 30)]
    (problem,) = res.report["problems"]
    assert problem["value"] == "00"
    assert "3.050,00" in localize(problem["suggestion"], "id") and "quotes" in localize(problem["suggestion"], "en")
    assert not any("untitled" in localize(n, "en") for n in res.notes)  # not taken for a real column


def test_personal_data_never_echoed_when_a_name_shifts_the_columns():
    """An unquoted comma in a name moves the phone number into the code column: it is masked everywhere."""
    res = read_coverage(CORPUS / "49_participants_shifted_phone.csv")
    report = json.dumps(localize_all(res.report, "en"), default=str)
    assert "081234567812" not in report and "3205014101900012" not in report
    assert "08**********" in report
    assert not any("0812345678" in str(v) for v in res.table.to_numpy().ravel())


def test_subtotal_rows_are_left_out_and_compared_with_the_rows():
    """``Leles;Leles`` sums its kecamatan (desa Leles shares the name); ``Kec. Garut Kota`` is a label; JUMLAH sums all."""
    res = read_coverage(CORPUS / "51_subtotal_rows.csv")
    assert res.report["totals"]["workers"] == 2350 and res.report["totals"]["covered"] == 235
    checked = {(c["row"], c["label"]): (c["workers"], c["covered"], c["agrees"]) for c in res.report["total_rows"]}
    assert checked == {
        (4, "Leles"): ({"file": 2000, "rows": 2000}, {"file": 200, "rows": 200}, True),
        (8, "Garut Kota"): ({"file": 350, "rows": 350}, {"file": 35, "rows": 35}, True),
        (9, ""): ({"file": 2350, "rows": 2350}, {"file": 235, "rows": 235}, True),
    }
    en = [localize(n, "en") for n in res.notes]
    assert any(n.startswith("Total row 9 (whole file) was not counted; its figures equal") for n in en)
    assert any("Workers 2,350 in the total row, 2,350 from the rows" in n for n in en)
    assert any("Pekerja 2.350 di baris jumlah" in localize(n, "id") for n in res.notes)


def test_a_total_that_differs_from_its_rows_is_said_plainly(tmp_path):
    path = tmp_path / "beda.csv"
    path.write_text("kecamatan;desa;pekerja;peserta_aktif\nLeles;Leles;100;10\nLeles;Ciburial;200;20\n"
                    "TOTAL;;500;30\n", encoding="utf-8")
    res = read_coverage(path)
    (checked,) = res.report["total_rows"]
    assert checked["workers"] == {"file": 500, "rows": 300} and not checked["agrees"]
    assert any("DIFFER" in localize(n, "en") and "500" in localize(n, "en") for n in res.notes)


def test_no_real_name_reads_as_a_total_row(garut_gpkg):
    from ingest.matching import RegionIndex, total_row_role

    index = RegionIndex.load("32.05")
    for kode, name in index.desa_nama.items():
        assert total_row_role({"desa": name, "kecamatan": index.kec_nama[kode[:8]]}, "desa") is None, name



def test_an_exact_repeat_is_counted_once_and_a_differing_repeat_not_at_all():
    res = read_coverage(CORPUS / "52_exact_repeat.csv")
    assert res.report["totals"]["workers"] == 300
    copy = res.report["problems"][0]
    assert localize(copy["suggestion"], "en").startswith("This row repeats row 2 (Kota Kulon (Garut Kota)) exactly")



def test_invisible_characters_are_removed_and_named():
    res = read_coverage(CORPUS / "53_invisible_characters.csv")
    assert figures(res, "workers", "covered") == [(1000, 100), (200, 20)]
    (note,) = [localize(n, "en") for n in res.notes if "cannot see" in localize(n, "en")]
    assert ("1 zero-width character(s) removed, 3 text-direction (right-to-left) mark(s) removed, "
            "1 no-break space(s) made plain spaces, 5 full-width digit(s) made plain digits") in note


def test_niks_mangled_by_excel_are_a_column_problem_not_duplicates():
    res = read_coverage(CORPUS / "54_nik_scientific.csv")
    assert res.participant and res.report["rows_rejected"] == 0
    assert figures(res, "covered", "covered_formal", "covered_informal") == [(2, 1, 1), (1, 0, 1)]
    assert any("'NIK_PESERTA' was saved by Excel in scientific notation" in localize(n, "en") for n in res.notes)
    assert res.personal_columns == ["NIK_PESERTA"]


def test_a_figure_above_the_desa_population_is_rejected(tmp_path):
    path = tmp_path / "besar.csv"
    path.write_text("kode_desa,pekerja,peserta_aktif\n32.05.01.1001,50000,100\n32.05.01.1002,4000,400\n",
                    encoding="utf-8")
    res = read_coverage(path)
    (problem,) = res.report["problems"]
    assert (problem["row"], problem["column"], problem["reason"]) == (2, "pekerja", "count_too_large")
    assert "more than everyone living in Kota Kulon (Garut Kota) (21,707 people" in localize(problem["suggestion"], "en")
    assert figures(res, "workers", "covered") == [(4000, 400)]

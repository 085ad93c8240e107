"""Property-based tests: every input row is matched or rejected, never lost.

Random tables mix valid and invalid codes, names, numbers, periods and blank
cells; whatever the mix, ``rows_in = rows_matched + rows_rejected``, the
rejected rows are exactly the rows with problems, and the table holds exactly
the matched rows.
"""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from core.errors import InputFileError, PetaCakupanError
from ingest.coverage import read_coverage

CODES = ["32.05.01.1001", "3205011002", "32.05.12.2002", "32.05.01.1003", "32.05.99.1001", "32.06.01.2001",
         "32.05.01", "ABC", "", " ", "3205010001"]
DESA = ["Kota Kulon", "Mekarsari", "Kramatwangi", "Sukamentr", "Xyz", "", "Jumlah", "Margawati"]
KECAMATAN = ["Garut Kota", "Cibatu", "Cikajang", "Bl. Limbangan", "Nowhere", "", "Karang Pawitan"]
PERIODS = ["2024-06", "2024-12", "Jan 2024", "2024-13", "", "-"]
TEXT_NUMBERS = ["", "-", "abc", "1.234", "22,5", "1,234", "(5)", "−3", "1.234.567", "n/a", "12 orang"]

numbers = st.one_of(
    st.integers(-50, 2_000_000).map(str),
    st.integers(0, 2_000_000).map(lambda n: f"{n:,}".replace(",", ".")),
    st.sampled_from(TEXT_NUMBERS),
)
region_row = st.tuples(st.sampled_from(CODES), st.sampled_from(DESA), st.sampled_from(KECAMATAN),
                       st.sampled_from(PERIODS), numbers, numbers)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _csv(header: list[str], rows: list[tuple], delimiter: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _nonblank(rows: list[tuple]) -> list[int]:
    """Spreadsheet row numbers of the rows holding anything."""
    return [i + 2 for i, row in enumerate(rows) if any(str(c).strip() for c in row)]


def _check_accounting(res, expected_rows: list[int]) -> None:
    rep = res.report
    assert rep["rows_in"] == len(expected_rows)
    assert rep["rows_in"] == rep["rows_matched"] + rep["rows_rejected"]
    rejected = {p["row"] for p in rep["problems"]}
    assert len(rejected) == rep["rows_rejected"]
    assert rejected <= set(expected_rows)
    for problem in rep["problems"]:
        assert set(problem) == {"row", "column", "value", "reason", "suggestion"}
        assert problem["reason"] and problem["suggestion"]


@pytest.fixture(scope="module", autouse=True)
def _built(garut_gpkg):
    """Every test here needs the Garut boundaries."""


@SETTINGS
@given(rows=st.lists(region_row, min_size=1, max_size=25), delimiter=st.sampled_from([";", ",", "\t"]))
def test_region_rows_all_accounted_for(rows, delimiter):
    data = _csv(["kode_desa", "desa", "kecamatan", "periode", "pekerja", "peserta_aktif"], rows, delimiter)
    expected = _nonblank(rows)
    if not expected:
        with pytest.raises(InputFileError, match="no data rows"):
            read_coverage(data, filename="acak.csv")
        return
    res = read_coverage(data, filename="acak.csv")
    _check_accounting(res, expected)
    rep = res.report
    matched = sorted(set(expected) - {p["row"] for p in rep["problems"]})
    assert list(res.table["row"]) == matched
    assert [m["row"] for m in rep["matches"]] == matched
    assert (res.table["covered"] <= res.table["workers"]).all()
    assert (res.table[["workers", "covered"]] >= 0).all().all()
    assert not res.table.duplicated(["kode", "period"]).any()


participant_row = st.tuples(
    st.sampled_from(["1", "2", "3", "", "4"]),                    # nik
    st.sampled_from(CODES),                                        # kode_desa
    st.sampled_from(["PU", "BPU", "pu", "Jakon", "XYZ", ""]),      # segmen
    st.sampled_from(["-7.22985", "-7,21478", "abc", "", "-6.2", "107.9"]),  # lat
    st.sampled_from(["107.90921", "107,91385", "", "106.8", "-7.2"]),      # lon
)


@SETTINGS
@given(rows=st.lists(participant_row, min_size=1, max_size=25))
def test_participant_rows_all_accounted_for(rows):
    data = _csv(["nik", "kode_desa", "segmen", "lat", "lon"], rows, ";")
    expected = _nonblank(rows)
    if not expected:
        with pytest.raises(InputFileError, match="no data rows"):
            read_coverage(data, filename="peserta.csv")
        return
    res = read_coverage(data, filename="peserta.csv")
    assert res.participant
    _check_accounting(res, expected)
    assert int(res.table["covered"].sum()) == res.report["rows_matched"]
    formal = res.table["covered_formal"] + res.table["covered_informal"]
    assert (formal <= res.table["covered"]).all()


# -- no traceback for any input ------------------------------------------------------

HEADERS = ["kode_desa", "desa", "kecamatan", "pekerja", "peserta_aktif", "periode", "NIK", "segmen", "lat", "lon",
           "Peserta Aktif BPJSTK", "Jml TK", ""]
CELLS = ["32.05.01.1001", "Kota Kulon", "JUMLAH", "Kec. Leles", "99999999999999999999999", "6e18", "3.050,00",
         "2099-01", "\u200b", "\uff18", '"', "'", "=1+1", "${alert(1)}", "`", "\\", "-", "", " ", "0812345678901",
         "3205010101900001", "3,20501E+15", "\x00", "\ufeff", "NaN", "inf", "1e308", "-7.2", "107.9"]


@SETTINGS
@given(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=6),
       st.lists(st.lists(st.sampled_from(CELLS), max_size=8), max_size=8),
       st.sampled_from([",", ";", "\t"]))
@example(["kode_desa", "desa", "peserta_aktif", "kode_desa"],       # a phone number joined into a header name
         [["32.05.01.1001", "32.05.01.1001", "0812345678901", "Kota Kulon"], ["32.05.01.1001"]], ",")
def test_any_messy_table_is_read_or_refused_with_a_message(header, rows, delimiter):
    """Whatever the cells, the reader returns a report or raises one of the project's errors, never a traceback."""
    data = (delimiter.join(header) + "\n" + "".join(delimiter.join(r) + "\n" for r in rows)).encode("utf-8")
    try:
        res = read_coverage(data, filename="acak.csv")
    except PetaCakupanError as exc:
        assert exc.message("id") and exc.message("en")
        return
    report = res.report
    assert report["rows_in"] == report["rows_matched"] + report["rows_rejected"]
    assert "0812345678901" not in repr(report) and "3205010101900001" not in repr(report)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_are_read_or_refused_with_a_message(data):
    try:
        read_coverage(data, filename="acak.csv")
    except PetaCakupanError as exc:
        assert exc.message("en")

"""Road-distance matrix: read through the one table reader, every bad row named, nothing half-read."""

from __future__ import annotations

import io

import openpyxl
import pytest

from core.errors import InputFileError
from ingest.road_distances import read_road_distances
from ingest.small_tables import MAX_LISTED

CODES = {"32.05.01.1001", "32.05.01.1002", "32.05.05.2003"}


def read(text: str, name: str = "jarak.csv"):
    return read_road_distances(text.encode("utf-8"), name, desa_codes=CODES)


def test_pairs_in_km_become_metres_with_either_decimal_mark():
    road = read("Kode Asal;Kode Tujuan;Jarak (km)\n32.05.01.1001;32.05.05.2003;7,4\n"
                "32.05.01.1002;32.05.01.1001;12,5\n")
    assert road.metres == {("32.05.01.1001", "32.05.05.2003"): 7400.0, ("32.05.01.1002", "32.05.01.1001"): 12500.0}



def test_an_english_header_and_xlsx_read_the_same():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Matriks jarak Dinas PUPR"])
    sheet.append(["from", "to", "road_km"])
    sheet.append(["32.05.01.1001", "32.05.05.2003", 7.4])
    buffer = io.BytesIO()
    book.save(buffer)
    road = read_road_distances(buffer.getvalue(), "jarak.xlsx", desa_codes=CODES)
    assert road.metres == {("32.05.01.1001", "32.05.05.2003"): 7400.0} and len(road) == 1


def test_every_bad_row_is_named_and_the_file_refused():
    with pytest.raises(InputFileError) as caught:
        read("dari,ke,km\n32.05.01.1001,32.05.05.2003,7.4\n32.05.01.1001,32.05.05.2003,8\n"
             "=HYPERLINK(1),32.05.99.9999,-3\n32.05.01.1001,32.05.01.1001,2\n32.05.01.1002,32.05.01.1001,\n")
    error = caught.value
    assert error.key == "road.rows_refused" and error.params["n"] == 6
    text = error.message("en")
    assert text.startswith("jarak.csv: the road-distance matrix is refused, 6 problem(s): ")
    for part in ("row 3: the pair 32.05.01.1001 → 32.05.05.2003 is already in row 2",
                 "row 4, column dari: '=HYPERLINK(1)' is not a Kemendagri desa code",
                 "row 4, column ke: code 32.05.99.9999 is not a desa of Kabupaten Garut",
                 "row 4, column km: '-3' is not a distance above 0 and at most 1000 km",
                 "row 5: from and to are the same desa (32.05.01.1001)",
                 "row 6, column km: '' is not a distance"):
        assert part in text
    assert "matriks jarak jalan ditolak" in error.message("id")


def test_a_repeat_with_the_same_distance_is_kept_once():
    road = read("dari,ke,km\n32.05.01.1001,32.05.05.2003,7.4\n32.05.01.1001,32.05.05.2003,7.4\n")
    assert len(road) == 1


def test_no_header_and_empty_files_are_refused_with_the_fix():
    with pytest.raises(InputFileError, match="no header row names the from, to and distance") as caught:
        read("a,b,c\n1,2,3\n")
    assert "dari" in caught.value.message("en") and "km" in caught.value.message("en")
    with pytest.raises(InputFileError) as empty:
        read("dari,ke,km\n")
    assert empty.value.key == "road.empty"


def test_a_long_list_is_cut_but_counted():
    rows = "".join(f"32.05.01.1001,bad{i},1\n" for i in range(50))
    with pytest.raises(InputFileError) as caught:
        read("dari,ke,km\n" + rows)
    assert caught.value.params["n"] == 50
    assert caught.value.message("en").count("is not a Kemendagri desa code") == MAX_LISTED


def test_hostile_files_are_refused_by_the_one_reader_or_the_row_limit():
    from ingest.cohorts import MAX_ROWS, read_cohorts

    with pytest.raises(InputFileError) as caught:
        read_road_distances(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, "jarak.csv", desa_codes=CODES)
    assert caught.value.key.startswith("reader.")
    rows = "".join("1;32.05.01;ASN;2025-01;2025-02\n" for _ in range(MAX_ROWS + 1))
    with pytest.raises(InputFileError) as caught:
        read_cohorts(("jumlah;kode;sumber_dana;mulai;selesai\n" + rows).encode(), {"32.05.01"}, "kohort.csv")
    assert caught.value.key == "cohorts.too_many_rows" and caught.value.params["n"] == MAX_ROWS + 1

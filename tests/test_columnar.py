"""Participant files read by column (DuckDB) give what the grid reader gives, and unusual files go to the grid.

Each file is read twice: by column (the size threshold lowered to 0) and
on the grid (threshold out of reach); the table, the report (every problem,
row by row), the notes, the columns and the source facts must be equal.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import ingest.columnar
from benchmarks.bench_ingest import write_participants
from core.errors import InputFileError
from ingest.coverage import read_coverage

CORPUS = Path(__file__).parent / "fixtures" / "coverage"

HEADER = "NIK;Nama;kode_desa;desa;kecamatan;segmen;periode;lat;lon\n"
#: Rows that exercise every participant check: duplicates within and across periods, blank ids,
#: unknown codes, names, a bad segment, a bad and a future period, points inside, outside and swapped,
#: an ID-less row, a blank row (only separators) and cells with spaces around them.
ROWS = [
    "3205010101900001;Siti;32.05.01.1001;;;PU;2024-12;;",
    "3205010101900002;Asep;32.05.01.1002;;;BPU;2024-12;;",
    "3205010101900001;Siti lagi;32.05.01.1003;;;PU;2024-12;;",          # same NIK, same period
    "3205010101900001;Siti;32.05.01.1001;;;PU;2024-11;;",              # same NIK, other period
    ";Tanpa NIK;32.05.01.1001;;;PU;2024-12;;",
    ";Tanpa NIK;32.05.01.1001;;;PU;2024-12;;",
    "3205010101900003;Ujang;99.99.99.9999;;;PU;2024-12;;",             # unknown code
    "3205010101900004;Euis;;Sukamaju;Cibatu;BPU;2024-12;;",           # by name
    "3205010101900005;Dadang;32.05.01.1001;;;XYZ;2024-12;;",           # bad segment
    "3205010101900006;Iis;32.05.01.1001;;;PU;13/2024;;",               # bad period
    "3205010101900007;Iwan;32.05.01.1001;;;PU;2099-01;;",              # future period
    "3205010101900008;Nining;;;;PU;2024-12;-7.2298;107.9092",          # a point
    "3205010101900009;Cecep;;;;BPU;2024-12;-6.2;106.8",                # outside Garut
    "3205010101900010;Yayat;;;;PU;2024-12;107.9092;-7.2298",           # swapped
    "3205010101900011;Enok;;;;PU;2024-12;abc;107.9",                   # not a number
    ";;;;;;;;",                                                       # blank row
    "  3205010101900002 ; Asep ;32.05.01.1002 ; ;; BPU ;2024-12;;",     # spaces (a duplicate of row 3)
    "3205010101900012;Lilis;32.05.01.1004;;;PU;2024-12;;",
    # points the engine leaves to Python (not plain degrees, a key cell of one space) or places
    "3205010101900013;Odah;;;;PU;2024-12;-7,2298;107,9092",                        # decimal commas
    "3205010101900014;Entin;;;;BPU;2024-12; -7.2298 ;107.9092",                    # spaces around
    "3205010101900015;Aep;;;;PU;2024-12;-7.229800000000000000000001;107.9092",     # too many digits
    "3205010101900016;Oom;;;;PU;2024-12;+107.9092;-7.2298",                        # a plus sign, swapped
    "3205010101900017;Imas; ;;;PU;2024-12;-7.2298;107.9092",                       # a key of one space
    "3205010101900018;Komar;;;;PU;2024-12;-7.2298;",                               # no longitude
    "3205010101900019;Nunung;;;;PU;2024-12;7.2298;107.9092",                       # the sign lost
    "3205010101900020;Ade;;;;BPU;2024-12;-7.2000;107.9000",                        # plain, trailing zeros
]


def _text(rows: list[str] = ROWS, header: str = HEADER, newline: str = "\n") -> bytes:
    return (header + "\n".join(rows) + "\n").replace("\n", newline).encode("utf-8")


def _read(data, monkeypatch, by_column: bool, **kwargs):
    monkeypatch.setattr(ingest.columnar, "COLUMNAR_MIN_BYTES", 0 if by_column else 10**15)
    return read_coverage(data, **kwargs)


def _same(a, b) -> None:
    """Two results agree in everything a person or an export sees."""
    pd.testing.assert_frame_equal(a.table, b.table)
    assert json.dumps(a.report, default=str, sort_keys=True) == json.dumps(b.report, default=str, sort_keys=True)
    assert a.notes == b.notes and a.columns == b.columns
    assert a.dropped_columns == b.dropped_columns and a.personal_columns == b.personal_columns
    assert {k: v for k, v in a.source.items() if k != "read_by"} == {k: v for k, v in b.source.items()
                                                                    if k != "read_by"}
    assert a.level == b.level and a.participant == b.participant


@pytest.fixture(autouse=True)
def _built(garut_gpkg):
    """Every test here needs the Garut boundaries."""


@pytest.mark.parametrize("newline, bom", [("\n", False), ("\r\n", False), ("\n", True)])
def test_every_check_gives_the_same_table_and_report(monkeypatch, newline, bom):
    data = (b"\xef\xbb\xbf" if bom else b"") + _text(newline=newline)
    by_column = _read(data, monkeypatch, True, filename="peserta.csv")
    grid = _read(data, monkeypatch, False, filename="peserta.csv")
    assert by_column.source["read_by"] == "column" and grid.source["read_by"] == "grid"
    _same(by_column, grid)
    reasons = {p["reason"] for p in by_column.report["problems"]}
    assert {"duplicate_participant", "unknown_code", "unknown_segment", "period_in_future",
            "outside_region"} <= reasons, reasons
    assert by_column.report["rows_in"] == len(ROWS) - 1            # the blank row is not data
    duplicates = [p["row"] for p in by_column.report["problems"] if p["reason"] == "duplicate_participant"]
    assert duplicates == [4, 18]                                    # Siti again; Asep with spaces


def test_a_million_rows_by_code_and_by_point_agree(monkeypatch, tmp_path, desa):
    """The benchmark's files (100,000 rows here): codes, and points scattered about each desa."""
    by_code, by_point = tmp_path / "kode.csv", tmp_path / "titik.csv"
    write_participants(by_code, by_point, desa.sort_values("kode").reset_index(drop=True), 100_000)
    for path in (by_code, by_point):
        fast, slow = _read(path, monkeypatch, True), _read(path, monkeypatch, False)
        assert fast.source["read_by"] == "column"
        _same(fast, slow)
        assert fast.report["rows_in"] == 100_000


def test_points_are_placed_in_the_engine_and_agree_on_borders(monkeypatch, desa):
    """Points on the desa borders and vertices (17 significant digits) go where the grid reader puts them,
    and the engine places them itself: a signature per desa and segment, not per point."""
    seen = []
    real = ingest.columnar.read_signatures

    def spy(*args, **kwargs):
        seen.append(real(*args, **kwargs))
        return seen[-1]

    monkeypatch.setattr("ingest.coverage.read_signatures", spy)
    vertices = np.concatenate([np.asarray(g.exterior.coords) for g in desa.geometry.explode().head(60)])
    rows = [f"32050199{i:08d};Nama;;PU;2024-12;{float(lat)!r};{float(lon)!r}" for i, (lon, lat) in enumerate(vertices)]
    data = _text(rows, header="NIK;Nama;kode_desa;segmen;periode;lat;lon\n")
    fast, slow = _read(data, monkeypatch, True, filename="t.csv"), _read(data, monkeypatch, False, filename="t.csv")
    assert fast.source["read_by"] == "column"
    _same(fast, slow)
    assert fast.report["rows_matched"] > 0.9 * len(rows)         # a vertex on the region's edge may be outside
    (signatures,) = seen
    assert signatures.located is not None and len(signatures.frame) < len(rows) / 10


def test_ids_excel_wrote_in_scientific_notation_are_a_note_not_duplicates(monkeypatch):
    rows = [f"3,20501E+15;32.05.01.100{i % 4 + 1};PU;2024-12" for i in range(40)]
    data = _text(rows, header="NIK;kode_desa;segmen;periode\n")
    fast, slow = _read(data, monkeypatch, True, filename="p.csv"), _read(data, monkeypatch, False, filename="p.csv")
    assert fast.source["read_by"] == "column"
    _same(fast, slow)
    assert fast.report["rows_rejected"] == 0 and any("E+15" in str(n) or "Excel" in str(n) for n in fast.notes)


def test_parquet_is_read_by_column(monkeypatch, tmp_path):
    frame = pd.read_csv(pd.io.common.BytesIO(_text()), sep=";", dtype=str, keep_default_na=False)
    frame = frame[frame["NIK"].str.strip().ne("") | frame["kode_desa"].ne("") | frame["lat"].ne("")]
    path = tmp_path / "peserta.parquet"
    frame.to_parquet(path, index=False)
    csv = tmp_path / "peserta.csv"
    frame.to_csv(csv, index=False, sep=";")
    fast = _read(path, monkeypatch, True)
    assert fast.source["format"] == "parquet" and fast.source["read_by"] == "column"
    slow = _read(csv, monkeypatch, False)
    pd.testing.assert_frame_equal(fast.table, slow.table)
    assert fast.report["problems"] == slow.report["problems"]
    assert fast.report["rows_in"] == slow.report["rows_in"] == len(frame)


@pytest.mark.parametrize("case, data", [
    ("a blank line", _text(ROWS[:5] + [""] + ROWS[5:])),
    ("a row one field too wide", _text(ROWS[:3] + [ROWS[3] + ";x"] + ROWS[4:])),
    ("a cell over two lines", _text(ROWS[:3] + ['3205010101900020;"Siti\nNurhayati";32.05.01.1001;;;PU;2024-12;;']
                                    + ROWS[3:])),
    ("Windows-1252 text", _text(ROWS[:3] + ["3205010101900021;Ni\xf1a;32.05.01.1001;;;PU;2024-12;;"]).replace(
        "Ni\xf1a".encode(), "Ni\xf1a".encode("cp1252"))),
    ("a zero-width space", _text(ROWS[:3] + ["3205010101900022;Ai;32.05.01\u200b.1001;;;PU;2024-12;;"])),
    ("a separator line", b"sep=;\n" + _text()),
    ("mixed line endings", _text(ROWS[:4]) + _text(ROWS[4:], header="", newline="\r\n")),
])
def test_files_the_engine_would_read_otherwise_go_to_the_grid_reader(monkeypatch, case, data):
    res = _read(data, monkeypatch, True, filename="peserta.csv")
    assert res.source["read_by"] == "grid", case
    assert res.report["rows_in"] > 0


def test_a_region_file_is_never_read_by_column(monkeypatch):
    data = b"kode_desa;pekerja;peserta_aktif\n32.05.01.1001;100;10\n"
    assert _read(data, monkeypatch, True, filename="r.csv").source["read_by"] == "grid"


def test_personal_values_do_not_reach_python_from_the_engine(monkeypatch):
    """Names and NIKs are never fetched: the signatures hold only the used columns."""
    seen = []
    real = ingest.columnar.read_signatures

    def spy(*args, **kwargs):
        result = real(*args, **kwargs)
        seen.append(result.frame.copy())
        return result

    monkeypatch.setattr("ingest.coverage.read_signatures", spy)
    res = _read(_text(), monkeypatch, True, filename="peserta.csv")
    assert res.source["read_by"] == "column"
    cells = set(np.concatenate([f.to_numpy().ravel() for f in seen]).tolist())
    for secret in ("Siti", "Asep", "3205010101900001", "Tanpa NIK"):
        assert not any(secret in str(c) for c in cells), secret
    written = json.dumps(res.report, ensure_ascii=False) + res.table.to_csv()
    assert "3205010101900001" not in written and "Siti" not in written


def test_a_parquet_region_file_is_read_on_the_grid_like_its_csv(tmp_path):
    frame = pd.DataFrame({"kode_desa": ["32.05.01.1001", "32.05.01.1002", "99"], "pekerja": [100, 200, 50],
                          "peserta_aktif": [10, 300, 5]})
    frame.to_parquet(tmp_path / "r.parquet", index=False)
    frame.to_csv(tmp_path / "r.csv", index=False)
    parquet, csv = read_coverage(tmp_path / "r.parquet"), read_coverage(tmp_path / "r.csv")
    assert parquet.source["format"] == "parquet" and parquet.source["read_by"] == "grid"
    pd.testing.assert_frame_equal(parquet.table, csv.table)
    assert parquet.report["problems"] == csv.report["problems"] and parquet.report["rows_rejected"] == 2


def test_a_damaged_parquet_file_is_named_in_the_message():
    with pytest.raises(InputFileError) as caught:
        read_coverage(b"PAR1" + b"\x00" * 64 + b"PAR1", filename="peserta.parquet")
    assert caught.value.key == "reader.damaged_parquet"
    assert caught.value.message("id").startswith("peserta.parquet: berkas Parquet ini rusak")
    assert caught.value.message("en").startswith("peserta.parquet: this Parquet file is damaged")


def test_hidden_characters_in_a_parquet_participant_file_send_it_to_the_grid(monkeypatch, tmp_path):
    frame = pd.DataFrame({"NIK": ["3205010101900001", "3205010101900002"],
                          "kode_desa": ["32.05.01\u200b.1001", "32.05.01.1002"], "segmen": ["PU", "BPU"]})
    frame.to_parquet(tmp_path / "p.parquet", index=False)
    res = _read(tmp_path / "p.parquet", monkeypatch, True)
    assert res.source["read_by"] == "grid" and res.report["rows_matched"] == 2
    assert any("lebar-nol" in str(note) for note in res.notes)      # said, as for a CSV


@pytest.mark.parametrize("data, key", [(b"PK\x03\x04" + b"\x00" * 2000, "reader.damaged_zip"),
                                       (b"\x00\x01\x02binary" * 300, "reader.binary")])
def test_a_file_that_is_no_text_gets_the_grid_readers_message(monkeypatch, data, key):
    with pytest.raises(InputFileError) as caught:
        _read(data, monkeypatch, True, filename="peserta.csv")
    assert caught.value.key == key


def test_a_path_over_the_callers_limit_is_not_read_by_column(monkeypatch, tmp_path):
    path = tmp_path / "peserta.csv"
    path.write_bytes(_text())
    with pytest.raises(InputFileError) as caught:
        _read(path, monkeypatch, True, max_bytes=100)
    assert caught.value.key.startswith("reader.over_size_limit")


def test_the_engine_leaves_no_temporary_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(ingest.columnar.tempfile, "tempdir", None)
    assert _read(_text(), monkeypatch, True, filename="peserta.csv").source["read_by"] == "column"
    path = tmp_path / "in.csv"
    path.write_bytes(_text())
    assert _read(path, monkeypatch, True).source["read_by"] == "column"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


@pytest.mark.parametrize("by_column", [True, False])
def test_a_report_lists_the_first_problems_and_counts_them_all(monkeypatch, by_column):
    """A file whose rows are mostly rejected costs a listing of bounded size: the rest is counted per reason."""
    data = _text(ROWS + [f"32050101019{i:05d};X;99.99.99.{i:04d};;;PU;2024-12;;" for i in range(40)])
    whole = _read(data, monkeypatch, by_column, filename="peserta.csv").report
    monkeypatch.setenv("PETA_MAX_LISTED_PROBLEMS", "3")
    capped = _read(data, monkeypatch, by_column, filename="peserta.csv").report
    assert capped["problems"] == whole["problems"][:3]
    assert capped["problems_total"] == whole["problems_total"] == len(whole["problems"]) == 13 + 40   # ROWS have 13
    assert capped["problem_counts"] == whole["problem_counts"]
    assert capped["problem_counts"]["unknown_code"] == 41 and capped["problem_counts"]["duplicate_participant"] == 2
    assert capped["rows_rejected"] == whole["rows_rejected"]


def test_an_upload_the_header_leaves_to_the_grid_is_never_written_to_disk(monkeypatch):
    made = []
    real = ingest.columnar.tempfile.TemporaryDirectory
    monkeypatch.setattr(ingest.columnar.tempfile, "TemporaryDirectory",
                        lambda *a, **k: made.append(1) or real(*a, **k))
    region = b"kode_desa;pekerja;peserta_aktif\n32.05.01.1001;100;10\n"
    assert _read(region, monkeypatch, True, filename="r.csv").source["read_by"] == "grid"
    assert made == []
    assert _read(_text(), monkeypatch, True, filename="p.csv").source["read_by"] == "column"
    assert made == [1]                                     # a participant upload: one copy, for DuckDB

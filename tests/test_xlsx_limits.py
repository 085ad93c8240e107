"""XLSX uploads are bounded: cells, uncompressed size, parts, time and memory.

The hostile workbooks are written here part by part (a few hundred bytes of
XML each), so every test shows exactly what the file holds.
"""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest

from core.errors import InputFileError
from core.i18n import localize
from ingest.bounded import run_bounded
from ingest.coverage import read_coverage
from ingest.xlsx import Limits, read_xlsx

ROOT = Path(__file__).resolve().parents[1]
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
R_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def workbook(*sheets: tuple[str, str] | tuple[str, str, str], extra: dict[str, bytes] | None = None,
             after: dict[str, str] | None = None) -> bytes:
    """An XLSX of ``(name, sheetData inner XML[, state])`` sheets, with inline strings.

    ``after`` adds XML after a sheet's ``sheetData`` (e.g. ``<mergeCells>``), by sheet name.
    """
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
            '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
            'main+xml"/>' + "".join(
                f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-'
                f'officedocument.spreadsheetml.worksheet+xml"/>' for i in range(1, len(sheets) + 1)) + "</Types>"),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook {NS} {R_NS}><sheets>' + "".join(
                f'<sheet name="{s[0]}" sheetId="{i}" r:id="rId{i}"'
                + (f' state="{s[2]}"' if len(s) > 2 else "") + "/>"
                for i, s in enumerate(sheets, start=1)) + "</sheets></workbook>"),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships">' + "".join(
                f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
                for i in range(1, len(sheets) + 1)) + "</Relationships>"),
    }
    for i, sheet in enumerate(sheets, start=1):
        tail = (after or {}).get(sheet[0], "")
        parts[f"xl/worksheets/sheet{i}.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><sheetData>{sheet[1]}</sheetData>{tail}'
            '</worksheet>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return out.getvalue()


def text(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def number(ref: str, value: float) -> str:
    return f'<c r="{ref}"><v>{value}</v></c>'


HEADER = '<row r="1">' + text("A1", "kode_desa") + text("B1", "pekerja") + text("C1", "peserta_aktif") + "</row>"


def data_row(r: int, code: str, workers: int, covered: int, hidden: bool = False) -> str:
    attr = ' hidden="1"' if hidden else ""
    return (f'<row r="{r}"{attr}>' + text(f"A{r}", code) + number(f"B{r}", workers) + number(f"C{r}", covered)
            + "</row>")


BOMB = workbook(("Data", HEADER + data_row(2, "32.05.01.1001", 100, 10)
                 + '<row r="1048576">' + number("Z1048576", 1) + "</row>"))


def test_a_real_table_reads_through_the_bounded_reader():
    data = workbook(("Data", HEADER + data_row(2, "32.05.01.1001", 100, 10) + data_row(3, "32.05.01.1002", 200, 20)))
    res = read_coverage(data, filename="kecil.xlsx")
    assert list(res.table["kode"]) == ["32.05.01.1001", "32.05.01.1002"]
    assert list(res.table["workers"]) == [100, 200] and res.report["rows_in"] == 2


def test_bomb_is_refused_with_the_far_cell_named():
    assert len(BOMB) < 5 * 1024
    started = time.monotonic()
    with pytest.raises(InputFileError) as info:
        read_coverage(BOMB, filename="bom.xlsx")
    assert time.monotonic() - started < 5
    assert info.value.key == "reader.sheet_too_large"
    assert "Z1048576" in info.value.message("en") and "'Data'" in info.value.message("en")
    assert "Z1048576" in info.value.message("id") and "Hapus baris dan kolom" in info.value.message("id")


def test_bomb_costs_little_memory_and_time_even_read_in_process(tmp_path):
    """The scan refuses before anything is loaded: a fresh interpreter stays far under 500 MB."""
    script = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from ingest.xlsx import read_xlsx
        data = open(sys.argv[1], "rb").read()
        started = time.monotonic()
        try:
            read_xlsx("bom.xlsx", data)
        except Exception as exc:
            print(getattr(exc, "key", type(exc).__name__))
        print(time.monotonic() - started)
        # VmHWM: the peak of this interpreter's own memory (ru_maxrss would start at the forking parent's).
        status = open("/proc/self/status").read()
        print(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))
    """)
    bomb = tmp_path / "bom.xlsx"
    bomb.write_bytes(BOMB)
    out = subprocess.run([sys.executable, "-c", script, str(bomb)], capture_output=True, text=True, check=True)
    key, seconds, max_rss_kb = out.stdout.split()
    assert key == "reader.sheet_too_large"
    assert float(seconds) < 5
    assert int(max_rss_kb) < 500 * 1024


def test_cells_without_positions_are_placed_and_counted():
    """``r`` attributes are optional: cells then follow each other; the limit stops the scan at the first cell past it (U1 = 21 cells)."""
    row = "<row>" + "".join(f"<c><v>{i}</v></c>" for i in range(30)) + "</row>"
    with pytest.raises(InputFileError, match=r"as far as U1,"):
        read_xlsx("tanpa-r.xlsx", workbook(("Data", row)), limits=Limits(cells=20))
    assert read_xlsx("tanpa-r.xlsx", workbook(("Data", row))).grid.shape == (1, 30)


def test_an_empty_string_far_away_counts_as_a_cell():
    """An empty inline string still gives the cell a place in a grid: it counts against the limit."""
    far = '<row r="900000"><c r="Z900000" t="inlineStr"><is><t></t></is></c></row>'
    with pytest.raises(InputFileError, match="Z900000"):
        read_xlsx("kosong.xlsx", workbook(("Data", HEADER + far)))


def test_uncompressed_size_is_bounded_whatever_the_zip_declares():
    big = b"<x>" + b"0" * (3 * 1024 * 1024) + b"</x>"
    data = workbook(("Data", HEADER), extra={"xl/padding.xml": big})
    with pytest.raises(InputFileError) as info:
        read_xlsx("besar.xlsx", data, limits=Limits(uncompressed_bytes=2 * 1024 * 1024))
    assert info.value.key == "reader.workbook_uncompressed_too_big"
    assert "3 MB" in info.value.message("en") and "2 MB" in info.value.message("en")
    sheet = workbook(("Data", HEADER + "".join(data_row(r, "32.05.01.1001", 1, 1) for r in range(2, 40000))))
    with pytest.raises(InputFileError, match="unpacks to"):
        read_xlsx("lembar.xlsx", sheet, limits=Limits(uncompressed_bytes=1024 * 1024))


def test_too_many_parts():
    data = workbook(("Data", HEADER), extra={f"xl/x{i}.xml": b"<x/>" for i in range(30)})
    with pytest.raises(InputFileError, match="made of 35 parts"):
        read_xlsx("banyak.xlsx", data, limits=Limits(parts=20))


def test_doctype_entity_bomb_is_refused():
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
              f'<worksheet {NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row>'
              '</sheetData></worksheet>')
    data = workbook(("Data", HEADER))
    patched = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(patched, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, laughs if item.filename.endswith("sheet1.xml") else src.read(item))
    with pytest.raises(InputFileError, match=r"cannot be read \(DOCTYPE\)"):
        read_xlsx("lol.xlsx", patched.getvalue())


def test_hidden_rows_and_sheets_are_reported():
    data = workbook(("Catatan", HEADER + data_row(2, "32.05.01.1003", 5, 1), "hidden"),
                    ("Data", HEADER + data_row(2, "32.05.01.1001", 100, 10)
                     + data_row(3, "32.05.01.1002", 200, 20, hidden=True)))
    res = read_coverage(data, filename="sembunyi.xlsx")
    assert res.source["sheet"] == "Data" and res.report["rows_in"] == 2
    en = [localize(n, "en") for n in res.notes]
    assert "1 data row(s) hidden in Excel (row 3) were read and counted like the others." in " ".join(en)
    assert any("Hidden sheets were not read: 'Catatan'" in n for n in en)
    assert any("Lembar tersembunyi tidak dibaca: 'Catatan'" in localize(n, "id") for n in res.notes)
    assert "hidden_rows" not in res.source and "hidden_sheets" not in res.source


def test_a_slow_parse_is_stopped():
    started = time.monotonic()
    with pytest.raises(InputFileError) as info:
        run_bounded("lambat.xlsx", time.sleep, 30, timeout=0.5)
    assert info.value.key == "reader.took_too_long" and time.monotonic() - started < 5
    assert "over 0.5 seconds" in info.value.message("en")


def test_a_greedy_parse_is_stopped_by_its_memory_limit():
    with pytest.raises(InputFileError) as info:
        run_bounded("rakus.xlsx", bytearray, 4 * 1024 ** 3, memory=256 * 1024 * 1024)
    assert info.value.key == "reader.out_of_memory" and "256 MB" in info.value.message("en")


def test_errors_keep_their_attributes_across_the_process():
    data = workbook(("A", HEADER + data_row(2, "32.05.01.1001", 1, 1)), ("B", HEADER + data_row(2, "32.05.01.1002", 1, 1)))
    with pytest.raises(InputFileError) as info:
        read_coverage(data, filename="dua.xlsx")
    assert info.value.key == "reader.several_sheets" and info.value.sheets == ["A", "B"]


def test_merged_cells_fill_keys_never_figures():
    """A kecamatan merged over two rows applies to both; a figure merged over two rows is not copied."""
    header = '<row r="1">' + text("A1", "kecamatan") + text("B1", "desa") + text("C1", "pekerja") + text(
        "D1", "peserta_aktif") + "</row>"
    rows = ('<row r="2">' + text("A2", "Leles") + text("B2", "Ciburial") + number("C2", 800) + number("D2", 80)
            + "</row>" + '<row r="3">' + text("B3", "Cipancar") + number("D3", 90) + "</row>")
    merges = '<mergeCells count="2"><mergeCell ref="A2:A3"/><mergeCell ref="C2:C3"/></mergeCells>'
    res = read_coverage(workbook(("Data", header + rows), after={"Data": merges}), filename="gabung.xlsx")
    assert [m["kode"] for m in res.report["matches"]] == ["32.05.09.2002"]
    (problem,) = res.report["problems"]
    assert (problem["row"], problem["column"], problem["reason"]) == (3, "pekerja", "missing_value")


def test_a_declared_dimension_past_the_limit_is_refused_before_the_cells():
    data = workbook(("Data", HEADER + data_row(2, "32.05.01.1001", 100, 10)))
    patched = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(patched, "w") as dst:
        for item in src.infolist():
            content = src.read(item)
            if item.filename.endswith("sheet1.xml"):
                content = content.replace(b"<sheetData>", b'<dimension ref="A1:XFD1048576"/><sheetData>')
            dst.writestr(item, content)
    with pytest.raises(InputFileError, match="as far as XFD1048576"):
        read_xlsx("dimensi.xlsx", patched.getvalue())


def test_big_text_files_are_parsed_in_the_worker_with_the_same_outcome(monkeypatch):
    import ingest.reader

    corpus = ROOT / "tests" / "fixtures" / "coverage"
    direct = [read_coverage(corpus / n).report for n in ("01_canonical.csv", "44_multiline_cell.csv")]
    monkeypatch.setattr(ingest.reader, "TEXT_IN_WORKER_BYTES", 0)
    calls = []
    real = ingest.reader.run_bounded
    monkeypatch.setattr(ingest.reader, "run_bounded", lambda *a, **k: calls.append(a[0]) or real(*a, **k))
    through = [read_coverage(corpus / n).report for n in ("01_canonical.csv", "44_multiline_cell.csv")]
    assert calls == ["01_canonical.csv", "44_multiline_cell.csv"] and through == direct
    with pytest.raises(InputFileError, match="never closed"):
        read_coverage(corpus / "50_unclosed_quote.csv")


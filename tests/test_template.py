"""The coverage template: canonical headers, two marked example rows, every desa; it reads back as it is."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import openpyxl
import pytest

from core.errors import ExportError
from geo.paths import PROJECT_ROOT
from ingest.coverage import read_coverage
from render.template import TEMPLATE_COLUMNS, template_bytes


def test_xlsx_template_sheets_and_desa_list(garut_gpkg):
    book = openpyxl.load_workbook(io.BytesIO(template_bytes("xlsx", "id")))
    assert book.sheetnames == ["Data", "Daftar desa", "Petunjuk"]
    data = [list(r) for r in book["Data"].iter_rows(values_only=True)]
    assert tuple(data[0]) == TEMPLATE_COLUMNS and len(data) == 3
    assert data[1][:4] == ["32.05.01.1001", "Kota Kulon", "Garut Kota", "2024-12"]
    assert "CONTOH" in book["Data"]["A2"].comment.text
    listing = [list(r) for r in book["Daftar desa"].iter_rows(values_only=True)]
    assert listing[0] == ["kode_desa", "desa", "kecamatan"] and len(listing) == 1 + 442
    assert len({row[0] for row in listing[1:]}) == 442
    english = openpyxl.load_workbook(io.BytesIO(template_bytes("xlsx", "en")))
    assert "EXAMPLES" in english["Data"]["A2"].comment.text
    assert any("yellow rows" in row[0] for row in english["Petunjuk"].iter_rows(values_only=True))


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_template_reads_back_unchanged(fmt, garut_gpkg):
    res = read_coverage(template_bytes(fmt), filename=f"templat.{fmt}")
    assert res.report["rows_in"] == 2 and res.report["rows_rejected"] == 0
    assert res.source["sheet"] == ("Data" if fmt == "xlsx" else None)
    assert list(res.table["workers"]) == [1500, 2200] and list(res.table["covered_informal"]) == [40, 50]
    assert {c["column"] for c in res.columns if c["role"] is None} == set()


def test_template_command(tmp_path, garut_gpkg):
    out = tmp_path / "templat.csv"
    done = subprocess.run([sys.executable, "-m", "analysis", "template", "--out", str(out)], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == {"path": str(out), "format": "csv", "bytes": out.stat().st_size}
    bad = subprocess.run([sys.executable, "-m", "analysis", "template", "--out", str(tmp_path / "t.txt"),
                          "--lang", "en"], cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert bad.returncode == 2 and "only be written as .xlsx or .csv" in bad.stderr
    with pytest.raises(ValueError):
        template_bytes("ods")
    assert ExportError("template.bad_format", name="x").message("id").startswith("x: templat")

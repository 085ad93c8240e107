"""Spreadsheet writing: formulas neutralised, numbers kept, files read back."""

from __future__ import annotations

import openpyxl
import pandas as pd

from render.spreadsheet import write_table, written_bytes


def test_csv_and_xlsx_keep_numbers_and_neutralise_text(tmp_path):
    frame = pd.DataFrame({"nama": ["@SUM(A1)", "Kota Kulon", "-1+2"], "n": [1, 2.0, None], "r": [0.25, 1.5, 3.0]})
    headers = {"nama": "Nama", "n": "Jumlah", "r": "Rasio"}
    xlsx = write_table(frame, tmp_path / "t.xlsx", headers)
    sheet = openpyxl.load_workbook(xlsx).active
    assert [c.value for c in sheet[1]] == ["Nama", "Jumlah", "Rasio"]
    assert [c.value for c in sheet[2]] == ["'@SUM(A1)", 1, 0.25]
    assert sheet["B3"].value == 2 and isinstance(sheet["B3"].value, int)
    assert sheet["B4"].value is None and sheet["A4"].value == "'-1+2"
    csv_text = written_bytes(lambda p: write_table(frame, p, headers), ".csv").decode("utf-8-sig")
    assert csv_text.splitlines() == ["Nama,Jumlah,Rasio", "'@SUM(A1),1,0.25", "Kota Kulon,2,1.5", "'-1+2,,3"]

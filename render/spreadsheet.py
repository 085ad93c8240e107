"""Writing tables for spreadsheets safely: formulas neutralised, numbers kept as numbers.

A text cell that starts with ``= + - @`` (or a tab or carriage return) is
run as a formula by Excel and LibreOffice (CSV/formula injection, OWASP);
:func:`neutralise` prefixes such text with ``'`` so it shows as typed.
Every CSV/XLSX the project writes goes through here or through
:mod:`render.exports.tables`, which uses :func:`neutralise` too.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from core.i18n import localize

#: Characters that make a spreadsheet read a cell as a formula (OWASP CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Prefix text that a spreadsheet would run as a formula with ``'``; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _cell(value: Any, lang: str = "id") -> Any:
    value = localize(value, lang)
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else (int(value) if float(value).is_integer() else float(value))
    if isinstance(value, (dt.date, dt.datetime, pd.Timestamp)):
        return value
    return neutralise(str(value))


def write_table(frame: pd.DataFrame, path: str | os.PathLike[str], headers: dict[str, str],
                sheet_name: str = "Data", notes: list[str] | None = None, lang: str = "id") -> Path:
    """Write a table to CSV or XLSX with given headers, formulas neutralised.

    Numbers stay numbers (whole floats are written as integers), missing
    values are empty cells, dates are ISO ``YYYY-MM-DD`` in CSV and date
    cells in XLSX, and every text cell starting with ``= + - @`` (or a tab
    or carriage return) gets a leading ``'``.

    Parameters
    ----------
    frame : DataFrame
    path : path-like
        ``.csv`` (UTF-8 with BOM, comma-separated) or ``.xlsx``.
    headers : dict
        ``{column: header}``; only these columns are written, in this order.
    sheet_name : str
        XLSX sheet name.
    notes : list of str, optional
        XLSX: written on a second sheet "Keterangan".  CSV: ignored (put
        such labels in a column so the file stays one table).
    lang : str
        Language of cells that hold messages (a priority reason, say).

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ValueError
        For another file extension.
    """
    path = Path(path)
    rows = [[_cell(v, lang) for v in record] for record in frame[list(headers)].itertuples(index=False)]
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([neutralise(h) for h in headers.values()])
            for row in rows:
                writer.writerow(["" if v is None else (v.isoformat() if isinstance(v, dt.date) else v)
                                 for v in row])
    elif suffix == ".xlsx":
        import openpyxl
        from openpyxl.styles import Font

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = sheet_name[:31]
        sheet.append([neutralise(h) for h in headers.values()])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"   # never a formula, whatever the text
                elif isinstance(cell.value, (dt.date, dt.datetime)):
                    cell.number_format = "yyyy-mm-dd"
        sheet.freeze_panes = "A2"
        for column in sheet.columns:
            width = max(len(str(c.value)) if c.value is not None else 0 for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(60, max(8, width + 2))
        if notes:
            info = book.create_sheet("Keterangan")
            for note in notes:
                info.append([neutralise(localize(note, lang))])
                info[info.max_row][0].data_type = "s"
        book.save(path)
    else:
        raise ValueError(f"Cannot export to {path.name}: use a .csv or .xlsx file name.")
    return path


def written_bytes(write: Callable[[Path], object], suffix: str) -> bytes:
    """Bytes of a file written by ``write(path)`` into a temporary folder (for downloads)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"export{suffix}"
        write(path)
        return path.read_bytes()

"""The coverage template people fill in: canonical headers, two example rows, every desa listed.

``template_bytes("xlsx")`` gives a workbook with three sheets: ``Data`` (the
canonical headers of :data:`TEMPLATE_COLUMNS` and two example rows, marked
as examples), ``Daftar desa`` (every desa of the region with its code, name
and kecamatan, so codes can be copied) and ``Petunjuk`` (how to fill it in).
``template_bytes("csv")`` gives the ``Data`` table alone (``;``-separated,
with Excel's ``sep=;`` line).  Both read back through
:func:`ingest.coverage.read_coverage` as they are.
"""

from __future__ import annotations

import csv
import io

from core.i18n import DEFAULT_LANG, t
from geo.boundaries import load_layer

#: The canonical columns of a desa coverage file, in template order.
TEMPLATE_COLUMNS = ("kode_desa", "desa", "kecamatan", "periode", "pekerja", "peserta_aktif",
                    "pekerja_pu", "peserta_pu", "pekerja_bpu", "peserta_bpu")
#: Figures of the two example rows (PU + BPU = total), invented.
_EXAMPLE_FIGURES = ((1500, 420, 600, 380, 900, 40), (2200, 350, 500, 300, 1700, 50))


def desa_list(region: str | None = None):
    """Every desa of the region (default the region in use): ``kode_desa``, ``desa``, ``kecamatan`` (sorted by code)."""
    desa = load_layer("desa", region=region)
    return desa[["kode", "nama", "kecamatan"]].rename(columns={"kode": "kode_desa", "nama": "desa"}) \
        .sort_values("kode_desa").reset_index(drop=True)


def _example_rows(region: str, period: str) -> list[list[object]]:
    first = desa_list(region).head(2)
    return [[row.kode_desa, row.desa, row.kecamatan, period, *figures]
            for row, figures in zip(first.itertuples(index=False), _EXAMPLE_FIGURES)]


def template_bytes(fmt: str, lang: str = DEFAULT_LANG, region: str | None = None, period: str = "2024-12") -> bytes:
    """The template as XLSX or CSV bytes.

    Parameters
    ----------
    fmt : {"xlsx", "csv"}
    lang : str
        Language of the instructions and the example note.
    region : str, optional
        Kabupaten/kota whose desa are listed (default the region in use).
    period : str
        Period of the example rows.

    Raises
    ------
    ValueError
        For another format.
    """
    rows = _example_rows(region, period)
    if fmt == "csv":
        out = io.StringIO()
        out.write("sep=;\r\n")
        writer = csv.writer(out, delimiter=";")
        writer.writerow(TEMPLATE_COLUMNS)
        writer.writerows(rows)
        return out.getvalue().encode("utf-8-sig")
    if fmt != "xlsx":
        raise ValueError(f"template format must be 'xlsx' or 'csv', not {fmt!r}.")
    return _workbook(rows, desa_list(region), lang)


def _workbook(rows: list[list[object]], desa, lang: str) -> bytes:
    import openpyxl  # lazy: only the XLSX template pays for openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    book = openpyxl.Workbook()
    data = book.active
    data.title = "Data"
    data.append(list(TEMPLATE_COLUMNS))
    for cell in data[1]:
        cell.font = Font(bold=True)
    example = PatternFill("solid", fgColor="FFF3BF")
    for row in rows:
        data.append(row)
        for cell in data[data.max_row]:
            cell.fill = example
            if isinstance(cell.value, str):
                cell.data_type = "s"
    data["A2"].comment = Comment(t("template.example_note", lang), "Peta Cakupan")
    data.freeze_panes = "A2"
    for column, width in zip("ABCDEFGHIJ", (16, 22, 18, 10, 10, 14, 12, 12, 12, 12)):
        data.column_dimensions[column].width = width
    listing = book.create_sheet("Daftar desa")
    listing.append(["kode_desa", "desa", "kecamatan"])
    for cell in listing[1]:
        cell.font = Font(bold=True)
    for row in desa.itertuples(index=False):
        listing.append(list(row))
    listing.freeze_panes = "A2"
    for column, width in zip("ABC", (16, 26, 20)):
        listing.column_dimensions[column].width = width
    help_sheet = book.create_sheet("Petunjuk")
    for key in ("template.help.rows", "template.help.examples", "template.help.figures", "template.help.codes",
                "template.help.period"):
        help_sheet.append([t(key, lang)])
    help_sheet.column_dimensions["A"].width = 110
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

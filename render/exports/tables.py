"""The joined tables as CSV, XLSX, GeoJSON and GeoPackage.

Two kinds of output, one list of fields (:data:`DESA_FIELDS` ...):

* **Spreadsheets** (CSV, XLSX) have Indonesian headers (``Tingkat cakupan
  (%)``), rates as percentages (``22.25``), changes in percentage points and
  counts as whole numbers.  Numbers are written as numbers (XLSX number
  cells with ``#,##0`` / ``0.0`` formats; unquoted in CSV, UTF-8 with BOM,
  comma-separated, ``.`` decimals).  Every text cell starting with ``=``,
  ``+``, ``-``, ``@``, tab or carriage return gets a leading ``'`` so that a
  spreadsheet never runs it as a formula (:func:`neutralise`); numbers stay
  numbers.
* **GIS files** (GeoJSON, GeoPackage) have short field names (``pekerja``,
  ``peserta_aktif``, ``tingkat_cakupan``, as in the sample CSV) and rates
  as fractions (0..1), in EPSG:4326 with the full-resolution boundaries.

Every output says plainly when the figures are the sample: a ``Catatan
data`` / ``catatan_data`` column on every row, a ``Keterangan`` sheet or
table (source, period, target, date, units), and a top-level
``keterangan`` member in GeoJSON.  Sites never carry the ``operator`` or
``contact`` columns (they may name a person).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from core.errors import ExportError
from core.formatting import check_lang, format_rupiah
from core.i18n import localize, t
from geo.boundaries import load_layer
from render.exports.context import ExportData
from render.exports.naming import LEVELS
from render.exports.text import (
    TOOL_NAME,
    format_day,
    format_period,
    sample_banner,
    target_text,
    workers_estimate_text,
    x,
)
from render.spreadsheet import FORMULA_TRIGGERS, neutralise  # noqa: F401  (re-exported)

if TYPE_CHECKING:        # openpyxl is imported by the XLSX writer only: a CSV export does not load it
    from openpyxl import Workbook


@dataclass(frozen=True)
class Field:
    """One output column.

    Attributes
    ----------
    column : str
        Column of the source frame.
    name : str
        Field name in GeoJSON / GeoPackage.
    header : str
        Catalog key of the spreadsheet header; ``{target}`` is filled in.
    kind : str
        ``"text"``, ``"count"``, ``"rate"`` (fraction; percent in
        spreadsheets), ``"change"`` (difference of fractions; points in
        spreadsheets), ``"rupiah"``, ``"score"``, ``"bool"``, ``"date"``.
    """

    column: str
    name: str
    header: str
    kind: str = "count"

    def title(self, lang: str, target: str) -> str:
        """Spreadsheet header in a language."""
        return t(self.header, lang, target=target)


def _load_fields() -> dict[str, tuple[Field, ...]]:
    """The field tables of :file:`fields.json` (package data), includes expanded."""
    raw = json.loads((Path(__file__).with_name("fields.json")).read_text(encoding="utf-8"))
    tables: dict[str, tuple[Field, ...]] = {}
    for name, items in raw.items():
        if name.startswith("_"):
            continue
        fields: list[Field] = []
        for item in items:
            fields.extend(tables[item["include"]] if "include" in item else [Field(**item)])
        tables[name] = tuple(fields)
    return tables


_TABLES = _load_fields()
#: Coverage metrics of every desa and kecamatan row.
METRIC_FIELDS: tuple[Field, ...] = _TABLES["METRIC_FIELDS"]
DESA_FIELDS: tuple[Field, ...] = _TABLES["DESA_FIELDS"]
KECAMATAN_FIELDS: tuple[Field, ...] = _TABLES["KECAMATAN_FIELDS"]
PRIORITY_FIELDS: tuple[Field, ...] = _TABLES["PRIORITY_FIELDS"]
SITE_FIELDS: tuple[Field, ...] = _TABLES["SITE_FIELDS"]
#: Column added to every row of sample data.
SAMPLE_FIELD = Field("", "catatan_data", "export.field.data_note", "text")
#: Excel number formats per kind.
XLSX_FORMATS = {"count": "#,##0", "rupiah": "#,##0", "rate": "0.0", "change": "+0.0;-0.0;0.0", "score": "0.0",
                "coord": "0.000000"}
#: Catalog keys of the two values of a yes/no cell.
_YES_NO = ("common.yes", "common.no")


def _fields(what: str) -> tuple[Field, ...]:
    return {"desa": DESA_FIELDS, "kecamatan": KECAMATAN_FIELDS, "priorities": PRIORITY_FIELDS,
            "sites": SITE_FIELDS}[what]


def _source_frame(data: ExportData, what: str) -> pd.DataFrame | None:
    result = data.result
    if what in LEVELS:
        frame = (result.desa if what == "desa" else result.kecamatan).copy()
        frame["period"] = result.period
        frame["previous_period"] = result.previous_period
        return frame
    if what == "priorities":
        return None if data.ranking is None else data.ranking.copy()
    if what == "sites":
        return None if data.sites is None else pd.DataFrame(data.sites.drop(columns="geometry"))
    raise ExportError("tables.unknown_table", what=repr(what))


def _number(value: object) -> object:
    """A plain Python number or None (NaN, NA)."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _sheet_value(value: object, kind: str, lang: str) -> object:
    """A cell of a spreadsheet: numbers as numbers (percent for rates), text neutralised."""
    if kind == "text":
        return None if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)) \
            else neutralise(str(localize(value, lang)))
    if kind == "bool":
        number = _number(value)
        return None if number is None else t(_YES_NO[0 if number else 1], lang)
    if kind == "date":
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
            return None
        return value.isoformat() if isinstance(value, dt.date) else neutralise(str(value))
    number = _number(value)
    if number is None:
        return None
    if kind in ("rate", "change"):
        return round(number * 100, 2)
    if kind in ("count", "rupiah"):
        return int(round(number))
    if kind == "score":
        return round(number, 2)
    return number


def sheet_rows(data: ExportData, what: str, lang: str = "id") -> tuple[list[Field], list[str], list[list[object]]]:
    """The rows of one spreadsheet table.

    Parameters
    ----------
    data : ExportData
    what : str
        ``"desa"``, ``"kecamatan"``, ``"priorities"`` or ``"sites"``.
    lang : str
        Header language.

    Returns
    -------
    (fields, headers, rows)
        ``rows`` hold Python numbers, None for empty cells, and neutralised
        text; the sample note column is last when the data is the sample.
    """
    lang = check_lang(lang)
    frame = _source_frame(data, what)
    fields = list(_fields(what))
    if frame is None:
        return fields, [], []
    target = target_text(data.result.target, lang)
    headers = [f.title(lang, target) for f in fields]
    columns = [frame[f.column].tolist() if f.column in frame.columns else [None] * len(frame) for f in fields]
    rows = [[_sheet_value(v, f.kind, lang) for v, f in zip(values, fields)] for values in zip(*columns)]
    if data.is_sample and what != "sites":
        fields.append(SAMPLE_FIELD)
        headers.append(SAMPLE_FIELD.title(lang, target))
        banner = sample_banner(lang)
        for row in rows:
            row.append(banner)
    if what == "sites" and data.sites_illustrative:
        fields.append(Field("", "keterangan", "export.field.note", "text"))
        headers.append(t("export.field.note", lang))
        label = t("sites.illustrative_label", lang)
        for row in rows:
            row.append(label)
    return fields, [neutralise(h) for h in headers], rows


def metadata_rows(data: ExportData, lang: str = "id", gis: bool = False) -> list[tuple[str, str]]:
    """Key/value lines of the ``Keterangan`` sheet / table: status, source, period, units, date.

    Parameters
    ----------
    data : ExportData
    lang : str
    gis : bool
        Describe GIS units (fractions) instead of spreadsheet units (percent).
    """
    lang = check_lang(lang)
    res = data.result
    status = sample_banner(lang) if data.is_sample else x("data_status.user", lang)
    words = [t(f"export.meta.{key}", lang) for key in (
        "status", "source", "period", "previous_period", "target", "contribution", "boundaries", "made", "units",
        "sites", "visit_list")]
    units = t("export.meta.units_gis", lang) if gis else t("export.meta.units_sheet", lang)
    rows = [
        (words[0], status),
        (words[1], data.source_name if not data.workers_estimate else
         f"{data.source_name} · {workers_estimate_text(data.workers_estimate, lang)}"),
        (words[2], f"{res.period or '-'} ({format_period(res.period, lang)})"),
        (words[3], res.previous_period or "-"),
        (words[4], target_text(res.target, lang)),
        (words[5], format_rupiah(res.contribution_per_worker, lang)),
        (words[6], t("export.boundary_source", lang).split(": ", 1)[1]),
        (words[7], f"{format_day(data.created, lang)} ({TOOL_NAME})"),
        (words[8], units),
    ]
    if data.sites is not None:
        label = t("sites.illustrative_label", lang)
        own = t("export.meta.own_sites", lang, n=len(data.sites))
        rows.append((words[9], label if data.sites_illustrative else own))
    if data.ranking is not None:
        rows.append((words[10], t("export.meta.ranking", lang)))
    return rows


# --------------------------------------------------------------------------- CSV


def csv_bytes(data: ExportData, level: str = "desa", lang: str = "id") -> bytes:
    """The desa or kecamatan table as CSV (UTF-8 with BOM, comma, ``.`` decimals).

    Parameters
    ----------
    data : ExportData
    level : str
        ``"desa"`` (442 rows for Garut) or ``"kecamatan"`` (42 rows).
    lang : str
        Header language (default Indonesian).

    Returns
    -------
    bytes
        Numbers unquoted, text formula-neutralised; a ``Catatan data``
        column on every row when the data is the sample.
    """
    if level not in LEVELS:
        raise ExportError("tables.unknown_level", level=repr(level), levels=', '.join(LEVELS))
    _fields_, headers, rows = sheet_rows(data, level, lang)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else _csv_number(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def _csv_number(value: object) -> object:
    if isinstance(value, float) and value.is_integer():
        return int(value) if abs(value) < 1e15 else value
    return value


# --------------------------------------------------------------------------- XLSX

#: Fill colours of the header row and of the sample warning cell.
_HEADER_COLOR = "0B3C5D"
_SAMPLE_COLOR = "B3261E"


def _write_sheet(wb: Workbook, title: str, fields: list[Field], headers: list[str],
                 rows: list[list[object]]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=_HEADER_COLOR)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        ws.append(row)
    for index, field in enumerate(fields, start=1):
        letter = get_column_letter(index)
        number_format = XLSX_FORMATS.get(field.kind)
        if number_format:
            for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format
        longest = max([len(str(headers[index - 1])) * 0.6]
                      + [len(str(r[index - 1])) for r in rows[:200] if r[index - 1] is not None])
        ws.column_dimensions[letter].width = min(60, max(9, longest + 2))
    ws.freeze_panes = "C2"
    ws.row_dimensions[1].height = 45
    if rows:
        ws.auto_filter.ref = ws.dimensions


def xlsx_bytes(data: ExportData, level: str = "desa", lang: str = "id") -> bytes:
    """The joined tables as an Excel workbook.

    Sheets: the requested level first (``Desa`` or ``Kecamatan``), then the
    other, ``Prioritas`` when a ranking is available, ``Lokasi`` with the
    sites, and ``Keterangan`` (status, source, period, target, units, date).

    Parameters
    ----------
    data : ExportData
    level : str
        Sheet shown first.
    lang : str
        Header language.

    Returns
    -------
    bytes
        Numbers are number cells with Indonesian-readable formats; text is
        formula-neutralised.
    """
    if level not in LEVELS:
        raise ExportError("tables.unknown_level", level=repr(level), levels=', '.join(LEVELS))
    lang = check_lang(lang)
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    names = {key: t(f"export.sheet.{key}", lang) for key in ("desa", "kecamatan", "priorities", "sites", "meta")}
    wb = Workbook()
    wb.remove(wb.active)
    order = [level, "kecamatan" if level == "desa" else "desa", "priorities", "sites"]
    for what in order:
        fields, headers, rows = sheet_rows(data, what, lang)
        if headers:
            _write_sheet(wb, names[what], fields, headers, rows)
    meta = wb.create_sheet(names["meta"])
    for key, value in metadata_rows(data, lang):
        meta.append([neutralise(key), neutralise(value)])
    meta.column_dimensions["A"].width = 44
    meta.column_dimensions["B"].width = 100
    for (cell,) in meta.iter_rows(min_col=1, max_col=1):
        cell.font = Font(bold=True)
    if data.is_sample:
        meta["B1"].font = Font(bold=True, color="FFFFFF")
        meta["B1"].fill = PatternFill("solid", fgColor=_SAMPLE_COLOR)
    wb.properties.title = x("briefing.title", lang, kabupaten=data.result.kabupaten["nama"])
    wb.properties.subject = sample_banner(lang) if data.is_sample else x("data_status.user", lang)
    wb.properties.creator = TOOL_NAME
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------- GIS


def gis_frame(data: ExportData, what: str) -> gpd.GeoDataFrame | pd.DataFrame | None:
    """One layer for GeoJSON / GeoPackage: short field names, fractions, full geometry (EPSG:4326).

    Parameters
    ----------
    data : ExportData
    what : str
        ``"desa"``, ``"kecamatan"``, ``"priorities"`` (desa polygons of the
        ranked desa) or ``"sites"`` (points).

    Returns
    -------
    GeoDataFrame or None
        None when there is no such layer (no ranking, no sites).
    """
    frame = _source_frame(data, what)
    if frame is None:
        return None
    out = pd.DataFrame(index=frame.index)
    for field in _fields(what):
        if field.column not in frame.columns:
            continue
        values = frame[field.column]
        if field.kind == "date":
            values = values.map(lambda d: d.isoformat() if isinstance(d, dt.date) else None)
        elif field.kind in ("rate", "change", "score", "coord"):
            values = pd.to_numeric(values, errors="coerce").astype("float64")
        elif field.kind in ("count", "rupiah"):
            values = pd.to_numeric(values, errors="coerce").astype("Int64")
        elif field.kind == "bool":
            values = values.astype(bool)
        else:
            values = values.astype("object").where(values.notna(), None)
        out[field.name] = values
    if data.is_sample and what != "sites":
        out[SAMPLE_FIELD.name] = sample_banner("id")
    region = data.result.region
    if what == "sites":
        if data.sites_illustrative:
            out["keterangan"] = t("sites.illustrative_label", "id")
        return gpd.GeoDataFrame(out, geometry=data.sites.geometry.values, crs=data.sites.crs).to_crs("EPSG:4326")
    layer = load_layer("desa" if what in ("desa", "priorities") else "kecamatan", region)[["kode", "geometry"]]
    geometry = frame["kode"].map(layer.set_index("kode")["geometry"])
    return gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(geometry.values, crs=layer.crs), crs=layer.crs)


def geojson_bytes(data: ExportData, level: str = "desa") -> bytes:
    """One level as GeoJSON (RFC 7946, coordinates to 6 decimals) with a ``keterangan`` member.

    Parameters
    ----------
    data : ExportData
    level : str
        ``"desa"`` or ``"kecamatan"``.

    Returns
    -------
    bytes
        UTF-8 GeoJSON FeatureCollection; the top-level ``keterangan`` object
        holds the metadata (status first, DATA CONTOH when sample).
    """
    if level not in LEVELS:
        raise ExportError("tables.unknown_level", level=repr(level), levels=', '.join(LEVELS))
    frame = gis_frame(data, level)
    with tempfile.TemporaryDirectory(prefix="peta-export-") as folder:
        path = Path(folder) / f"{level}.geojson"
        pyogrio.write_dataframe(frame, path, driver="GeoJSON", layer=level,
                                layer_options={"RFC7946": "YES", "COORDINATE_PRECISION": "6", "WRITE_NAME": "NO"})
        collection = json.loads(path.read_text(encoding="utf-8"))
    collection = {"type": collection["type"], "name": level,
                  "keterangan": dict(metadata_rows(data, "id", gis=True)), "features": collection["features"]}
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def gpkg_bytes(data: ExportData) -> bytes:
    """A GeoPackage with layers ``kecamatan``, ``desa``, ``sites``, ``priorities`` and table ``keterangan``.

    ``sites`` (points) and ``priorities`` (polygons of the ranked desa) are
    written when available.  Geometry is the full-resolution boundary
    (EPSG:4326).

    Returns
    -------
    bytes
    """
    with tempfile.TemporaryDirectory(prefix="peta-export-") as folder:
        path = Path(folder) / "export.gpkg"
        for what in ("kecamatan", "desa", "sites", "priorities"):
            frame = gis_frame(data, what)
            if frame is not None:
                pyogrio.write_dataframe(frame, path, layer=what, driver="GPKG", append=path.exists())
        meta = pd.DataFrame(metadata_rows(data, "id", gis=True), columns=["kunci", "nilai"])
        pyogrio.write_dataframe(meta, path, layer="keterangan", driver="GPKG", append=True)
        return path.read_bytes()

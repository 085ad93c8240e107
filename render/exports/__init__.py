"""Exports of every view: standalone HTML map, PNG/PDF map, PDF briefing, data tables.

One :class:`ExportData` (coverage, sample flag, sites, priority ranking)
feeds every export, so a map, a briefing and a table made together agree.
Every function returns ``bytes`` (for ``st.download_button``) and
:func:`export_filename` names the file::

    from render.exports import export_bytes, export_filename, load_export_data

    data = load_export_data()                        # the bundled sample
    png = export_bytes(data, "map", "png", level="desa", metric="coverage_rate", dpi=300)
    name = export_filename("map", "desa", "coverage_rate", data.result.period, "png",
                           sample=data.is_sample)    # peta_cakupan_desa_2024-12_contoh.png

In the app: ``export_data_from(dataset, sites=..., ranking=...)`` wraps what
the page already holds.  The same exports are scripted with
``python -m analysis export`` (:mod:`cli.export`).

Modules: :mod:`.naming` (formats, file names), :mod:`.context` (ExportData),
:mod:`.mapspec` (classification shared by all maps), :mod:`.html_map`,
:mod:`.png_map` (+ :mod:`.mpl_map` drawing), :mod:`.pdf_briefing`,
:mod:`.tables` (CSV, XLSX, GeoJSON, GeoPackage, formula neutralisation).
"""

from __future__ import annotations

import importlib

from render.exports.context import (
    ILLUSTRATIVE,
    ExportData,
    export_data_from,
    load_export_data,
)
from render.exports.naming import (
    DPIS,
    FORMATS,
    LEVELS,
    MIME_TYPES,
    SIZES,
    check_export,
    export_filename,
)
from render.exports.tables import (
    csv_bytes,
    geojson_bytes,
    gpkg_bytes,
    neutralise,
    xlsx_bytes,
)
from render.exports.view import ExportView

#: Exports drawn with Folium or matplotlib, imported only when asked for (PEP 562),
#: so that a table export or ``--help`` does not load the drawing libraries.
_LAZY = {
    "map_html_bytes": "render.exports.html_map",
    "briefing_pdf_bytes": "render.exports.pdf_briefing",
    "map_png_bytes": "render.exports.png_map",
    "map_pdf_bytes": "render.exports.png_map",
}


#: (what, format) of the drawn exports -> their function in :data:`_LAZY`.
_DRAWN = {("map", "html"): "map_html_bytes", ("map", "png"): "map_png_bytes", ("map", "pdf"): "map_pdf_bytes",
          ("briefing", "pdf"): "briefing_pdf_bytes"}


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "DPIS",
    "FORMATS",
    "ILLUSTRATIVE",
    "LEVELS",
    "MIME_TYPES",
    "SIZES",
    "ExportData",
    "ExportView",
    "briefing_pdf_bytes",
    "check_export",
    "csv_bytes",
    "export_bytes",
    "export_data_from",
    "export_filename",
    "geojson_bytes",
    "gpkg_bytes",
    "load_export_data",
    "map_html_bytes",
    "map_pdf_bytes",
    "map_png_bytes",
    "neutralise",
    "xlsx_bytes",
]


def export_bytes(data: ExportData, what: str, fmt: str, view: ExportView | None = None,
                 **options: object) -> bytes:
    """Make one export: the single entry point of the CLI (and handy for the UI).

    Parameters
    ----------
    data : ExportData
    what : str
        ``"map"``, ``"briefing"`` or ``"data"``.
    fmt : str
        ``map``: html, png, pdf; ``briefing``: pdf; ``data``: xlsx, csv,
        geojson, gpkg (see :data:`FORMATS`).
    view : ExportView, optional
        What is shown: level (also the table of CSV/GeoJSON and the first
        sheet of XLSX; GeoPackage holds both), metric, classes, language,
        dpi, page size, sites, highlight, drill-down.
    **options
        Instead of ``view``: its fields as keywords (``level="kecamatan"``, ...).

    Returns
    -------
    bytes

    Raises
    ------
    core.errors.ExportError
        For an impossible combination (e.g. a briefing as CSV).
    """
    view = view if view is not None else ExportView.of(**options)
    check_export(what, fmt, view.level, view.metric)
    if what in ("map", "briefing"):
        return __getattr__(_DRAWN[(what, fmt)])(data, view)
    if fmt == "csv":
        return csv_bytes(data, view.level, view.lang)
    if fmt == "xlsx":
        return xlsx_bytes(data, view.level, view.lang)
    if fmt == "geojson":
        return geojson_bytes(data, view.level)
    return gpkg_bytes(data)

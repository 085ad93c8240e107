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
from collections.abc import Iterable, Sequence

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

#: Exports drawn with Folium or matplotlib, imported only when asked for (PEP 562),
#: so that a table export or ``--help`` does not load the drawing libraries.
_LAZY = {
    "map_html_bytes": "render.exports.html_map",
    "briefing_pdf_bytes": "render.exports.pdf_briefing",
    "map_png_bytes": "render.exports.png_map",
    "map_pdf_bytes": "render.exports.png_map",
}


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "DPIS", "FORMATS", "ILLUSTRATIVE", "LEVELS", "MIME_TYPES", "SIZES", "ExportData", "briefing_pdf_bytes",
    "check_export", "csv_bytes", "export_bytes", "export_data_from", "export_filename", "geojson_bytes",
    "gpkg_bytes", "load_export_data", "map_html_bytes", "map_pdf_bytes", "map_png_bytes", "neutralise",
    "xlsx_bytes",
]


def export_bytes(data: ExportData, what: str, fmt: str, *, level: str = "desa", metric: str = "coverage_rate",
                 scheme: str | None = None, lang: str = "id", dpi: int = 150, size: str = "a4",
                 show_sites: bool = False, highlight: Iterable[str] | None = None, kec: str | None = None,
                 bands: Sequence[float] | None = None, k: int = 5) -> bytes:
    """Make one export: the single entry point of the CLI (and handy for the UI).

    Parameters
    ----------
    data : ExportData
    what : str
        ``"map"``, ``"briefing"`` or ``"data"``.
    fmt : str
        ``map``: html, png, pdf; ``briefing``: pdf; ``data``: xlsx, csv,
        geojson, gpkg (see :data:`FORMATS`).
    level : str
        ``"desa"`` or ``"kecamatan"`` (map level; table of CSV/GeoJSON;
        first sheet of XLSX; ignored by GeoPackage, which holds both).
    metric : str
        Map metric (ignored by data exports, which hold every metric).
    scheme, bands, k
        Classification (default the metric's scheme and bands, 5 classes).
    lang : str
        ``"id"`` (default) or ``"en"``.
    dpi, size
        PNG resolution (150/300) and page (``"a4"`` landscape or ``"16:9"``).
    show_sites : bool
        Site markers on maps.
    highlight : iterable of str, optional
        ``kode`` values outlined on maps.
    kec : str, optional
        Drill-down map of one kecamatan's desa.

    Returns
    -------
    bytes

    Raises
    ------
    core.errors.ExportError
        For an impossible combination (e.g. a briefing as CSV).
    """
    check_export(what, fmt, level, metric)
    options = dict(scheme=scheme, lang=lang, kec=kec, bands=bands, k=k)
    if what == "map":
        map_html_bytes, map_png_bytes, map_pdf_bytes = (
            __getattr__(n) for n in ("map_html_bytes", "map_png_bytes", "map_pdf_bytes"))
        if fmt == "html":
            return map_html_bytes(data, level, metric, show_sites=show_sites, highlight=highlight, **options)
        if fmt == "png":
            return map_png_bytes(data, level, metric, dpi=dpi, size=size, show_sites=show_sites,
                                 highlight=highlight, **options)
        return map_pdf_bytes(data, level, metric, size=size, show_sites=show_sites, highlight=highlight,
                             **options)
    if what == "briefing":
        return __getattr__("briefing_pdf_bytes")(data, level, metric, scheme=scheme, lang=lang, bands=bands, k=k)
    if fmt == "csv":
        return csv_bytes(data, level, lang)
    if fmt == "xlsx":
        return xlsx_bytes(data, level, lang)
    if fmt == "geojson":
        return geojson_bytes(data, level)
    return gpkg_bytes(data)

"""What can be exported in which format, and the file names that say what a file holds.

>>> export_filename("map", "desa", "coverage_rate", "2024-06", "png")
'peta_cakupan_desa_2024-06.png'
>>> export_filename("briefing", "desa", "coverage_rate", "2024-12", "pdf", sample=True)
'ringkasan_cakupan_desa_2024-12_contoh.pdf'
>>> export_filename("data", "kecamatan", "coverage_rate", "2024-12", "xlsx")
'data_cakupan_kecamatan_2024-12.xlsx'
"""

from __future__ import annotations

import re
import unicodedata

from analysis.metrics import METRICS
from core.errors import ExportError

#: What can be exported, and the formats each offers (first = default).
FORMATS: dict[str, tuple[str, ...]] = {
    "map": ("html", "png", "pdf"),
    "briefing": ("pdf",),
    "data": ("xlsx", "csv", "geojson", "gpkg"),
}
#: Levels a map or table can show.
LEVELS: tuple[str, ...] = ("desa", "kecamatan")
#: MIME type per format, for ``st.download_button(mime=...)``.
MIME_TYPES: dict[str, str] = {
    "html": "text/html",
    "png": "image/png",
    "pdf": "application/pdf",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "geojson": "application/geo+json",
    "gpkg": "application/geopackage+sqlite3",
}
#: First word of a file name per kind of export.
WHAT_WORDS: dict[str, str] = {"map": "peta", "briefing": "ringkasan", "data": "data"}
#: Short Indonesian name of each metric in file names.
METRIC_SLUGS: dict[str, str] = {
    "coverage_rate": "cakupan",
    "uncovered": "belum_terlindungi",
    "gap_to_target": "kekurangan_target",
    "workers": "pekerja",
    "covered": "peserta_aktif",
    "informal_rate": "cakupan_informal",
    "change_rate": "perubahan_cakupan",
    "formal_rate": "cakupan_formal",
    "informal_contribution_monthly": "iuran_informal",
    "gap_contribution_monthly": "iuran_kekurangan",
}
_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def check_export(what: str, fmt: str, level: str = "desa", metric: str = "coverage_rate") -> None:
    """Raise :class:`~core.errors.ExportError` unless the combination can be exported.

    Parameters
    ----------
    what : str
        ``"map"``, ``"briefing"`` or ``"data"``.
    fmt : str
        A format of :data:`FORMATS` ``[what]``.
    level : str
        ``"desa"`` or ``"kecamatan"``.
    metric : str
        A key of :data:`core.i18n.METRICS`.

    Raises
    ------
    ExportError
        Naming the value that is wrong and the values allowed.
    """
    if what not in FORMATS:
        raise ExportError("naming.unknown_export", what=repr(what), choices=', '.join(FORMATS))
    if fmt not in FORMATS[what]:
        hint = [w for w, formats in FORMATS.items() if fmt in formats]
        extra = f" ({fmt} is offered by --what {' / '.join(hint)})" if hint else ""
        raise ExportError(
            "naming.format_not_offered", what=what, fmt=repr(fmt), formats=', '.join(FORMATS[what]), extra=extra
        )
    if level not in LEVELS:
        raise ExportError("naming.unknown_level", level=repr(level), levels=', '.join(LEVELS))
    if metric not in METRICS:
        raise ExportError("naming.unknown_metric", metric=repr(metric), metrics=', '.join(METRICS))


def slug(text: str) -> str:
    """Lower-case ASCII with ``_`` between words: ``"Garut Kota"`` -> ``"garut_kota"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")


def export_filename(what: str, level: str, metric: str, period: str | None, fmt: str, *,
                    area: str | None = None, sample: bool = False) -> str:
    """Return a file name that says what an export holds.

    ``<what>_<metric>_<level>[_<area>]_<period>[_contoh].<fmt>``: ``peta`` /
    ``ringkasan`` / ``data``, the metric's short Indonesian name (data
    tables hold every metric and are named ``cakupan``), the level (left out
    of a GeoPackage, which holds both), the area of a drill-down view, the
    period, and ``_contoh`` when the figures are the bundled sample.

    Parameters
    ----------
    what : str
        ``"map"``, ``"briefing"`` or ``"data"``.
    level : str
        ``"desa"`` or ``"kecamatan"``.
    metric : str
        A key of :data:`core.i18n.METRICS`, e.g. ``"coverage_rate"``.
    period : str or None
        ``YYYY-MM``; None when the data has no period.
    fmt : str
        File format (extension), see :data:`FORMATS`.
    area : str, optional
        Name of the kecamatan a drill-down view shows (``"Garut Kota"``).
    sample : bool
        Add ``_contoh`` (sample data).

    Returns
    -------
    str
        E.g. ``peta_cakupan_desa_2024-06.png``.

    Raises
    ------
    ExportError
        For an unknown or impossible combination, or a period that is not ``YYYY-MM``.
    """
    check_export(what, fmt, level, metric)
    if period is not None and not _PERIOD.match(str(period)):
        raise ExportError("naming.bad_period", period=repr(period))
    parts = [WHAT_WORDS[what], "cakupan" if what == "data" else METRIC_SLUGS.get(metric, slug(metric))]
    if not (what == "data" and fmt == "gpkg"):
        parts.append(level)
    if area:
        parts.append(slug(area))
    parts.append(period or "tanpa_periode")
    if sample:
        parts.append("contoh")
    return "_".join(p for p in parts if p) + f".{fmt}"


#: Page sizes in inches (width, height): A4 landscape and a 16:9 slide (PowerPoint's default).
SIZES: dict[str, tuple[float, float]] = {"a4": (11.69, 8.27), "16:9": (13.333, 7.5)}


#: Resolutions offered.
DPIS: tuple[int, ...] = (150, 300)

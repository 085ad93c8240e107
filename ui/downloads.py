"""Download buttons for the current view: map (HTML, PNG), briefing PDF, data tables.

Files are made only when a button is pressed (Streamlit calls ``data`` then),
by :func:`render.exports.export_bytes`, the same function the CLI uses;
file names come from :func:`render.exports.export_filename`.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import streamlit as st

from analysis.dataset import CoverageDataset
from analysis.views import scheme_for
from core.errors import PetaCakupanError
from core.i18n import t
from render.exports import (
    MIME_TYPES,
    ExportData,
    ExportView,
    export_bytes,
    export_data_from,
    export_filename,
)
from render.exports.context import rank_for_export
from ui.access import download_button
from ui.outreach_widgets import sites_are_illustrative, sites_in_use

#: (what, format, dpi, size, label key) of the buttons, in display order.
BUTTONS = (
    ("map", "html", 150, "a4", "export.map_html"),
    ("map", "png", 150, "a4", "export.map_png_a4"),
    ("map", "png", 300, "16:9", "export.map_png_169"),
    ("briefing", "pdf", 150, "a4", "export.briefing_pdf"),
    ("data", "xlsx", 150, "a4", "export.data_xlsx"),
    ("data", "csv", 150, "a4", "export.data_csv"),
    ("data", "geojson", 150, "a4", "export.data_geojson"),
    ("data", "gpkg", 150, "a4", "export.data_gpkg"),
)


def export_data_for_screen(data: CoverageDataset, sites: gpd.GeoDataFrame | None,
                           sites_illustrative: bool) -> ExportData:
    """What every download of the map page is made from: the data, sites and ranking the screen uses.

    Parameters
    ----------
    data : CoverageDataset
        The coverage data in use (upload or sample).
    sites : GeoDataFrame or None
        The sites layer on screen (the user's file or the illustrative layer;
        None when it cannot be loaded).
    sites_illustrative : bool
        Whether ``sites`` is the illustrative layer (the exports then say so).
    """
    return export_data_from(data, sites=sites, sites_illustrative=sites_illustrative and sites is not None,
                            ranking=rank_for_export(data.result, sites))


def _sites_on_screen() -> tuple[gpd.GeoDataFrame | None, bool]:
    try:
        return sites_in_use(), sites_are_illustrative()
    except PetaCakupanError:  # the page says the layer is missing; the exports rank without sites
        return None, False


@dataclass(frozen=True)
class Download:
    """One download button: what it makes and the file name it offers."""

    what: str
    fmt: str
    dpi: int
    size: str
    label_key: str
    file_name: str


def download_specs(data: CoverageDataset, view: dict[str, object]) -> list[Download]:
    """The downloads of a map view, with file names that say what they hold."""
    level, metric, kec = str(view["level"]), str(view["metric"]), view.get("kec")
    area = str(data.result.kecamatan.set_index("kode").loc[kec, "nama"]) if kec else None
    specs = []
    for what, fmt, dpi, size, label in BUTTONS:
        name = export_filename(what, level, metric, data.result.period, fmt,
                               area=area if what == "map" else None, sample=data.is_sample)
        if what == "map" and fmt == "png" and size == "16:9":
            name = name.replace(".png", "_16x9_300dpi.png")
        specs.append(Download(what, fmt, dpi, size, label, name))
    return specs


def export_view(view: dict[str, object], spec: Download, lang: str) -> ExportView:
    """The :class:`ExportView` of one download: the screen's view plus the button's format options."""
    scheme = scheme_for(str(view["metric"]), str(view["scheme"]))  # "auto" or one the metric lacks: its default
    return ExportView.of(level=str(view["level"]), metric=str(view["metric"]), scheme=scheme,
                         lang=lang, dpi=spec.dpi, size=spec.size, bands=view.get("bands"),
                         kec=view.get("kec") if spec.what == "map" else None,
                         show_sites=spec.what == "map" and spec.fmt == "png")


def export_buttons(data: CoverageDataset, view: dict[str, object], lang: str) -> None:
    """Render the download buttons of a map view (level, kec, metric, scheme, bands)."""
    cache: dict[str, ExportData] = {}

    def make(spec: Download):
        def build() -> bytes:
            if "data" not in cache:
                cache["data"] = export_data_for_screen(data, *_sites_on_screen())
            return export_bytes(cache["data"], spec.what, spec.fmt, export_view(view, spec, lang))
        return build

    columns = st.columns(4)
    for i, spec in enumerate(download_specs(data, view)):
        download_button(columns[i % 4],
            t(spec.label_key, lang), data=make(spec), file_name=spec.file_name, mime=MIME_TYPES[spec.fmt],
            key=f"dl_{spec.what}_{spec.fmt}_{spec.dpi}", on_click="ignore", width="stretch",
        )

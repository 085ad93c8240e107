"""The map as an image (PNG) or a one-page PDF, drawn by matplotlib: no browser needed.

Layout (A4 landscape or 16:9 slide): title and subtitle (metric, period,
target, classes) at the top, the DATA CONTOH banner top right when the
figures are the sample, the map (EPSG:32748, scale bar, north arrow,
kecamatan names) with the legend and the kabupaten figures beside it, and
the source/date line at the bottom.  Sample figures also get a diagonal
watermark across the map.

>>> from render.exports import load_export_data, map_png_bytes
>>> png = map_png_bytes(load_export_data(), "desa", "coverage_rate", dpi=150)   # doctest: +SKIP
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from core.errors import ExportError
from core.formatting import format_value
from core.i18n import t
from render.exports.context import ExportData
from render.exports.mapspec import MapSpec, map_spec, source_line
from render.exports.mpl_map import (
    BANNER_GID,
    INK,
    MUTED,
    RC,
    SAMPLE_RED,
    add_watermark,
    draw_legend,
    draw_north_arrow,
    draw_regions,
    draw_scale_bar,
    fit_box,
    inch_axes,
    map_extent,
    place_labels,
    text_width,
    to_metric,
    wrap_text,
)
from render.exports.naming import DPIS, SIZES
from render.exports.text import TOOL_NAME, sample_banner, x
from render.exports.view import ExportView

#: Page margin, gap between map and panel, and panel width (inches).
MARGIN = 0.4
GAP = 0.35
PANEL_WIDTH = 3.5


def check_size(size: str) -> tuple[float, float]:
    """Return the (width, height) of a size name, or raise ExportError."""
    if size not in SIZES:
        raise ExportError("png_map.unknown_size", size=repr(size), choices=', '.join(SIZES))
    return SIZES[size]


def draw_banner(fig: Figure, right: float, top: float, lang: str, fontsize: float = 8.0) -> float:
    """Draw the red DATA CONTOH banner with its top-right corner at (right, top) inches; return its width.

    Two lines: "DATA CONTOH" large, the rest of :data:`analysis.sample.SAMPLE_BANNER` under it.
    """
    head, _, rest = sample_banner(lang).partition(" — ")
    big = fontsize * 1.6
    w = max(text_width(head, big, bold=True), text_width(rest, fontsize, bold=True)) + 0.3
    h = (big + fontsize) / 72 * 1.25 + 0.16
    ax = inch_axes(fig, right - w, top - h, w, h, gid=BANNER_GID)
    ax.add_patch(FancyBboxPatch((0.02, 0.02), w - 0.04, h - 0.04, boxstyle="round,pad=0,rounding_size=0.06",
                                facecolor=SAMPLE_RED, edgecolor="none", gid=BANNER_GID))
    ax.text(w / 2, h - 0.08, head, ha="center", va="top", fontsize=big, fontweight="bold", color="white",
            gid=BANNER_GID)
    ax.text(w / 2, 0.1, rest, ha="center", va="bottom", fontsize=fontsize, fontweight="bold", color="white",
            gid=BANNER_GID)
    return w


def _figures_rows(spec: MapSpec) -> list[tuple[str, str]]:
    """KPI rows of the panel: the kabupaten's, or the drilled-into kecamatan's."""
    result, lang = spec.data.result, spec.lang
    if spec.kecamatan_name is not None:
        row = result.kecamatan.set_index("kode").loc[spec.kecamatan["kode"].iloc[0]]
        figures = {key: row[key] for key in ("workers", "covered", "coverage_rate", "gap_to_target")}
    else:
        figures = {key: result.kabupaten[key] for key in ("workers", "covered", "coverage_rate", "gap_to_target")}
    kinds = {"workers": "count", "covered": "count", "coverage_rate": "rate", "gap_to_target": "count"}
    rows = [(t(f"kpi.{key}", lang), format_value(figures[key], kinds[key], lang)) for key in kinds]
    return rows


def draw_figures(ax, spec: MapSpec, top: float, fontsize: float = 8.5) -> float:
    """Write the kabupaten (or kecamatan) figures into inch axes from ``top``; return the end y."""
    width = ax.get_xlim()[1]
    heading = (f"Kecamatan {spec.kecamatan_name}" if spec.kecamatan_name
               else x("panel.kabupaten", spec.lang) + f" ({spec.data.result.kabupaten['nama']})")
    ax.plot([0, width], [top, top], color="#cccccc", linewidth=0.6)
    y = top - 0.12
    ax.text(0, y, heading, ha="left", va="top", fontsize=fontsize + 0.5, fontweight="bold", color=INK)
    y -= (fontsize + 0.5) / 72 * 1.9
    kab = spec.data.result.kabupaten
    if not spec.kecamatan_name and kab.get("partial"):  # the figures are those of the reported desa only
        ax.text(0, y, t("kpi.scope_partial_short", spec.lang, n=format_value(kab["n_desa_with_data"], "count",
                                                                              spec.lang),
                        total=format_value(kab["n_desa"], "count", spec.lang)),
                ha="left", va="top", fontsize=fontsize, fontweight="bold", color="#8a5a00", gid="figures-partial")
        y -= fontsize / 72 * 1.9
    for label, value in _figures_rows(spec):
        ax.text(0, y, label, ha="left", va="top", fontsize=fontsize, color=MUTED)
        ax.text(width, y, value, ha="right", va="top", fontsize=fontsize, fontweight="bold", color=INK)
        y -= fontsize / 72 * 1.75
    return y


def map_figure(spec: MapSpec, size: str = "a4", show_sites: bool = False,
               highlight: Iterable[str] | None = None, dpi: int = 150) -> Figure:
    """Lay out the whole map page as a matplotlib Figure (not yet saved).

    Parameters
    ----------
    spec : MapSpec
    size : str
        ``"a4"`` (landscape, 297 x 210 mm) or ``"16:9"`` (13.33 x 7.5 in).
    show_sites : bool
        Draw the sites of ``spec.data.sites``.
    highlight : iterable of str, optional
        ``kode`` values to outline thickly.
    dpi : int
        Resolution used to place labels (text sizes are in points, so the
        layout is the same at any resolution).

    Returns
    -------
    matplotlib.figure.Figure
        With a FigureCanvasAgg; the watermark has gid ``"sample-watermark"``.
    """
    width, height = check_size(size)
    fig = Figure(figsize=(width, height), dpi=dpi, facecolor="white")
    FigureCanvasAgg(fig)
    lang = spec.lang

    # Header: title (wrapped beside the banner), subtitle.
    top = height - MARGIN
    banner_w = draw_banner(fig, width - MARGIN, top, lang) + 0.3 if spec.is_sample else 0.0
    title = wrap_text(spec.title, 16, width - 2 * MARGIN - banner_w, bold=True)
    fig.text(MARGIN / width, top / height, title, ha="left", va="top", fontsize=16, fontweight="bold",
             color=INK, linespacing=1.15, gid="title")
    y = top - 16 / 72 * 1.3 * (title.count("\n") + 1) - 0.06
    subtitle = wrap_text(spec.subtitle, 10.5, width - 2 * MARGIN)
    fig.text(MARGIN / width, y / height, subtitle, ha="left", va="top", fontsize=10.5, color=MUTED, gid="subtitle")
    header_bottom = y - 10.5 / 72 * 1.35 * (subtitle.count("\n") + 1) - 0.2

    # Footer: source and date.
    footer = wrap_text(source_line(spec.data, lang, projection=True), 7.5, width - 2 * MARGIN)
    fig.text(MARGIN / width, MARGIN * 0.75 / height, footer, ha="left", va="bottom", fontsize=7.5, color=MUTED,
             linespacing=1.3, gid="source")
    footer_top = MARGIN * 0.75 + 7.5 / 72 * 1.4 * (footer.count("\n") + 1) + 0.2

    # Map box (equal scale) and the panel beside it, centred as a group.
    minx, miny, maxx, maxy = map_extent(spec)
    aspect = (maxy - miny) / (maxx - minx)
    avail_w = width - 2 * MARGIN - GAP - PANEL_WIDTH
    avail_h = header_bottom - footer_top
    map_w, map_h = fit_box(aspect, avail_w, avail_h)
    left = MARGIN + (avail_w - map_w) / 2
    bottom = footer_top + (avail_h - map_h) / 2
    ax = fig.add_axes((left / width, bottom / height, map_w / width, map_h / height), gid="map")
    info = draw_regions(ax, spec, show_sites=show_sites, highlight=highlight)
    avoid = [draw_scale_bar(ax, info["extent"], info["outer"], lang),
             draw_north_arrow(ax, info["extent"], info["outer"], lang), *info["marker_boxes"]]
    if spec.kecamatan_name is None:
        labels = to_metric(spec.kecamatan)
        place_labels(ax, labels["nama"], labels.geometry, size=7.0, avoid=avoid)
    else:
        labels = to_metric(spec.layer)
        place_labels(ax, labels["nama"], labels.geometry, size=7.5, avoid=avoid)

    panel_left = left + map_w + GAP
    panel = inch_axes(fig, panel_left, footer_top, PANEL_WIDTH, header_bottom - footer_top, gid="panel")
    end = draw_legend(panel, spec, top=header_bottom - footer_top, show_sites=show_sites,
                      highlight=bool(highlight))
    draw_figures(panel, spec, end - 0.15)

    if spec.is_sample:
        add_watermark(fig, ax, lang)
    return fig


def _metadata(spec: MapSpec) -> dict[str, str]:
    note = sample_banner(spec.lang) if spec.is_sample else x("data_status.user", spec.lang)
    return {"Title": spec.title, "Description": f"{spec.subtitle}. {note}. {spec.source_line}",
            "Software": TOOL_NAME}



def map_png_bytes(data: ExportData, view: ExportView | None = None) -> bytes:
    """Render the map as PNG bytes (for ``st.download_button`` or a file).

    Parameters
    ----------
    data : ExportData
    view : ExportView, optional
        What the map shows, its resolution (``dpi``) and page (``size``).

    Returns
    -------
    bytes
        PNG with its resolution (pHYs) and title/description text chunks.
    """
    view = view or ExportView()
    if view.dpi not in DPIS:
        raise ExportError("png_map.unknown_dpi", dpi=view.dpi,
                          choices=', '.join(map(str, DPIS)))
    with rc_context(RC):
        spec = map_spec(data, view)
        fig = map_figure(spec, size=view.size, show_sites=view.show_sites, highlight=view.highlight, dpi=view.dpi)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=view.dpi, metadata=_metadata(spec))
    return buffer.getvalue()


def map_pdf_bytes(data: ExportData, view: ExportView | None = None) -> bytes:
    """Render the same map page as a one-page vector PDF (``view`` as for :func:`map_png_bytes`; no dpi)."""
    view = view or ExportView()
    with rc_context(RC):
        spec = map_spec(data, view)
        fig = map_figure(spec, size=view.size, show_sites=view.show_sites, highlight=view.highlight)
        buffer = io.BytesIO()
        note = sample_banner(view.lang) if spec.is_sample else x("data_status.user", view.lang)
        fig.savefig(buffer, format="pdf", metadata={"Title": spec.title, "Subject": f"{spec.subtitle}. {note}",
                                                    "Creator": TOOL_NAME})
    return buffer.getvalue()

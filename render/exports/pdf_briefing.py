"""The briefing: a two-page A4 landscape PDF for the Bupati's office, drawn by matplotlib.

Page 1: header band (title, period, target, date), the DATA CONTOH band
when the figures are the sample, five KPI boxes with the kabupaten's big
numbers in Indonesian format, the map on the left (same classes and
colours as the app, scale bar, north arrow, kecamatan names, legend) and
the 10 kecamatan with the largest gap to target on the right, with the
definitions under it.

Page 2: the desa/kelurahan to visit, from the priority ranking
(:mod:`analysis.priorities`: score and reason) or, when that module is not
available, the desa with the largest gap to target, titled as such; then
notes on the method, the sites and the data.

Every page has a footer with the data source, the boundaries, the date and
"Halaman n dari N".  Text is embedded TrueType (DejaVu Sans), so the PDF is
searchable and text can be copied.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, replace

from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from analysis.coverage import top_gaps
from core.formatting import (
    format_change_pp,
    format_int,
    format_number,
    format_percent,
    format_rupiah,
    format_value,
)
from core.i18n import localize, t
from render.exports.context import ExportData
from render.exports.mapspec import MapSpec, map_spec, source_line
from render.exports.mpl_map import (
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
from render.exports.text import (
    TOOL_NAME,
    format_day,
    format_period,
    level_label,
    sample_banner,
    target_text,
    trend_sentences,
    x,
)
from render.exports.view import ExportView

#: A4 landscape, inches.
PAGE = (11.69, 8.27)
MARGIN = 0.45
#: Header band colour (deep blue) and the KPI accent.
BAND = "#0b3c5d"
ACCENT = "#1d7a8c"
LIGHT = "#f2f5f8"
ZEBRA = "#f4f6f9"
RULE = "#c9d1d9"
HEADER_H = 0.95
SAMPLE_H = 0.32
FOOTER_H = 0.55
#: Desa listed on page 2 (at most; fewer when the reasons need more room).
N_DESA = 15


@dataclass(frozen=True)
class Column:
    """A table column: title, width (inches), alignment."""

    title: str
    width: float
    align: str = "left"


def _header(fig: Figure, title: str, subtitle: str, lang: str, sample: bool) -> float:
    """Draw the header band (and the sample band); return the y (inches) below them."""
    w, h = PAGE
    band = inch_axes(fig, 0, h - HEADER_H, w, HEADER_H, gid="header")
    band.add_patch(Rectangle((0, 0), w, HEADER_H, facecolor=BAND, edgecolor="none"))
    band.text(MARGIN, HEADER_H - 0.22, title, ha="left", va="top", fontsize=17, fontweight="bold", color="white")
    band.text(MARGIN, 0.2, subtitle, ha="left", va="bottom", fontsize=10, color="#d6e4ee")
    band.text(w - MARGIN, HEADER_H - 0.24, TOOL_NAME, ha="right", va="top", fontsize=8.5, color="#d6e4ee")
    y = h - HEADER_H
    if sample:
        strip = inch_axes(fig, 0, y - SAMPLE_H, w, SAMPLE_H, gid="sample-banner")
        strip.add_patch(Rectangle((0, 0), w, SAMPLE_H, facecolor=SAMPLE_RED, edgecolor="none"))
        strip.text(w / 2, SAMPLE_H / 2, sample_banner(lang), ha="center", va="center", fontsize=10.5,
                   fontweight="bold", color="white", gid="sample-banner")
        y -= SAMPLE_H
    return y


def _footer(fig: Figure, data: ExportData, lang: str, page: int, pages: int) -> None:
    w, _h = PAGE
    ax = inch_axes(fig, MARGIN, 0.2, w - 2 * MARGIN, FOOTER_H - 0.2, gid="footer")
    top = FOOTER_H - 0.2
    ax.plot([0, w - 2 * MARGIN], [top, top], color=RULE, linewidth=0.8)
    page_text = x("briefing.page", lang, page=page, pages=pages)
    source = wrap_text(source_line(data, lang, tool=False), 7.2, w - 2 * MARGIN - 1.4)
    ax.text(0, top - 0.08, source, ha="left", va="top", fontsize=7.2, color=MUTED, linespacing=1.3)
    ax.text(w - 2 * MARGIN, top - 0.08, page_text, ha="right", va="top", fontsize=8, color=INK, fontweight="bold")


def _kpi_boxes(fig: Figure, data: ExportData, lang: str, top: float) -> float:
    """Five KPI boxes across the page; return the y below them."""
    res = data.result
    k = res.kabupaten
    previous = format_period(res.previous_period, lang) if res.previous_period else None
    change = (x("briefing.change", lang, change=format_change_pp(k["change_rate"], lang), previous=previous)
              if previous and k.get("change_rate") is not None else "")
    period = format_period(res.period, lang)
    contribution = format_rupiah(res.contribution_per_worker, lang)
    informal = k.get("informal_uncovered")
    boxes = [
        (t("kpi.workers", lang), format_int(k["workers"], lang), period),
        (t("kpi.covered", lang), format_int(k["covered"], lang), f"{t('kpi.uncovered', lang)}: "
                                                                  f"{format_int(k['uncovered'], lang)}"),
        (t("kpi.coverage_rate", lang), format_percent(k["coverage_rate"], lang), change),
        (t("metric.gap_to_target", lang).replace("70%", target_text(res.target, lang)),
         format_int(k["gap_to_target"], lang),
         x("briefing.additional_members", lang)),
        (x("briefing.kpi_contribution", lang), format_value(k["informal_contribution_monthly"], "rupiah", lang),
         f"{contribution} × {format_int(informal, lang)}" if informal is not None else contribution),
    ]
    w, _h = PAGE
    gap = 0.16
    box_w = (w - 2 * MARGIN - gap * (len(boxes) - 1)) / len(boxes)
    box_h = 1.2
    bottom = top - 0.2 - box_h
    for i, (label, value, note) in enumerate(boxes):
        ax = inch_axes(fig, MARGIN + i * (box_w + gap), bottom, box_w, box_h, gid="kpi")
        ax.add_patch(Rectangle((0, 0), box_w, box_h, facecolor=LIGHT, edgecolor="none"))
        ax.add_patch(Rectangle((0, 0), 0.06, box_h, facecolor=ACCENT, edgecolor="none"))
        ax.text(0.18, box_h - 0.1, wrap_text(label, 8.2, box_w - 0.28), ha="left", va="top", fontsize=8.2,
                color=MUTED, linespacing=1.15)
        size = 21 if text_width(value, 21, bold=True) < box_w - 0.3 else 16
        ax.text(0.18, 0.36, value, ha="left", va="bottom", fontsize=size, fontweight="bold", color=INK,
                gid="kpi-value")
        if note:
            ax.text(0.18, 0.13, wrap_text(note, 7.2, box_w - 0.28).split("\n")[0], ha="left", va="bottom",
                    fontsize=7.2, color=MUTED)
    return bottom


def draw_table(ax, top: float, columns: Sequence[Column], rows: Sequence[Sequence[str]], fontsize: float = 8.2,
               max_bottom: float | None = None, bold_column: int | None = None) -> tuple[float, int]:
    """Draw a table into inch axes from ``top`` down.

    Cells are wrapped to their column; rows alternate a light fill.  Rows
    that would go below ``max_bottom`` are left out.

    Returns
    -------
    (float, int)
        The y where the table ends and the number of rows drawn.
    """
    line = fontsize / 72 * 1.3
    pad = 0.055
    xs = [0.0]
    for column in columns:
        xs.append(xs[-1] + column.width)
    header_lines = [wrap_text(c.title, fontsize, c.width - 2 * pad, bold=True) for c in columns]
    header_h = max(h.count("\n") + 1 for h in header_lines) * line + 2 * pad
    ax.add_patch(Rectangle((0, top - header_h), xs[-1], header_h, facecolor=BAND, edgecolor="none"))
    for column, text, x0 in zip(columns, header_lines, xs):
        _cell(ax, text, column, x0, top - header_h / 2, fontsize, "white", bold=True)
    y = top - header_h
    drawn = 0
    for r, row in enumerate(rows):
        cells = [wrap_text(str(v), fontsize, c.width - 2 * pad) for v, c in zip(row, columns)]
        row_h = max(c.count("\n") + 1 for c in cells) * line + 2 * pad
        if max_bottom is not None and y - row_h < max_bottom:
            break
        if r % 2 == 1:
            ax.add_patch(Rectangle((0, y - row_h), xs[-1], row_h, facecolor=ZEBRA, edgecolor="none"))
        for i, (column, text, x0) in enumerate(zip(columns, cells, xs)):
            _cell(ax, text, column, x0, y - row_h / 2, fontsize, INK, bold=(i == bold_column))
        y -= row_h
        drawn += 1
    ax.plot([0, xs[-1]], [y, y], color=RULE, linewidth=0.8)
    return y, drawn


def _cell(ax, text: str, column: Column, x0: float, yc: float, fontsize: float, color: str, bold: bool) -> None:
    pad = 0.055
    if column.align == "right":
        xpos, ha = x0 + column.width - pad, "right"
    elif column.align == "center":
        xpos, ha = x0 + column.width / 2, "center"
    else:
        xpos, ha = x0 + pad, "left"
    ax.text(xpos, yc, text, ha=ha, va="center_baseline", fontsize=fontsize, color=color, linespacing=1.2,
            fontweight="bold" if bold else "normal", multialignment=ha)


def _map_block(fig: Figure, spec: MapSpec, left: float, bottom: float, width: float, height: float) -> None:
    """The map (left) with its legend column (right) in the given box."""
    legend_w = 1.6
    title = x("briefing.map_title", spec.lang, metric=spec.metric_label, level=level_label(spec.level, spec.lang))
    head = inch_axes(fig, left, bottom + height - 0.3, width, 0.3)
    head.text(0, 0.3, title, ha="left", va="top", fontsize=10, fontweight="bold", color=INK)
    height -= 0.38
    minx, miny, maxx, maxy = map_extent(spec)
    map_w, map_h = fit_box((maxy - miny) / (maxx - minx), width - legend_w - 0.15, height)
    ax = fig.add_axes((left / PAGE[0], (bottom + height - map_h) / PAGE[1], map_w / PAGE[0], map_h / PAGE[1]),
                      gid="map")
    info = draw_regions(ax, spec)
    avoid = [draw_scale_bar(ax, info["extent"], info["outer"], spec.lang, fontsize=6.5),
             draw_north_arrow(ax, info["extent"], info["outer"], spec.lang, size_in=0.32)]
    labels = to_metric(spec.kecamatan if spec.kecamatan_name is None else spec.layer)
    place_labels(ax, labels["nama"], labels.geometry, size=5.8, min_size=4.8, avoid=avoid)
    legend = inch_axes(fig, left + map_w + 0.15, bottom, width - map_w - 0.15, height, gid="legend")
    end = draw_legend(legend, spec, top=height, fontsize=7.6, compact=True)
    unit = x("level.desa_plural", spec.lang) if spec.level == "desa" else "kecamatan"
    note = x("briefing.legend_counts", spec.lang, unit=unit)
    legend.text(0, end - 0.02, wrap_text(note, 6.8, legend.get_xlim()[1]), ha="left", va="top",
                fontsize=6.8, color=MUTED)
    if spec.is_sample:
        add_watermark(fig, ax, spec.lang)


def _kecamatan_rows(data: ExportData, lang: str, n: int) -> list[list[str]]:
    table = top_gaps(data.result.kecamatan, n)
    return [[str(i + 1), row.nama, format_int(row.workers, lang), format_int(row.covered, lang),
             format_percent(row.coverage_rate, lang), format_int(row.gap_to_target, lang)]
            for i, row in enumerate(table.itertuples())]


def _new_page(data: ExportData, lang: str, title_key: str) -> tuple[Figure, float]:
    """A blank A4 landscape page with the header band; returns the figure and the y below the header."""
    fig = Figure(figsize=PAGE, facecolor="white")
    FigureCanvasAgg(fig)
    res = data.result
    subtitle = x("briefing.subtitle", lang, period=format_period(res.period, lang),
                 target=target_text(res.target, lang), date=format_day(data.created, lang))
    y = _header(fig, x(title_key, lang, kabupaten=res.kabupaten["nama"]), subtitle, lang, data.is_sample)
    return fig, y


#: Kecamatan listed on page 1; fewer when the trend needs the room.
TOP_KECAMATAN = 10
TOP_KECAMATAN_WITH_TREND = 7


def _page_one(pdf: PdfPages, data: ExportData, spec: MapSpec, lang: str) -> None:
    w, _h = PAGE
    fig, y = _new_page(data, lang, "briefing.title")
    res = data.result
    y = _kpi_boxes(fig, data, lang, y)
    body_top, body_bottom = y - 0.25, FOOTER_H + 0.15
    left_w = 6.0
    _map_block(fig, spec, MARGIN, body_bottom, left_w, body_top - body_bottom)

    right = MARGIN + left_w + 0.3
    right_w = w - MARGIN - right
    ax = inch_axes(fig, right, body_bottom, right_w, body_top - body_bottom, gid="top-kecamatan")
    top = body_top - body_bottom
    n_rows = TOP_KECAMATAN_WITH_TREND if data.trend is not None else TOP_KECAMATAN
    ax.text(0, top, wrap_text(x("briefing.top_kecamatan", lang, n=n_rows, target=target_text(res.target, lang)), 10,
                              right_w, bold=True),
            ha="left", va="top", fontsize=10, fontweight="bold", color=INK)
    fixed = [Column(x("col.no", lang), 0.34, "right"), Column(x("col.workers", lang), 0.74, "right"),
             Column(x("col.covered", lang), 0.7, "right"), Column(x("col.rate", lang), 0.66, "right"),
             Column(x("col.gap", lang), 0.86, "right")]
    name_w = right_w - sum(c.width for c in fixed)
    columns = [fixed[0], Column(x("col.kecamatan", lang), name_w), *fixed[1:]]
    rows = _kecamatan_rows(data, lang, n_rows)
    end, _ = draw_table(ax, top - 0.32, columns, rows, fontsize=8.2, bold_column=5)
    definitions = x("briefing.definitions", lang, contribution=format_rupiah(res.contribution_per_worker, lang))
    coverage_note = x("briefing.data_extent", lang, desa_with_data=res.kabupaten["n_desa_with_data"],
                      desa=res.kabupaten["n_desa"], kecamatan_with_data=res.kabupaten["n_kecamatan_with_data"],
                      kecamatan=res.kabupaten["n_kecamatan"])
    if data.trend is not None:
        end = _trend_block(ax, data.trend, lang, end, right_w)
    note_title = x("briefing.notes", lang)
    ax.text(0, end - 0.2, note_title, ha="left", va="top", fontsize=8.5, fontweight="bold", color=INK)
    ax.text(0, end - 0.42, wrap_text(definitions + " " + coverage_note, 7.8, right_w), ha="left", va="top",
            fontsize=7.8, color=MUTED, linespacing=1.35)
    _footer(fig, data, lang, 1, 2)
    pdf.savefig(fig)


def _trend_block(ax, trend, lang: str, top: float, width: float) -> float:
    """The trend in words under the kecamatan table: rates, pace, pace needed, when the target is reached."""
    ax.text(0, top - 0.2, t("trend.title", lang), ha="left", va="top", fontsize=8.5, fontweight="bold",
            color=INK, gid="trend-title")
    text = wrap_text(" ".join(trend_sentences(trend, lang)), 7.8, width)
    ax.text(0, top - 0.42, text, ha="left", va="top", fontsize=7.8, color=INK, linespacing=1.35, gid="trend-text")
    return top - 0.42 - 0.16 * (text.count("\n") + 1)


def _page_two(pdf: PdfPages, data: ExportData, lang: str) -> None:
    w, _h = PAGE
    fig, y = _new_page(data, lang, "briefing.title_p2")
    res = data.result
    body_top, body_bottom = y - 0.3, FOOTER_H + 0.15
    width = w - 2 * MARGIN
    ax = inch_axes(fig, MARGIN, body_bottom, width, body_top - body_bottom, gid="visit-list")
    top = body_top - body_bottom
    table, from_priorities = data.visit_list(N_DESA)
    heading = (x("briefing.top_desa_priorities", lang) if from_priorities
               else x("briefing.top_desa_gap", lang, target=target_text(res.target, lang)))
    ax.text(0, top, heading, ha="left", va="top", fontsize=11, fontweight="bold", color=INK, gid="visit-heading")
    notes = []
    if from_priorities:
        notes.append(x("briefing.priority_note", lang))
        if data.sites_illustrative:
            notes.append(x("briefing.sites_illustrative_note", lang))
    notes_text = wrap_text(" ".join(notes), 7.8, width) if notes else ""
    notes_h = (notes_text.count("\n") + 1) * 7.8 / 72 * 1.4 + 0.25 if notes else 0.0
    if not len(table):
        ax.text(0, top - 0.45, wrap_text(x("briefing.no_desa_data", lang), 10, width), ha="left", va="top",
                fontsize=10, color=INK)
    else:
        if from_priorities:
            columns = [Column(x("col.rank", lang), 0.8, "right"), Column(x("col.desa", lang), 1.5),
                       Column(x("col.kecamatan", lang), 1.3), Column(x("col.score", lang), 0.55, "right"),
                       Column(x("col.rate", lang), 0.7, "right"), Column(x("col.gap", lang), 0.85, "right"),
                       Column(x("col.reason", lang), width - 5.7)]
            rows = [
                [
                    str(r.rank),
                    r.nama,
                    r.kecamatan,
                    format_number(r.score, lang, digits=1),
                    format_percent(r.coverage_rate, lang),
                    format_int(r.gap_to_target, lang),
                    localize(r.alasan, lang),
                ]
                for r in table.itertuples()
            ]
        else:
            columns = [Column(x("col.rank", lang), 0.72, "right"), Column(x("col.desa", lang), 2.2),
                       Column(x("col.kecamatan", lang), 2.0), Column(x("col.workers", lang), 1.1, "right"),
                       Column(x("col.covered", lang), 1.1, "right"), Column(x("col.rate", lang), 1.0, "right"),
                       Column(x("col.gap", lang), width - 8.12, "right")]
            rows = [[str(r.rank), r.nama, r.kecamatan, format_int(r.workers, lang), format_int(r.covered, lang),
                     format_percent(r.coverage_rate, lang), format_int(r.gap_to_target, lang)]
                    for r in table.itertuples()]
        end, _drawn = draw_table(ax, top - 0.35, columns, rows, fontsize=8, max_bottom=notes_h, bold_column=1)
        if notes:
            ax.text(0, end - 0.15, notes_text, ha="left", va="top", fontsize=7.8, color=MUTED, linespacing=1.4)
    _footer(fig, data, lang, 2, 2)
    pdf.savefig(fig)


def briefing_pdf_bytes(data: ExportData, view: ExportView | None = None) -> bytes:
    """Render the two-page briefing as PDF bytes (for ``st.download_button`` or a file).

    Parameters
    ----------
    data : ExportData
    view : ExportView, optional
        The page-1 map (level, metric, classes) and the language; other fields are not used.

    Returns
    -------
    bytes
        A4 landscape PDF, two pages, with title/subject metadata (the subject
        says DATA CONTOH when the figures are the sample).
    """
    view = replace(view or ExportView(), kec=None, highlight=frozenset(), show_sites=False)  # the whole kabupaten
    lang = view.lang
    with rc_context(RC):
        spec = map_spec(data, view)
        buffer = io.BytesIO()
        title = x("briefing.title", lang, kabupaten=data.result.kabupaten["nama"])
        note = sample_banner(lang) if data.is_sample else x("data_status.user", lang)
        metadata = {"Title": title, "Subject": f"{format_period(data.result.period, lang)}. {note}",
                    "Creator": TOOL_NAME, "Keywords": "BPJS Ketenagakerjaan; Garut; cakupan"}
        with PdfPages(buffer, metadata=metadata) as pdf:
            _page_one(pdf, data, spec, lang)
            _page_two(pdf, data, lang)
    return buffer.getvalue()

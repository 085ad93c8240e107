"""Drawing a :class:`~render.exports.mapspec.MapSpec` with matplotlib (PNG and PDF exports).

The map is drawn in EPSG:32748 (UTM zone 48S, metres) with an equal
aspect, so the scale bar is true: its length is a round number of
kilometres on the ground, corrected by the projection's point scale factor
at the map centre (about 1.0009 in Garut).  The north arrow points to true
north (rotated by the meridian convergence, about 0.4 degrees).

Colours, class bounds and legend labels come from the spec, i.e. from the
same :func:`analysis.classify.classify` and :mod:`render.maps.palettes` calls the
app makes.  "No data" regions are grey with a hatch and a dashed outline,
as in the app.  Text uses DejaVu Sans (bundled with matplotlib).

Layout helpers work in inches: :func:`inch_axes` returns axes whose data
coordinates are inches from their lower-left corner, so legends and tables
can be laid out with fixed sizes whatever the page.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pyproj
import shapely
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Polygon as PolygonPatch
from matplotlib.patches import Rectangle
from matplotlib.path import Path
from matplotlib.textpath import TextToPath
from matplotlib.transforms import Bbox

from analysis.views import partial_regions
from core.i18n import t
from geo.paths import METRIC_CRS
from render.exports.mapspec import MapSpec
from render.exports.text import x
from render.maps.palettes import NO_DATA_FILL, NO_DATA_HATCH, NO_DATA_OUTLINE

#: Font of every export (bundled with matplotlib; Debian's fonts-dejavu-core is the same family).
FONT_FAMILY = "DejaVu Sans"
#: matplotlib settings of every export figure: embedded TrueType (searchable PDF text).
RC = {
    "font.family": FONT_FAMILY,
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "hatch.linewidth": 0.6,
    "svg.fonttype": "none",
}
#: Dark text colour and the muted one.
INK = "#1b1b1b"
MUTED = "#555555"
#: Region edges, kecamatan outlines and the outer boundary.
REGION_EDGE = {"desa": ("#ffffff", 0.25), "kecamatan": ("#ffffff", 0.6)}
KECAMATAN_OUTLINE = ("#3a3a3a", 0.7)
OUTER_OUTLINE = ("#1b1b1b", 1.0)
#: Site markers.
#: Outline of regions built from some of their desa only (colour, width in points).
PARTIAL_EDGE = ("#222222", 1.4)
SITE_STYLE = {"marker": "^", "s": 42, "facecolor": "#111111", "edgecolor": "#ffffff", "linewidths": 0.7}
#: Highlighted regions (priorities): dark line on a white halo.
HIGHLIGHT_STYLE = (("#ffffff", 2.6), ("#111111", 1.3))
#: Gid of the sample watermark (tests look for it).
WATERMARK_GID = "sample-watermark"
#: Gid of the sample banner.
BANNER_GID = "sample-banner"
#: Watermark colour.
SAMPLE_RED = "#b3261e"
_TEXT_TO_PATH = TextToPath()
_HALO = [patheffects.withStroke(linewidth=2.4, foreground="white")]


# --------------------------------------------------------------------------- geometry


def to_metric(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the frame in :data:`geo.paths.METRIC_CRS` (EPSG:32748)."""
    return frame.to_crs(METRIC_CRS)


def polygon_path(geometry) -> Path:
    """A matplotlib compound path of a (multi)polygon, holes included."""
    parts = getattr(geometry, "geoms", [geometry])
    vertices, codes = [], []
    for polygon in parts:
        if polygon.is_empty:
            continue
        for ring in (polygon.exterior, *polygon.interiors):
            coords = np.asarray(ring.coords)[:, :2]
            ring_codes = np.full(len(coords), Path.LINETO, dtype=Path.code_type)
            ring_codes[0], ring_codes[-1] = Path.MOVETO, Path.CLOSEPOLY
            vertices.append(coords)
            codes.append(ring_codes)
    if not vertices:
        return Path(np.zeros((1, 2)), [Path.MOVETO])
    return Path(np.concatenate(vertices), np.concatenate(codes))


def label_point(geometry) -> shapely.Point:
    """Centre of the largest circle inside the polygon (its largest part): where a label reads best."""
    parts = list(getattr(geometry, "geoms", [geometry]))
    largest = max(parts, key=lambda g: g.area)
    tolerance = max(math.sqrt(largest.area) / 200, 1.0)
    return shapely.Point(shapely.maximum_inscribed_circle(largest, tolerance).coords[0])


# --------------------------------------------------------------------------- layout helpers


def inch_axes(fig: Figure, left: float, bottom: float, width: float, height: float,
              gid: str | None = None) -> Axes:
    """Axes placed in inches whose data coordinates are inches from their lower-left corner."""
    fw, fh = fig.get_size_inches()
    ax = fig.add_axes((left / fw, bottom / fh, width / fw, height / fh), gid=gid)
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_axis_off()
    return ax


def fit_box(aspect: float, width: float, height: float) -> tuple[float, float]:
    """Largest (width, height) with ``height / width == aspect`` inside a width x height box."""
    if height / width > aspect:
        return width, width * aspect
    return height / aspect, height


def map_extent(spec: MapSpec, pad: float = 0.04) -> tuple[float, float, float, float]:
    """Extent (minx, miny, maxx, maxy) in metres of the regions shown, padded by ``pad`` of the size."""
    minx, miny, maxx, maxy = to_metric(spec.layer).total_bounds
    dx, dy = (maxx - minx) * pad, (maxy - miny) * pad
    return minx - dx, miny - dy, maxx + dx, maxy + dy


# --------------------------------------------------------------------------- map body


def _collection(paths: list[Path], **style) -> PathCollection:
    return PathCollection(paths, **style)


def draw_regions(ax: Axes, spec: MapSpec, show_sites: bool = False,
                 highlight: Iterable[str] | None = None, label_size: float = 7.0,
                 labels: bool = True) -> dict:
    """Draw the classified regions, outlines, labels and optional sites on ``ax``.

    Parameters
    ----------
    ax : Axes
        Placed with the aspect of :func:`map_extent` (equal scale in x and y).
    spec : MapSpec
    show_sites : bool
        Draw the sites of ``spec.data.sites`` as markers.
    highlight : iterable of str, optional
        ``kode`` values outlined thickly.
    label_size : float
        Largest label font size in points.
    labels : bool
        Draw kecamatan names (desa names on a drill-down map).

    Returns
    -------
    dict
        ``extent`` (metres), ``label_artists``.
    """
    layer = to_metric(spec.layer)
    kecamatan = to_metric(spec.kecamatan)
    extent = map_extent(spec)
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    ax.set_aspect("equal", adjustable="box")
    ax.set_axis_off()

    paths = [polygon_path(g) for g in layer.geometry]
    classes = spec.classes
    edge, width = REGION_EDGE[spec.level]
    with_class = [i for i, c in enumerate(classes) if c >= 0]
    if with_class:
        ax.add_collection(_collection(
            [paths[i] for i in with_class], facecolors=[spec.colors[classes[i]] for i in with_class],
            edgecolors=edge, linewidths=width, zorder=1, gid="regions"))
    missing = [paths[i] for i, c in enumerate(classes) if c < 0]
    if missing:
        ax.add_collection(_collection(missing, facecolors=NO_DATA_FILL, edgecolors=NO_DATA_HATCH,
                                      linewidths=0, hatch="////", zorder=1, gid="no-data"))
        ax.add_collection(_collection(missing, facecolors="none", edgecolors=NO_DATA_OUTLINE,
                                      linewidths=0.5, linestyles=(0, (3, 2)), zorder=1.1))

    kec_paths = [polygon_path(g) for g in kecamatan.geometry]
    if spec.level == "desa" and spec.kecamatan_name is None:
        color, lw = KECAMATAN_OUTLINE
        ax.add_collection(_collection(kec_paths, facecolors="none", edgecolors=color, linewidths=lw,
                                      zorder=2, gid="kecamatan-outline"))
    outer = shapely.union_all(kecamatan.geometry.values)
    color, lw = OUTER_OUTLINE
    ax.add_collection(_collection([polygon_path(outer)], facecolors="none", edgecolors=color,
                                  linewidths=lw, zorder=2.1))

    wanted = set(highlight or ())
    if wanted:
        chosen = [paths[i] for i, k in enumerate(layer["kode"]) if k in wanted]
        for color, lw in HIGHLIGHT_STYLE:
            ax.add_collection(_collection(chosen, facecolors="none", edgecolors=color, linewidths=lw,
                                          zorder=2.5))

    partial = partial_regions(spec.layer)
    if partial:  # figures from some of their desa only: dashed, as on the app's map
        chosen = [paths[i] for i, k in enumerate(layer["kode"]) if k in partial]
        ax.add_collection(_collection(chosen, facecolors="none", edgecolors=PARTIAL_EDGE[0],
                                      linewidths=PARTIAL_EDGE[1], linestyles=(0, (4, 3)), zorder=2.4, gid="partial"))

    marker_boxes = []
    if show_sites and spec.data.sites is not None and len(spec.data.sites):
        sites = to_metric(spec.data.sites)
        if spec.kecamatan_name is not None:
            sites = sites[sites.within(outer.buffer(1))]
        ax.scatter(sites.geometry.x, sites.geometry.y, zorder=6, gid="sites", **SITE_STYLE)
        half = math.sqrt(SITE_STYLE["s"]) / 2 * ax.figure.dpi / 72
        for px, py in ax.transData.transform(np.column_stack([sites.geometry.x, sites.geometry.y])):
            marker_boxes.append(Bbox([[px - half, py - half], [px + half, py + half]]))

    return {"extent": extent, "outer": outer, "marker_boxes": marker_boxes}


def _two_lines(text: str) -> str | None:
    words = text.split()
    if len(words) < 2:
        return None
    best = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - len(" ".join(words[i:]))))
    return " ".join(words[:best]) + "\n" + " ".join(words[best:])


def _candidates(geometry, start: shapely.Point, n: int = 7) -> list[tuple[float, float]]:
    """Points inside the polygon, nearest to ``start`` first."""
    minx, miny, maxx, maxy = geometry.bounds
    xs, ys = np.meshgrid(np.linspace(minx, maxx, n + 2)[1:-1], np.linspace(miny, maxy, n + 2)[1:-1])
    grid = shapely.points(xs.ravel(), ys.ravel())
    inside = grid[shapely.contains(geometry, grid)]
    inside = sorted(inside, key=lambda p: p.distance(start))
    return [(start.x, start.y)] + [(p.x, p.y) for p in inside]


def place_labels(ax: Axes, names: Iterable[str], geometries: Iterable, size: float = 7.0,
                 avoid: Iterable[Bbox] = (), min_size: float = 5.5) -> list:
    """Write one label per polygon without overlaps.

    Each label goes to the centre of the polygon's largest inscribed circle;
    when it would overlap a label already placed (or a box in ``avoid``), it
    is tried on two lines, at other points inside the polygon, and smaller
    down to ``min_size``.  A label that fits nowhere is left out (never drawn
    over another).  Smaller polygons are placed first.

    Returns
    -------
    list of matplotlib.text.Text
    """
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    placed: list[Bbox] = [b.expanded(1.0, 1.0) for b in avoid]
    axes_box = ax.get_window_extent(renderer)
    items = sorted(zip(names, geometries), key=lambda item: item[1].area)
    artists = []
    sizes = [size, size * 0.88, max(min_size, size * 0.78)]
    for name, geometry in items:
        start = label_point(geometry)
        points = _candidates(geometry, start)
        variants = [name] + ([_two_lines(name)] if _two_lines(name) else [])
        text = ax.text(start.x, start.y, name, ha="center", va="center", fontsize=size, color=INK,
                       fontweight="bold", path_effects=_HALO, zorder=5, linespacing=0.95,
                       gid="label")
        done = False
        for font_size in sizes:
            text.set_fontsize(font_size)
            for variant in variants:
                text.set_text(variant)
                for px, py in points:
                    text.set_position((px, py))
                    box = text.get_window_extent(renderer).expanded(1.06, 1.12)
                    if not (axes_box.x0 <= box.x0 and box.x1 <= axes_box.x1
                            and axes_box.y0 <= box.y0 and box.y1 <= axes_box.y1):
                        continue
                    if any(box.overlaps(other) for other in placed):
                        continue
                    placed.append(box)
                    done = True
                    break
                if done:
                    break
            if done:
                break
        if done:
            artists.append(text)
        else:
            text.remove()
    return artists


def _corner_box(extent, corner: str, w: float, h: float, margin: float) -> tuple[float, float, float, float]:
    minx, miny, maxx, maxy = extent
    x0 = minx + margin if corner.endswith("left") else maxx - margin - w
    y0 = miny + margin if corner.startswith("bottom") else maxy - margin - h
    return x0, y0, x0 + w, y0 + h


def emptiest_corner(extent, outer, corners: Iterable[str], w: float, h: float, margin: float) -> str:
    """The corner whose w x h box (metres) overlaps the mapped area least."""
    return min(corners, key=lambda c: shapely.box(*_corner_box(extent, c, w, h, margin)).intersection(outer).area)


def nice_length(target_m: float) -> float:
    """A round scale-bar length (1, 2, 2.5 or 5 times a power of ten) not above ``target_m``."""
    power = 10 ** math.floor(math.log10(target_m))
    return max(m * power for m in (1, 2, 2.5, 5) if m * power <= target_m)


def _scale_factor(extent) -> tuple[float, float]:
    """Point scale factor and meridian convergence (degrees) at the map centre."""
    cx, cy = (extent[0] + extent[2]) / 2, (extent[1] + extent[3]) / 2
    lon, lat = pyproj.Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True).transform(cx, cy)
    factors = pyproj.Proj(METRIC_CRS).get_factors(lon, lat)
    return factors.meridional_scale, factors.meridian_convergence


def draw_scale_bar(ax: Axes, extent, outer, lang: str = "id", fontsize: float = 7.0) -> Bbox:
    """Draw a true scale bar (kilometres on the ground) in the emptiest bottom corner.

    Returns
    -------
    matplotlib.transforms.Bbox
        Its box in display coordinates (labels keep clear of it).
    """
    renderer = ax.figure.canvas.get_renderer()
    box = ax.get_window_extent(renderer)
    metres_per_px = (extent[2] - extent[0]) / box.width
    k, _ = _scale_factor(extent)
    ground = nice_length((extent[2] - extent[0]) * 0.25 / k)
    grid = ground * k  # map units (grid metres) of `ground` metres on the ground
    bar_h = 5 * ax.figure.dpi / 72 * metres_per_px  # 5 pt
    margin = 0.03 * (extent[3] - extent[1])
    text_h = fontsize * 1.6 * ax.figure.dpi / 72 * metres_per_px
    corner = emptiest_corner(extent, outer, ("bottom left", "bottom right"), grid + 2 * margin,
                             bar_h + text_h + margin, margin)
    x0, y0, _, _ = _corner_box(extent, corner, grid, bar_h + text_h, margin)
    y_bar = y0 + text_h
    for i in range(4):
        ax.add_patch(
            Rectangle(
                (x0 + i * grid / 4, y_bar),
                grid / 4,
                bar_h,
                facecolor=INK if i % 2 == 0 else "white",
                edgecolor=INK,
                linewidth=0.6,
                zorder=6,
                gid="scale-bar",
            )
        )
    km = ground / 1000
    unit = "km"
    labels = [(0, "0"), (grid / 2, _km(km / 2, lang)), (grid, f"{_km(km, lang)} {unit}")]
    artists = []
    for dx, label in labels:
        artists.append(ax.text(x0 + dx, y_bar - 0.4 * text_h / 1.6, label, ha="center", va="top",
                               fontsize=fontsize, color=INK, zorder=6, path_effects=_HALO, gid="scale-bar"))
    bbox = Bbox.union([a.get_window_extent(renderer) for a in artists]
                      + [ax.transData.transform_bbox(Bbox([[x0, y_bar], [x0 + grid, y_bar + bar_h]]))])
    return bbox.expanded(1.05, 1.2)


def _km(value: float, lang: str) -> str:
    text = f"{value:g}"
    return text.replace(".", ",") if lang == "id" else text


def draw_north_arrow(ax: Axes, extent, outer, lang: str = "id", size_in: float = 0.42) -> Bbox:
    """Draw a north arrow (true north) in the emptiest top corner; return its display box."""
    renderer = ax.figure.canvas.get_renderer()
    box = ax.get_window_extent(renderer)
    metres_per_in = (extent[2] - extent[0]) / (box.width / ax.figure.dpi)
    h = size_in * metres_per_in
    w = 0.55 * h
    margin = 0.03 * (extent[3] - extent[1])
    corner = emptiest_corner(extent, outer, ("top right", "top left"), w + 2 * margin, 1.5 * h, margin)
    x0, y0, x1, y1 = _corner_box(extent, corner, w, 1.45 * h, margin)
    cx, base = (x0 + x1) / 2, y0
    _, convergence = _scale_factor(extent)
    # Grid north differs from true north by the convergence; rotate the arrow to true north.
    angle = math.radians(convergence)

    def rotate(px: float, py: float) -> tuple[float, float]:
        dx, dy = px - cx, py - (base + h / 2)
        return (cx + dx * math.cos(angle) - dy * math.sin(angle),
                base + h / 2 + dx * math.sin(angle) + dy * math.cos(angle))

    tip, left, right, notch = (cx, base + h), (cx - w / 2, base), (cx + w / 2, base), (cx, base + 0.3 * h)
    ax.add_patch(PolygonPatch([rotate(*p) for p in (tip, left, notch)], closed=True, facecolor=INK,
                              edgecolor=INK, linewidth=0.6, zorder=6, gid="north-arrow"))
    ax.add_patch(PolygonPatch([rotate(*p) for p in (tip, notch, right)], closed=True, facecolor="white",
                              edgecolor=INK, linewidth=0.6, zorder=6, gid="north-arrow"))
    label = ax.text(*rotate(cx, base + h + 0.08 * h), x("north", lang), ha="center", va="bottom", fontsize=9,
                    fontweight="bold", color=INK, zorder=6, path_effects=_HALO, gid="north-arrow")
    corners = ax.transData.transform([(x0, y0), (x1, base + h)])
    return Bbox.union([Bbox(corners), label.get_window_extent(renderer)]).expanded(1.1, 1.1)


def add_watermark(fig: Figure, ax: Axes, lang: str = "id", fontsize: float | None = None) -> None:
    """Write the diagonal DATA CONTOH watermark across the map axes (gid :data:`WATERMARK_GID`).

    Its size is chosen so that the rotated text spans about 85% of the map's width and stays inside it.
    """
    text = x("watermark", lang)
    box = ax.get_position()
    width_in = box.width * fig.get_size_inches()[0]
    angle = math.radians(30)
    if fontsize is None:
        per_point = text_width(text, 1.0, bold=True)  # inches per point of font size
        fontsize = 0.85 * width_in / (per_point * math.cos(angle) + math.sin(angle) / 72)
    fig.text((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2, text, ha="center", va="center",
             rotation=30, fontsize=min(fontsize, 90.0), fontweight="bold", color=SAMPLE_RED, alpha=0.24,
             zorder=50, gid=WATERMARK_GID)


# --------------------------------------------------------------------------- legend


def draw_legend(ax: Axes, spec: MapSpec, top: float, fontsize: float = 8.5, show_sites: bool = False,
                highlight: bool = False, width: float | None = None, compact: bool = False) -> float:
    """Draw the legend into inch axes, from ``top`` down; return the y where it ends.

    Rows: the metric name (bold), one swatch per class with its bounds (the
    app's labels, Indonesian number formats by default) and how many regions
    it holds, the no-data row when some region has no data, then line and
    marker keys (kecamatan boundary, sites, highlighted regions).  ``compact``
    writes the counts as bare numbers (for a narrow column).
    """
    width = width or ax.get_xlim()[1]
    line = fontsize / 72 * 1.75
    sw, sh = (0.26 if compact else 0.34), fontsize / 72 * 1.25
    y = top
    title = wrap_text(spec.metric_label, fontsize + 1.5, width, bold=True)
    ax.text(0, y, title, ha="left", va="top", fontsize=fontsize + 1.5, fontweight="bold", color=INK,
            linespacing=1.2, gid="legend-title")
    y -= (fontsize + 1.5) / 72 * 1.2 * (title.count("\n") + 1) + 0.1
    unit = x("level.desa_plural", spec.lang) if spec.level == "desa" else "kecamatan"
    unit = "" if compact else f" {unit}"
    counts = spec.counts
    rows = list(zip(spec.colors[: spec.classification.k], spec.legend_labels, counts))
    for color, label, count in rows:
        ax.add_patch(Rectangle((0, y - sh), sw, sh, facecolor=color, edgecolor="#666666", linewidth=0.5,
                               gid="legend-swatch"))
        ax.text(sw + 0.08, y - sh / 2, label, ha="left", va="center", fontsize=fontsize, color=INK,
                gid="legend-label")
        ax.text(width, y - sh / 2, f"{count}{unit}", ha="right", va="center", fontsize=fontsize - 1, color=MUTED)
        y -= line
    if spec.has_missing:
        n_missing = int((spec.classes < 0).sum())
        ax.add_patch(Rectangle((0, y - sh), sw, sh, facecolor=NO_DATA_FILL, edgecolor=NO_DATA_OUTLINE,
                               linewidth=0.6, linestyle=(0, (3, 2)), hatch="////", gid="legend-swatch"))
        ax.text(sw + 0.1, y - sh / 2, spec.legend_labels[-1], ha="left", va="center", fontsize=fontsize,
                color=INK, gid="legend-label")
        ax.text(width, y - sh / 2, f"{n_missing}{unit}", ha="right", va="center", fontsize=fontsize - 1,
                color=MUTED)
        y -= line
    y -= 0.06
    if spec.level == "desa" and spec.kecamatan_name is None:
        color, lw = KECAMATAN_OUTLINE
        ax.plot([0, sw], [y - sh / 2] * 2, color=color, linewidth=lw * 1.6)
        ax.text(sw + 0.1, y - sh / 2, x("legend.kecamatan_outline", spec.lang), ha="left", va="center",
                fontsize=fontsize - 0.5, color=INK)
        y -= line
    if partial_regions(spec.layer):
        ax.plot([0, sw], [y - sh / 2] * 2, color=PARTIAL_EDGE[0], linewidth=PARTIAL_EDGE[1], linestyle=(0, (4, 3)))
        # the longest key: wrapped to the legend's width (it ran past the edge of a narrow legend)
        note = wrap_text(t("map.partial_note", spec.lang), fontsize - 0.5, width - sw - 0.1)
        text_line = (fontsize - 0.5) / 72 * 1.2
        ax.text(sw + 0.1, y - sh / 2 + text_line / 2, note, ha="left", va="top", fontsize=fontsize - 0.5,
                color=INK, linespacing=1.2, gid="legend-partial")
        y -= line + note.count("\n") * text_line
    if show_sites and spec.data.sites is not None and len(spec.data.sites):
        style = dict(SITE_STYLE)
        style["s"] = style["s"] * 1.2
        ax.scatter([sw / 2], [y - sh / 2], **style)
        key = "legend.sites_illustrative" if spec.data.sites_illustrative else "legend.sites"
        ax.text(sw + 0.1, y - sh / 2, x(key, spec.lang), ha="left", va="center", fontsize=fontsize - 0.5,
                color=INK)
        y -= line
    if highlight:
        for color, lw in HIGHLIGHT_STYLE:
            ax.add_patch(Rectangle((0, y - sh), sw, sh, facecolor="none", edgecolor=color, linewidth=lw))
        ax.text(sw + 0.1, y - sh / 2, x("legend.highlight", spec.lang), ha="left", va="center",
                fontsize=fontsize - 0.5, color=INK)
        y -= line
    return y


def text_width(text: str, fontsize: float, bold: bool = False) -> float:
    """Width in inches of one line of text in the export font."""
    prop = FontProperties(family=FONT_FAMILY, size=fontsize, weight="bold" if bold else "normal")
    width, _height, _descent = _TEXT_TO_PATH.get_text_width_height_descent(text, prop, ismath=False)
    return width / 72


def wrap_text(text: str, fontsize: float, width: float, bold: bool = False) -> str:
    """Break text into lines no wider than ``width`` inches (words kept whole)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split(" "):
            trial = f"{current} {word}" if current else word
            if current and text_width(trial, fontsize, bold) > width:
                lines.append(current)
                current = word
            else:
                current = trial
        lines.append(current)
    return "\n".join(lines)

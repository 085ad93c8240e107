"""Where the web map's labels go: names where they fit, numbers with a side list where not, no two boxes touching.

Placement works in the map's own screen pixels.  :class:`MapView` repeats
what Leaflet's ``fitBounds`` does for a map of a given size (Web Mercator
pixels, the zoom snapped down to ``zoomSnap``, the bounds centred), so a
box computed here is where the browser draws it.  :func:`plan_labels` then:

1. projects each polygon to those pixels and leaves out the ones outside
   the view;
2. takes the polygons largest first and tries the name's box at points
   inside the polygon, nearest its representative point first;
3. where no point is free, tries the name beside the polygon, on rings
   around it (a callout, drawn with a leader line into the polygon);
4. where that fails too, a number's (smaller) box, inside or beside; the
   side list (:func:`key_layout`) names the numbers;
5. repeats with the side list's own box as an obstacle, until it fits in
   the room kept for it.

Boxes never overlap each other, the obstacles (legend, zoom buttons,
scale, side list) or the map's edge, unless a polygon has no free point at
all: that label is still placed, marked ``overlaps`` (tests assert none on
the Garut layers at the sizes the app draws).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import NamedTuple

import geopandas as gpd
import numpy as np
import shapely
from matplotlib import font_manager, ft2font

#: The labels' CSS font: DejaVu Sans Bold first (what widths are measured on), then fonts no wider than it.
LABEL_FONT = '"DejaVu Sans", Verdana, "Segoe UI", Arial, sans-serif'
#: Measured widths get this much to spare; a line is this many em high.
WIDTH_SLACK = 1.06
LINE_EM = 1.3
#: A number's box (two digits on a dark pill), in em.
NUMBER_EM = (1.9, 1.35)
#: Candidate points inside a polygon tried per label, nearest the representative point first.
MAX_CANDIDATES = 120
#: Rings (one line height apart) around a polygon where a label that finds no room inside may stand,
#: with a leader line to it.
CALLOUT_RINGS = 6
#: Leaflet's defaults as the app's maps use them (:func:`render.maps.mapview.base_map`).
ZOOM_SNAP = 0.25
MAX_ZOOM = 18
TILE_PX = 256
#: Boxes keep this far (px) from the map's edge.
EDGE_PX = 2
#: Leaflet's controls, as obstacles: zoom buttons (top left) and scale bar (bottom left), (x0, y0, x1, y1) px
#: from the top-left or bottom-left corner.
ZOOM_CONTROL = (0, 0, 48, 84)
SCALE_CONTROL = (0, 50, 110, 0)
#: Leaflet's margin around a corner control, and the attribution line's height (px).
CONTROL_MARGIN_PX = 10
ATTRIBUTION_PX = 18
#: The side list of numbers: where it stands (px from the top-left corner) and its padding.
KEY_ORIGIN = (50, 8)
KEY_PAD = (16, 8)
KEY_LINE_EM = 1.35
KEY_COLUMN_GAP_PX = 12
#: The side list wraps into columns to cover at most this share of the map's height.
KEY_MAX_SHARE = 0.92


class Label(NamedTuple):
    """One placed label: its text, its centre, whether it became a number, and where its leader line points.

    ``leader`` is the (lat, lon) inside the polygon that a number standing outside its polygon points to
    (None when the label stands inside).
    """

    text: str
    lat: float
    lon: float
    as_number: bool
    overlaps: bool = False
    leader: tuple[float, float] | None = None


def _world_px(lon, lat, zoom: float):
    """Web Mercator pixel coordinates at ``zoom`` (Leaflet's ``map.project``)."""
    scale = TILE_PX * 2.0 ** zoom
    lat = np.clip(np.asarray(lat, dtype=float), -85.05112878, 85.05112878)
    x = (np.asarray(lon, dtype=float) + 180.0) / 360.0 * scale
    rad = np.radians(lat)
    y = (1.0 - np.log(np.tan(np.pi / 4 + rad / 2)) / np.pi) / 2.0 * scale
    return x, y


@dataclass(frozen=True)
class MapView:
    """A Leaflet map of ``size`` px fitted to some bounds: its zoom and the world pixel at its centre."""

    zoom: float
    center: tuple[float, float]
    size: tuple[int, int]

    @classmethod
    def fitted(cls, bounds, size: tuple[int, int], snap: float = ZOOM_SNAP, max_zoom: float = MAX_ZOOM) -> MapView:
        """The view Leaflet's ``fitBounds(bounds)`` gives a map of ``size`` px (no padding).

        Parameters
        ----------
        bounds : (min_lon, min_lat, max_lon, max_lat)
        size : (width, height)
            The map's size on screen, in CSS px.
        snap : float
            Leaflet's ``zoomSnap``: the zoom is rounded down to a multiple of it.
        """
        minx, miny, maxx, maxy = (float(v) for v in bounds)
        (x0, x1), (y0, y1) = (_world_px([minx, maxx], [maxy, miny], 0.0))
        width, height = max(x1 - x0, 1e-12), max(y1 - y0, 1e-12)
        zoom = math.log2(min(size[0] / width, size[1] / height))
        if snap:
            zoom = round(zoom / (snap / 100)) * (snap / 100)    # Leaflet: no jump when within 1% of a level
            zoom = math.floor(zoom / snap) * snap
        zoom = min(zoom, max_zoom)
        scale = 2.0 ** zoom
        return cls(zoom, ((x0 + x1) / 2 * scale, (y0 + y1) / 2 * scale), (int(size[0]), int(size[1])))

    def pixels(self, lon, lat):
        """Screen pixels (from the map's top-left corner) of points."""
        x, y = _world_px(lon, lat, self.zoom)
        return x - self.center[0] + self.size[0] / 2, y - self.center[1] + self.size[1] / 2

    def lonlat(self, x, y):
        """The inverse of :meth:`pixels`."""
        scale = TILE_PX * 2.0 ** self.zoom
        wx = np.asarray(x, dtype=float) + self.center[0] - self.size[0] / 2
        wy = np.asarray(y, dtype=float) + self.center[1] - self.size[1] / 2
        lon = wx / scale * 360.0 - 180.0
        lat = np.degrees(np.arctan(np.sinh(np.pi * (1.0 - 2.0 * wy / scale))))
        return lon, lat

    def project(self, geometry):
        """A shapely geometry in screen pixels."""
        def transform(coords):
            x, y = self.pixels(coords[:, 0], coords[:, 1])
            return np.column_stack([x, y])
        return shapely.transform(geometry, transform)


@functools.lru_cache(maxsize=1)
def _font():
    """DejaVu Sans Bold, the label font (matplotlib ships it, so every machine measures the same)."""
    path = font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans", weight="bold"),
                                 fallback_to_default=False)
    return ft2font.FT2Font(path)


@functools.lru_cache(maxsize=4096)
def _advance_em(char: str) -> float:
    """A character's advance width in em of the label font."""
    face = _font()
    glyph = face.load_char(ord(char), flags=ft2font.LoadFlags.NO_SCALE)
    return glyph.horiAdvance / face.units_per_EM


def text_width_px(text: str, font_px: float) -> float:
    """Width (px) of ``text`` in the label font (:data:`LABEL_FONT`, measured on DejaVu Sans Bold, the widest
    of its fallbacks), with :data:`WIDTH_SLACK` to spare."""
    return sum(_advance_em(c) for c in text) * font_px * WIDTH_SLACK


def text_box(text: str, font_px: float) -> tuple[float, float]:
    """Width and height (px) of a name label."""
    return text_width_px(text, font_px), LINE_EM * font_px


def number_box(font_px: float) -> tuple[float, float]:
    """Width and height (px) of a number label."""
    return NUMBER_EM[0] * font_px, NUMBER_EM[1] * font_px


def key_font_px(font_px: int) -> int:
    """Font size of the side list of numbers: the labels' own (at least 12 px)."""
    return max(12, font_px)


@dataclass(frozen=True)
class KeyLayout:
    """The side list of numbers: its box (x0, y0, x1, y1 px) and how many rows a column holds."""

    box: tuple[float, float, float, float]
    rows: int


def key_layout(names: list[str], font_px: int, map_height: int) -> KeyLayout | None:
    """Where the side list stands for these numbered names (None when there are none).

    The list wraps into columns so that it covers at most :data:`KEY_MAX_SHARE` of the map's height.
    """
    if not names:
        return None
    size = key_font_px(font_px)
    line = KEY_LINE_EM * size
    rows = min(len(names), max(4, int((map_height * KEY_MAX_SHARE - KEY_PAD[1]) / line)))
    columns = math.ceil(len(names) / rows)
    longest = max(text_width_px(f"{i} {n}", size) for i, n in enumerate(names, start=1))
    width = columns * (longest + KEY_COLUMN_GAP_PX) + KEY_PAD[0]
    height = rows * line + KEY_PAD[1]
    return KeyLayout((KEY_ORIGIN[0], KEY_ORIGIN[1], KEY_ORIGIN[0] + width, KEY_ORIGIN[1] + height), rows)


def corner_box(map_px: tuple[int, int], width: float, height: float,
               position: str) -> tuple[float, float, float, float]:
    """Where a Leaflet control of ``width`` x ``height`` px stands on a map of ``map_px`` (x0, y0, x1, y1).

    The top-right and bottom-right corners are worked out (Leaflet's 10 px margin, the attribution line
    under a bottom-right control); any other position gives the whole right half.
    """
    w, h = map_px
    x0 = w - CONTROL_MARGIN_PX - width
    if position == "topright":
        return (x0, 0.0, float(w), CONTROL_MARGIN_PX + height)
    if position == "bottomright":
        return (x0, h - CONTROL_MARGIN_PX - ATTRIBUTION_PX - height, float(w), float(h))
    return (w / 2, 0.0, float(w), float(h))


def control_boxes(size: tuple[int, int], font_px: int = 12) -> list[tuple[float, float, float, float]]:
    """Leaflet's zoom buttons and scale bar as obstacles (the scale's two lines in text as large as the labels
    on the projector)."""
    width, height = size
    scale_height = max(SCALE_CONTROL[1], 2 * (font_px * 1.2 + 6) + 12)
    return [ZOOM_CONTROL, (SCALE_CONTROL[0], height - scale_height, SCALE_CONTROL[2], height)]


def _candidates(shape, anchor: tuple[float, float], step: float, size: tuple[int, int]) -> np.ndarray:
    """Points inside ``shape`` and the view, nearest ``anchor`` first (the anchor itself first)."""
    minx, miny, maxx, maxy = shape.bounds
    minx, miny = max(minx, 0.0), max(miny, 0.0)
    maxx, maxy = min(maxx, size[0]), min(maxy, size[1])
    points = [np.array([anchor])]
    if maxx > minx and maxy > miny:
        xs = np.arange(minx + step / 2, maxx, step)
        ys = np.arange(miny + step / 2, maxy, step)
        gx, gy = np.meshgrid(xs, ys)
        gx, gy = gx.ravel(), gy.ravel()
        inside = shapely.contains_xy(shape, gx, gy)
        grid = np.column_stack([gx[inside], gy[inside]])
        if len(grid):
            order = np.argsort(np.hypot(grid[:, 0] - anchor[0], grid[:, 1] - anchor[1]), kind="stable")
            points.append(grid[order[:MAX_CANDIDATES]])
    return np.vstack(points)


def _ring_candidates(shape, anchor: tuple[float, float], reach: float, step: float, rings: int) -> np.ndarray:
    """Points around ``shape`` (nearest rings first) where a label may stand with a leader line to ``anchor``."""
    found = []
    simple = shape.simplify(2.0)          # px: a ring needs no more detail, and buffering the full outline is slow
    for k in range(1, rings + 1):
        grown = simple.buffer(reach * k, quad_segs=4)
        outline = max(getattr(grown, "geoms", [grown]), key=lambda g: g.area).exterior
        n = max(8, int(outline.length / step))
        points = shapely.get_coordinates(shapely.line_interpolate_point(outline, np.linspace(0, 1, n, endpoint=False),
                                                                        normalized=True))
        order = np.argsort(np.hypot(points[:, 0] - anchor[0], points[:, 1] - anchor[1]), kind="stable")
        found.append(points[order])
    return np.vstack(found)


def _first_free(points: np.ndarray, half: tuple[float, float], placed: np.ndarray,
                size: tuple[int, int]) -> tuple[int, float]:
    """Index of the first point whose box is free, or (least-overlapping index, its overlap) when none is."""
    hw, hh = half
    x0, y0 = points[:, 0] - hw, points[:, 1] - hh
    x1, y1 = points[:, 0] + hw, points[:, 1] + hh
    inside = (x0 >= EDGE_PX) & (y0 >= EDGE_PX) & (x1 <= size[0] - EDGE_PX) & (y1 <= size[1] - EDGE_PX)
    if len(placed):
        ox = np.clip(np.minimum(x1[:, None], placed[None, :, 2]) - np.maximum(x0[:, None], placed[None, :, 0]), 0, None)
        oy = np.clip(np.minimum(y1[:, None], placed[None, :, 3]) - np.maximum(y0[:, None], placed[None, :, 1]), 0, None)
        overlap = (ox * oy).sum(axis=1)
    else:
        overlap = np.zeros(len(points))
    free = np.flatnonzero(inside & (overlap == 0))
    if len(free):
        return int(free[0]), 0.0
    cost = overlap + np.where(inside, 0.0, 1e9)
    best = int(np.argmin(cost))
    return best, float(max(cost[best], 1.0))


class _Candidates:
    """Each polygon's candidate points, computed once for all passes (the rings only when a label needs them)."""

    def __init__(self, shapes, anchors, font_px: int, size: tuple[int, int]):
        self.shapes, self.anchors, self.size = shapes, anchors, size
        self.step = max(3.0, font_px * 0.6)
        self.line = LINE_EM * font_px
        self._inside: dict[int, np.ndarray] = {}
        self._ring: dict[int, np.ndarray] = {}

    def inside(self, i: int) -> np.ndarray:
        if i not in self._inside:
            self._inside[i] = _candidates(self.shapes[i], self.anchors[i], self.step, self.size)
        return self._inside[i]

    def ring(self, i: int) -> np.ndarray:
        if i not in self._ring:
            self._ring[i] = _ring_candidates(self.shapes[i], self.anchors[i], self.line, self.step, CALLOUT_RINGS)
        return self._ring[i]


def _place_once(candidates: _Candidates, texts, order, font_px, size, obstacles, callouts: bool):
    """One pass: ``{index: (x, y, as_number, overlaps, outside)}`` for the labels placed.

    Each label tries, in turn: its name inside the polygon; its name beside it (a callout with a leader
    line); a number inside or beside it.  Without ``callouts`` (a phone) only the first.
    """
    placed = [tuple(o) for o in obstacles]
    result: dict[int, tuple[float, float, bool, bool, bool]] = {}
    for i in order:
        inside = candidates.inside(i)
        name, number = text_box(texts[i], font_px), number_box(font_px)
        tries = [(inside, name, False)]
        if callouts:
            both = np.vstack([inside, candidates.ring(i)])
            tries += [(both, name, False), (both, number, True)]
        for points, (w, h), as_number in tries:
            index, overlap = _first_free(points, (w / 2, h / 2), np.asarray(placed, dtype=float).reshape(-1, 4), size)
            if overlap == 0 or as_number:
                break
        else:
            continue                          # a small map: the name is in the tooltip
        x, y = points[index]
        placed.append((x - w / 2, y - h / 2, x + w / 2, y + h / 2))
        result[i] = (float(x), float(y), as_number, overlap > 0, index >= len(inside))
    return result


@dataclass(frozen=True)
class LabelPlan:
    """What :func:`plan_labels` decided."""

    labels: list[Label]
    key: KeyLayout | None


def plan_labels(layer: gpd.GeoDataFrame, column: str = "nama", font_px: int = 11,
                 map_px: tuple[int, int] = (700, 560), view_bounds=None,
                 obstacles: list[tuple[float, float, float, float]] | tuple = (),
                 numbers: bool = True) -> LabelPlan:
    """Decide where each polygon's label goes so that no two label boxes overlap.

    Parameters
    ----------
    layer : GeoDataFrame
        Polygons in EPSG:4326.
    column : str
        The label text.
    font_px : int
        Label font size.
    map_px : (width, height)
        The map's size on screen.
    view_bounds : (min_lon, min_lat, max_lon, max_lat), optional
        What the map is fitted to; default the layer's bounds.
    obstacles : list of (x0, y0, x1, y1)
        Screen boxes (px from the map's top-left corner) no label may cover, e.g. the legend.
        Leaflet's zoom buttons and scale bar are always added.
    numbers : bool
        Whether a name that does not fit becomes a number (next to its polygon with a leader line when
        there is no room inside); without, it gets no label (small screens: the tooltip names it).

    Returns
    -------
    LabelPlan
        The labels (in the layer's order, for the polygons inside the view that got one) and the side
        list's layout.
    """
    view = MapView.fitted(layer.total_bounds if view_bounds is None else view_bounds, map_px)
    texts = [str(v) for v in layer[column]]
    size = view.size
    shapes = [view.project(g) for g in layer.geometry]
    screen = shapely.box(0, 0, size[0], size[1])
    reps = [s.intersection(screen).representative_point() if s.intersects(screen) else None for s in shapes]
    shown = [i for i, p in enumerate(reps) if p is not None and not p.is_empty]
    anchors = {i: (reps[i].x, reps[i].y) for i in shown}
    areas = np.array([shapes[i].intersection(screen).area for i in shown])
    order = [shown[j] for j in np.argsort(-areas, kind="stable")]
    fixed = [*control_boxes(size, font_px), *obstacles]
    candidates = _Candidates(shapes, anchors, font_px, size)
    key: tuple[float, float, float, float] | None = None
    for _round in range(4):       # the side list is an obstacle too: redo until it fits in the room kept for it
        placed = _place_once(candidates, texts, order, font_px, size, fixed + ([key] if key else []), numbers)
        layout = key_layout([texts[i] for i in shown if i in placed and placed[i][2]], font_px, size[1])
        if layout is None or (key is not None and layout.box[2] <= key[2] and layout.box[3] <= key[3]):
            break
        key = layout.box if key is None else (key[0], key[1], max(key[2], layout.box[2]), max(key[3], layout.box[3]))
    labelled = [i for i in shown if i in placed]
    labels = []
    for i in labelled:
        x, y, as_number, overlaps, outside = placed[i]
        lon, lat = view.lonlat(x, y)
        leader = None
        if outside:
            a_lon, a_lat = view.lonlat(*anchors[i])
            leader = (float(a_lat), float(a_lon))
        labels.append(Label(texts[i], float(lat), float(lon), as_number, overlaps, leader))
    return LabelPlan(labels, layout)

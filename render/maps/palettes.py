"""Colour-blind-safe palettes for choropleth maps, and the "no data" style.

Colours come from libraries, never typed in by hand:

* ColorBrewer schemes (Cynthia Brewer, colorbrewer2.org) through
  :func:`branca.utilities.color_brewer`, which ships the published k-class
  colours (3 to 9 classes; more are interpolated);
* the viridis family through :mod:`matplotlib`'s colormaps.

Every palette here is marked colour-blind safe by its source.  Sequential
palettes are returned light to dark, so on every map **darker = more of the
thing shown** (more coverage on a coverage map, more uncovered workers on a
gap map); the metric decides which hue (see :data:`DIRECTION_PALETTE`).
Diverging palettes (for changes) run from the "decrease" hue through a
neutral middle to the "increase" hue; :func:`class_colors` centres them on 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import matplotlib
import numpy as np
from branca.utilities import color_brewer
from matplotlib.colors import to_hex

if TYPE_CHECKING:
    from analysis.metrics import Metric


@dataclass(frozen=True)
class PaletteInfo:
    """What a palette is and where its colours come from.

    Attributes
    ----------
    kind : str
        ``"sequential"`` or ``"diverging"``.
    source : str
        ``"colorbrewer"`` (branca) or ``"matplotlib"``.
    reverse : bool
        Whether the source order is flipped to run light to dark.
    """

    kind: str
    source: str
    reverse: bool = False


#: Palettes offered by the app (all colour-blind safe per their source).
PALETTES: dict[str, PaletteInfo] = {
    "YlGnBu": PaletteInfo("sequential", "colorbrewer"),
    "Blues": PaletteInfo("sequential", "colorbrewer"),
    "Greens": PaletteInfo("sequential", "colorbrewer"),
    "Purples": PaletteInfo("sequential", "colorbrewer"),
    "YlOrRd": PaletteInfo("sequential", "colorbrewer"),
    "OrRd": PaletteInfo("sequential", "colorbrewer"),
    # matplotlib's viridis family runs dark to light: flipped so darker = more.
    "viridis": PaletteInfo("sequential", "matplotlib", reverse=True),
    "cividis": PaletteInfo("sequential", "matplotlib", reverse=True),
    "magma": PaletteInfo("sequential", "matplotlib", reverse=True),
    "RdBu": PaletteInfo("diverging", "colorbrewer"),
    "PuOr": PaletteInfo("diverging", "colorbrewer"),
    "BrBG": PaletteInfo("diverging", "colorbrewer"),
}

#: Default palette per metric direction (see ``core.i18n.METRICS``):
#: ``higher_good`` (coverage) blue-green, ``higher_bad`` (uncovered, gap)
#: yellow-orange-red, ``neutral`` (a size) blues, ``diverging`` (change)
#: red = decrease, blue = increase.
DIRECTION_PALETTE: dict[str, str] = {
    "higher_good": "YlGnBu",
    "higher_bad": "YlOrRd",
    "neutral": "Blues",
    "diverging": "RdBu",
}

#: Fill of "no data" regions where no hatch pattern can be used (PNG exports).
NO_DATA_FILL = "#d4d4d4"
#: Outline of "no data" regions: darker grey, dashed.
NO_DATA_OUTLINE = "#6b6b6b"
NO_DATA_DASH = "4 3"
#: Id of the SVG hatch pattern :mod:`render.maps.choropleth` puts in the page.
NO_DATA_PATTERN_ID = "peta-nodata-hatch"
#: Hatch stroke colour.
NO_DATA_HATCH = "#8c8c8c"

#: Leaflet path style of a "no data" region: grey hatch (plain grey when the
#: SVG pattern is missing: SVG paint fallback) with a dashed outline, unlike
#: any class colour, the lightest included.
NO_DATA_STYLE: dict[str, object] = {
    "fillColor": f"url(#{NO_DATA_PATTERN_ID}) {NO_DATA_FILL}",
    "fillOpacity": 0.9,
    "color": NO_DATA_OUTLINE,
    "weight": 0.8,
    "dashArray": NO_DATA_DASH,
}

#: CSS background of a "no data" legend swatch: the same hatch, drawn by CSS.
NO_DATA_CSS = (
    f"background:{NO_DATA_FILL} repeating-linear-gradient(45deg,{NO_DATA_HATCH} 0 1.5px,"
    f"transparent 1.5px 5px);border:1.5px dashed {NO_DATA_OUTLINE}"
)


def _info(name: str) -> PaletteInfo:
    if name not in PALETTES:
        raise ValueError(f"Unknown palette {name!r}; choose one of {sorted(PALETTES)}.")
    return PALETTES[name]


def palette(name: str, k: int, reverse: bool = False) -> list[str]:
    """Return ``k`` colours of a palette as ``#rrggbb`` strings.

    Parameters
    ----------
    name : str
        A key of :data:`PALETTES`.
    k : int
        Number of classes (>= 1).  ColorBrewer palettes give their published
        k-class colours for 3 <= k <= 9; for 1 or 2 classes the ends of the
        3-class scheme (or its middle for one class) are used.
    reverse : bool
        Dark to light (or flip a diverging palette's ends).

    Returns
    -------
    list of str
        Sequential palettes light to dark: higher class, darker colour.

    Raises
    ------
    ValueError
        For an unknown palette or ``k < 1``.
    """
    info = _info(name)
    if k < 1:
        raise ValueError(f"A palette needs k >= 1 colours, got {k}.")
    if info.source == "colorbrewer":
        if k >= 3:
            colors = list(color_brewer(name, k))
        else:
            three = list(color_brewer(name, 3))
            colors = [three[1]] if k == 1 else [three[0], three[2]]
    else:
        cmap = matplotlib.colormaps[name]
        points = [0.5] if k == 1 else np.linspace(0.0, 1.0, k)
        colors = [to_hex(cmap(float(p))) for p in points]
    colors = [c.lower() for c in colors]
    if info.reverse != reverse:
        colors.reverse()
    return colors


def is_diverging(name: str) -> bool:
    """Tell whether a palette is diverging."""
    return _info(name).kind == "diverging"


def class_colors(name: str, lower: object, upper: object, center: float = 0.0,
                 reverse: bool = False) -> list[str]:
    """Return one colour per class, centring a diverging palette on ``center``.

    A sequential palette simply gets ``palette(name, k)``.  A diverging one
    colours classes wholly below ``center`` with its "decrease" half, classes
    wholly above with its "increase" half and a class spanning ``center``
    with the neutral middle, so a decline is never drawn in the increase hue
    however lopsided the classes are.

    Parameters
    ----------
    name : str
        A key of :data:`PALETTES`.
    lower, upper : array-like of float
        Class bounds (``Classification.lower`` and ``.bins``).
    center : float
        The neutral value (0 for a change).
    reverse : bool
        See :func:`palette`.

    Returns
    -------
    list of str
        ``len(upper)`` colours.
    """
    lower = np.asarray(lower, dtype=float)
    upper = np.asarray(upper, dtype=float)
    k = len(upper)
    if k == 0:
        return []
    if not is_diverging(name):
        return palette(name, k, reverse)
    at_center = (lower == center) & (upper == center)
    below = (upper <= center) & ~at_center
    above = (lower >= center) & ~at_center
    n_below, n_above = int(below.sum()), int(above.sum())
    half = max(n_below, n_above, 1)
    full = palette(name, 2 * half + 1, reverse)
    # The darkest "decrease" colours go to the lowest classes, and so on outwards.
    below_colors = iter(full[half - n_below:half])
    above_colors = iter(full[half + 1:half + 1 + n_above])
    return [next(below_colors) if b else next(above_colors) if a else full[half]
            for b, a in zip(below, above)]


def metric_palette(metric: "Metric") -> str:
    """Default palette name of a metric, from its direction (:data:`DIRECTION_PALETTE`).

    Parameters
    ----------
    metric : analysis.metrics.Metric

    Returns
    -------
    str
        A key of :data:`PALETTES`.
    """
    return DIRECTION_PALETTE[metric.direction]

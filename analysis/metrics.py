"""The metric catalog: every metric the map, the exports and the tables show.

One :class:`Metric` per column of :mod:`analysis.coverage`: how to format it
(``kind``), which way is good (``direction``: the renderer picks the palette
from it) and how to classify it by default.  Nothing else lists metrics.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from analysis.classify import DEFAULT_BANDS, SCHEMES
from core.formatting import DEFAULT_LANG
from core.i18n import t


@dataclass(frozen=True)
class Metric:
    """How the app formats, colours and classifies one metric.

    Attributes
    ----------
    key : str
        Column name and i18n suffix (``metric.<key>``).
    kind : str
        ``"count"``, ``"rate"``, ``"rupiah"`` or ``"change"`` (see
        :func:`core.formatting.format_value`).
    direction : str
        ``"higher_good"`` (coverage: darker = better covered),
        ``"higher_bad"`` (uncovered, gap: darker = more need),
        ``"neutral"`` (workers: a size, neither good nor bad) or
        ``"diverging"`` (change: centred on 0).  Sequential palettes are
        always darker = more of the thing shown.
    default_scheme : str
        Classification scheme shown first (:data:`analysis.classify.SCHEMES`).
    bands : tuple of float or None
        Edges of the ``"target_bands"`` scheme (``classify(..., bands=...)``);
        None when fixed bands make no sense for the metric (counts, rupiah).
    """

    key: str
    kind: str
    direction: str
    default_scheme: str
    bands: tuple[float, ...] | None = None

    @property
    def schemes(self) -> tuple[str, ...]:
        """Schemes that make sense for the metric: fixed bands where it has ``bands``, else the level scale."""
        drop = "level_scale" if self.bands else "target_bands"
        return tuple(s for s in SCHEMES if s != drop)

    @property
    def label_key(self) -> str:
        """Catalog key of the metric's name."""
        return f"metric.{self.key}"

    @property
    def help_key(self) -> str:
        """Catalog key of the metric's one-line explanation."""
        return f"metric_help.{self.key}"

    def label(self, lang: str = DEFAULT_LANG) -> str:
        """Metric name in a language."""
        return t(f"metric.{self.key}", lang)


#: Band edges of a change in coverage: fall >= 5 pp, fall 1-5 pp, stable within
#: 1 pp, rise 1-5 pp, rise >= 5 pp.
CHANGE_BANDS: tuple[float, ...] = (-0.05, -0.01, 0.01, 0.05)
#: Named band sets a catalog entry may use.
BAND_SETS: dict[str, tuple[float, ...]] = {"target": DEFAULT_BANDS, "change": CHANGE_BANDS}
#: The catalog file (package data): one entry per metric, in menu order.
CATALOG_PATH = Path(__file__).with_name("metrics.json")


def load_metrics(path: Path = CATALOG_PATH) -> dict[str, Metric]:
    """Read the metric catalog.

    Parameters
    ----------
    path : pathlib.Path
        A JSON list of ``{"key", "kind", "direction", "default_scheme", "bands"}``
        (``bands`` names a :data:`BAND_SETS` entry, or is null).

    Returns
    -------
    dict
        ``key -> Metric`` in file order.
    """
    entries = json.loads(path.read_text(encoding="utf-8"))["metrics"]
    return {e["key"]: Metric(e["key"], e["kind"], e["direction"], e["default_scheme"],
                             BAND_SETS[e["bands"]] if e.get("bands") else None) for e in entries}


#: The metrics the app can map, in menu order.
METRICS: dict[str, Metric] = load_metrics()

"""The metric catalog: every metric the map, the exports and the tables show.

One :class:`Metric` per column of :mod:`analysis.coverage`: how to format it
(``kind``), which way is good (``direction``: the renderer picks the palette
from it) and how to classify it by default.  Nothing else lists metrics.
"""

from __future__ import annotations

from dataclasses import dataclass

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
        """Schemes that make sense for the metric (fixed bands only where it has ``bands``)."""
        return SCHEMES if self.bands else tuple(s for s in SCHEMES if s != "target_bands")

    def label(self, lang: str = DEFAULT_LANG) -> str:
        """Metric name in a language."""
        return t(f"metric.{self.key}", lang)


#: Band edges of a change in coverage: fall >= 5 pp, fall 1-5 pp, stable within
#: 1 pp, rise 1-5 pp, rise >= 5 pp.
CHANGE_BANDS: tuple[float, ...] = (-0.05, -0.01, 0.01, 0.05)

#: The metrics the app can map, in menu order.
METRICS: dict[str, Metric] = {
    m.key: m
    for m in (
        Metric("coverage_rate", "rate", "higher_good", "natural_breaks", DEFAULT_BANDS),
        Metric("uncovered", "count", "higher_bad", "quantiles"),
        Metric("gap_to_target", "count", "higher_bad", "quantiles"),
        Metric("workers", "count", "neutral", "quantiles"),
        Metric("covered", "count", "higher_good", "quantiles"),
        Metric("informal_rate", "rate", "higher_good", "natural_breaks", DEFAULT_BANDS),
        # Fixed bands around 0 keep "stable" neutral and never mix falls with rises in
        # one class (data-driven breaks can straddle 0 and get the neutral colour).
        Metric("change_rate", "change", "diverging", "target_bands", CHANGE_BANDS),
        Metric("formal_rate", "rate", "higher_good", "natural_breaks", DEFAULT_BANDS),
        Metric("informal_contribution_monthly", "rupiah", "higher_bad", "quantiles"),
        Metric("gap_contribution_monthly", "rupiah", "higher_bad", "quantiles"),
    )
}


"""The view an export draws: one immutable object handed to every exporter.

The map page and the CLI build one :class:`ExportView` from what the screen
(or the command line) shows; every export (HTML, PNG, PDF, briefing) reads
its fields, so a new option is one field here, not a keyword in five
signatures.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ExportView:
    """What a map export shows.

    Attributes
    ----------
    level : str
        ``"desa"`` or ``"kecamatan"``.
    metric : str
        A key of :data:`analysis.metrics.METRICS`.
    scheme : str or None
        Classification scheme (default the metric's).
    lang : str
        ``"id"`` or ``"en"``.
    dpi : int
        PNG resolution (150 or 300).
    size : str
        Page: ``"a4"`` landscape or ``"16:9"``.
    show_sites : bool
        High-risk site markers on the map.
    highlight : frozenset of str
        ``kode`` values outlined on the map.
    kec : str or None
        Drill-down: the desa of this kecamatan only.
    bands : tuple of float or None
        Edges of the target bands (default the metric's).
    k : int
        Classes of the data-driven schemes.
    """

    level: str = "desa"
    metric: str = "coverage_rate"
    scheme: str | None = None
    lang: str = "id"
    dpi: int = 150
    size: str = "a4"
    show_sites: bool = False
    highlight: frozenset[str] = field(default_factory=frozenset)
    kec: str | None = None
    bands: tuple[float, ...] | None = None
    k: int = 5

    def __post_init__(self) -> None:
        object.__setattr__(self, "highlight", frozenset(self.highlight or ()))
        if self.bands is not None:
            object.__setattr__(self, "bands", tuple(float(b) for b in self.bands))

    @classmethod
    def of(cls, highlight: Iterable[str] | None = None, bands: Sequence[float] | None = None,
           **fields: object) -> ExportView:
        """A view from keyword options (``None`` highlight and bands allowed)."""
        return cls(highlight=frozenset(highlight or ()), bands=None if bands is None else tuple(bands),
                   **fields)  # type: ignore[arg-type]

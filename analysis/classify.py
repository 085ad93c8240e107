"""Choropleth classification: one entry point, :func:`classify`.

Modelled on mapclassify (``mapclassify.classify(y, scheme, k)``), whose
classifiers do the data-driven schemes:

``"quantiles"``
    about the same number of regions per class (:class:`mapclassify.Quantiles`);
``"natural_breaks"``
    Fisher-Jenks optimal breaks, the same as :class:`mapclassify.FisherJenks`
    but computed by jenkspy's compiled implementation (0.09 s at 5,957
    values where mapclassify's pure-Python one takes 97 s); above
    :data:`FISHER_JENKS_EXACT_MAX` values, on that many evenly spaced order
    statistics of the values (see :func:`fisher_jenks_bins`);
``"equal_interval"``
    classes of equal width (:class:`mapclassify.EqualInterval`);
``"target_bands"``
    fixed bands, the same on every map: for rates ``< 30%``, ``30–50%``,
    ``50–70%``, ``>= 70%`` by default (``bands=[0.3, 0.5, 0.7]``); any other
    edges may be given (e.g. around 0 for a change);
``"level_scale"``
    a fixed scale for counts: band edges at the quantiles of ``reference``
    (every region of the level in the whole kabupaten), rounded to two
    significant figures, so a desa keeps its colour after a drill-down.

The first three are relative: a colour says how a region compares with the
others on the same map, not what its value is.

Results are cached per (scheme, k, bands, values, reference): a map
redrawn for the same figures does not classify them again.  Their arrays are
read-only.

Missing values (NaN, None, infinity) are "no data": class ``-1``, never in a
class, never counted in ``counts`` and never moving the breaks.

Fallbacks, so a map never fails to draw:

* no valid value at all: zero classes, every region ``-1``;
* all valid values equal: one class;
* fewer distinct values than ``k`` (data-driven schemes): one class per
  distinct value.

>>> c = classify([0.1, 0.2, float("nan"), 0.8], "target_bands")
>>> c.yb.tolist()
[0, 0, -1, 3]
"""

from __future__ import annotations

import threading
import warnings
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core.errors import PetaCakupanError

#: Scheme names :func:`classify` accepts, in the order the UI offers them.
SCHEMES: tuple[str, ...] = ("quantiles", "natural_breaks", "equal_interval", "target_bands", "level_scale")
#: Schemes whose classes depend on the values on the map (the legend says so).
RELATIVE_SCHEMES: frozenset[str] = frozenset({"quantiles", "natural_breaks", "equal_interval"})

#: Default band edges of ``"target_bands"`` (rates; the target is 70 %).
DEFAULT_BANDS: tuple[float, ...] = (0.3, 0.5, 0.7)

#: Scheme -> mapclassify class name (imported when a map is classified: mapclassify
#: pulls in scipy and scikit-learn, about 2 s, which ``--help`` and table exports skip).
_MAPCLASSIFY = {
    "quantiles": "Quantiles",
    "equal_interval": "EqualInterval",
}

#: Up to this many values natural breaks are exact (jenkspy: about 0.25 s at 10,000 on the 2-core
#: machine, growing with the square of the count); above it they are computed on this many evenly
#: spaced order statistics, which keeps every break within about one step of that grid.
FISHER_JENKS_EXACT_MAX = 10_000

#: Classifications kept by :func:`classify`'s cache (a few maps' worth of metrics and schemes).
CACHE_SIZE = 128

#: Separator of a range label ("5,0% – 30,0%"): an en dash with spaces.
RANGE_SEP = " – "


class ClassificationError(PetaCakupanError, ValueError):
    """A classification was asked for with an unknown scheme or invalid parameters."""


def as_values(values: object) -> np.ndarray:
    """Return values as a float array with every missing value as NaN.

    Parameters
    ----------
    values : array-like
        List, NumPy array or pandas Series; ``None``, ``pd.NA``, non-numeric
        entries and infinities become NaN.

    Returns
    -------
    numpy.ndarray
        1-D, float64.
    """
    try:
        numbers = np.array(values, dtype="float64")
    except (TypeError, ValueError):  # pd.NA, text
        objects = pd.Series(list(values), dtype="object")
        numbers = np.array(pd.to_numeric(objects, errors="coerce").to_numpy(dtype="float64", na_value=np.nan))
    if numbers.ndim != 1:
        raise ClassificationError("classify.not_one_dimensional", shape=numbers.shape)
    numbers[~np.isfinite(numbers)] = np.nan
    return numbers


@dataclass(frozen=True, eq=False)
class Classification:
    """Classes of a set of values, ready for a map and its legend.

    Attributes
    ----------
    scheme : str
        One of :data:`SCHEMES`.
    bins : numpy.ndarray
        Upper bound of each class (length ``k``).  For ``"target_bands"`` the
        last one is ``inf`` (the top band has no upper bound).
    lower : numpy.ndarray
        Lower bound of each class (length ``k``): the smallest value for the
        first class of a data-driven scheme, the previous upper bound after it.
    yb : numpy.ndarray
        Class of each input value (int), ``-1`` for no data.
    closed : str
        ``"right"``: a class holds ``lower < v <= upper`` (mapclassify's rule,
        the first class also holds its lower bound); ``"left"``: ``lower <= v <
        upper`` (target bands: 0.30 is in ``30–50%``).
    k_requested : int
        The ``k`` asked for (``k`` may be smaller, see ``fallback``).
    fallback : str or None
        ``None`` when the scheme ran as asked, else ``"no_data"``,
        ``"constant"`` or ``"unique_values"``.
    """

    scheme: str
    bins: np.ndarray
    lower: np.ndarray
    yb: np.ndarray
    closed: str = "right"
    k_requested: int = 5
    fallback: str | None = None
    _single: np.ndarray = field(default=None, repr=False)  # classes holding exactly one value

    @property
    def k(self) -> int:
        """Number of classes."""
        return int(len(self.bins))

    @property
    def counts(self) -> np.ndarray:
        """Number of values in each class (no-data values are not counted)."""
        return np.bincount(self.yb[self.yb >= 0], minlength=self.k)[: self.k]

    @property
    def n_missing(self) -> int:
        """Number of no-data values (class ``-1``)."""
        return int((self.yb < 0).sum())

    @property
    def has_missing(self) -> bool:
        """Whether any value has no data (a legend then needs a no-data row)."""
        return self.n_missing > 0

    def assign(self, values: object) -> np.ndarray:
        """Return the class of each value under these bins (``-1`` for no data).

        Values outside the classified range go to the first or last class,
        so bins computed on one period can be applied to another.

        Parameters
        ----------
        values : array-like

        Returns
        -------
        numpy.ndarray
            Integer classes.
        """
        y = as_values(values)
        out = np.full(len(y), -1, dtype=int)
        if self.k == 0:
            return out
        valid = ~np.isnan(y)
        if self.closed == "left":
            found = np.searchsorted(self.bins[:-1], y[valid], side="right")
        else:
            found = np.searchsorted(self.bins, y[valid], side="left")
        out[valid] = np.clip(found, 0, self.k - 1)
        return out

    def labels(self, fmt: Callable[[float], str] = lambda v: f"{v:g}") -> list[str]:
        """Return one legend label per class, formatted with ``fmt``.

        Parameters
        ----------
        fmt : callable
            ``value -> str``, e.g. ``core.formatting.formatter("rate", "id")``.

        Returns
        -------
        list of str
            ``"a – b"`` for a range; ``"a"`` for a class holding one value
            (or whose bounds format alike); ``"< 30%"`` and ``"≥ 70%"`` for
            the open ends of target bands.  Not HTML-escaped.
        """
        out = []
        for i in range(self.k):
            lower, upper = float(self.lower[i]), float(self.bins[i])
            if self.closed == "left" and i == 0 and np.isinf(lower):
                out.append(f"< {fmt(upper)}")
                continue
            if self.closed == "left" and np.isinf(upper):
                out.append(f"≥ {fmt(lower)}")
                continue
            low, high = fmt(lower), fmt(upper)
            single = self._single is not None and bool(self._single[i])
            out.append(low if single or low == high else f"{low}{RANGE_SEP}{high}")
        return out


def _check_k(k: int) -> int:
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ClassificationError("classify.bad_k", k=repr(k))
    return int(k)


def _check_bands(bands: Sequence[float] | None) -> np.ndarray:
    edges = np.asarray(DEFAULT_BANDS if bands is None else list(bands), dtype=float)
    if edges.ndim != 1 or len(edges) == 0 or not np.isfinite(edges).all():
        raise ClassificationError("classify.bands_empty", bands=repr(bands))
    if (np.diff(edges) <= 0).any():
        raise ClassificationError("classify.bands_not_increasing", bands=list(edges))
    return edges


def level_scale_edges(reference: object, k: int = 5) -> tuple[float, ...]:
    """Band edges of ``"level_scale"``: the inner quantiles of ``reference``, rounded to two significant figures.

    Empty when ``reference`` holds no value.

    >>> level_scale_edges([10, 120, 260, 540, 1300, 2600, 9000], k=4)
    (190.0, 540.0, 2000.0)
    """
    y = as_values(reference)
    y = y[~np.isnan(y)]
    if len(y) == 0:
        return ()
    quantiles = np.quantile(y, np.linspace(0, 1, k + 1)[1:-1])
    edges = []
    for q in quantiles:
        if q <= 0:
            continue
        digits = 1 - int(np.floor(np.log10(q)))
        rounded = float(round(q, digits))
        if not edges or rounded > edges[-1]:
            edges.append(rounded)
    return tuple(edges) or (float(max(y.max(), 1.0)),)


def fisher_jenks_bins(values: np.ndarray, k: int) -> np.ndarray:
    """Upper bounds of the ``k`` Fisher-Jenks (natural breaks) classes of ``values``.

    Parameters
    ----------
    values : numpy.ndarray
        Valid (finite) values with at least ``k`` distinct ones.
    k : int
        Number of classes.

    Returns
    -------
    numpy.ndarray
        ``k`` increasing upper bounds, the last one the largest value: the
        breaks of :class:`mapclassify.FisherJenks`.

    Notes
    -----
    Exact up to :data:`FISHER_JENKS_EXACT_MAX` values.  Above it the breaks
    are those of that many order statistics at evenly spaced ranks (the
    smallest and the largest value included), a deterministic sample: the
    same values always give the same classes.  The tolerance: the classes'
    within-class sum of squares (what natural breaks minimise) is at most
    0.5 % above the exact optimum and at most 2 % of the values fall in
    another class than the exact breaks put them.  Measured: 60,000 skewed
    values at the 10,000 limit, +0.004 % and 0.23 % of the values (0.25 s
    against 9.0 s exact); ``tests/test_classify.py`` checks the bound with a
    lowered limit.
    """
    import jenkspy  # deferred: only maps with natural breaks need it

    y = np.sort(np.asarray(values, dtype=float))
    if len(y) > FISHER_JENKS_EXACT_MAX:
        ranks = np.linspace(0, len(y) - 1, FISHER_JENKS_EXACT_MAX).round().astype(int)
        y = y[ranks]
    return np.asarray(jenkspy.jenks_breaks(y, n_classes=k)[1:], dtype=float)


def _data_driven(scheme: str, present: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Bins and classes of ``present`` (valid values) under a relative scheme."""
    if scheme == "natural_breaks":
        bins = fisher_jenks_bins(present, k)
        return bins, np.searchsorted(bins, present, side="left")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)   # "Setting k to ..." (Quantiles with ties)
        import mapclassify  # deferred: see _MAPCLASSIFY

        classifier = getattr(mapclassify, _MAPCLASSIFY[scheme])(present, k=k)
    return np.asarray(classifier.bins, dtype=float), np.asarray(classifier.yb, dtype=int)


def classify(values: object, scheme: str = "quantiles", k: int = 5,
             bands: Sequence[float] | None = None, reference: object | None = None) -> Classification:
    """Classify values for a choropleth map.

    Parameters
    ----------
    values : array-like
        One value per region (list, NumPy array, pandas Series).  NaN, None,
        ``pd.NA`` and infinities are "no data".
    scheme : str
        ``"quantiles"``, ``"natural_breaks"`` (Fisher-Jenks),
        ``"equal_interval"`` or ``"target_bands"``.
    k : int
        Number of classes of the data-driven schemes (ignored by
        ``"target_bands"``, which has ``len(bands) + 1`` classes).
    bands : sequence of float, optional
        Band edges of ``"target_bands"``, strictly increasing; default
        ``[0.3, 0.5, 0.7]``.  Ignored by the other schemes.
    reference : array-like, optional
        Values that set the ``"level_scale"`` edges (default ``values``).

    Returns
    -------
    Classification
        ``bins``, ``yb`` (``-1`` for no data), ``counts`` and ``labels(fmt)``.

    Raises
    ------
    ClassificationError
        For an unknown scheme, ``k < 1`` or invalid ``bands``.

    Notes
    -----
    Target bands always keep every band, even empty ones, so maps of
    different areas or periods share one legend.  The data-driven schemes
    fall back to one class per distinct value when there are fewer distinct
    values than ``k``, and to a single class when all values are equal.

    Examples
    --------
    >>> c = classify([1, 2, 3, 4, None], "equal_interval", k=3)
    >>> c.yb.tolist()
    [0, 0, 1, 2, -1]
    """
    if scheme not in SCHEMES:
        raise ClassificationError("classify.unknown_scheme", scheme=repr(scheme), schemes=SCHEMES)
    k = _check_k(k)
    y = as_values(values)
    edges = _check_bands(bands) if scheme == "target_bands" else None
    ref = None
    if scheme == "level_scale" and reference is not None:
        ref = as_values(reference)
    key = (scheme, k, None if edges is None else edges.tobytes(), y.tobytes(),
           None if ref is None else ref.tobytes())
    return _cached(key, y, edges, ref)


#: Classifications already computed, the most recently used last (see :func:`_cached`).
_CACHE: OrderedDict[tuple, Classification] = OrderedDict()
_CACHE_LOCK = threading.Lock()


def clear_cache() -> None:
    """Forget every cached classification (for tests and benchmarks that time the computation)."""
    with _CACHE_LOCK:
        _CACHE.clear()


def _cached(key: tuple, y: np.ndarray, edges: np.ndarray | None, ref: np.ndarray | None) -> Classification:
    """The classification of ``key`` from the cache, computed (and its arrays made read-only) when new."""
    with _CACHE_LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    result = _classify(key[0], key[1], y, edges, ref)
    for array in (result.bins, result.lower, result.yb, result._single):
        if array is not None:
            array.setflags(write=False)
    with _CACHE_LOCK:
        _CACHE[key] = result
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    return result


def _classify(scheme: str, k: int, y: np.ndarray, edges: np.ndarray | None,
              reference: np.ndarray | None) -> Classification:
    """:func:`classify` on checked arguments (``y`` as from :func:`as_values`)."""
    valid = ~np.isnan(y)
    yb = np.full(len(y), -1, dtype=int)

    if scheme == "level_scale":
        edges = np.asarray(level_scale_edges(y if reference is None else reference, k), dtype=float)
        if len(edges) == 0:
            empty = np.array([], dtype=float)
            return Classification(scheme, bins=empty, lower=empty, yb=yb, k_requested=k, fallback="no_data")
    if scheme in ("target_bands", "level_scale"):
        result = Classification(
            scheme, bins=np.append(edges, np.inf), lower=np.insert(edges, 0, -np.inf),
            yb=yb, closed="left", k_requested=len(edges) + 1,
        )
        yb[:] = result.assign(y)
        return result

    present = y[valid]
    unique = np.unique(present)
    empty = np.array([], dtype=float)
    if len(unique) == 0:
        return Classification(scheme, bins=empty, lower=empty, yb=yb, k_requested=k, fallback="no_data")
    if len(unique) == 1 or len(unique) < k:
        fallback = "constant" if len(unique) == 1 else "unique_values"
        yb[valid] = np.searchsorted(unique, present)
        return Classification(scheme, bins=unique, lower=unique.copy(), yb=yb, k_requested=k,
                              fallback=fallback, _single=np.ones(len(unique), dtype=bool))

    bins, classes = _data_driven(scheme, present, k)
    yb[valid] = classes
    lower = np.insert(bins[:-1], 0, present.min())
    return Classification(scheme, bins=bins, lower=lower, yb=yb, k_requested=k)

"""Coverage statistics per desa, kecamatan and kabupaten.

Input is the table of :func:`ingest.coverage.read_coverage` (``.table``): one
row per region and period with columns ``row, kode, level, period, workers,
covered, workers_formal, covered_formal, workers_informal, covered_informal``
(counts ``Int64``, ``<NA>`` when not given).  :func:`compute_coverage` joins it
onto the region's boundaries so that every desa and kecamatan appears, with
data or without.

Definitions (one row of ``res.desa``, ``res.kecamatan`` or ``res.kabupaten``):

``has_data``
    Both ``workers`` and ``covered`` are known for the period.  Regions
    without data keep ``<NA>`` counts and ``NaN`` rates, never zero.
``uncovered``
    ``workers - covered``.
``coverage_rate``
    ``covered / workers`` as a fraction (``NaN`` without data or with 0 workers).
``gap_to_target``
    Workers still to enrol to reach ``target``:
    ``max(0, ceil(target * workers - covered))``, computed exactly (a target
    of 0.7 with 100 workers needs 70, not 71).
``formal_rate``, ``informal_rate``
    ``covered_formal / workers_formal`` and ``covered_informal /
    workers_informal`` (PU and BPU).
``informal_uncovered``
    ``workers_informal - covered_informal``.
``informal_share``
    ``workers_informal / workers``.
``informal_contribution_monthly``
    Rupiah per month to enrol **all** uncovered informal workers in JKK + JKM:
    ``informal_uncovered * contribution_per_worker``.  This is the figure for
    "1 ASN 1 pekerja rentan" and budget talks, and the one the KPI header shows.
``gap_contribution_monthly``
    Rupiah per month if the gap to target were closed entirely by enrolling
    informal workers: ``gap_to_target * contribution_per_worker``.  Known
    whenever the gap is, even without a formal/informal split; it can exceed
    ``informal_contribution_monthly`` where the gap is larger than the
    uncovered informal workforce.
``previous_workers``, ``previous_covered``, ``previous_rate``
    The same figures in the period before ``res.period`` (``<NA>``/``NaN``
    when there is none or the region had no data then).
``change_rate``
    ``coverage_rate - previous_rate`` (a difference of fractions: +0.012 is
    +1.2 percentage points).

Roll-ups (kecamatan from desa, kabupaten from desa or kecamatan) sum the
counts of the members with data and recompute every rate and the gap from the
sums; rates are never averaged.  A formal or informal count is summed only
when every member with data gives it, otherwise it stays ``<NA>`` (a partial
sum would understate it).  ``previous_*`` sums the members that had data in
the previous period, so ``previous_rate`` is what the same roll-up shows when
that period is selected.  Because the gap is recomputed from the sums, a
kecamatan's gap can be smaller than the sum of its desa gaps (desa above
target do not offset those below) and differs from that sum by rounding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

import geopandas as gpd
import numpy as np
import pandas as pd

from core.errors import CoverageInputError, RegionError
from geo.boundaries import load_layer
from geo.region import region_title, resolve_region

#: Default coverage target (70% of workers).
DEFAULT_TARGET = 0.70
#: JKK + JKM contribution of one informal (BPU) worker, Rupiah per month.
CONTRIBUTION_PER_WORKER_MONTHLY = 16_800

#: Participants of the segments besides PU and BPU: construction projects (Jakon) and migrant workers (PMI).
#: Optional in the input table (absent: not known).
SEGMENT_COLUMNS = ("covered_jakon", "covered_pmi")
#: Count columns of the input table.
COUNT_COLUMNS = (
    "workers", "covered", "workers_formal", "covered_formal", "workers_informal", "covered_informal",
    *SEGMENT_COLUMNS,
)
#: Columns the input table must have.
INPUT_COLUMNS = ("row", "kode", "level", "period", *COUNT_COLUMNS[:6])
#: (workers, covered) pairs checked for ``0 <= covered <= workers``.
COUNT_PAIRS = (
    ("workers", "covered"), ("workers_formal", "covered_formal"), ("workers_informal", "covered_informal"),
)
#: Formal/informal counts: summed in roll-ups only when every member with data has them.
SPLIT_COLUMNS = COUNT_COLUMNS[2:]
#: Previous-period counts.
PREVIOUS_COLUMNS = ("previous_workers", "previous_covered")
#: Metric columns of every result row, in order.
METRIC_COLUMNS = (
    "has_data", "workers", "covered", "uncovered", "coverage_rate", "gap_to_target",
    "workers_formal", "covered_formal", "formal_rate",
    "workers_informal", "covered_informal", "informal_rate", "informal_uncovered", "informal_share",
    *SEGMENT_COLUMNS,
    "informal_contribution_monthly", "gap_contribution_monthly",
    "previous_workers", "previous_covered", "previous_rate", "change_rate",
)
#: Identifying columns of ``res.desa`` and ``res.kecamatan``.
DESA_COLUMNS = ("kode", "nama", "kode_kec", "kecamatan", "jenis")
KECAMATAN_COLUMNS = ("kode", "nama", "n_desa_with_data", "n_desa", "partial")
LEVELS = ("desa", "kecamatan")

_PERIOD_PATTERN = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_MAX_ROWS_LISTED = 10


@dataclass(frozen=True)
class CoverageResult:
    """Coverage of one period for every desa, kecamatan and the kabupaten.

    Attributes
    ----------
    desa : pandas.DataFrame
        One row per desa/kelurahan of the region (all of them, in code
        order): :data:`DESA_COLUMNS` then :data:`METRIC_COLUMNS`.  With
        kecamatan-level input, ``has_data`` is False everywhere.
    kecamatan : pandas.DataFrame
        One row per kecamatan: :data:`KECAMATAN_COLUMNS` then
        :data:`METRIC_COLUMNS`; ``partial`` is True for a kecamatan whose
        figures come from some of its desa only (desa-level input).
    kabupaten : dict
        ``kode``, ``nama``, ``n_desa_with_data``, ``n_desa``,
        ``n_kecamatan_with_data``, ``n_kecamatan``, ``n_kecamatan_partial``,
        ``partial`` (the data reports some desa only) and the metrics; counts as
        ``int`` or ``None``, rates as ``float`` (NaN when undefined).
    level : str
        ``"desa"`` or ``"kecamatan"``: the level of the input rows.
    period : str or None
        The period shown (``"YYYY-MM"``), None when the input has no periods.
    periods : list of str
        Every period in the input, oldest first.
    previous_period : str or None
        The period before ``period`` (the base of ``change_rate``).
    target : float
    contribution_per_worker : int
        Rupiah per informal worker per month.
    region : str
    """

    desa: pd.DataFrame
    kecamatan: pd.DataFrame
    kabupaten: dict[str, object]
    level: str
    period: str | None
    periods: list[str]
    previous_period: str | None
    target: float
    contribution_per_worker: int
    region: str


def _listed(values: pd.Series) -> str:
    shown = [str(v) for v in values.head(_MAX_ROWS_LISTED)]
    more = f" and {len(values) - len(shown)} more" if len(values) > len(shown) else ""
    return ", ".join(shown) + more


def _check_parameters(target: float, contribution_per_worker: int) -> tuple[float, int]:
    if not 0 < float(target) <= 1:
        raise CoverageInputError(
            "coverage.bad_target", target=repr(target)
        )
    if int(contribution_per_worker) != contribution_per_worker or contribution_per_worker < 0:
        raise CoverageInputError(
            "coverage.bad_contribution",
            default=CONTRIBUTION_PER_WORKER_MONTHLY,
            value=repr(contribution_per_worker),
        )
    return float(target), int(contribution_per_worker)


def _input_level(table: pd.DataFrame) -> str:
    """Check the input table's structure and counts; return its level."""
    missing = [c for c in INPUT_COLUMNS if c not in table.columns]
    if missing:
        raise CoverageInputError(
            "coverage.columns_missing", missing=missing, columns=list(table.columns)
        )
    levels = sorted(table["level"].dropna().unique())
    if len(levels) > 1 or not set(levels) <= set(LEVELS):
        raise CoverageInputError(
            "coverage.mixed_levels", levels=levels
        )
    for workers, covered in COUNT_PAIRS:
        for column in (workers, covered):
            negative = table[column].fillna(0) < 0
            if negative.any():
                raise CoverageInputError(
                    "coverage.negative_counts", column=repr(column), rows=_listed(table.loc[negative, 'row'])
                )
        above = (table[covered] > table[workers]).fillna(False)
        if above.any():
            raise CoverageInputError(
                "coverage.covered_exceeds_workers",
                covered=repr(covered),
                workers=repr(workers),
                rows=_listed(table.loc[above, "row"]),
            )
    partial = table["workers"].isna() != table["covered"].isna()
    if partial.any():
        raise CoverageInputError(
            "coverage.half_figures", rows=_listed(table.loc[partial, 'row'])
        )
    return levels[0] if levels else "desa"


def _periods(table: pd.DataFrame, period: str | None) -> tuple[str | None, list[str], str | None]:
    """Return (selected period, all periods, previous period)."""
    given = table["period"].notna()
    if given.any() and not given.all():
        raise CoverageInputError(
            "coverage.periods_partly_missing", rows=_listed(table.loc[~given, 'row'])
        )
    bad = given & ~table["period"].astype("str").str.match(_PERIOD_PATTERN)
    if bad.any():
        raise CoverageInputError(
            "coverage.bad_periods",
            rows=_listed(table.loc[bad, "row"]),
            periods=_listed(table.loc[bad, "period"].drop_duplicates()),
        )
    periods = sorted(table.loc[given, "period"].unique())
    if not periods:
        if period is not None:
            raise CoverageInputError("coverage.no_periods", period=repr(period))
        return None, [], None
    selected = periods[-1] if period is None else period
    if selected not in periods:
        raise CoverageInputError("coverage.period_not_in_table", period=repr(period), periods=periods)
    position = periods.index(selected)
    return selected, periods, periods[position - 1] if position else None


def _check_codes(rows: pd.DataFrame, known: pd.Series, level: str, region: str) -> None:
    unknown = ~rows["kode"].isin(known)
    if unknown.any():
        raise CoverageInputError(
            "coverage.codes_not_in_region",
            codes=_listed(rows.loc[unknown, "kode"].drop_duplicates()),
            rows=_listed(rows.loc[unknown, "row"]),
            level=level,
            region=region,
        )
    duplicated = rows.duplicated(["kode", "period"], keep=False)
    if duplicated.any():
        raise CoverageInputError(
            "coverage.codes_repeated",
            codes=_listed(rows.loc[duplicated, "kode"].drop_duplicates()),
            rows=_listed(rows.loc[duplicated, "row"]),
        )


def _attach(base: pd.DataFrame, current: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """Join the counts of the current and previous period onto every region of ``base``."""
    counts = current.set_index("kode")[list(COUNT_COLUMNS)].astype("Int64")
    before = previous.set_index("kode")[["workers", "covered"]].astype("Int64")
    before.columns = list(PREVIOUS_COLUMNS)
    out = base.join(counts, on="kode").join(before, on="kode")
    out["has_data"] = out["workers"].notna() & out["covered"].notna()
    return out


def _roll_up(members: pd.DataFrame, key: pd.Series) -> pd.DataFrame:
    """Sum member counts per key (see the module notes); index = key values."""
    with_data = members["has_data"]
    groups = members.groupby(key, sort=True)
    out = pd.DataFrame({"n_with_data": groups["has_data"].sum().astype("int64"), "n": groups.size()})
    for column in ("workers", "covered", *PREVIOUS_COLUMNS):
        out[column] = groups[column].sum(min_count=1)
    for column in SPLIT_COLUMNS:
        complete = (members[column].notna() | ~with_data).groupby(key, sort=True).all()
        out[column] = groups[column].sum(min_count=1).where(complete, pd.NA)
    out["has_data"] = out["n_with_data"] > 0
    return out


def _rate(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    num = numerator.to_numpy(dtype="float64", na_value=np.nan)
    den = denominator.to_numpy(dtype="float64", na_value=np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        return pd.Series(np.where(den > 0, num / den, np.nan), index=numerator.index)


def _gap(workers: pd.Series, covered: pd.Series, target: float) -> pd.Series:
    """``max(0, ceil(target * workers - covered))`` in exact integer arithmetic."""
    ratio = Fraction(target).limit_denominator(1_000_000)
    shortfall = ratio.numerator * workers - ratio.denominator * covered  # in 1/denominator workers
    return (-((-shortfall) // ratio.denominator)).clip(lower=0)


def _derive(frame: pd.DataFrame, target: float, contribution: int) -> pd.DataFrame:
    """Add every derived metric to a frame of counts and return it in metric order."""
    out = frame.copy()
    out["uncovered"] = out["workers"] - out["covered"]
    out["coverage_rate"] = _rate(out["covered"], out["workers"])
    out["gap_to_target"] = _gap(out["workers"], out["covered"], target)
    out["formal_rate"] = _rate(out["covered_formal"], out["workers_formal"])
    out["informal_rate"] = _rate(out["covered_informal"], out["workers_informal"])
    out["informal_uncovered"] = out["workers_informal"] - out["covered_informal"]
    out["informal_share"] = _rate(out["workers_informal"], out["workers"])
    out["informal_contribution_monthly"] = out["informal_uncovered"] * contribution
    out["gap_contribution_monthly"] = out["gap_to_target"] * contribution
    out["previous_rate"] = _rate(out["previous_covered"], out["previous_workers"])
    out["change_rate"] = out["coverage_rate"] - out["previous_rate"]
    return out


def _as_native(value: object) -> object:
    if value is pd.NA or value is None:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    return float(value)


def compute_coverage(
    table: pd.DataFrame,
    *,
    target: float = DEFAULT_TARGET,
    contribution_per_worker: int = CONTRIBUTION_PER_WORKER_MONTHLY,
    period: str | None = None,
    region: str | None = None,
) -> CoverageResult:
    """Compute coverage per desa, kecamatan and kabupaten for one period.

    Parameters
    ----------
    table : pandas.DataFrame
        Coverage rows, all at one level (see the module notes for columns).
    target : float
        Coverage target as a fraction, in (0, 1] (default 0.70).
    contribution_per_worker : int
        JKK + JKM contribution of one informal worker, Rupiah per month
        (default 16,800).
    period : str, optional
        ``"YYYY-MM"`` to show; default the latest in the table.
    region : str, optional
        Kabupaten/kota (or province) code whose boundaries list the regions; default the region in use
        (:func:`geo.region.region_in_use`, Garut unless ``PETA_REGION`` is set).

    Returns
    -------
    CoverageResult

    Raises
    ------
    CoverageInputError
        If columns are missing, levels are mixed, codes are unknown or
        repeated within a period, counts are negative or covered exceeds
        workers, periods are partly missing or malformed, the period asked
        for is absent, or the target / contribution is out of range.
    """
    target, contribution_per_worker = _check_parameters(target, contribution_per_worker)
    level = _input_level(table)
    # the Jakon and PMI participants are optional: a table without them does not know them
    table = table.assign(**{c: pd.array([pd.NA] * len(table), dtype="Int64") for c in SEGMENT_COLUMNS
                            if c not in table.columns})
    for column in SEGMENT_COLUMNS:
        negative = table[column].fillna(0) < 0
        if negative.any():
            raise CoverageInputError("coverage.negative_counts", column=repr(column),
                                     rows=_listed(table.loc[negative, "row"]))
    selected, periods, previous_period = _periods(table, period)

    region = resolve_region(region)
    desa_layer = load_layer("desa", region).sort_values("kode")
    kecamatan_layer = load_layer("kecamatan", region).sort_values("kode")
    desa_base = pd.DataFrame(desa_layer[list(DESA_COLUMNS)]).reset_index(drop=True)
    kecamatan_base = pd.DataFrame(kecamatan_layer[["kode", "nama"]]).reset_index(drop=True)
    known = (desa_base if level == "desa" else kecamatan_base)["kode"]
    _check_codes(table, known, level, region)

    current = table if selected is None else table[table["period"] == selected]
    previous = table.iloc[0:0] if previous_period is None else table[table["period"] == previous_period]
    no_rows = table.iloc[0:0]

    if level == "desa":
        desa = _attach(desa_base, current, previous)
        kecamatan = kecamatan_base.join(_roll_up(desa, desa["kode_kec"]), on="kode")
        kecamatan = kecamatan.rename(columns={"n_with_data": "n_desa_with_data", "n": "n_desa"})
        kabupaten = _roll_up(desa, pd.Series(region, index=desa.index))
        kabupaten = kabupaten.rename(columns={"n_with_data": "n_desa_with_data", "n": "n_desa"})
    else:
        desa = _attach(desa_base, no_rows, no_rows)
        kecamatan = _attach(kecamatan_base, current, previous)
        kecamatan["n_desa_with_data"] = 0
        kecamatan["n_desa"] = kecamatan["kode"].map(desa["kode_kec"].value_counts()).astype("int64")
        kabupaten = _roll_up(kecamatan, pd.Series(region, index=kecamatan.index)).drop(
            columns=["n_with_data", "n"])
        kabupaten["n_desa_with_data"] = 0
        kabupaten["n_desa"] = len(desa)

    # A kecamatan (or the kabupaten) built from some of its desa only: its figures cover those desa.
    kecamatan["partial"] = (level == "desa") & kecamatan["has_data"] & (
        kecamatan["n_desa_with_data"] < kecamatan["n_desa"])
    desa = _derive(desa, target, contribution_per_worker)[[*DESA_COLUMNS, *METRIC_COLUMNS]]
    kecamatan = _derive(kecamatan, target, contribution_per_worker)[[*KECAMATAN_COLUMNS, *METRIC_COLUMNS]]
    totals = _derive(kabupaten, target, contribution_per_worker).iloc[0]
    kabupaten_row = {
        "kode": region,
        "nama": region_title(region, desa_layer["kabupaten"]),
        "n_desa_with_data": int(totals["n_desa_with_data"]),
        "n_desa": int(totals["n_desa"]),
        "n_kecamatan_with_data": int(kecamatan["has_data"].sum()),
        "n_kecamatan_partial": int(kecamatan["partial"].sum()),
        "partial": bool(level == "desa" and 0 < int(totals["n_desa_with_data"]) < int(totals["n_desa"])),
        "n_kecamatan": len(kecamatan),
        **{column: _as_native(totals[column]) for column in METRIC_COLUMNS},
    }
    return CoverageResult(
        desa=desa.reset_index(drop=True),
        kecamatan=kecamatan.reset_index(drop=True),
        kabupaten=kabupaten_row,
        level=level,
        period=selected,
        periods=periods,
        previous_period=previous_period,
        target=target,
        contribution_per_worker=contribution_per_worker,
        region=region,
    )


def kabupaten_kpis(res: CoverageResult) -> dict[str, object]:
    """Return the figures of the KPI header.

    Parameters
    ----------
    res : CoverageResult

    Returns
    -------
    dict
        ``workers``, ``covered``, ``uncovered``, ``coverage_rate``, ``target``,
        ``gap_to_target``, ``informal_contribution_monthly`` (all uncovered
        informal workers), ``gap_contribution_monthly`` (the gap filled by
        informal workers), ``contribution_per_worker``, ``previous_rate``,
        ``change_rate``, ``period``, ``previous_period``, ``n_desa_with_data``,
        ``n_desa`` and ``partial`` (the figures are those of the reported desa,
        not the whole kabupaten), the participants per segment ``covered_formal``
        (PU), ``covered_informal`` (BPU), ``covered_jakon`` and ``covered_pmi``
        (None where the data does not give them); counts are ``int`` or ``None``, rates ``float``.
    """
    keys = ("workers", "covered", "uncovered", "coverage_rate", "gap_to_target",
            "informal_contribution_monthly", "gap_contribution_monthly", "previous_rate", "change_rate",
            "n_desa_with_data", "n_desa", "partial", "covered_formal", "covered_informal", *SEGMENT_COLUMNS)
    return {
        **{key: res.kabupaten[key] for key in keys},
        "target": res.target,
        "contribution_per_worker": res.contribution_per_worker,
        "period": res.period,
        "previous_period": res.previous_period,
    }


def top_gaps(frame: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """Return the ``n`` regions with the largest gap to target.

    Parameters
    ----------
    frame : pandas.DataFrame
        ``res.desa`` or ``res.kecamatan``.
    n : int

    Returns
    -------
    pandas.DataFrame
        Rows with data and a positive gap, largest gap first, ties by
        ``kode``; index reset.
    """
    ranked = frame[frame["gap_to_target"].fillna(0) > 0]
    ranked = ranked.sort_values(["gap_to_target", "kode"], ascending=[False, True], kind="stable")
    return ranked.head(n).reset_index(drop=True)


def join_geometry(frame: pd.DataFrame, layer: str, region: str | None = None) -> gpd.GeoDataFrame:
    """Attach boundary geometry to a coverage frame, for maps.

    Parameters
    ----------
    frame : pandas.DataFrame
        ``res.desa`` or ``res.kecamatan`` (any frame with ``kode``).
    layer : str
        Boundary layer of the same level, e.g. ``"desa_web"`` or
        ``"kecamatan_web"`` (see :func:`geo.boundaries.load_layer`).
    region : str

    Returns
    -------
    geopandas.GeoDataFrame
        One row per polygon of the layer, in layer order, with the frame's
        columns and ``geometry`` (EPSG:4326); polygons without a frame row
        get ``<NA>``.

    Raises
    ------
    RegionError
        If the frame has codes the layer does not (e.g. a desa frame on a
        kecamatan layer).
    """
    region = resolve_region(region)
    shapes = load_layer(layer, region)[["kode", "geometry"]]
    unknown = frame.loc[~frame["kode"].isin(shapes["kode"]), "kode"]
    if len(unknown):
        raise RegionError(
            "coverage.codes_not_in_layer", codes=_listed(unknown), layer=repr(layer), region=region
        )
    merged = shapes.merge(frame, on="kode", how="left", validate="one_to_one")
    return merged[[*frame.columns, "geometry"]]

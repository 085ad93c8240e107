"""Projected coverage: the coverage snapshot plus workers enrolled on field visits since.

The coverage file is a snapshot (period ``YYYY-MM``, taken at the end of that
month).  Outreach teams record in the visit log (:mod:`analysis.visits`) how
many workers they enrolled in JKK/JKM on each visit.  Until the next coverage
file arrives, the map can show what those enrolments mean.

Assumption (stated wherever the figures are shown): **every worker enrolled on
a visit since the snapshot is one more covered worker of that desa who was not
covered before**, so

``projected_covered = covered + min(enrolled, workers - covered)``

The cap keeps a desa at or below 100 %: enrolments beyond the desa's
uncovered workers (a worker who lives elsewhere, a double count, a newer
worker count than the snapshot's) are reported as ``not_added``, never spread
to other desa.  Enrolments in a desa without coverage data cannot be added
(there is no worker count to add them to) and are reported as ``not_added``
too.  When the coverage file is at kecamatan level, enrolments are summed per
kecamatan and capped by the kecamatan's uncovered workers.

The kabupaten figures sum the kecamatan figures, so they match the desa
figures when the data is at desa level.

>>> from analysis.projection import projected_coverage
>>> projection = projected_coverage(result, {"32.05.01.1001": 12})   # doctest: +SKIP
>>> projection.kabupaten["projected_rate"]                           # doctest: +SKIP
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # imported for type hints only
    from analysis.coverage import CoverageResult
    from analysis.visits import VisitLog

#: Columns of :attr:`Projection.desa` and :attr:`Projection.kecamatan`, in order.
PROJECTION_COLUMNS = (
    "kode", "nama", "has_data", "workers", "covered", "coverage_rate", "gap_to_target",
    "enrolled", "visits", "added", "not_added",
    "projected_covered", "projected_rate", "projected_gap", "change_rate",
)


@dataclass
class Projection:
    """Coverage of the snapshot with the visit enrolments since added.

    Attributes
    ----------
    desa : DataFrame
        One row per desa of the result (same order): ``kode, nama, kode_kec,
        kecamatan`` then :data:`PROJECTION_COLUMNS` (without ``kode``/``nama``
        repeated).  ``enrolled``/``visits`` are what the log holds,
        ``added`` what was added to ``covered`` (capped), ``not_added`` the
        rest; ``change_rate = projected_rate - coverage_rate``.  With
        kecamatan-level data the desa have no counts and ``added`` is 0.
    kecamatan : DataFrame
        :data:`PROJECTION_COLUMNS`, one row per kecamatan.
    kabupaten : dict
        ``workers, covered, coverage_rate, gap_to_target, enrolled, visits,
        added, not_added, projected_covered, projected_rate, projected_gap,
        change_rate, n_desa_visited, since``.
    since : datetime.date or None
        First day whose visits count (None: every visit counts).
    level : str
        ``"desa"`` or ``"kecamatan"``: where the cap was applied.
    """

    desa: pd.DataFrame
    kecamatan: pd.DataFrame
    kabupaten: dict[str, object]
    since: dt.date | None
    level: str

    @property
    def visited(self) -> frozenset[str]:
        """Codes of the desa with at least one visit counted (for the map's visited layer)."""
        return frozenset(self.desa.loc[self.desa["visits"] > 0, "kode"])


def snapshot_start(period: str | None) -> dt.date | None:
    """First day after a coverage period: ``"2024-12"`` -> ``2025-01-01``.

    Parameters
    ----------
    period : str or None
        ``YYYY-MM`` (a month-end snapshot), or None when the file has no period.

    Returns
    -------
    datetime.date or None
        None when ``period`` is None (then every logged visit counts).

    Raises
    ------
    ValueError
        If ``period`` is not ``YYYY-MM``.
    """
    if period is None:
        return None
    try:
        year, month = (int(part) for part in str(period).split("-"))
        last = calendar.monthrange(year, month)[1]
        return dt.date(year, month, last) + dt.timedelta(days=1)
    except (ValueError, TypeError):
        raise ValueError(f"Coverage period {period!r} is not YYYY-MM (e.g. 2024-12).") from None


def _enrolment_table(enrolments: Mapping[str, int] | pd.DataFrame, known: pd.Series) -> pd.DataFrame:
    """``kode -> enrolled, visits`` from a mapping or a ``kode, enrolled[, visits]`` frame."""
    if isinstance(enrolments, pd.DataFrame):
        missing = [c for c in ("kode", "enrolled") if c not in enrolments.columns]
        if missing:
            raise ValueError(f"The enrolment table lacks column(s) {missing}; pass "
                             "VisitLog.enrolments_since(...) or a kode -> enrolled mapping.")
        table = enrolments[["kode", "enrolled"]].copy()
        table["visits"] = enrolments["visits"] if "visits" in enrolments.columns else 1
    else:
        table = pd.DataFrame({"kode": list(enrolments), "enrolled": list(enrolments.values())})
        table["visits"] = 1
    table["kode"] = table["kode"].astype(str)
    enrolled = pd.to_numeric(table["enrolled"], errors="coerce")
    bad = table.loc[enrolled.isna() | (enrolled < 0) | (enrolled % 1 != 0), "kode"]
    if len(bad):
        raise ValueError(f"Enrolments of {sorted(bad)[:5]} are not whole numbers >= 0; fix the visit log.")
    unknown = sorted(set(table["kode"]) - set(known))
    if unknown:
        raise ValueError(
            f"Desa code(s) {unknown[:5]} with enrolments are not in the coverage result; "
            "use Kemendagri desa codes like 32.05.01.1001."
        )
    table["enrolled"] = enrolled.astype("int64")
    return table.groupby("kode")[["enrolled", "visits"]].sum().astype("int64")


def _floats(series: pd.Series) -> np.ndarray:
    return pd.to_numeric(series, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def _project(frame: pd.DataFrame, enrolled: np.ndarray, visits: np.ndarray, cap: bool) -> pd.DataFrame:
    """Add the projection columns to a coverage frame, given its enrolments."""
    workers = _floats(frame["workers"])
    covered = _floats(frame["covered"])
    has_data = frame["has_data"].fillna(False).to_numpy(dtype=bool) & ~np.isnan(workers)
    room = np.where(has_data, np.nan_to_num(workers - covered, nan=0.0).clip(min=0), 0.0)
    added = np.minimum(enrolled, room) if cap else np.zeros(len(frame))
    added = added.astype("int64")
    gap = _floats(frame["gap_to_target"])
    with np.errstate(divide="ignore", invalid="ignore"):
        projected_covered = np.where(has_data, covered + added, np.nan)
        rate = np.where(has_data & (workers > 0), covered / workers, np.nan)
        projected_rate = np.where(has_data & (workers > 0), projected_covered / workers, np.nan)
    out = pd.DataFrame({
        "kode": frame["kode"].to_numpy(), "nama": frame["nama"].to_numpy(),
        "has_data": has_data, "workers": np.where(has_data, workers, np.nan),
        "covered": np.where(has_data, covered, np.nan), "coverage_rate": rate,
        "gap_to_target": np.where(has_data, gap, np.nan),
        "enrolled": enrolled.astype("int64"), "visits": visits.astype("int64"),
        "added": added, "not_added": (enrolled - added).astype("int64"),
        "projected_covered": projected_covered, "projected_rate": projected_rate,
        # gap = ceil(target * workers - covered), so adding whole workers lowers it by as many
        "projected_gap": np.where(has_data, np.maximum(0, gap - added), np.nan),
    })
    out["change_rate"] = out["projected_rate"] - out["coverage_rate"]
    return out


def projected_coverage(result: CoverageResult, enrolments_by_desa: Mapping[str, int] | pd.DataFrame,
                       since: dt.date | None = None) -> Projection:
    """Add the workers enrolled on visits to the coverage snapshot.

    Parameters
    ----------
    result : analysis.coverage.CoverageResult
        The coverage snapshot.
    enrolments_by_desa : mapping or DataFrame
        ``{kode_desa: enrolled}`` or :meth:`analysis.visits.VisitLog.enrolments_since`
        (``kode, enrolled, visits``), for the visits since the snapshot.
    since : datetime.date, optional
        The first day the enrolments were counted from (kept for display).

    Returns
    -------
    Projection
        See the module notes for the assumption and the cap.

    Raises
    ------
    ValueError
        If an enrolment is negative or not whole, or names a desa code that
        is not in ``result``.
    """
    desa = result.desa.reset_index(drop=True)
    table = _enrolment_table(enrolments_by_desa, desa["kode"])
    enrolled = desa["kode"].map(table["enrolled"]).fillna(0).to_numpy(dtype="int64")
    visits = desa["kode"].map(table["visits"]).fillna(0).to_numpy(dtype="int64")
    desa_level = result.level == "desa"
    desa_out = _project(desa, enrolled, visits, cap=desa_level)
    desa_out.insert(2, "kode_kec", desa["kode_kec"].to_numpy())
    desa_out.insert(3, "kecamatan", desa["kecamatan"].to_numpy())

    kec = result.kecamatan.reset_index(drop=True)
    per_kec = desa_out.groupby("kode_kec")[["enrolled", "visits", "added"]].sum()
    kec_enrolled = kec["kode"].map(per_kec["enrolled"]).fillna(0).to_numpy(dtype="int64")
    kec_visits = kec["kode"].map(per_kec["visits"]).fillna(0).to_numpy(dtype="int64")
    if desa_level:
        # roll the desa figures up so the kecamatan and kabupaten agree with the desa
        kec_out = _project(kec, kec_enrolled, kec_visits, cap=False)
        kec_added = kec["kode"].map(per_kec["added"]).fillna(0).to_numpy(dtype="int64")
        kec_out["added"] = kec_added
        kec_out["not_added"] = kec_enrolled - kec_added
        workers = kec_out["workers"].to_numpy()
        kec_out["projected_covered"] = kec_out["covered"] + kec_added
        with np.errstate(divide="ignore", invalid="ignore"):
            kec_out["projected_rate"] = np.where(workers > 0, kec_out["projected_covered"] / workers, np.nan)
        kec_out["projected_gap"] = np.maximum(0, kec_out["gap_to_target"] - kec_added)
        kec_out["change_rate"] = kec_out["projected_rate"] - kec_out["coverage_rate"]
    else:
        kec_out = _project(kec, kec_enrolled, kec_visits, cap=True)
        # desa of kecamatan-level data have no counts: show what was added where it was added
        desa_out["added"] = 0
        desa_out["not_added"] = desa_out["enrolled"]

    with_data = kec_out["has_data"].to_numpy()
    workers = float(np.nansum(kec_out.loc[with_data, "workers"]))
    covered = float(np.nansum(kec_out.loc[with_data, "covered"]))
    added = int(kec_out["added"].sum())
    total_enrolled = int(desa_out["enrolled"].sum())
    gap = result.kabupaten.get("gap_to_target")
    kabupaten: dict[str, object] = {
        "workers": workers,
        "covered": covered,
        "coverage_rate": covered / workers if workers else float("nan"),
        "gap_to_target": gap,
        "enrolled": total_enrolled,
        "visits": int(desa_out["visits"].sum()),
        "added": added,
        "not_added": total_enrolled - added,
        "projected_covered": covered + added,
        "projected_rate": (covered + added) / workers if workers else float("nan"),
        "projected_gap": None if gap is None else max(0, int(gap) - added),
        "n_desa_visited": int((desa_out["visits"] > 0).sum()),
        "since": since,
    }
    kabupaten["change_rate"] = kabupaten["projected_rate"] - kabupaten["coverage_rate"]
    return Projection(desa=desa_out, kecamatan=kec_out[list(PROJECTION_COLUMNS)], kabupaten=kabupaten,
                      since=since, level=result.level)


def projection_from_log(result: CoverageResult, log: VisitLog, today: dt.date | None = None) -> Projection:
    """Projected coverage from the visit log: enrolments since the snapshot's period.

    Parameters
    ----------
    result : analysis.coverage.CoverageResult
    log : analysis.visits.VisitLog
    today : datetime.date, optional
        Last day counted (default: no limit).

    Returns
    -------
    Projection
    """
    since = snapshot_start(result.period)
    enrolments = log.enrolments_since(since or dt.date.min, level="desa", until=today)
    known = set(result.desa["kode"])
    unknown = enrolments[~enrolments["kode"].isin(known)]
    if len(unknown):  # a log shared with another region: say so instead of dropping rows
        raise ValueError(
            f"The visit log {log.db.display_url} has visits in desa {sorted(unknown['kode'])[:5]} that are not in "
            f"region {result.region}; use a separate app database (PETA_APP_DB or PETA_DATABASE_URL) per region."
        )
    return projected_coverage(result, enrolments, since=since)


def with_enrolments(desa: pd.DataFrame, projection: Projection) -> pd.DataFrame:
    """The desa figures with the enrolments logged since the snapshot added.

    ``covered``, ``uncovered``, ``coverage_rate`` and ``gap_to_target`` of the
    desa with data become their projected values, so a ranking, its reasons
    and an export made from the result say what the visits changed.  Other
    columns are left as they are.
    """
    projected = projection.desa.set_index("kode")
    out = desa.copy()
    kode = out["kode"]
    has = out["has_data"].to_numpy(dtype=bool) & kode.isin(projected.index).to_numpy()
    if not has.any():
        return out
    rows = projected.loc[kode[has]]
    out.loc[has, "covered"] = rows["projected_covered"].round().astype("int64").to_numpy()
    out.loc[has, "coverage_rate"] = rows["projected_rate"].to_numpy(dtype="float64")
    out.loc[has, "gap_to_target"] = rows["projected_gap"].round().astype("int64").to_numpy()
    if "uncovered" in out.columns:
        out.loc[has, "uncovered"] = (out.loc[has, "workers"].astype("int64") - out.loc[has, "covered"].astype("int64"))
    return out

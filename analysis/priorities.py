"""Priority ranking of desa for outreach visits, with the reason for every rank.

The score (0..100) is a weighted mean of five components, each in 0..1; the
definitions and their rationale are in ``docs/priorities.md`` and the
weights in ``config/outreach.toml``:

``gap``
    ``gap_to_target / max gap_to_target`` over the desa with data: how many
    workers must still be enrolled, relative to the neediest desa.
``informal``
    ``informal_share`` (informal/BPU workers over all workers), 0 when the
    coverage table has no formal/informal split.
``low_coverage``
    ``max(0, 1 - coverage_rate / target_rate)``: 1 at no coverage, 0 at or
    above the target.
``sites``
    ``min(1, S / site_saturation)`` where ``S`` sums the category weight of
    every high-risk site inside the desa plus ``near_factor`` times that of
    every site within ``site_distance_m`` of the desa polygon (EPSG:32748).
``last_visit``
    ``min(1, days since the last visit / visit_full_after_days)``; 1 when
    never visited, so a desa just visited drops down the list.
``companies`` (weight 0 unless set)
    ``min(1, U / company_saturation)`` where ``U`` is the uncovered workers
    at the desa's PWBD and PDS companies (:mod:`analysis.compliance`); 0 when
    no companies list is given.
``programme`` (weight 0 unless set)
    the mean of what the desa programme table says: 1 for a desa that is not
    a Desa Sadar Jamsostek, 0.5 in progress, 0 declared; and the share of its
    perangkat desa not registered.  0 for a desa the table leaves out or
    when no table is given.

Desa without coverage data (``has_data`` false) are not ranked: a score
would rest on sites alone and rank them against desa whose needs are known.
They are listed apart (:attr:`Ranking.no_data`) with their site counts, so
that collecting their data can be planned.

Adding uncovered workers to a desa, with everything else the score reads
unchanged, raises the gap and lowers the coverage rate, so the score never
drops (a property test checks this).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis.config import SCORE_COMPONENTS, OutreachConfig, ScoreConfig, load_config
from analysis.sites import desa_near_sites
from core.errors import RegionError
from core.formatting import Figure
from core.i18n import Joined, Message, Sentence

#: Indonesian names of the components (table headers, docs).
COMPONENT_LABELS = {
    "gap": "Kekurangan menuju target",
    "informal": "Porsi pekerja informal",
    "low_coverage": "Cakupan rendah",
    "sites": "Lokasi risiko tinggi",
    "last_visit": "Lama sejak kunjungan",
    "companies": "Pekerja belum terlindungi di perusahaan PWBD/PDS",
    "programme": "Belum Desa Sadar Jamsostek",
}
#: Columns of :attr:`Ranking.ranked`, in order.
RANKED_COLUMNS = (
    "rank", "kode", "nama", "kode_kec", "kecamatan", "score",
    *(f"c_{c}" for c in SCORE_COMPONENTS), *(f"pts_{c}" for c in SCORE_COMPONENTS),
    "workers", "covered", "uncovered", "gap_to_target", "coverage_rate", "informal_share",
    "sites_in", "sites_near", "sites_weighted", "site_categories",
    "last_visit", "days_since_visit", "company_gap", "alasan",
)


@dataclass
class Ranking:
    """A ranked list of desa with data, and the desa left out for lack of data.

    Attributes
    ----------
    ranked : DataFrame
        :data:`RANKED_COLUMNS`, best first; ``rank`` counts from 1 over the
        whole regency.  ``c_*`` are component values (0..1), ``pts_*`` their
        points (summing to ``score``), ``alasan`` the reason (a :class:`core.i18n.Sentence`,
        shown in the reader's language).
    no_data : DataFrame
        ``kode, nama, kode_kec, kecamatan, sites_in, sites_near`` of the desa
        without coverage data (not ranked).
    config : ScoreConfig
    as_of : datetime.date
        The day "days since the last visit" is counted to.
    """

    ranked: pd.DataFrame
    no_data: pd.DataFrame
    config: ScoreConfig
    as_of: dt.date

    def top(self, n: int | None = 20, kecamatan: str | None = None) -> pd.DataFrame:
        """The first ``n`` ranked desa, optionally of one kecamatan (code or name).

        Raises
        ------
        core.errors.RegionError
            If ``kecamatan`` matches no kecamatan of the ranking (a ValueError).
        """
        table = self.ranked
        if kecamatan:
            wanted = str(kecamatan).strip().casefold()
            mask = (table["kode_kec"].str.casefold() == wanted) | (table["kecamatan"].str.casefold() == wanted)
            if not mask.any():
                known = sorted(set(self.ranked["kecamatan"]) | set(self.no_data["kecamatan"]))
                raise RegionError("priorities.kecamatan_not_in_ranking", kecamatan=repr(kecamatan),
                                  known=", ".join(known))
            table = table[mask]
        return table.head(n).reset_index(drop=True) if n else table.reset_index(drop=True)


def _float(series: pd.Series) -> np.ndarray:
    return pd.to_numeric(series, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def site_pressure(sites: gpd.GeoDataFrame | None, config: ScoreConfig,
                  desa: gpd.GeoDataFrame | None = None) -> pd.DataFrame:
    """Weighted high-risk sites per desa.

    Parameters
    ----------
    sites : GeoDataFrame or None
        Accepted sites (``category_group``, ``kode_desa``, EPSG:4326).
    config : ScoreConfig
        ``site_distance_m``, ``near_factor`` and category weights.
    desa : GeoDataFrame, optional
        Desa polygons (default: the Garut layer).

    Returns
    -------
    DataFrame
        Indexed by desa ``kode``: ``sites_in``, ``sites_near`` (counts),
        ``sites_weighted`` (S) and ``site_categories`` (category labels as a
        :class:`core.i18n.Joined`, nearest first).  Only desa with at least one site in reach appear.
    """
    columns = ["sites_in", "sites_near", "sites_weighted", "site_categories"]
    if sites is None or len(sites) == 0:
        return pd.DataFrame(columns=columns, index=pd.Index([], name="kode"))
    pairs = desa_near_sites(sites, desa, distance_m=config.site_distance_m)
    weight = pairs["category_group"].map(config.category_weight).astype(float)
    pairs["w"] = np.where(pairs["inside"], weight, config.near_factor * weight)
    grouped = pairs.groupby("kode")
    out = pd.DataFrame({
        "sites_in": grouped["inside"].sum().astype(int),
        "sites_near": (~pairs["inside"]).groupby(pairs["kode"]).sum().astype(int),
        "sites_weighted": grouped["w"].sum(),
    })
    # object dtype keeps the labels as messages (pandas would store plain Indonesian strings)
    out["site_categories"] = pd.Series(
        {kode: Joined(Message(f"sites.category.{c}") for c in dict.fromkeys(groups))
         for kode, groups in grouped["category_group"]}, dtype=object)
    return out


def _sites_phrase(row: pd.Series, config: ScoreConfig) -> Message:
    km = config.site_distance_m / 1000
    within = Figure(km, "number", digits=0 if km.is_integer() else 1)
    inside, near = int(row["sites_in"]), int(row["sites_near"])
    categories = row["site_categories"]
    if inside and near:
        return Message("prio.reason.sites_in_and_near", inside=inside, near=near, km=within, categories=categories)
    if inside:
        return Message("prio.reason.sites_in", inside=inside, categories=categories)
    return Message("prio.reason.sites_near", near=near, km=within, categories=categories)


def _reason(row: pd.Series, config: ScoreConfig) -> Message:
    """Short reason, in the reader's language: the components that earn the most points."""
    phrases = {
        "gap": lambda: Message("prio.reason.gap", gap=Figure(row["gap_to_target"]),
                               target=Figure(config.target_rate, "rate", digits=0)),
        "low_coverage": lambda: Message("prio.reason.low_coverage", rate=Figure(row["coverage_rate"], "rate")),
        "informal": lambda: Message("prio.reason.informal", share=Figure(row["informal_share"], "rate", digits=0)),
        "sites": lambda: _sites_phrase(row, config),
        "last_visit": lambda: (Message("prio.reason.never_visited") if pd.isna(row["days_since_visit"])
                               else Message("prio.reason.last_visit", days=Figure(row["days_since_visit"]))),
        "companies": lambda: Message("prio.reason.companies", n=Figure(row["company_gap"])),
        "programme": lambda: Message("prio.reason.programme"),
    }
    earned = sorted(((row[f"pts_{c}"], i, c) for i, c in enumerate(SCORE_COMPONENTS)),
                    key=lambda t: (-t[0], t[1]))
    parts = [phrases[c]() for pts, _, c in earned[:3] if pts > 0]
    if not parts:
        return Message("prio.reason.none")
    return Sentence(parts)


#: What the programme component reads from a desa's Desa Sadar Jamsostek status.
_STATUS_NEED = {"belum": 1.0, "proses": 0.5, "sudah": 0.0}


def programme_need(kode: pd.Series, programmes: pd.DataFrame | None) -> np.ndarray:
    """The programme component of each desa (0..1): see the module's notes; 0 where nothing is known."""
    if programmes is None or programmes.empty:
        return np.zeros(len(kode))
    table = programmes.set_index("kode_desa")
    status = table["sadar_status"].where(table["sadar_status"].notna(),
                                         table["sadar_date"].map(lambda d: "sudah" if d is not None else None))
    status_need = status.map(_STATUS_NEED).astype(float)
    registered = table["perangkat_registered"].astype(float)
    total = table["perangkat_total"].astype(float)
    perangkat_need = (1 - registered / total.where(total > 0)).clip(0, 1)
    need = pd.concat([status_need, perangkat_need], axis=1).mean(axis=1, skipna=True)
    return kode.map(need).fillna(0.0).to_numpy(dtype=float)


def _last_visit_dates(last_visits: Mapping[str, object] | pd.Series | None, kode: pd.Series) -> pd.Series:
    if last_visits is None:
        return pd.Series([None] * len(kode), index=kode.index, dtype=object)
    mapping = dict(last_visits)

    def as_date(value: object) -> dt.date | None:
        if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        return dt.date.fromisoformat(str(value)[:10])
    return kode.map(lambda k: as_date(mapping.get(k)))


def rank_desa(
    coverage_desa: pd.DataFrame,
    sites: gpd.GeoDataFrame | None = None,
    last_visits: Mapping[str, object] | pd.Series | None = None,
    config: OutreachConfig | ScoreConfig | None = None,
    as_of: dt.date | None = None,
    desa: gpd.GeoDataFrame | None = None,
    company_gaps: Mapping[str, float] | pd.Series | None = None,
    programmes: pd.DataFrame | None = None,
) -> Ranking:
    """Score and rank every desa with coverage data.

    Parameters
    ----------
    coverage_desa : DataFrame
        ``compute_coverage(...).desa``: one row per desa with ``kode, nama,
        kode_kec, kecamatan, has_data, workers, covered, uncovered,
        coverage_rate, gap_to_target, informal_share``.
    sites : GeoDataFrame, optional
        Accepted high-risk sites; None or empty gives every desa 0 there.
    last_visits : mapping or Series, optional
        ``{kode: date}`` of the latest visit (see
        :meth:`analysis.visits.VisitLog.last_visits`).
    config : OutreachConfig or ScoreConfig, optional
        Default: ``config/outreach.toml``.
    as_of : datetime.date, optional
        Day the visit ages are counted to (default today).
    desa : GeoDataFrame, optional
        Desa polygons for the site distances (default: the Garut layer).
    company_gaps : mapping or Series, optional
        ``{kode: uncovered workers at PWBD/PDS companies}``
        (:func:`analysis.compliance.by_area`'s ``uncovered_non_compliant``).
    programmes : DataFrame, optional
        A desa programme table (:attr:`ingest.desa_programmes.ProgrammeCheck.table`).

    Returns
    -------
    Ranking
    """
    if config is None:
        config = load_config()
    score_cfg = config.score if isinstance(config, OutreachConfig) else config
    as_of = as_of or dt.date.today()
    missing = [c for c in ("kode", "nama", "kode_kec", "kecamatan", "has_data", "workers", "covered",
                           "uncovered", "coverage_rate", "gap_to_target", "informal_share")
               if c not in coverage_desa.columns]
    if missing:
        raise ValueError(f"The coverage table lacks column(s) {missing}; pass compute_coverage(...).desa.")

    frame = coverage_desa.reset_index(drop=True)
    has_data = frame["has_data"].fillna(False).astype(bool).to_numpy()
    pressure = site_pressure(sites, score_cfg, desa)
    frame = frame.join(pressure, on="kode")
    frame[["sites_in", "sites_near"]] = frame[["sites_in", "sites_near"]].fillna(0).astype(int)
    frame["sites_weighted"] = frame["sites_weighted"].fillna(0.0).astype(float)
    frame["site_categories"] = frame["site_categories"].fillna("")

    no_data = frame.loc[~has_data, ["kode", "nama", "kode_kec", "kecamatan", "sites_in", "sites_near"]]
    out = frame.loc[has_data].copy()
    gaps = pd.Series(company_gaps if company_gaps is not None else {}, dtype=float)
    out["company_gap"] = out["kode"].map(gaps).fillna(0.0).clip(lower=0).astype(float)

    gap = np.nan_to_num(_float(out["gap_to_target"]), nan=0.0)
    max_gap = gap.max() if len(gap) else 0.0
    rate = _float(out["coverage_rate"])
    share = _float(out["informal_share"])
    out["last_visit"] = _last_visit_dates(last_visits, out["kode"])
    days = out["last_visit"].map(lambda d: np.nan if d is None else (as_of - d).days).astype(float)
    components = {
        "gap": gap / max_gap if max_gap > 0 else np.zeros(len(out)),
        "informal": np.clip(np.nan_to_num(share, nan=0.0), 0, 1),
        "low_coverage": np.clip(np.nan_to_num(1 - rate / score_cfg.target_rate, nan=0.0), 0, 1),
        "sites": np.minimum(1.0, out["sites_weighted"].to_numpy() / score_cfg.site_saturation),
        "last_visit": np.where(np.isnan(days), 1.0,
                               np.clip(days / score_cfg.visit_full_after_days, 0, 1)),
        "companies": np.minimum(1.0, out["company_gap"].to_numpy() / score_cfg.company_saturation),
        "programme": programme_need(out["kode"], programmes),
    }
    total_weight = sum(score_cfg.weights.values())
    for name, values in components.items():
        out[f"c_{name}"] = np.round(values, 4)
        out[f"pts_{name}"] = np.round(100 * score_cfg.weights.get(name, 0.0) * values / total_weight, 2)
    out["score"] = out[[f"pts_{n}" for n in SCORE_COMPONENTS]].sum(axis=1).round(2)
    out["days_since_visit"] = days
    for column in ("workers", "covered", "uncovered", "gap_to_target"):
        out[column] = _float(out[column])
    out["coverage_rate"] = rate
    out["informal_share"] = share
    out = out.sort_values(["score", "gap_to_target", "kode"], ascending=[False, False, True])
    out["rank"] = np.arange(1, len(out) + 1)
    # object dtype: pandas would turn the messages into plain (Indonesian) strings
    out["alasan"] = pd.Series(
        [_reason(row, score_cfg) for _, row in out.iterrows()], index=out.index, dtype=object
    )
    return Ranking(
        ranked=out[list(RANKED_COLUMNS)].reset_index(drop=True),
        no_data=no_data.reset_index(drop=True),
        config=score_cfg,
        as_of=as_of,
    )


def json_records(table: pd.DataFrame) -> list[dict[str, object]]:
    """JSON-ready rows of a table (dates as ISO text, NaN/NA as None, numpy scalars as Python)."""
    records = []
    for row in table.to_dict("records"):
        clean = {}
        for key, value in row.items():
            if value is None or value is pd.NA or value is pd.NaT:
                value = None
            elif isinstance(value, dt.date):
                value = value.isoformat()
            elif isinstance(value, (np.bool_,)):
                value = bool(value)
            elif isinstance(value, (np.integer,)):
                value = int(value)
            elif isinstance(value, (float, np.floating)):
                value = None if np.isnan(value) else float(value)
            clean[key] = value
        records.append(clean)
    return records

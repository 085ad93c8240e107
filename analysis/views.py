"""What a map view shows, computed without Streamlit (the app and exports call these).

A view is (result, level, kecamatan drilled into, metric, scheme, bands):
:func:`map_regions` gives the regions with their figures and display
geometry, :func:`classify_metric` their classes, :func:`tooltip_fields` the
rows of their tooltips; :func:`kecamatan_chart` and :func:`briefing_order`
feed the chart and the briefing walk-through.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis.classify import Classification, classify
from analysis.coverage import CoverageResult, join_geometry, top_gaps
from analysis.metrics import METRICS
from core.i18n import Message, t
from geo.boundaries import load_layer
from geo.region import is_province

#: Display layer drawn per level.
MAP_LAYERS = {"kecamatan": "kecamatan_web", "desa": "desa_web"}


def map_regions(result: CoverageResult, level: str, kec: str | None = None) -> gpd.GeoDataFrame:
    """Return the regions of a view with their figures and display geometry.

    Parameters
    ----------
    result : CoverageResult
    level : {"kecamatan", "desa"}
    kec : str, optional
        Kemendagri kecamatan code; with ``level="desa"`` only its desa.

    Returns
    -------
    GeoDataFrame
        EPSG:4326, one row per region, every metric column of ``result``.

    Raises
    ------
    ValueError
        On an unknown level or a kecamatan code not in the region.
    """
    if level not in MAP_LAYERS:
        raise ValueError(f"Unknown level {level!r}; choose 'kecamatan' or 'desa'.")
    frame = result.desa if level == "desa" else result.kecamatan
    if level == "kecamatan":
        # object dtype: pandas would turn the messages into plain (Indonesian) strings
        frame = frame.assign(reported=pd.Series([_reported(row) for row in frame.itertuples(index=False)],
                                                index=frame.index, dtype=object))
    if kec and level == "desa":
        frame = frame[frame["kode_kec"] == kec]
        # the province's display desa are coarse (geo.build.PROVINCE_PARAMS): one kecamatan is drawn from
        # its kabupaten's own build, at the detail a zoomed-in map needs
        detail = kec[:5] if is_province(result.region) and len(frame) else result.region
        regions = join_geometry(frame, MAP_LAYERS[level], region=detail)
        regions = regions[regions["kode_kec"] == kec]
        if regions.empty:
            known = ", ".join(sorted(result.kecamatan["kode"])[:3])
            raise ValueError(f"Kecamatan {kec!r} is not in region {result.region} (codes look like {known} …).")
    else:
        regions = join_geometry(frame, MAP_LAYERS[level], region=result.region)
    return regions.reset_index(drop=True)


def names_overview(level: str, region: str, kec: str | None) -> bool:
    """Whether a map of ``level`` outlines and names the :func:`overview_outline` areas over its regions:
    over the whole region's desa, and over the province's kecamatan too (not in a drill-down)."""
    return kec is None and (level == "desa" or is_province(region))


def overview_outline(region: str) -> gpd.GeoDataFrame:
    """The areas outlined and named over a map of the whole region: its kecamatan, or its kabupaten/kota
    for the province (627 kecamatan names do not fit on one map; ``Kabupaten`` is shortened to ``Kab.``).

    Returns
    -------
    GeoDataFrame
        ``kode``, ``nama``, ``geometry`` (display geometry, EPSG:4326).
    """
    if not is_province(region):
        return load_layer("kecamatan_web", region)[["kode", "nama", "geometry"]]
    kabupaten = load_layer("kabupaten_web", region)[["kode", "nama", "geometry"]]
    kabupaten["nama"] = kabupaten["nama"].str.replace(r"^Kabupaten ", "Kab. ", regex=True)
    return kabupaten


def scheme_for(metric: str, scheme: str) -> str:
    """Return ``scheme`` if the metric supports it, else the metric's default (also for ``"auto"``)."""
    info = METRICS[metric]
    return scheme if scheme in info.schemes else info.default_scheme


def classify_metric(
    regions: pd.DataFrame,
    metric: str,
    scheme: str,
    bands: Sequence[float] | None = None,
    k: int = 5,
    reference: object | None = None,
) -> Classification:
    """Classify a metric over the regions of a view.

    Parameters
    ----------
    regions : DataFrame
        From :func:`map_regions`.
    metric : str
        A key of :data:`core.i18n.METRICS`.
    scheme : str
        Classification scheme; one the metric does not support (fixed bands
        for counts) falls back to the metric's default.
    bands : sequence of float, optional
        Band edges for ``"target_bands"`` (default: the metric's own,
        30/50/70 % for rates).
    k : int
        Number of classes for data-driven schemes.
    reference : array-like, optional
        The metric over every region of the level in the kabupaten, which sets
        the ``"level_scale"`` edges (default the regions given): pass it for a
        drill-down, so a desa keeps its colour (:func:`level_values`).

    Returns
    -------
    Classification
        No-data regions get class -1.
    """
    info = METRICS[metric]
    scheme = scheme_for(metric, scheme)
    values = pd.to_numeric(regions[metric], errors="coerce").astype(float).to_numpy()
    if scheme == "target_bands":
        return classify(values, "target_bands", bands=tuple(bands) if bands is not None else info.bands)
    return classify(values, scheme, k=k, reference=reference)


def level_values(result, level: str, metric: str) -> np.ndarray:
    """The metric over every region of ``level`` in the kabupaten (the reference of the level scale)."""
    return pd.to_numeric(map_regions(result, level, None)[metric], errors="coerce").astype(float).to_numpy()


def partial_regions(regions) -> set[str]:
    """Codes of the regions of a view whose figures cover some of their desa only (``partial``)."""
    if "partial" not in regions.columns:
        return set()
    return set(regions.loc[regions["partial"].fillna(False).astype(bool), "kode"])


def _reported(row) -> Message | None:
    """How much of a kecamatan its figures cover: "3 of 12 desa (partial)", "all 12 desa", None without desa data."""
    if not row.n_desa_with_data:
        return None
    if row.partial:
        return Message("map.reported_partial", n=row.n_desa_with_data, total=row.n_desa)
    return Message("map.reported_all", total=row.n_desa)


def tooltip_fields(level: str, metric: str, lang: str = "id",
                   workers_estimated: bool = False) -> list[tuple[str, str, str | None]]:
    """Return tooltip rows ``(column, label, kind)`` for a view.

    Name, kecamatan (desa level), workers (labelled an estimate when
    ``workers_estimated``), covered, coverage rate and gap to target, then the
    mapped metric if it is not one of those; at kecamatan level, how many of
    its desa the figures cover.
    """
    rows: list[tuple[str, str, str | None]] = [("nama", t(f"level.{level}", lang), None)]
    if level == "desa":
        rows.append(("kecamatan", t("level.kecamatan", lang), None))
    for key in ("workers", "covered", "coverage_rate", "gap_to_target"):
        label = t("label.workers_estimated", lang) if key == "workers" and workers_estimated else METRICS[key].label(lang)
        rows.append((key, label, METRICS[key].kind))
    if metric not in {row[0] for row in rows}:
        rows.append((metric, METRICS[metric].label(lang), METRICS[metric].kind))
    if level == "kecamatan":
        rows.append(("reported", t("map.reported", lang), "text"))
    return rows


#: The participant segments a tooltip lists where the data gives them.
SEGMENT_FIELDS = ("covered_formal", "covered_informal", "covered_jakon", "covered_pmi")


def segment_fields(result: CoverageResult, lang: str = "id") -> list[tuple[str, str, str | None]]:
    """Tooltip rows of the participant segments (PU, BPU, Jakon, PMI) that some region's data gives."""
    present = [c for c in SEGMENT_FIELDS
               if result.desa[c].notna().any() or result.kecamatan[c].notna().any()]
    return [(c, t(f"label.{c}", lang), "count") for c in present]


def kecamatan_chart(result: CoverageResult) -> pd.DataFrame:
    """Kecamatan sorted by coverage rate (highest first), for the bar chart.

    Returns
    -------
    DataFrame
        ``kode``, ``nama``, ``coverage_rate``, ``below_target`` (bool),
        ``partial`` (built from some of its desa only); kecamatan without data
        are left out.
    """
    frame = result.kecamatan[result.kecamatan["has_data"]]
    out = frame[["kode", "nama", "coverage_rate", "partial"]].copy()
    out["coverage_rate"] = out["coverage_rate"].astype(float)
    out["below_target"] = out["coverage_rate"] < result.target
    return out.sort_values(["coverage_rate", "kode"], ascending=[False, True]).reset_index(drop=True)


def top_kecamatan(result: CoverageResult, n: int = 10) -> pd.DataFrame:
    """The ``n`` kecamatan with the largest gap to target (ties by code)."""
    return top_gaps(result.kecamatan, n=n).reset_index(drop=True)


def briefing_order(result: CoverageResult) -> list[str]:
    """Kecamatan codes in the order the briefing steps through them.

    Largest gap to target first (where the Bupati's attention matters
    most), then the rest by code; kecamatan without data last.
    """
    frame = result.kecamatan
    gap = pd.to_numeric(frame["gap_to_target"], errors="coerce").astype(float).fillna(-1)
    order = np.lexsort((frame["kode"].to_numpy(), -gap.to_numpy()))
    return frame["kode"].to_numpy()[order].tolist()

"""Numbers about high-risk sites: counts per desa/kecamatan and desa near each site.

Sites are read and validated in :mod:`ingest.sites`; this module only counts
and measures them (distances in EPSG:32748).
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

from geo.paths import METRIC_CRS
from ingest.sites import category_label, default_desa


def _category_pivot(sites: pd.DataFrame, key: str) -> pd.DataFrame:
    if sites.empty:
        return pd.DataFrame()
    pivot = sites.pivot_table(index=key, columns="category_group", values="row",
                              aggfunc="count", fill_value=0)
    pivot.columns = [f"n_{c}" for c in pivot.columns]
    return pivot


def site_counts(sites: pd.DataFrame, by: str, desa: gpd.GeoDataFrame | None = None) -> pd.DataFrame:
    """Count sites per desa, per kecamatan or per category.

    Parameters
    ----------
    sites : DataFrame
        Accepted sites (``kode_desa``, ``kode_kec``, ``category_group``).
    by : {"desa", "kecamatan", "category"}
    desa : GeoDataFrame, optional
        Desa layer; every desa/kecamatan is listed, with 0 where none.

    Returns
    -------
    DataFrame
        ``desa``: ``kode, nama, kode_kec, kecamatan, n_sites, n_<category>...``;
        ``kecamatan``: ``kode, nama, n_sites, n_<category>...``;
        ``category``: ``category_group, category_label, n_sites, n_desa``.
    """
    if by == "category":
        groups = sites.groupby("category_group")
        out = pd.DataFrame({"n_sites": groups.size(), "n_desa": groups["kode_desa"].nunique()})
        out = out.reset_index()
        out.insert(1, "category_label", out["category_group"].map(category_label))
        return out.sort_values(["n_sites", "category_group"], ascending=[False, True]).reset_index(drop=True)
    desa = default_desa() if desa is None else desa
    if by == "desa":
        base = pd.DataFrame(desa[["kode", "nama", "kode_kec", "kecamatan"]])
        key = "kode_desa"
    elif by == "kecamatan":
        base = desa[["kode_kec", "kecamatan"]].drop_duplicates().rename(
            columns={"kode_kec": "kode", "kecamatan": "nama"})
        key = "kode_kec"
    else:
        raise ValueError(f"by must be 'desa', 'kecamatan' or 'category', got {by!r}.")
    counts = sites.groupby(key).size().rename("n_sites")
    out = base.merge(counts, left_on="kode", right_index=True, how="left")
    out = out.merge(_category_pivot(sites, key), left_on="kode", right_index=True, how="left")
    count_cols = [c for c in out.columns if c.startswith("n_")]
    out[count_cols] = out[count_cols].fillna(0).astype(int)
    return out.reset_index(drop=True)


def desa_near_sites(sites: gpd.GeoDataFrame, desa: gpd.GeoDataFrame | None = None,
                    distance_m: float = 2000.0, categories: list[str] | None = None) -> pd.DataFrame:
    """Pairs of (desa, site) where the site lies within ``distance_m`` of the desa polygon.

    Distances run from the site point to the nearest edge of the desa
    polygon (0 when the site is inside), measured in EPSG:32748, metres.

    Parameters
    ----------
    sites : GeoDataFrame
        Accepted sites (EPSG:4326) with ``kode_desa`` and ``category_group``.
    desa : GeoDataFrame, optional
        Default: the Garut ``desa`` layer (full geometry).
    distance_m : float
        E.g. 2000 for "desa within 2 km of a rafting operator".
    categories : list of str, optional
        Keep only sites of these category groups.

    Returns
    -------
    DataFrame
        ``kode, nama, kecamatan, site, name, category_group, distance_m,
        inside`` (``site`` is the site's position in ``sites``), sorted by
        kode then distance.
    """
    desa = default_desa() if desa is None else desa
    chosen = sites if categories is None else sites[sites["category_group"].isin(categories)]
    columns = ["kode", "nama", "kecamatan", "site", "name", "category_group", "distance_m", "inside"]
    if chosen.empty:
        return pd.DataFrame(columns=columns)
    desa_m = desa.to_crs(METRIC_CRS).geometry
    points_m = chosen.to_crs(METRIC_CRS).geometry.values
    site_idx, desa_idx = desa_m.sindex.query(points_m, predicate="dwithin", distance=distance_m)
    distance = shapely.distance(points_m[site_idx], desa_m.values[desa_idx])
    picked = desa.iloc[desa_idx]
    site_rows = chosen.iloc[site_idx]
    out = pd.DataFrame({
        "kode": picked["kode"].to_numpy(), "nama": picked["nama"].to_numpy(),
        "kecamatan": picked["kecamatan"].to_numpy(),
        "site": sites.index.get_indexer(site_rows.index),
        "name": site_rows["name"].to_numpy(), "category_group": site_rows["category_group"].to_numpy(),
        "distance_m": distance.round(1),
    })
    out["inside"] = out["kode"].to_numpy() == site_rows["kode_desa"].to_numpy()
    return out.sort_values(["kode", "distance_m", "site"]).reset_index(drop=True)

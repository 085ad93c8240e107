"""Coverage per desa, kecamatan and kabupaten (analysis.coverage)."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from analysis.coverage import (
    CONTRIBUTION_PER_WORKER_MONTHLY,
    COUNT_COLUMNS,
    DEFAULT_TARGET,
    METRIC_COLUMNS,
    CoverageResult,
    compute_coverage,
    join_geometry,
    kabupaten_kpis,
    top_gaps,
)
from analysis.sample import SAMPLE_PATH
from core.errors import CoverageInputError, RegionError

#: Sample CSV header -> coverage table column (what ingest.coverage does for real files).
SAMPLE_TO_TABLE = {
    "kode_desa": "kode", "periode": "period", "pekerja": "workers", "peserta_aktif": "covered",
    "pekerja_pu": "workers_formal", "peserta_pu": "covered_formal",
    "pekerja_bpu": "workers_informal", "peserta_bpu": "covered_informal",
}


def coverage_table(rows: list[dict], level: str = "desa") -> pd.DataFrame:
    """Build an input table like ingest.coverage's from a few dicts (missing counts are <NA>)."""
    frame = pd.DataFrame(rows)
    frame.insert(0, "row", range(2, len(frame) + 2))
    frame["level"] = level
    if "period" not in frame:
        frame["period"] = pd.NA
    for column in COUNT_COLUMNS:
        frame[column] = frame[column].astype("Int64") if column in frame else pd.array(
            [pd.NA] * len(frame), dtype="Int64")
    return frame


@pytest.fixture(scope="module")
def sample_table() -> pd.DataFrame:
    """The committed sample as a desa-level coverage table."""
    raw = pd.read_csv(SAMPLE_PATH, dtype={"kode_desa": str, "periode": str})
    return coverage_table(raw.rename(columns=SAMPLE_TO_TABLE)[list(SAMPLE_TO_TABLE.values())].to_dict("records"))


@pytest.fixture(scope="module")
def sample_result(sample_table, garut_gpkg) -> CoverageResult:
    return compute_coverage(sample_table)


@pytest.fixture(scope="module")
def kecamatan_table(sample_table) -> pd.DataFrame:
    """The sample summed per kecamatan: a kecamatan-level input."""
    summed = (sample_table.assign(kode=sample_table["kode"].str[:8])
              .groupby(["kode", "period"], as_index=False)[list(COUNT_COLUMNS)].sum())
    return coverage_table(summed.to_dict("records"), level="kecamatan")


# --- the sample ---------------------------------------------------------------------------------

def test_sample_totals_are_exact_at_every_level(sample_result):
    res = sample_result
    assert (res.period, res.periods, res.previous_period) == ("2024-12", ["2024-06", "2024-12"], "2024-06")
    assert res.level == "desa" and res.target == DEFAULT_TARGET
    assert len(res.desa) == 442 and len(res.kecamatan) == 42
    assert (res.kabupaten["workers"], res.kabupaten["covered"]) == (836_000, 186_000)
    for frame in (res.desa, res.kecamatan):
        assert (frame["workers"].sum(), frame["covered"].sum()) == (836_000, 186_000)
        assert frame["has_data"].all()
    assert res.kabupaten["coverage_rate"] == pytest.approx(0.2225, abs=5e-5)
    assert res.kabupaten["uncovered"] == 650_000
    assert res.kabupaten["gap_to_target"] == 585_200 - 186_000
    assert (res.kabupaten["n_desa_with_data"], res.kabupaten["n_desa"]) == (442, 442)
    assert (res.kabupaten["n_kecamatan_with_data"], res.kabupaten["n_kecamatan"]) == (42, 42)
    assert res.kabupaten["nama"] == "Kabupaten Garut"


def test_result_columns_are_the_documented_ones(sample_result):
    assert list(sample_result.desa.columns) == ["kode", "nama", "kode_kec", "kecamatan", "jenis", *METRIC_COLUMNS]
    assert list(sample_result.kecamatan.columns) == ["kode", "nama", "n_desa_with_data", "n_desa", "partial",
                                                     *METRIC_COLUMNS]
    assert not sample_result.kecamatan["partial"].any() and not sample_result.kabupaten["partial"]
    assert set(METRIC_COLUMNS) <= set(sample_result.kabupaten)
    assert sample_result.desa["kode"].is_monotonic_increasing
    assert sample_result.desa["workers"].dtype == "Int64"
    assert sample_result.desa["coverage_rate"].dtype == "float64"


def test_kecamatan_rows_roll_up_their_desa(sample_result):
    desa, kec = sample_result.desa, sample_result.kecamatan.set_index("kode")
    sums = desa.groupby("kode_kec")[["workers", "covered", "workers_formal", "covered_formal",
                                     "workers_informal", "covered_informal", "informal_uncovered",
                                     "informal_contribution_monthly", "previous_workers",
                                     "previous_covered"]].sum()
    pd.testing.assert_frame_equal(sums, kec[sums.columns], check_names=False)
    assert kec["n_desa"].sum() == 442 and (kec["n_desa_with_data"] == kec["n_desa"]).all()
    # rates come from sums, not from averaging desa rates
    assert np.allclose(kec["coverage_rate"], kec["covered"] / kec["workers"])
    mean_of_rates = desa.groupby("kode_kec")["coverage_rate"].mean()
    assert not np.allclose(kec["coverage_rate"], mean_of_rates)
    # the kecamatan gap is recomputed from its totals
    expected_gap = np.maximum(0, np.ceil(0.7 * kec["workers"].astype(float) - kec["covered"].astype(float) - 1e-9))
    assert (kec["gap_to_target"].astype(float) == expected_gap).all()


def test_sample_formal_informal_and_contribution(sample_result):
    kab = sample_result.kabupaten
    assert kab["workers_formal"] + kab["workers_informal"] == 836_000
    assert kab["covered_formal"] + kab["covered_informal"] == 186_000
    assert round(kab["informal_rate"], 4) == 0.2228  # the published informal coverage
    assert kab["informal_uncovered"] == kab["workers_informal"] - kab["covered_informal"]
    assert kab["informal_contribution_monthly"] == kab["informal_uncovered"] * 16_800
    assert kab["gap_contribution_monthly"] == 399_200 * 16_800
    assert kab["informal_share"] == pytest.approx(kab["workers_informal"] / 836_000)


def test_change_since_the_previous_period_on_the_sample(sample_result, sample_table):
    kab = sample_result.kabupaten
    assert kab["previous_rate"] == pytest.approx(174_000 / 829_000)
    assert kab["change_rate"] == pytest.approx(186_000 / 836_000 - 174_000 / 829_000)
    earlier = compute_coverage(sample_table, period="2024-06")
    assert (earlier.period, earlier.previous_period) == ("2024-06", None)
    assert earlier.kabupaten["covered"] == 174_000
    assert earlier.kabupaten["coverage_rate"] == pytest.approx(kab["previous_rate"])
    assert earlier.desa["previous_rate"].isna().all() and earlier.desa["change_rate"].isna().all()
    assert np.allclose(sample_result.kecamatan["previous_rate"], earlier.kecamatan["coverage_rate"])


def test_kecamatan_input_joins_directly(kecamatan_table, sample_result, garut_gpkg):
    res = compute_coverage(kecamatan_table)
    assert res.level == "kecamatan" and len(res.kecamatan) == 42
    assert not res.desa["has_data"].any() and res.desa["workers"].isna().all()
    assert res.desa["coverage_rate"].isna().all()
    by_desa = sample_result.kecamatan
    for column in ("workers", "covered", "gap_to_target", "informal_contribution_monthly"):
        assert res.kecamatan[column].equals(by_desa[column]), column
    assert np.allclose(res.kecamatan["change_rate"], by_desa["change_rate"])
    assert (res.kecamatan["n_desa"] == by_desa["n_desa"]).all() and (res.kecamatan["n_desa_with_data"] == 0).all()
    assert (res.kabupaten["workers"], res.kabupaten["covered"]) == (836_000, 186_000)
    assert res.kabupaten["gap_to_target"] == sample_result.kabupaten["gap_to_target"]
    assert (res.kabupaten["n_kecamatan_with_data"], res.kabupaten["n_desa_with_data"]) == (42, 0)


# --- small fixtures -----------------------------------------------------------------------------

@pytest.mark.parametrize(("workers", "covered", "target", "gap"), [
    (100, 20, 0.70, 50),
    (100, 70, 0.70, 0),     # exactly at target
    (100, 20, 0.55, 35),    # exact arithmetic: in floats 0.55 * 100 is 55.00000000000001 (gap 36)
    (100, 95, 0.70, 0),     # above target: never negative
    (101, 0, 0.70, 71),     # 70.7 rounds up
    (1000, 699, 0.70, 1),
    (10, 0, 0.75, 8),
    (3, 1, 2 / 3, 1),
    (0, 0, 0.70, 0),
])
def test_gap_to_target_by_hand(workers, covered, target, gap, garut_gpkg):
    table = coverage_table([{"kode": "32.05.01.1001", "workers": workers, "covered": covered}])
    row = compute_coverage(table, target=target).desa.iloc[0]
    assert row["gap_to_target"] == gap
    assert row["uncovered"] == workers - covered


def test_regions_without_data_stay_no_data_not_zero(garut_gpkg):
    table = coverage_table([
        {"kode": "32.05.01.1001", "workers": 100, "covered": 20},
        {"kode": "32.05.01.1002", "workers": 50, "covered": 0},
    ])
    res = compute_coverage(table)
    desa = res.desa.set_index("kode")
    assert desa["has_data"].sum() == 2
    none = desa.loc["32.05.02.1001"]
    assert not none["has_data"] and pd.isna(none["workers"]) and pd.isna(none["gap_to_target"])
    assert math.isnan(none["coverage_rate"]) and pd.isna(none["informal_contribution_monthly"])
    zero = desa.loc["32.05.01.1002"]  # a real zero stays a zero
    assert zero["has_data"] and zero["covered"] == 0 and zero["coverage_rate"] == 0.0
    kec = res.kecamatan.set_index("kode")
    assert (kec.loc["32.05.01", ["workers", "covered", "n_desa_with_data", "n_desa"]].tolist()
            == [150, 20, 2, 11])
    assert kec.loc["32.05.01", "coverage_rate"] == pytest.approx(20 / 150)
    assert not kec.loc["32.05.02", "has_data"] and pd.isna(kec.loc["32.05.02", "workers"])
    assert math.isnan(kec.loc["32.05.02", "coverage_rate"]) and kec.loc["32.05.02", "n_desa_with_data"] == 0
    assert res.kabupaten["workers"] == 150 and res.kabupaten["n_desa_with_data"] == 2
    assert res.kabupaten["n_kecamatan_with_data"] == 1
    assert res.kabupaten["workers_formal"] is None and math.isnan(res.kabupaten["formal_rate"])


def test_empty_table_means_no_data_anywhere(garut_gpkg):
    res = compute_coverage(coverage_table([{"kode": "32.05.01.1001", "workers": 1, "covered": 0}]).iloc[0:0])
    assert not res.desa["has_data"].any() and not res.kecamatan["has_data"].any()
    assert res.kabupaten["workers"] is None and math.isnan(res.kabupaten["coverage_rate"])
    assert res.period is None and res.periods == []


def test_formal_informal_rates_and_contributions_by_hand(garut_gpkg):
    table = coverage_table([{
        "kode": "32.05.01.1001", "workers": 100, "covered": 20,
        "workers_formal": 20, "covered_formal": 12, "workers_informal": 80, "covered_informal": 8,
    }])
    row = compute_coverage(table).desa.iloc[0]
    assert row["formal_rate"] == pytest.approx(0.6) and row["informal_rate"] == pytest.approx(0.1)
    assert row["informal_uncovered"] == 72 and row["informal_share"] == pytest.approx(0.8)
    assert row["informal_contribution_monthly"] == 72 * 16_800 == 1_209_600
    assert row["gap_contribution_monthly"] == 50 * 16_800
    cheaper = compute_coverage(table, target=0.5, contribution_per_worker=20_000).desa.iloc[0]
    assert cheaper["gap_to_target"] == 30
    assert cheaper["informal_contribution_monthly"] == 72 * 20_000
    assert cheaper["gap_contribution_monthly"] == 30 * 20_000


def test_split_is_rolled_up_only_when_every_desa_gives_it(garut_gpkg):
    table = coverage_table([
        {"kode": "32.05.01.1001", "workers": 100, "covered": 20, "workers_informal": 80, "covered_informal": 8},
        {"kode": "32.05.01.1002", "workers": 50, "covered": 10},
        {"kode": "32.05.02.1001", "workers": 40, "covered": 4, "workers_informal": 30, "covered_informal": 1},
    ])
    res = compute_coverage(table)
    kec = res.kecamatan.set_index("kode")
    assert pd.isna(kec.loc["32.05.01", "workers_informal"]) and math.isnan(kec.loc["32.05.01", "informal_share"])
    assert kec.loc["32.05.02", "workers_informal"] == 30
    assert kec.loc["32.05.02", "informal_contribution_monthly"] == 29 * 16_800
    assert res.kabupaten["workers_informal"] is None and res.kabupaten["workers"] == 190


def test_change_since_previous_period_by_hand(garut_gpkg):
    table = coverage_table([
        {"kode": "32.05.01.1001", "period": "2024-06", "workers": 100, "covered": 10},
        {"kode": "32.05.01.1001", "period": "2024-12", "workers": 100, "covered": 25},
        {"kode": "32.05.01.1002", "period": "2024-12", "workers": 200, "covered": 40},
        {"kode": "32.05.01.1003", "period": "2023-12", "workers": 10, "covered": 1},
    ])
    res = compute_coverage(table)
    assert (res.period, res.previous_period, res.periods) == ("2024-12", "2024-06", ["2023-12", "2024-06", "2024-12"])
    desa = res.desa.set_index("kode")
    assert desa.loc["32.05.01.1001", "previous_rate"] == pytest.approx(0.10)
    assert desa.loc["32.05.01.1001", "change_rate"] == pytest.approx(0.15)
    assert math.isnan(desa.loc["32.05.01.1002", "change_rate"])  # no data in 2024-06
    assert not desa.loc["32.05.01.1003", "has_data"]  # only in an older period
    kec = res.kecamatan.set_index("kode").loc["32.05.01"]
    assert kec["previous_rate"] == pytest.approx(0.10)
    assert kec["change_rate"] == pytest.approx(65 / 300 - 0.10)
    middle = compute_coverage(table, period="2024-06")
    assert middle.previous_period == "2023-12" and middle.kabupaten["workers"] == 100


def test_kabupaten_kpis(sample_result, sample_table):
    kpis = kabupaten_kpis(sample_result)
    assert {k: kpis[k] for k in ("workers", "covered", "uncovered", "target", "gap_to_target")} == {
        "workers": 836_000, "covered": 186_000, "uncovered": 650_000, "target": 0.7, "gap_to_target": 399_200}
    assert kpis["informal_contribution_monthly"] == sample_result.kabupaten["informal_contribution_monthly"]
    assert kpis["contribution_per_worker"] == CONTRIBUTION_PER_WORKER_MONTHLY
    assert kpis["period"] == "2024-12" and kpis["coverage_rate"] == pytest.approx(186 / 836)
    custom = kabupaten_kpis(compute_coverage(sample_table, target=0.5, contribution_per_worker=10_000))
    assert custom["target"] == 0.5 and custom["gap_to_target"] == 418_000 - 186_000
    assert custom["gap_contribution_monthly"] == 232_000 * 10_000


# --- errors -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("rows", "level", "message"), [
    ([{"kode": "32.05.01.1001", "workers": 10, "covered": 11}], "desa", r"exceeds 'workers' in row\(s\) 2"),
    ([{"kode": "32.05.01.1001", "workers": -1, "covered": 0}], "desa", "negative"),
    ([{"kode": "32.05.01.1001", "workers": 10}], "desa", "only one of workers and covered"),
    ([{"kode": "32.05.99.1001", "workers": 10, "covered": 1}], "desa", r"32\.05\.99\.1001.*not desa codes"),
    ([{"kode": "32.05.01", "workers": 10, "covered": 1}], "desa", "not desa codes"),
    ([{"kode": "32.05.01.1001", "workers": 10, "covered": 1}], "kecamatan", "not kecamatan codes"),
    ([{"kode": "32.05.01.1001", "workers": 10, "covered": 1},
      {"kode": "32.05.01.1001", "workers": 5, "covered": 1}], "desa", r"more than once.*rows 2, 3"),
    ([{"kode": "32.05.01.1001", "period": "2024-12", "workers": 10, "covered": 1},
      {"kode": "32.05.01.1002", "period": None, "workers": 5, "covered": 1}], "desa", r"Row\(s\) 3 have no period"),
    ([{"kode": "32.05.01.1001", "period": "12/2024", "workers": 10, "covered": 1}], "desa", "YYYY-MM"),
])
def test_inconsistent_tables_are_rejected_with_rows_named(rows, level, message, garut_gpkg):
    with pytest.raises(CoverageInputError, match=message):
        compute_coverage(coverage_table(rows, level=level))


def test_mixed_levels_and_bad_parameters_are_rejected(garut_gpkg):
    table = coverage_table([{"kode": "32.05.01.1001", "workers": 10, "covered": 1}])
    mixed = pd.concat([table, coverage_table([{"kode": "32.05.01", "workers": 10, "covered": 1}], "kecamatan")])
    with pytest.raises(CoverageInputError, match="one level"):
        compute_coverage(mixed)
    with pytest.raises(CoverageInputError, match="lacks column"):
        compute_coverage(table.drop(columns=["covered"]))
    with pytest.raises(CoverageInputError, match="target"):
        compute_coverage(table, target=70)
    with pytest.raises(CoverageInputError, match="Contribution"):
        compute_coverage(table, contribution_per_worker=-5)
    with pytest.raises(CoverageInputError, match="no periods"):
        compute_coverage(table, period="2024-12")


def test_unknown_period_is_rejected(sample_table, garut_gpkg):
    with pytest.raises(CoverageInputError, match=r"2023-12.*\['2024-06', '2024-12'\]"):
        compute_coverage(sample_table, period="2023-12")


# --- helpers for tables and maps ----------------------------------------------------------------

def test_top_gaps_sorts_by_gap_then_code(garut_gpkg):
    table = coverage_table([
        {"kode": "32.05.02.1001", "workers": 100, "covered": 20},   # gap 50
        {"kode": "32.05.01.1002", "workers": 100, "covered": 20},   # gap 50, lower code
        {"kode": "32.05.01.1003", "workers": 1000, "covered": 0},   # gap 700
        {"kode": "32.05.01.1004", "workers": 10, "covered": 9},     # gap 0: left out
    ])
    top = top_gaps(compute_coverage(table).desa, n=10)
    assert top["kode"].tolist() == ["32.05.01.1003", "32.05.01.1002", "32.05.02.1001"]
    assert top_gaps(compute_coverage(table).desa, n=2)["gap_to_target"].tolist() == [700, 50]


def test_top_gaps_on_the_sample(sample_result):
    top = top_gaps(sample_result.kecamatan, n=5)
    assert len(top) == 5 and top["gap_to_target"].is_monotonic_decreasing
    assert top["gap_to_target"].iloc[0] == sample_result.kecamatan["gap_to_target"].max()


def test_join_geometry_for_maps(sample_result):
    desa_map = join_geometry(sample_result.desa, "desa_web")
    assert isinstance(desa_map, gpd.GeoDataFrame) and len(desa_map) == 442
    assert desa_map.crs.to_epsg() == 4326 and desa_map.geometry.notna().all()
    assert list(desa_map.columns) == [*sample_result.desa.columns, "geometry"]
    assert desa_map.set_index("kode")["workers"].equals(sample_result.desa.set_index("kode")["workers"])
    kec_map = join_geometry(sample_result.kecamatan, "kecamatan_web")
    assert len(kec_map) == 42 and kec_map["coverage_rate"].notna().all()
    partial = join_geometry(sample_result.desa.head(3), "desa_web")
    assert len(partial) == 442 and partial["has_data"].notna().sum() == 3
    with pytest.raises(RegionError, match="desa frames to a desa layer"):
        join_geometry(sample_result.desa, "kecamatan_web")

"""What-if "1 ASN 1 pekerja rentan": distribution, caps, projected coverage, cost."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.config import OutreachConfig
from analysis.whatif import WHATIF_COLUMNS, asn_scenario

CONFIG = OutreachConfig()          # Rp16,800 x 12


def kecamatan_table(rows: list[tuple[str, str, float, float, float]]) -> pd.DataFrame:
    """``(kode, nama, workers, covered, informal_uncovered)`` rows; NaN for no data/split."""
    frame = pd.DataFrame(rows, columns=["kode", "nama", "workers", "covered", "informal_uncovered"])
    frame["has_data"] = frame["workers"].notna()
    frame["uncovered"] = frame["workers"] - frame["covered"]
    frame["coverage_rate"] = frame["covered"] / frame["workers"]
    return frame


TABLE = kecamatan_table([
    ("32.05.01", "Garut Kota", 10000, 5000, 3000),
    ("32.05.02", "Karangpawitan", 8000, 2000, 1000),
    ("32.05.03", "Wanaraja", 4000, 400, 0),
    ("32.05.04", "Tarogong Kaler", 6000, 1000, np.nan),     # no formal/informal split
    ("32.05.05", "Tarogong Kidul", np.nan, np.nan, np.nan),   # no data
])


def test_total_is_distributed_by_uncovered_informal_workers():
    result = asn_scenario(TABLE, asn_total=400, config=CONFIG)
    table = result.kecamatan.set_index("nama")
    assert tuple(result.kecamatan.columns) == WHATIF_COLUMNS
    assert table["asn"].tolist() == [300, 100, 0, 0, 0]      # 3000 : 1000
    assert table["sponsored"].sum() == 400 and table["unused_asn"].sum() == 0
    assert table.loc["Garut Kota", "projected_rate"] == pytest.approx(5300 / 10000)
    assert table.loc["Garut Kota", "change_rate"] == pytest.approx(0.03)
    assert table.loc["Garut Kota", "yearly_cost_rp"] == 300 * 16800 * 12
    assert result.totals["yearly_cost_rp"] == 400 * 201_600 == 80_640_000
    assert result.totals["projected_rate"] == pytest.approx((8400 + 400) / 28000)
    assert np.isnan(table.loc["Tarogong Kidul", "projected_rate"])


def test_total_above_the_need_leaves_asn_unused():
    result = asn_scenario(TABLE, asn_total=5000, config=CONFIG)
    assert result.kecamatan["sponsored"].tolist() == [3000, 1000, 0, 0, 0]
    assert result.totals == pytest.approx({**result.totals, "asn": 5000, "sponsored": 4000, "unused_asn": 1000})
    assert result.totals["yearly_cost_rp"] == 4000 * 201_600


@settings(max_examples=60, deadline=None)
@given(needs=st.lists(st.integers(0, 5000), min_size=1, max_size=42), total=st.integers(0, 100_000))
def test_distribution_is_exact_and_capped(needs, total):
    rows = [(f"32.05.{i + 1:02d}", f"K{i}", 10_000, 1000, n) for i, n in enumerate(needs)]
    if sum(needs) == 0:
        needs[0] = 1
        rows[0] = (*rows[0][:4], 1)
    result = asn_scenario(kecamatan_table(rows), asn_total=total, config=CONFIG)
    sponsored = result.kecamatan["sponsored"].to_numpy()
    assert sponsored.sum() == min(total, sum(needs))
    assert (sponsored <= np.array(needs)).all() and (sponsored >= 0).all()
    assert result.totals["sponsored"] + result.totals["unused_asn"] == total


def test_per_kecamatan_by_code_or_name_with_caps():
    result = asn_scenario(TABLE, asn_per_kecamatan={"32.05.01": 100, "karangpawitan": 1500,
                                                    "Tarogong Kaler": 7000, "Tarogong Kidul": 9},
                          config=CONFIG)
    table = result.kecamatan.set_index("nama")
    assert table["asn"].tolist() == [100, 1500, 0, 7000, 9]
    assert table["sponsored"].tolist() == [100, 1000, 0, 5000, 0]   # split unknown: capped by all uncovered
    assert table["unused_asn"].tolist() == [0, 500, 0, 2000, 9]
    assert result.totals["yearly_cost_rp"] == 6100 * 201_600
    assert table.loc["Tarogong Kaler", "projected_rate"] == 1.0


def test_cost_follows_the_config():
    cheaper = OutreachConfig(monthly_contribution_rp=10_000, months_per_year=6)
    result = asn_scenario(TABLE, asn_total=10, config=cheaper)
    assert result.yearly_cost_per_worker_rp == 60_000 and result.totals["yearly_cost_rp"] == 600_000


@pytest.mark.parametrize("kwargs, message", [
    ({}, "exactly one"),
    ({"asn_total": 5, "asn_per_kecamatan": {}}, "exactly one"),
    ({"asn_total": -1}, "whole number"),
    ({"asn_total": 2.5}, "whole number"),
    ({"asn_per_kecamatan": {"Atlantis": 3}}, "Atlantis"),
    ({"asn_per_kecamatan": {"Garut Kota": -3}}, "whole number"),
])
def test_bad_requests(kwargs, message):
    with pytest.raises(ValueError, match=message):
        asn_scenario(TABLE, config=CONFIG, **kwargs)


def test_no_informal_need_at_all_is_explained():
    table = kecamatan_table([("32.05.01", "Garut Kota", 100, 100, 0)])
    with pytest.raises(ValueError, match="per kecamatan"):
        asn_scenario(table, asn_total=10, config=CONFIG)
    assert asn_scenario(table, asn_total=0, config=CONFIG).totals["sponsored"] == 0


def test_works_on_the_coverage_modules_kecamatan_table(desa):
    from analysis.coverage import compute_coverage

    kode = desa["kode"].iloc[:30].tolist()
    table = pd.DataFrame({
        "row": range(2, 32), "kode": kode, "level": "desa", "period": "2024-12",
        "workers": 1000, "covered": 300, "workers_formal": 400, "covered_formal": 250,
        "workers_informal": 600, "covered_informal": 50,
    })
    for column in table.columns[4:]:
        table[column] = table[column].astype("Int64")
    kecamatan = compute_coverage(table).kecamatan
    result = asn_scenario(kecamatan, asn_total=1000, config=CONFIG)
    with_data = result.kecamatan[result.kecamatan["workers"].notna()]
    assert len(result.kecamatan) == 42 and len(with_data) == kecamatan["has_data"].sum()
    assert with_data["sponsored"].sum() == 1000
    assert result.totals["coverage_rate"] == pytest.approx(0.3)
    assert result.totals["projected_rate"] == pytest.approx((9000 + 1000) / 30000)


def test_sponsors_needed_for_the_target_on_the_sample(garut_gpkg):
    from analysis.dataset import load_coverage
    from analysis.whatif import sponsors_needed

    needed = sponsors_needed(load_coverage().result)
    assert needed.total == 399_200 and needed.yearly_cost_rp == 80_478_720_000
    assert needed.kecamatan["sponsors"].sum() == 399_200 and len(needed.kecamatan) == 42
    assert (abs(needed.kecamatan["sponsors"] - needed.kecamatan["gap_to_target"]) <= 1).all()
    assert sponsors_needed(load_coverage().result, target=0.2).total == 0       # already above 20%
    with pytest.raises(ValueError, match="between 0 and 1"):
        sponsors_needed(load_coverage().result, target=70)


def test_whatif_command_and_the_one_click_answer(garut_gpkg):
    import json
    import subprocess
    import sys

    from streamlit.testing.v1 import AppTest

    from geo.paths import PROJECT_ROOT

    done = subprocess.run([sys.executable, "-m", "analysis", "whatif", "--target", "0.70"], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, check=True)
    out = json.loads(done.stdout)
    assert (out["sponsors_needed"], out["yearly_cost_rp"], len(out["per_kecamatan"])) == (399_200, 80_478_720_000, 42)
    at = AppTest.from_string("from ui.pages.whatif import render\nrender()", default_timeout=60)
    at.run()
    at.button(key="wi_needed").click().run()
    assert not at.exception, at.exception
    assert "399.200 pekerja perlu disponsori untuk mencapai 70%" in at.success[0].value
    assert at.number_input(key="wi_asn_total").value == 399_200
    assert not at.warning

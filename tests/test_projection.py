"""Projected coverage: snapshot + visit enrolments, capped per desa, rolled up consistently."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.coverage import compute_coverage
from analysis.dataset import load_coverage
from analysis.projection import (
    projected_coverage,
    projection_from_log,
    snapshot_start,
)
from analysis.visits import VisitLog
from core.i18n import t

KOTA_KULON = "32.05.01.1001"      # sample 2024-12: 6,630 workers, 3,300 covered
KOTA_WETAN = "32.05.01.1002"      # 4,476 workers, 1,621 covered
PURBAYANI = "32.05.36.2005"       # Caringin


@pytest.fixture(scope="module")
def result():
    return load_coverage().result


def _table(rows: list[tuple[str, str, int, int]]) -> pd.DataFrame:
    """Coverage input rows ``(kode, level, workers, covered)`` for period 2025-03, no formal/informal split."""
    frame = pd.DataFrame(rows, columns=["kode", "level", "workers", "covered"])
    frame.insert(0, "row", range(2, len(frame) + 2))
    frame.insert(3, "period", "2025-03")
    for column in ("workers", "covered", "workers_formal", "covered_formal", "workers_informal", "covered_informal"):
        frame[column] = frame[column].astype("Int64") if column in frame else pd.array([pd.NA] * len(frame),
                                                                                        dtype="Int64")
    return frame


def test_no_enrolments_change_nothing(result):
    projection = projected_coverage(result, {})
    kab = projection.kabupaten
    assert kab["enrolled"] == kab["added"] == kab["visits"] == 0
    assert kab["projected_rate"] == pytest.approx(result.kabupaten["coverage_rate"])
    assert kab["projected_gap"] == result.kabupaten["gap_to_target"] == 399_200
    assert projection.visited == frozenset()
    desa = projection.desa
    assert len(desa) == 442 and (desa["projected_covered"] == desa["covered"]).all()


def test_enrolments_are_added_and_capped_at_the_workers(result):
    projection = projected_coverage(result, {KOTA_KULON: 12, KOTA_WETAN: 10_000})
    desa = projection.desa.set_index("kode")
    kulon, wetan = desa.loc[KOTA_KULON], desa.loc[KOTA_WETAN]
    assert (kulon["added"], kulon["not_added"], kulon["projected_covered"]) == (12, 0, 3300 + 12)
    assert kulon["projected_rate"] == pytest.approx((3300 + 12) / 6630)
    assert kulon["projected_gap"] == math.ceil(0.7 * 6630 - 3312)
    # 10,000 enrolled but only 4,476 - 1,621 = 2,855 were uncovered: capped at 100 %
    assert (wetan["added"], wetan["not_added"]) == (2855, 10_000 - 2855)
    assert wetan["projected_rate"] == 1.0 and wetan["projected_gap"] == 0
    kab = projection.kabupaten
    assert (kab["enrolled"], kab["added"], kab["not_added"]) == (10_012, 2867, 7145)
    assert kab["projected_covered"] == 186_000 + 2867
    assert kab["projected_rate"] == pytest.approx((186_000 + 2867) / 836_000)
    assert kab["change_rate"] == pytest.approx(2867 / 836_000)
    assert kab["projected_gap"] == 399_200 - 2867
    assert kab["n_desa_visited"] == 2 and projection.visited == {KOTA_KULON, KOTA_WETAN}


def test_kecamatan_rows_sum_their_desa(result):
    enrolments = {KOTA_KULON: 40, KOTA_WETAN: 5, PURBAYANI: 300}
    projection = projected_coverage(result, enrolments)
    kec = projection.kecamatan.set_index("kode")
    garut_kota = kec.loc["32.05.01"]
    assert garut_kota["enrolled"] == 45 and garut_kota["added"] == 45 and garut_kota["visits"] == 2
    desa = projection.desa
    in_kota = desa[desa["kode_kec"] == "32.05.01"]
    assert garut_kota["projected_covered"] == in_kota["projected_covered"].sum()
    assert kec["added"].sum() == projection.kabupaten["added"] == 345
    assert kec.loc["32.05.02", "added"] == 0


def test_frame_of_the_visit_log_is_accepted(result):
    table = pd.DataFrame({"kode": [KOTA_KULON, PURBAYANI], "enrolled": [3, 4], "visits": [2, 1]})
    projection = projected_coverage(result, table, since=dt.date(2025, 1, 1))
    assert projection.kabupaten["visits"] == 3 and projection.kabupaten["added"] == 7
    assert projection.since == projection.kabupaten["since"] == dt.date(2025, 1, 1)


@pytest.mark.parametrize("bad, message", [
    ({KOTA_KULON: -1}, "whole numbers >= 0"),
    ({KOTA_KULON: 1.5}, "whole numbers >= 0"),
    ({"32.05.99.9999": 3}, "not in the coverage result"),
])
def test_bad_enrolments_are_refused(result, bad, message):
    with pytest.raises(ValueError, match=message):
        projected_coverage(result, bad)


def test_a_desa_without_data_keeps_its_enrolments_apart():
    table = _table([(KOTA_KULON, "desa", 1000, 400), ("32.05.01.1003", "desa", 2000, 1500)])
    result = compute_coverage(table)
    projection = projected_coverage(result, {KOTA_KULON: 100, KOTA_WETAN: 50})   # Kota Wetan has no data
    desa = projection.desa.set_index("kode")
    assert desa.loc[KOTA_WETAN, "added"] == 0 and desa.loc[KOTA_WETAN, "not_added"] == 50
    assert np.isnan(desa.loc[KOTA_WETAN, "projected_rate"])
    kab = projection.kabupaten
    assert (kab["workers"], kab["covered"], kab["added"], kab["not_added"]) == (3000, 1900, 100, 50)
    assert kab["projected_rate"] == pytest.approx(2000 / 3000)


def test_kecamatan_level_data_caps_per_kecamatan():
    table = _table([("32.05.01", "kecamatan", 1000, 900), ("32.05.02", "kecamatan", 500, 100)])
    result = compute_coverage(table)
    projection = projected_coverage(result, {KOTA_KULON: 80, KOTA_WETAN: 70, "32.05.02.1001": 30})
    assert projection.level == "kecamatan"
    kec = projection.kecamatan.set_index("kode")
    assert (kec.loc["32.05.01", "enrolled"], kec.loc["32.05.01", "added"]) == (150, 100)   # 100 uncovered
    assert kec.loc["32.05.01", "projected_rate"] == 1.0
    assert kec.loc["32.05.02", "added"] == 30
    assert projection.kabupaten["added"] == 130 and projection.kabupaten["not_added"] == 50
    assert (projection.desa["added"] == 0).all()      # desa have no counts of their own
    assert projection.visited == {KOTA_KULON, KOTA_WETAN, "32.05.02.1001"}


def test_snapshot_start():
    assert snapshot_start("2024-12") == dt.date(2025, 1, 1)
    assert snapshot_start("2024-02") == dt.date(2024, 3, 1)
    assert snapshot_start(None) is None
    with pytest.raises(ValueError, match="not YYYY-MM"):
        snapshot_start("Desember 2024")


def test_projection_from_log_counts_visits_after_the_snapshot_only(result, tmp_path):
    log = VisitLog(tmp_path / "visits.db", desa_codes=set(result.desa["kode"]))
    log.record_visit("2024-12-20", KOTA_KULON, "Tim A", 500, today=dt.date(2025, 3, 1))   # in the snapshot
    log.record_visit("2025-01-01", KOTA_KULON, "Tim A", 7, today=dt.date(2025, 3, 1))
    log.record_visit("2025-02-10", PURBAYANI, "Tim B", 5, today=dt.date(2025, 3, 1))
    projection = projection_from_log(result, log)
    assert projection.since == dt.date(2025, 1, 1)
    assert projection.kabupaten["enrolled"] == 12 and projection.kabupaten["visits"] == 2
    assert projection.visited == {KOTA_KULON, PURBAYANI}


def test_assumption_is_stated_in_both_languages():
    assert "paling banyak" in t("proj.assumption", "id") and "at most" in t("proj.assumption", "en")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from([KOTA_KULON, KOTA_WETAN, PURBAYANI, "32.05.05.1001"]),
                       st.integers(0, 5000), max_size=4),
       st.integers(1, 3000))
def test_projection_properties(result, enrolments, extra):
    projection = projected_coverage(result, enrolments)
    desa = projection.desa
    room = desa["workers"] - desa["covered"]
    assert (desa["added"] <= desa["enrolled"]).all() and (desa["added"] <= room).all()
    assert (desa["projected_rate"] <= 1.0).all() and (desa["change_rate"] >= 0).all()
    assert (desa["added"] + desa["not_added"] == desa["enrolled"]).all()
    # more enrolments never lower the projection
    more = dict(enrolments)
    more[KOTA_KULON] = more.get(KOTA_KULON, 0) + extra
    assert projected_coverage(result, more).kabupaten["projected_rate"] >= projection.kabupaten["projected_rate"]


def test_enrolments_flow_into_the_ranking_gap_and_reason(result):
    """120 enrolled at the rank-1 desa: its gap and its reason drop by exactly 120, its score falls."""
    from analysis.priorities import rank_desa
    from analysis.projection import with_enrolments
    from core.i18n import localize

    before = rank_desa(result.desa).ranked.set_index("kode")
    first = before.index[0]
    gap = int(before.loc[first, "gap_to_target"])
    after = rank_desa(with_enrolments(result.desa, projected_coverage(result, {first: 120}))).ranked.set_index("kode")
    assert int(after.loc[first, "gap_to_target"]) == gap - 120
    assert f"Kurang {gap - 120:,} peserta".replace(",", ".") in localize(after.loc[first, "alasan"], "id")
    assert after.loc[first, "score"] < before.loc[first, "score"]
    others = [k for k in before.index if k != first][:50]
    assert (after.loc[others, "gap_to_target"] == before.loc[others, "gap_to_target"]).all()

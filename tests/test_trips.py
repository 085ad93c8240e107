"""Visit plan: grouping, per-day limit, start point, distances, exports."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import math

import numpy as np
import openpyxl
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyproj import Geod

from analysis.config import OutreachConfig, StartPointConfig, load_config
from analysis.routing import (
    DayLimits,
    distance_matrix,
    nearest_neighbour_plan,
    plan_length,
    solve_plan,
)
from analysis.trips import (
    StartPoint,
    Team,
    metric_xy,
    plan_trips,
    start_point,
)
from render.exports.outreach import export_trips, trip_headers
from render.spreadsheet import neutralise, write_table

TRIP_HEADERS = trip_headers("id")

CONFIG = load_config()
#: No day length and no detour: distances are the straight lines, days the fewest that hold the desa.
FREE = dataclasses.replace(CONFIG, day_hours=0, detour_factor=1.0)


@pytest.fixture(scope="module")
def fallback(kecamatan):
    return start_point(CONFIG, kecamatan)


def selection(desa: pd.DataFrame, positions: list[int]) -> pd.DataFrame:
    chosen = desa.iloc[positions]
    return pd.DataFrame({"kode": chosen["kode"].to_numpy(), "nama": chosen["nama"].to_numpy(),
                         "kecamatan": chosen["kecamatan"].to_numpy(),
                         "rank": range(1, len(positions) + 1), "score": np.linspace(90, 50, len(positions)),
                         "alasan": "Kurang 1.000 peserta menuju target 70%."})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(positions=st.lists(st.integers(0, 441), min_size=1, max_size=30, unique=True),
       per_day=st.integers(1, 7))
def test_every_desa_once_and_the_per_day_limit(desa, fallback, positions, per_day):
    chosen = selection(desa, positions)
    plan = plan_trips(chosen, desa, fallback, desa_per_day=per_day, config=FREE)
    planned = plan.stops["kode"].tolist()
    assert sorted(planned) == sorted(chosen["kode"])          # every desa exactly once
    assert all(1 <= len(t.stops) <= per_day for t in plan.trips)
    assert len(plan.trips) == math.ceil(len(chosen) / per_day)
    assert [t.day for t in plan.trips] == list(range(1, len(plan.trips) + 1))
    for trip in plan.trips:
        assert trip.stops["urutan"].tolist() == list(range(1, len(trip.stops) + 1))
        assert trip.stops["jarak_kumulatif_m"].is_monotonic_increasing


def test_default_start_is_tarogong_kidul(fallback, kecamatan):
    assert not fallback.configured
    assert "Tarogong Kidul" in fallback.name
    tarogong_kidul = kecamatan[kecamatan["kode"] == "32.05.05"]
    assert tarogong_kidul["nama"].iloc[0] == "Tarogong Kidul"      # not 32.05.10 (Kadungora)
    assert tarogong_kidul.geometry.iloc[0].contains(shapely.Point(fallback.lon, fallback.lat))


def test_configured_start_point_wins(kecamatan):
    config = OutreachConfig(start_point=StartPointConfig(name="Kantor Cabang Garut", lat=-7.2, lon=107.9))
    point = start_point(config, kecamatan)
    assert point == StartPoint("Kantor Cabang Garut", -7.2, 107.9, True)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(positions=st.lists(st.integers(0, 441), min_size=1, max_size=24, unique=True),
       per_day=st.integers(1, 6), hours=st.sampled_from([3.0, 5.0, 8.0]), team_days=st.integers(1, 4))
def test_day_length_and_team_days_hold_and_nothing_is_lost(desa, fallback, positions, per_day, hours, team_days):
    config = dataclasses.replace(CONFIG, day_hours=hours)
    east = StartPoint("Pos timur", -7.25, 108.05, True)
    teams = [Team("Tim A", fallback, team_days), Team("Tim B", east, team_days)]
    chosen = selection(desa, positions)
    plan = plan_trips(chosen, desa, config=config, desa_per_day=per_day, teams=teams)
    planned = plan.stops["kode"].tolist()
    assert sorted(planned + plan.unplanned["kode"].tolist()) == sorted(chosen["kode"])   # each once, none lost
    assert len(set(planned)) == len(planned)
    for trip in plan.trips:
        assert len(trip.stops) <= per_day and trip.day <= team_days
        assert trip.duration_min <= hours * 60 + 1                     # rounding to whole minutes
    for name in ("Tim A", "Tim B"):
        days = [t.day for t in plan.trips if t.team == name]
        assert days == list(range(1, len(days) + 1))
    assert plan.unplanned["alasan_tidak_terjadwal"].map(lambda m: m.key).isin(
        ["plan.unplanned_too_far", "plan.unplanned_no_room"]).all()


def test_a_desa_too_far_for_one_day_is_listed_with_the_reason(desa, fallback):
    config = dataclasses.replace(CONFIG, day_hours=1.0)
    far = desa.index[desa["kode_kec"] == "32.05.30"][:1].tolist()           # Cikelet, on the south coast
    near = desa.index[desa["kode_kec"] == "32.05.05"][:2].tolist()          # Tarogong Kidul, at the start
    plan = plan_trips(selection(desa, far + near), desa, fallback, desa_per_day=4, config=config)
    assert plan.unplanned["kode"].tolist() == [desa.iloc[far[0]]["kode"]]
    assert plan.unplanned["alasan_tidak_terjadwal"].iloc[0].key == "plan.unplanned_too_far"
    assert sorted(plan.stops["kode"]) == sorted(desa.iloc[near]["kode"])


def test_too_few_days_leave_the_rest_unplanned_with_the_reason(desa, fallback):
    plan = plan_trips(selection(desa, list(range(10))), desa, desa_per_day=3, config=FREE,
                      teams=[Team("Tim A", fallback, 2)])
    assert len(plan.stops) == 6 and len(plan.unplanned) == 4
    assert set(plan.unplanned["alasan_tidak_terjadwal"].map(lambda m: m.key)) == {"plan.unplanned_no_room"}


def test_detour_factor_scales_straight_lines_and_says_so(desa, fallback):
    chosen = selection(desa, [0, 100, 200])
    straight = plan_trips(chosen, desa, fallback, desa_per_day=3, config=FREE)
    detour = plan_trips(chosen, desa, fallback, desa_per_day=3, config=dataclasses.replace(FREE, detour_factor=1.4))
    assert detour.total_m == pytest.approx(1.4 * straight.total_m, rel=1e-4)
    assert set(detour.stops["jenis_jarak"]) == {"perkiraan"}
    assert "1,4" in detour.distance_note() and "0 dari 4 ruas" in detour.distance_note()


def test_a_road_matrix_replaces_the_estimates_it_covers(desa, fallback):
    chosen = selection(desa, [0, 1])
    a, b = chosen["kode"]
    plan = plan_trips(chosen, desa, fallback, desa_per_day=2, config=CONFIG, road={(b, a): 12_345.0})
    stops = plan.trips[0].stops
    inner = stops.iloc[1]
    assert inner["jarak_dari_sebelumnya_m"] == 12_345 and inner["jenis_jarak"] == "jalan (matriks)"
    assert stops.iloc[0]["jenis_jarak"] == "perkiraan"
    assert plan.road_legs == 1 and plan.estimated_legs == 2


def test_distances_are_straight_line_metres(desa, fallback):
    chosen = selection(desa, [0, 100, 200, 300, 400])
    plan = plan_trips(chosen, desa, fallback, desa_per_day=5, config=FREE)
    (trip,) = plan.trips
    stops = trip.stops
    geod = Geod(ellps="WGS84")
    lats = [fallback.lat, *stops["lat"], fallback.lat]
    lons = [fallback.lon, *stops["lon"], fallback.lon]
    _, _, legs = geod.inv(lons[:-1], lats[:-1], lons[1:], lats[1:])
    ours = [*stops["jarak_dari_sebelumnya_m"], trip.return_m]
    # UTM 48S distorts lengths by under 0.1 % here; degrees would be off by 10^5.
    assert ours == pytest.approx(list(legs), rel=2e-3, abs=2)
    assert trip.total_m == pytest.approx(sum(legs), rel=2e-3)
    assert stops["jarak_kumulatif_m"].iloc[-1] == stops["jarak_dari_sebelumnya_m"].sum()


def test_the_solver_finds_the_short_round_trip():
    # A square of desa and a start just off its corner: nodes 0 (start), 1..4 (the corners, shuffled).
    points = np.array([[-10, -10], [0, 1000], [1000, 0], [1000, 1000], [0, 0]], dtype=float)
    dist = np.rint(np.hypot(*(points[:, None] - points[None]).transpose(2, 0, 1))).astype("int64")
    plan = solve_plan(dist, 1, [1], DayLimits(per_day=4))
    # The optimum: to the near corner, round three sides, back from the far corner.
    assert plan_length(dist, 1, plan) == pytest.approx(math.hypot(10, 10) + 3000 + math.hypot(1010, 10), abs=3)


def test_nearby_desa_share_a_day(desa, fallback):
    # Four desa of Cikelet and four of Garut Kota, interleaved by rank.
    cikelet = desa.index[desa["kode_kec"] == "32.05.30"][:4].tolist()
    kota = desa.index[desa["kode_kec"] == "32.05.01"][:4].tolist()
    positions = [p for pair in zip(cikelet, kota) for p in pair]
    plan = plan_trips(selection(desa, positions), desa, fallback, desa_per_day=4, config=FREE)
    assert [set(t.stops["kecamatan"]) for t in plan.trips] == [{"Cikelet"}, {"Garut Kota"}]


def test_trip_dates_skip_weekends(desa, fallback):
    plan = plan_trips(selection(desa, list(range(9))), desa, fallback, desa_per_day=3,
                      start_date=dt.date(2025, 6, 6), config=FREE)          # a Friday
    assert [t.date for t in plan.trips] == [dt.date(2025, 6, 6), dt.date(2025, 6, 9), dt.date(2025, 6, 10)]


def test_records_for_the_ui(desa, fallback):
    plan = plan_trips(selection(desa, [5, 6, 7]), desa, fallback, desa_per_day=2, config=FREE)
    records = plan.records()
    assert [r["n_desa"] for r in records] == [2, 1]
    first = records[0]
    assert first["path"][0] == first["path"][-1] == [fallback.lat, fallback.lon]
    assert len(first["path"]) == 4 and first["start"]["configured"] is False
    assert isinstance(first["stops"][0]["jarak_dari_sebelumnya_m"], int)


def test_bad_selection_is_refused(desa, fallback):
    with pytest.raises(ValueError, match="more than once"):
        plan_trips(selection(desa, [1, 1]), desa, fallback, config=CONFIG)
    with pytest.raises(ValueError, match="not in the desa layer"):
        plan_trips(pd.DataFrame({"kode": ["32.05.99.9999"]}), desa, fallback, config=CONFIG)


# --------------------------------------------------------------------------- exports


@pytest.fixture(scope="module")
def hostile_plan(desa, fallback):
    chosen = selection(desa, [0, 1, 2])
    chosen["alasan"] = ["=HYPERLINK(\"http://x\")", "+1+2", "@SUM(A1)"]
    return plan_trips(chosen, desa, fallback, desa_per_day=2, start_date=dt.date(2025, 6, 2), config=CONFIG)


def test_csv_export_is_indonesian_numeric_and_formula_safe(tmp_path, hostile_plan):
    path = export_trips(hostile_plan, tmp_path / "rencana.csv", source_label="ILUSTRATIF")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == [*TRIP_HEADERS.values(), "Sumber data lokasi"]
    alasan = [r[rows[0].index("Alasan")] for r in rows[1:]]
    assert sorted(alasan) == sorted(["'=HYPERLINK(\"http://x\")", "'+1+2", "'@SUM(A1)"])
    first = dict(zip(rows[0], rows[1]))
    assert first["Tanggal"] == "2025-06-02" and first["Hari ke"] == "1"
    assert first["Jarak dari titik sebelumnya (m)"].isdigit()          # 12345, not "12.345"
    assert float(first["Lintang"]) < 0 and first["Sumber data lokasi"] == "ILUSTRATIF"


def test_xlsx_export_keeps_numbers_and_never_formulas(tmp_path, hostile_plan):
    path = export_trips(hostile_plan, tmp_path / "rencana.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["Rencana kunjungan"]
    header = [c.value for c in sheet[1]]
    assert header == list(TRIP_HEADERS.values())
    body = list(sheet.iter_rows(min_row=2))
    assert len(body) == 3
    column = {h: i for i, h in enumerate(header)}
    for row in body:
        assert isinstance(row[column["Jarak dari titik sebelumnya (m)"]].value, int)
        assert isinstance(row[column["Skor prioritas"]].value, (int, float))
        assert row[column["Alasan"]].data_type == "s"
        assert row[column["Alasan"]].value.startswith("'")
    days = {(r[column["Hari ke"]].value, r[column["Tanggal"]].value.date()) for r in body}
    assert days == {(1, dt.date(2025, 6, 2)), (2, dt.date(2025, 6, 3))}
    notes = [c.value for c in book["Keterangan"]["A"]]
    assert any("Tarogong Kidul" in n for n in notes)
    assert any(n.startswith("Jarak adalah perkiraan: garis lurus") and "faktor jalan 1,4" in n for n in notes)
    assert not any("{" in n for n in notes)                             # every placeholder filled in


def test_write_table_refuses_other_formats(tmp_path):
    with pytest.raises(ValueError, match=".csv or .xlsx"):
        write_table(pd.DataFrame({"a": [1]}), tmp_path / "x.pdf", {"a": "A"})


@pytest.mark.parametrize("value, expected", [
    ("=1+1", "'=1+1"), ("-2", "'-2"), ("@x", "'@x"), ("\tx", "'\tx"), ("Garut", "Garut"), (-2, -2), (1.5, 1.5),
])
def test_neutralise(value, expected):
    assert neutralise(value) == expected


@pytest.mark.parametrize("n", [40, 120])
@pytest.mark.parametrize("n_teams", [1, 3])
def test_the_solver_plan_is_never_longer_than_nearest_neighbour(n, n_teams, desa, fallback):
    """n desa at 4 a day: every desa once, every limit held, no longer than the baseline, the same every run."""
    rng = np.random.default_rng(n)
    positions = sorted(rng.choice(len(desa), n, replace=False).tolist())
    starts = [fallback, StartPoint("Pos utara", -7.05, 107.85, True), StartPoint("Pos selatan", -7.5, 107.7, True)]
    teams = [Team(f"Tim {k + 1}", starts[k]) for k in range(n_teams)]
    chosen = selection(desa, positions)
    plan = plan_trips(chosen, desa, desa_per_day=4, config=CONFIG, teams=teams)
    assert sorted(plan.stops["kode"]) == sorted(chosen["kode"]) and plan.unplanned.empty
    assert all(len(t.stops) <= 4 and t.duration_min <= CONFIG.day_hours * 60 + 1 for t in plan.trips)
    # The same problem by hand: nodes are the starts, then the desa; straight lines times the detour factor.
    xy = np.vstack([metric_xy([s.lat for s in starts[:n_teams]], [s.lon for s in starts[:n_teams]]),
                    metric_xy(plan.stops["lat"], plan.stops["lon"])])
    dist = np.rint(distance_matrix(xy) * CONFIG.detour_factor).astype("int64")
    limits = DayLimits(4, int(CONFIG.service_minutes * 60), int(CONFIG.day_hours * 3600), CONFIG.speed_kmh / 3.6)
    baseline = nearest_neighbour_plan(dist, n_teams, [n] * n_teams, limits)
    assert not baseline.unplanned
    assert plan.total_m <= plan_length(dist, n_teams, baseline)
    assert plan.baseline_m == plan_length(dist, n_teams, baseline)
    again = plan_trips(chosen, desa, desa_per_day=4, config=CONFIG, teams=teams)
    assert again.stops["kode"].tolist() == plan.stops["kode"].tolist()      # deterministic

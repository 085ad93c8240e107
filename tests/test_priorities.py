"""Priority score and ranking: breakdown, monotonicity, no-data desa, filters, CLI."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.config import SCORE_COMPONENTS, ScoreConfig, load_config
from analysis.priorities import RANKED_COLUMNS, rank_desa
from core.errors import ConfigError
from geo.paths import PROJECT_ROOT
from ingest.sites import load_illustrative_sites

AS_OF = dt.date(2025, 6, 30)
TARGET = 0.7


def coverage_rows(desa: pd.DataFrame, counts: list[tuple[int, int, int | None, int | None] | None]) -> pd.DataFrame:
    """A coverage table shaped like ``compute_coverage(...).desa`` for the first desa.

    ``counts[i]`` is ``(workers, covered, workers_informal, covered_informal)``
    or None for a desa without data.
    """
    base = pd.DataFrame(desa[["kode", "nama", "kode_kec", "kecamatan", "jenis"]]).iloc[:len(counts)]
    rows = []
    for values in counts:
        if values is None:
            rows.append({"has_data": False, "workers": np.nan, "covered": np.nan,
                         "workers_informal": np.nan, "covered_informal": np.nan})
            continue
        workers, covered, w_inf, c_inf = values
        rows.append({"has_data": True, "workers": workers, "covered": covered,
                     "workers_informal": np.nan if w_inf is None else w_inf,
                     "covered_informal": np.nan if c_inf is None else c_inf})
    frame = pd.concat([base.reset_index(drop=True), pd.DataFrame(rows)], axis=1)
    return derive(frame)


def derive(frame: pd.DataFrame) -> pd.DataFrame:
    """Recompute the derived coverage columns (the colleagues' definitions)."""
    out = frame.copy()
    w, c = out["workers"].astype(float), out["covered"].astype(float)
    out["uncovered"] = w - c
    out["coverage_rate"] = np.where(w > 0, c / w, np.nan)
    out["gap_to_target"] = np.maximum(0, np.ceil(TARGET * w - c - 1e-9))
    out.loc[w.isna(), "gap_to_target"] = np.nan
    out["informal_uncovered"] = out["workers_informal"] - out["covered_informal"]
    out["informal_share"] = np.where(w > 0, out["workers_informal"] / w, np.nan)
    return out


def score_of(table: pd.DataFrame, kode: str, visits=None, config=None) -> float:
    ranked = rank_desa(table, None, visits, config or ScoreConfig(), as_of=AS_OF).ranked
    return float(ranked.set_index("kode").loc[kode, "score"])


# --------------------------------------------------------------------------- the property

counts_strategy = st.integers(min_value=0, max_value=5000).flatmap(
    lambda workers: st.tuples(
        st.just(workers),
        st.integers(min_value=0, max_value=workers),
        st.integers(min_value=0, max_value=workers),
    ).map(lambda t: (t[0], t[1], t[2], min(t[2], t[1])))
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    counts=st.lists(counts_strategy, min_size=1, max_size=8),
    pick=st.integers(min_value=0, max_value=7),
    extra=st.integers(min_value=1, max_value=20000),
    visit_days=st.lists(st.one_of(st.none(), st.integers(0, 800)), min_size=8, max_size=8),
    informal=st.booleans(),
)
def test_score_never_drops_when_uncovered_workers_grow(desa, counts, pick, extra, visit_days, informal):
    """Adding uncovered workers to one desa, all else equal, never lowers its score.

    "All else equal": covered workers, sites and visits stay; workers,
    uncovered, coverage rate and gap follow from the added workers.  Either the
    new workers are informal (informal share recomputed) or the informal share
    is held as it was.
    """
    table = coverage_rows(desa, counts)
    i = pick % len(counts)
    kode = table["kode"].iloc[i]
    visits = {k: AS_OF - dt.timedelta(days=d) for k, d in zip(table["kode"], visit_days) if d is not None}
    before = score_of(table, kode, visits)

    grown = table.copy()
    grown.loc[i, "workers"] += extra
    if informal:
        grown.loc[i, "workers_informal"] += extra
        grown = derive(grown)
    else:
        share = grown.loc[i, "informal_share"]
        grown = derive(grown)
        grown.loc[i, "informal_share"] = share
    assert grown.loc[i, "uncovered"] == table.loc[i, "uncovered"] + extra
    after = score_of(grown, kode, visits)
    assert after >= before


# --------------------------------------------------------------------------- breakdown


@pytest.fixture(scope="module")
def realistic(desa):
    """All 442 desa with varied made-up counts; five without data."""
    rng = np.random.default_rng(11)
    counts = []
    for i in range(len(desa)):
        if i in (3, 50, 51, 200, 441):
            counts.append(None)
            continue
        workers = int(rng.integers(300, 6000))
        covered = int(rng.integers(0, workers))
        informal = int(rng.integers(0, workers))
        counts.append((workers, covered, informal, min(informal, covered // 3)))
    return coverage_rows(desa, counts)


@pytest.fixture(scope="module")
def ranking(realistic, desa):
    visits = {realistic["kode"].iloc[10]: AS_OF - dt.timedelta(days=1)}
    return rank_desa(realistic, load_illustrative_sites(), visits, load_config(), as_of=AS_OF, desa=desa)


def test_ranking_columns_and_breakdown(ranking):
    table = ranking.ranked
    assert tuple(table.columns) == RANKED_COLUMNS
    assert len(table) == 437 and table["rank"].tolist() == list(range(1, 438))
    assert table["score"].is_monotonic_decreasing
    points = table[[f"pts_{c}" for c in SCORE_COMPONENTS]].sum(axis=1)
    assert np.allclose(points, table["score"], atol=0.011)
    for c in SCORE_COMPONENTS:
        assert table[f"c_{c}"].between(0, 1).all()
    assert table["c_gap"].max() == 1.0
    assert table["alasan"].str.len().gt(10).all()


def test_desa_without_data_are_listed_apart(ranking, realistic):
    missing = set(realistic.loc[~realistic["has_data"], "kode"])
    assert set(ranking.no_data["kode"]) == missing
    assert not missing & set(ranking.ranked["kode"])
    assert {"sites_in", "sites_near"} <= set(ranking.no_data.columns)


def test_reason_is_indonesian_with_indonesian_numbers(desa):
    table = coverage_rows(desa, [(3000, 300, 2700, 100), (100, 90, 10, 5)])
    ranked = rank_desa(table, None, None, ScoreConfig(), as_of=AS_OF).ranked
    top = ranked.iloc[0]
    assert top["kode"] == table["kode"].iloc[0]
    assert top["alasan"].startswith("Kurang 1.800 peserta menuju target 70%")
    assert "cakupan baru 10,0%" in top["alasan"] and top["alasan"].endswith(".")
    low = ranked.iloc[1]
    assert low["gap_to_target"] == 0 and "Kurang" not in low["alasan"]


def test_sites_raise_the_score(desa):
    same = [(2000, 400, 1500, 100)] * len(desa)
    table = coverage_rows(desa, same)
    sites = load_illustrative_sites()
    ranked = rank_desa(table, sites, None, load_config(), as_of=AS_OF, desa=desa).ranked.set_index("kode")
    tambakbaya = ranked.loc["32.05.20.2013"]            # the rafting operator is in it
    assert tambakbaya["sites_in"] == 1 and tambakbaya["c_sites"] > 0
    assert tambakbaya["site_categories"].startswith("Arung jeram")
    pamalayan = ranked.loc["32.05.30.2005"]             # Santolo beach and the TPI: site points saturate
    assert pamalayan["c_sites"] == 1.0 and pamalayan["sites_in"] == 2
    assert "; 2 lokasi risiko tinggi di desa dan 1 dalam 2 km (Wisata pantai" in pamalayan["alasan"]
    no_site = ranked[(ranked["sites_in"] == 0) & (ranked["sites_near"] == 0)]
    assert (no_site["score"] < tambakbaya["score"]).all()
    with_site = ranked[ranked["sites_in"] > 0]
    assert set(with_site.index) == set(sites["kode_desa"])


def test_recent_visit_lowers_the_score(desa):
    table = coverage_rows(desa, [(2000, 400, 1500, 100), (2000, 400, 1500, 100)])
    a, b = table["kode"]
    visits = {a: AS_OF - dt.timedelta(days=3)}
    ranked = rank_desa(table, None, visits, ScoreConfig(), as_of=AS_OF).ranked.set_index("kode")
    assert ranked.loc[a, "score"] < ranked.loc[b, "score"]
    assert ranked.loc[a, "days_since_visit"] == 3 and math.isnan(ranked.loc[b, "days_since_visit"])
    assert ranked.loc[b, "c_last_visit"] == 1.0
    assert "belum pernah dikunjungi" in ranked.loc[b, "alasan"] or ranked.loc[b, "pts_last_visit"] < ranked.loc[b, "pts_gap"]


def test_weights_come_from_config(desa):
    table = coverage_rows(desa, [(3000, 300, 2700, 100), (1000, 100, 100, 10)])
    only_gap = ScoreConfig(weights={"gap": 1, "informal": 0, "low_coverage": 0, "sites": 0, "last_visit": 0})
    ranked = rank_desa(table, None, None, only_gap, as_of=AS_OF).ranked
    assert ranked["score"].tolist() == pytest.approx((100 * ranked["c_gap"]).round(2).tolist())


def test_top_filters_by_kecamatan_code_or_name(ranking):
    by_name = ranking.top(5, kecamatan="garut kota")
    by_code = ranking.top(5, kecamatan="32.05.01")
    assert by_name.equals(by_code) and len(by_name) == 5
    assert (by_name["kode_kec"] == "32.05.01").all()
    assert by_name["rank"].is_monotonic_increasing
    assert len(ranking.top(3)) == 3
    with pytest.raises(ValueError, match="Bandung"):
        ranking.top(5, kecamatan="Bandung")


# --------------------------------------------------------------------------- CLI

needs_ingest = pytest.mark.skipif(
    importlib.util.find_spec("ingest.coverage") is None,
    reason="CLI needs ingest.coverage.read_coverage (colleagues' module, not in this checkout yet)",
)


@needs_ingest
def test_cli_prints_ranked_json_and_writes_the_plan(tmp_path):
    out = tmp_path / "visits.csv"
    result = subprocess.run(
        [sys.executable, "-m", "analysis", "priorities", "--top", "8", "--out", str(out),
         "--db", str(tmp_path / "none.db"), "--start-date", "2025-07-01"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert len(report["ranked"]) == 8 and report["ranked_total"] == 442
    first = report["ranked"][0]
    assert {"score", "c_gap", "pts_sites", "alasan"} <= set(first)
    assert report["sites"]["label"].startswith("ILUSTRATIF")
    planned = [k for day in report["trips"]["days"] for k in day["desa"]]
    assert sorted(planned) == sorted(r["kode"] for r in report["ranked"])
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("Tim,Hari ke,Tanggal,Urutan,Kode desa") and len(lines) == 9


@needs_ingest
def test_cli_kecamatan_filter_and_bad_name(tmp_path):
    ok = subprocess.run([sys.executable, "-m", "analysis", "priorities", "--kecamatan", "Cikelet", "--top", "3",
                         "--no-sites", "--db", str(tmp_path / "none.db")],
                        cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
    assert ok.returncode == 0, ok.stderr
    assert {r["kecamatan"] for r in json.loads(ok.stdout)["ranked"]} == {"Cikelet"}
    bad = subprocess.run([sys.executable, "-m", "analysis", "priorities", "--kecamatan", "Atlantis",
                          "--no-sites", "--db", str(tmp_path / "none.db")],
                         cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
    assert bad.returncode == 2 and "Atlantis" in bad.stderr


# --------------------------------------------------------------------------- settings file


def test_settings_file_holds_the_documented_defaults():
    config = load_config()
    assert config.source is not None and config.source.name == "outreach.toml"
    assert config.score.weights == {"gap": 0.35, "informal": 0.15, "low_coverage": 0.2, "sites": 0.2,
                                    "last_visit": 0.1, "companies": 0.0, "programme": 0.0}
    assert config.score.company_saturation == 50
    assert config.score.site_distance_m == 2000 and config.desa_per_day == 4
    assert config.start_point.fallback_kode_kec == "32.05.05" and not config.start_point.is_set
    assert config.monthly_contribution_rp == 16800 and config.months_per_year == 12
    assert config.score.category_weight("rafting") == 1.0
    assert config.score.category_weight("lainnya") == config.score.category_weight("anything else") == 0.5


@pytest.mark.parametrize("text, message", [
    ("[score]\ntarget = 0.7\n", "Unknown key"),
    ("[score.weights]\ngap = -1\n", "between 0"),
    ("[score.weights]\ngap = 0\ninformal = 0\nlow_coverage = 0\nsites = 0\nlast_visit = 0\n", "all zero"),
    ("[start_point]\nlat = -7.2\n", "both lat and lon"),
    ("[category_weights]\nconstruction = 1.0\n", "Unknown key"),
    ("[trips]\ndesa_per_day = 0\n", "between 1"),
    ("[score\n", "not valid TOML"),
])
def test_bad_settings_are_refused_with_the_key(tmp_path, text, message):
    path = tmp_path / "outreach.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_config(path)


def test_settings_path_and_start_point_from_the_environment(tmp_path, monkeypatch):
    path = tmp_path / "kantor.toml"
    path.write_text('[start_point]\nname = "Kantor Cabang Garut"\nlat = -7.2101\nlon = 107.9002\n')
    monkeypatch.setenv("PETA_OUTREACH_CONFIG", str(path))
    config = load_config()
    assert config.source == path and config.start_point.is_set
    assert (config.start_point.lat, config.start_point.lon) == (-7.2101, 107.9002)
    monkeypatch.setenv("PETA_OUTREACH_CONFIG", str(tmp_path / "missing.toml"))
    with pytest.raises(ConfigError, match="does not exist"):
        load_config()


@needs_ingest
def test_cli_plans_several_teams_and_prints_the_total(tmp_path):
    road = tmp_path / "jarak.csv"
    result = subprocess.run(
        [sys.executable, "-m", "analysis", "priorities", "--top", "24", "--no-sites", "--db", str(tmp_path / "n.db"),
         "--team", "Tim Utara@-7.07,107.89", "--team", "Tim Kota", "--days", "2", "--start-date", "2025-07-01"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    trips = report["trips"]
    assert [t["name"] for t in trips["teams"]] == ["Tim Utara", "Tim Kota"]
    assert trips["teams"][0]["start"] == {"name": "Tim Utara", "lat": -7.07, "lon": 107.89}
    assert all(d["team"] in ("Tim Utara", "Tim Kota") and d["day"] <= 2 and len(d["desa"]) <= 4 for d in trips["days"])
    planned = [k for d in trips["days"] for k in d["desa"]]
    assert sorted(planned + [u["kode"] for u in trips["unplanned"]]) == sorted(r["kode"] for r in report["ranked"])
    assert len(trips["unplanned"]) >= 24 - 2 * 2 * 4                    # 2 teams x 2 days x 4 desa
    assert trips["total_km"] == pytest.approx(sum(d["total_m"] for d in trips["days"]) / 1000, abs=0.1)
    assert "perkiraan" in trips["distances"] and trips["road_legs"] == 0

    first, second = planned[0], planned[1]
    road.write_text(f"dari;ke;km\n{first};{second};3,5\n", encoding="utf-8")
    with_road = subprocess.run(
        [sys.executable, "-m", "analysis", "priorities", "--top", "24", "--no-sites", "--db", str(tmp_path / "n.db"),
         "--teams", "1", "--road", str(road), "--lang", "en"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
    assert with_road.returncode == 0, with_road.stderr
    plan = json.loads(with_road.stdout)["trips"]
    assert plan["nearest_neighbour_km"] >= plan["total_km"] and "Distances are estimates" in plan["distances"]
    road.write_text("dari;ke;km\n32.05.01.1001;32.05.99.9999;-2\n", encoding="utf-8")
    refused = subprocess.run(
        [sys.executable, "-m", "analysis", "priorities", "--top", "4", "--no-sites", "--db", str(tmp_path / "n.db"),
         "--road", str(road), "--lang", "en"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
    assert refused.returncode != 0 and "jarak.csv: the road-distance matrix is refused, 2 problem(s)" in refused.stderr
    assert "row 2, column ke: code 32.05.99.9999 is not a desa of Kabupaten Garut" in refused.stderr


def test_company_gaps_and_programmes_count_only_when_weighted(desa):
    table = coverage_rows(desa, [(1000, 100, 100, 10), (1000, 100, 100, 10), (1000, 100, 100, 10)])
    a, b, c = table["kode"].iloc[:3]
    gaps = {a: 80.0, b: 10.0}
    programmes = pd.DataFrame({"kode_desa": [a, b, c], "sadar_status": ["sudah", "proses", None],
                               "sadar_date": [None, None, None], "perangkat_registered": [10, 2, 3],
                               "perangkat_total": [10, 10, 12]})
    plain = rank_desa(table, None, None, ScoreConfig(), as_of=AS_OF).ranked.set_index("kode")
    same = rank_desa(table, None, None, ScoreConfig(), as_of=AS_OF, company_gaps=gaps,
                     programmes=programmes).ranked.set_index("kode")
    assert same["score"].tolist() == plain["score"].tolist()              # weight 0: nothing changes
    weighted = ScoreConfig(weights={**ScoreConfig().weights, "companies": 0.2, "programme": 0.1},
                           company_saturation=50)
    ranked = rank_desa(table, None, None, weighted, as_of=AS_OF, company_gaps=gaps,
                       programmes=programmes).ranked.set_index("kode")
    assert ranked.loc[[a, b, c], "c_companies"].tolist() == [1.0, 0.2, 0.0]
    # sudah and all registered: 0; proses and 8 of 10 not registered: (0.5 + 0.8) / 2; no status, 9 of 12: 0.75
    assert ranked.loc[[a, b, c], "c_programme"].tolist() == [0.0, 0.65, 0.75]
    assert ranked.index[0] == a and ranked.loc[a, "company_gap"] == 80
    assert "80 pekerja belum terlindungi di perusahaan PWBD/PDS" in ranked.loc[a, "alasan"]

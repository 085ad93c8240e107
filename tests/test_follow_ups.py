"""Follow-ups: promised enrolments and return dates on visits; due, overdue and per-team counts."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import subprocess
import sys

import pytest

from analysis.visits import VisitLog, follow_up_counts, validate_visit
from core.errors import VisitValidationError
from geo.paths import PROJECT_ROOT

CODES = frozenset({"32.05.01.1001", "32.05.01.1002", "32.05.30.2005", "32.05.05.2003"})
TODAY = dt.date(2025, 6, 30)


@pytest.fixture
def log(app_db):
    return VisitLog(app_db, desa_codes=CODES)


def test_promised_and_follow_up_are_checked():
    visit = validate_visit("2025-06-10", "32.05.01.1001", "Tim A", 3, promised="12", follow_up="2025-07-01",
                           desa_codes=CODES, today=TODAY)
    assert visit.promised == 12 and visit.follow_up == dt.date(2025, 7, 1)     # a future follow-up is fine
    with pytest.raises(VisitValidationError) as caught:
        validate_visit("2025-06-10", "32.05.01.1001", "Tim A", 3, follow_up="2025-06-09", desa_codes=CODES,
                       today=TODAY)
    assert caught.value.field == "follow_up" and "before the visit on 2025-06-10" in caught.value.message("en")
    for bad in (-1, 1.5, "dua"):
        with pytest.raises(VisitValidationError) as caught:
            validate_visit("2025-06-10", "32.05.01.1001", "Tim A", 3, promised=bad, desa_codes=CODES, today=TODAY)
        assert caught.value.field == "promised"
    with pytest.raises(VisitValidationError, match="YYYY-MM-DD"):
        validate_visit("2025-06-10", "32.05.01.1001", "Tim A", 3, follow_up="31/06", desa_codes=CODES, today=TODAY)


def test_due_overdue_upcoming_and_made_by_a_later_visit(log):
    log.record_visit("2025-06-01", "32.05.01.1001", "Tim A", 2, promised=10, follow_up="2025-06-20", today=TODAY)
    log.record_visit("2025-06-02", "32.05.01.1002", "Tim A", 0, promised=5, follow_up="2025-06-30", today=TODAY)
    log.record_visit("2025-06-03", "32.05.30.2005", "Tim B", 1, promised=7, follow_up="2025-07-15", today=TODAY)
    log.record_visit("2025-06-04", "32.05.05.2003", "Tim B", 4, follow_up="2025-06-10", today=TODAY)
    log.record_visit("2025-06-12", "32.05.05.2003", "Tim C", 6, today=TODAY)        # made Tim B's follow-up
    open_ = log.follow_ups(today=TODAY)
    assert open_["kode_desa"].tolist() == ["32.05.01.1001", "32.05.01.1002", "32.05.30.2005"]
    assert open_["status"].tolist() == ["overdue", "due", "upcoming"]
    assert open_["days_late"].tolist() == [10, 0, 0]
    counts = follow_up_counts(open_).set_index("team")
    assert counts.loc["Tim A", ["overdue", "due", "upcoming", "promised"]].tolist() == [1, 1, 0, 15]
    assert counts.loc["Tim B", ["overdue", "due", "upcoming", "promised"]].tolist() == [0, 0, 1, 7]
    assert "Tim C" not in counts.index


def test_an_older_log_gains_the_new_columns(tmp_path):
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE visit_log (id INTEGER PRIMARY KEY AUTOINCREMENT, visit_date TEXT NOT NULL, "
                     "kode_desa TEXT NOT NULL, team TEXT NOT NULL, enrolled INTEGER NOT NULL, "
                     "notes TEXT NOT NULL DEFAULT '', recorded_at TEXT NOT NULL)")
        conn.execute("INSERT INTO visit_log (visit_date, kode_desa, team, enrolled, recorded_at) "
                     "VALUES ('2025-05-01', '32.05.01.1001', 'Tim A', 4, '2025-05-01T08:00:00')")
    log = VisitLog(path, desa_codes=CODES)
    log.record_visit("2025-06-01", "32.05.01.1002", "Tim A", 1, promised=3, follow_up="2025-06-29", today=TODAY)
    visits = log.visits()
    assert visits["promised"].tolist() == [0, 3]
    assert visits["follow_up"].tolist() == [None, dt.date(2025, 6, 29)]
    assert log.follow_ups(today=TODAY)["status"].tolist() == ["overdue"]


def test_cli_adds_and_lists_follow_ups(tmp_path):
    env = {"PETA_APP_DB": str(tmp_path / "app.db"), "PATH": "/usr/bin:/bin"}
    today = dt.date.today()
    add = subprocess.run(
        [sys.executable, "-m", "analysis", "visits", "add", "--date", (today - dt.timedelta(days=9)).isoformat(),
         "--desa", "32.05.01.1001", "--team", "Tim A", "--enrolled", "2", "--promised", "8",
         "--follow-up", (today - dt.timedelta(days=2)).isoformat()],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=False, env=env)
    assert add.returncode == 0, add.stderr
    listed = subprocess.run([sys.executable, "-m", "analysis", "visits", "follow-ups"], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, check=False, env=env)
    assert listed.returncode == 0, listed.stderr
    report = json.loads(listed.stdout)
    assert report["counts"] == [{"team": "Tim A", "overdue": 1, "due": 0, "upcoming": 0, "promised": 8}]
    (item,) = report["follow_ups"]
    assert item["status"] == "overdue" and item["days_late"] == 2 and item["desa"] == "Kota Kulon"
    bad = subprocess.run(
        [sys.executable, "-m", "analysis", "visits", "add", "--date", today.isoformat(), "--desa", "32.05.01.1001",
         "--team", "Tim A", "--follow-up", (today - dt.timedelta(days=1)).isoformat(), "--lang", "en"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=False, env=env)
    assert bad.returncode != 0 and "is before the visit on" in bad.stderr


def test_the_map_marks_due_and_overdue_desa_only_and_escapes_team_names(log, desa_web):
    import folium

    from render.maps.sites_layer import add_follow_up_layer

    log.record_visit("2025-06-01", "32.05.01.1001", "Tim `${alert(1)}`", 2, promised=10, follow_up="2025-06-20",
                     today=TODAY)
    log.record_visit("2025-06-02", "32.05.01.1002", "Tim A", 0, promised=5, follow_up="2025-06-30", today=TODAY)
    log.record_visit("2025-06-03", "32.05.30.2005", "Tim B", 1, promised=7, follow_up="2025-07-15", today=TODAY)
    fmap = folium.Map(location=[-7.2, 107.9], tiles=None)
    add_follow_up_layer(fmap, desa_web, log.follow_ups(today=TODAY), "en")
    page = fmap.get_root().render()
    assert page.count("peta-follow-up-overdue") == 1 and page.count("peta-follow-up-due") == 1
    assert "10 workers promised to enrol" in page and "days overdue" in page
    assert "${alert(1)}" not in page and "`${" not in page

"""Visit log: validation, concurrent writers, a killed writer, queries, exports."""

from __future__ import annotations

import csv
import datetime as dt
import logging
import multiprocessing
import os
import signal
import sqlite3
import time

import openpyxl
import pytest

from analysis.visits import (
    MAX_NOTES_CHARS,
    Visit,
    VisitLog,
    validate_visit,
)
from core.errors import VisitValidationError
from render.exports.outreach import export_visits, visit_headers

VISIT_HEADERS = visit_headers("id")


CODES = frozenset({"32.05.01.1001", "32.05.01.1002", "32.05.30.2005"})
TODAY = dt.date(2025, 6, 30)
BATCH = 7


@pytest.fixture
def log(app_db):
    return VisitLog(app_db, desa_codes=CODES)


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize("args, field, words", [
    (("2025-07-01", "32.05.01.1001", "Tim A", 1), "visit_date", "masa depan"),
    (("01/06/2025", "32.05.01.1001", "Tim A", 1), "visit_date", "YYYY-MM-DD"),
    (("2025-06-01", "32.05.99.9999", "Tim A", 1), "kode_desa", "tidak ada di Kabupaten Garut"),
    (("2025-06-01", "32.05.01.1001", "  ", 1), "team", "Nama tim kosong"),
    (("2025-06-01", "32.05.01.1001", "T" * 101, 1), "team", "terlalu panjang"),
    (("2025-06-01", "32.05.01.1001", "Tim A", -3), "enrolled", "negatif"),
    (("2025-06-01", "32.05.01.1001", "Tim A", 2.5), "enrolled", "bilangan bulat"),
    (("2025-06-01", "32.05.01.1001", "Tim A", True), "enrolled", "bilangan bulat"),
    (("2025-06-01", "32.05.01.1001", "Tim A", "lima"), "enrolled", "bilangan bulat"),
])
def test_invalid_visits_get_clear_messages(log, args, field, words):
    with pytest.raises(VisitValidationError) as info:
        log.record_visit(*args, today=TODAY)
    assert words in info.value.message("id")
    assert info.value.field == field
    assert log.visits().empty


def test_valid_inputs_are_normalised():
    visit = validate_visit(dt.datetime(2025, 6, 30, 9), " 32.05.01.1001 ", " Tim A ", "12",
                           desa_codes=CODES, today=TODAY)
    assert visit == Visit(dt.date(2025, 6, 30), "32.05.01.1001", "Tim A", 12, "")


def test_notes_are_never_quoted_in_errors_or_logs(log, caplog):
    secret = "RAHASIA-" + "x" * MAX_NOTES_CHARS
    with caplog.at_level(logging.DEBUG):
        with pytest.raises(VisitValidationError) as info:
            log.record_visit("2025-06-01", "32.05.01.1001", "Tim A", 1, secret, today=TODAY)
        log.record_visit("2025-06-01", "32.05.01.1001", "Tim A", 1, "RAHASIA catatan", today=TODAY)
    assert "RAHASIA" not in str(info.value) and info.value.field == "notes"
    assert "RAHASIA" not in caplog.text


def test_the_database_is_created_on_first_use_in_wal_mode(tmp_path):
    path = tmp_path / "nested" / "app.db"
    log = VisitLog(path, desa_codes=CODES)
    assert not path.exists()
    log.record_visit("2025-06-01", "32.05.01.1001", "Tim A", 1, today=TODAY)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_default_path_comes_from_config_or_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("PETA_APP_DB", str(tmp_path / "elsewhere.db"))
    assert VisitLog(desa_codes=CODES).path == tmp_path / "elsewhere.db"
    monkeypatch.delenv("PETA_APP_DB")
    assert VisitLog(desa_codes=CODES).path.name == "app.db"


def test_real_desa_codes_are_the_default(garut_gpkg, tmp_path):
    log = VisitLog(tmp_path / "app.db")
    assert len(log.desa_codes) == 442
    log.record_visit("2025-06-01", "32.05.42.2007", "Tim A", 0, today=TODAY)


# --------------------------------------------------------------------------- queries


def test_last_visits_and_enrolments_since(log):
    for day, kode, n in [("2025-05-01", "32.05.01.1001", 4), ("2025-06-10", "32.05.01.1001", 6),
                         ("2025-06-01", "32.05.01.1002", 10), ("2025-06-15", "32.05.30.2005", 3)]:
        log.record_visit(day, kode, "Tim A", n, today=TODAY)
    assert log.last_visits() == {"32.05.01.1001": dt.date(2025, 6, 10), "32.05.01.1002": dt.date(2025, 6, 1),
                                 "32.05.30.2005": dt.date(2025, 6, 15)}
    desa = log.enrolments_since("2025-06-01")
    assert desa.to_dict("records") == [
        {"kode": "32.05.01.1001", "enrolled": 6, "visits": 1},
        {"kode": "32.05.01.1002", "enrolled": 10, "visits": 1},     # the since day counts
        {"kode": "32.05.30.2005", "enrolled": 3, "visits": 1},
    ]
    kec = log.enrolments_since(dt.date(2025, 5, 1), level="kecamatan", until="2025-06-10")
    assert kec.to_dict("records") == [{"kode": "32.05.01", "enrolled": 20, "visits": 3}]
    with pytest.raises(ValueError, match="level"):
        log.enrolments_since("2025-01-01", level="kabupaten")


def test_export_neutralises_notes_and_keeps_numbers(log, tmp_path, desa):
    log.record_visit("2025-06-01", "32.05.01.1001", "=Tim", 5, '=HYPERLINK("http://x","klik")', today=TODAY)
    log.record_visit("2025-06-02", "32.05.30.2005", "Tim B", 0, "-10 pekerja menolak", today=TODAY)
    path = export_visits(log, tmp_path / "log.csv", desa)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == list(VISIT_HEADERS.values())
    assert rows[0]["Catatan"] == "'=HYPERLINK(\"http://x\",\"klik\")" and rows[0]["Tim"] == "'=Tim"
    assert rows[1]["Catatan"] == "'-10 pekerja menolak"
    assert rows[0]["Pekerja didaftarkan (JKK/JKM)"] == "5" and rows[0]["Desa/kelurahan"] == "Kota Kulon"
    xlsx = export_visits(log, tmp_path / "log.xlsx", desa)
    sheet = openpyxl.load_workbook(xlsx)["Log kunjungan"]
    notes = sheet.cell(row=2, column=list(VISIT_HEADERS).index("notes") + 1)
    assert notes.data_type == "s" and notes.value.startswith("'=")
    assert sheet.cell(row=2, column=list(VISIT_HEADERS).index("enrolled") + 1).value == 5


# --------------------------------------------------------------------------- concurrency and crashes


def _writer(path: str, team: str, n: int, barrier) -> None:
    log = VisitLog(path, desa_codes=CODES, busy_timeout_s=60)
    barrier.wait()
    for i in range(n):
        log.record_visit("2025-06-01", sorted(CODES)[i % 3], team, i, f"catatan {i}", today=TODAY)


def _batch_writer(path: str, report: str) -> None:
    log = VisitLog(path, desa_codes=CODES)
    fd = os.open(report, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    batch = 0
    while True:
        log.record_visits([Visit(dt.date(2025, 6, 1), "32.05.01.1001", f"batch-{batch}", j, "n" * 300)
                           for j in range(BATCH)], today=TODAY)
        os.write(fd, f"{batch}\n".encode())     # only after the commit returned
        batch += 1


@pytest.mark.slow
def test_two_concurrent_writer_processes_lose_nothing(app_db):
    path = str(app_db)                                  # both processes create its tables on first use
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(2)
    procs = [ctx.Process(target=_writer, args=(path, team, 120, barrier)) for team in ("Tim A", "Tim B")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
    assert [p.exitcode for p in procs] == [0, 0]
    log = VisitLog(path, desa_codes=CODES)
    visits = log.visits()
    assert len(visits) == 240 and visits["id"].is_unique
    for team in ("Tim A", "Tim B"):
        assert sorted(visits.loc[visits["team"] == team, "enrolled"]) == list(range(120))
    assert log.integrity_ok()


@pytest.mark.slow
def test_a_killed_writer_keeps_every_committed_visit(app_db, tmp_path):
    path, report = str(app_db), str(tmp_path / "committed.txt")
    ctx = multiprocessing.get_context("fork")
    proc = ctx.Process(target=_batch_writer, args=(path, report))
    proc.start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if os.path.exists(report) and open(report).read().count("\n") >= 40:
            break
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)                  # mid-run: it never stops writing
    proc.join(timeout=30)
    assert proc.exitcode == -signal.SIGKILL
    committed = {f"batch-{n}" for n in open(report).read().split()}
    assert len(committed) >= 40

    log = VisitLog(path, desa_codes=CODES)
    assert log.integrity_ok()
    counts = log.visits().groupby("team").size()
    assert committed <= set(counts.index)                 # everything committed before the kill
    assert (counts == BATCH).all()                        # no half-written transaction
    assert len(counts) - len(committed) <= 1              # at most the batch committed as it died
    log.record_visit("2025-06-02", "32.05.01.1002", "Tim C", 1, today=TODAY)
    assert len(log.visits()) == BATCH * len(counts) + 1


def test_visits_command_adds_lists_and_exports(tmp_path, garut_gpkg):
    import json
    import os
    import subprocess
    import sys

    from geo.paths import PROJECT_ROOT

    env = {**os.environ, "PETA_APP_DB": str(tmp_path / "app.db")}

    def cli(*words):
        return subprocess.run([sys.executable, "-m", "analysis", "visits", *words], cwd=PROJECT_ROOT, env=env,
                              capture_output=True, text=True)

    added = cli("add", "--date", "2025-01-10", "--desa", "32.05.01.1001", "--team", "Tim Kota", "--enrolled", "7")
    assert added.returncode == 0 and json.loads(added.stdout)["id"] == 1
    listed = [json.loads(line) for line in cli("list").stdout.splitlines()]
    assert [(v["visit_date"], v["kode_desa"], v["team"], v["enrolled"]) for v in listed] == [
        ("2025-01-10", "32.05.01.1001", "Tim Kota", 7)]
    out = tmp_path / "kunjungan.csv"
    exported = cli("export", "--out", str(out), "--lang", "en")
    assert exported.returncode == 0 and json.loads(exported.stdout)["visits"] == 1 and out.is_file()
    future = cli("add", "--date", "2999-01-01", "--desa", "32.05.01.1001", "--team", "Tim Kota", "--lang", "en")
    assert future.returncode == 2 and "is in the future" in future.stderr
    assert len(cli("list").stdout.splitlines()) == 1

"""The shared store: one schema on both back ends, versioned; a PostgreSQL restart loses nothing acknowledged."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import time

import pytest

from analysis.visits import VisitLog
from core.errors import StoreError
from ingest.appdb import AppDatabase, app_database, database_url
from ingest.migrations import head_revision

CODES = frozenset({"32.05.01.1001", "32.05.01.1002"})
TODAY = dt.date(2025, 6, 30)


def test_both_back_ends_are_brought_to_the_newest_schema(app_db):
    db = app_database(app_db)
    assert db.schema_version() == head_revision()
    with db.read() as conn:
        tables = set(conn.dialect.get_table_names(conn))
    assert {"visit_log", "company_steps", "cohorts", "column_mappings", "start_point", "trip_teams", "users",
            "login_failures", "audit_log", "alembic_version"} <= tables
    assert db.integrity_ok()


def test_urls_name_the_driver_and_hide_the_password():
    assert database_url("postgresql://u:geheim@h:5432/d") == "postgresql+psycopg://u:geheim@h:5432/d"
    assert "geheim" not in AppDatabase("postgresql://u:geheim@h:5432/d").display_url
    with pytest.raises(StoreError) as info:
        database_url("mysql://u@h/d")
    assert "mysql" in info.value.message("en") and "postgresql://" in info.value.message("en")


def test_an_unreachable_server_is_a_clear_error_not_a_traceback(tmp_path):
    db = AppDatabase("postgresql://postgres@127.0.0.1:9/none", busy_timeout_s=2)
    with pytest.raises(StoreError) as info:
        VisitLog(db, desa_codes=CODES).visits()
    text = info.value.message("id")
    assert "127.0.0.1:9" in text and "PETA_DATABASE_URL" in text


def _writer(url: str, report: str) -> None:
    """Record visits for ever; append each acknowledged id to ``report``; count the refusals."""
    log = VisitLog(url, desa_codes=CODES, busy_timeout_s=5)
    fd = os.open(report, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    i = 0
    while True:
        i += 1
        try:
            visit_id = log.record_visit("2025-06-01", "32.05.01.1001", f"Tim {i}", i, today=TODAY)
        except StoreError:
            os.write(fd, b"refused\n")
            time.sleep(0.05)
            continue
        os.write(fd, f"{visit_id} {i}\n".encode())   # only after the commit returned


def _acknowledged(report: str) -> dict[int, int]:
    if not os.path.exists(report):
        return {}
    lines = [line.split() for line in open(report).read().splitlines()]
    return {int(parts[0]): int(parts[1]) for parts in lines if len(parts) == 2}


def _wait_for(condition, writers, report: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        counts = [len(_acknowledged(f"{report}.{n}")) for n in range(len(writers))]
        assert all(w.is_alive() for w in writers), f"a writer died: exit codes {[w.exitcode for w in writers]}"
        assert time.monotonic() < deadline, f"timed out; acknowledged so far {counts}"
        time.sleep(0.02)


@pytest.mark.slow
def test_a_server_restart_in_the_middle_of_writes_loses_nothing_acknowledged(tmp_path):
    from tests.pg_server import PostgresServer

    server = PostgresServer().start()     # its own server: the session's is not restarted under other tests
    try:
        url, report = server.fresh_url(), str(tmp_path / "acknowledged.txt")
        VisitLog(url, desa_codes=CODES).visits()                  # tables made before the writers start
        ctx = multiprocessing.get_context("fork")  # spawn re-runs __main__: an AppTest script, after app tests
        writers = [ctx.Process(target=_writer, args=(url, f"{report}.{n}")) for n in range(2)]
        for writer in writers:
            writer.start()
        try:
            _wait_for(lambda: all(len(_acknowledged(f"{report}.{n}")) >= 30 for n in range(2)), writers, report)
            before = sum(len(_acknowledged(f"{report}.{n}")) for n in range(2))
            server.restart("immediate")                           # as a crash: no checkpoint, recovery from WAL
            _wait_for(lambda: sum(len(_acknowledged(f"{report}.{n}")) for n in range(2)) >= before + 60, writers,
                      report)
        finally:
            for writer in writers:
                writer.terminate()
                writer.join(30)
        acknowledged = {}
        for n in range(2):
            acknowledged.update(_acknowledged(f"{report}.{n}"))
        refused = sum(open(f"{report}.{n}").read().count("refused") for n in range(2))
        stored = VisitLog(AppDatabase(url), desa_codes=CODES).visits().set_index("id")
        assert set(acknowledged) <= set(stored.index)             # every acknowledged visit survived
        assert all(stored.loc[i, "enrolled"] == enrolled for i, enrolled in acknowledged.items())
        assert stored.index.is_unique
        assert refused >= 1                                       # the writers did see the server go away
    finally:
        server.stop()


def test_the_settings_stores_keep_and_replace_on_both_back_ends(app_db, garut_gpkg):
    from analysis.start_points import StartPointStore, TeamStore
    from ingest.mappings import MappingStore, header_signature

    mappings = MappingStore(app_db)
    key = header_signature(["Kode Desa", "Peserta"])
    assert mappings.get(key) is None
    mappings.put(key, {"Kode Desa": "kode"})
    mappings.put(key, {"Kode Desa": "kode", "Peserta": "covered"})            # replaced, not added
    assert mappings.get(key) == {"Kode Desa": "kode", "Peserta": "covered"}

    start = StartPointStore(app_db)
    start.put("Kantor Cabang Garut", -7.2166, 107.9)
    start.put("Kantor Cabang Garut (baru)", -7.21, 107.91)
    assert start.get() == ("Kantor Cabang Garut (baru)", -7.21, 107.91)

    teams = TeamStore(app_db)
    teams.put([{"name": "Tim A", "days": 3}, {"name": "Tim B", "lat": -7.3, "lon": 107.8, "start_name": "Cikajang"}])
    assert [(tm.name, tm.days) for tm in teams.get()] == [("Tim A", 3), ("Tim B", None)]
    teams.put([{"name": "Tim C"}])
    assert [tm.name for tm in teams.get()] == ["Tim C"]

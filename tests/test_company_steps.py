"""The follow-up ladder of PWBD/PDS companies: recording steps, and each company's next step and its date."""

from __future__ import annotations

import datetime as dt
import multiprocessing

import pytest

from analysis.company_steps import (
    NEXT_STATES,
    StepLog,
    company_key,
    load_ladder,
    next_steps,
    validate_step,
)
from core.errors import VisitValidationError

TODAY = dt.date(2026, 12, 1)
NPP_KEY = company_key("99 000 001", "PT Contoh 001", "32.05.01.1001")


def _log(app_db) -> StepLog:
    return StepLog(app_db)


def _record(log: StepLog, step: str, date: str, outcome: str = "terkirim", key: str = NPP_KEY) -> int:
    return log.record_step(key, "PT Contoh 001", "32.05.01.1001", step, date, outcome, today=TODAY)


def test_company_key_prefers_the_npp_and_else_the_name_in_its_desa():
    assert NPP_KEY == "npp:99000001"
    assert company_key("", "CV  Contoh 002 ", "32.05.01.1001") == company_key("", "cv contoh 002", "32.05.01.1001")
    assert company_key("", "CV Contoh 002", "32.05.01.1001") != company_key("", "CV Contoh 002", "32.05.01.1002")


def test_a_company_with_no_step_starts_with_the_appeal_letter_due_today(app_db):
    table = next_steps([NPP_KEY], _log(app_db).steps(), TODAY)
    row = table.loc[NPP_KEY]
    assert (row["next_step"], row["due"], row["letter"], row["state"]) == ("himbauan", TODAY, "himbauan", "due")


def test_the_ladder_climbs_with_its_waiting_days_and_a_visit_does_not_move_it(app_db):
    log = _log(app_db)
    _record(log, "himbauan", "2026-11-01")
    _record(log, "kunjungan", "2026-11-20", "berjanji")
    row = next_steps([NPP_KEY], log.steps(), TODAY).loc[NPP_KEY]
    assert row["last_step"] == "kunjungan" and row["last_outcome"] == "berjanji"
    assert row["next_step"] == "teguran_1" and row["letter"] == "teguran_1"
    assert row["due"] == dt.date(2026, 11, 15) and row["state"] == "overdue"     # 14 days after the appeal
    _record(log, "teguran_1", "2026-11-25")
    row = next_steps([NPP_KEY], log.steps(), TODAY).loc[NPP_KEY]
    assert (row["next_step"], row["due"], row["state"]) == ("teguran_2", dt.date(2026, 12, 5), "upcoming")
    assert row["steps_done"] == 2
    _record(log, "teguran_2", "2026-11-26")
    _record(log, "pemeriksaan", "2026-11-27", "menolak")
    assert next_steps([NPP_KEY], log.steps(), TODAY).loc[NPP_KEY, "next_step"] == "penyerahan_kejaksaan"
    _record(log, "penyerahan_kejaksaan", "2026-11-30", "terkirim")
    row = next_steps([NPP_KEY], log.steps(), TODAY).loc[NPP_KEY]
    assert (row["next_step"], row["state"]) == (None, "handed_over")


def test_every_worker_registered_ends_the_ladder(app_db):
    log = _log(app_db)
    _record(log, "himbauan", "2026-11-01")
    _record(log, "kunjungan", "2026-11-10", "terdaftar_penuh")
    row = next_steps([NPP_KEY], log.steps(), TODAY).loc[NPP_KEY]
    assert (row["next_step"], row["due"], row["state"]) == (None, None, "done")
    assert set(NEXT_STATES) >= {row["state"]}


def test_steps_are_validated_before_they_are_stored(app_db):
    log = _log(app_db)
    with pytest.raises(VisitValidationError) as unknown:
        _record(log, "surat_cinta", "2026-11-01")
    assert unknown.value.field == "step" and "himbauan" in unknown.value.message("en")
    with pytest.raises(VisitValidationError) as future:
        _record(log, "himbauan", "2026-12-02")
    assert future.value.field == "step_date"
    with pytest.raises(VisitValidationError) as outcome:
        _record(log, "himbauan", "2026-11-01", "entah")
    assert outcome.value.field == "outcome"
    with pytest.raises(VisitValidationError) as long_notes:
        validate_step(NPP_KEY, "PT", "32.05.01.1001", "himbauan", "2026-11-01", "terkirim", notes="x" * 2001,
                      today=TODAY)
    assert long_notes.value.field == "notes" and "xxx" not in long_notes.value.message("id")
    assert log.steps().empty


def _writer(path: str, n: int, start: multiprocessing.Event) -> None:
    log = StepLog(path)
    start.wait()
    for i in range(n):
        log.record_step(f"npp:{i}", "PT", "32.05.01.1001", "himbauan", "2026-11-01", "terkirim", today=TODAY)


def test_two_processes_writing_at_once_lose_nothing(app_db):
    path = str(app_db)
    StepLog(path).steps()                       # the file and its table exist before the race
    context = multiprocessing.get_context("fork")  # spawn re-runs __main__: an AppTest script, after app tests
    start = context.Event()
    workers = [context.Process(target=_writer, args=(path, 40, start)) for _ in range(2)]
    for worker in workers:
        worker.start()
    start.set()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    assert len(StepLog(path).steps()) == 80


def test_the_ladder_lists_each_step_once_with_a_letter_for_the_first_three():
    ladder = load_ladder()
    assert ladder.steps == ("himbauan", "teguran_1", "teguran_2", "pemeriksaan", "penyerahan_kejaksaan")
    assert [ladder.letters[s] for s in ladder.steps[:3]] == ["himbauan", "teguran_1", "teguran_2"]
    assert ladder.wait_days["teguran_1"] == ladder.wait_days["teguran_2"] == 10    # PP 86/2013

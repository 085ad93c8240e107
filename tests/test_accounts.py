"""Accounts, roles, failed-login slow-down and the audit trail, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from analysis.accounts import AccountStore, User, access_policy, local_user
from analysis.audit import AuditLog
from core.errors import AccessError

T0 = 1_800_000_000.0


@pytest.fixture
def store(app_db) -> AccountStore:
    return AccountStore(app_db)


def test_a_new_account_has_a_one_time_password_that_must_be_replaced(store):
    user, password = store.create_user("Tim.Cikajang ", "tim_lapangan", team="Tim Cikajang")
    assert user.username == "tim.cikajang" and user.must_change
    assert len(password) == access_policy().one_time_chars
    signed_in = store.authenticate("TIM.CIKAJANG", password)
    assert signed_in.must_change and signed_in.team == "Tim Cikajang"
    changed = store.change_password("tim.cikajang", password, "kopi hitam di Cikajang")
    assert not changed.must_change and changed.session_version == signed_in.session_version + 1
    assert store.current("tim.cikajang", signed_in.session_version) is None        # the old session ended
    assert store.current("tim.cikajang", changed.session_version) == changed
    with pytest.raises(AccessError) as old:
        store.authenticate("tim.cikajang", password)
    assert old.value.key == "auth.bad_login"


def test_no_hash_or_password_is_readable_back(store):
    _user, password = store.create_user("perencana.1", "perencana")
    users = store.users()
    assert "password_hash" not in users.columns
    assert password not in users.to_csv()
    with store.db.read() as conn:
        stored = conn.exec_driver_sql("SELECT password_hash FROM users").scalar_one()
    assert stored.startswith("$argon2id$") and password not in stored


@pytest.mark.parametrize("username, role, team, key", [
    ("x", "perencana", "", "users.bad_username"),
    ("budi santoso", "perencana", "", "users.bad_username"),
    ("ok.name", "raja", "", "users.bad_role"),
    ("tim.a", "tim_lapangan", "  ", "users.team_needed"),
])
def test_bad_accounts_are_refused_naming_the_rule(store, username, role, team, key):
    with pytest.raises(AccessError) as info:
        store.create_user(username, role, team)
    assert info.value.key == key
    assert info.value.message("en")


def test_weak_new_passwords_are_refused_without_echoing_them(store):
    _user, password = store.create_user("pimpinan", "pimpinan")
    for weak, key in (("abc12", "users.password_short"), ("pimpinan-garut-2026", "users.password_has_name"),
                      (password, "users.password_same")):
        with pytest.raises(AccessError) as info:
            store.change_password("pimpinan", password, weak)
        assert info.value.key == key and weak not in info.value.message("id")


def test_a_name_exists_once(store):
    store.create_user("admin.kab", "admin")
    with pytest.raises(AccessError) as info:
        store.create_user("ADMIN.KAB", "pimpinan")
    assert info.value.key == "users.exists"


def test_wrong_passwords_are_slowed_down_after_five_then_doubled(store):
    _user, password = store.create_user("tim.b", "tim_lapangan", team="Tim B")
    policy = access_policy()
    for i in range(policy.free_failures):
        with pytest.raises(AccessError) as info:
            store.authenticate("tim.b", "salah sekali", now=T0 + i)
        assert info.value.key == "auth.bad_login"
    last = T0 + policy.free_failures - 1
    assert store.wait_seconds("tim.b", last) == policy.base_wait_seconds
    # while waiting, even the right password is refused, unchecked
    with pytest.raises(AccessError) as waiting:
        store.authenticate("tim.b", password, now=last + 1)
    assert waiting.value.key == "auth.wait" and waiting.value.params["seconds"] == policy.base_wait_seconds
    # each further failure doubles the wait, up to the ceiling
    now = last
    for extra in range(1, 5):
        now += policy.wait_after(policy.free_failures + extra - 1) + 0.1
        with pytest.raises(AccessError):
            store.authenticate("tim.b", "salah lagi", now=now)
        assert store.wait_seconds("tim.b", now) == min(policy.max_wait_seconds, policy.base_wait_seconds * 2 ** extra)
    assert store.failures("tim.b") == policy.free_failures + 4
    # after the wait, the right password works and the counter starts again
    now += store.wait_seconds("tim.b", now) + 0.1
    assert store.authenticate("tim.b", password, now=now).username == "tim.b"
    assert store.failures("tim.b") == 0


def test_unknown_names_and_disabled_accounts_get_the_same_answer(store):
    _user, password = store.create_user("tim.c", "tim_lapangan", team="Tim C")
    store.set_active("tim.c", False)
    answers = set()
    for name, secret in (("tim.c", password), ("tidak.ada", password), ("tim.c", "salah")):
        with pytest.raises(AccessError) as info:
            store.authenticate(name, secret, now=T0)
        answers.add(info.value.message("id"))
    assert len(answers) == 1
    store.set_active("tim.c", True)
    assert store.authenticate("tim.c", password, now=T0).role == "tim_lapangan"


def test_a_role_change_or_reset_ends_the_sessions(store):
    _user, password = store.create_user("rina", "perencana")
    signed_in = store.authenticate("rina", password)
    store.set_role("rina", "pimpinan")
    assert store.current("rina", signed_in.session_version) is None
    fresh = store.authenticate("rina", password)
    assert fresh.role == "pimpinan"
    new_password = store.reset_password("rina")
    assert store.current("rina", fresh.session_version) is None
    assert store.authenticate("rina", new_password).must_change


def test_the_first_admin_is_made_once(store):
    password = store.ensure_first_admin()
    assert password and store.authenticate("admin", password).role == "admin"
    assert store.ensure_first_admin() is None and store.count() == 1


def test_roles_hold_their_permissions_and_teams_their_team():
    field = User("tim.a", "tim_lapangan", team="Tim A")
    assert field.can("record_visit") and not field.can("upload") and not field.can("export")
    assert not field.may_open("unggah") and not field.may_open("admin") and field.may_open("prioritas")
    field.require("record_visit", team=" tim a ")
    with pytest.raises(AccessError) as other:
        field.require("record_visit", team="Tim B")
    assert other.value.key == "access.other_team"
    leader = User("bupati", "pimpinan")
    assert leader.can("export") and not leader.can("record_visit") and not leader.may_open("unggah")
    with pytest.raises(AccessError) as denied:
        leader.require("settings")
    assert denied.value.key == "access.denied"
    planner = User("rina", "perencana")
    assert planner.may_open("unggah") and planner.can("settings") and not planner.may_open("admin")
    admin = User("admin", "admin")
    assert admin.may_open("admin") and admin.can("view_audit") and not admin.can("record_visit")
    assert not admin.may_open("halaman-lain")
    assert local_user().can("record_visit") and local_user().may_open("admin")


def test_the_audit_trail_keeps_who_did_what_and_masks_personal_data(app_db):
    log = AuditLog(app_db)
    log.record("rina", "perencana", "upload", kind="coverage", file="peserta 3205010101900001 0812-3456-7890.csv",
               sha256="ab" * 32, rows_in=10, rows_matched=9, rows_rejected=1)
    log.record("tim.a", "tim_lapangan", "visit", id=1, kode_desa="32.05.01.1001", team="Tim A", enrolled=3)
    entries = log.entries()
    assert list(entries["action"]) == ["visit", "upload"]          # newest first
    upload = entries.iloc[1]
    assert upload["username"] == "rina" and upload["details"]["rows_rejected"] == 1
    assert "3205010101900001" not in json.dumps(upload["details"]) and "3456" not in upload["details"]["file"]
    assert list(log.entries(username="tim.a")["action"]) == ["visit"] and log.count(username="tim.a") == 1
    assert log.count() == 2 and len(log.entries(limit=1)) == 1
    assert log.entries(action="export").empty
    with pytest.raises(ValueError, match="Unknown audit action"):
        log.record("x", "y", "delete_everything")


def test_the_cli_makes_the_first_admin_and_prints_its_password_once(tmp_path):
    env = {"PETA_APP_DB": str(tmp_path / "app.db"), "PATH": "/usr/bin:/bin", "PETA_AUTH": "on"}
    first = subprocess.run([sys.executable, "-m", "analysis", "users", "init"], env=env, capture_output=True,
                           text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    password = first.stdout.split("sekali pakai: ")[1].split()[0]
    assert AccountStore(tmp_path / "app.db").authenticate("admin", password).must_change
    again = subprocess.run([sys.executable, "-m", "analysis", "users", "init"], env=env, capture_output=True,
                           text=True, timeout=120)
    assert again.returncode == 0 and password not in again.stdout and "1 akun" in again.stdout
    audit = subprocess.run([sys.executable, "-m", "analysis", "audit", "list"], env=env, capture_output=True,
                           text=True, timeout=120)
    rows = [json.loads(line) for line in audit.stdout.splitlines()]
    assert [r["action"] for r in rows] == ["user_created"] and rows[0]["username"].startswith("cli:")
    assert password not in audit.stdout


def test_a_session_token_resumes_until_idle_too_long_or_the_account_changes(store):
    _user, password = store.create_user("rina", "perencana")
    user = store.authenticate("rina", password)
    token = store.open_session(user, now=T0)
    with store.db.read() as conn:
        assert token not in str(conn.exec_driver_sql("SELECT * FROM sessions").all())   # only its hash is kept
    policy = access_policy()
    assert store.resume_session(token, now=T0 + 120) == user
    assert store.resume_session(token, now=T0 + 120 + policy.idle_seconds - 1) == user  # use moved it on
    assert store.resume_session(token, now=T0 + 122 + 2 * policy.idle_seconds) is None  # idle too long
    assert store.resume_session(token, now=T0 + 120) is None                            # and ended for good
    again = store.open_session(user, now=T0)
    store.set_role("rina", "pimpinan")
    assert store.resume_session(again, now=T0 + 1) is None                              # account changed
    third = store.open_session(store.authenticate("rina", password), now=T0)
    store.close_session(third)
    assert store.resume_session(third, now=T0 + 1) is None                              # signed out
    assert store.resume_session("x" * 43, now=T0) is None and store.resume_session(None) is None


def test_no_session_outlives_its_longest_time(store):
    _user, password = store.create_user("rina", "perencana")
    user = store.authenticate("rina", password)
    token = store.open_session(user, now=T0)
    step = access_policy().idle_seconds / 2
    now = T0
    while now - T0 < access_policy().max_session_seconds - step:
        now += step
        assert store.resume_session(token, now=now) == user
    assert store.resume_session(token, now=T0 + access_policy().max_session_seconds + 1) is None


def test_names_typed_at_the_login_are_filed_hashed(store):
    with pytest.raises(AccessError):
        store.authenticate("kopi-hitam-rahasia", "x", now=T0)        # a password typed in the name box
    assert store.failures("Kopi-Hitam-Rahasia") == 1
    with store.db.read() as conn:
        assert "kopi" not in str(conn.exec_driver_sql("SELECT * FROM login_failures").all())
    assert not store.exists("kopi-hitam-rahasia")

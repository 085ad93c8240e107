"""AppTest tests of the sign-in gate and of what each role sees and can do (accounts on: ``PETA_AUTH=on``)."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from analysis.accounts import AccountStore, User
from analysis.audit import AuditLog
from analysis.visits import VisitLog
from geo.paths import PROJECT_ROOT
from tests.outreach_pages import page_text, run_page

APP = str(PROJECT_ROOT / "streamlit_app.py")
PASSWORD = "sandi-uji-yang-panjang"
DESA = "32.05.10.2010"


@pytest.fixture
def db(app_db, monkeypatch):
    """Accounts on, over the app database of this run (SQLite, then PostgreSQL)."""
    monkeypatch.setenv("PETA_AUTH", "on")
    if str(app_db).startswith("postgresql"):
        monkeypatch.setenv("PETA_DATABASE_URL", str(app_db))
    else:
        monkeypatch.setenv("PETA_APP_DB", str(app_db))
    return app_db


def _account(db, username: str, role: str, team: str = "") -> None:
    store = AccountStore(db)
    _user, one_time = store.create_user(username, role, team)
    store.change_password(username, one_time, PASSWORD)


def _sign_in(at: AppTest, username: str, password: str = PASSWORD) -> AppTest:
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    return at.button[0].click().run()


def _element_types(at: AppTest) -> set[str]:
    found = set()

    def walk(node) -> None:
        found.add(type(node).__name__)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return found


def test_the_login_page_shows_nothing_but_the_form(db):
    _account(db, "rina", "perencana")
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Masuk ke Peta Cakupan Jamsostek Garut"]
    assert [i.label for i in at.text_input] == ["Nama pengguna", "Kata sandi"]
    shown = _element_types(at)
    assert not shown & {"Metric", "Dataframe", "Table", "UnknownElement", "Markdown", "Caption", "Warning"}, \
        ", ".join(sorted(shown))
    assert not at.get("component_instance") and not at.get("iframe") and not at.get("download_button")


def test_a_wrong_password_then_the_right_one_signs_in_and_both_are_audited(db):
    _account(db, "rina", "perencana")
    at = _sign_in(AppTest.from_file(APP, default_timeout=120).run(), "rina", "bukan sandinya")
    assert "salah" in at.error[0].value and not at.get("component_instance")
    at = _sign_in(at, "rina")
    assert not at.exception
    assert at.get("component_instance")            # the map, now
    assert "rina" in " ".join(c.value for c in at.sidebar.caption)
    actions = AuditLog(db).entries()
    assert list(actions["action"]) == ["login", "login_failed"] and set(actions["username"]) == {"rina"}


def test_ten_wrong_passwords_are_slowed_down_and_then_the_right_one_waits_too(db):
    _account(db, "tim.a", "tim_lapangan", "Tim A")
    at = AppTest.from_file(APP, default_timeout=120).run()
    for _ in range(10):
        at = _sign_in(at, "tim.a", "tebak-tebakan")
    assert "Coba lagi dalam" in at.error[0].value
    at = _sign_in(at, "tim.a")
    assert "Coba lagi dalam" in at.error[0].value and not at.get("component_instance")
    assert AccountStore(db).failures("tim.a") == 5          # refused unchecked while waiting: not counted


def test_a_one_time_password_must_be_replaced_before_anything_is_shown(db):
    _user, one_time = AccountStore(db).create_user("kepala.dinas", "pimpinan")
    at = _sign_in(AppTest.from_file(APP, default_timeout=120).run(), "kepala.dinas", one_time)
    assert at.title[0].value == "Ganti kata sandi sekali pakai" and not at.get("component_instance")
    inputs = at.text_input
    inputs[0].input(one_time)
    inputs[1].input("kopi hitam garut 2026")
    inputs[2].input("kopi hitam garut 2026")
    at = at.button[0].click().run()
    assert not at.exception and at.get("component_instance")
    assert AccountStore(db).authenticate("kepala.dinas", "kopi hitam garut 2026").must_change is False


def test_a_field_team_records_for_its_own_team_only(db):
    team = User("tim.a", "tim_lapangan", team="Tim A")
    at = run_page("visits", _current_user=team)
    field = at.text_input(key="visit_team")
    assert field.value == "Tim A" and field.disabled
    at.date_input(key="visit_date").set_value(dt.date.today() - dt.timedelta(days=1))
    at.selectbox(key="visit_desa").set_value(DESA)
    at.number_input(key="visit_enrolled").set_value(4)
    at = at.button(key="visit_submit").click().run()
    assert not at.exception and "tersimpan" in page_text(at)
    visits = VisitLog(db).visits()
    assert list(visits["team"]) == ["Tim A"]
    entry = AuditLog(db).entries(action="visit").iloc[0]
    assert entry["username"] == "tim.a" and entry["details"]["kode_desa"] == DESA
    assert not at.get("download_button")                          # a field team does not export


def test_a_changed_request_cannot_record_for_another_team(db):
    # the form's team box is disabled for a field team; a forged value is refused when saving
    team = User("tim.a", "tim_lapangan", team="Tim A")
    at = run_page("visits", _current_user=team)
    at.session_state["visit_team"] = "Tim B"
    at.date_input(key="visit_date").set_value(dt.date.today() - dt.timedelta(days=1))
    at.selectbox(key="visit_desa").set_value(DESA)
    at = at.button(key="visit_submit").click().run()
    assert not at.exception
    assert list(VisitLog(db).visits()["team"]) == ["Tim A"]


@pytest.mark.parametrize("role, visit_form, downloads", [
    ("pimpinan", False, True),
    ("perencana", False, True),
    ("admin", False, True),
])
def test_other_roles_see_the_log_but_have_no_visit_form(db, role, visit_form, downloads):
    VisitLog(db).record_visit(dt.date.today() - dt.timedelta(days=3), DESA, "Tim A", 2)
    at = run_page("visits", _current_user=User("u." + role, role))
    assert bool([b for b in at.get("button") if getattr(b, "key", "") == "visit_submit"]) == visit_form
    assert any(i.key == "visit_team" for i in at.text_input) == visit_form
    assert bool(at.get("download_button")) == downloads


def test_settings_are_for_planners_and_admins(db):
    leader = run_page("whatif", _current_user=User("bupati", "pimpinan"))
    assert not [f for f in leader.get("form") if "cohort" in str(f.proto)]
    assert not [b for b in leader.button if b.key == "cohort_remove"]
    planner = run_page("priorities", _current_user=User("rina", "perencana"))
    assert any(t.key == "plan_setup_open" for t in planner.toggle)
    field = run_page("priorities", _current_user=User("tim.a", "tim_lapangan", team="Tim A"))
    assert not any(t.key == "plan_setup_open" for t in field.toggle)
    assert not any(u for u in field.get("file_uploader"))          # no sites upload either


def test_an_export_is_recorded_with_its_user_when_it_is_made(db):
    from ui.access import _recorded

    made = _recorded(lambda: b"a,b\n", "log_kunjungan.csv", "visits", User("bupati", "pimpinan"))
    assert AuditLog(db).entries().empty                            # drawing the button records nothing
    content = made()
    assert content == b"a,b\n"
    entry = AuditLog(db).entries(action="export").iloc[0]
    assert entry["username"] == "bupati" and entry["details"] == {"bytes": 4, "file": "log_kunjungan.csv",
                                                                   "what": "visits"}


def test_the_admin_page_makes_an_account_and_shows_its_password_once(db):
    admin = User("admin", "admin")
    at = AppTest.from_string("from ui.pages.admin import render\nrender()", default_timeout=60)
    at.session_state["_current_user"] = admin
    at.run()
    at.text_input(key="admin_new_username").input("tim.cikajang")
    at.selectbox(key="admin_new_role").set_value("tim_lapangan")
    at.text_input(key="admin_new_team").input("Tim Cikajang")
    at = at.button[0].click().run()
    assert not at.exception
    password = at.code[0].value
    assert AccountStore(db).authenticate("tim.cikajang", password).team == "Tim Cikajang"
    assert "tim.cikajang" in page_text(at)
    at = at.run()
    assert not at.code                                           # shown once
    trail = AuditLog(db).entries(action="user_created").iloc[0]
    assert trail["username"] == "admin" and password not in str(trail["details"])
    other = AppTest.from_string("from ui.pages.admin import render\nrender()", default_timeout=60)
    other.session_state["_current_user"] = User("rina", "perencana")
    other.run()
    assert other.exception and "manage_users" in other.exception[0].message


def _session(db, username: str, idle_s: float = 0.0) -> dict:
    """A session of ``username`` whose last request was ``idle_s`` ago (what the sign-in keeps)."""
    import time

    store = AccountStore(db)
    token = store.open_session(store.authenticate(username, PASSWORD), now=time.time() - idle_s)
    return {"token": token}


def test_an_idle_session_ends_and_asks_for_the_login_again(db):
    _account(db, "rina", "perencana")
    fresh = AppTest.from_file(APP, default_timeout=120)
    fresh.session_state["auth_session"] = _session(db, "rina", idle_s=60)
    fresh.run()
    assert not fresh.exception and fresh.get("component_instance")          # a minute idle: still signed in
    idle = AppTest.from_file(APP, default_timeout=120)
    idle.session_state["auth_session"] = _session(db, "rina", idle_s=31 * 60)
    idle.run()
    assert "berakhir" in idle.info[0].value
    assert not [c for c in idle.get("component_instance") if "st_folium" in c.proto.component_name]
    assert [i.label for i in idle.text_input] == ["Nama pengguna", "Kata sandi"]


def test_a_session_ends_when_an_admin_changes_the_account(db):
    _account(db, "rina", "perencana")
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["auth_session"] = _session(db, "rina")
    at.run()
    assert at.get("component_instance")
    AccountStore(db).set_role("rina", "pimpinan")
    at.run()
    assert "diubah oleh admin" in at.info[0].value
    assert not [c for c in at.get("component_instance") if "st_folium" in c.proto.component_name]


def test_the_local_mode_says_so_on_every_page_and_in_the_briefing(monkeypatch, tmp_path):
    monkeypatch.setenv("PETA_AUTH", "off")
    monkeypatch.setenv("PETA_APP_DB", str(tmp_path / "app.db"))
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception and not [i for i in at.text_input if i.key == "login_username"]   # no login
    assert any("MODE LOKAL tanpa login (PETA_AUTH=off)" in m.value for m in at.markdown)
    assert at.get("component_instance")                                # the map
    briefing = AppTest.from_file(APP, default_timeout=120)
    briefing.query_params["mode"] = "briefing"
    briefing.run()
    head = next(m.value for m in briefing.markdown if "class=\"peta-brief-head\"" in m.value)
    assert "MODE LOKAL tanpa login</div>" in head

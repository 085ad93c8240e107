"""Accounts in a real browser: the login page sends no data, each role sees its part, guessing is slowed down,
and the audit trail names who did what."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from analysis.accounts import AccountStore
from analysis.audit import AuditLog
from analysis.visits import VisitLog
from tests.browser_support import IDLE, chromium_page, screenshot, streamlit_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "sandi-uji-yang-panjang"
#: Texts only the data pages send: the sample's labels, desa and kecamatan of Garut, region codes.
DATA_MARKERS = ("ILUSTRATIF", "DATA CONTOH", "Talagasari", "Kadungora", "Cikajang", "32.05.")


def _accounts(db) -> None:
    store = AccountStore(db)
    for username, role, team in (("tim.a", "tim_lapangan", "Tim A"), ("rina", "perencana", ""),
                                 ("kepala", "admin", "")):
        _user, one_time = store.create_user(username, role, team)
        store.change_password(username, one_time, PASSWORD)


def _sign_in(page, url: str, username: str, password: str = PASSWORD) -> None:
    """Open the app and submit the login form (once the app is idle, so no run re-draws the form meanwhile)."""
    page.goto(url)
    page.get_by_label("Nama pengguna").wait_for(timeout=60_000)
    page.wait_for_function(IDLE, timeout=60_000)
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()


def _signed_in(page, caption: str) -> None:
    """Wait until the sidebar names the user and the browser holds the session cookie (set by a hidden frame)."""
    page.get_by_text(caption).wait_for(timeout=90_000)
    page.wait_for_function("() => document.cookie.includes('peta_session=')", timeout=60_000)


def _nav_links(page) -> list[str]:
    return page.locator("[data-testid=stSidebarNav] a").all_inner_texts()


def test_roles_hold_in_the_browser_and_the_audit_trail_names_each_user(tmp_path):
    db = tmp_path / "app.db"
    _accounts(db)
    env = {"PETA_APP_DB": str(db), "PETA_AUTH": "on"}
    with streamlit_server(env=env, timeout=120) as url, chromium_page(1400, 1000) as (page, log):
        frames: list[str] = []
        page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(
            payload if isinstance(payload, str) else payload.decode("utf-8", "replace"))))
        # before the sign-in: the login form only, on "/" and on a page typed in directly
        for path in ("/", "/unggah", "/kunjungan"):
            page.goto(url + path)
            page.get_by_label("Nama pengguna").wait_for(timeout=60_000)
            page.wait_for_function(IDLE, timeout=60_000)
            body = page.inner_text("body")
            assert "Masuk ke Peta Cakupan Jamsostek Garut" in body
            assert not page.locator("iframe").count() and not _nav_links(page)
        screenshot(page, "auth_login")
        received = "\n".join(frames)
        assert received and not [m for m in DATA_MARKERS if m in received], "data sent before the sign-in"

        # a field team: no upload or admin page, not even by address; visits for its own team only
        _sign_in(page, url, "tim.a")
        _signed_in(page, "tim.a · Tim lapangan · Tim A")
        links = _nav_links(page)
        assert links[:2] == ["Peta", "Prioritas & rencana kunjungan"] and "Log kunjungan" in links
        assert not [x for x in links if "Unggah" in x or "Admin" in x]
        page.goto(url + "/unggah")                 # a typed address: a new session, resumed from the cookie
        page.get_by_text("tim.a · Tim lapangan · Tim A").wait_for(timeout=90_000)
        page.wait_for_function(IDLE, timeout=90_000)
        assert "Unggah data kepesertaan" not in page.inner_text("body")
        page.goto(url + "/kunjungan")
        team_box = page.get_by_label("Tim", exact=True)
        team_box.wait_for(timeout=90_000)
        assert team_box.input_value() == "Tim A" and team_box.is_disabled()
        page.get_by_label("Desa/kelurahan").click()
        page.keyboard.type("Talagasari")
        page.keyboard.press("Enter")
        page.get_by_role("button", name="Simpan kunjungan").click()
        page.get_by_text("tersimpan").first.wait_for(timeout=60_000)
        assert not page.get_by_role("button", name="Unduh").count()      # a field team does not export
        screenshot(page, "auth_field_team_visits")
        page.get_by_role("button", name="Keluar").click()
        page.get_by_label("Nama pengguna").wait_for(timeout=60_000)

        # a planner can open the upload page
        _sign_in(page, url, "rina")
        _signed_in(page, "rina · Perencana")
        assert any("Unggah" in x for x in _nav_links(page)) and not any("Admin" in x for x in _nav_links(page))
        page.goto(url + "/unggah")
        page.get_by_text("Unggah data kepesertaan").first.wait_for(timeout=90_000)
        page.get_by_role("button", name="Keluar").click()
        page.get_by_label("Nama pengguna").wait_for(timeout=60_000)

        # ten wrong passwords: the last ones are refused with a wait, and then the right one is too
        # (one page, the form sent again and again: well inside the first wait of 15 s); each answer is
        # awaited in the audit trail, the server's own record of it
        def attempts() -> list[str]:
            return list(AuditLog(db).entries(username="rina")["action"])[::-1]

        _sign_in(page, url, "rina", "tebakan 0")
        for attempt in range(1, 12):
            deadline = time.monotonic() + 60
            while len([a for a in attempts() if a.startswith("login_")]) < attempt:
                assert time.monotonic() < deadline, attempts()
                page.wait_for_timeout(50)
            if attempt == 11:
                break
            page.wait_for_function(IDLE, timeout=60_000)
            page.get_by_label("Kata sandi").fill(PASSWORD if attempt == 10 else f"tebakan {attempt}")
            page.get_by_role("button", name="Masuk").click()
        tried = [a for a in attempts() if a.startswith("login_")]
        assert tried == ["login_failed"] * 5 + ["login_refused"] * 6, tried  # the 11th, the right password, too
        page.get_by_text("Coba lagi dalam").wait_for(timeout=60_000)
        screenshot(page, "auth_slowed_down")

        # the admin sees every action with its user
        _sign_in(page, url, "kepala")
        _signed_in(page, "kepala · Admin")
        page.goto(url + "/admin")
        page.get_by_role("heading", name="Jejak audit", exact=True).wait_for(timeout=90_000)
        page.wait_for_function(IDLE, timeout=60_000)
        screenshot(page, "auth_admin")
    assert log.blocked == [] and log.page_errors == []

    trail = AuditLog(db).entries()
    by_user = trail.groupby("username")["action"].apply(set).to_dict()
    assert {"login", "visit", "logout"} <= by_user["tim.a"]
    assert {"login", "login_failed"} <= by_user["rina"]
    assert "login" in by_user["kepala"]
    visit = trail[trail["action"] == "visit"].iloc[0]
    assert visit["details"]["team"] == "Tim A" and visit["role"] == "tim_lapangan"
    assert list(VisitLog(db).visits()["team"]) == ["Tim A"]
    assert dt.date.fromisoformat(trail["at"].iloc[0][:10]) <= dt.date.today()

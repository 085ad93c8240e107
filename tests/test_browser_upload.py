"""The upload page in a real browser: an XLSX bomb refused, the column-mapping step of a BPJSTK file."""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser_support import IDLE, chromium_page, screenshot, streamlit_server
from tests.test_xlsx_limits import BOMB

pytestmark = [pytest.mark.browser, pytest.mark.slow]

BPJSTK = ("Kode Desa;Pekerja Terdata;Peserta Aktif BPJSTK\n"
          "32.05.01.1001;1.200;310\n32.05.01.1002;900;120\n").encode()


def test_bomb_then_column_mapping_of_a_bpjstk_file(tmp_path):
    (tmp_path / "bom.xlsx").write_bytes(BOMB)
    (tmp_path / "rekap_bpjstk.csv").write_bytes(BPJSTK)
    env = {"PETA_APP_DB": str(tmp_path / "app.db")}
    with streamlit_server(env=env) as url, chromium_page(1400, 1100) as (page, log):
        page.goto(f"{url}/unggah")
        upload = page.locator("input[type=file]").first
        upload.wait_for(state="attached", timeout=60_000)

        upload.set_input_files(str(tmp_path / "bom.xlsx"))
        page.get_by_text("berisi sel sampai Z1048576").wait_for(timeout=30_000)
        screenshot(page, "upload_bomb_refused")

        upload.set_input_files(str(tmp_path / "rekap_bpjstk.csv"))
        page.get_by_text("Peran kolom", exact=True).wait_for(timeout=30_000)
        page.get_by_text("Kolom 'Pekerja Terdata' tidak dikenali").wait_for()
        form = page.locator("[data-testid=stForm]")
        # Streamlit draws the form's widgets one by one: wait until both role boxes are there
        # (pre-filled with the closest role) before reading them.
        expected = {"Peran kolom Pekerja Terdata": "pekerja — jumlah pekerja",
                    "Peran kolom Peserta Aktif BPJSTK": "peserta_aktif — peserta aktif (terlindungi)"}
        read_roles = ("() => Object.fromEntries([...document.querySelectorAll("
                      "'[data-testid=stForm] input')].map(i => [i.getAttribute('aria-label'), i.value]))")
        try:
            page.wait_for_function(
                f"expected => {{ const got = ({read_roles})(); "
                "return Object.entries(expected).every(([k, v]) => got[k] === v); }",
                arg=expected, timeout=30_000)
        except PlaywrightTimeout:
            pass                                                       # the assert below shows what was there
        chosen = page.evaluate(read_roles)
        assert {k: chosen.get(k) for k in expected} == expected
        assert "1.200 · 900" in form.inner_text()                     # the first values of the column
        page.get_by_text("Jumlah pekerja per desa adalah ESTIMASI").wait_for()   # before the roles are confirmed
        screenshot(page, "upload_column_mapping")

        page.get_by_role("button", name="Pakai peran kolom ini").click()
        page.get_by_text("Jumlah pekerja per desa adalah ESTIMASI").wait_for(state="detached", timeout=30_000)
        # while the run redraws the page, the stale button can stand beside the new one: wait for the app to
        # be idle with one such button
        page.wait_for_function(
            f"() => ({IDLE})() && [...document.querySelectorAll('button')]"
            ".filter(b => b.innerText.trim() === 'Pakai data ini untuk peta').length === 1", timeout=30_000)
        assert page.get_by_text("Kolom 'Pekerja Terdata' tidak dikenali").count() == 0
        screenshot(page, "upload_column_mapping_applied")
        assert log.blocked == [] and log.page_errors == []

"""The priorities page in headless Chromium with the network cut off: site pins, clusters, toggles,
and the printable trip page it offers for download.

Screenshots land in tests/artifacts/ (outreach_*.png) for a person to look at.
"""

from __future__ import annotations

import io

import openpyxl
import pytest
from pypdf import PdfReader

from tests.browser_support import (
    chromium_page,
    folium_frame,
    screenshot,
    streamlit_server,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


_SITES_SHOWN = """() => {
    // single pins plus the counts written on the clusters
    let n = document.querySelectorAll(".peta-site-icon").length;
    document.querySelectorAll(".marker-cluster span").forEach(s => { n += parseInt(s.textContent, 10); });
    return n;
}"""


def sites_shown(frame, expected: int, timeout_ms: int = 20_000) -> int:
    """Wait until the map shows ``expected`` sites (pins plus cluster counts); return the count shown."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        frame.wait_for_function(f"() => ({_SITES_SHOWN})() === {expected}", timeout=timeout_ms)
    except PlaywrightTimeout:   # the assertion then reports the count actually shown
        pass
    return frame.evaluate(_SITES_SHOWN)


def assert_clean(log) -> None:
    assert log.blocked == [], f"page reached for the internet: {log.blocked}"
    assert log.page_errors == [] and log.console_errors == [], (log.page_errors, log.console_errors)


def test_priorities_page_sites_clusters_toggles_and_printable_trip(tmp_path):
    env = {"PETA_APP_DB": str(tmp_path / "app.db")}
    with streamlit_server(script="tests/outreach_app.py", env=env) as url, \
            chromium_page(1400, 4200) as (page, log):
        page.goto(f"{url}/?page=priorities")
        frame = folium_frame(page, min_paths=442)
        frame.wait_for_selector(".peta-site-icon", timeout=20_000)
        assert sites_shown(frame, 26) == 26
        assert frame.evaluate("typeof L.markerClusterGroup") == "function"       # served from localhost
        assert frame.locator(".marker-cluster").count() >= 1                      # zoomed out: clustered
        legend = frame.locator(".peta-sites-legend")
        assert "ILUSTRATIF: bukan daftar resmi lokasi" in legend.inner_text()
        screenshot(page, "outreach_priorities")

        # a category's box hides its pins and shows them again
        legend.locator('input[data-category="fishing_port"]').uncheck()
        assert sites_shown(frame, 23) == 23
        legend.locator('input[data-category="fishing_port"]').check()
        assert sites_shown(frame, 26) == 26

        # zoomed in on a single pin: its popup is the escaped site description
        frame.locator(".peta-site-icon").first.click()
        popup = frame.locator(".leaflet-popup-content")
        popup.wait_for(timeout=5_000)
        assert "Desa/kel." in popup.inner_text()

        # the printable page of day 1, downloaded as the user would
        with page.expect_download(timeout=30_000) as download:
            page.get_by_role("button", name="Halaman cetak Tim 1, hari 1 (HTML)").click()
        html = download.value.path().read_text(encoding="utf-8")
        assert download.value.suggested_filename.startswith("rencana_kunjungan_tim_1_hari_01_")

        # the spreadsheets are made when clicked, too
        with page.expect_download(timeout=30_000) as download:
            page.get_by_role("button", name="Unduh rencana (XLSX)").click()
        book = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
        plan = book["Rencana kunjungan"]
        assert plan.max_row == 1 + 20 and (plan["A1"].value, plan["B1"].value) == ("Tim", "Hari ke")
        notes = [row[0] for row in book["Keterangan"].iter_rows(values_only=True)]
        assert "ILUSTRATIF: bukan daftar resmi lokasi" in notes and any("DATA CONTOH" in n for n in notes)
        with page.expect_download(timeout=30_000) as download:
            page.get_by_role("button", name="Unduh daftar prioritas (CSV)").click()
        rows = download.value.path().read_text(encoding="utf-8-sig").splitlines()
        assert rows[0].startswith("Peringkat,Kode desa,Desa/kelurahan,Kecamatan,Skor") and len(rows) == 21
        assert_clean(log)

    with chromium_page(794, 1123) as (trip_page, trip_log):         # A4 at 96 dpi
        trip_page.set_content(html)
        trip_page.wait_for_selector(".peta-stop")
        trip_page.wait_for_selector(".trip-list tbody.stop-body")
        assert trip_page.locator(".peta-stop").count() == 4
        assert trip_page.locator(".trip-list tbody.stop-body").count() == 4
        assert "DATA CONTOH" in trip_page.locator(".trip-banner").first.inner_text()
        trip_page.emulate_media(media="print")
        screenshot(trip_page, "outreach_trip_page_print")
        pdf = PdfReader(io.BytesIO(trip_page.pdf(format="A4", print_background=True, prefer_css_page_size=True)))
        assert len(pdf.pages) == 1                                    # one A4 sheet per 4-desa trip
        width, height = (float(v) for v in pdf.pages[0].mediabox.upper_right)
        assert (round(width), round(height)) == (595, 842)
        assert_clean(trip_log)

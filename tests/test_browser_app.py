"""The whole app in headless Chromium, served by `streamlit run`, with the network cut off.

Screenshots land in tests/artifacts/ (app_*.png) for a person to look at.
"""

from __future__ import annotations

import re

import pytest

from geo.boundaries import load_layer
from tests.browser_support import (
    chromium_page,
    drawn_frame,
    folium_frame,
    press_on_page,
    screenshot,
    streamlit_server,
    wait_for_map_text,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def app_url():
    with streamlit_server() as url:
        yield url


def interactive_paths(frame) -> int:
    return frame.locator("path.leaflet-interactive").count()


def assert_clean(log) -> None:
    assert log.blocked == [], f"page reached for the internet: {log.blocked}"
    assert log.page_errors == [] and log.console_errors == [], (log.page_errors, log.console_errors)


def click_a_kecamatan(page, frame) -> str:
    """Click the 21st kecamatan on the map and return its code once the address shows the drill-down."""
    # a DOM click on the polygon itself: site markers may sit over its centre
    frame.locator("path.leaflet-interactive").nth(20).dispatch_event("click")
    page.wait_for_url(re.compile(r"kec=32\.05\.\d\d"), timeout=30_000)
    return re.search(r"kec=(32\.05\.\d\d)", page.url).group(1)


def test_kecamatan_level_legend_and_no_network(app_url):
    with chromium_page(1500, 1800) as (page, log):
        page.goto(app_url)
        frame = drawn_frame(page, min_paths=42)
        assert interactive_paths(frame) == 42
        assert frame.locator(".peta-legend-title").inner_text() == "Tingkat cakupan"
        assert frame.locator(".peta-legend-row").count() >= 4
        assert "DATA CONTOH" in page.locator(".peta-banner").inner_text()
        screenshot(page, "app_kecamatan")
        assert_clean(log)


def test_desa_level_draws_442(app_url):
    with chromium_page(1500, 1400) as (page, log):
        page.goto(f"{app_url}/?level=desa&metric=gap_to_target&scheme=quantiles")
        frame = drawn_frame(page, min_paths=442)
        assert interactive_paths(frame) == 442
        assert "Kekurangan menuju target" in frame.locator(".peta-legend-title").inner_text()
        screenshot(page, "app_desa")
        assert_clean(log)


def test_click_drills_down_and_link_follows(app_url):
    n_desa = load_layer("kecamatan").set_index("kode")["n_desa"]
    with chromium_page(1500, 1400) as (page, log):
        page.goto(app_url)
        frame = drawn_frame(page, min_paths=42)
        kec = click_a_kecamatan(page, frame)
        # the frame may mount more than once while the drill-down settles: wait until it shows the kecamatan's desa
        assert _until(lambda: interactive_paths(folium_frame(page, min_paths=1)) == int(n_desa[kec]), page)
        assert "level=desa" in page.url
        screenshot(page, "app_drilldown")
        page.get_by_role("button", name=re.compile("Kembali")).click()
        page.wait_for_function("() => !location.search.includes('kec=')", timeout=30_000)
        assert interactive_paths(folium_frame(page, min_paths=42)) == 42
        assert_clean(log)


#: The fill of every region path, and the legend's swatch colours, in the map frame.
_FILLS = "() => [...document.querySelectorAll('path.leaflet-interactive')].map(p => p.getAttribute('fill'))"
_SWATCHES = ("() => [...document.querySelectorAll('.peta-legend-swatch')]"
             ".map(s => getComputedStyle(s).backgroundColor)")
#: Hover one kecamatan (by its layer) and return the tooltip text.
_HOVER = """() => { let first = null; window.__petaRegions.eachLayer(l => { if (!first) first = l; });
  first.fire('mouseover', {latlng: first.getBounds().getCenter()}, true); return first.feature.properties.kode; }"""


def _rgb(hex_colour: str) -> str:
    value = hex_colour.lstrip("#")
    return "rgb({}, {}, {})".format(*(int(value[i:i + 2], 16) for i in (0, 2, 4)))


def test_metric_switch_updates_map_and_url(app_url):
    with chromium_page(1500, 1200) as (page, log):
        page.goto(app_url)
        frame = drawn_frame(page, min_paths=42)
        frame.evaluate("() => { window.__drawnOnce = true; }")
        before = frame.evaluate(_FILLS)
        page.get_by_label("Indikator").click()
        page.get_by_role("option", name="Pekerja belum terlindungi").click()
        page.wait_for_url(re.compile(r"metric=uncovered"), timeout=30_000)
        frame = wait_for_map_text(page, ".peta-legend-title", "Pekerja belum terlindungi")
        assert interactive_paths(frame) == 42
        # restyled in place: the same map frame (not sent again, not re-mounted), the new classes' colours,
        # the new metric's row in the tooltip
        assert frame.evaluate("() => window.__drawnOnce === true")
        after = frame.evaluate(_FILLS)
        swatches = set(frame.evaluate(_SWATCHES))
        assert after != before and {_rgb(c) for c in after if c.startswith("#")} <= swatches, (after, swatches)
        frame.evaluate(_HOVER)
        tooltip = frame.locator(".leaflet-tooltip")
        tooltip.wait_for(timeout=10_000)
        assert "Pekerja belum terlindungi" in tooltip.inner_text() and "Tingkat cakupan" in tooltip.inner_text()
        metric_box = page.get_by_label("Indikator")
        page.go_back()          # the metric widget and the map follow the address back, then forward
        wait_for_map_text(page, ".peta-legend-title", "Tingkat cakupan")
        assert "metric=" not in page.url and "Tingkat cakupan" in metric_box.input_value()
        page.go_forward()
        wait_for_map_text(page, ".peta-legend-title", "Pekerja belum terlindungi")
        assert "metric=uncovered" in page.url and "Pekerja belum terlindungi" in metric_box.input_value()
        assert_clean(log)


def test_briefing_mode_is_large_and_sidebar_free(app_url):
    with chromium_page(1600, 1000) as (page, log):
        page.goto(f"{app_url}/?mode=briefing")
        drawn_frame(page, min_paths=42)
        page.locator(".peta-kpi .v").first.wait_for()
        size = page.locator(".peta-kpi .v").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        assert size >= 24
        assert not page.locator('[data-testid="stSidebar"]').is_visible()
        press_on_page(page, "n")
        page.get_by_text(re.compile(r"1/42 · Kec\. Malangbong")).wait_for(timeout=60_000)
        card = page.locator(".peta-brief-card .t").first
        assert card.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 28
        press_on_page(page, "Shift+N")
        page.get_by_text(re.compile(r"42/42 · Kec\. |1/42 · Kec\. Malangbong")).first.wait_for(timeout=60_000)
        assert page.get_by_text("Biasa").first.is_visible()           # the way back out stands on the page
        screenshot(page, "app_briefing")
        assert_clean(log)


def test_english(app_url):
    with chromium_page(1500, 1000) as (page, log):
        page.goto(f"{app_url}/?lang=en")
        frame = drawn_frame(page, min_paths=42)
        assert frame.locator(".peta-legend-title").inner_text() == "Coverage rate"
        assert "836,000" in page.locator(".peta-kpis").first.inner_text()
        screenshot(page, "app_english")
        assert_clean(log)


def test_download_offline_html_map(app_url, tmp_path):
    with chromium_page(1500, 1400) as (page, log):
        page.goto(app_url)
        drawn_frame(page, min_paths=42)
        page.get_by_text("Unduh tampilan ini").click()
        with page.expect_download(timeout=60_000) as info:
            page.get_by_role("button", name="Peta HTML (tanpa internet)").click()
        download = info.value
        assert download.suggested_filename == "peta_cakupan_kecamatan_2024-12_contoh.html"
        path = tmp_path / download.suggested_filename
        download.save_as(path)
        html = path.read_text(encoding="utf-8")
        assert "DATA CONTOH" in html and "<script src=" not in html
        assert_clean(log)


@pytest.mark.parametrize("path, title_key", [("peta", "app.title"), ("prioritas", "prio.title"),
                                             ("kunjungan", "visits.title"), ("simulasi-asn", "whatif.title"),
                                             ("unggah", "upload.title")])
def test_every_declared_page_path_opens_its_page(app_url, path, title_key):
    from core.i18n import t

    with chromium_page(1366, 768) as (page, log):
        page.goto(f"{app_url}/{path}")
        params = {"region": "Kabupaten Garut"} if title_key == "app.title" else {}
        heading = page.locator("h1").filter(has_text=t(title_key, "id", **params).split("“")[0].strip())
        heading.first.wait_for(timeout=60_000)
        assert "Page not found" not in page.content()
        assert page.get_by_role("button", name="Deploy").count() == 0         # no Streamlit toolbar


def test_back_and_forward_move_through_a_drill_down(app_url):
    n_desa = load_layer("kecamatan").set_index("kode")["n_desa"]
    with chromium_page(1500, 1200) as (page, log):
        page.goto(app_url)
        frame = drawn_frame(page, min_paths=42)
        start = page.evaluate("() => window.history.length")
        kec = click_a_kecamatan(page, frame)
        assert _until(lambda: interactive_paths(folium_frame(page, min_paths=1)) == n_desa[kec], page)
        assert page.evaluate("() => window.history.length") == start + 1      # the drill-down is an entry
        page.go_back()
        page.wait_for_function("() => !location.search.includes('kec=')", timeout=30_000)
        assert _until(lambda: interactive_paths(folium_frame(page, min_paths=1)) == 42, page)
        page.go_forward()       # the entry ahead was kept: Forward redoes the drill-down
        page.wait_for_url(re.compile(rf"kec={re.escape(kec)}"), timeout=30_000)
        assert _until(lambda: interactive_paths(folium_frame(page, min_paths=1)) == n_desa[kec], page)
        page.go_back()
        page.wait_for_function("() => !location.search.includes('kec=')", timeout=30_000)
        assert _until(lambda: interactive_paths(folium_frame(page, min_paths=1)) == 42, page)
        assert page.evaluate("() => window.history.length") == start + 1      # nothing pushed on the way
        assert_clean(log)


def _until(condition, page, timeout_s: float = 60) -> bool:
    """Poll ``condition`` (the page reloads after Back/Forward, so the map frame comes and goes)."""
    import time

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except Exception:  # the frame detached while the page reloads
            pass
        page.wait_for_timeout(250)
    return False

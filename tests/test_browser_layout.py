"""The map page's layout at the screen sizes it is made for, measured in headless Chromium.

Briefing at 1920x1080 and 1280x720 (projectors), the everyday page at
1366x768 (a laptop) and 390x844 (a phone): title present, the map's share of
the screen, no two label boxes overlapping (nor the legend, the side list or
Leaflet's controls), the smallest text and the KPI figures, the legend on
screen, N stepping to a kecamatan card, no Streamlit toolbar.  Each test
waits until the map has been drawn for the size the browser reported
(the map's script says which size its labels were placed for).
Screenshots land in tests/artifacts/layout_*.png.
"""

from __future__ import annotations

import re
import time

import pytest

from tests.browser_support import (
    ARTIFACTS,
    MAP_STATE,
    chromium_page,
    drawn_map,
    press_on_page,
    screenshot,
    streamlit_server,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: (width, height, mode) the layouts are made for.
BRIEFING_SIZES = [(1920, 1080), (1280, 720)]
EVERYDAY_SIZES = [(1366, 768), (390, 844)]

_BOXES = """() => {
  const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const all = sel => [...document.querySelectorAll(sel)].filter(e => e.getClientRects().length).map(box);
  return {labels: [...document.querySelectorAll('.peta-label, .peta-label-no')].map(e => [e.textContent, ...box(e)]),
          fixed: all('.peta-legend, .peta-sites-legend, .peta-label-key, .leaflet-control-zoom, .leaflet-control-scale'),
          size: [document.documentElement.clientWidth, document.documentElement.clientHeight]};
}"""

#: The font size (px) of every piece of text on screen, in this document.
_TEXT_SIZES = """() => { const out = [];
  const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (w.nextNode()) { const n = w.currentNode, text = n.textContent.trim(), el = n.parentElement;
    if (!text || !el || ['STYLE', 'SCRIPT', 'NOSCRIPT'].includes(el.tagName)) continue;
    const r = el.getBoundingClientRect(); if (r.width < 1 || r.height < 1) continue;
    const cs = getComputedStyle(el); if (cs.visibility === 'hidden' || cs.display === 'none') continue;
    if (r.bottom <= 0 || r.top >= innerHeight || r.right <= 0 || r.left >= innerWidth) continue;
    out.push([parseFloat(cs.fontSize), text.slice(0, 40)]); }
  return out; }"""


#: Text whose contrast with its background is below WCAG AA (4.5:1, large text 3:1), in this document.
_LOW_CONTRAST = """() => {
  const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
                               return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const background = el => { for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor); if (c.length >= 3 && (c.length < 4 || c[3] > 0.5)) return c; }
    return [255, 255, 255]; };
  const out = [], w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (w.nextNode()) { const n = w.currentNode, text = n.textContent.trim(), el = n.parentElement;
    if (!text || !el || ['STYLE', 'SCRIPT', 'NOSCRIPT'].includes(el.tagName)) continue;
    const r = el.getBoundingClientRect(); if (r.width < 1 || r.height < 1) continue;
    const cs = getComputedStyle(el); if (cs.visibility === 'hidden' || cs.display === 'none') continue;
    if (r.bottom <= 0 || r.top >= innerHeight || r.right <= 0 || r.left >= innerWidth) continue;
    const a = lum(rgb(cs.color)), b = lum(background(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(cs.fontSize), bold = Number(cs.fontWeight) >= 700;
    const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < needed) out.push([text.slice(0, 40), Math.round(ratio * 100) / 100, cs.color]); }
  return out; }"""


@pytest.fixture(scope="module")
def app_url():
    with streamlit_server() as url:
        yield url


def _map_frame(page):
    return next(f for f in page.frames if "streamlit_folium" in f.url)


def _overlaps(a, b, slack: float = 0.5) -> bool:
    return a[0] < b[2] - slack and b[0] < a[2] - slack and a[1] < b[3] - slack and b[1] < a[3] - slack


def assert_labels_clear(page) -> int:
    """No two label boxes overlap, none covers the legend, the side list or a control, all lie inside the map."""
    boxes = _map_frame(page).evaluate(_BOXES)
    labels, fixed = boxes["labels"], boxes["fixed"]
    width, height = boxes["size"]
    clashes = [(a[0], b[0]) for i, a in enumerate(labels) for b in labels[i + 1:] if _overlaps(a[1:], b[1:])]
    assert clashes == [], f"labels overlap: {clashes}"
    covered = [a[0] for a in labels for f in fixed if _overlaps(a[1:], f)]
    assert covered == [], f"labels under the legend, the side list or a control: {covered}"
    outside = [a[0] for a in labels if a[1] < -0.5 or a[2] < -0.5 or a[3] > width + 0.5 or a[4] > height + 0.5]
    assert outside == [], f"labels cut by the map's edge: {outside}"
    return len(labels)


def _labels_clear(page) -> bool:
    """Whether :func:`assert_labels_clear` holds now (a map frame being replaced counts as not yet)."""
    try:
        assert_labels_clear(page)
    except Exception:  # AssertionError, or the frame detached while it re-mounts
        return False
    return True


def smallest_text(page) -> tuple[float, str]:
    sizes = page.evaluate(_TEXT_SIZES) + _map_frame(page).evaluate(_TEXT_SIZES)
    return min((size, text) for size, text in sizes)


def assert_no_streamlit_chrome(page) -> None:
    assert page.get_by_role("button", name="Deploy").count() == 0
    assert page.locator('[data-testid="stMainMenu"]').count() == 0
    # the toolbar keeps only the sidebar's open button (the phone's way to the pages), no actions
    assert page.locator('[data-testid="stToolbarActions"] button, [data-testid="stAppDeployButton"]').count() == 0


def legend_rect(page, state: dict) -> dict:
    """The legend's box on the page (inside the map frame, or under the map on a phone)."""
    inside = _map_frame(page).evaluate(
        "() => { const e = document.querySelector('.peta-legend'); if (!e) return null;"
        " const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; }")
    if inside is not None:
        return {k: v + (state["top"] if k in ("top", "bottom") else state["left"]) for k, v in inside.items()}
    return page.evaluate(
        "() => { const r = document.querySelector('.peta-legend-outside').getBoundingClientRect();"
        " return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; }")


@pytest.mark.parametrize("width, height", BRIEFING_SIZES)
def test_briefing_fills_the_projector(app_url, width, height):
    with chromium_page(width, height) as (page, log):
        page.goto(f"{app_url}/?mode=briefing")
        state = drawn_map(page)
        title = page.locator(".peta-brief-head")
        assert "Kabupaten Garut · Desember 2024" in title.inner_text()
        assert "DATA CONTOH" in title.inner_text() and title.bounding_box()["y"] >= 0
        # the map: at least 60% of the screen's height, wholly on screen
        assert state["height"] >= 0.6 * height, state
        assert state["top"] >= 0 and state["bottom"] <= height + 1, state
        assert assert_labels_clear(page) == 42
        legend = legend_rect(page, state)
        assert legend["top"] >= 0 and legend["bottom"] <= height and legend["right"] <= width
        size, text = smallest_text(page)
        assert size >= 20, f"text smaller than 20 px on the projector: {text!r} at {size} px"
        assert page.evaluate(_LOW_CONTRAST) == []                    # WCAG AA on the projector's page
        figures = page.locator(".peta-kpi .v").evaluate_all(
            "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
        assert figures and min(figures) >= 48
        assert_no_streamlit_chrome(page)
        screenshot(page, f"layout_briefing_{width}")

        press_on_page(page, "n")            # step: the card of the kecamatan with the largest gap, on screen
        card = page.locator(".peta-brief-card").filter(has_text="1/42 · Kec. Malangbong")
        card.wait_for(timeout=60_000)
        assert "Cakupan 21,7%" in card.inner_text() and "20.166" in card.inner_text()
        box = card.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= height, box
        # the map zooms to it: Malangbong's label is among far fewer, larger-scale labels, all clear.  Wait for
        # the zoomed map whole: while it replaces the full view, the labels of one and the side list of the
        # other can both be in the page for a moment (CI once measured that moment).
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            state = drawn_map(page, min_paths=1)
            names = [b[0] for b in _map_frame(page).evaluate(_BOXES)["labels"]]
            if "Malangbong" in names and len(names) < 42 and _labels_clear(page):
                break
            page.wait_for_timeout(200)
        assert "Malangbong" in names and len(names) < 42, names
        assert_labels_clear(page)
        screenshot(page, f"layout_briefing_{width}_stepped")
        assert log.blocked == [] and log.page_errors == []


@pytest.mark.parametrize("width, height", EVERYDAY_SIZES)
def test_everyday_map_page_at_laptop_and_phone_sizes(app_url, width, height):
    with chromium_page(width, height) as (page, log):
        page.goto(f"{app_url}/peta")
        state = drawn_map(page, min_paths=42)
        assert page.locator("h1").first.inner_text().startswith("Peta Cakupan Jamsostek")
        assert assert_labels_clear(page) >= (10 if width < 500 else 42)
        assert page.locator(".peta-kpis").first.locator(".peta-kpi .v").count() == 5    # the header's KPIs
        # every KPI figure fits its card
        assert page.evaluate("() => [...document.querySelectorAll('.peta-kpi')].every("
                             "c => c.scrollWidth <= c.clientWidth + 1)")
        if width >= 1000:
            assert state["top"] < height - 150, state            # the map starts well above the fold
            legend = legend_rect(page, state)
            assert legend["bottom"] <= height, legend           # ... and its legend is on screen at once
        else:
            page.locator('iframe[title="streamlit_folium.st_folium"]').scroll_into_view_if_needed()
            state = page.evaluate(MAP_STATE)
            legend = legend_rect(page, state)
            # on a phone the legend stands under the map, not over it, and both fit on the screen together
            assert legend["top"] >= state["bottom"] - 1 and legend["bottom"] - state["top"] <= height, (legend, state)
        assert_no_streamlit_chrome(page)
        screenshot(page, f"layout_everyday_{width}")
        assert log.blocked == [] and log.page_errors == []


def test_desa_search_tells_the_mekarsari_apart_and_zooms_to_one(app_url):
    with chromium_page(1366, 768) as (page, log):
        page.goto(f"{app_url}/peta")
        drawn_map(page)
        search = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first
        search.click()
        page.keyboard.type("Mekarsari")
        options = page.get_by_role("option")
        options.first.wait_for(timeout=30_000)
        names = [o.inner_text() for o in options.all() if o.inner_text().startswith("Mekarsari — ")]
        assert len(names) == 8 and len(set(names)) == 8            # the 8 Mekarsari, told apart by kecamatan
        assert all(re.fullmatch(r"Mekarsari — Kec\. [A-Z][a-z]+( [A-Z][a-z]+)?", n) for n in names), names
        page.get_by_role("option", name=re.compile(r"Mekarsari — Kec\. Cikajang")).click()
        card = page.locator(".st-key-desa_card")
        card.wait_for(timeout=60_000)
        assert "Mekarsari" in card.inner_text() and "Cikajang" in card.inner_text()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:     # drilled down to Cikajang's desa and zoomed to the one found
            state = drawn_map(page, min_paths=1)
            if state["paths"] < 442 and "Mekarsari" in [b[0] for b in _map_frame(page).evaluate(_BOXES)["labels"]] \
                    and _labels_clear(page):      # the zoomed map, not the drill-down drawn just before it
                break
            page.wait_for_timeout(200)
        assert state["paths"] < 442
        assert_labels_clear(page)
        screenshot(page, "layout_desa_search")
        assert log.blocked == [] and log.page_errors == []


@pytest.mark.parametrize("path, size, title", [("peta", (1366, 768), "Peta Cakupan Jamsostek"),
                                               ("?mode=briefing", (1920, 1080), "Kabupaten Garut · Desember 2024")])
def test_printed_map_has_the_whole_map_on_its_first_a4_landscape_sheet(app_url, path, size, title):
    from io import BytesIO

    from pypdf import PdfReader

    with chromium_page(*size) as (page, log):
        page.goto(f"{app_url}/{path}")
        drawn_map(page)
        assert page.get_by_role("button", name="Cetak halaman ini").count() == 1
        page.emulate_media(media="print")
        data = page.pdf(landscape=True, print_background=True, prefer_css_page_size=True)
        (ARTIFACTS / f"layout_print_{size[0]}.pdf").write_bytes(data)
        pdf = PdfReader(BytesIO(data))
        box = pdf.pages[0].mediabox
        assert float(box.width) > float(box.height) and abs(float(box.width) - 842) < 3      # A4 landscape
        first = pdf.pages[0].extract_text()
        # the title, the KPIs and the map with its northern and southern labels and its legend, on sheet 1
        for text in (title, "836.000", "Limbangan", "Cibalong", "Tingkat cakupan", "DATA CONTOH"):
            assert text in first, (text, first[:400])
        assert not any("Cibalong" in p.extract_text() for p in pdf.pages[1:2])    # not split across sheets
        assert log.blocked == [] and log.page_errors == []

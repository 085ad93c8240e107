"""Standalone HTML map: size, no external resources, escaping, and an offline render in headless Chromium."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import http.server
import re
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

from geo.paths import METRIC_CRS
from render.exports import load_export_data, map_html_bytes
from render.exports.view import ExportView
from tests.browser_support import chromium_page

DAY = dt.date(2025, 1, 15)
MAX_BYTES = 2_000_000  # issue 6: at most 2 MB for the desa map


@pytest.fixture(scope="module")
def sample(garut_gpkg):
    return load_export_data(created=DAY, priorities=False)


@pytest.fixture(scope="module")
def own(own_coverage_csv, garut_gpkg):
    return load_export_data(own_coverage_csv, created=DAY, sites=None, priorities=False)


@pytest.fixture(scope="module")
def desa_html(sample) -> bytes:
    return map_html_bytes(sample, ExportView(level="desa", metric="coverage_rate", show_sites=True))


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output clean
        pass


@contextmanager
def serve(folder: Path):
    """Serve one folder on 127.0.0.1 (the only host the test browser may reach)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_desa_map_is_at_most_2_mb_and_embeds_everything(desa_html):
    assert len(desa_html) <= MAX_BYTES
    text = desa_html.decode("utf-8")
    assert not re.search(r'<(script|link|img)[^>]+(src|href)="(https?:)?//', text), "no external resource"
    assert "L.map(" in text and "leaflet" in text.lower()
    assert "<title>Tingkat cakupan per desa/kelurahan, Kabupaten Garut</title>" in text


def test_sample_banner_exactly_when_sample(desa_html, own):
    assert "DATA CONTOH" in desa_html.decode("utf-8")
    text = map_html_bytes(own, ExportView(level="kecamatan", metric="coverage_rate")).decode("utf-8")
    assert "DATA CONTOH" not in text and "Data dari berkas pengguna" in text


def test_names_are_escaped(own):
    desa = own.result.desa.copy()
    desa.loc[0, "nama"] = "<img src=x onerror=alert(1)>"
    evil = dataclasses.replace(own, result=dataclasses.replace(own.result, desa=desa),
                               source_name="<script>alert(2)</script>.csv")
    text = map_html_bytes(evil, ExportView(level="desa", metric="coverage_rate")).decode("utf-8")
    assert "<img src=x" not in text and "<script>alert(2)" not in text
    # HTML-escaped, then JSON-encoded into the page script (& -> \u0026).
    assert "\\u0026lt;img src=x onerror=alert(1)\\u0026gt;" in text
    assert "\\u0026lt;script\\u0026gt;alert(2)" in text


#: Page coordinates of a (lat, lon) on the Leaflet map.
_SCREEN_POINT = """([lat, lon]) => {
    const map = Object.values(window).find((v) => v instanceof L.Map);
    const point = map.latLngToContainerPoint([lat, lon]);
    const box = map.getContainer().getBoundingClientRect();
    return [box.left + point.x, box.top + point.y];
}"""


def test_renders_offline_with_every_desa_and_indonesian_tooltips(desa_html, tmp_path, sample, desa_web):
    # A desa near the middle of the kabupaten, clear of the title panel and the legend.
    metric = desa_web.to_crs(METRIC_CRS)
    inside = metric.geometry.representative_point()
    nearest = inside.distance(metric.union_all().centroid).idxmin()
    point = desa_web.geometry.representative_point()[nearest]  # the same point (inside) in lon/lat
    name = desa_web.loc[nearest, "nama"]
    (tmp_path / "peta.html").write_bytes(desa_html)
    with serve(tmp_path) as url, chromium_page(1400, 900) as (page, log):
        page.goto(f"{url}/peta.html")
        page.wait_for_function("document.querySelectorAll('path.leaflet-interactive').length >= 442",
                               timeout=20_000)
        regions = page.locator("path.leaflet-interactive")
        # 442 desa polygons plus one clickable circle per site.
        assert regions.count() == 442 + len(sample.sites)
        assert "DATA CONTOH" in page.locator(".peta-title").inner_text()
        legend = page.locator(".peta-legend").inner_text()
        assert "Tingkat cakupan" in legend and "30% – 50%" in legend and "≥ 70%" in legend     # target bands
        page.wait_for_function("document.documentElement.dataset.petaView === 'fitted'", timeout=10_000)
        x, y = page.evaluate(_SCREEN_POINT, [point.y, point.x])
        page.mouse.move(x, y)
        page.wait_for_selector(".leaflet-tooltip", timeout=5_000)
        tooltip = page.locator(".leaflet-tooltip").inner_text()
        assert name in tooltip and "Tingkat cakupan" in tooltip and re.search(r"\d+,\d%", tooltip), tooltip
    assert log.blocked == [] and log.page_errors == [] and log.console_errors == []

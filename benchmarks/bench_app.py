"""The running app in headless Chromium: bytes sent, time to map drawn, metric switch.

Starts ``streamlit run`` on localhost and drives Debian's Chromium (network
cut off) with the browser-test helpers.  Skipped in ``--quick`` mode.
"""

from __future__ import annotations

import re
import time

from cli.bench import BenchRow
from tests.browser_support import (
    chromium_page,
    folium_frame,
    streamlit_server,
    wait_for_map_text,
)

MB = 1_000_000


def _load(url: str, min_paths: int) -> tuple[float, int, int]:
    """Seconds from request to ``min_paths`` polygons drawn; bytes over HTTP and over the websocket.

    HTTP is mostly Streamlit's own front end and the map libraries (cached by a
    real browser after the first visit); the websocket carries the page and
    the map data itself.
    """
    received = {"http": 0, "ws": 0}

    def add(kind: str, n: int) -> None:
        received[kind] += n

    with chromium_page(1500, 1000) as (page, _log):
        page.on("response", lambda r: add("http", int(r.headers.get("content-length") or 0)))
        page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: add("ws", len(payload))))
        start = time.perf_counter()
        page.goto(url)
        folium_frame(page, min_paths=min_paths, timeout_ms=60_000)
        return time.perf_counter() - start, received["http"], received["ws"]


def _metric_switch(url: str) -> float:
    with chromium_page(1500, 1000) as (page, _log):
        page.goto(url)
        folium_frame(page, min_paths=42, timeout_ms=60_000)
        page.get_by_label("Indikator").click()
        start = time.perf_counter()
        page.get_by_role("option", name="Pekerja belum terlindungi").click()
        page.wait_for_url(re.compile("metric=uncovered"))
        wait_for_map_text(page, ".peta-legend-title", "Pekerja belum terlindungi", timeout_ms=60_000)
        return time.perf_counter() - start


def run(quick: bool = False) -> list[BenchRow]:
    """Measure page loads per level and a metric switch (skipped when quick)."""
    if quick:
        return []
    rows = []
    with streamlit_server() as url:
        _load(url, 42)  # warm caches (boundaries, coverage) once
        for level, n, target in (("kecamatan", 42, 5.0), ("desa", 442, 8.0)):
            seconds, http, ws = _load(f"{url}/?level={level}", n)
            rows.append(BenchRow("app", f"page request -> {n} polygons drawn ({level})", seconds, "s",
                                 target=f"<= {target:g} s", ok=seconds <= target))
            rows.append(BenchRow("app", f"map + page data over websocket, {level}", ws / MB, "MB",
                                 target="<= 1 MB", ok=ws <= MB))
            rows.append(BenchRow("app", f"HTTP (Streamlit front end + map libraries), {level}", http / MB, "MB"))
        seconds = _metric_switch(url)
        rows.append(BenchRow("app", "switch metric -> new legend drawn (kecamatan)", seconds, "s",
                             target="<= 3 s", ok=seconds <= 3.0))
    return rows

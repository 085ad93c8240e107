"""The running app in headless Chromium against a static Folium HTML of the same map.

Starts ``streamlit run`` on localhost and drives Debian's Chromium (network
cut off) with the browser-test helpers.  Each figure has a baseline from the
same run:

Times are taken in the browser (``performance`` clock, conditions polled on
every animation frame), from the navigation's start or the click, so the test
driver's own polling does not enter them.

* page request -> polygons drawn (kecamatan, desa), against the map page's
  own HTML export of the same layer (libraries inlined), served over HTTP on
  localhost and drawn in a fresh page;
* metric switch -> new legend drawn, against restyling every polygon of the
  static map in the browser (Leaflet ``setStyle`` with a colour per region),
  and the bytes the switch sends over the websocket;
* the province's desa map (``PETA_REGION=32``, 5,957 desa on a canvas)
  against its static HTML export, on a warm server and in its first session;
* a one-line Streamlit app's first text: what any Streamlit page costs in a
  fresh browser before the app's own work (about 1.2 s on the 2-core machine,
  more than twice the static map's 0.33 s: the "2x static" target cannot be
  met from a cold browser by a Streamlit page at all).

Medians of :data:`REPEAT` runs.  Skipped in ``--quick`` mode.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import statistics
import tempfile
import threading
import time
from pathlib import Path

from cli.bench import BenchRow
from geo.region import PROVINCE, REGION_ENV, use_region
from tests.browser_support import (
    chromium_page,
    drawn_map,
    streamlit_server,
)

MB = 1_000_000
KB = 1_000
REPEAT = 3
#: Issue 13's targets: page -> polygons at most twice the static HTML; a metric switch within 0.3 s and 50 kB.
LOAD_RATIO = 2.0
SWITCH_S, SWITCH_KB = 0.3, 50.0
PROVINCE_S = 3.0

#: Time (ms) for the static map to restyle every polygon, measured in the page.
_SET_STYLE = """() => { const paths = []; for (const key in window) { const v = window[key];
    if (v && v.eachLayer && v.setStyle && v.toGeoJSON) v.eachLayer(l => { if (l.setStyle) paths.push(l); }); }
  const colours = ['#ffffcc', '#a1dab4', '#41b6c4', '#225ea8'];
  const start = performance.now();
  paths.forEach((l, i) => l.setStyle({fillColor: colours[i % 4]}));
  return [performance.now() - start, paths.length]; }"""


#: Epoch ms (the browser's clock) when a condition first held in a frame: polled on every animation frame.
_NOW = "performance.timeOrigin + performance.now()"
_POLYGONS = "n => document.querySelectorAll('path.leaflet-interactive').length >= n && " + _NOW
_LEGEND = "text => { const n = document.querySelector('.peta-legend-title'); " \
          "return n && n.innerText.includes(text) && " + _NOW + "; }"


def _map_frame_when(page, condition: str, arg: object, timeout_ms: int = 60_000) -> float:
    """Epoch ms at which the streamlit-folium frame first met ``condition(arg)`` (a JS expression's time).

    The time is taken in the frame itself (``requestAnimationFrame`` polling), so the figure does not
    include the test's own polling interval.  A frame replaced while waiting is waited on anew.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    while time.monotonic() < deadline:
        for frame in page.frames:
            if "streamlit_folium" not in frame.url:
                continue
            try:
                remaining = max(1.0, (deadline - time.monotonic()) * 1000)
                return float(frame.wait_for_function(condition, arg=arg, timeout=remaining).json_value())
            except Exception:  # the frame was detached (re-mounted) while waiting
                pass
        page.wait_for_timeout(20)
    raise AssertionError(f"the map frame never met {condition!r} ({arg!r}) within {timeout_ms} ms")


def _load(url: str, min_paths: int) -> tuple[float, int, int]:
    """Seconds from request to ``min_paths`` polygons drawn; bytes over HTTP and over the websocket."""
    received = {"http": 0, "ws": 0}

    def add(kind: str, n: int) -> None:
        received[kind] += n

    with chromium_page(1500, 1000) as (page, _log):
        page.on("response", lambda r: add("http", int(r.headers.get("content-length") or 0)))
        page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: add("ws", len(payload))))
        page.goto(url)
        drawn = _map_frame_when(page, _POLYGONS, min_paths)
        return (drawn - page.evaluate("performance.timeOrigin")) / 1000, received["http"], received["ws"]


def _static_load(url: str, min_paths: int) -> tuple[float, float]:
    """Seconds from request to ``min_paths`` polygons of a static HTML map, and its setStyle time (s)."""
    with chromium_page(1500, 1000) as (page, _log):
        page.goto(url)
        drawn = float(page.wait_for_function(_POLYGONS, arg=min_paths, timeout=60_000).json_value())
        seconds = (drawn - page.evaluate("performance.timeOrigin")) / 1000
        restyle_ms, _count = page.evaluate(_SET_STYLE)
        return seconds, restyle_ms / 1000


def _metric_switch(url: str) -> tuple[float, int]:
    """Seconds from the click on another metric to its legend drawn, and the websocket bytes of the switch."""
    received = {"ws": 0}
    with chromium_page(1500, 1000) as (page, _log):
        page.on("websocket", lambda ws: ws.on(
            "framereceived", lambda payload: received.__setitem__("ws", received["ws"] + len(payload))))
        page.goto(url)
        drawn_map(page, min_paths=42)         # the page idle: its first runs (the size probe's) are over
        page.get_by_label("Indikator").click()
        received["ws"] = 0
        page.evaluate("() => document.addEventListener('click', () => { window.__clickedAt = " + _NOW + "; }, "
                      "{capture: true, once: true})")
        page.get_by_role("option", name="Pekerja belum terlindungi").click()
        drawn = _map_frame_when(page, _LEGEND, "Pekerja belum terlindungi")
        page.wait_for_url(re.compile("metric=uncovered"))
        return (drawn - page.evaluate("window.__clickedAt")) / 1000, received["ws"]


#: A map drawn: its legend and its regions (SVG paths, or the canvas a map of many regions draws on).
_DRAWN = ("() => !!(document.querySelector('.peta-legend-title') && "
          "document.querySelector('.leaflet-overlay-pane canvas, path.leaflet-interactive'))")
_POLL_MS = 50


def _polled_load(url: str, timeout_s: float = 180) -> float:
    """Seconds from request to the map frame drawn, polled every :data:`_POLL_MS` ms over all frames.

    For the province, whose frame is replaced while it loads; the polling adds up to 50 ms.
    """
    with chromium_page(1500, 1000) as (page, _log):
        start = time.perf_counter()
        page.goto(url)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            for frame in page.frames:
                try:
                    if "streamlit_folium" in frame.url and frame.evaluate(_DRAWN):
                        return time.perf_counter() - start
                except Exception:  # the frame was detached while asked
                    pass
            page.wait_for_timeout(_POLL_MS)
    raise AssertionError(f"{url}: no map drawn within {timeout_s} s")


def _static_drawn(url: str) -> float:
    """Seconds from request to a static HTML map drawn (polled on every animation frame)."""
    with chromium_page(1500, 1000) as (page, _log):
        start = time.perf_counter()
        page.goto(url)
        page.wait_for_function(_DRAWN, timeout=180_000)
        return time.perf_counter() - start


def _province_rows(folder: Path) -> list[BenchRow]:
    """The province's desa map (5,957 desa) in the app against its static HTML export."""
    from render.exports import export_bytes, load_export_data

    previous = os.environ.get(REGION_ENV)
    use_region(PROVINCE)
    try:
        data = load_export_data()
        (folder / "province.html").write_bytes(export_bytes(data, "map", "html", level="desa",
                                                            metric="coverage_rate"))
    finally:
        if previous is None:
            os.environ.pop(REGION_ENV, None)
        else:
            os.environ[REGION_ENV] = previous
    server = _serve(folder)
    try:
        static = statistics.median(_static_drawn(f"http://127.0.0.1:{server.server_address[1]}/province.html")
                                   for _ in range(REPEAT))
    finally:
        server.shutdown()
    with streamlit_server(env={REGION_ENV: PROVINCE}, timeout=180) as url:
        cold = _polled_load(f"{url}/?level=desa")      # the server's first province session computes it all
        seconds = statistics.median(_polled_load(f"{url}/?level=desa") for _ in range(REPEAT))
    return [
        BenchRow("app", "page request -> province desa map drawn (5,957 desa, warm server)", seconds, "s",
                 target=f"<= {PROVINCE_S:g} s", ok=seconds <= PROVINCE_S, baseline=static,
                 baseline_name="static Folium HTML of the same map"),
        BenchRow("app", "page request -> province desa map drawn, the server's first session", cold, "s"),
    ]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def _serve(folder: Path):
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _static_maps(folder: Path) -> None:
    """The app's HTML export of the kecamatan and desa coverage maps (the sample data), into ``folder``."""
    from render.exports import export_bytes, load_export_data

    data = load_export_data()
    for level in ("kecamatan", "desa"):
        (folder / f"{level}.html").write_bytes(export_bytes(data, "map", "html", level=level,
                                                            metric="coverage_rate"))


def _empty_streamlit_page(folder: Path) -> float:
    """Seconds from request to the first text of a one-line Streamlit app: the floor of any Streamlit page."""
    script = folder / "halo.py"
    script.write_text('import streamlit as st\nst.write("halo")\n', encoding="utf-8")
    times = []
    with streamlit_server(str(script)) as url:
        for _ in range(REPEAT + 1):
            with chromium_page(1500, 1000) as (page, _log):
                start = time.perf_counter()
                page.goto(url)
                page.get_by_text("halo").wait_for(timeout=60_000)
                times.append(time.perf_counter() - start)
    return statistics.median(times[1:])          # the first load warms the server


def run(quick: bool = False) -> list[BenchRow]:
    """Measure page loads per level and a metric switch against the static map (skipped when quick)."""
    if quick:
        return []
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-app-") as tmp, streamlit_server() as url:
        folder = Path(tmp)
        _static_maps(folder)
        server = _serve(folder)
        static_url = f"http://127.0.0.1:{server.server_address[1]}"
        try:
            _load(url, 42)  # warm caches (boundaries, coverage) once
            restyles = []
            for level, n in (("kecamatan", 42), ("desa", 442)):
                loads = [_load(f"{url}/?level={level}", n) for _ in range(REPEAT)]
                statics = [_static_load(f"{static_url}/{level}.html", n) for _ in range(REPEAT)]
                seconds = statistics.median(s for s, _h, _w in loads)
                baseline = statistics.median(s for s, _r in statics)
                restyles.append(statistics.median(r for _s, r in statics))
                rows.append(BenchRow("app", f"page request -> {n} polygons drawn ({level})", seconds, "s",
                                     target=f"<= {LOAD_RATIO:g}x baseline", ok=seconds <= LOAD_RATIO * baseline,
                                     baseline=baseline, baseline_name="static Folium HTML of the same map"))
                ws = statistics.median(w for _s, _h, w in loads)
                http_bytes = statistics.median(h for _s, h, _w in loads)
                rows.append(BenchRow("app", f"map + page data over websocket, {level}", ws / MB, "MB",
                                     target="<= 1 MB", ok=ws <= MB))
                rows.append(BenchRow("app", f"HTTP (Streamlit front end + map libraries), {level}",
                                     http_bytes / MB, "MB"))
            switches = [_metric_switch(url) for _ in range(REPEAT)]
            seconds = statistics.median(s for s, _b in switches)
            sent = statistics.median(b for _s, b in switches) / KB
            rows.append(BenchRow("app", "switch metric -> new legend drawn (kecamatan)", seconds, "s",
                                 target=f"<= {SWITCH_S:g} s", ok=seconds <= SWITCH_S, baseline=restyles[0],
                                 baseline_name="setStyle on every polygon of the static map"))
            rows.append(BenchRow("app", "switch metric: bytes over the websocket (kecamatan)", sent, "kB",
                                 target=f"<= {SWITCH_KB:g} kB", ok=sent <= SWITCH_KB))
        finally:
            server.shutdown()
        floor = _empty_streamlit_page(folder)
        province = _province_rows(folder)
    rows.append(BenchRow("app", "empty Streamlit page -> its first text (the floor of any page)", floor, "s",
                         baseline=rows[0].baseline, baseline_name="static Folium HTML, kecamatan"))
    return rows + province

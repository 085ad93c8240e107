"""Helpers for real-browser tests: a `streamlit run` server and headless Chromium.

Chromium is Debian's (/usr/bin/chromium, installed by `make test`), driven by
Playwright without downloading a browser.  Every request that does not go to
localhost is aborted and recorded, so a test can assert that the page never
reached for the internet; console errors are recorded too.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from geo.paths import PROJECT_ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts"
LOCAL_PREFIXES = ("http://localhost", "http://127.0.0.1", "ws://localhost", "ws://127.0.0.1",
                  "data:", "blob:", "about:")


def free_port() -> int:
    """Return a TCP port that is free on localhost right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def streamlit_server(script: str = "streamlit_app.py", env: dict[str, str] | None = None,
                     timeout: float = 60) -> Iterator[str]:
    """Run ``streamlit run script`` on a free port and yield its base URL."""
    port = free_port()
    log = (ARTIFACTS / f"streamlit-{port}.log")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with log.open("w") as log_file:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=PROJECT_ROOT, stdout=log_file, stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                        if resp.status == 200:
                            break
                except OSError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not start; see {log}:\n{log.read_text()[-2000:]}")
                time.sleep(0.3)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


@dataclass
class BrowserLog:
    """What the page tried to fetch from outside and what it logged as errors."""

    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)


@contextmanager
def chromium_page(width: int = 1400, height: int = 900):
    """Yield ``(page, log)``: a headless Chromium page with the network cut off."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: run `make test` (it installs Debian chromium) "
                           "or `apt-get install chromium chromium-driver`.")
    log = BrowserLog()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(viewport={"width": width, "height": height})

        def route(route_obj):
            url = route_obj.request.url
            if url.startswith(LOCAL_PREFIXES):
                route_obj.continue_()
            else:
                log.blocked.append(url)
                route_obj.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("console", lambda msg: log.console_errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: log.page_errors.append(str(exc)))
        try:
            yield page, log
        finally:
            browser.close()


def folium_frame(page, min_paths: int = 1, timeout_ms: int = 30_000):
    """Return the streamlit-folium iframe once it has drawn at least ``min_paths`` polygons."""
    deadline = time.monotonic() + timeout_ms / 1000
    while time.monotonic() < deadline:
        for frame in page.frames:
            if "streamlit_folium" in frame.url:
                try:
                    if frame.locator("path.leaflet-interactive").count() >= min_paths:
                        return frame
                except Exception:  # frame navigating; try again
                    pass
        page.wait_for_timeout(250)
    raise AssertionError(f"no folium map with >= {min_paths} polygons within {timeout_ms} ms; "
                         f"frames: {[f.url for f in page.frames]}")


def wait_for_map_text(page, selector: str, text: str, timeout_ms: int = 30_000):
    """Wait until the folium iframe (which re-mounts when the map changes) shows ``text``
    in ``selector``; return that frame."""
    deadline = time.monotonic() + timeout_ms / 1000
    seen: list[str] = []
    while time.monotonic() < deadline:
        for frame in page.frames:
            if "streamlit_folium" not in frame.url:
                continue
            try:
                nodes = frame.locator(selector)
                if nodes.count() and text in (current := nodes.first.inner_text()):
                    return frame
                seen.append(current if nodes.count() else "")
            except Exception:  # frame detached while re-mounting
                pass
        page.wait_for_timeout(250)
    raise AssertionError(f"{selector!r} never showed {text!r} within {timeout_ms} ms; last seen {seen[-3:]}")


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under tests/artifacts/ and return its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


#: The map frame's state: its size on screen, the size its labels were placed for, what it has drawn.
MAP_STATE = """() => {
  const f = [...document.querySelectorAll('iframe')].find(f => f.title.includes('st_folium'));
  if (!f || !f.contentDocument || !f.contentDocument.documentElement) return null;
  const d = f.contentDocument, r = f.getBoundingClientRect();
  return {size: Math.round(r.width) + 'x' + Math.round(r.height), placed: d.documentElement.dataset.petaLabelsFor || null,
          paths: d.querySelectorAll('path.leaflet-interactive').length,
          labels: d.querySelectorAll('.peta-label, .peta-label-no').length,
          top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height, width: r.width};
}"""

#: The app has finished its run (Streamlit shows its status widget while a run is going).
IDLE = "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"


def drawn_map(page, min_paths: int = 42, timeout_s: float = 90.0) -> dict:
    """Wait until the app is idle and the map drawn, its labels placed for the size it has on screen; return
    its state."""
    deadline, state = time.monotonic() + timeout_s, None
    while time.monotonic() < deadline:
        try:
            state = page.evaluate(MAP_STATE)
        except Exception:       # the frame is re-mounting
            state = None
        if (state and state["paths"] >= min_paths and state["labels"] and state["placed"] == state["size"]
                and page.evaluate(IDLE)):
            return state
        page.wait_for_timeout(200)
    raise AssertionError(f"the map was not drawn for its size on screen within {timeout_s} s: {state}")


def press_on_page(page, key: str) -> None:
    """Press ``key`` for the app's keyboard shortcuts: once the app is idle, with the page (not a map frame) focused.

    A key pressed while a run is re-drawing the buttons, or while a component frame holds the focus, never
    reaches Streamlit's shortcut listener.
    """
    page.wait_for_function(IDLE, timeout=60_000)
    page.evaluate("() => { if (document.activeElement && document.activeElement.blur) document.activeElement.blur(); "
                  "window.focus(); }")
    page.keyboard.press(key)


def drawn_frame(page, min_paths: int = 42):
    """The map frame once :func:`drawn_map` says it is drawn for its size (clicks then reach the final map)."""
    drawn_map(page, min_paths=min_paths)
    return folium_frame(page, min_paths=min_paths)

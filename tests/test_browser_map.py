"""The map page, served by `streamlit run`, in headless Chromium with no internet."""

from __future__ import annotations

import pytest

from tests.browser_support import (
    chromium_page,
    drawn_frame,
    screenshot,
    streamlit_server,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_kecamatan_map_renders_offline():
    with streamlit_server() as url, chromium_page() as (page, log):
        page.goto(url)
        frame = drawn_frame(page, min_paths=42)      # drawn for its size on screen (not the first guess)
        frame.locator(".peta-label").first.wait_for(state="attached")
        assert frame.locator("path.leaflet-interactive").count() == 42
        assert frame.evaluate("typeof L") == "object"  # Leaflet loaded from localhost
        # every kecamatan named: a label, or a number where labels would overlap (named in the side list)
        assert frame.locator(".peta-label").count() + frame.locator(".peta-label-no").count() == 42
        assert frame.locator(".peta-label-key div").count() == frame.locator(".peta-label-no").count()
        assert frame.locator("img.leaflet-tile").count() == 0  # no basemap tiles needed
        screenshot(page, "map_kecamatan_offline")
        assert log.blocked == [], f"page reached for the internet: {log.blocked}"
        assert log.page_errors == []
        assert log.console_errors == []

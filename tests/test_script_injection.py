"""Names from a file never run as script: folium puts tooltips and popups inside JS template literals.

``folium.Tooltip`` and ``folium.Popup`` write their HTML into ``\\`...\\```
in the page's script, where ``${...}``, a backtick or a trailing backslash
is live code; HTML escaping alone does not stop that.  Every site name here
would run (or break the page) without :func:`render.escape.for_js_template`.
"""

from __future__ import annotations

import datetime as dt
import json
import time

import folium
import geopandas as gpd
import pytest
from shapely.geometry import Point

from render.escape import for_js_template, html_text
from render.exports import load_export_data, map_html_bytes
from render.exports.view import ExportView
from render.maps.sites_layer import add_sites_layer
from render.maps.web_assets import inline_html
from tests.browser_support import chromium_page, screenshot

HOSTILE = [
    "${alert(parent.document.title)}",
    "Arung `+alert(2)+` Jeram",
    "</script><script>alert(3)</script>",
    "Tebing \\",
    "\\u0060${alert(4)}",
]


def test_for_js_template_leaves_nothing_live():
    for name in HOSTILE:
        safe = for_js_template(html_text(name))
        assert not set(safe) & set("`$\\<>")


def _hostile_sites() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": HOSTILE, "category_group": ["rafting"] * len(HOSTILE), "desa": ["Sukamaju"] * len(HOSTILE),
         "kecamatan": ["${alert(5)}"] * len(HOSTILE), "est_workers": [40.0] * len(HOSTILE),
         "illustrative": [False] * len(HOSTILE)},
        geometry=[Point(107.85 + i * 0.02, -7.25) for i in range(len(HOSTILE))], crs="EPSG:4326")


def test_rendered_map_has_no_live_template_text():
    fmap = folium.Map(tiles=None)
    add_sites_layer(fmap, _hostile_sites(), cluster=False)
    page = fmap.get_root().render()
    assert "${alert" not in page and "`+alert" not in page and "<script>alert(3)" not in page
    assert "&#36;{alert(parent.document.title)}" in page


def _open_every_site(page, map_name: str) -> list[dict[str, str]]:
    """Open each marker's popup and tooltip through its layer; return what they show."""
    return page.evaluate(
        f"""() => {{
            const shown = [];
            {map_name}.eachLayer(layer => {{
                if (!(layer instanceof L.Marker || layer instanceof L.CircleMarker)) return;
                if (!layer.getPopup() || !layer.getTooltip()) return;
                layer.openPopup();
                const popup = layer.getPopup().getElement().innerText;
                layer.openTooltip();
                const tooltip = layer.getTooltip().getElement().innerText;
                shown.push({{popup, tooltip}});
                layer.closePopup();
            }});
            return shown;
        }}"""
    )


def _assert_names_shown_as_text(page, log, shown, dialogs) -> None:
    assert dialogs == [] and log.page_errors == [], (dialogs, log.page_errors)
    assert page.evaluate("document.title") != "pwned"
    tooltips = [s["tooltip"] for s in shown]
    for name in HOSTILE:
        assert any(name in t for t in tooltips), (name, tooltips)
        assert any(name in s["popup"] for s in shown), name


@pytest.mark.browser
def test_site_names_show_as_text_on_the_app_map():
    """The map the app embeds (the same builder, offline assets): no dialog, every name shown literally."""
    fmap = folium.Map(location=[-7.25, 107.9], zoom_start=11, tiles=None)
    add_sites_layer(fmap, _hostile_sites(), cluster=False)
    with chromium_page(1200, 800) as (page, log):
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.set_content(inline_html(fmap))
        page.wait_for_function(f"typeof {fmap.get_name()} !== 'undefined'")
        shown = _open_every_site(page, fmap.get_name())
        assert len(shown) == len(HOSTILE)
        _assert_names_shown_as_text(page, log, shown, dialogs)


@pytest.mark.browser
@pytest.mark.slow
def test_site_names_show_as_text_in_the_html_export(tmp_path, garut_gpkg):
    rows = ["name,category,lat,lon"] + [
        f'"{name.replace(chr(34), chr(34) * 2)}",rafting,-7.2{i},107.8{i}' for i, name in enumerate(HOSTILE)]
    sites_csv = tmp_path / "lokasi.csv"
    sites_csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    data = load_export_data(created=dt.date(2025, 1, 15), sites=sites_csv, priorities=False)
    assert sorted(data.sites["name"]) == sorted(HOSTILE)
    html_bytes = map_html_bytes(data, ExportView(level="kecamatan", metric="coverage_rate", show_sites=True))
    text = html_bytes.decode("utf-8")
    assert "${alert" not in text and "`+alert" not in text
    with chromium_page(1400, 900) as (page, log):
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.set_content(text)
        map_name = page.evaluate(
            "() => Object.keys(window).find(k => k.startsWith('map_') && window[k] instanceof L.Map)")
        assert map_name, "no Leaflet map in the export"
        shown = _open_every_site(page, map_name)
        assert len(shown) == len(HOSTILE), json.dumps(shown)
        screenshot(page, "export_hostile_site_names")
        _assert_names_shown_as_text(page, log, shown, dialogs)


#: Every site marker of the app's map frame: its popup and tooltip as text.
_APP_MARKERS = """() => {
                const name = Object.keys(window).find(k => k.startsWith('map_') && window[k] instanceof L.Map);
                const text = html => { const d = document.createElement('div'); d.innerHTML = html; return d.innerText; };
                const markers = [];
                window[name].eachLayer(layer => {
                    const inner = layer.getLayers ? layer.getLayers() : [layer];
                    inner.forEach(m => { if (m.getPopup && m.getPopup() && m.getTooltip && m.getTooltip()) markers.push(m); });
                });
                return markers.map(m => ({
                    popup: m.getPopup().getContent().innerText ?? text(m.getPopup().getContent().outerHTML),
                    tooltip: text(m.getTooltip().getContent()),
                }));
            }"""


@pytest.mark.browser
@pytest.mark.slow
def test_site_names_show_as_text_in_the_app(tmp_path):
    """The user's own sites file in the running app: no dialog, every name shown literally in its popup and tooltip."""
    from tests.browser_support import folium_frame, streamlit_server

    rows = ["name,category,lat,lon"] + [
        f'"{name.replace(chr(34), chr(34) * 2)}",rafting,-7.2{i},107.8{i}' for i, name in enumerate(HOSTILE)]
    sites_csv = tmp_path / "lokasi_jahat.csv"
    sites_csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with streamlit_server(env={"PETA_APP_DB": str(tmp_path / "app.db")}) as url, \
            chromium_page(1400, 2400) as (page, log):
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(f"{url}/prioritas")
        page.get_by_text("Pakai berkas lokasi berisiko sendiri").click()
        page.locator("input[type=file]").first.set_input_files(str(sites_csv))
        page.get_by_role("button", name="Pakai lokasi ini untuk peta dan peringkat").click()
        page.get_by_text("lokasi_jahat.csv").first.wait_for(timeout=30_000)
        # the map with the uploaded sites replaces the one with the bundled sites: wait for it (the old frame
        # may still be on the page when the file's name already is)
        deadline = time.monotonic() + 60
        while True:
            try:
                frame = folium_frame(page, min_paths=442, timeout_ms=60_000)
                frame.wait_for_selector(".peta-site-icon, .marker-cluster", timeout=20_000)
                shown = frame.evaluate(_APP_MARKERS)
            except Exception:          # the frame was replaced while it was read
                shown = []
            if len(shown) == len(HOSTILE) or time.monotonic() > deadline:
                break
            page.wait_for_timeout(250)
        screenshot(page, "app_hostile_site_names")
        assert len(shown) == len(HOSTILE), shown
        assert dialogs == [] and log.page_errors == [], (dialogs, log.page_errors)
        for name in HOSTILE:
            assert any(name in s["tooltip"] for s in shown), (name, shown)
            assert any(name in s["popup"] for s in shown), (name, shown)

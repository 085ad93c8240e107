"""AppTest tests of the map page: every control, drill-down, briefing mode, query parameters."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from analysis.sample import SAMPLE_PATH
from geo.paths import PROJECT_ROOT
from tests.map_html import geojson_features
from tests.markdown_text import shown
from ui.pages.map import clicked_kecamatan

APP = str(PROJECT_ROOT / "streamlit_app.py")


def run_app(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def map_args(at: AppTest) -> dict:
    (component,) = [c for c in at.get("component_instance") if "st_folium" in c.proto.component_name]
    return json.loads(component.proto.json_args)


def restyle_payload(at: AppTest) -> dict:
    """What the page sends to restyle its map in the browser (the metric shown, its legend and tooltips)."""
    (component,) = [c for c in at.get("component_instance") if "peta_restyle" in c.proto.component_name]
    return json.loads(component.proto.json_args)["payload"]


def features(at: AppTest, level: str = "kecamatan") -> list[dict]:
    """Features of the choropleth layer (outline layers of the other level left out)."""
    length = 13 if level == "desa" else 8
    return [f for f in geojson_features(map_args(at)["script"]) if len(f["properties"].get("kode", "")) == length]


def markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


@pytest.fixture(scope="module")
def default_app() -> AppTest:
    return run_app()


def test_default_view_kpis_banner_and_42_kecamatan(default_app):
    text = markdown(default_app)
    assert "DATA CONTOH — bukan data resmi BPJS Ketenagakerjaan" in text
    for figure in ("836.000", "186.000", "22,2%", "399.200", "Rp8,1 miliar"):
        assert figure in text
    assert len(features(default_app)) == 42
    assert "Tingkat cakupan" in map_args(default_app)["script"]  # legend title


def test_map_libraries_are_served_locally(default_app):
    args = map_args(default_app)
    links = args["js_links"] + args["css_links"]
    assert links and all(link.startswith("../ui.vendor.vendor/") for link in links)


def test_metric_control_restyles_the_map_and_changes_the_link():
    at = run_app()
    before = map_args(at)
    coverage = restyle_payload(at)
    at.selectbox(key="metric").set_value("uncovered").run()
    assert not at.exception
    payload = restyle_payload(at)
    assert "Pekerja belum terlindungi" in payload["legend"] and payload["version"] != coverage["version"]
    assert set(payload["styles"]) == {f["properties"]["kode"] for f in features(at)}
    assert payload["styles"] != coverage["styles"]
    assert "Pekerja belum terlindungi" in payload["tips"]["labels"]          # its tooltip row
    # the map itself, geometry and all, is the one sent before: the browser keeps it and restyles it
    assert map_args(at) == before
    assert at.query_params["metric"] == "uncovered"


def test_a_metric_switch_does_not_draw_the_map_again_a_drill_down_does(monkeypatch):
    import ui.pages.map as page
    from ui.folium_frame import clear_frames

    clear_frames()
    drawn = []
    draw = page._draw
    monkeypatch.setattr(page, "_draw", lambda recipe: drawn.append(recipe) or draw(recipe))
    at = run_app()
    assert len(drawn) == 1
    run_app()                                   # another session, the same view: the frame drawn is reused
    assert len(drawn) == 1
    for metric in ("uncovered", "workers", "coverage_rate"):
        at.selectbox(key="metric").set_value(metric).run()
    at.selectbox(key="scheme").set_value("quantiles").run()
    assert not at.exception and len(drawn) == 1
    at.radio(key="level").set_value("desa").run()
    assert len(drawn) == 2 and len(features(at, "desa")) == 442


def test_query_parameters_open_the_same_view():
    # the write direction (widget -> URL) happens in the browser; see test_browser_app.py
    at = run_app(metric="gap_to_target", level="desa", scheme="quantiles", lang="en")
    assert at.selectbox(key="metric").value == "gap_to_target"
    assert at.selectbox(key="scheme").value == "quantiles"
    assert at.radio(key="level").value == "desa"
    assert len(features(at, "desa")) == 442
    assert "Gap to 70% target" in restyle_payload(at)["legend"]


def test_level_control_shows_442_desa():
    at = run_app()
    at.radio(key="level").set_value("desa").run()
    assert not at.exception
    assert len(features(at, "desa")) == 442
    outlines = [f for f in geojson_features(map_args(at)["script"]) if "kode" not in f["properties"]]
    assert len(outlines) == 42  # kecamatan outlines drawn over the desa, not clickable


def test_drill_down_from_query_and_back():
    at = run_app(level="desa", kec="32.05.01")
    assert len(features(at, "desa")) == 11
    assert {f["properties"]["kode"][:8] for f in features(at, "desa")} == {"32.05.01"}
    assert any("Garut Kota" in s.value for s in at.subheader)
    back = [b for b in at.button if "Kembali" in b.label]
    back[0].click().run()
    assert not at.exception
    assert len(features(at)) == 42
    assert "kec" not in at.query_params and "level" not in at.query_params


def test_click_value_maps_to_kecamatan():
    click = {"last_active_drawing": {"properties": {"kode": "32.05.14"}}}
    assert clicked_kecamatan(click) == "32.05.14"
    assert clicked_kecamatan({"last_active_drawing": {"properties": {"kode": "32.05.14.2004"}}}) is None
    assert clicked_kecamatan(None) is None


def test_classification_control():
    at = run_app()
    at.selectbox(key="scheme").set_value("natural_breaks").run()
    natural = restyle_payload(at)["legend"]
    assert "relatif" in natural                      # a relative scheme says so
    at.selectbox(key="scheme").set_value("target_bands").run()
    bands = restyle_payload(at)["legend"]
    assert natural != bands
    assert "30,0%" in bands and "70,0%" in bands or "30%" in bands
    # fixed bands on a count metric fall back to the metric's default, and say so
    at.selectbox(key="metric").set_value("workers").run()
    assert any("Pita tetap hanya untuk persentase" in c.value for c in at.caption)


def test_editable_bands_from_url_and_invalid_bands_warn():
    at = run_app(scheme="target_bands", bands="20,40,60")
    assert "20,0%" in restyle_payload(at)["legend"] or "20%" in restyle_payload(at)["legend"]
    bad = run_app(scheme="target_bands", bands="70,50")
    assert any("bands=70,50" in shown(w.value) for w in bad.warning)
    at.text_input(key="bands").set_value("tiga puluh").run()
    assert any("Batas pita tidak dipahami: tiga puluh" in shown(w.value) for w in at.warning)


def test_language_switch_to_english():
    at = run_app(lang="en")
    text = markdown(at)
    assert "SAMPLE DATA — not official BPJS Ketenagakerjaan figures" in text
    assert "836,000" in text and "22.2%" in text
    assert "Coverage rate" in map_args(at)["script"]


def test_unknown_query_parameter_is_reported():
    at = run_app(metric="bogus")
    assert any("metric=bogus" in shown(w.value) for w in at.warning)
    assert len(features(at)) == 42  # falls back to the default view
    assert "metric" not in at.query_params  # the link is rewritten to what is shown


def test_briefing_mode_large_type_top10_and_stepping():
    at = run_app(mode="briefing")
    text = markdown(at)
    assert "font-size:48px" in text and "font-size:20px" in text  # readable from 4 m
    assert "[data-testid=\"stSidebar\"]" in text  # sidebar hidden
    assert "DATA CONTOH — bukan data resmi BPJS Ketenagakerjaan" in text
    # the title block the projector shows: region and period, what and from which data
    assert '<span class="m">Kabupaten Garut · Desember 2024</span>' in text
    assert "Cakupan BPJS Ketenagakerjaan · sumber: coverage_desa.csv" in text
    # before the first step: the kabupaten's pace, the pace needed, the largest gaps and the cost
    card = next(m.value for m in at.markdown if 'class="peta-brief-card"' in m.value)
    assert "Kabupaten Garut: apakah kita menuju target?" in card and "Laju sekarang: +" in card
    assert "Laju yang dibutuhkan untuk 70% pada Desember 2029" in card
    assert "Kekurangan terbesar: Malangbong (20.166), Cilawu" in card and "Rp8,1 miliar" in card
    assert 'class="peta-kpi k-cost"' not in text                 # on the card, so the card fits at 720 px
    at.button(key="brief_next").click().run()
    card = next(m.value for m in at.markdown if 'class="peta-brief-card"' in m.value)
    assert "1/42 · Kec. Malangbong" in card and "Cakupan 21,7% · perlu didaftarkan menuju 70%: 20.166" in card
    assert "Laju +" in card and "dibutuhkan +" in card and "Desa untuk dikunjungi lebih dulu: " in card
    at.button(key="brief_next").click().run()
    assert any("2/42 · Kec. Cilawu" in m.value for m in at.markdown)
    at.button(key="brief_prev").click().run()                        # Shift+N steps back
    assert any("1/42 · Kec. Malangbong" in m.value for m in at.markdown)
    assert [w for w in at.main.get("button_group") if w.key == "mode"]     # the way back out is on the page


def test_uploaded_data_replaces_sample_and_banner_goes(tmp_path):
    content = SAMPLE_PATH.read_bytes().replace(b"2024-12", b"2025-06")
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["upload"] = ("cakupan_2025.csv", content)
    at.run()
    assert not at.exception
    text = markdown(at)
    assert "DATA CONTOH" not in text
    assert "Periode data: 2025-06" in text


def test_map_only_reruns_on_clicks_not_pan_or_zoom(default_app):
    assert map_args(default_app)["returned_objects"] == ["last_active_drawing"]


def test_metric_and_scheme_changes_do_not_reload_boundaries():
    from geo.boundaries import _read_layer_cached

    at = run_app()
    misses = _read_layer_cached.cache_info().misses
    for metric in ("uncovered", "workers", "informal_rate"):
        at.selectbox(key="metric").set_value(metric).run()
    at.selectbox(key="scheme").set_value("quantiles").run()
    assert not at.exception
    assert _read_layer_cached.cache_info().misses == misses


def test_basemap_is_optional_and_off_by_default(default_app):
    assert "L.tileLayer" not in map_args(default_app)["script"]
    at = run_app()
    at.checkbox(key="basemap").check().run()
    assert "L.tileLayer" in map_args(at)["script"]
    assert len(features(at)) == 42  # polygons drawn with or without tiles


def test_download_buttons_name_what_they_hold():
    from analysis.dataset import load_coverage
    from ui.downloads import download_specs

    at = run_app(level="desa", kec="32.05.01", metric="uncovered")
    assert len(at.get("download_button")) == 8
    view = {"level": "desa", "kec": "32.05.01", "metric": "uncovered", "scheme": "quantiles", "bands": None}
    names = [spec.file_name for spec in download_specs(load_coverage(), view)]
    assert names == [
        "peta_belum_terlindungi_desa_garut_kota_2024-12_contoh.html",
        "peta_belum_terlindungi_desa_garut_kota_2024-12_contoh.png",
        "peta_belum_terlindungi_desa_garut_kota_2024-12_contoh_16x9_300dpi.png",
        "ringkasan_belum_terlindungi_desa_2024-12_contoh.pdf",
        "data_cakupan_desa_2024-12_contoh.xlsx",
        "data_cakupan_desa_2024-12_contoh.csv",
        "data_cakupan_desa_2024-12_contoh.geojson",
        "data_cakupan_2024-12_contoh.gpkg",
    ]


def test_unknown_kecamatan_in_link_is_reported_not_fatal():
    at = run_app(kec="32.05.99")
    assert any("kec=32.05.99" in shown(w.value) for w in at.warning)
    assert len(features(at)) == 42
    assert at.selectbox(key="kec").value == ""  # "Semua kecamatan"


def test_trend_button_puts_the_change_since_the_previous_period_on_the_map():
    at = run_app()
    button = at.button(key="trend_show_change")
    assert button.label == "Tampilkan di peta: perubahan sejak Juni 2024"     # the sample's period before 2024-12
    button.click().run()
    assert not at.exception
    assert at.session_state["metric"] == "change_rate"
    assert at.selectbox(key="metric").value == "change_rate"
    assert not [b for b in at.button if b.key == "trend_show_change"]     # shown: the button has done its job

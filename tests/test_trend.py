"""Coverage trend: rates by period, pace, pace needed, when the target is reached; the CLI and the map page."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import pandas as pd
import pytest

from analysis.config import load_config
from analysis.trend import coverage_trend, dataset_trend
from core.errors import CoverageInputError
from geo.paths import PROJECT_ROOT


def table(rows):
    """A kecamatan-level table of (period, workers, covered) for one kecamatan of Garut."""
    return pd.DataFrame([{"row": i + 2, "kode": "32.05.05", "level": "kecamatan", "period": p, "workers": w,
                          "covered": c, "workers_formal": float("nan"), "covered_formal": float("nan"),
                          "workers_informal": float("nan"), "covered_informal": float("nan")}
                         for i, (p, w, c) in enumerate(rows)])


def test_pace_needed_and_reached_at_from_three_periods():
    config = dataclasses.replace(load_config(), target_by="2026-12")
    rows = [("2024-06", 1000, 200), ("2024-12", 1000, 260), ("2025-06", 1000, 320)]   # +1 point a month
    trend = coverage_trend(table(rows), ["2024-06", "2024-12", "2025-06"], "32.05.05", config=config)
    assert trend.periods["coverage_rate"].tolist() == pytest.approx([0.2, 0.26, 0.32])
    assert trend.pace_pp == pytest.approx(1.0)
    assert trend.needed_pp == pytest.approx((70 - 32) / 18)                # 18 months to December 2026
    assert trend.reached_at == "2028-08"                                    # 38 points at 1 a month
    assert trend.on_track is False
    out = trend.as_json()
    assert out["pace_pp_per_month"] == 1.0 and out["reached_at"] == "2028-08" and out["target_by"] == "2026-12"


def test_falling_reached_and_single_period():
    falling = coverage_trend(table([("2024-06", 1000, 300), ("2024-12", 1000, 240)]), ["2024-06", "2024-12"],
                             "32.05.05")
    assert falling.pace_pp == pytest.approx(-1.0) and falling.reached_at is None
    reached = coverage_trend(table([("2024-06", 1000, 650), ("2024-12", 1000, 720)]), ["2024-06", "2024-12"],
                             "32.05.05")
    assert reached.needed_pp == 0 and reached.reached_at == "2024-12" and reached.on_track is True
    single = coverage_trend(table([("2024-12", 1000, 300)]), ["2024-12"], "32.05.05")
    assert single.pace_pp is None and single.on_track is None
    with pytest.raises(CoverageInputError) as caught:
        coverage_trend(table([("2024-12", 1000, 300)]), ["2024-12"], "32.05.30")
    assert caught.value.key == "trend.no_figures"


def test_the_sample_trend_of_the_kabupaten_and_a_kecamatan(garut_gpkg):
    from analysis.dataset import load_coverage

    data = load_coverage()
    kab = dataset_trend(data)
    assert kab.nama == "Kabupaten Garut" and kab.periods["period"].tolist() == ["2024-06", "2024-12"]
    assert kab.periods["covered"].tolist() == [174_000, 186_000]
    assert kab.pace_pp == pytest.approx((186_000 / 836_000 - 174_000 / 829_000) * 100 / 6)
    assert kab.needed_pp == pytest.approx((0.7 - 186_000 / 836_000) * 100 / 60)     # to December 2029
    assert dataset_trend(data, "Tarogong Kidul").kode == "32.05.05"
    with pytest.raises(CoverageInputError) as caught:
        dataset_trend(data, "Atlantis")
    assert "is not in the coverage data" in caught.value.message("en")


def test_cli_trend_json_and_text(garut_gpkg):
    done = subprocess.run([sys.executable, "-m", "analysis", "trend", "--kecamatan", "32.05.05", "--json"],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["nama"] == "Tarogong Kidul" and len(out["periods"]) == 2 and out["sample"] is True
    assert out["pace_pp_per_month"] > 0 and out["needed_pp_per_month"] > out["pace_pp_per_month"]
    text = subprocess.run([sys.executable, "-m", "analysis", "trend", "--lang", "en"], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, check=True).stdout.splitlines()
    assert text[0] == "Coverage of Kabupaten Garut: 21.0% (June 2024) → 22.2% (December 2024)."
    assert text[2] == "Pace needed for 70% by December 2029: +0.80 pp a month."
    assert text[3] == "At the current pace, 70% is reached in December 2043."


def test_the_map_page_shows_the_trend_with_the_pace_needed(garut_gpkg):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_string("from ui.pages.map import render\nrender()", default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    assert "Tren cakupan dan laju menuju target" in [h.value for h in at.subheader]
    body = " ".join(m.value for m in at.markdown).replace("\\", "")      # Markdown escapes
    assert "Laju yang dibutuhkan untuk 70% pada Desember 2029: +0,80 poin per bulan." in body
    assert "tanggal target adalah setelan aplikasi" in " ".join(c.value for c in at.caption).replace("\\", "")


def test_an_edited_target_date_shows_on_the_next_run(garut_gpkg, tmp_path, monkeypatch):
    """The trends are kept per session, but not past a change of the settings file they depend on."""
    from streamlit.testing.v1 import AppTest

    settings = tmp_path / "outreach.toml"
    settings.write_text('[target]\nby = "2029-12"\n', encoding="utf-8")
    monkeypatch.setenv("PETA_OUTREACH_CONFIG", str(settings))
    at = AppTest.from_string("from ui.pages.map import render\nrender()", default_timeout=120)
    at.run()
    assert "pada Desember 2029" in " ".join(m.value for m in at.markdown).replace("\\", "")
    settings.write_text('[target]\nby = "2027-12"\n', encoding="utf-8")
    at.run()
    assert not at.exception, at.exception
    body = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "pada Desember 2027" in body and "pada Desember 2029" not in body


@pytest.mark.parametrize("module", ["map", "upload"])
def test_map_and_upload_pages_show_no_developer_details(garut_gpkg, module):
    from streamlit.testing.v1 import AppTest

    from tests.test_app_outreach import DEVELOPER_WORDS

    at = AppTest.from_string(f"from ui.pages.{module} import render\nrender()", default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    parts = [e.value for e in (*at.markdown, *at.caption, *at.info, *at.warning, *at.title, *at.subheader)]
    parts += [str(w.label) for w in (*at.button, *at.selectbox, *at.checkbox)]
    body = "\n".join(str(p) for p in parts).replace("\\", "")
    assert not [w for w in DEVELOPER_WORDS if w in body], [line for line in body.splitlines()
                                                          if any(w in line for w in DEVELOPER_WORDS)][:5]


def test_a_file_without_periods_says_there_is_no_trend_yet(tmp_path, garut_gpkg):
    from analysis.dataset import load_coverage

    path = tmp_path / "tanpa_periode.csv"
    path.write_text("kode_kecamatan,pekerja,peserta_aktif\n32.05.05,1000,300\n", encoding="utf-8")
    data = load_coverage(path)
    assert not data.result.periods
    with pytest.raises(CoverageInputError) as caught:
        dataset_trend(data)
    assert caught.value.key == "trend.no_periods" and "tanpa_periode.csv" in caught.value.message("en")


def test_the_desa_search_tells_the_mekarsari_apart_and_focuses_the_map_and_card(garut_gpkg):
    import json

    from streamlit.testing.v1 import AppTest

    from geo.boundaries import load_layer

    desa = load_layer("desa_web")
    mekarsari = desa[desa["nama"] == "Mekarsari"]
    at = AppTest.from_string("from ui.pages.map import render\nrender()", default_timeout=120)
    at.run()
    search = at.selectbox(key="desa_search")
    labels = [o for o in search.options if o.startswith("Mekarsari — Kec. ")]
    assert len(labels) == len(mekarsari) == 8 and len(set(labels)) == 8          # told apart by kecamatan
    kode, kec_name = mekarsari["kode"].iloc[3], mekarsari["kecamatan"].iloc[3]
    search.set_value(kode).run()
    assert not at.exception, at.exception
    assert at.session_state["kec"] == kode[:8] and at.session_state["level"] == "desa"
    card = " ".join(m.value for m in at.markdown if "Mekarsari" in m.value).replace("\\", "")
    assert f"**Mekarsari** (Kec. {kec_name}) · cakupan" in card
    script = next(json.loads(c.proto.json_args)["script"] for c in at.get("component_instance")
                  if "st_folium" in c.proto.component_name)
    minx, miny, maxx, maxy = mekarsari[mekarsari["kode"] == kode].total_bounds
    fit = script[script.index("fitBounds("):][:200]
    south = float(fit.split("[[")[1].split(",")[0])
    assert miny - 0.05 < south < miny                                          # zoomed to the desa, not the kecamatan


def test_the_map_page_says_it_is_loading_the_map_and_prints_on_a4_landscape(garut_gpkg):
    from streamlit.testing.v1 import AppTest

    from ui.html import BASE_CSS

    at = AppTest.from_string("from ui.pages.map import render\nrender()", default_timeout=120)
    at.session_state["lang"] = "en"
    at.run()
    assert any('class="peta-loading" role="status">Loading the map…</div>' in m.value for m in at.markdown)
    assert "@page{size:A4 landscape" in BASE_CSS and '[data-testid="stSidebar"]' in BASE_CSS.split("@media print")[1]
    assert not any("print()" in str(getattr(e, "proto", "")) for e in at.get("html"))
    at.button(key="map_print").click().run()
    assert not at.exception
    assert any("window.print()" in str(e.proto) for e in at.get("html"))          # the button asks the browser

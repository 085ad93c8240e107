"""The region in use: Garut by default, any kabupaten/kota of Jawa Barat by PETA_REGION or --region."""

from __future__ import annotations

import io
import json

import pytest
import shapely

from analysis.coverage import compute_coverage
from analysis.denominator import estimate_workers
from cli.main import main as cli_main
from core.errors import CoverageInputError, RegionError
from geo.boundaries import load_layer
from geo.region import (
    REGION_ENV,
    is_province,
    region_in_use,
    region_title,
    resolve_region,
    use_region,
)
from ingest.coverage import read_coverage
from render.template import template_bytes

TASIKMALAYA = "32.06"


@pytest.fixture
def region_env(monkeypatch):
    """PETA_REGION unset for the test and restored after it, whatever the test (or the CLI's --region) sets."""
    monkeypatch.setenv(REGION_ENV, "")          # recorded first, so that teardown restores the value before
    monkeypatch.delenv(REGION_ENV)
    return monkeypatch


def test_garut_unless_the_environment_names_another_region(region_env):
    assert region_in_use() == "32.05" and not is_province()
    region_env.setenv(REGION_ENV, " 3206 ")
    assert region_in_use() == TASIKMALAYA and resolve_region(None) == TASIKMALAYA
    assert resolve_region("32.05") == "32.05"                      # a region given wins
    region_env.setenv(REGION_ENV, "32")
    assert is_province() and region_title("32", None) == "Provinsi Jawa Barat"


def test_a_malformed_region_is_refused_with_its_value(region_env):
    region_env.setenv(REGION_ENV, "Garut")
    with pytest.raises(RegionError, match="'Garut'"):
        region_in_use()
    with pytest.raises(RegionError):
        use_region("32.5")


def test_a_region_not_built_is_built_when_first_asked_for(tmp_path):
    progress = io.StringIO()
    desa = load_layer("desa", TASIKMALAYA, out_dir=tmp_path, stream=progress)
    assert len(desa) == 351 and set(desa["kode_kab"]) == {TASIKMALAYA}
    assert (tmp_path / "wilayah_32.06.gpkg").is_file() and "[wilayah 32.06]" in progress.getvalue()
    again = io.StringIO()
    assert len(load_layer("kecamatan", TASIKMALAYA, out_dir=tmp_path, stream=again)) == 39
    assert again.getvalue() == ""                                  # built once


def _tasikmalaya_file(tmp_path):
    path = tmp_path / "tasik.csv"
    path.write_text("kode_desa,pekerja,peserta_aktif\n32.06.01.2001,1500,420\n32.06.01.2002,2200,350\n"
                    "32.05.01.1001,900,100\n", encoding="utf-8")
    return path


def test_files_boundaries_and_figures_follow_the_region_in_use(region_env, tmp_path):
    region_env.setenv(REGION_ENV, TASIKMALAYA)
    ingest = read_coverage(_tasikmalaya_file(tmp_path))
    assert list(ingest.table["kode"]) == ["32.06.01.2001", "32.06.01.2002"]
    (problem,) = ingest.report["problems"]
    assert (problem["row"], problem["reason"], problem["value"]) == (4, "unknown_code", "32.05.01.1001")  # Garut
    result = compute_coverage(ingest.table)
    assert result.region == TASIKMALAYA and result.kabupaten["nama"] == "Kabupaten Tasikmalaya"
    assert len(result.desa) == 351 and result.kabupaten["workers"] == 3700
    assert b"32.06.01.2001" in template_bytes("csv") and b"32.05.01.1001" not in template_bytes("csv")


def test_no_published_workers_outside_garut_says_what_to_give(region_env):
    region_env.setenv(REGION_ENV, TASIKMALAYA)
    with pytest.raises(CoverageInputError, match="32.06") as caught:
        estimate_workers()
    assert caught.value.key == "denominator.no_published_total"
    assert estimate_workers(1_000_000).desa["pekerja_estimasi"].sum() == 1_000_000


def test_the_cli_region_option_applies_to_every_step(region_env, tmp_path, capsys):
    assert cli_main(["coverage", "--region", "3206", str(_tasikmalaya_file(tmp_path))]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["rows_matched"] == 2 and report["rows_rejected"] == 1
    assert report["totals"]["workers"] == 3700
    assert cli_main(["denominator", "--region", TASIKMALAYA]) == 2
    assert "32.06" in capsys.readouterr().err
    assert cli_main(["coverage", "--region", "Tasik", str(tmp_path / "tasik.csv")]) == 2
    assert "'Tasik'" in capsys.readouterr().err


def test_another_region_gets_its_own_illustrative_sample(region_env, tmp_path):
    from analysis.dataset import load_coverage
    from analysis.sample import (
        SAMPLE_PATH,
        default_sample_path,
        generate_sample,
        is_sample,
        sample_path,
    )

    region_env.setenv(REGION_ENV, TASIKMALAYA)
    path = sample_path()
    assert path != SAMPLE_PATH and path.parent.name == "generated" and path.is_file()
    data = load_coverage(None)
    assert data.is_sample and data.result.kabupaten["nama"] == "Kabupaten Tasikmalaya"
    assert set(data.result.desa["kode"].str[:5]) == {TASIKMALAYA}
    assert data.result.kabupaten["covered"] / data.result.kabupaten["workers"] == pytest.approx(186 / 836, abs=1e-3)
    assert generate_sample().equals(generate_sample())                     # the same bytes every time
    assert not is_sample(SAMPLE_PATH.read_bytes()[:-2])
    region_env.delenv(REGION_ENV)
    assert default_sample_path() == SAMPLE_PATH and is_sample(SAMPLE_PATH)


def test_illustrative_sites_and_the_start_point_stay_inside_the_region(region_env):
    from analysis.trips import start_point
    from ingest.sites import load_illustrative_sites

    assert len(load_illustrative_sites()) == 26                            # Garut's layer
    region_env.setenv(REGION_ENV, TASIKMALAYA)
    assert load_illustrative_sites().empty
    start = start_point(stored=None)
    kecamatan = load_layer("kecamatan")
    assert not start.configured and "Kec." in str(start.name)
    from shapely.geometry import Point
    assert kecamatan.union_all().contains(Point(start.lon, start.lat))      # inside Tasikmalaya


def test_the_app_shows_the_region_it_was_started_for(region_env):
    from streamlit.testing.v1 import AppTest

    from tests.test_app_map import APP, features

    def run() -> AppTest:
        at = AppTest.from_file(APP, default_timeout=120)
        at.run()
        assert not at.exception, at.exception
        return at

    region_env.setenv(REGION_ENV, TASIKMALAYA)
    at = run()
    assert at.title[0].value == "Peta Cakupan Jamsostek Kabupaten Tasikmalaya"
    assert len(features(at)) == 39 and "DATA CONTOH" in "".join(m.value for m in at.markdown)
    at.radio(key="level").set_value("desa").run()
    assert len(features(at, "desa")) == 351
    region_env.delenv(REGION_ENV)                     # the same process, Garut again: nothing cached leaks
    at = run()
    assert at.title[0].value == "Peta Cakupan Jamsostek Kabupaten Garut" and len(features(at)) == 42


@pytest.fixture
def two_kabupaten_province(tmp_path_factory):
    """A province of Garut and Tasikmalaya only: the real dumps of the two, built into a temporary folder."""
    from geo.paths import boundaries_source_dir

    real = boundaries_source_dir(None) / "db"
    root = tmp_path_factory.mktemp("province")
    for sub in ("kab", "kec"):
        (root / "db" / sub).mkdir(parents=True)
        for file in (real / sub).iterdir():
            (root / "db" / sub / file.name).symlink_to(file)
    (root / "db" / "kel" / "32").mkdir(parents=True)
    for code in ("32.05", "32.06"):
        name = f"wilayah_boundaries_kel_{code}.sql"
        (root / "db" / "kel" / "32" / name).symlink_to(real / "kel" / "32" / name)
    out = root / "out"
    patch = pytest.MonkeyPatch()
    patch.setenv("PETA_BOUNDARIES_SOURCE", str(root))
    patch.setenv("PETA_BOUNDARIES_DIR", str(out))
    yield out
    patch.undo()


def test_the_province_overview_is_coarser_and_its_drill_down_as_detailed_as_a_kabupaten(two_kabupaten_province):
    from analysis.views import map_regions, overview_outline
    from geo.build import PROVINCE_PARAMS, params_for
    from geo.gpkg import read_build_info

    assert params_for("32") == PROVINCE_PARAMS and params_for("32.06").simplify_tolerance_m == 100.0
    province = load_layer("desa_web", "32", stream=None)
    assert len(province) == 442 + 351
    info = read_build_info(two_kabupaten_province / "wilayah_32.gpkg")
    assert info["simplify_tolerance_m"] == "300.0"
    outline = overview_outline("32")
    assert sorted(outline["nama"]) == ["Kab. Garut", "Kab. Tasikmalaya"]
    source = two_kabupaten_province.parent / "two.csv"
    garut, tasik = (province.loc[province["kode_kab"] == code, "kode"].min() for code in ("32.05", "32.06"))
    source.write_text(f"kode_desa,pekerja,peserta_aktif\n{garut},100,20\n{tasik},200,30\n", encoding="utf-8")
    ingest = read_coverage(source, region="32")
    assert ingest.report["rows_matched"] == 2
    result = compute_coverage(ingest.table, region="32")
    assert result.kabupaten["nama"] == "Provinsi Jawa Barat" and len(result.kecamatan) == 42 + 39
    drill = map_regions(result, "desa", "32.06.01")
    detail = load_layer("desa_web", "32.06", stream=None).set_index("kode")
    coarse = province.set_index("kode")
    assert set(drill["kode"]) == set(detail.index[detail.index.str.startswith("32.06.01.")])
    vertices = lambda geoms: int(sum(len(shapely.get_coordinates(g)) for g in geoms))   # noqa: E731
    assert vertices(drill.geometry) == vertices(detail.loc[drill["kode"]].geometry)
    assert vertices(drill.geometry) > vertices(coarse.loc[drill["kode"]].geometry)
    assert len(map_regions(result, "desa")) == 442 + 351                        # the overview: coarse


def test_the_app_builds_a_region_on_its_first_use_and_says_so(region_env, tmp_path):
    from streamlit.testing.v1 import AppTest

    from tests.test_app_map import APP, features

    region_env.setenv(REGION_ENV, TASIKMALAYA)
    region_env.setenv("PETA_BOUNDARIES_DIR", str(tmp_path))          # nothing built there yet
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    (status,) = at.status
    assert status.label == "Kabupaten Tasikmalaya siap."
    steps = [c.value.replace("\\", "") for c in at.caption if "wilayah 32" in c.value.replace("\\", "")]
    assert any("[1/7]" in s for s in steps) and any("[7/7]" in s for s in steps)   # the build's steps shown
    assert (tmp_path / "wilayah_32.06.gpkg").is_file() and len(features(at)) == 39
    at.run()                                                               # built: no status any more
    assert not at.status


def test_the_second_population_snapshot_finds_a_kota_too():
    """S2 has no codes: the kabupaten/kota is the one whose kecamatan names fit best, a kota included."""
    from ingest.population import population_table

    bandung = population_table("s2", "32.73")                      # Kota Bandung, 151 kelurahan
    assert len(bandung.desa) >= 145 and set(bandung.desa["kode"].str[:5]) == {"32.73"}
    tasikmalaya = population_table("s2", TASIKMALAYA)              # the kabupaten, not Kota Tasikmalaya
    assert len(tasikmalaya.desa) >= 330 and set(tasikmalaya.desa["kode"].str[:5]) == {TASIKMALAYA}

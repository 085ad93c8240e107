"""The region in use: Garut by default, any kabupaten/kota of Jawa Barat by PETA_REGION or --region."""

from __future__ import annotations

import io
import json

import pytest

from analysis.coverage import compute_coverage
from analysis.denominator import estimate_workers
from cli.main import main as cli_main
from core.errors import CoverageInputError, RegionError
from geo.boundaries import load_layer
from geo.region import REGION_ENV, is_province, region_in_use, region_title, resolve_region, use_region
from ingest.coverage import read_coverage
from render.template import template_bytes

TASIKMALAYA = "32.06"


@pytest.fixture
def region_env(monkeypatch):
    """PETA_REGION unset for the test (and restored after it, whatever the test sets)."""
    monkeypatch.delenv(REGION_ENV, raising=False)
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

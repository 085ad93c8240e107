"""Boundary build on the real Kemendagri 2025 data (Garut 32.05, Tasikmalaya 32.06)."""

from __future__ import annotations

import json
import re
import shutil

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from cli.main import main as cli_main
from core.errors import RegionError, SourceCorruptError, SourceNotFoundError
from geo.boundaries import ensure_built, load_layer, summary
from geo.build import build_region, gpkg_path, read_region_desa
from geo.paths import METRIC_CRS, boundaries_source_dir
from geo.quality import measure_coverage
from geo.reference import kemendagri_codes

#: Largest gap or overlap area (km²) the simplified desa layer may add between
#: neighbours.  Coverage simplification keeps shared edges identical; what is
#: left comes from rounding display coordinates to 1e-5° (~1 m), about
#: 200 m² in total for Garut.  The raw source has 0.77 km² of gaps and
#: 0.83 km² of overlaps, so this tolerance is ~800x below the source defects.
TOPOLOGY_TOLERANCE_KM2 = 0.001


@pytest.fixture(scope="module")
def garut_summary(garut_gpkg):
    return summary("32.05")


def test_summary_counts(garut_summary):
    assert garut_summary["kecamatan"] == 42
    assert garut_summary["desa"] == 442
    assert garut_summary["kelurahan"] == 21
    assert garut_summary["kabupaten"] == 1
    assert garut_summary["invalid_geometries"] == 0


def test_web_geojson_size_target(garut_summary):
    assert garut_summary["web_geojson_bytes"]["desa"] <= 500_000
    # the display layer is a real reduction of the ~2 MB full layer
    assert garut_summary["full_geojson_bytes"]["desa"] > 3 * garut_summary["web_geojson_bytes"]["desa"]


def test_codes_and_names_match_kemendagri_2025(desa, kecamatan, garut_summary):
    assert garut_summary["reference_check"]["missing_in_boundaries"] == 0
    assert garut_summary["reference_check"]["not_in_reference"] == 0
    assert garut_summary["reference_check"]["name_differs"] == 0
    ref = kemendagri_codes("32.05").set_index("kode")["nama"]
    assert dict(zip(kecamatan["kode"], kecamatan["nama"])) == {
        k: ref[k] for k in ref.index if len(k) == 8
    }
    assert set(desa["kode"]) == {k for k in ref.index if len(k) == 13}


def test_code_formats(desa, kecamatan):
    assert desa["kode"].str.fullmatch(r"32\.05\.\d{2}\.[12]\d{3}").all()
    assert kecamatan["kode"].str.fullmatch(r"32\.05\.\d{2}").all()
    assert (desa["kode_kec"] == desa["kode"].str[:8]).all()
    assert desa["kode"].is_unique


def test_jenis_follows_fourth_part(desa):
    fourth = desa["kode"].str.split(".").str[3]
    assert (desa.loc[fourth.str.startswith("1"), "jenis"] == "kelurahan").all()
    assert (desa.loc[fourth.str.startswith("2"), "jenis"] == "desa").all()
    assert set(desa.loc[desa["jenis"] == "kelurahan", "kecamatan"]) == {
        "Garut Kota", "Tarogong Kidul", "Tarogong Kaler", "Karangpawitan"
    }


def test_kota_kulon_coordinate_order(desa):
    kota_kulon = desa.set_index("kode").loc["32.05.01.1001"]
    assert kota_kulon["nama"] == "Kota Kulon"
    point = kota_kulon.geometry.representative_point()
    assert point.y == pytest.approx(-7.23, abs=0.02)
    assert point.x == pytest.approx(107.91, abs=0.02)


def test_crs_of_every_layer(garut_gpkg):
    for name in ("desa", "kecamatan", "kabupaten", "desa_web", "kecamatan_web", "kabupaten_web"):
        assert load_layer(name).crs.to_epsg() == 4326, name


def test_every_geometry_valid_and_polygonal(garut_gpkg):
    for name in ("desa", "kecamatan", "kabupaten", "desa_web", "kecamatan_web", "kabupaten_web"):
        layer = load_layer(name)
        assert layer.is_valid.all(), name
        assert not layer.is_empty.any(), name
        assert set(layer.geom_type) <= {"Polygon", "MultiPolygon"}, name


def test_every_desa_inside_its_kecamatan(desa, kecamatan):
    d = desa.to_crs(METRIC_CRS)
    k = kecamatan.to_crs(METRIC_CRS).set_index("kode").geometry
    parent = k.loc[d["kode_kec"]].values
    inside = shapely.area(shapely.intersection(d.geometry.values, parent)) / d.area.values
    assert inside.min() > 0.9999


def test_dissolved_areas_sum_to_desa_areas(desa, kecamatan, garut_gpkg):
    by_kec = desa.groupby("kode_kec")["area_km2"].sum()
    kec = kecamatan.set_index("kode")
    assert (kec["area_km2"] - by_kec.loc[kec.index]).abs().max() < 0.01
    assert (kec["n_desa"] == desa.groupby("kode_kec").size().loc[kec.index]).all()
    # geometric area of the dissolved polygons, measured afresh
    measured = kecamatan.to_crs(METRIC_CRS).area / 1e6
    assert (measured.values - by_kec.loc[kecamatan["kode"]].values).__abs__().max() < 0.01
    kab = load_layer("kabupaten")
    assert kab["area_km2"].iloc[0] == pytest.approx(desa["area_km2"].sum(), abs=0.05)
    # BIG's official area is 3,101.132 km² (equal-area); UTM 48S inflates ~0.17 % at 107.9°E
    assert kab["area_km2"].iloc[0] == pytest.approx(3101.132 * 1.0017, rel=0.002)


def test_source_has_slivers_that_the_build_removes(desa):
    raw = read_region_desa(boundaries_source_dir(), "32.05")
    before = measure_coverage(raw)
    after = measure_coverage(desa)
    assert before.gaps_km2 > 0.5 and before.overlaps_km2 > 0.5
    assert after.gaps_km2 < 1e-6 and after.overlaps_km2 < 1e-6


def test_simplified_layer_adds_no_gaps_or_overlaps(desa_web):
    quality = measure_coverage(desa_web)
    assert quality.gaps_km2 < TOPOLOGY_TOLERANCE_KM2
    assert quality.overlaps_km2 < TOPOLOGY_TOLERANCE_KM2


def test_per_polygon_simplify_would_open_gaps(desa):
    """Guard the claim the build relies on: naive simplify is not good enough."""
    naive = desa.to_crs(METRIC_CRS).simplify(100)
    quality = measure_coverage(gpd.GeoSeries(naive, crs=METRIC_CRS))
    assert quality.gaps_km2 + quality.overlaps_km2 > 100 * TOPOLOGY_TOLERANCE_KM2


def test_display_kecamatan_nest_desa(desa_web, kecamatan_web):
    d = desa_web.to_crs(METRIC_CRS)
    k = kecamatan_web.to_crs(METRIC_CRS).set_index("kode").geometry
    inside = shapely.area(shapely.intersection(d.geometry.values, k.loc[d["kode_kec"]].values)) / d.area.values
    assert inside.min() > 0.999


def test_aliases_and_bps_crosswalk(garut_gpkg):
    aliases = load_layer("alias_nama")
    pairs = set(zip(aliases["kode"], aliases["alias"]))
    assert ("32.05.14.2004", "Cikarang") in pairs
    assert ("32.05.41.2002", "Cimarabas") in pairs
    assert ("32.05.38", "Bl. Limbangan") in pairs
    assert ("32.05.38", "Balubur Limbangan") in pairs
    bps = load_layer("kecamatan_bps").set_index("kode_bps")["kode"]
    assert len(bps) == 42 and bps.is_unique
    assert bps["3205190"] == "32.05.01"  # GARUT KOTA
    assert bps["3205010"] == "32.05.35"  # CISEWU


def test_ensure_built_is_idempotent(garut_gpkg):
    before = garut_gpkg.stat().st_mtime_ns
    assert ensure_built("32.05", stream=None) == garut_gpkg
    assert garut_gpkg.stat().st_mtime_ns == before


@pytest.mark.slow
def test_tasikmalaya_builds_the_same_way(tmp_path):
    path = build_region("32.06", out_dir=tmp_path, stream=None)
    assert path == gpkg_path("32.06", tmp_path)
    result = summary("32.06", out_dir=tmp_path)
    ref = kemendagri_codes("32.06")
    assert result["desa"] == int((ref["kode"].str.len() == 13).sum()) == 351
    assert result["kecamatan"] == int((ref["kode"].str.len() == 8).sum()) == 39
    assert result["invalid_geometries"] == 0
    assert result["reference_check"]["name_differs"] == 0
    assert result["gaps_km2"] < TOPOLOGY_TOLERANCE_KM2
    assert result["overlaps_km2"] < TOPOLOGY_TOLERANCE_KM2
    assert load_layer("desa", "32.06", tmp_path)["kode"].str.startswith("32.06.").all()
    assert len(load_layer("alias_nama", "32.06", tmp_path)) == 0  # the name history is Garut's


def test_missing_source_error_says_where_and_what_to_do(tmp_path):
    missing = tmp_path / "nowhere"
    with pytest.raises(SourceNotFoundError) as info:
        ensure_built("32.05", source=missing, out_dir=tmp_path / "out", stream=None)
    message = str(info.value)
    assert str(missing) in message
    assert "PETA_BOUNDARIES_SOURCE" in message and "--source" in message


def test_missing_source_cli_exit_code(tmp_path, capsys):
    code = cli_main(["boundaries", "--source", str(tmp_path / "nowhere"), "--out-dir", str(tmp_path), "--lang", "en"])
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("error: Boundary source folder not found") and "nowhere" in err


def test_missing_source_env_override(tmp_path, monkeypatch):
    monkeypatch.setenv("PETA_BOUNDARIES_SOURCE", str(tmp_path / "elsewhere"))
    with pytest.raises(SourceNotFoundError, match="elsewhere"):
        ensure_built("32.05", out_dir=tmp_path, stream=None)


def _copy_source(tmp_path):
    src = boundaries_source_dir()
    dst = tmp_path / "wb"
    shutil.copytree(src / "db" / "kec", dst / "db" / "kec")
    shutil.copytree(src / "db" / "kab", dst / "db" / "kab")
    (dst / "db" / "kel" / "32").mkdir(parents=True)
    kel = src / "db" / "kel" / "32" / "wilayah_boundaries_kel_32.05.sql"
    return dst, kel, dst / "db" / "kel" / "32" / kel.name


def test_corrupt_source_names_file_and_line(tmp_path):
    dst, kel, target = _copy_source(tmp_path)
    lines = kel.read_text(encoding="utf-8").splitlines()
    row = next(i for i, line in enumerate(lines) if "'32.05.01.1003'" in line)
    lines[row] = lines[row][:200]  # truncated mid-path
    target.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(SourceCorruptError) as info:
        ensure_built("32.05", source=dst, out_dir=tmp_path / "out", stream=None)
    assert f"{target}, line {row + 1}" in str(info.value)


def test_bad_path_json_names_code(tmp_path):
    dst, kel, target = _copy_source(tmp_path)
    text = kel.read_text(encoding="utf-8")
    text = re.sub(r"\('32\.05\.01\.1002','Kota Wetan',([^,]+),([^,]+),'\[", r"('32.05.01.1002','Kota Wetan',\1,\2,'[[", text, count=1)
    target.write_text(text, encoding="utf-8")
    with pytest.raises(SourceCorruptError, match=r"kode 32\.05\.01\.1002: column 'path'"):
        build_region("32.05", source=dst, out_dir=tmp_path / "out", stream=None)


def test_unknown_region_lists_available(tmp_path):
    with pytest.raises(RegionError, match=r"32\.99.*Available kabupaten/kota: 32\.01"):
        ensure_built("32.99", out_dir=tmp_path, stream=None)
    with pytest.raises(RegionError, match="not a province code"):
        ensure_built("Garut", out_dir=tmp_path, stream=None)


def test_cli_prints_one_json_object(garut_gpkg, capsys):
    assert cli_main(["boundaries", "--check"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    data = json.loads(out[0])
    assert (data["region"], data["kecamatan"], data["desa"], data["kelurahan"]) == ("32.05", 42, 442, 21)
    assert set(data["web_geojson_bytes"]) == {"desa", "kecamatan"}
    assert data["gaps_km2"] < TOPOLOGY_TOLERANCE_KM2 and data["overlaps_km2"] < TOPOLOGY_TOLERANCE_KM2


def test_a_region_of_several_kabupaten_is_cleaned_per_kabupaten_then_stitched():
    """Garut and Tasikmalaya: cleaned each on its own, their shared border keeps slivers and overlaps; the
    stitch (one more clean over both) leaves none, as one clean over both would."""
    from geo.build import BuildParams, clean_coverage

    raw = pd.concat([read_region_desa(boundaries_source_dir(None), code) for code in ("32.05", "32.06")],
                    ignore_index=True).to_crs(METRIC_CRS)
    geoms = raw.geometry.values.copy()
    invalid = ~raw.is_valid.to_numpy()
    geoms[invalid] = shapely.make_valid(geoms[invalid], method="structure", keep_collapsed=False)
    kabupaten = raw["kode"].str[:5].to_numpy()
    gap = BuildParams().gap_width_m
    apart = geoms.copy()
    for code in ("32.05", "32.06"):
        apart[kabupaten == code] = shapely.coverage_clean(geoms[kabupaten == code], gap_width=gap)
    before = measure_coverage(gpd.GeoSeries(apart, crs=METRIC_CRS))
    assert before.overlap_pairs > 0 or before.gap_count > 0          # the border needs stitching
    stitched = clean_coverage(geoms, kabupaten, gap)
    after = measure_coverage(gpd.GeoSeries(stitched, crs=METRIC_CRS))
    assert (after.gap_count, after.overlap_pairs) == (0, 0), after
    assert not shapely.is_empty(stitched).any() and shapely.is_valid(stitched).all()
    # every desa keeps its place: the stitch moves borders by metres, not desa
    moved = shapely.area(shapely.symmetric_difference(stitched, apart)) / shapely.area(apart)
    assert moved.max() < 0.01

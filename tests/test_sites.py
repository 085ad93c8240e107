"""High-risk sites: reading, validation, the desa join, distances, the illustrative layer."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import openpyxl
import pyogrio
import pytest
import shapely

from analysis.sites import desa_near_sites, site_counts
from cli.main import main as cli_main
from core.errors import SiteFileError
from core.i18n import t
from geo.locate import join_desa, locate_points
from geo.paths import GEOGRAPHIC_CRS, METRIC_CRS, PROJECT_ROOT
from ingest.sites import (
    KNOWN_CATEGORIES,
    OTHER_CATEGORY,
    check_sites_file,
    ensure_sites_built,
    illustrative_source,
    load_illustrative_sites,
)
from render.maps.sites_layer import site_popup_html

ILLUSTRATIVE_LABEL = t("sites.illustrative_label")
FIXTURES = Path(__file__).parent / "fixtures" / "sites"
DARAJAT = (-7.217278, 107.739366)          # WRI GPPD, ../shared/data/wri_gppd_garut
CONTACTS = ("0812-1111-2222", "+62 812 5555 0000")


@pytest.fixture(scope="module")
def mixed(desa):
    return check_sites_file(FIXTURES / "mixed.csv", desa)


def _problems(check, row):
    return [p for p in check.problems if p.row == row]


# --------------------------------------------------------------------------- the join


def test_darajat_plant_lies_in_padawaas(desa):
    lat, lon = DARAJAT
    joined = join_desa([lon], [lat], desa).iloc[0]
    assert joined["kode_desa"] == "32.05.08.2005"
    assert joined["desa"] == "Padawaas"
    assert joined["kecamatan"] == "Pasirwangi"


def test_points_outside_garut_get_no_desa(desa):
    # Bandung city centre and the sea south of Garut.
    where = locate_points([107.6191, 107.7], [-6.9175, -7.9], desa)
    assert where.tolist() == [-1, -1]


def test_illustrative_sites_agree_with_the_provenance_join(desa):
    """The provenance's own point-in-polygon (raw polygons) vs ours (cleaned coverage).

    All 26 rows agree: the build's coverage cleaning moves borders by at most
    the 20 m sliver width, and no illustrative point is that close to a border.
    """
    check = check_sites_file(illustrative_source(), desa)
    assert check.rows_in == 26 and check.rows_matched == 26 and check.problems == []
    assert (check.sites["kode_desa"] == check.sites["kode_desa_file"]).all()
    assert (check.sites["desa"] == check.sites["desa_file"]).all()
    darajat = check.sites[check.sites["site_id"] == "GRT-S08"].iloc[0]
    assert darajat["kode_desa"] == "32.05.08.2005"


def test_join_matches_geopandas_sjoin_on_random_points(desa):
    rng = np.random.default_rng(7)
    minx, miny, maxx, maxy = desa.total_bounds
    lon, lat = rng.uniform(minx, maxx, 3000), rng.uniform(miny, maxy, 3000)
    ours = join_desa(lon, lat, desa)["kode_desa"]
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=GEOGRAPHIC_CRS)
    theirs = gpd.sjoin(points, desa[["kode", "geometry"]], predicate="within", how="left")
    theirs = theirs[~theirs.index.duplicated()]["kode"]
    assert ours.notna().sum() > 1000          # most of the bounding box is Garut
    assert (ours.fillna("-").to_numpy() == theirs.fillna("-").to_numpy()).all()


# --------------------------------------------------------------------------- validation


def test_report_counts_rows_like_a_spreadsheet(mixed):
    # 12 spreadsheet rows after the header, one blank (row 4): 11 read.
    assert mixed.rows_in == 11
    assert mixed.rows_matched == 5
    assert mixed.rows_rejected == 6
    assert sorted(mixed.sites["row"]) == [2, 6, 8, 9, 13]   # row 13 holds a two-line quoted cell
    rejected = sorted({p.row for p in mixed.problems if p.rejected})
    assert rejected == [3, 5, 7, 10, 11, 12]


def test_swapped_coordinates_are_rejected_with_the_corrected_position(mixed):
    (problem,) = _problems(mixed, 3)
    assert problem.rejected
    assert "tertukar" in problem.reason.text("id") and "swapped" in problem.reason.text("en")
    assert problem.suggested_position == {
        "lat": -7.31433, "lon": 107.73164, "kode_desa": "32.05.20.2008",
        "desa": "Sirnajaya", "kecamatan": "Cisurupan",
    }
    assert "Sirnajaya" in problem.suggestion and "32.05.20.2008" in problem.suggestion
    assert 3 not in set(mixed.sites["row"])      # never silently fixed


def test_sign_flipped_latitude_is_reported_too(mixed):
    (problem,) = _problems(mixed, 11)
    assert problem.rejected and problem.suggested_position["kode_desa"] == "32.05.20.2013"


def test_point_outside_the_region_is_rejected_with_distance(mixed):
    (problem,) = _problems(mixed, 5)
    assert problem.rejected and problem.value == "lat=-6.9175, lon=107.6191"
    assert "di luar Kabupaten Garut" in problem.reason and " km " in problem.reason
    assert problem.suggested_position is None


def test_duplicates_are_reported_against_the_first_row(mixed):
    (problem,) = _problems(mixed, 7)
    assert problem.rejected and "Duplikat baris 6" in problem.reason


def test_unknown_category_is_kept_as_lainnya_with_a_warning(mixed):
    (problem,) = _problems(mixed, 8)
    assert not problem.rejected and problem.value == "construction"
    site = mixed.sites.set_index("row").loc[8]
    assert site["category"] == "construction" and site["category_group"] == OTHER_CATEGORY
    assert site["category_label"] == "Lainnya"


def test_bad_numbers_are_rejected(mixed):
    assert [p.column for p in _problems(mixed, 10)] == ["lat"]
    assert [p.column for p in _problems(mixed, 12)] == ["est_workers"]


def test_html_in_names_is_data_and_escaped_only_in_the_popup(mixed):
    site = mixed.sites.set_index("row").loc[9]
    assert site["name"] == "<script>alert(1)</script> Rafting"
    popup = site_popup_html(site)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Rafting" in popup
    assert "<script>" not in popup
    assert ILLUSTRATIVE_LABEL not in popup
    assert ILLUSTRATIVE_LABEL in site_popup_html(site, illustrative=True)


def test_contact_values_never_reach_the_report(mixed, capsys):
    assert set(mixed.sites["contact"].dropna()) == set(CONTACTS)     # kept as data
    text = json.dumps(mixed.report(), ensure_ascii=False)
    assert not any(c in text for c in CONTACTS)
    assert "PT Contoh Operator" not in text
    assert cli_main(["sites", "--check", str(FIXTURES / "mixed.csv")]) == 0
    out = capsys.readouterr()
    assert not any(c in out.out + out.err for c in CONTACTS)
    assert json.loads(out.out)["rows_rejected"] == 6


def test_every_known_category_has_an_indonesian_label():
    assert len(KNOWN_CATEGORIES) == 12
    assert all(label and label != key for key, label in KNOWN_CATEGORIES.items())


def test_semicolon_csv_with_decimal_commas_and_indonesian_headers(desa):
    check = check_sites_file(FIXTURES / "semicolon_decimal_comma.csv", desa)
    assert check.rows_matched == 2 and check.problems == []
    assert check.sites["category_group"].tolist() == ["lake_boats", "market_porters"]  # label accepted
    assert check.sites["kode_desa"].tolist() == ["32.05.06.2014", "32.05.22.2006"]


def test_xlsx_rows_keep_sheet_numbers(tmp_path, desa):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Nama", "Kategori", "Latitude", "Longitude", "Kontak"])
    sheet.append(["PLTP Darajat", "geothermal", DARAJAT[0], DARAJAT[1], "0812-1111-2222"])
    sheet.append([None, None, None, None, None])
    sheet.append(["Tertukar", "rafting", 107.8046, -7.28783, None])
    path = tmp_path / "sites.xlsx"
    book.save(path)
    check = check_sites_file(path, desa)
    assert (check.rows_in, check.rows_matched) == (2, 1)
    assert check.sites["row"].tolist() == [2]
    assert [(p.row, p.suggested_position["kode_desa"]) for p in check.problems] == [(4, "32.05.20.2013")]


def test_geojson_points_swaps_and_non_points(desa):
    check = check_sites_file(FIXTURES / "sites.geojson", desa)
    assert check.rows_in == 3 and check.sites["row"].tolist() == [2]
    assert check.sites["kode_desa"].tolist() == ["32.05.30.2005"]
    by_row = {p.row: p for p in check.problems}
    assert by_row[3].suggested_position["kode_desa"] == "32.05.36.2005"
    assert by_row[4].column == "geometry"


@pytest.mark.parametrize("name, content, message", [
    ("missing_columns.csv", None, "required column"),
    ("sites.xls", b"\xd0\xcf\x11\xe0", "unsupported file type"),
    ("empty.csv", b"", "empty"),
])
def test_unreadable_files_raise_and_exit_2(tmp_path, capsys, name, content, message):
    path = FIXTURES / name if content is None else tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(SiteFileError, match=message):
        check_sites_file(path)
    assert cli_main(["sites", "--check", str(path), "--lang", "en"]) == 2
    assert message in capsys.readouterr().err


def test_sites_files_are_read_by_the_one_table_reader(tmp_path, desa):
    """Windows-1252, a semicolon, Excel's sep= line and UTF-16 work as for coverage files."""
    rows = "name;category;lat;lon\nCaf\xe9 Arung Jeram;rafting;-7,2385;107,8838\n"
    for name, content in (("cp1252.csv", rows.encode("cp1252")), ("utf16.txt", rows.encode("utf-16")),
                          ("sep.csv", ("sep=;\n" + rows).encode("utf-8"))):
        path = tmp_path / name
        path.write_bytes(content)
        check = check_sites_file(path, desa)
        assert check.rows_in == 1 and check.rows_matched == 1, (name, [p.as_dict() for p in check.problems])
        assert list(check.sites["name"]) == ["Caf\xe9 Arung Jeram"]
        assert check.sites["row"].tolist() == [2]


def test_rows_in_is_matched_plus_rejected_for_any_mix(tmp_path, desa):
    rng = np.random.default_rng(3)
    rows = ["name,category,lat,lon"]
    for i in range(40):
        lat, lon = rng.uniform(-7.8, -6.9), rng.uniform(107.4, 108.2)
        if i % 5 == 0:
            lat, lon = lon, lat
        rows.append(f"S{i % 30},{'rafting' if i % 2 else 'x'},{lat:.5f},{lon:.5f}")
    path = tmp_path / "random.csv"
    path.write_text("\n".join(rows) + "\n")
    check = check_sites_file(path, desa)
    assert check.rows_in == 40 == check.rows_matched + check.rows_rejected
    assert check.rows_rejected == len({p.row for p in check.problems if p.rejected})


# --------------------------------------------------------------------------- counts and distances


def test_counts_per_desa_kecamatan_and_category(mixed, desa):
    per_desa = site_counts(mixed.sites, "desa", desa)
    assert len(per_desa) == 442 and per_desa["n_sites"].sum() == 5
    assert per_desa.set_index("kode").loc["32.05.04.1012", "n_sites"] == 2
    per_kec = site_counts(mixed.sites, "kecamatan", desa)
    assert len(per_kec) == 42
    assert per_kec.set_index("nama").loc["Tarogong Kaler", ["n_sites", "n_hot_spring", "n_lainnya"]].tolist() == [2, 1, 1]
    per_cat = site_counts(mixed.sites, "category")
    assert dict(zip(per_cat["category_group"], per_cat["n_sites"])) == {
        "geothermal": 1, "hot_spring": 1, "lainnya": 1, "market_porters": 1, "rafting": 1}


def test_distance_to_desa_polygon_is_in_metres(desa):
    padawaas = desa[desa["kode"] == "32.05.08.2005"]
    polygon_m = padawaas.to_crs(METRIC_CRS).geometry.iloc[0]
    coords = shapely.get_coordinates(polygon_m)
    east = coords[coords[:, 0].argmax()]
    # 1000 m due east of the easternmost vertex: every point of the polygon is at
    # least 1000 m away in x, and that vertex exactly 1000 m.
    point = gpd.GeoSeries([shapely.Point(east[0] + 1000, east[1])], crs=METRIC_CRS).to_crs(GEOGRAPHIC_CRS)
    site = gpd.GeoDataFrame({"name": ["probe"], "category_group": ["rafting"], "kode_desa": [None]},
                            geometry=point.values, crs=GEOGRAPHIC_CRS)
    near = desa_near_sites(site, desa, distance_m=1001)
    hit = near[near["kode"] == "32.05.08.2005"]
    assert hit["distance_m"].tolist() == pytest.approx([1000.0], abs=0.2)
    assert not hit["inside"].any()
    assert "32.05.08.2005" not in set(desa_near_sites(site, desa, distance_m=999)["kode"])


def test_desa_near_a_rafting_operator(desa):
    sites = load_illustrative_sites()
    near = desa_near_sites(sites, desa, distance_m=2000, categories=["rafting"])
    assert set(near["name"]) == {"Cimanuk Tambakbaya Rafting (SENi Dan ALam Adventure)"}
    inside = near[near["inside"]]
    assert inside["kode"].tolist() == ["32.05.20.2013"] and inside["distance_m"].tolist() == [0.0]
    assert (near["distance_m"] <= 2000).all() and len(near) > 1
    assert near["distance_m"].max() > 1000            # metres, not degrees


# --------------------------------------------------------------------------- the illustrative layer


def test_illustrative_layer_is_built_once_and_labelled(tmp_path, garut_gpkg):
    path = ensure_sites_built(out_dir=tmp_path, stream=None)
    assert path == tmp_path / "sites_illustrative.gpkg"
    first = path.stat().st_mtime_ns
    assert ensure_sites_built(out_dir=tmp_path, stream=None).stat().st_mtime_ns == first
    sites = pyogrio.read_dataframe(path, layer="sites")
    assert len(sites) == 26 and sites["illustrative"].astype(bool).all()
    info = pyogrio.read_dataframe(path, layer="build_info", read_geometry=False)
    assert dict(zip(info["key"], info["value"]))["label"] == ILLUSTRATIVE_LABEL
    assert "contact" in sites.columns and sites["contact"].isna().all()
    ensure_sites_built(out_dir=tmp_path, force=True, stream=None)
    assert path.stat().st_mtime_ns != first


def test_built_layer_is_git_ignored():
    result = subprocess.run(["git", "check-ignore", "-q", "data/sites/sites_illustrative.gpkg"],
                            cwd=PROJECT_ROOT, check=False)
    assert result.returncode == 0


def test_cli_build_summary(capsys, garut_gpkg):
    assert cli_main(["sites"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["sites"] == 26 and summary["label"] == ILLUSTRATIVE_LABEL
    assert summary["by_category"]["crater_tourism"] == 5


def test_cli_runs_as_a_module(garut_gpkg):
    result = subprocess.run([sys.executable, "-m", "analysis", "sites", "--check",
                             str(FIXTURES / "sites.geojson")], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["sites"][0]["kode_desa"] == "32.05.30.2005"
    assert set(report) >= {"rows_in", "rows_matched", "rows_rejected", "problems", "sites"}
    assert set(report["problems"][0]) >= {"row", "column", "value", "reason", "suggestion"}


def test_sites_headers_match_like_coverage_headers(tmp_path, desa):
    """One matching rule for every reader: case, word order and punctuation do not matter."""
    path = tmp_path / "urutan.csv"
    path.write_text("Lokasi - Nama,KATEGORI,LINTANG,Bujur\nCimanuk Rafting,rafting,-7.2385,107.8838\n",
                    encoding="utf-8")
    check = check_sites_file(path, desa)
    assert (check.rows_in, check.rows_matched) == (1, 1)
    assert list(check.sites["name"]) == ["Cimanuk Rafting"]


def test_a_sites_file_without_a_header_never_quotes_its_cells():
    from core.errors import SiteFileError
    from ingest.sites import read_sites_table

    data = "Pak Ujang,0812-3456-7890,Arung jeram,-7.2,107.9\nBu Siti,081298765432,Pasar,-7.21,107.91\n".encode()
    with pytest.raises(SiteFileError) as info:
        read_sites_table(data, filename="tanpa_judul.csv")
    for lang in ("id", "en"):
        text = info.value.message(lang)
        assert "Ujang" not in text and "0812" not in text and "3456" not in text
    assert "seems to have no header row" in info.value.message("en")

"""Region-key matching against the real Garut codes, names, aliases and polygons."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from geo.locate import covering_positions
from ingest.matching import RegionIndex, code_digits, normalise_name, weakest


@pytest.fixture(scope="module")
def index(garut_gpkg) -> RegionIndex:
    return RegionIndex.load("32.05")


@pytest.mark.parametrize(("text", "expected"), [
    ("Karang Pawitan", "karangpawitan"),
    ("KARANGPAWITAN", "karangpawitan"),
    ("Kec. Karangpawitan", "karangpawitan"),
    ("Bl. Limbangan", "bllimbangan"),
    ("Desa Mekarsari", "mekarsari"),
    ("Kel. Kota Kulon", "kotakulon"),
    ("  muara-sanding ", "muarasanding"),
    ("Désa Sukaméntri", "sukamentri"),
    ("Kelurahan", "kelurahan"),  # a type word alone is kept
    ("", ""),
])
def test_normalise_name(text, expected):
    assert normalise_name(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("32.05.01.1001", "3205011001"),
    ("3205011001", "3205011001"),
    ("32 05 01 1001", "3205011001"),
    ("3205011001.0", "3205011001"),
    ("3.205011001E+09", "3205011001"),
    ("32.05.01", "320501"),
    ("3205190", "3205190"),
    ("ABC", None),
    ("32.05.01.10O1", None),
    ("3.2E+00", None),
])
def test_code_digits(text, expected):
    assert code_digits(text) == expected


def test_weakest():
    assert weakest("code", "exact") == "exact"
    assert weakest("exact", "fuzzy", "alias") == "fuzzy"


@pytest.mark.parametrize(("text", "level", "kode"), [
    ("32.05.01.1001", "desa", "32.05.01.1001"),
    ("3205011001", "desa", "32.05.01.1001"),
    ("32.05.01", "kecamatan", "32.05.01"),
    ("320538", "kecamatan", "32.05.38"),
    ("3205190", "kecamatan", "32.05.01"),   # BPS Garut Kota
    ("3205290", "kecamatan", "32.05.38"),   # BPS Blubur Limbangan
])
def test_codes_match(index, text, level, kode):
    found = index.match_code(text, level)
    assert (found.kode, found.method) == (kode, "code")


@pytest.mark.parametrize(("text", "level", "reason", "hint"), [
    ("32.05.99.1001", "desa", "unknown_code", "Kemendagri 2025"),
    ("32.06.01.2001", "desa", "unknown_code", "outside region 32.05"),
    ("3205010001", "desa", "unknown_code", "BPS desa code"),
    ("3205999", "kecamatan", "unknown_code", "crosswalk"),
    ("12345", "desa", "unknown_code", "Not a region code"),
    ("32.05.01", "desa", "wrong_level", "kecamatan code"),
    ("32.05.01.1001", "kecamatan", "wrong_level", "desa code"),
    ("3205190", "desa", "wrong_level", "kecamatan code"),
])
def test_codes_rejected(index, text, level, reason, hint):
    found = index.match_code(text, level)
    assert not found.ok and found.reason == reason and hint in found.suggestion.text("en")


@pytest.mark.parametrize(("name", "kode", "method"), [
    ("Karangpawitan", "32.05.02", "exact"),
    ("Karang Pawitan", "32.05.02", "exact"),
    ("LIMBANGAN", "32.05.38", "exact"),
    ("Bl. Limbangan", "32.05.38", "alias"),
    ("Balubur Limbangan", "32.05.38", "alias"),
    ("BLUBUR LIMBANGAN", "32.05.38", "alias"),
    ("Tarogong Kidull", "32.05.05", "fuzzy"),
])
def test_kecamatan_names(index, name, kode, method):
    found = index.match_kecamatan(name, 90)
    assert (found.kode, found.method) == (kode, method)


def test_desa_names_match_within_their_kecamatan(index):
    assert index.match_desa("Mekarsari", "32.05.12", 90).kode == "32.05.12.2002"
    assert index.match_desa("Mekarsari", "32.05.22", 90).kode == "32.05.22.2003"
    whole = index.match_desa("Mekarsari", None, 90)
    assert whole.reason == "ambiguous_name" and "Ada 8 desa" in whole.suggestion
    assert index.match_desa("Mekarsari", "32.05.01", 90).reason == "name_not_found"
    # A name found in one kecamatan only matches without a kecamatan too.
    assert index.match_desa("Kota Kulon", None, 90).kode == "32.05.01.1001"


def test_old_names_are_aliases_within_kecamatan(index):
    assert (index.match_desa("Kramatwangi", "32.05.20", 90).kode, "alias") == ("32.05.20.2010", "alias")
    assert index.match_desa("Kramatwangi", "32.05.22", 90).kode == "32.05.22.2012"
    assert index.match_desa("Kramatwangi", None, 90).reason == "ambiguous_name"
    found = index.match_desa("Cikarang", "32.05.14", 90)
    assert (found.kode, found.method) == ("32.05.14.2004", "alias")


def test_every_official_and_alias_name_matches(index, desa):
    for kode, nama, kec in zip(desa["kode"], desa["nama"], desa["kode_kec"]):
        found = index.match_desa(nama, kec, 90)
        assert (found.kode, found.method) == (kode, "exact"), nama
    from geo.boundaries import load_layer

    for kode, alias in zip(*load_layer("alias_nama")[["kode", "alias"]].to_numpy().T):
        found = (index.match_kecamatan(alias, 90) if len(kode) == 8
                 else index.match_desa(alias, kode[:8], 90))
        assert (found.kode, found.method) == (kode, "alias"), alias


def test_fuzzy_threshold(index):
    assert index.match_desa("Sukamentr", "32.05.01", 90).method == "fuzzy"
    strict = index.match_desa("Sukamentr", "32.05.01", 100)
    assert strict.reason == "name_not_found" and "Sukamentri (Garut Kota)" in strict.suggestion


def test_total_rows_recognised(index):
    assert index.match_desa("JUMLAH", "32.05.01", 90).reason == "total_row"
    assert index.match_kecamatan("Total", 90).reason == "total_row"


def test_name_agrees(index):
    assert index.name_agrees("Kota Kulon", "32.05.01.1001", 90)
    assert index.name_agrees("Cikarang", "32.05.14.2004", 90)       # old name
    assert index.name_agrees("Suka Mentri", "32.05.01.1006", 90)
    assert not index.name_agrees("Margawati", "32.05.01.1001", 90)


def test_locate_every_desa_by_its_representative_point(index, desa):
    points = desa.geometry.representative_point()
    found = index.locate(points.x.to_numpy(), points.y.to_numpy())
    assert list(found) == list(desa["kode"])


def test_locate_outside_and_border(index, desa):
    assert list(index.locate(np.array([106.8]), np.array([-6.2]))) == [None]
    one = desa.set_index("kode").geometry
    border = shapely.line_merge(shapely.intersection(one["32.05.01.1001"].boundary, one["32.05.01.1002"].boundary))
    point = shapely.get_point(border, 0)
    assert one["32.05.01.1001"].covers(point) and one["32.05.01.1002"].covers(point)
    assert index.locate(np.array([point.x]), np.array([point.y]))[0] == "32.05.01.1001"  # the lower code


def test_prepared_polygon_location_equals_the_spatial_index_query_on_points_and_vertices(desa):
    """covering_positions (prepared polygons) gives what an STRtree covered_by query gives: random points
    about every desa, and every vertex of every desa (each on one to three borders; the lowest position wins)."""
    polygons = desa.geometry.to_numpy()
    rng = np.random.default_rng(5)
    anchor = desa.geometry.representative_point()
    pick = rng.integers(0, len(desa), 20_000)
    lon = np.concatenate([anchor.x.to_numpy()[pick] + rng.normal(0, 0.01, len(pick)),
                          shapely.get_coordinates(polygons)[:, 0]])
    lat = np.concatenate([anchor.y.to_numpy()[pick] + rng.normal(0, 0.01, len(pick)),
                          shapely.get_coordinates(polygons)[:, 1]])
    tree = shapely.STRtree(polygons)
    point_idx, poly_idx = tree.query(shapely.points(lon, lat), predicate="covered_by")
    expected = np.full(len(lon), len(polygons))
    np.minimum.at(expected, point_idx, poly_idx)
    expected[expected == len(polygons)] = -1
    got = covering_positions(polygons, lon, lat)
    np.testing.assert_array_equal(got, expected)
    assert (got == -1).sum() > 100 and (got >= 0).sum() > 20_000      # some outside, every vertex inside
    assert covering_positions(polygons, [], []).tolist() == []
    assert covering_positions(polygons, [np.nan], [np.nan]).tolist() == [-1]

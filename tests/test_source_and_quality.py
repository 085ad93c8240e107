"""Small-fixture tests of the SQL dump reader and the gap/overlap measurement."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely import box

from core.errors import SourceCorruptError
from geo.quality import measure_coverage
from geo.source import path_to_geometry, read_dump, validate_region

DUMP = """/* header comment with ('not','a row') inside */
DELETE FROM wilayah_boundaries WHERE kode LIKE '32.05.%' AND LENGTH(kode)=13;
INSERT INTO wilayah_boundaries(kode,nama,lat,lng,path) VALUES
\t('32.05.01.1001','Kota Kulon',-7.22,107.90,'[[[-7.2,107.9],[-7.2,108.0],[-7.3,108.0],[-7.2,107.9]]]'),
\t('32.05.29.2003','Sancang',-7.6,107.8,'[[[[-7.6,107.8],[-7.6,107.9],[-7.7,107.9],[-7.6,107.8]]],[[[-7.7,107.7],[-7.7,107.75],[-7.75,107.75],[-7.7,107.7]]]]'),
\t('32.05.01','Garut Kota',-7.2,107.9,'[[[-7.2,107.9],[-7.2,108.0],[-7.3,108.0],[-7.2,107.9]]]'),
\t('32.05.02.2001','Ka\\'bah',-7.2,107.9,'[[[-7.2,107.9],[-7.2,108.0],[-7.3,108.0],[-7.2,107.9]]]');
"""


def test_read_dump_swaps_lat_lng_and_handles_depths(tmp_path):
    path = tmp_path / "dump.sql"
    path.write_text(DUMP, encoding="utf-8")
    rows = read_dump(path, 13)
    assert [r.kode for r in rows] == ["32.05.01.1001", "32.05.29.2003", "32.05.02.2001"]
    first = rows[0].geometry
    assert first.geom_type == "Polygon"
    assert first.exterior.coords[0] == (107.9, -7.2)  # x = lng, y = lat
    assert rows[1].geometry.geom_type == "MultiPolygon" and len(rows[1].geometry.geoms) == 2
    assert rows[2].nama == "Ka'bah"
    assert rows[0].line == 4
    assert [r.kode for r in read_dump(path, 8)] == ["32.05.01"]


def test_path_depth_other_than_3_or_4_is_rejected():
    with pytest.raises(ValueError, match="nested 2 deep"):
        path_to_geometry("[[-7.2,107.9],[-7.2,108.0]]")


def test_dump_without_rows_is_corrupt(tmp_path):
    path = tmp_path / "empty.sql"
    path.write_text("-- nothing\n", encoding="utf-8")
    with pytest.raises(SourceCorruptError, match="holds no boundary rows"):
        read_dump(path)


def test_binary_dump_is_corrupt(tmp_path):
    path = tmp_path / "binary.sql"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00")
    with pytest.raises(SourceCorruptError, match="not UTF-8"):
        read_dump(path)


@pytest.mark.parametrize("given, expected", [("32.05", "32.05"), ("3205", "32.05"), ("32", "32"), (" 32.06 ", "32.06")])
def test_validate_region(given, expected):
    assert validate_region(given) == expected


def test_measure_coverage_counts_gaps_and_overlaps():
    # 3 x 1 km strip: left and right overlap 100 m; a 10 x 10 m hole inside the middle
    left = box(0, 0, 1100, 1000)
    middle = box(1000, 0, 2000, 1000).difference(box(1500, 500, 1510, 510))
    right = box(2000, 0, 3000, 1000)
    result = measure_coverage(gpd.GeoSeries([left, middle, right], crs=32748))
    assert result.overlaps_km2 == pytest.approx(0.1)
    assert result.overlap_pairs == 1
    assert result.gaps_km2 == pytest.approx(100 / 1e6)
    assert result.gap_count == 1


def test_measure_coverage_outer_edge_is_not_a_gap():
    tiles = gpd.GeoSeries([box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000)], crs=32748)
    result = measure_coverage(tiles)
    assert (result.gaps_km2, result.overlaps_km2) == (0.0, 0.0)

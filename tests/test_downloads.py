"""The map page's downloads are made from what the screen shows: the user's own sites when in use."""

from __future__ import annotations

import io

import openpyxl
import pytest

from analysis.dataset import load_coverage
from core.i18n import t
from geo.paths import PROJECT_ROOT
from ingest.sites import check_sites_file, load_illustrative_sites
from render.exports import export_bytes
from ui.downloads import export_data_for_screen

OWN_SITES = PROJECT_ROOT / "tests" / "fixtures" / "sites" / "mixed.csv"


@pytest.fixture(scope="module")
def sample():
    return load_coverage()


def _sites_sheet(xlsx: bytes) -> list[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    return list(book[t("export.sheet.sites", "id")].iter_rows(values_only=True))


def test_own_sites_reach_every_export(sample):
    own = check_sites_file(OWN_SITES).sites
    data = export_data_for_screen(sample, own, sites_illustrative=False)
    assert data.sites is own and data.sites_illustrative is False
    rows = _sites_sheet(export_bytes(data, "data", "xlsx", level="desa"))
    names = {row[1] for row in rows[1:]}
    assert names == set(own["name"]) and len(rows) - 1 == len(own)
    assert t("sites.illustrative_label") not in {cell for row in rows for cell in row}
    # the ranking the briefing lists is the one of these sites, not of the illustrative layer
    illustrative = export_data_for_screen(sample, load_illustrative_sites(), sites_illustrative=True)
    assert data.ranking["sites_in"].sum() != illustrative.ranking["sites_in"].sum()
    assert int(data.ranking["sites_in"].sum()) == int(own["kode_desa"].notna().sum())


def test_illustrative_sites_are_labelled(sample):
    data = export_data_for_screen(sample, load_illustrative_sites(), sites_illustrative=True)
    rows = _sites_sheet(export_bytes(data, "data", "xlsx", level="desa"))
    assert all(row[-1] == t("sites.illustrative_label") for row in rows[1:])


def test_without_a_sites_layer_the_exports_rank_without_sites(sample):
    data = export_data_for_screen(sample, None, sites_illustrative=True)
    assert data.sites is None and data.sites_illustrative is False
    assert int(data.ranking["sites_in"].sum()) == 0

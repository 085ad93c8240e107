"""Printable trip pages: standalone (no network), A4, ordered list with distances, labels, escaping."""

from __future__ import annotations

import copy
import datetime as dt
import re

import pytest

from analysis.dataset import load_coverage
from analysis.priorities import rank_desa
from analysis.trips import StartPoint, plan_trips
from core.formatting import format_number
from core.i18n import t
from ingest.sites import load_sites
from render.trip_page import trip_file_name, trip_map, trip_page_html
from tests.map_html import geojson_features

ILLUSTRATIVE_LABEL = t("sites.illustrative_label")

EXTERNAL = re.compile(r'<(?:script[^>]*\bsrc|link[^>]*\bhref)="(https?:)?//', re.IGNORECASE)
OFFICE = StartPoint("Kantor Cabang Garut", -7.2108, 107.9032, True)


@pytest.fixture(scope="module")
def plan(desa):
    ranking = rank_desa(load_coverage().result.desa, load_sites(), desa=desa, as_of=dt.date(2025, 2, 1))
    return plan_trips(ranking.top(8), desa=desa, desa_per_day=4, start_date=dt.date(2025, 2, 3))


@pytest.fixture(scope="module")
def trip(plan):
    return plan.records()[0]


@pytest.fixture(scope="module")
def page(trip, desa_web, kecamatan_web):
    return trip_page_html(trip, desa_web, kecamatan_web, lang="id", is_sample=True,
                          sites_label=ILLUSTRATIVE_LABEL, generated=dt.date(2025, 1, 30))


def test_page_is_standalone_and_laid_out_for_a4(page):
    assert page.startswith("<!DOCTYPE html>") and '<html lang="id">' in page
    assert not EXTERNAL.search(page)
    assert "<title>Rencana kunjungan lapangan — Tim 1, hari ke-1</title>" in page
    assert "@page{size:A4 portrait;margin:12mm}" in page and "@media print" in page
    assert "L.map(" in page and "leaflet" in page.lower()


def test_list_follows_the_visiting_order_with_distances(page, trip):
    names = [s["nama"] for s in trip["stops"]]
    positions = [page.index(f"<b>{name}</b>") for name in names]
    assert positions == sorted(positions) and len(names) == 4
    for stop in trip["stops"]:
        assert f"{format_number(stop['jarak_dari_sebelumnya_m'] / 1000, 'id', 1)} km" in page
        assert stop["alasan"] in page
    assert f"{format_number(trip['total_m'] / 1000, 'id', 1)} km" in page
    assert "Senin, 3 Februari 2025" in page
    assert "Berangkat: Titik tengah Kec. Tarogong Kidul" in page and "Kembali: Titik tengah" in page


def test_labels_sample_illustrative_and_unset_start(page):
    assert "DATA CONTOH — bukan data resmi BPJS Ketenagakerjaan" in page
    assert ILLUSTRATIVE_LABEL in page
    assert "Koordinat kantor cabang belum diatur; perencana dapat mengisinya di halaman Prioritas" in page
    assert "config/outreach.toml" not in page                     # no file for a field team to edit
    assert "Jarak adalah perkiraan: garis lurus" in page and "±" in page and "Dibuat 30 Januari 2025" in page


def test_map_has_the_trip_desa_numbered_stops_and_path(trip, desa_web, kecamatan_web):
    fmap = trip_map(trip, desa_web, kecamatan_web)
    html = fmap.get_root().render()
    codes = [s["kode"] for s in trip["stops"]]
    n_context = int((desa_web["kode_kec"].isin({c[:8] for c in codes}) & ~desa_web["kode"].isin(codes)).sum())
    assert len(geojson_features(html)) == len(kecamatan_web) + n_context + len(codes)
    for number in range(1, len(codes) + 1):
        assert f'\\u003cdiv class=\\"peta-stop\\"\\u003e{number}\\u003c/div\\u003e' in html
    assert "L.polyline" in html and '"dashArray": "8 6"' in html
    assert html.count(".fitBounds(") == 1              # fitted to the path, start point included
    assert "setIcon(" not in html                      # no default marker image requested


def test_configured_office_and_english(plan, desa_web, kecamatan_web):
    record = plan.records()[1]
    record["start"] = {"name": OFFICE.name, "lat": OFFICE.lat, "lon": OFFICE.lon, "configured": True}
    page = trip_page_html(record, desa_web, kecamatan_web, lang="en", generated=dt.date(2025, 1, 30))
    assert '<html lang="en">' in page and "Field visit plan — Team 1, day 2" in page
    assert "Kantor Cabang Garut (-7.21080, 107.90320)" in page
    assert "start_point" not in page and "DATA CONTOH" not in page and "SAMPLE DATA" not in page
    assert f"{format_number(record['total_m'] / 1000, 'en', 1)} km" in page
    assert "Tuesday, 4 February 2025" in page


def test_names_and_reasons_are_escaped(trip, desa_web):
    evil = copy.deepcopy(trip)
    evil["stops"][0]["nama"] = "<script>alert(1)</script>"
    evil["stops"][0]["alasan"] = '<img src=x onerror="alert(2)">'
    evil["start"]["name"] = "Kantor <b>X</b>"
    page = trip_page_html(evil, desa_web, lang="id")
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '<img src=x onerror="alert(2)">' not in page
    assert "Kantor <b>X</b>" not in page and "Kantor &lt;b&gt;X&lt;/b&gt;" in page


def test_bad_trips_are_refused(trip, desa_web):
    with pytest.raises(ValueError, match="no stops"):
        trip_map({**trip, "stops": []}, desa_web)
    unknown = copy.deepcopy(trip)
    unknown["stops"][0]["kode"] = "32.05.99.9999"
    with pytest.raises(ValueError, match="not in the desa layer"):
        trip_map(unknown, desa_web)


def test_file_names(trip):
    assert trip_file_name(trip) == "rencana_kunjungan_tim_1_hari_01_2025-02-03.html"
    assert trip_file_name({**trip, "day": 12, "date": None}) == "rencana_kunjungan_tim_1_hari_12.html"
    assert trip_file_name({**trip, "team": "Tim Sélatan / ${x}", "date": None}) == "rencana_kunjungan_tim_selatan_x_hari_01.html"
    assert trip_file_name({**trip, "team": "🚐", "date": None}) == "rencana_kunjungan_hari_01.html"


def test_route_picture_is_a_small_png_of_the_day(plan, desa_web, kecamatan_web):
    import io

    from PIL import Image

    from render.trip_thumbnail import SIZE_PX, trip_route_png

    first, second = (trip_route_png(r, desa_web, kecamatan_web) for r in plan.records()[:2])
    assert first.startswith(b"\x89PNG") and first != second
    image = Image.open(io.BytesIO(first))
    assert image.size == SIZE_PX
    # The stop badges are drawn in the path colour: the picture is not just the grey background.
    colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
    assert any(abs(r - 0x08) < 30 and abs(g - 0x51) < 30 and abs(b - 0x9C) < 30 for _, (r, g, b) in colours)


def test_a_hostile_team_name_is_escaped_on_the_printable_page(trip, desa_web, kecamatan_web):
    hostile = {**trip, "team": "</title><script>alert(1)</script>`${x}`"}
    page = trip_page_html(hostile, desa_web, kecamatan_web, generated=dt.date(2025, 1, 30))
    assert "<script>alert(1)</script>" not in page
    assert "<title>Rencana kunjungan lapangan — &lt;/title&gt;&lt;script&gt;" in page

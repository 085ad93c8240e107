"""AppTest tests of the outreach pages: every control of priorities, visit plan, visit log and what-if.

The pages run through ``tests/outreach_app.py``; the visit log is a temporary
SQLite file named by ``$PETA_APP_DB``.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from streamlit.testing.v1 import AppTest

from analysis.visits import VisitLog
from geo.paths import PROJECT_ROOT
from tests.map_html import geojson_features
from tests.outreach_pages import page_text, run_page

TALAGASARI = "32.05.10.2010"     # rank 1 on the sample data (Kec. Kadungora)
CARINGIN = "32.05.36"


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "app.db"
    monkeypatch.setenv("PETA_APP_DB", str(path))
    return path


def run(page: str = "priorities", lang: str = "id", **state) -> AppTest:
    return run_page(page, lang, **state)


text = page_text


def map_script(at: AppTest, key: str = "prio_map") -> str:
    components = [c for c in at.get("component_instance") if "st_folium" in c.proto.component_name]
    scripts = [json.loads(c.proto.json_args)["script"] for c in components]
    marks = {"prio_map": "peta-site-icon", "plan_trip_map": "peta-start-icon"}
    return next(s for s in scripts if marks[key] in s)


def ranking(at: AppTest):
    return at.dataframe[0].value


def highlighted(script: str) -> int:
    """Desa outlined as selected: the highlight is drawn twice (white halo + dark line), no properties."""
    plain = [f for f in geojson_features(script) if not f.get("properties")]
    return len(plain)


@pytest.fixture
def priorities(db) -> AppTest:
    return run()


def test_default_priorities_page(priorities):
    at = priorities
    body = text(at)
    assert "DATA CONTOH — bukan data resmi BPJS Ketenagakerjaan" in body
    assert "ILUSTRATIF: bukan daftar resmi lokasi" in body
    table = ranking(at)
    assert len(table) == 20 and table["Peringkat"].tolist()[:3] == ["1", "2", "3"]
    assert table.iloc[0]["Desa/kelurahan"] == "Talagasari"
    assert table.iloc[0]["Skor"] == "82,7"                          # Indonesian decimals
    assert "Kurang 2.123 peserta menuju target 70%" in table.iloc[0]["Alasan"]
    script = map_script(at)
    assert script.count('"className": "peta-site-icon"') == 26 and "L.markerClusterGroup" in script
    assert "ILUSTRATIF: bukan daftar resmi lokasi" in script
    desa = [f for f in geojson_features(script) if len(f.get("properties", {}).get("kode", "")) == 13]
    assert len(desa) == 442
    assert highlighted(script) == 42 + 2 * 20                        # kecamatan outlines + 20 selected desa
    # visit plan from the fallback start point, named as such
    assert "Titik tengah Kec. Tarogong Kidul" in body
    assert "ketik atau klik di peta pada \"Tim, titik awal dan jarak jalan\" di atas" in body
    assert "20 desa dalam 6 hari kerja oleh 1 tim · perkiraan 441,1 km" in body
    assert "Rencana tetangga terdekat untuk desa dan titik awal yang sama: 503,8 km; rencana ini 88% darinya." in body
    assert "dikali faktor jalan 1,4" in body and "45 menit per desa" in body
    assert len(at.get("image")) == 6                                  # one route picture per day
    labels = [b.label for b in at.download_button]
    assert {"Unduh rencana (CSV)", "Unduh rencana (XLSX)", "Unduh daftar prioritas (CSV)"} <= set(labels)
    assert [f"Halaman cetak Tim 1, hari {d} (HTML)" for d in range(1, 7)] == [
        label for label in labels if label.startswith("Halaman")]


def test_top_n_changes_table_map_and_plan(priorities):
    at = priorities
    at.number_input(key="prio_top_n").set_value(5).run()
    assert not at.exception
    assert len(ranking(at)) == 5
    assert highlighted(map_script(at)) == 42 + 2 * 5
    assert "5 desa dalam 2 hari kerja oleh 1 tim" in text(at)
    assert "5 desa prioritas teratas" in text(at)


def test_kecamatan_filter(priorities):
    at = priorities
    at.selectbox(key="prio_kec").set_value(CARINGIN).run()
    assert not at.exception
    table = ranking(at)
    assert set(table["Kecamatan"]) == {"Caringin"} and len(table) == 6      # Caringin has 6 desa
    assert "6 desa prioritas di Kec. Caringin" in text(at)
    script = map_script(at)
    desa = [f for f in geojson_features(script) if len(f.get("properties", {}).get("kode", "")) == 13]
    assert len(desa) == 6 and all(f["properties"]["kode"].startswith(CARINGIN) for f in desa)
    # ranks stay regency-wide: Caringin's best desa is 5th in the kabupaten
    assert table["Peringkat"].iloc[0] == "5"


def test_desa_per_day_and_start_date(priorities):
    at = priorities
    at.number_input(key="plan_per_day").set_value(2)
    at.date_input(key="plan_start_date").set_value(dt.date(2025, 2, 7))      # a Friday
    at.run()
    assert not at.exception
    body = text(at)
    assert "20 desa dalam 10 hari kerja oleh 1 tim" in body
    assert "Tim 1 · Hari 1 · Jumat, 7 Februari 2025 · 2 desa" in body
    assert "Tim 1 · Hari 2 · Senin, 10 Februari 2025" in body                # weekend skipped
    at.checkbox(key="plan_workdays").uncheck().run()
    assert "Tim 1 · Hari 2 · Sabtu, 8 Februari 2025" in text(at)
    at.selectbox(key="plan_map_day").set_value(9).run()
    trip = map_script(at, "plan_trip_map")
    assert trip.count('class=\\"peta-stop\\"') == 2                     # day 10: the last 2 desa


def test_breakdown_of_a_desa(priorities):
    at = priorities
    breakdown = at.table[0].value
    assert "kurang 2.123 peserta menuju target 70%" in breakdown.to_string()
    at.selectbox(key="prio_detail").set_value("32.05.10.2014").run()        # Rancasalak, rank 19
    breakdown = at.table[0].value
    assert "kurang 1.610 peserta menuju target 70%" in breakdown.to_string()
    assert "66,1" in breakdown.to_string()


def test_english_priorities(db):
    at = run(lang="en")
    assert at.title[0].value == "Desa visit priorities"
    table = ranking(at)
    assert "Rank" in table.columns and table.iloc[0]["Score"] == "82.7"
    assert "SAMPLE DATA" in text(at) and "ILLUSTRATIVE: not an official register of sites" in text(at)
    assert "20 desa in 6 team-days by 1 team(s) · about 441.1 km" in text(at)
    assert "Team 1 · Day 1 · " in text(at)


def _fill_visit(at: AppTest, date: dt.date, kode: str | None, team: str, enrolled: int) -> AppTest:
    at.date_input(key="visit_date").set_value(date)
    if kode:
        at.selectbox(key="visit_desa").set_value(kode)
    at.text_input(key="visit_team").input(team)
    at.number_input(key="visit_enrolled").set_value(enrolled)
    at.text_area(key="visit_notes").input("=HYPERLINK(\"x\") sosialisasi di balai desa")
    at.button(key="visit_submit").click().run()
    assert not at.exception
    return at


def test_record_a_valid_visit(db):
    at = run("visits")
    assert "Belum ada kunjungan tercatat." in text(at)
    day = dt.date.today() - dt.timedelta(days=2)
    _fill_visit(at, day, TALAGASARI, "Tim Caringin", 12)
    assert at.success and "Talagasari (Kec. Kadungora)" in at.success[0].value
    assert "12 pekerja didaftarkan" in at.success[0].value
    log = at.dataframe[0].value
    assert len(log) == 1 and log.iloc[0]["Desa/kelurahan"] == "Talagasari" and log.iloc[0]["Tim"] == "Tim Caringin"
    body = text(at)
    assert "Kunjungan tercatat (1)" in body and "1 kunjungan sejak 1 Januari 2025" in body
    assert "22,25%" in body and "0,00 poin dari 22,25%" in body    # (186,000 + 12) / 836,000
    stored = VisitLog(db).visits()
    assert stored[["kode_desa", "team", "enrolled"]].values.tolist() == [[TALAGASARI, "Tim Caringin", 12]]

    # the priorities page sees the visit: Talagasari drops and is marked visited on the map
    prio = run()
    table = ranking(prio)
    assert table.iloc[0]["Desa/kelurahan"] != "Talagasari"
    assert "Sudah dikunjungi: Talagasari, Kec. Kadungora" in map_script(prio)


def test_a_follow_up_is_listed_counted_per_team_and_marked_on_the_map(db):
    at = run("visits")
    at.number_input(key="visit_promised").set_value(9)
    at.date_input(key="visit_follow_up").set_value(dt.date.today() - dt.timedelta(days=1))
    _fill_visit(at, dt.date.today() - dt.timedelta(days=6), TALAGASARI, "Tim Kadungora", 3)
    assert at.success, [e.value for e in at.error]
    body = text(at)
    assert "Tindak lanjut: 1 jatuh tempo atau terlambat" in body and "1 tindak lanjut sudah lewat tanggalnya." in body
    teams, listing = at.dataframe[0].value, at.dataframe[1].value
    assert teams.iloc[0].tolist() == ["Tim Kadungora", "1", "0", "0", "9"]
    assert listing.iloc[0]["Status"] == "terlambat 1 hari" and listing.iloc[0]["Desa/kelurahan"] == "Talagasari"
    stored = VisitLog(db).visits()
    assert stored[["promised", "follow_up"]].values.tolist() == [[9, dt.date.today() - dt.timedelta(days=1)]]
    prio = run()
    script = map_script(prio)
    assert "peta-follow-up-overdue" in script and "tindak lanjut Tim Kadungora terlambat 1 hari" in script


def test_a_follow_up_before_the_visit_is_refused(db):
    at = run("visits")
    at.date_input(key="visit_follow_up").set_value(dt.date.today() - dt.timedelta(days=10))
    _fill_visit(at, dt.date.today() - dt.timedelta(days=2), TALAGASARI, "Tim A", 3)
    assert at.error and "sebelum tanggal kunjungan" in at.error[0].value
    assert VisitLog(db).visits().empty


def test_future_visit_is_refused_with_the_reason(db):
    at = run("visits")
    _fill_visit(at, dt.date.today() + dt.timedelta(days=5), TALAGASARI, "Tim A", 3)
    assert at.error and "Kunjungan tidak disimpan." in at.error[0].value
    assert "masa depan" in at.error[0].value
    assert not at.success and VisitLog(db).visits().empty


@pytest.mark.parametrize("kode, team, message", [
    (TALAGASARI, "   ", "Nama tim kosong"),
    (None, "Tim A", "pilih desa dari daftar"),
])
def test_incomplete_visit_is_refused(db, kode, team, message):
    at = run("visits")
    _fill_visit(at, dt.date.today(), kode, team, 1)
    assert at.error and message in at.error[0].value
    assert VisitLog(db).visits().empty


def test_whatif_asn_total_changes_projection(db):
    at = run("whatif")
    body = text(at)
    assert "Rp16.800 per bulan, Rp201.600 per tahun" in body
    assert "Rp201,6 juta" in body                                   # 1,000 ASN x Rp201,600
    at.number_input(key="wi_asn_total").set_value(50_000).run()
    assert not at.exception
    body = text(at)
    assert "50.000" in body and "Rp10,1 miliar" in body
    assert "28,23%" in body and "+5,98 poin dari 22,25%" in body     # (186,000 + 50,000) / 836,000
    table = at.dataframe[0].value
    assert len(table) == 42
    at.number_input(key="wi_monthly").set_value(20_000).run()
    assert "Rp240.000 per pekerja per tahun" in text(at)


def test_whatif_per_kecamatan_table(db):
    at = run("whatif", wi_mode="per_kecamatan")
    body = text(at)
    assert "Isi kolom ASN per kecamatan" in body
    assert "semua ASN terpakai" in body and "Rp0" in body          # no ASN entered yet


def test_priorities_without_the_sites_layer(db, monkeypatch):
    from core.errors import SourceNotFoundError

    def missing():
        raise SourceNotFoundError("sites.illustrative_source_missing", source="/x/sites_illustrative.csv")

    monkeypatch.setattr("ui.pages.priorities.sites_in_use", missing)
    at = run()
    assert "Lapisan lokasi risiko tinggi tidak dapat dimuat" in text(at) and "sites_illustrative.csv" in text(at)
    assert "ILUSTRATIF" not in text(at)
    table = ranking(at)
    assert len(table) == 20 and set(table["Lokasi risiko tinggi (poin)"]) == {"0,0"}


def test_own_sites_file_is_checked_then_used(db):
    path = PROJECT_ROOT / "tests" / "fixtures" / "sites" / "mixed.csv"
    at = run()
    at.file_uploader(key="sites_file").set_value((path.name, path.read_bytes(), "text/csv")).run()
    assert not at.exception
    assert "11 baris dibaca: 5 diterima, 6 ditolak." in text(at)
    problems = [df.value for df in at.dataframe if "reason" in df.value.columns][0]
    assert problems["row"].tolist() == [3, 5, 7, 8, 10, 11, 12]
    assert "0812-1111-2222" not in problems.to_string()  # contact never shown
    [b for b in at.button if b.key == "sites_use"][0].click().run()
    assert not at.exception
    assert at.session_state["sites_upload"][0] == "mixed.csv"
    assert "Peta dan peringkat memakai lokasi dari mixed.csv." in text(at)
    assert "ILUSTRATIF" not in map_script(at)  # the illustrative label goes with the layer
    [b for b in at.button if b.key == "sites_back"][0].click().run()
    assert at.session_state["sites_upload"] is None


def test_a_recently_visited_desa_leaves_the_next_plan_unless_included(db):
    VisitLog(db).record_visit(dt.date.today() - dt.timedelta(days=3), TALAGASARI, "Tim Kadungora", 0, "")
    at = run()
    body = text(at)
    assert "1 desa dikunjungi dalam 30 hari terakhir dan tidak dimasukkan ke rencana baru" in body
    assert "Talagasari (" in body
    assert "19 desa dalam 5 hari kerja" in body                 # 20 in the ranking, 19 in the plan
    at.checkbox(key="plan_include_recent").check().run()
    assert "20 desa dalam 6 hari kerja" in text(at)


def test_recently_visited_window():
    from analysis.trips import recently_visited

    today = dt.date(2025, 3, 31)
    visits = {"a": dt.date(2025, 3, 2), "b": dt.date(2025, 3, 1), "c": "2025-03-31", "d": dt.date(2025, 4, 2)}
    assert recently_visited(visits, 30, today) == {"a": dt.date(2025, 3, 2), "c": dt.date(2025, 3, 31)}
    assert recently_visited(visits, 0, today) == {}


def test_the_start_point_is_set_on_the_page_and_stored(db):
    at = run()
    at.toggle(key="plan_setup_open").set_value(True).run()
    at.text_input(key="start_name").input("Kantor Cabang Garut")
    at.number_input(key="start_lat").set_value(-7.2101)
    at.number_input(key="start_lon").set_value(107.9002)
    next(b for b in at.get("form_submit_button") if b.label == "Simpan titik awal").click().run()
    assert not at.exception, at.exception
    body = text(at)
    assert "Titik awal bersama (untuk tim tanpa titik awal sendiri): Kantor Cabang Garut (-7,21010, 107,90020)" in body
    again = run()                                                   # another session reads it from the database
    assert "Kantor Cabang Garut (-7,21010, 107,90020)" in text(again)


def test_a_start_point_outside_garut_is_refused(db):
    from analysis.start_points import StartPointStore
    from core.errors import ConfigError

    store = StartPointStore(db)
    with pytest.raises(ConfigError, match="outside region 32.05"):
        store.put("Jakarta", -6.2, 106.8)
    with pytest.raises(ConfigError, match="Give the start a name"):
        store.put("  ", -7.2, 107.9)
    with pytest.raises(ConfigError, match="cannot be read"):
        store.put("X", "abc", 107.9)
    assert store.get() is None
    assert store.put("Kantor", -7.2101, 107.9002) == ("Kantor", -7.2101, 107.9002)


def test_teams_are_set_on_the_page_and_share_the_plan(db):
    from analysis.start_points import TeamStore

    at = run()
    assert not [d for d in at.get("dataframe") if d.key == "teams_editor"]       # the set-up opens on demand
    at.toggle(key="plan_setup_open").set_value(True).run()
    editors = [d for d in at.get("dataframe") if d.key == "teams_editor"]
    assert editors and editors[0].value["name"].tolist() == ["Tim 1"]          # the teams editor, one default team
    TeamStore(db).put([{"name": "Tim Utara", "lat": -7.07, "lon": 107.89, "start_name": "Pos Kadungora"},
                       {"name": "Tim Selatan", "lat": -7.64, "lon": 107.72, "days": 2},
                       {"name": "Tim Kota"}])
    at = run()
    assert not at.exception, at.exception
    body = text(at)
    assert "20 desa dalam" in body and "oleh 3 tim" in body
    headers = [line for line in body.splitlines() if " · Hari " in line]
    teams = {line.strip("*").split(" · ")[0] for line in headers}
    assert teams == {"Tim Utara", "Tim Selatan", "Tim Kota"}
    assert sum("Tim Selatan · Hari" in line for line in headers) <= 2
    assert "Tim, titik awal dan jarak jalan (3 tim)" in [e.label for e in at.toggle]     # says how many


def test_a_click_on_the_pick_map_moves_the_chosen_start(db):
    from analysis.start_points import StartPointStore, TeamStore
    from ui.trip_planner import PICK_MAP_KEY, PICK_TARGET_KEY, SHARED, _apply_pick

    shared, teams = StartPointStore(db), TeamStore(db)
    teams.put([{"name": "Tim A"}, {"name": "Tim B"}])
    import streamlit as st

    st.session_state[PICK_TARGET_KEY] = "Tim B"
    st.session_state[PICK_MAP_KEY] = {"last_clicked": {"lat": -7.3, "lng": 107.8}}
    _apply_pick(shared, teams)
    assert [tm.start for tm in teams.get()] == [None, ("Tim B", -7.3, 107.8)]
    st.session_state[PICK_TARGET_KEY] = SHARED
    st.session_state[PICK_MAP_KEY] = {"last_clicked": {"lat": -6.2, "lng": 106.8}}   # Jakarta: refused
    _apply_pick(shared, teams)
    assert shared.get() is None and "outside" in str(st.session_state.pop("plan_pick_error"))
    st.session_state[PICK_MAP_KEY] = {"last_clicked": {"lat": -7.21, "lng": 107.9}}
    _apply_pick(shared, teams)
    assert shared.get()[1:] == (-7.21, 107.9)


def test_team_rows_are_checked_with_the_row_named():
    from analysis.start_points import check_teams
    from core.errors import ConfigError

    assert [tm.name for tm in check_teams([{"name": " Tim  A "}, {"name": None, "lat": None}])] == ["Tim A"]
    typed = check_teams([{"name": "B", "lat": "-7,21", "lon": "107,9", "days": "3", "start_name": ""}])
    assert typed[0].start == ("B", -7.21, 107.9) and typed[0].days == 3      # Indonesian decimal commas
    cases = [([{"name": ""}, {"name": "", "lat": -7.2}], "teams.no_name"),
             ([{"name": "A"}, {"name": "A"}], "teams.same_name"),
             ([{"name": "A", "lat": -7.2}], "teams.half_start"),
             ([{"name": "A", "days": 0}], "teams.bad_days"),
             ([{"name": "A", "days": 2.5}], "teams.bad_days"),
             ([{"name": "A", "days": "dua"}], "teams.bad_days"),
             ([{}], "teams.none"),
             ([{"name": f"T{i}"} for i in range(21)], "teams.too_many")]
    for rows, key in cases:
        with pytest.raises(ConfigError) as caught:
            check_teams(rows)
        assert caught.value.key == key, rows
    with pytest.raises(ConfigError) as caught:
        check_teams([{"name": "A"}, {"name": "A"}])
    assert "Team row 2: the name A is already used" in caught.value.message("en")


def test_a_team_name_with_markdown_is_shown_as_text(db):
    from analysis.start_points import TeamStore

    TeamStore(db).put([{"name": "**Tim** [x](javascript:alert(1))"}])
    at = run()
    assert not at.exception
    labels = [b.label for b in at.download_button if b.label.startswith("Halaman cetak")]
    assert labels and all("\\*\\*Tim\\*\\*" in label and "\\[x\\]" in label for label in labels)
    headers = [m.value for m in at.markdown if "Hari 1" in m.value]
    assert headers and "\\*\\*Tim\\*\\* \\[x\\]" in headers[0]


DEVELOPER_WORDS = ("config/", ".toml", "docs/", ".md", "app.db", "/tmp/", "PETA_", "analysis.")


@pytest.mark.parametrize("page", ["priorities", "visits", "whatif"])
@pytest.mark.parametrize("lang", ["id", "en"])
def test_pages_speak_to_users_not_developers(db, page, lang):
    at = run(page, lang)
    labels = [w.label for w in (*at.button, *at.download_button, *at.selectbox, *at.number_input, *at.toggle,
                                *at.checkbox, *at.text_input, *at.date_input)]
    body = text(at) + "\n" + "\n".join(str(label) for label in labels)
    found = [word for word in DEVELOPER_WORDS if word in body]
    assert not found, (found, [line for line in body.splitlines() if any(w in line for w in found)][:5])

"""The view's query string: parsing, checking and writing back (pure functions)."""

from __future__ import annotations

import pytest

from ui.state import (
    ALL_KECAMATAN,
    DEFAULTS,
    bands_from_text,
    ignored_params,
    query_from_state,
    state_from_query,
)

CODES = {"32.05.01", "32.05.14"}


@pytest.mark.parametrize("text, expected", [
    ("30,50,70", (0.3, 0.5, 0.7)),
    (" 25 , 60% ", (0.25, 0.6)),
    ("70,50", None), ("30,30", None), ("0,50", None), ("50,100", None), ("tiga", None), ("", None),
])
def test_bands_from_text(text, expected):
    assert bands_from_text(text) == (pytest.approx(expected) if expected else None)


def test_valid_query_round_trips():
    query = {"level": "desa", "kec": "32.05.14", "metric": "uncovered", "scheme": "quantiles",
             "bands": "20,40,60", "lang": "en", "mode": "briefing"}
    state = state_from_query(query, CODES)
    assert state == query
    assert query_from_state({**DEFAULTS, **state}) == query


def test_defaults_are_left_out_of_links():
    assert query_from_state(DEFAULTS) == {}
    assert query_from_state({**DEFAULTS, "metric": "workers"}) == {"metric": "workers"}


def test_kec_implies_desa_level_unless_level_says_kecamatan():
    assert state_from_query({"kec": "32.05.01"}, CODES) == {"kec": "32.05.01", "level": "desa"}
    assert state_from_query({"kec": "32.05.01", "level": "kecamatan"}, CODES) == {"level": "kecamatan"}


def test_unknown_values_are_named_and_dropped():
    query = {"metric": "bogus", "kec": "32.05.99", "bands": "90,10", "lang": "fr", "level": "desa"}
    assert ignored_params(query, CODES) == ["metric=bogus", "lang=fr", "kec=32.05.99", "bands=90,10"]
    assert state_from_query(query, CODES) == {"level": "desa"}
    assert ignored_params({"kec": "Garut Kota"}) == ["kec=Garut Kota"]


def test_list_values_from_streamlit_are_read():
    assert state_from_query({"metric": ["workers", "covered"]}, CODES) == {"metric": "workers"}


def test_all_kecamatan_is_the_default():
    assert DEFAULTS["kec"] == ALL_KECAMATAN == ""


def test_briefing_title_escapes_the_uploaded_file_name():
    from ui.html import briefing_title_html

    name = "${alert(1)}`</script><img src=x onerror=alert(1)>.csv"
    head = briefing_title_html("Kabupaten Garut · Desember 2024", f"sumber: {name}", "DATA CONTOH")
    assert "<img" not in head and "</script>" not in head
    assert "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;.csv" in head
    assert head.count('class="peta-banner"') == 1

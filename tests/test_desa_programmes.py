"""Desa programme tables: reading and its edges, the texts the map shows, totals, the illustrative table."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from analysis.desa_programmes import (
    PROGRAMME_FIELDS,
    programme_fields,
    programme_totals,
    with_programmes,
)
from analysis.sample_programmes import (
    SAMPLE_PROGRAMMES_PATH,
    is_sample_programmes,
    sample_programmes_bytes,
)
from cli.main import main
from core.errors import InputFileError
from core.i18n import localize
from ingest.desa_programmes import read_desa_programmes

TODAY = dt.date(2026, 12, 1)
HEADER = "Kode Desa,Desa,Kecamatan,Desa Sadar Jamsostek,Tanggal Pencanangan,Perangkat Terdaftar,Jumlah Perangkat," \
         "Agen Perisai Aktif\n"


def _read(*rows: str):
    return read_desa_programmes((HEADER + "\n".join(rows) + "\n").encode(), filename="program.csv", today=TODAY)


def test_rows_are_accepted_or_rejected_with_their_reason():
    check = _read(
        "32.05.01.1001,,,sudah,2025-03-12,10,12,3",
        ",Haurpanggung,Tarogong Kidul,Dalam proses,,5,11,1",             # by name within its kecamatan
        "32.05.10.2001,,,ya,12/03/2025,,,",                              # a Yes and a day-first date
        "32.05.01.1002,,,mungkin,,,,",                                   # unknown status
        "32.05.01.1003,,,sudah,2027-01-01,,,",                           # declared in the future
        "32.05.01.1004,,,belum,2025-01-01,,,",                           # a date, but not declared
        "32.05.01.1005,,,,,13,12,",                                      # registered > total
        "32.05.99.9999,,,sudah,,,,",                                     # no such desa
        "32.05.01.1001,,,belum,,,,",                                     # the same desa again
        "32.05.01.1006,,,,,,,900",                                       # too many agents
    )
    assert check.rows_in == 10 and check.rows_in == check.rows_matched + check.rows_rejected
    assert check.table["row"].tolist() == [2, 3, 4]
    assert check.table["sadar_status"].tolist() == ["sudah", "proses", "sudah"]
    assert check.table["sadar_date"].tolist() == [dt.date(2025, 3, 12), None, dt.date(2025, 3, 12)]
    reasons = {p.row: (p.column, localize(p.reason, "en")) for p in check.problems if p.rejected}
    assert reasons[5] == ("sadar_status", "Desa Sadar Jamsostek status not recognised")
    assert reasons[6] == ("sadar_date", "declaration date in the future")
    assert reasons[7] == ("sadar_date", "a declaration date, but the status is not yet / in progress")
    assert reasons[8] == ("perangkat_registered", "more perangkat registered than there are")
    assert reasons[9][0] == "kode_desa"
    assert reasons[10] == ("kode_desa", "this desa is in an earlier row")
    assert reasons[11] == ("perisai_active", "number too large for one desa")


def test_the_map_texts_read_in_each_language_and_totals_add_up():
    check = _read("32.05.01.1001,,,sudah,2025-03-12,10,12,3", "32.05.01.1002,,,belum,,2,10,0",
                  "32.05.01.1003,,,,,,,2")
    fields = programme_fields(check.table)
    assert [localize(v, "id") for v in fields.loc["32.05.01.1001"]] == ["Sudah, sejak 12 Mar 2025", "10 dari 12", 3]
    assert [localize(v, "en") for v in fields.loc["32.05.01.1002"]] == ["Not yet", "2 of 10", 0]
    assert fields.loc["32.05.01.1003", "programme_sadar"] is None
    regions = with_programmes(pd.DataFrame({"kode": ["32.05.01.1001", "32.05.01.1009"]}),
                              check.table)
    assert regions.loc[1, list(PROGRAMME_FIELDS)].isna().all()
    assert localize(regions.loc[0, "programme_perangkat"], "en") == "10 of 12"
    assert programme_totals(check.table) == {"desa": 3, "sadar_sudah": 1, "sadar_proses": 0, "sadar_belum": 1,
                                             "perangkat_registered": 12, "perangkat_total": 22, "perisai_active": 5}


def test_an_xlsx_table_is_read_like_the_csv():
    import io

    import openpyxl
    book = openpyxl.Workbook()
    book.active.append(["Rekap program desa"])
    book.active.append(["Kode Desa", "Desa Sadar Jamsostek", "Tanggal Pencanangan", "Agen Perisai Aktif"])
    book.active.append(["32.05.01.1001", "sudah", dt.datetime(2025, 3, 12), 3])
    buffer = io.BytesIO()
    book.save(buffer)
    check = read_desa_programmes(buffer.getvalue(), filename="program.xlsx", today=TODAY)
    assert check.rows_rejected == 0
    assert check.table[["row", "sadar_status", "sadar_date", "perisai_active"]].iloc[0].tolist() == [
        3, "sudah", dt.date(2025, 3, 12), 3]


def test_a_table_without_a_desa_or_a_programme_column_is_refused():
    with pytest.raises(InputFileError) as error:
        read_desa_programmes(b"Kode Desa,Pekerja\n32.05.01.1001,10\n", filename="bukan.csv")
    assert error.value.key == "programmes.no_header" and "bukan.csv" in error.value.message("en")


def test_the_committed_illustrative_table_is_a_fresh_generation_of_every_desa(capsys):
    assert SAMPLE_PROGRAMMES_PATH.read_bytes() == sample_programmes_bytes()
    assert is_sample_programmes(SAMPLE_PROGRAMMES_PATH.read_bytes())
    check = read_desa_programmes(SAMPLE_PROGRAMMES_PATH)
    assert check.rows_rejected == 0 and check.rows_matched == 442
    totals = programme_totals(check.table)
    assert 0.05 < totals["sadar_sudah"] / 442 < 0.2 and totals["perangkat_registered"] < totals["perangkat_total"]
    assert main(["sample", "--programmes", "--check"]) == 0
    assert json.loads(capsys.readouterr().out)["up_to_date"] is True


def test_the_desa_map_tooltip_and_card_show_the_programmes_in_use():
    from streamlit.testing.v1 import AppTest

    from ui.programmes import PROGRAMMES_KEY
    content = SAMPLE_PROGRAMMES_PATH.read_bytes()
    at = AppTest.from_string("from ui.pages.map import render\nrender()", default_timeout=120)
    at.session_state[PROGRAMMES_KEY] = (SAMPLE_PROGRAMMES_PATH.name, content)
    at.session_state["lang"] = "en"
    at.run()
    search = at.selectbox(key="desa_search")
    search.set_value("32.05.01.1001").run()              # Kota Kulon: drill down to Garut Kota's desa
    assert not at.exception, at.exception
    payload = next(json.loads(c.proto.json_args)["payload"] for c in at.get("component_instance")
                   if "peta_restyle" in c.proto.component_name)
    labels = payload["tips"]["labels"]
    assert "Desa Sadar Jamsostek (ILLUSTRATIVE)" in labels and "Active Perisai agents" in labels
    row = dict(zip(labels, payload["tips"]["values"]["32.05.01.1001"]))
    expected = programme_fields(read_desa_programmes(SAMPLE_PROGRAMMES_PATH).table).loc["32.05.01.1001"]
    card = " ".join(m.value for m in at.markdown if "Perisai" in m.value).replace("\\", "")
    assert f"perangkat desa registered: **{localize(expected['programme_perangkat'], 'en')}**" in card
    assert "**(ILLUSTRATIVE table)**" in card
    assert row["Perangkat desa registered"] == localize(expected["programme_perangkat"], "en")
    assert row["Desa Sadar Jamsostek (ILLUSTRATIVE)"] == localize(expected["programme_sadar"], "en")

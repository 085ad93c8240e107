"""AppTest tests of the companies page: the illustrative list, recording a step, a hostile upload, English."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from analysis.company_steps import StepLog, follow_up_list
from analysis.compliance import company_status, status_counts
from analysis.sample_companies import SAMPLE_COMPANIES_PATH
from ingest.companies import read_companies
from render.exports.companies import export_follow_up, export_steps
from render.spreadsheet import written_bytes
from tests.outreach_pages import page_text, run_page
from ui.companies_state import UPLOAD_KEY

HOSTILE = (
    "Nama Perusahaan,Kode Desa,TK Dipekerjakan,Upah\n"
    "\"${alert(1)} `CV` Satu\",32.05.01.1001,12,2000000\n"
    "\"</script><script>alert(2)</script><img src=x onerror=alert(3)>\",32.05.05.2004,30,2000000\n"
    "\"=HYPERLINK(\"\"http://contoh.invalid\"\",\"\"klik\"\")\",32.05.10.2001,15,2000000\n"
)


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "app.db"
    monkeypatch.setenv("PETA_APP_DB", str(path))
    return path


def run(lang: str = "id", **state) -> AppTest:
    return run_page("companies", lang, **state)


text = page_text


def map_script(at: AppTest) -> str:
    components = [c for c in at.get("component_instance") if "st_folium" in c.proto.component_name]
    return next(json.loads(c.proto.json_args)["script"] for c in components
                if "peta-company-icon" in json.loads(c.proto.json_args)["script"])


def first_row(at: AppTest) -> int:
    """Spreadsheet row of the follow-up list's first company (the record form lists it first)."""
    table = company_status(read_companies(SAMPLE_COMPANIES_PATH).companies)
    first = follow_up(at).iloc[0]["Perusahaan"]
    return int(table.loc[table["name"] == first, "row"].iloc[0])


def follow_up(at: AppTest):
    return next(d.value for d in at.dataframe if "Langkah berikutnya" in d.value.columns
                or "Next step" in d.value.columns)


def test_the_illustrative_list_is_labelled_counted_and_mapped(db):
    at = run()
    page = text(at)
    table = company_status(read_companies(SAMPLE_COMPANIES_PATH).companies)
    counts = status_counts(table)
    assert "ILUSTRATIF — daftar perusahaan karangan" in page
    assert f">{len(table)}<" in page and f">{counts['pwbd']}<" in page
    script = map_script(at)
    assert script.count("peta-company-icon") >= len(table)
    assert "ILUSTRATIF" in script
    follow = follow_up(at)
    assert len(follow) == sum(counts[s] for s in ("pwbd", "pds_tk", "pds_upah", "pds_program"))
    assert set(follow["Langkah berikutnya"]) == {"Surat himbauan"}
    labels = [b.label for b in at.download_button]
    assert "Unduh daftar tindak lanjut (XLSX)" in labels and "Unduh surat (PDF)" in labels


def test_recording_a_step_moves_the_company_up_the_ladder(db):
    at = run()
    first = follow_up(at).iloc[0]
    assert at.selectbox(key="companies_step_company").value == int(first_row(at))   # the list's first company
    at.selectbox(key="companies_step_step").set_value("himbauan")
    at.selectbox(key="companies_step_outcome").set_value("tidak_ada_tanggapan")
    at.text_input(key="companies_step_team").input("Tim Kota")
    at.text_area(key="companies_step_notes").input("=HYPERLINK(\"x\") catatan")
    at.button[-1].click().run()
    assert not at.exception, at.exception
    assert "Tersimpan: Surat himbauan" in text(at)
    steps = StepLog(db).steps()
    assert steps["step"].tolist() == ["himbauan"] and steps["team"].tolist() == ["Tim Kota"]
    written = written_bytes(lambda p: export_steps(steps, p, "id"), ".xlsx")
    notes = [c.value for c in openpyxl.load_workbook(io.BytesIO(written)).active["J"]]
    assert notes[1] == "'=HYPERLINK(\"x\") catatan"
    at.run()
    row = follow_up(at).set_index("Perusahaan").loc[first["Perusahaan"]]
    assert row["Langkah terakhir"] == "Surat himbauan" and row["Langkah berikutnya"] == "Teguran tertulis I"


def test_a_hostile_upload_shows_names_as_text_and_exports_them_as_text(db):
    at = run(**{UPLOAD_KEY: ("hostile.csv", HOSTILE.encode())})
    page = text(at)
    assert "ILUSTRATIF" not in page
    script = map_script(at)
    assert "${alert" not in script and "&#36;{alert(1)}" in script
    assert "<script>alert(2)" not in script and "<img src=x" not in script
    assert "&lt;/script&gt;" in script
    names = set(follow_up(at)["Perusahaan"])
    assert "</script><script>alert(2)</script><img src=x onerror=alert(3)>" in names
    check = read_companies(HOSTILE.encode(), filename="hostile.csv")
    follow = follow_up_list(company_status(check.companies), StepLog(db).steps())
    sheet = openpyxl.load_workbook(io.BytesIO(written_bytes(lambda p: export_follow_up(follow, p), ".xlsx"))).active
    cells = [c.value for c in sheet["A"]]
    assert "'=HYPERLINK(\"http://contoh.invalid\",\"klik\")" in cells
    assert all(c.data_type == "s" for c in sheet["A"])


def test_the_area_table_lists_desa_as_well_as_kecamatan(db):
    at = run()
    first = next(d.value for d in at.dataframe if "Kecamatan" in d.value.columns and "PDS" in d.value.columns)
    at.radio(key="companies_area_level").set_value("desa").run()
    desa = next(d.value for d in at.dataframe if "Desa (kecamatan)" in d.value.columns and "PDS" in d.value.columns)
    assert len(desa) > len(first)
    assert desa.iloc[0, 0].endswith(")")


def test_the_page_speaks_english(db):
    at = run("en")
    page = text(at)
    assert "Company compliance (PWBD / PDS)" in page and "ILLUSTRATIVE — invented companies" in page
    assert set(follow_up(at)["Next step"]) == {"Appeal letter"}

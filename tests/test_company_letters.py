"""Letters to PWBD/PDS companies: they open, carry the company's own figures, and print hostile names as text."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from pypdf import PdfReader

from analysis.company_steps import StepLog, company_key, follow_up_list
from analysis.compliance import company_status
from analysis.config import LettersConfig, parse_config
from cli.main import main
from core.errors import ConfigError
from ingest.companies import read_companies
from render.company_letters import (
    company_letter_pdf,
    follow_up_letters,
    letter_filename,
)

TODAY = dt.date(2026, 12, 3)
SETTINGS = LettersConfig(sender="BPJS Ketenagakerjaan Kantor Cabang Garut", address="Jl. Contoh No. 1, Garut",
                         signatory_name="Nama Pejabat")
HEADER = "Nama Perusahaan,NPP,KBLI,Kode Desa,TK Dipekerjakan,TK Terdaftar,Upah Dilaporkan,Upah Terdaftar,Program\n"


def _companies(*rows: str):
    check = read_companies((HEADER + "\n".join(rows) + "\n").encode(), filename="perusahaan.csv")
    assert check.rows_rejected == 0, check.report()["problems"]
    return company_status(check.companies)


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def _plain(text: str) -> str:
    return " ".join(text.split())


def test_an_appeal_letter_carries_the_companys_figures_and_deadline():
    table = _companies("PT Contoh 001,11110001,15111,32.05.01.1001,40,25,2500000,2000000,\"JKK, JKM, JHT\"")
    company = table.iloc[0].to_dict()
    pdf = company_letter_pdf(company, "himbauan", today=TODAY, settings=SETTINGS, region_name="Kabupaten Garut",
                             source="perusahaan.csv")
    assert pdf.startswith(b"%PDF")
    text = _plain(_text(pdf))
    for expected in ("BPJS KETENAGAKERJAAN KANTOR CABANG GARUT", "Garut, 3 Desember 2026",
                     "Himbauan Pendaftaran Kepesertaan BPJS Ketenagakerjaan", "Pimpinan PT Contoh 001",
                     "Kota Kulon", "Garut Kota", "Kabupaten Garut", "mempekerjakan 40 orang tenaga kerja",
                     "baru 25 orang yang didaftarkan; 15 orang belum terlindungi", "Rp2.000.000", "Rp2.500.000",
                     "belum mengikuti program JP", "17 Desember 2026 (14 hari", "Nama Pejabat",
                     "Undang-Undang Nomor 24 Tahun 2011"):
        assert expected in text, expected
    assert "ILUSTRATIF" not in text
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1


def test_warnings_name_the_previous_letter_and_ten_days_and_an_english_letter_reads_english():
    company = _companies("CV Contoh 002,,47111,32.05.01.1001,12,,2000000,,").iloc[0].to_dict()
    assert company["status"] == "pwbd"
    second = _plain(_text(company_letter_pdf(company, "teguran_2", today=TODAY, settings=SETTINGS,
                                             region_name="Kabupaten Garut", previous_date=dt.date(2026, 11, 20),
                                             illustrative=True)))
    assert "Teguran Tertulis II" in second and "20 November 2026 belum ditindaklanjuti" in second
    assert "13 Desember 2026 (10 hari" in second and "sanksi administratif" in second
    assert second.count("ILUSTRATIF") >= 2                           # banner and footer
    english = _plain(_text(company_letter_pdf(company, "teguran_1", today=TODAY, settings=SETTINGS,
                                              region_name="Kabupaten Garut", lang="en")))
    assert "First Written Warning" in english and "employs 12 workers and is not registered" in english
    assert "13 December 2026" in english


@pytest.mark.parametrize("name", [
    "${alert(1)} `CV` </script><script>alert(2)</script>",
    '=HYPERLINK("http://contoh.invalid","klik")',
    "CV Ωμέγα Çiçek Sukaregang",                       # outside the small font: the whole font is embedded
    "PT \u202eKebalik\u202c Garut\x07",                  # bidi override and a control character are removed
])
def test_hostile_and_foreign_names_are_printed_as_text(name):
    row = f"\"{name.replace(chr(34), chr(34) * 2)}\",,47111,32.05.01.1001,12,,2000000,,"
    company = _companies(row).iloc[0].to_dict()
    text = _plain(_text(company_letter_pdf(company, "himbauan", today=TODAY, settings=SETTINGS,
                                           region_name="Kabupaten Garut")))
    shown = name.replace("\u202e", "").replace("\u202c", "").replace("\x07", "")
    assert _plain(shown) in text


def test_the_follow_up_letters_follow_the_ladder(tmp_path):
    table = _companies("PT Contoh 001,11110001,15111,32.05.01.1001,40,25,2500000,2500000,\"JKK, JKM, JHT, JP\"",
                       "CV Contoh 002,,47111,32.05.01.1001,12,,2000000,,",
                       "UD Contoh 003,,47111,32.05.01.1001,3,,100000,,")       # not obliged: no letter
    log = StepLog(tmp_path / "app.db")
    log.record_step(company_key("11110001", "PT Contoh 001", "32.05.01.1001"), "PT Contoh 001", "32.05.01.1001",
                    "himbauan", "2026-11-10", "tidak_ada_tanggapan", today=TODAY)
    follow_up = follow_up_list(table, log.steps(), TODAY)
    assert follow_up["name"].tolist() == ["PT Contoh 001", "CV Contoh 002"]
    assert follow_up["next_step"].tolist() == ["teguran_1", "himbauan"]
    assert follow_up["state"].tolist() == ["overdue", "due"]
    letters = dict(follow_up_letters(follow_up, today=TODAY, settings=SETTINGS, region_name="Kabupaten Garut"))
    assert sorted(letters) == ["surat_himbauan_cv_contoh_002_baris3.pdf", "surat_teguran_1_pt_contoh_001_baris2.pdf"]
    warning = _plain(_text(letters["surat_teguran_1_pt_contoh_001_baris2.pdf"]))
    assert "10 November 2026 belum ditindaklanjuti" in warning
    hostile = {"name": "=cmd|' /C calc'!A0", "row": 9}
    assert letter_filename(hostile, "himbauan") == "surat_himbauan_cmd_c_calc_a0_baris9.pdf"


def test_cli_writes_the_letters_of_a_companies_file(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PETA_APP_DB", str(tmp_path / "app.db"))
    hostile = tmp_path / "perusahaan.csv"
    hostile.write_bytes((HEADER + "CV Contoh 002,,47111,32.05.01.1001,12,,2000000,,\n").encode())
    assert main(["companies", "--letters", "--file", str(hostile), "--out", str(tmp_path / "surat")]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["letters"] == 1 and summary["by_letter"]["himbauan"] == 1 and not summary["illustrative"]
    written = tmp_path / "surat" / summary["files"][0]
    assert "CV Contoh 002" in _text(written.read_bytes())


def test_letters_settings_refuse_an_unknown_key():
    sender = "Disnakertrans Kab. Garut"
    assert parse_config({"letters": {"sender": sender}}).letters.sender == sender
    with pytest.raises(ConfigError) as error:
        parse_config({"letters": {"sender": "X", "stempel": "ya"}})
    assert "stempel" in error.value.message("en")

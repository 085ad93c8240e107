"""AppTest tests of the upload page: report, tables, sheet choice, switching the maps."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from geo.paths import PROJECT_ROOT
from tests.markdown_text import shown

PAGE = str(PROJECT_ROOT / "tests" / "apps" / "upload_page.py")
CORPUS = PROJECT_ROOT / "tests" / "fixtures" / "coverage"


def upload(name: str) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    path = Path(CORPUS / name)
    at.file_uploader[0].set_value((path.name, path.read_bytes(), "text/csv")).run()
    assert not at.exception, at.exception
    return at


def metric_values(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_report_counts_and_tables_for_fuzzy_names():
    at = upload("33_fuzzy_names.csv")
    assert metric_values(at) == {"Baris dibaca": "4", "Baris cocok": "3", "Baris ditolak": "1"}
    frames = {s.value: df.value for s, df in zip(at.subheader, at.dataframe)}
    rejected = frames["Baris ditolak (1)"]
    assert rejected[["Baris", "Kolom", "Isi sel", "Alasan"]].values.tolist() == [
        [5, "desa", "Xyzabc", "nama wilayah tidak ditemukan"]]
    to_confirm = next(v for k, v in frames.items() if k.startswith("Cocok lewat nama lama"))
    assert set(to_confirm["Cara cocok"]) == {"nama mirip"} and len(to_confirm) == 3
    buttons = [b.key for b in at.get("download_button")]
    assert buttons == ["dl_template", "dl_rejected", "dl_matched", "dl_to_confirm"]


def test_use_this_switches_the_maps():
    at = upload("06_alias_old_names.csv")
    [b for b in at.button if b.label == "Pakai data ini untuk peta"][0].click().run()
    assert at.session_state["upload"][0] == "06_alias_old_names.csv"
    assert any("Peta kini memakai data unggahan" in s.value for s in at.success)


def test_unreadable_file_shows_one_clear_error():
    at = upload("20_binary_renamed.csv")
    assert len(at.error) == 1 and "20_binary_renamed.csv" in shown(at.error[0].value)
    assert not at.metric


def test_several_sheets_offer_a_choice():
    at = upload("13_two_tables.xlsx")
    assert "beberapa lembar berisi tabel" in at.error[0].value
    at.selectbox(key="upload_sheet").set_value("2024-12").run()
    assert not at.error
    assert metric_values(at)["Baris ditolak"] == "0"


def test_personal_columns_are_dropped_and_never_shown():
    at = upload("24_participants_nik.csv")
    assert any("NIK" in w.value for w in at.warning)
    shown = "\n".join([str(e.value) for e in at.dataframe] + [m.value for m in at.markdown]
                      + [w.value for w in at.warning] + [c.value for c in at.caption])
    for secret in ("3205014101900001", "Asep Sunandar", "081234567801", "Jl. Merdeka"):
        assert secret not in shown


def test_participant_file_counts_members_and_keeps_the_maps():
    at = upload("24_participants_nik.csv")
    assert any("Berkas per peserta" in i.value for i in at.info)
    assert not [b for b in at.button if b.label == "Pakai data ini untuk peta"]


def test_report_downloads_neutralise_formulas():
    from ingest.coverage import read_coverage
    from ui.pages.upload import report_csv, report_tables

    content = b"kecamatan,desa,pekerja,peserta_aktif\nGarut Kota,=HYPERLINK(\"http://x\"),100,10\n"
    tables = report_tables(read_coverage(content, filename="jahat.csv").report)
    rejected = tables["rejected"]
    assert rejected["value"].tolist() == ['=HYPERLINK("http://x")']  # shown as data on screen
    text = report_csv(rejected).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ',=HYPERLINK' not in text


def test_file_names_and_headers_reach_markdown_as_literal_text():
    """A file name or header written as Markdown shows as text: no link, no image, no colour, no formula."""
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    name = "[klik](http://evil.example/x) ![i](http://evil.example/i.png) :red[merah] $x^2$.csv"
    content = ("kode_desa,pekerja,peserta_aktif,NIK ![p](http://evil.example/p.png)\n"
               "32.05.01.1001,100,10,3205010101900001\n").encode()
    at.file_uploader[0].set_value((name, b"", "text/csv")).run()
    (error,) = at.error
    assert "\\[klik\\]\\(http\\:\\/\\/evil\\.example\\/x\\)" in error.value
    assert "](http" not in error.value.replace("\\]\\(", "")
    at.file_uploader[0].set_value((name, content, "text/csv")).run()
    assert not at.exception, at.exception
    (warning,) = at.warning
    assert "NIK \\!\\[p\\]\\(http\\:\\/\\/evil\\.example\\/p\\.png\\)" in warning.value
    assert "![p](" not in warning.value


MAPPED_HEADER = "Kode Desa;Pekerja Terdata;Peserta Aktif BPJSTK\n"


def test_column_mapping_step_fills_the_guess_applies_and_remembers(tmp_path, monkeypatch):
    """An unsure column is offered with its closest role; confirming applies it and remembers it."""
    from core.i18n import t

    monkeypatch.setenv("PETA_APP_DB", str(tmp_path / "app.db"))  # nothing remembered yet

    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    first = (MAPPED_HEADER + "32.05.01.1001;100;10\n32.05.01.1002;200;20\n").encode()
    at.file_uploader[0].set_value(("bulan1.csv", first, "text/csv")).run()
    assert not at.exception, at.exception
    assert [e.label for e in at.expander] == ["Peran kolom"]
    boxes = {box.label: box.value for box in at.selectbox}
    assert boxes["Peran kolom Pekerja Terdata"] == "pekerja"          # pre-filled with the closest role
    assert boxes["Peran kolom Peserta Aktif BPJSTK"] == "peserta_aktif"
    assert any("Kolom 'Pekerja Terdata' tidak dikenali" in shown(c.value) for c in at.caption)
    # covered only: usable, the workers per desa estimated from the population, and it says so
    assert any("ESTIMASI" in shown(w.value) for w in at.warning)

    at.get("form_submit_button")[0].click().run()
    assert not at.exception, at.exception
    assert not any("Pekerja Terdata" in shown(c.value) for c in at.caption)  # recognised now
    assert [b for b in at.button if b.label == t("upload.use_this", "id")]
    assert not any("ESTIMASI" in shown(w.value) for w in at.warning)           # the file's own workers now

    # Next month's file with the same header: the remembered roles apply without asking.
    again = AppTest.from_file(PAGE, default_timeout=60)
    again.run()
    again.file_uploader[0].set_value(("bulan2.csv", (MAPPED_HEADER + "32.05.01.1001;110;12\n").encode(),
                                      "text/csv")).run()
    assert not again.exception, again.exception
    assert not any("Pekerja Terdata" in shown(c.value) for c in again.caption)
    assert [b for b in again.button if b.label == t("upload.use_this", "id")]


def test_update_some_desa_in_the_current_data():
    """The sample keeps every desa except the two the file gives; the data is still labelled sample."""
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    content = b"kode_desa,pekerja,peserta_aktif,periode\n32.05.01.1001,7000,5000,2024-12\n32.05.01.1002,4400,4000,2024-12\n"
    at.file_uploader[0].set_value(("pembaruan.csv", content, "text/csv")).run()
    button = next(b for b in at.button if b.label.startswith("Perbarui 2 desa"))
    button.click().run()
    assert not at.exception, at.exception
    assert any("2 desa diperbarui dari pembaruan.csv" in shown(s.value) for s in at.success)
    combined = at.session_state["upload"]
    assert combined["base"] is None and [u[0] for u in combined["updates"]] == ["pembaruan.csv"]


def test_update_dataset_replaces_only_the_given_desa(garut_gpkg):
    from analysis.dataset import load_coverage, update_dataset

    sample = load_coverage()
    update = load_coverage(b"kode_desa,pekerja,peserta_aktif,periode\n32.05.01.1001,7000,5000,2024-12\n",
                           filename="pembaruan.csv")
    merged = update_dataset(sample, update)
    desa = merged.result.desa.set_index("kode")
    before = sample.result.desa.set_index("kode")
    assert (desa.loc["32.05.01.1001", "workers"], desa.loc["32.05.01.1001", "covered"]) == (7000, 5000)
    assert desa.loc["32.05.01.1002", "covered"] == before.loc["32.05.01.1002", "covered"]
    assert merged.result.kabupaten["covered"] == 186_000 - before.loc["32.05.01.1001", "covered"] + 5000
    assert merged.is_sample and merged.sources["32.05.01.1001"] == "pembaruan.csv"
    assert merged.sources["32.05.01.1002"] == "coverage_desa.csv"
    assert merged.result.periods == ["2024-06", "2024-12"]


def test_a_long_list_of_problems_says_what_it_leaves_out(monkeypatch):
    monkeypatch.setenv("PETA_MAX_LISTED_PROBLEMS", "2")
    rows = "".join(f"99.99.99.{i:04d};100;10\n" for i in range(5))
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    at.file_uploader[0].set_value(("salah.csv", ("kode_desa;pekerja;peserta_aktif\n32.05.01.1001;100;10\n" + rows).encode(),
                                   "text/csv")).run()
    assert not at.exception, at.exception
    assert metric_values(at)["Baris ditolak"] == "5"
    frames = {s.value: df.value for s, df in zip(at.subheader, at.dataframe)}
    assert len(frames["Baris ditolak (2)"]) == 2
    note = next(shown(c.value) for c in at.caption if "masalah pertama" in shown(c.value))
    assert "2 masalah pertama dari 5" in note and "kode wilayah tidak dikenal: 5" in note

"""Sponsored cohorts: checks, the store, the monthly forecast (drops when funding ends), sponsors needed by a month."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import openpyxl
import pytest

from analysis.cohorts import CohortStore, cohort_table, forecast, forecast_for
from analysis.whatif import sponsors_needed
from core.errors import ConfigError, InputFileError
from geo.paths import PROJECT_ROOT
from ingest.cohorts import Cohort, check_cohort, month_text, read_cohorts

CODES = frozenset({"32.05.01", "32.05.01.1001", "32.05.30", "32.05.30.2005"})


def test_a_cohort_ending_in_december_lowers_january_by_its_size():
    cohorts = [Cohort(400, "32.05.30", "DBHCHT", "2025-09", "2025-12"), Cohort(1000, "32.05.01", "ASN", "2025-01",
                                                                             "2026-12")]
    months = forecast(30_000, 9_000, cohorts, "2025-08", "2026-02", target=0.7).set_index("month")
    assert months.loc["2025-12", "sponsored"] - months.loc["2026-01", "sponsored"] == 400
    assert months.loc["2026-01", "change"] == -400 and months.loc["2025-12", "ending"] == 400
    assert months.loc["2025-09", "change"] == 400 and months.loc["2025-08", "change"] == 0   # ASN ran before
    assert months.loc["2025-10", "coverage_rate"] == pytest.approx((9_000 + 1_400) / 30_000)
    assert months.loc["2025-10", "gap_to_target"] == 21_000 - 10_400
    assert months.loc["2025-10", ["sponsored_DBHCHT", "sponsored_ASN", "sponsored_CSR"]].tolist() == [400, 1000, 0]


def test_checks_name_what_is_wrong():
    assert check_cohort("1.200", "32.05.30", "dbhcht", "2025-09", "2025-12-31", CODES) == Cohort(
        1200, "32.05.30", "DBHCHT", "2025-09", "2025-12")
    cases = [((0, "32.05.30", "ASN", "2025-01", "2025-02"), "cohort.bad_count"),
             ((1.5, "32.05.30", "ASN", "2025-01", "2025-02"), "cohort.bad_count"),
             (("1.5", "32.05.30", "ASN", "2025-01", "2025-02"), "cohort.bad_count"),     # not 15
             ((5, "32.05.99", "ASN", "2025-01", "2025-02"), "cohort.bad_area"),
             ((5, "32.05.30", "Dana Desa", "2025-01", "2025-02"), "cohort.bad_source"),
             ((5, "32.05.30", "ASN", "2025-13", "2025-02"), "cohort.bad_start_month"),
             ((5, "32.05.30", "ASN", "2025-01", "Des 2025"), "cohort.bad_end_month"),
             ((5, "32.05.30", "ASN", "2025-05", "2025-02"), "cohort.end_before_start")]
    for args, key in cases:
        with pytest.raises(ConfigError) as caught:
            check_cohort(*args, CODES)
        assert caught.value.key == key, args
    with pytest.raises(ConfigError) as caught:
        check_cohort(5, "32.05.30", "Dana Desa", "2025-01", "2025-02", CODES)
    assert "use one of: ASN, APBD, APBDes, DBHCHT, CSR, lainnya" in caught.value.message("en")
    assert month_text("2025-07-15") == "2025-07"


def test_the_store_keeps_cohorts(app_db):
    store = CohortStore(app_db)
    first = store.add(Cohort(400, "32.05.30", "DBHCHT", "2025-09", "2025-12"))
    store.add(Cohort(50, "32.05.01.1001", "APBDes", "2025-01", "2025-06"))
    table = cohort_table(store.all())
    assert table[["count", "kecamatan_kode", "source"]].values.tolist() == [[400, "32.05.30", "DBHCHT"],
                                                                            [50, "32.05.01", "APBDes"]]
    store.delete(first)
    assert [c.count for c in store.all()] == [50]


def test_a_file_with_bad_rows_is_refused_naming_each():
    text = ("jumlah;kode;sumber_dana;mulai;selesai\n400;32.05.30;DBHCHT;2025-09;2025-12\n"
            "x;32.05.99;Dana Desa;2025-13;2025-02\n")
    with pytest.raises(InputFileError) as caught:
        read_cohorts(text.encode(), CODES, "kohort.csv")
    message = caught.value.message("en")
    assert caught.value.key == "cohorts.rows_refused" and caught.value.params["n"] == 1
    assert message.startswith("kohort.csv: the cohort list is refused, 1 problem(s): row 3: The cohort's worker count")
    book = openpyxl.Workbook()
    book.active.append(["Jumlah pekerja", "Kode wilayah", "Sumber dana", "Bulan mulai", "Bulan selesai"])
    book.active.append([400, "32.05.30", "DBHCHT", "2025-09", "2025-12"])
    buffer = io.BytesIO()
    book.save(buffer)
    assert read_cohorts(buffer.getvalue(), CODES, "kohort.xlsx") == [Cohort(400, "32.05.30", "DBHCHT", "2025-09",
                                                                           "2025-12")]
    with pytest.raises(InputFileError) as caught:
        read_cohorts(b"a,b\n1,2\n", CODES, "x.csv")
    assert caught.value.key == "cohorts.no_header"


def test_sponsors_needed_by_a_month_count_the_cohorts_funded_then(garut_gpkg):
    from analysis.dataset import load_coverage

    result = load_coverage().result
    cohorts = [Cohort(400, "32.05.30", "DBHCHT", "2025-09", "2025-12"), Cohort(1000, "32.05.01", "ASN", "2025-01",
                                                                             "2026-12")]
    december = sponsors_needed(result, cohorts=cohorts, by="2025-12")
    january = sponsors_needed(result, cohorts=cohorts, by="2026-01")
    assert (december.total, december.already_sponsored) == (399_200 - 1_400, 1_400)
    assert january.total == december.total + 400                     # the DBHCHT cohort has ended
    assert december.kecamatan["sponsors"].sum() == december.total
    row = december.kecamatan.set_index("kode").loc["32.05.01"]
    assert row["already_sponsored"] == 1000
    assert december.yearly_cost_rp == december.total * 16_800 * 12
    months = forecast_for(result, cohorts, by="2026-02", today=__import__("datetime").date(2025, 11, 5))
    assert months["month"].iloc[0] == "2025-01" and months["month"].iloc[-1] == "2027-01"   # past the ASN end


def test_cli_whatif_by_and_cohorts_prints_one_json_object(tmp_path, garut_gpkg):
    path = tmp_path / "kohort.csv"
    path.write_text("jumlah;kode;sumber_dana;mulai;selesai\n400;32.05.30;DBHCHT;2025-09;2025-12\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "analysis", "whatif", "--target", "0.70", "--by", "2025-12",
                           "--cohorts", str(path)], cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert (out["sponsors_needed"], out["already_sponsored"], out["by"]) == (398_800, 400, "2025-12")
    assert out["yearly_cost_rp"] == 398_800 * 16_800 * 12 and len(out["per_kecamatan"]) == 42
    assert out["cohorts"] == {"source": str(path), "count": 1, "workers": 400}
    by_month = {m["month"]: m for m in out["forecast"]}
    assert by_month["2025-12"]["sponsored"] == 400 and by_month["2025-12"]["ending"] == 400
    bad = subprocess.run([sys.executable, "-m", "analysis", "whatif", "--by", "Desember"], cwd=PROJECT_ROOT,
                         capture_output=True, text=True, check=False, env={**os.environ, "PETA_LANG": "en"})
    assert bad.returncode != 0 and "'Desember' is not a month; write YYYY-MM" in bad.stderr


def test_the_whatif_page_records_a_cohort_forecasts_the_drop_and_answers_by_december(garut_gpkg, tmp_path,
                                                                                     monkeypatch):
    import datetime as dt

    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PETA_APP_DB", str(tmp_path / "app.db"))
    today = dt.date.today()
    end = f"{today.year:04d}-12"
    at = AppTest.from_string("from ui.pages.whatif import render\nrender()", default_timeout=60)
    at.run()
    assert "Belum ada kohort bersponsor tercatat." in [c.value for c in at.caption]
    at.number_input(key="cohort_count").set_value(400)
    at.selectbox(key="cohort_source").set_value("DBHCHT")
    at.selectbox(key="cohort_area").set_value("32.05.30")
    at.selectbox(key="cohort_start").set_value(month_text(today))
    at.selectbox(key="cohort_end").set_value(end)
    next(b for b in at.get("form_submit_button") if b.label == "Simpan kohort").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert [c.count for c in CohortStore(tmp_path / "app.db").all()] == [400]
    cohorts = next(d.value for d in at.dataframe if "Sumber dana" in d.value.columns)
    assert cohorts.iloc[0].tolist()[:3] == ["400", "Kec. Cikelet (seluruh kecamatan)", "DBHCHT (cukai hasil tembakau)"]
    january = f"Januari {today.year + 1}"
    assert any(w.value.startswith(f"{january}: cakupan turun 400 pekerja") for w in at.warning)
    at.button(key="wi_needed").click().run()
    answer = at.success[0].value
    assert answer.startswith(f"398.800 pekerja perlu disponsori untuk mencapai 70% pada Desember {today.year}")
    assert "di luar 400 pekerja kohort" in answer
    at.selectbox(key="wi_by").set_value(f"{today.year + 1:04d}-01").run()
    at.button(key="wi_needed").click().run()
    assert at.success[0].value.startswith("399.200 pekerja")                # the cohort has ended by January

"""``python -m analysis coverage``: the JSON report, exit codes, GeoPackage output."""

from __future__ import annotations

import json

import pyogrio

from analysis.sample import SAMPLE_PATH
from cli.main import main as cli_main


def run_cli(capsys, *args: str, lang: str = "id") -> tuple[int, dict | None, str]:
    code = cli_main(["coverage", *args, "--lang", lang])
    captured = capsys.readouterr()
    out = captured.out.strip()
    return code, (json.loads(out) if out else None), captured.err


def test_sample_report_totals_and_outputs(tmp_path, capsys):
    gpkg, report_file = tmp_path / "cakupan.gpkg", tmp_path / "laporan.json"
    code, report, _ = run_cli(capsys, str(SAMPLE_PATH), "--out", str(gpkg), "--report", str(report_file))
    assert code == 0
    assert (report["rows_in"], report["rows_matched"], report["rows_rejected"]) == (884, 884, 0)
    assert report["totals"]["workers"] == 836_000 and report["totals"]["covered"] == 186_000
    assert report["totals"]["period"] == "2024-12" and report["sample"] is True
    assert report["totals"]["gap_to_target"] == 399_200  # ceil(0.7 * 836,000) - 186,000
    assert {m["method"] for m in report["matches"]} == {"code"}
    assert json.loads(report_file.read_text(encoding="utf-8")) == report
    layers = dict(pyogrio.list_layers(gpkg))
    assert set(layers) == {"desa", "kecamatan", "keterangan"}
    desa = pyogrio.read_dataframe(gpkg, layer="desa")
    assert len(desa) == 442 and desa["workers"].sum() == 836_000
    notes = pyogrio.read_dataframe(gpkg, layer="keterangan", read_geometry=False)
    assert "DATA CONTOH" in notes.set_index("key").loc["data_contoh", "value"]


def test_rejected_rows_still_exit_zero_and_are_accounted_for(tmp_path, capsys):
    path = tmp_path / "cakupan.csv"
    path.write_text(
        "kode_desa;pekerja;peserta_aktif\n"
        "32.05.01.1001;1.200;300\n"      # ok, Indonesian thousands separator
        "32.05.99.9999;100;10\n"         # unknown code
        "32.05.01.1002;100;150\n",       # covered > workers
        encoding="utf-8",
    )
    code, report, _ = run_cli(capsys, str(path), "--target", "0.5")
    assert code == 0
    assert (report["rows_in"], report["rows_matched"], report["rows_rejected"]) == (3, 1, 2)
    assert sorted(p["row"] for p in report["problems"]) == [3, 4]
    assert report["totals"]["workers"] == 1200 and report["totals"]["gap_to_target"] == 300
    assert report["sample"] is False


def test_unreadable_file_exits_two_with_one_clear_message(tmp_path, capsys):
    path = tmp_path / "foto.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    code, report, err = run_cli(capsys, str(path), lang="en")
    assert code == 2 and report is None
    assert err.startswith("error: ") and "foto.csv" in err and len(err.strip().splitlines()) == 1


def test_participant_file_reports_member_counts_only(tmp_path, capsys):
    from geo.paths import PROJECT_ROOT

    path = PROJECT_ROOT / "tests" / "fixtures" / "coverage" / "24_participants_nik.csv"
    code, report, _ = run_cli(capsys, str(path))
    assert code == 0 and report["participant"] is True
    assert report["totals"]["workers"] is None and report["totals"]["coverage_rate"] is None
    assert report["totals"]["covered"] == report["rows_matched"]
    assert "3205014101900001" not in json.dumps(report)
    code, _, err = run_cli(capsys, str(path), "--out", str(tmp_path / "x.gpkg"), lang="en")
    assert code == 2 and "participant file gives member counts only" in err

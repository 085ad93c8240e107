"""``python -m analysis export``: files written, names, and exit 2 on bad combinations."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from cli.main import main
from geo.paths import PROJECT_ROOT


def _run(capsys, *args: str) -> tuple[int, str, str]:
    if "--lang" not in args:
        args = (*args, "--lang", "id")  # the tests' files say Indonesian unless they ask otherwise
    code = main(["export", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_csv_to_a_folder_gets_a_descriptive_name(tmp_path, capsys, garut_gpkg):
    code, out, _ = _run(capsys, "--what", "data", "--format", "csv", "--level", "kecamatan", "--out", str(tmp_path))
    assert code == 0
    summary = json.loads(out)
    path = tmp_path / "data_cakupan_kecamatan_2024-12_contoh.csv"
    assert summary["out"] == str(path) and summary["sample"] is True
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 43 and rows[0][1] == "Kecamatan"


def test_format_follows_the_out_extension(tmp_path, capsys, garut_gpkg):
    code, out, _ = _run(capsys, "--what", "data", "--level", "desa", "--out", str(tmp_path / "desa.geojson"))
    assert code == 0 and json.loads(out)["format"] == "geojson"
    assert len(json.loads((tmp_path / "desa.geojson").read_bytes())["features"]) == 442


@pytest.mark.parametrize(("args", "message"), [
    (["--what", "briefing", "--format", "csv", "--out", "x.csv"], "formats for briefing: pdf"),
    (["--what", "map", "--format", "html", "--dpi", "300", "--out", "x.html"], "--dpi applies to PNG only"),
    (["--what", "data", "--format", "xlsx", "--size", "16:9", "--out", "x.xlsx"], "--size applies to PNG and PDF"),
    (["--what", "map", "--format", "png", "--out", "x.pdf"], "does not end in .png"),
    (["--what", "map", "--format", "png", "--level", "kecamatan", "--kec", "32.05.01", "--out", "x.png"],
     "use --level desa"),
    (["--what", "data", "--format", "csv", "--show-sites", "--out", "x.csv"], "maps only"),
])
def test_bad_combinations_exit_2_with_a_clear_message(args, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = _run(capsys, *args, "--lang", "en")
    assert code == 2 and out == ""
    assert err.startswith("error: ") and message in err
    assert not any(tmp_path.iterdir()), "nothing is written"


def test_argparse_refuses_unknown_choices(capsys):
    with pytest.raises(SystemExit) as info:
        main(["export", "--what", "map", "--format", "png", "--dpi", "72", "--out", "x.png"])
    assert info.value.code == 2
    assert "invalid choice: 72" in capsys.readouterr().err


def test_module_entry_point_writes_a_png(tmp_path, garut_gpkg):
    out = tmp_path / "peta.png"
    result = subprocess.run(
        [sys.executable, "-m", "analysis", "export", "--what", "map", "--format", "png", "--level", "kecamatan",
         "--metric", "gap_to_target", "--size", "16:9", "--out", str(out)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert json.loads(result.stdout)["bytes"] == out.stat().st_size


@pytest.mark.parametrize("what, fmt", [("map", "html"), ("data", "csv"), ("briefing", "pdf")])
def test_a_file_with_no_matched_row_exits_2_saying_why(what, fmt, tmp_path, capsys, garut_gpkg):
    rejected = tmp_path / "ditolak.csv"
    rejected.write_text("kode_desa,desa,pekerja,peserta_aktif\n32.05.01.1001,Bukan Nama Desanya,100,20\n"
                        "Jumlah,,100,20\n", encoding="utf-8")
    code, out, err = _run(capsys, "--what", what, "--format", fmt, "--coverage", str(rejected),
                          "--out", str(tmp_path / f"x.{fmt}"))
    assert code == 2 and out == "" and "Traceback" not in err
    assert "ditolak.csv: tidak ada angka cakupan untuk diekspor: 0 dari 2 baris cocok (2 ditolak)" in err
    assert "python -m analysis coverage ditolak.csv" in err and not (tmp_path / f"x.{fmt}").exists()

"""``python -m analysis bench``: rows with a baseline and their ratio, as a table and as one JSON object."""

from __future__ import annotations

import json
import subprocess
import sys

from cli.bench import BenchRow, as_json, format_table
from geo.paths import PROJECT_ROOT


def test_a_row_with_a_baseline_has_its_ratio_in_the_table_and_the_json():
    rows = [BenchRow("ingest", "1 M participants by code", 0.5, "s", target="<= 1 s", ok=True,
                     baseline=0.25, baseline_name="pandas usecols"),
            BenchRow("map", "HTML size", 0.8, "MB")]
    assert rows[0].ratio == 2.0 and rows[1].ratio is None
    assert BenchRow("x", "y", 1.0, "s", baseline=0.0).ratio is None
    table = format_table(rows).splitlines()
    assert table[0].split() == ["group", "benchmark", "value", "unit", "baseline", "ratio", "target", "ok"]
    assert "0.25 (pandas usecols)" in table[2] and "2x" in table[2] and table[2].rstrip().endswith("yes")
    assert "0.8 " in table[3]
    data = as_json(rows)
    assert data["machine"]["cpus"] >= 1
    assert [r["ratio"] for r in data["rows"]] == [2.0, None]
    assert data["rows"][0]["baseline_name"] == "pandas usecols"


def test_the_classify_group_runs_from_the_command_line_as_json():
    out = subprocess.run([sys.executable, "-m", "analysis", "bench", "--only", "classify", "--quick", "--json"],
                         cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120, check=True).stdout
    rows = {r["name"]: r for r in json.loads(out)["rows"]}
    cold = rows["natural breaks, 5,957 values (cold)"]
    assert cold["unit"] == "s" and cold["value"] > 0 and cold["ok"] is not None
    small = rows["natural breaks, 442 values (cold)"]
    assert small["baseline"] > 0 and small["ratio"] == small["value"] / small["baseline"]

"""Start-up of the command line: ``--help`` and a CSV export import only what they use."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from geo.paths import PROJECT_ROOT

#: Libraries a command may load only when it draws, writes a workbook, plans trips or serves the app.
HEAVY = ("openpyxl", "matplotlib", "folium", "branca", "mapclassify", "jenkspy", "ortools", "streamlit",
         "scipy", "sklearn")

_PROBE = """
import json, sys
from cli.main import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted({name.split('.')[0] for name in sys.modules})), file=sys.stderr)
"""


def _loaded(*args: str) -> set[str]:
    run = subprocess.run([sys.executable, "-c", _PROBE, *args], cwd=PROJECT_ROOT, capture_output=True,
                         text=True, timeout=120)
    return set(json.loads(run.stderr.strip().splitlines()[-1]))


def test_help_loads_no_data_library():
    loaded = _loaded("--help")
    assert not loaded & {"pandas", "numpy", "geopandas", "shapely", "pyogrio", *HEAVY}, loaded


@pytest.mark.slow
def test_a_csv_export_loads_no_drawing_or_workbook_library(tmp_path):
    out = tmp_path / "desa.csv"
    loaded = _loaded("export", "--what", "data", "--format", "csv", "--out", str(out))
    assert out.stat().st_size > 10_000                     # the export was written
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))

"""Command-line start-up: ``python -m analysis --help`` and a CSV export, against ``import geopandas``.

Each is a fresh interpreter (the figure a planner waits for), best of 3.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from cli.bench import BenchRow, best_of
from geo.paths import PROJECT_ROOT

#: ``--help`` must answer within this (issue 13).
HELP_TARGET_S = 1.5


def _python(*args: str) -> float:
    return best_of(lambda: subprocess.run([sys.executable, *args], cwd=PROJECT_ROOT, check=True,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL), repeat=3)


def run(quick: bool = False) -> list[BenchRow]:
    """Time ``--help`` and ``export --what data --format csv`` in fresh interpreters."""
    baseline = _python("-c", "import geopandas")
    help_s = _python("-m", "analysis", "--help")
    rows = [BenchRow("startup", "python -m analysis --help", help_s, "s", target=f"<= {HELP_TARGET_S:g} s",
                     ok=help_s <= HELP_TARGET_S, baseline=baseline, baseline_name='python -c "import geopandas"')]
    with tempfile.TemporaryDirectory() as tmp:
        csv_s = _python("-m", "analysis", "export", "--what", "data", "--format", "csv",
                        "--out", str(Path(tmp) / "desa.csv"))
    rows.append(BenchRow("startup", "python -m analysis export --what data --format csv (desa)", csv_s, "s",
                         baseline=baseline, baseline_name='python -c "import geopandas"'))
    return rows

"""``python -m analysis bench``: speed and size benchmarks, printed as a table.

Benchmarks live in ``benchmarks/bench_<group>.py``; each module defines
``run(quick: bool) -> list[BenchRow]``.  ``--quick`` skips the slow rows
(province-wide builds, million-row files) so the command can be smoke-tested.
Targets are checked here, not in timed tests.

A row may carry a **baseline** measured in the same run (the same work done
the plain way: a static Folium HTML, pandas ``usecols``, geopandas ``sjoin``,
``python -c "import geopandas"`` ...) and then the ratio project/baseline, so
the figures can be compared across machines.  ``--json`` prints one JSON
object: ``{"machine": {...}, "rows": [...]}``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pkgutil
import platform
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass

from core.i18n import t
from geo.paths import PROJECT_ROOT


@dataclass
class BenchRow:
    """One measured figure.

    Attributes
    ----------
    group : str
        Benchmark module, e.g. ``"boundaries"``.
    name : str
        What was measured.
    value : float
        The figure.
    unit : str
        ``"s"``, ``"MB"``, ``"rows/s"`` ...
    target : str
        The target it is held against, if any (e.g. ``"<= 0.5 MB"``).
    ok : bool or None
        Whether the target is met (None when there is no target).
    baseline : float or None
        The same work done the plain way, measured in the same run, in ``unit``.
    baseline_name : str
        What the baseline is (e.g. ``"pandas read_csv(usecols) + groupby"``).
    """

    group: str
    name: str
    value: float
    unit: str
    target: str = ""
    ok: bool | None = None
    baseline: float | None = None
    baseline_name: str = ""

    @property
    def ratio(self) -> float | None:
        """``value / baseline`` (None without a baseline, or a zero one)."""
        if self.baseline is None or self.baseline == 0:
            return None
        return self.value / self.baseline

    def as_dict(self) -> dict:
        """The row as JSON-ready data, its ratio included."""
        return {**asdict(self), "ratio": self.ratio}


@contextmanager
def stopwatch() -> Iterator[Callable[[], float]]:
    """Context manager yielding a function that returns the elapsed seconds."""
    start = time.perf_counter()
    end: list[float] = []
    yield lambda: (end[0] if end else time.perf_counter()) - start
    end.append(time.perf_counter())


def best_of(fn: Callable[[], object], repeat: int = 3) -> float:
    """Return the fastest of ``repeat`` timed calls of ``fn``, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def groups() -> list[str]:
    """Return the names of the benchmark modules under ``benchmarks/``."""
    return sorted(
        m.name.removeprefix("bench_")
        for m in pkgutil.iter_modules([str(PROJECT_ROOT / "benchmarks")])
        if m.name.startswith("bench_")
    )


def run_benchmarks(only: list[str] | None = None, quick: bool = False) -> list[BenchRow]:
    """Run the benchmark modules and return their rows."""
    rows: list[BenchRow] = []
    for group in only or groups():
        module = importlib.import_module(f"benchmarks.bench_{group}")
        rows.extend(module.run(quick=quick))
    return rows


def format_table(rows: list[BenchRow]) -> str:
    """Format rows as a fixed-width text table."""
    header = ("group", "benchmark", "value", "unit", "baseline", "ratio", "target", "ok")
    body = [
        (r.group, r.name, _figure(r.value), r.unit,
         "" if r.baseline is None else f"{_figure(r.baseline)} ({r.baseline_name})",
         "" if r.ratio is None else f"{r.ratio:.3g}x", r.target,
         "" if r.ok is None else ("yes" if r.ok else "NO"))
        for r in rows
    ]
    widths = [max(len(str(c)) for c in col) for col in zip(header, *body)]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(line, widths)) for line in (header, *body)]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _figure(value: float) -> str:
    """A figure with three decimals, or three significant digits below 1 (0.000731, not 0.001)."""
    return f"{value:,.3f}" if abs(value) >= 1 or value == 0 else f"{value:.3g}"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``bench`` sub-command."""
    parser = subparsers.add_parser("bench", help=t("cli.help.bench"))
    parser.add_argument("--only", action="append", choices=groups(), help="run only this group (repeatable)")
    parser.add_argument("--quick", action="store_true", help="skip slow rows (province builds, million-row files)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    rows = run_benchmarks(args.only, quick=args.quick)
    print(json.dumps(as_json(rows), indent=1) if args.json else format_table(rows))
    return 0


def as_json(rows: list[BenchRow]) -> dict:
    """The run as one JSON-ready object: the machine it ran on and every row."""
    return {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                        "platform": platform.platform()},
            "rows": [r.as_dict() for r in rows]}

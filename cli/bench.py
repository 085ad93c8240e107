"""``python -m analysis bench``: speed and size benchmarks, printed as a table.

Benchmarks live in ``benchmarks/bench_<group>.py``; each module defines
``run(quick: bool) -> list[BenchRow]``.  ``--quick`` skips the slow rows
(province-wide builds, million-row files) so the command can be smoke-tested.
Targets are checked here, not in timed tests.
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
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
    """

    group: str
    name: str
    value: float
    unit: str
    target: str = ""
    ok: bool | None = None


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
    header = ("group", "benchmark", "value", "unit", "target", "ok")
    body = [
        (r.group, r.name, f"{r.value:,.3f}", r.unit, r.target,
         "" if r.ok is None else ("yes" if r.ok else "NO"))
        for r in rows
    ]
    widths = [max(len(str(c)) for c in col) for col in zip(header, *body)]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(line, widths)) for line in (header, *body)]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``bench`` sub-command."""
    parser = subparsers.add_parser("bench", help=t("cli.help.bench"))
    parser.add_argument("--only", action="append", choices=groups(), help="run only this group (repeatable)")
    parser.add_argument("--quick", action="store_true", help="skip slow rows (province builds, million-row files)")
    parser.add_argument("--json", action="store_true", help="print JSON rows instead of a table")
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    rows = run_benchmarks(args.only, quick=args.quick)
    print(json.dumps([asdict(r) for r in rows]) if args.json else format_table(rows))
    return 0

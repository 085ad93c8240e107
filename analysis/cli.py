"""Command-line interface: ``python -m analysis <command> ...``.

Each command lives in its own module that defines ``register(subparsers)``;
the parser it adds sets ``func(args) -> int`` (the exit code).  Errors the
project raises on purpose (:class:`geo.errors.PetaCakupanError`) are printed
as one clear line on stderr with exit code 2, never as a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from geo.errors import PetaCakupanError

#: Modules that register a sub-command, in the order ``--help`` lists them.
COMMAND_MODULES = (
    "analysis.cmd_boundaries",
    "analysis.cmd_coverage",
    "analysis.bench",
    "analysis.cmd_sample",
    "analysis.cmd_sites",
    "analysis.cmd_priorities",
    "analysis.cmd_export",
)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every registered sub-command."""
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Peta Cakupan Jamsostek Garut: data build, analysis and benchmarks.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except PetaCakupanError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

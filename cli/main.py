"""Command-line interface: ``python -m analysis <command> ...`` (also ``python -m cli``).

Each command lives in its own module of this package that defines
``register(subparsers)``; the parser it adds sets ``func(args) -> int`` (the
exit code).  Only the module of the command that runs is imported, so
``--help`` and a CSV export do not pay for the map and PDF libraries.
Errors the project raises on purpose (:class:`core.errors.PetaCakupanError`)
are printed as one clear line on stderr with exit code 2, never as a
traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from core.errors import PetaCakupanError
from core.i18n import LANGS, env_lang, t
from geo.region import region_in_use, use_region

#: Command name -> module that registers it, in the order ``--help`` lists them.
COMMANDS: dict[str, str] = {
    "boundaries": "cli.boundaries",
    "coverage": "cli.coverage",
    "bench": "cli.bench",
    "sample": "cli.sample",
    "sites": "cli.sites",
    "companies": "cli.companies",
    "priorities": "cli.priorities",
    "export": "cli.export",
    "template": "cli.template",
    "denominator": "cli.denominator",
    "whatif": "cli.whatif",
    "visits": "cli.visits",
    "trend": "cli.trend",
    "users": "cli.users",
    "audit": "cli.audit",
}
#: Kept for callers that list the modules.
COMMAND_MODULES = tuple(COMMANDS.values())


def _requested(argv: list[str]) -> str | None:
    """The command named in ``argv`` (the first word that is one), or None."""
    return next((word for word in argv if word in COMMANDS), None)


class _WithCommonOptions:
    """Wraps argparse's sub-parser action so that every command gets the common options (``--lang``)."""

    def __init__(self, subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
        self._subparsers = subparsers
        self._common = common

    def add_parser(self, name: str, **kwargs: object) -> argparse.ArgumentParser:
        kwargs.setdefault("parents", [self._common])
        return self._subparsers.add_parser(name, **kwargs)


def _common_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", choices=LANGS, default=env_lang(), help=t("cli.help.lang", env_lang()))
    common.add_argument("--region", default=None, help=t("cli.help.region", env_lang()))
    return common


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """Return the argument parser; only the command named in ``argv`` is imported.

    Parameters
    ----------
    argv : list of str, optional
        The arguments to be parsed.  ``None`` registers every command fully
        (imports all command modules), for documentation and tests.
    """
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Peta Cakupan Jamsostek Garut: data build, analysis and benchmarks.",
    )
    subparsers = _WithCommonOptions(parser.add_subparsers(dest="command", required=True), _common_options())
    wanted = None if argv is None else _requested(argv)
    for name, module in COMMANDS.items():
        if argv is None or name == wanted:
            importlib.import_module(module).register(subparsers)
        else:
            subparsers.add_parser(name, help=t(f"cli.help.{name}", env_lang()), add_help=False, parents=[])
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(argv).parse_args(argv)
    try:
        # the region every step of the command works on (files, boundaries, estimates, maps)
        args.region = use_region(args.region) if args.region else region_in_use()
        return int(args.func(args) or 0)
    except PetaCakupanError as exc:
        print(f"{t('cli.error_prefix', args.lang)}: {exc.message(args.lang)}", file=sys.stderr)
        return 2

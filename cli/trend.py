"""``python -m analysis trend``: coverage by period, the pace, the pace needed and when the target is reached."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from analysis.dataset import load_coverage
from analysis.trend import dataset_trend
from core.i18n import localize_all, t
from render.exports.text import trend_sentences


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``trend`` sub-command."""
    parser = subparsers.add_parser("trend", help=t("cli.help.trend"), description=t("cli.help.trend"))
    parser.add_argument("--kecamatan", default=None, help=t("cli.help.trend_kecamatan"))
    parser.add_argument("--coverage", type=Path, default=None, help=t("cli.help.whatif_coverage"))
    parser.add_argument("--json", action="store_true", help=t("cli.help.trend_json"))
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the trend as one JSON object (``--json``) or as a few lines of text."""
    dataset = load_coverage(args.coverage)
    trend = dataset_trend(dataset, args.kecamatan)
    out = {**localize_all(trend.as_json(), args.lang), "source": dataset.source_name, "sample": dataset.is_sample}
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
    else:
        for line in trend_lines(trend, args.lang):
            print(line)
    return 0


def trend_lines(trend, lang: str) -> list[str]:
    """The trend in words, one line a figure."""

    return trend_sentences(trend, lang)

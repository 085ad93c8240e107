"""``python -m analysis whatif``: sponsored workers needed to reach a target, their yearly cost, and a forecast."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

import pandas as pd

from analysis.cohorts import CohortStore, forecast_for
from analysis.config import load_config
from analysis.dataset import load_coverage
from analysis.whatif import sponsors_needed
from core.errors import CoverageInputError, PetaCakupanError
from core.i18n import env_lang, t
from geo.boundaries import load_layer
from ingest.appdb import app_database
from ingest.cohorts import month_text, read_cohorts


def _month(text: str) -> str:
    try:
        return month_text(text)
    except ValueError:
        raise argparse.ArgumentTypeError(t("cli.not_a_month", env_lang(), text=repr(text))) from None


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``whatif`` sub-command."""
    parser = subparsers.add_parser("whatif", help=t("cli.help.whatif"), description=t("cli.help.whatif"))
    parser.add_argument("--target", type=float, default=0.70, help=t("cli.help.whatif_target"))
    parser.add_argument("--coverage", type=Path, default=None, help=t("cli.help.whatif_coverage"))
    parser.add_argument("--by", type=_month, default=None, help=t("cli.help.whatif_by"))
    parser.add_argument("--cohorts", type=Path, default=None, help=t("cli.help.whatif_cohorts"))
    parser.set_defaults(func=run)


def known_codes() -> frozenset[str]:
    """Desa and kecamatan codes a cohort may name."""
    return frozenset(load_layer("desa")["kode"]) | frozenset(load_layer("kecamatan")["kode"])


def run(args: argparse.Namespace) -> int:
    """Print one JSON object: sponsors needed (total, per kecamatan), yearly cost, cohorts, monthly forecast."""
    dataset = load_coverage(args.coverage)
    if dataset.result is None:
        raise CoverageInputError("whatif.no_workers", file=dataset.source_name)
    config = load_config()
    if args.cohorts is not None:
        cohorts, cohort_source = read_cohorts(args.cohorts, known_codes()), str(args.cohorts)
    else:
        db = app_database(config.database)
        cohorts = CohortStore(db).all() if db.exists() else []
        cohort_source = db.display_url if cohorts else None
    try:
        needed = sponsors_needed(dataset.result, target=args.target, config=config, cohorts=cohorts,
                                 by=args.by or month_text(dt.date.today()))
    except ValueError:
        raise CoverageInputError("whatif.bad_target", target=repr(args.target)) from None
    try:
        months = forecast_for(dataset.result, cohorts, by=args.by, today=dt.date.today())
    except ValueError as exc:
        raise PetaCakupanError("whatif.bad_forecast", detail=str(exc)) from None
    out = {**needed.as_json(), "source": dataset.source_name, "sample": dataset.is_sample,
           "cohorts": {"source": cohort_source, "count": len(cohorts),
                       "workers": int(sum(c.count for c in cohorts))},
           "forecast": _records(months)}
    print(json.dumps(out, ensure_ascii=False))
    return 0


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    return [{k: (round(v, 6) if isinstance(v, float) else v.item() if hasattr(v, "item") else v)
             for k, v in row.items()} for row in frame.to_dict("records")]

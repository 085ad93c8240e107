"""``python -m analysis companies``: check a companies file (PWBD/PDS) and write follow-up letters."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

import pandas as pd

from analysis.company_steps import StepLog, follow_up_list
from analysis.compliance import (
    by_area,
    by_sector,
    company_status,
    sector_label_key,
    status_counts,
)
from analysis.config import load_config
from analysis.sample_companies import SAMPLE_COMPANIES_PATH, is_sample_companies
from cli.actor import record
from core.i18n import localize_all, t
from geo.boundaries import region_name
from ingest.companies import read_companies


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``companies`` sub-command."""
    parser = subparsers.add_parser("companies", help=t("cli.help.companies"),
                                   description=t("cli.companies.description"))
    parser.add_argument("--check", metavar="FILE", type=Path, help=t("cli.companies.check"))
    parser.add_argument("--letters", action="store_true", help=t("cli.companies.letters"))
    parser.add_argument("--file", metavar="FILE", type=Path, default=None, help=t("cli.companies.file"))
    parser.add_argument("--out", metavar="DIR", type=Path, default=None, help=t("cli.companies.out"))
    parser.add_argument("--sheet", default=None, help=t("cli.companies.sheet"))
    parser.set_defaults(func=run)


def check_report(path: Path, sheet: str | None, lang: str) -> dict:
    """The JSON report of ``--check``: the reader's report, status counts, sectors and kecamatan."""
    check = read_companies(path, sheet=sheet)
    table = company_status(check.companies)
    report = check.report()
    report["illustrative"] = is_sample_companies(path)
    if report["illustrative"]:
        report["label"] = t("companies.illustrative_label", lang)
    report["status_counts"] = status_counts(table)
    report["workers_employed"] = int(table["workers_employed"].sum())
    report["uncovered_non_compliant"] = int(by_area(table, "kecamatan")["uncovered_non_compliant"].sum())
    report["sectors"] = [
        {"sector": sector, "label": t(sector_label_key(sector), lang), "companies": int(r.companies),
         "workers_employed": int(r.workers_employed), "workers_enrolled": int(r.workers_enrolled),
         "enrolled_share": None if pd.isna(r.enrolled_share) else round(float(r.enrolled_share), 4),
         "non_compliant": int(r.non_compliant), "uncovered_non_compliant": int(r.uncovered_non_compliant)}
        for sector, r in by_sector(table).iterrows()]
    for level in ("kecamatan", "desa"):
        report[level] = [
            {"kode": kode, "companies": int(r.companies), "non_compliant": int(r.non_compliant),
             "pwbd": int(r.n_pwbd), "pds": int(r.n_pds_tk + r.n_pds_upah + r.n_pds_program),
             "uncovered_non_compliant": int(r.uncovered_non_compliant)}
            for kode, r in by_area(table, level).iterrows()]
    report["companies"] = [
        {"row": int(r.row), "name": r.name, "kode_desa": r.kode_desa, "sector": r.sector, "status": r.status,
         "statuses": r.statuses.split(","), "uncovered": None if pd.isna(r.uncovered) else int(r.uncovered),
         "rule": r.rule}
        for r in table.itertuples(index=False)]
    return localize_all(report, lang)


def write_letters(path: Path | None, out: Path | None, sheet: str | None, lang: str,
                  today: dt.date | None = None) -> dict:
    """Write the letters of the follow-up list (next step a letter) to ``out``; a JSON-ready summary."""
    # lazy: the PDF library loads only for --letters
    from render.company_letters import follow_up_letters

    if out is None:
        raise SystemExit(t("cli.companies.nothing_to_do", lang))
    path = path or SAMPLE_COMPANIES_PATH
    today = today or dt.date.today()
    check = read_companies(path, sheet=sheet)
    illustrative = is_sample_companies(path)
    follow_up = follow_up_list(company_status(check.companies), StepLog().steps(), today)
    letters = follow_up_letters(follow_up, today=today, settings=load_config().letters, region_name=region_name(),
                                lang=lang, illustrative=illustrative, source=check.source)
    out.mkdir(parents=True, exist_ok=True)
    for name, pdf in letters:
        (out / name).write_bytes(pdf)
    summary = {"out": str(out), "source": check.source, "illustrative": illustrative,
               "companies_to_follow_up": int(len(follow_up)), "letters": len(letters),
               "by_letter": {k: sum(1 for name, _ in letters if name.startswith(f"surat_{k}_"))
                             for k in ("himbauan", "teguran_1", "teguran_2")},
               "files": [name for name, _ in letters]}
    if illustrative:
        summary["label"] = t("companies.illustrative_label", lang)
    return summary


def run(args: argparse.Namespace) -> int:
    """``--check FILE``: print the JSON report; ``--letters``: write the letters of the follow-up list."""
    if args.check is None and not args.letters:
        raise SystemExit(t("cli.companies.nothing_to_do", args.lang))
    if args.check is not None:
        print(json.dumps(check_report(args.check, args.sheet, args.lang), ensure_ascii=False))
    if args.letters:
        written = write_letters(args.file, args.out, args.sheet, args.lang)
        record("export", what="letters", letters=written["letters"])
        print(json.dumps(written, ensure_ascii=False))
    return 0

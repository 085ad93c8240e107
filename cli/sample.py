"""``python -m analysis sample``: write (or check) the deterministic sample CSV."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from analysis.sample import (
    SAMPLE_PATH,
    SAMPLE_SEED,
    default_sample_path,
    generate_sample,
    sample_csv_bytes,
    write_sample,
)
from analysis.sample_companies import (
    SAMPLE_COMPANIES_PATH,
    sample_companies_bytes,
    write_sample_companies,
)
from analysis.sample_files import same_bytes
from analysis.sample_programmes import (
    SAMPLE_PROGRAMMES_PATH,
    sample_programmes_bytes,
    write_sample_programmes,
)
from core.i18n import t


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``sample`` sub-command."""
    parser = subparsers.add_parser(
        "sample",
        help=t("cli.help.sample"),
        description=(
            f"{t('sample.banner')}. Generate data/sample/coverage_desa.csv from the built "
            "boundaries with a fixed seed; the same seed always gives the same bytes. "
            "Prints one JSON summary on stdout."
        ),
    )
    parser.add_argument("--out", type=Path, default=None,
                        help=f"output CSV (default {SAMPLE_PATH} for Garut, data/sample/generated/ for another region)")
    parser.add_argument("--seed", type=int, default=SAMPLE_SEED, help=f"noise seed (default {SAMPLE_SEED})")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 unless the file equals a fresh generation")
    parser.add_argument("--companies", action="store_true", help=t("cli.sample.companies"))
    parser.add_argument("--programmes", action="store_true", help=t("cli.sample.programmes"))
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Generate the sample; write it, or with --check compare it with the file."""
    if args.companies:
        return _companies(args)
    if args.programmes:
        return _programmes(args)
    args.out = args.out or default_sample_path(args.region)
    frame = generate_sample(args.seed, args.region)
    content = sample_csv_bytes(frame)
    latest = frame[frame["periode"] == frame["periode"].max()]
    summary = {
        "path": str(args.out),
        "seed": args.seed,
        "rows": len(frame),
        "desa": int(frame["kode_desa"].nunique()),
        "periods": sorted(frame["periode"].unique()),
        "latest_workers": int(latest["pekerja"].sum()),
        "latest_covered": int(latest["peserta_aktif"].sum()),
    }
    if args.check:
        same = args.out.is_file() and args.out.read_bytes() == content
        summary["up_to_date"] = same
        print(json.dumps(summary, ensure_ascii=False))
        if not same:
            print(t("cli.sample.check_failed", args.lang, path=args.out, seed=args.seed), file=sys.stderr)
        return 0 if same else 1
    write_sample(args.out, args.seed, args.region)
    print(json.dumps(summary, ensure_ascii=False))
    return 0


def _companies(args: argparse.Namespace) -> int:
    """``--companies``: the illustrative companies file, written or (``--check``) compared."""
    return _illustrative(args, args.out or SAMPLE_COMPANIES_PATH, sample_companies_bytes(args.seed),
                         "companies.illustrative_label", write_sample_companies)


def _programmes(args: argparse.Namespace) -> int:
    """``--programmes``: the illustrative desa programme table, written or (``--check``) compared."""
    return _illustrative(args, args.out or SAMPLE_PROGRAMMES_PATH, sample_programmes_bytes(args.seed),
                         "programmes.illustrative_label", write_sample_programmes)


def _illustrative(args: argparse.Namespace, path: Path, content: bytes, label: str, write) -> int:
    """Write an illustrative file, or with ``--check`` exit 1 unless the file equals a fresh generation."""
    summary = {"path": str(path), "seed": args.seed, "rows": content.count(b"\n") - 1,
               "label": t(label, args.lang)}
    if args.check:
        summary["up_to_date"] = same_bytes(path, content)
        print(json.dumps(summary, ensure_ascii=False))
        if not summary["up_to_date"]:
            print(t("cli.sample.check_failed", args.lang, path=path, seed=args.seed), file=sys.stderr)
        return 0 if summary["up_to_date"] else 1
    write(path, args.seed)
    print(json.dumps(summary, ensure_ascii=False))
    return 0

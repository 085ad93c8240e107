"""Company compliance (PWBD / PDS): each company's status, the rule behind it, and roll-ups.

The rules are package data (``analysis/compliance_rules.json``,
:func:`load_rules`):

* **obliged**: a company employing at least ``min_workers`` (10) or paying a
  monthly payroll (workers employed x average monthly wage) of at least
  ``min_monthly_payroll_rp`` (Rp1 juta) must register its workers;
* **PWBD** (Perusahaan Wajib Belum Daftar): obliged and not registered;
* **PDS TK** (Daftar Sebagian Tenaga Kerja): registered, fewer workers
  enrolled than employed;
* **PDS Upah**: registered, the registered wage below the reported wage (by
  more than ``wage_tolerance``);
* **PDS Program**: registered, a programme its business scale requires
  missing (``programmes_by_scale``; the scale from the file, else estimated
  from its workers by ``scale_by_workers``);
* **patuh**: registered with none of these;
* **belum pasti**: the file cannot say (no wage for a company below 10
  workers that is not registered, or no enrolled workers column);
* **tidak wajib**: not registered and not obliged.

A company can be PDS in several ways at once: ``statuses`` lists them all,
``status`` is the first in ``status_order`` (its colour on the map and its
place in lists).  ``rule`` says, with the company's own figures, why.

Uncovered workers (``uncovered``): all employed workers of a company that is
not registered, else employed minus enrolled.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from core.formatting import Figure
from core.i18n import Joined, Message
from ingest.companies import PROGRAMMES, SECTIONS, UNKNOWN_SECTOR

RULES_PATH = Path(__file__).with_name("compliance_rules.json")
#: Statuses that call for follow-up (the compliance list, the ladder, letters).
NON_COMPLIANT = ("pwbd", "pds_tk", "pds_upah", "pds_program")


@dataclass(frozen=True)
class ComplianceRules:
    """The rules of :func:`company_status` (see ``analysis/compliance_rules.json``)."""

    min_workers: int
    min_payroll: int
    programmes_by_scale: dict[str, tuple[str, ...]]
    scale_by_workers: tuple[tuple[int, str], ...]
    wage_tolerance: float
    status_order: tuple[str, ...]

    def scale_for(self, workers: int) -> str:
        """The business scale assumed for a company of ``workers`` (the last band it reaches)."""
        return [scale for lowest, scale in self.scale_by_workers if workers >= lowest][-1]


@cache
def _rules_from(path: str) -> ComplianceRules:
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    rules = ComplianceRules(
        min_workers=int(raw["obliged"]["min_workers"]),
        min_payroll=int(raw["obliged"]["min_monthly_payroll_rp"]),
        programmes_by_scale={k: tuple(v) for k, v in raw["programmes_by_scale"].items()},
        scale_by_workers=tuple((int(lo), scale) for lo, scale in raw["scale_by_workers"]),
        wage_tolerance=float(raw["wage_tolerance"]),
        status_order=tuple(raw["status_order"]),
    )
    unknown = {p for ps in rules.programmes_by_scale.values() for p in ps} - set(PROGRAMMES)
    if unknown or set(rules.status_order) != set(STATUSES) or rules.scale_by_workers[0][0] != 0:
        raise ValueError(f"{path}: programmes {sorted(unknown)} unknown, status_order {rules.status_order} "
                         f"is not an order of {STATUSES}, or scale_by_workers does not start at 0 workers")
    return rules


#: Every status a company can have.
STATUSES = ("pwbd", "pds_tk", "pds_upah", "pds_program", "belum_pasti", "patuh", "tidak_wajib")


def load_rules(path: str | Path | None = None) -> ComplianceRules:
    """The compliance rules (default ``analysis/compliance_rules.json``)."""
    return _rules_from(str(path or RULES_PATH))


# -- one company ----------------------------------------------------------------------------------


def _obliged(employed: int, wage: float, rules: ComplianceRules) -> tuple[bool | None, Message | None]:
    """Whether the company must register, and the figure that decides it."""
    if employed >= rules.min_workers:
        return True, Message("compliance.obliged.workers", workers=Figure(employed, "count"),
                             min=Figure(rules.min_workers, "count"))
    if np.isnan(wage):
        return None, Message("compliance.obliged.unknown", workers=Figure(employed, "count"),
                             min=Figure(rules.min_workers, "count"))
    payroll = employed * wage
    if payroll >= rules.min_payroll:
        return True, Message("compliance.obliged.payroll", payroll=Figure(payroll, "rupiah_full"),
                             min=Figure(rules.min_payroll, "rupiah_full"))
    return False, Message("compliance.obliged.no", workers=Figure(employed, "count"),
                          payroll=Figure(payroll, "rupiah_full"), min_workers=Figure(rules.min_workers, "count"),
                          min=Figure(rules.min_payroll, "rupiah_full"))


def _status_of(company: Any, rules: ComplianceRules) -> dict[str, Any]:
    employed = int(company.workers_employed)
    enrolled = None if pd.isna(company.workers_enrolled) else int(company.workers_enrolled)
    reported, registered_wage = float(company.wage_reported), float(company.wage_registered)
    obliged, why = _obliged(employed, reported, rules)
    stated = company.scale if isinstance(company.scale, str) and company.scale else None
    scale = stated or rules.scale_for(employed)
    required = rules.programmes_by_scale[scale]
    have = set(filter(None, str(company.programmes).split(",")))
    missing = tuple(p for p in required if p not in have) if company.programmes_given else ()
    found: list[tuple[str, Message]] = []
    if not company.registered:
        status = {True: "pwbd", False: "tidak_wajib", None: "belum_pasti"}[obliged]
        found.append((status, Message(f"compliance.rule.{status}", why=why)))
    else:
        if enrolled is not None and enrolled < employed:
            found.append(("pds_tk", Message("compliance.rule.pds_tk", enrolled=Figure(enrolled, "count"),
                                            employed=Figure(employed, "count"))))
        if not np.isnan(reported) and not np.isnan(registered_wage) \
                and registered_wage < reported * (1 - rules.wage_tolerance):
            found.append(("pds_upah", Message("compliance.rule.pds_upah",
                                              registered=Figure(registered_wage, "rupiah_full"),
                                              reported=Figure(reported, "rupiah_full"))))
        if missing:
            found.append(("pds_program", Message("compliance.rule.pds_program", missing=", ".join(missing),
                                                 scale=Message(f"compliance.scale.{scale}"),
                                                 required=", ".join(required))))
        if not found:
            status = "patuh" if enrolled is not None else "belum_pasti"
            found.append((status, Message(f"compliance.rule.registered_{status}",
                                          programmes=", ".join(p for p in PROGRAMMES if p in have) or "-")))
    statuses = sorted((s for s, _ in found), key=rules.status_order.index)
    uncovered = employed if not company.registered else (None if enrolled is None else employed - enrolled)
    return {
        "obliged": obliged, "scale_used": scale, "scale_estimated": stated is None,
        "required_programmes": ",".join(required), "missing_programmes": ",".join(missing),
        "statuses": ",".join(statuses), "status": statuses[0], "uncovered": uncovered,
        "payroll": np.nan if np.isnan(reported) else employed * reported,
        "rule": Joined([m for _, m in sorted(found, key=lambda p: rules.status_order.index(p[0]))], sep="; "),
    }


def company_status(companies: pd.DataFrame, rules: ComplianceRules | None = None) -> pd.DataFrame:
    """The companies with their compliance status, its rule and their uncovered workers.

    Parameters
    ----------
    companies : DataFrame
        :attr:`ingest.companies.CompanyCheck.companies`.
    rules : ComplianceRules, optional
        Default :func:`load_rules`.

    Returns
    -------
    DataFrame
        The input columns plus ``obliged`` (True, False or None when the file
        cannot say), ``scale_used``, ``scale_estimated``,
        ``required_programmes``, ``missing_programmes``, ``statuses`` (every
        status, comma-joined), ``status`` (the first in ``status_order``),
        ``uncovered`` (Int64, <NA> when the enrolled workers are not known),
        ``payroll`` (Rp a month, NaN when no wage) and ``rule`` (a message
        with the company's figures).
    """
    rules = rules or load_rules()
    found = [_status_of(c, rules) for c in companies.itertuples(index=False)]
    derived = pd.DataFrame(found,
                           columns=["obliged", "scale_used", "scale_estimated", "required_programmes",
                                    "missing_programmes", "statuses", "status", "uncovered", "payroll", "rule"],
                           index=companies.index)
    out = pd.concat([companies, derived], axis=1)
    out["uncovered"] = out["uncovered"].astype("Int64")
    out["payroll"] = out["payroll"].astype(float)
    out["obliged"] = pd.Series([f["obliged"] for f in found], index=companies.index, dtype=object)
    # the messages stay messages (pandas would store them as plain text in the default language)
    out["rule"] = pd.Series([f["rule"] for f in found], index=companies.index, dtype=object)
    return out


# -- roll-ups -------------------------------------------------------------------------------------


def status_counts(companies: pd.DataFrame, rules: ComplianceRules | None = None) -> dict[str, int]:
    """Companies per status (every status, in ``status_order``, zeros included)."""
    rules = rules or load_rules()
    counts = companies["status"].value_counts()
    return {s: int(counts.get(s, 0)) for s in rules.status_order}


def _roll_up(companies: pd.DataFrame, by: str) -> pd.DataFrame:
    frame = companies.assign(
        companies=1, non_compliant=companies["status"].isin(NON_COMPLIANT).astype(int),
        enrolled=companies["workers_enrolled"].fillna(0).astype("int64"),
        uncovered_known=companies["uncovered"].fillna(0).astype("int64"),
        gap=np.where(companies["status"].isin(NON_COMPLIANT), companies["uncovered"].fillna(0), 0).astype("int64"),
        **{f"n_{s}": (companies["status"] == s).astype(int) for s in STATUSES})
    table = frame.groupby(by, sort=True).agg(
        companies=("companies", "sum"), non_compliant=("non_compliant", "sum"),
        workers_employed=("workers_employed", "sum"), workers_enrolled=("enrolled", "sum"),
        uncovered=("uncovered_known", "sum"), uncovered_non_compliant=("gap", "sum"),
        **{f"n_{s}": (f"n_{s}", "sum") for s in STATUSES})
    employed = table["workers_employed"].astype(float)
    table["enrolled_share"] = np.where(employed > 0, table["workers_enrolled"] / employed.where(employed > 0), np.nan)
    return table


def by_area(companies: pd.DataFrame, level: str = "desa") -> pd.DataFrame:
    """Companies, statuses and workers per desa or kecamatan.

    Parameters
    ----------
    companies : DataFrame
        From :func:`company_status`.
    level : {"desa", "kecamatan"}

    Returns
    -------
    DataFrame
        Indexed by ``kode`` (only areas with a company): ``companies``,
        ``non_compliant``, ``workers_employed``, ``workers_enrolled``,
        ``uncovered``, ``uncovered_non_compliant`` (of PWBD and PDS companies),
        ``n_<status>`` per status and ``enrolled_share`` (enrolled ÷ employed).
    """
    if level not in ("desa", "kecamatan"):
        raise ValueError(f"level must be 'desa' or 'kecamatan', not {level!r}")
    key = "kode_desa" if level == "desa" else "kode_kec"
    return _roll_up(companies, key).rename_axis("kode")


def by_sector(companies: pd.DataFrame) -> pd.DataFrame:
    """Companies and workers per KBLI section, the least covered first ("belum terjamah").

    Returns
    -------
    DataFrame
        Indexed by ``sector`` (section letter or :data:`~ingest.companies.UNKNOWN_SECTOR`), the
        columns of :func:`by_area`; ordered by ``enrolled_share`` (ascending, a sector of no
        workers last), then by uncovered workers (descending).
    """
    table = _roll_up(companies, "sector")
    order = table.assign(_share=table["enrolled_share"].fillna(np.inf)).sort_values(
        ["_share", "uncovered"], ascending=[True, False], kind="stable")
    return order.drop(columns="_share")


def sector_label_key(section: str) -> str:
    """The catalog key of a sector's name (``kbli.section.<letter>``, or the unknown sector's)."""
    return f"kbli.section.{section}" if section in SECTIONS and section != UNKNOWN_SECTOR else "kbli.section.unknown"


def compliance_list(companies: pd.DataFrame, rules: ComplianceRules | None = None) -> pd.DataFrame:
    """The PWBD and PDS companies, the most uncovered workers first (then by status precedence, then row)."""
    rules = rules or load_rules()
    todo = companies[companies["status"].isin(NON_COMPLIANT)]
    rank = todo["status"].map(rules.status_order.index)
    return (todo.assign(_gap=todo["uncovered"].fillna(0), _rank=rank)
            .sort_values(["_gap", "_rank", "row"], ascending=[False, True, True], kind="stable")
            .drop(columns=["_gap", "_rank"]).reset_index(drop=True))

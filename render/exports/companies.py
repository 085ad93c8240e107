"""Exports of the companies pages: the follow-up list and the record of steps (CSV/XLSX, formulas neutralised).

Company names, notes and letter numbers come from files and from people:
every text cell goes through :func:`render.spreadsheet.write_table`, which
neutralises formulas (``=HYPERLINK(...)`` is written as text).  An
illustrative companies file says so in a ``keterangan`` column (CSV) and on
the notes sheet (XLSX).
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from analysis.company_steps import STEP_COLUMNS
from core.i18n import localize, t
from render.spreadsheet import write_table

#: Columns of the follow-up list export, in order.
FOLLOW_UP_COLUMNS = ("name", "npp", "sector", "sector_name", "kode_desa", "desa", "kecamatan", "status_name",
                     "rule", "workers_employed", "workers_enrolled", "uncovered", "wage_reported", "wage_registered",
                     "programmes", "missing_programmes", "last_step_name", "last_date", "next_step_name", "due",
                     "state_name")


def follow_up_headers(lang: str = "id") -> dict[str, str]:
    """Column -> header of the follow-up list in a language."""
    return {column: t(f"export.company.{column}", lang) for column in FOLLOW_UP_COLUMNS}


def step_headers(lang: str = "id") -> dict[str, str]:
    """Column -> header of the steps record in a language."""
    return {column: t(f"export.step.{column}", lang) for column in STEP_COLUMNS}


def _named(follow_up: pd.DataFrame, lang: str) -> pd.DataFrame:
    frame = follow_up.copy()
    frame["sector_name"] = [t(f"kbli.section.{s}" if s != "?" else "kbli.section.unknown", lang)
                            for s in frame["sector"]]
    frame["status_name"] = [t(f"compliance.status.{s}", lang) for s in frame["status"]]
    frame["rule"] = pd.Series([localize(r, lang) for r in frame["rule"]], index=frame.index, dtype=object)
    for column, key in (("last_step", "steps.step"), ("next_step", "steps.step"), ("state", "steps.state")):
        frame[f"{column}_name"] = [t(f"{key}.{v}", lang) if isinstance(v, str) else "" for v in frame[column]]
    return frame


def export_follow_up(follow_up: pd.DataFrame, path: str | os.PathLike[str], lang: str = "id",
                     illustrative: bool = False, source: str = "") -> Path:
    """Write the follow-up list (:func:`analysis.company_steps.follow_up_list`) to CSV or XLSX."""
    frame = _named(follow_up, lang)
    headers = follow_up_headers(lang)
    notes = [t("export.company.note_source", lang, source=source or "-")]
    if illustrative:
        label = t("companies.illustrative_label", lang)
        frame["keterangan"] = label
        headers = {**headers, "keterangan": t("export.company.keterangan", lang)}
        notes.insert(0, label)
    return write_table(frame, path, headers, sheet_name=t("export.sheet.companies", lang), notes=notes, lang=lang)


def export_steps(steps: pd.DataFrame, path: str | os.PathLike[str], lang: str = "id") -> Path:
    """Write the record of follow-up steps (:meth:`analysis.company_steps.StepLog.steps`) to CSV or XLSX."""
    frame = steps.copy()
    frame["step"] = [t(f"steps.step.{v}", lang) for v in frame["step"]]
    frame["outcome"] = [t(f"steps.outcome.{v}", lang) for v in frame["outcome"]]
    return write_table(frame, path, step_headers(lang), sheet_name=t("export.sheet.steps", lang), lang=lang)

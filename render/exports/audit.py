"""The audit trail as a file (CSV or XLSX), through the one writer that neutralises formulas."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from analysis.audit import AUDIT_COLUMNS, details_text
from core.i18n import t
from render.spreadsheet import write_table


def audit_headers(lang: str = "id") -> dict[str, str]:
    """Column -> header of the audit table in a language."""
    return {column: t(f"audit.col.{column}", lang) for column in AUDIT_COLUMNS}


def audit_table(entries: pd.DataFrame, lang: str = "id") -> pd.DataFrame:
    """Entries as people read them: the action in ``lang``, details as one ``key=value; ...`` line."""
    out = entries.copy()
    out["action"] = [t(f"audit.action.{a}", lang) for a in out["action"]]
    out["details"] = [details_text(d) for d in out["details"]]
    return out


def export_audit(entries: pd.DataFrame, path: str | os.PathLike[str], lang: str = "id") -> Path:
    """Write audit entries (:meth:`analysis.audit.AuditLog.entries`) to ``.csv`` or ``.xlsx``."""
    return write_table(audit_table(entries, lang), path, audit_headers(lang), sheet_name=t("audit.sheet", lang),
                       lang=lang)

"""Who the audit trail names for a command run on this machine, and the entry a command records."""

from __future__ import annotations

import getpass

from analysis.audit import AuditLog
from analysis.config import load_config


def actor() -> tuple[str, str]:
    """``("cli:<system user>", "cli")``: the user name and role of commands run here."""
    return f"cli:{getpass.getuser()}", "cli"


def record(action: str, **details: object) -> None:
    """One audit entry for what a command did (an export, a visit, an account change)."""
    AuditLog(load_config().database).record(*actor(), action, **details)

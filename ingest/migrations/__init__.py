"""Versioned schema of the app database (Alembic); see :mod:`ingest.appdb`.

Each file of ``versions/`` is one step, applied in order by :func:`upgrade`
inside the caller's transaction (SQLite and PostgreSQL both run DDL in a
transaction, so a step is applied whole or not at all).  A new step:
``versions/NNNN_what.py`` with ``revision = "NNNN"`` and ``down_revision`` the
previous one.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection

HERE = Path(__file__).parent


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's settings for the migrations here, bound to ``connection`` when given."""
    config = Config()
    config.set_main_option("script_location", str(HERE))
    config.attributes["connection"] = connection
    return config


def upgrade(connection: Connection, revision: str = "head") -> None:
    """Bring the database of ``connection`` up to ``revision`` inside its current transaction."""
    command.upgrade(alembic_config(connection), revision)


def head_revision() -> str:
    """The newest revision of ``versions/``."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()

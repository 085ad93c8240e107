"""The outreach tables: visits, company follow-up steps, cohorts, column mappings, start point, trip teams.

A database written before the schema was versioned already holds some of
these tables (with the same columns): they are kept as they are, and the
columns added to the visit log after its first release are added when missing.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None

_ISO_DAY = "length({0}) = 10"


def _tables() -> list[tuple[str, list, dict]]:
    """(name, columns and constraints, options) of each table, in creation order."""
    return [
        ("visit_log", [
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("visit_date", sa.Text, nullable=False),
            sa.Column("kode_desa", sa.Text, nullable=False),
            sa.Column("team", sa.Text, nullable=False),
            sa.Column("enrolled", sa.Integer, nullable=False),
            sa.Column("notes", sa.Text, nullable=False, server_default=""),
            sa.Column("recorded_at", sa.Text, nullable=False),
            sa.Column("promised", sa.Integer, nullable=False, server_default="0"),
            sa.Column("follow_up", sa.Text, nullable=True),
            sa.CheckConstraint(_ISO_DAY.format("visit_date"), name="visit_log_visit_date_iso"),
            sa.CheckConstraint("length(team) > 0", name="visit_log_team"),
            sa.CheckConstraint("enrolled >= 0", name="visit_log_enrolled"),
            sa.CheckConstraint("promised >= 0", name="visit_log_promised"),
            sa.CheckConstraint("follow_up IS NULL OR " + _ISO_DAY.format("follow_up"), name="visit_log_follow_up"),
        ], {"sqlite_autoincrement": True}),
        ("company_steps", [
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("company_key", sa.Text, nullable=False),
            sa.Column("company_name", sa.Text, nullable=False),
            sa.Column("kode_desa", sa.Text, nullable=False),
            sa.Column("step", sa.Text, nullable=False),
            sa.Column("step_date", sa.Text, nullable=False),
            sa.Column("outcome", sa.Text, nullable=False),
            sa.Column("letter_number", sa.Text, nullable=False, server_default=""),
            sa.Column("team", sa.Text, nullable=False, server_default=""),
            sa.Column("notes", sa.Text, nullable=False, server_default=""),
            sa.Column("recorded_at", sa.Text, nullable=False),
            sa.CheckConstraint("length(company_key) > 0", name="company_steps_key_set"),
            sa.CheckConstraint(_ISO_DAY.format("step_date"), name="company_steps_date_iso"),
        ], {"sqlite_autoincrement": True}),
        ("cohorts", [
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("count", sa.Integer, nullable=False),
            sa.Column("kode", sa.Text, nullable=False),
            sa.Column("source", sa.Text, nullable=False),
            sa.Column("start_month", sa.Text, nullable=False),
            sa.Column("end_month", sa.Text, nullable=False),
            sa.Column("saved_at", sa.Text, nullable=False),
            sa.CheckConstraint("count >= 1", name="cohorts_count"),
            sa.CheckConstraint("end_month >= start_month", name="cohorts_months"),
        ], {"sqlite_autoincrement": True}),
        ("column_mappings", [
            sa.Column("signature", sa.Text, primary_key=True),
            sa.Column("mapping", sa.Text, nullable=False),
            sa.Column("saved_at", sa.Text, nullable=False),
        ], {}),
        ("start_point", [
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("name", sa.Text, nullable=False),
            sa.Column("lat", sa.Float, nullable=False),
            sa.Column("lon", sa.Float, nullable=False),
            sa.Column("saved_at", sa.Text, nullable=False),
            sa.CheckConstraint("id = 1", name="start_point_single"),
        ], {}),
        ("trip_teams", [
            sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("name", sa.Text, nullable=False, unique=True),
            sa.Column("start_name", sa.Text),
            sa.Column("lat", sa.Float),
            sa.Column("lon", sa.Float),
            sa.Column("days", sa.Integer),
            sa.CheckConstraint("days IS NULL OR days >= 1", name="trip_teams_days"),
        ], {}),
    ]


_INDEXES = [
    ("visit_log_desa_date", "visit_log", ["kode_desa", "visit_date"]),
    ("visit_log_date", "visit_log", ["visit_date"]),
    ("company_steps_key", "company_steps", ["company_key", "step_date"]),
]
#: Visit-log columns added after its first release (a log of then has neither).
_ADDED_VISIT_COLUMNS = {
    "promised": sa.Column("promised", sa.Integer, nullable=False, server_default="0"),
    "follow_up": sa.Column("follow_up", sa.Text, nullable=True),
}


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    present = set(inspector.get_table_names())
    for name, parts, options in _tables():
        if name not in present:
            op.create_table(name, *parts, **options)
    if "visit_log" in present:
        columns = {c["name"] for c in inspector.get_columns("visit_log")}
        for column, definition in _ADDED_VISIT_COLUMNS.items():
            if column not in columns:
                op.add_column("visit_log", definition)
    for index, table, columns in _INDEXES:
        if table not in present or index not in {i["name"] for i in inspector.get_indexes(table)}:
            op.create_index(index, table, columns)

"""Learning records: what each person completed, passed or failed, from xAPI statements.

``learning_record`` is person-owned (distributed by ``person_id``, docs/scaling.md): one row per
statement of an accepted verb about a person, with the course, hours, the plan activity it
counted towards and the framework items it is evidence on; voiding marks it voided.

Revision ID: 0016_learning_records
Revises: 0015_shared_rate_limit
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0016_learning_records"
down_revision: str | None = "0015_shared_rate_limit"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "learning_record",
        sa.Column("person_id", sa.UUID(), nullable=False),
        sa.Column("statement_id", sa.UUID(), nullable=False),
        sa.Column("course_id", sa.UUID(), nullable=True),
        sa.Column("activity_id", sa.Text(), nullable=False),
        sa.Column("verb", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("hours", sa.Numeric(precision=8, scale=2), nullable=True),
        sa.Column("bucket", sa.SmallInteger(), nullable=True),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("items", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("framework_version_id", sa.UUID(), nullable=True),
        sa.Column("plan_id", sa.UUID(), nullable=True),
        sa.Column("plan_activity", sa.String(length=64), nullable=True),
        sa.Column("voided", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "outcome IN ('completed', 'passed', 'failed', 'other')",
            name=op.f("ck_learning_record_outcome"),
        ),
        sa.CheckConstraint("hours IS NULL OR hours >= 0", name=op.f("ck_learning_record_hours")),
        sa.PrimaryKeyConstraint("person_id", "statement_id", name=op.f("pk_learning_record")),
    )
    op.create_index("ix_learning_record_statement", "learning_record", ["statement_id"])
    op.create_index("ix_learning_record_person_on", "learning_record", ["person_id", "on"])


def downgrade() -> None:
    op.drop_index("ix_learning_record_person_on", table_name="learning_record")
    op.drop_index("ix_learning_record_statement", table_name="learning_record")
    op.drop_table("learning_record")

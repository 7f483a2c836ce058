"""The rate limiter's buckets move into PostgreSQL, shared by every worker and host.

``rate_limit_bucket`` holds one token bucket per credential (``user:<sub>``, ``client:<id>``):
the tokens left at ``stamp`` and how many the latest hit took (0: refused). A hit is one atomic
``INSERT ... ON CONFLICT DO UPDATE`` (see ``app/services/platform/ratelimit.py``). The table is
unlogged: it is a counter that may be lost in a crash (every bucket starts full again), and it
is then not written to the WAL on every request.

``ix_assessment_id`` stops being unique: an assessment's id is a random UUID, unique without
the index's help, and a unique key that leaves out ``person_id`` is one that a database
distributed by person (Citus, docs/scaling.md) cannot enforce. Lookups by id keep the index.

Revision ID: 0015_shared_rate_limit
Revises: 0014_export_jobs
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_shared_rate_limit"
down_revision: str | None = "0014_export_jobs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_assessment_id", table_name="assessment")
    op.create_index("ix_assessment_id", "assessment", ["id"], unique=False)
    op.create_table(
        "rate_limit_bucket",
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("tokens", sa.Float(), nullable=False),
        sa.Column("stamp", sa.DateTime(timezone=True), nullable=False),
        sa.Column("taken", sa.SmallInteger(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_rate_limit_bucket")),
        prefixes=["UNLOGGED"],
    )
    op.create_index(
        op.f("ix_rate_limit_bucket_stamp"), "rate_limit_bucket", ["stamp"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_assessment_id", table_name="assessment")
    op.create_index("ix_assessment_id", "assessment", ["id"], unique=True)
    op.drop_index(op.f("ix_rate_limit_bucket_stamp"), table_name="rate_limit_bucket")
    op.drop_table("rate_limit_bucket")

"""Staff-group assignments in change order, for the HRIS delta feed.

Every write of a ``staff_group_assignment`` row (a proposal, each approval step, a rejection)
now stamps it with ``change_seq`` (a sequence) and ``change_xid`` (the writing transaction), as
people and agencies are stamped, so ``GET /api/v1/group-assignments`` can list them in change
order without skipping a late commit; ``updated_at`` serves ``updated_since``. The items chosen
for a ``partial`` group live in the existing ``groups`` JSON (``items``), so no column is needed
for them.

Revision ID: 0008_group_assignment_changes
Revises: 0007_person_identifier_collation
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_group_assignment_changes"
down_revision: str | None = "0007_person_identifier_collation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

XID = sa.text("pg_current_xact_id()::text::bigint")


def upgrade() -> None:
    op.execute("CREATE SEQUENCE staff_group_assignment_change_seq")
    op.add_column(
        "staff_group_assignment",
        sa.Column(
            "change_seq",
            sa.BigInteger(),
            server_default=sa.text("nextval('staff_group_assignment_change_seq')"),
            nullable=False,
        ),
    )
    op.add_column(
        "staff_group_assignment",
        sa.Column("change_xid", sa.BigInteger(), server_default=XID, nullable=False),
    )
    op.add_column(
        "staff_group_assignment",
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
    )
    op.execute(
        "UPDATE staff_group_assignment"
        " SET updated_at = greatest(proposed_at, agreed_at, approved_at, rejected_at)"
    )
    op.create_index(
        "ix_staff_group_assignment_change",
        "staff_group_assignment",
        ["change_xid", "change_seq"],
    )


def downgrade() -> None:
    op.drop_index("ix_staff_group_assignment_change", table_name="staff_group_assignment")
    op.drop_column("staff_group_assignment", "updated_at")
    op.drop_column("staff_group_assignment", "change_xid")
    op.drop_column("staff_group_assignment", "change_seq")
    op.execute("DROP SEQUENCE staff_group_assignment_change_seq")

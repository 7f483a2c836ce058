"""Export jobs: large exports written to a file in the background, with their progress.

``export_job`` holds who asked (``owner``), what (kind, format, agency, fiscal year), the state
(queued, running, done, failed), the progress (``rows_done`` of ``rows_total``), the heartbeat
of a running job and the file once written (docs/documents-and-exports.md).

Revision ID: 0014_export_jobs
Revises: 0013_reporting
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0014_export_jobs"
down_revision: str | None = "0013_reporting"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "export_job",
        sa.Column("id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("owner", sa.String(240), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("format", sa.String(8), nullable=False),
        sa.Column("agency_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("rows_total", sa.Integer()),
        sa.Column("rows_done", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(200)),
        sa.Column("byte_size", sa.Integer()),
        sa.Column("error", sa.Text()),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True)),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint(
            "state IN ('queued', 'running', 'done', 'failed')",
            name=op.f("ck_export_job_state"),
        ),
        sa.CheckConstraint("format IN ('csv', 'xlsx')", name=op.f("ck_export_job_format")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_export_job")),
    )
    op.create_index("ix_export_job_owner", "export_job", ["owner", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_export_job_owner", table_name="export_job")
    op.drop_table("export_job")

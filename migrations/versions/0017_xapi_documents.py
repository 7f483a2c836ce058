"""xAPI documents: the State, Activity Profile and Agent Profile resources under /xapi.

``xapi_document`` keeps each document as received (bytes and content type) with its entity tag
and when it was last written, keyed by the writer's reach (``agency_path``), the resource
(``kind``), the activity, the agent's identifier, the registration and the document's id (absent
parts ``''``): the key's prefixes serve the id listings and the deletion of a context's states.

Revision ID: 0017_xapi_documents
Revises: 0016_learning_records
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0017_xapi_documents"
down_revision: str | None = "0016_learning_records"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "xapi_document",
        sa.Column("agency_path", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("activity_id", sa.Text(), nullable=False),
        sa.Column("agent_key", sa.Text(), nullable=False),
        sa.Column("registration", sa.String(length=36), nullable=False),
        sa.Column("document_id", sa.Text(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("content_type", sa.Text(), nullable=False),
        sa.Column("etag", sa.String(length=42), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=False),
        sa.Column("client_id", postgresql.UUID(as_uuid=True), nullable=True),
        sa.CheckConstraint(
            "kind IN ('state', 'activity_profile', 'agent_profile')",
            name=op.f("ck_xapi_document_kind"),
        ),
        sa.PrimaryKeyConstraint(
            "agency_path",
            "kind",
            "activity_id",
            "agent_key",
            "registration",
            "document_id",
            name=op.f("pk_xapi_document"),
        ),
    )


def downgrade() -> None:
    op.drop_table("xapi_document")

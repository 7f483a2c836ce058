"""A login (token subject) is unique within a source agency, not across the service.

Before, ``uq_person_subject`` made a subject unique service-wide, so a people sync that set a
subject held in another agency was refused, and the refusal told the caller that the login was
in use somewhere outside their scope. Now the subject is unique per source (``source_agency_id,
subject``): a source's HRIS sees only its own people's logins, and a token links to the person
holding its subject within the subtree of the token's ``agency`` claim (see
``app.services.platform.scope.linked_person``), so another agency setting the same subject on its
own person can neither take over nor unlink anyone.

``ix_person_subject`` (subject) serves the token-to-person link.

Revision ID: 0010_person_subject_per_source
Revises: 0009_audit_event_scope
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_person_subject_per_source"
down_revision: str | None = "0009_audit_event_scope"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "uq_person_source_subject",
        "person",
        ["source_agency_id", "subject"],
        unique=True,
        postgresql_where=sa.text("subject IS NOT NULL"),
    )
    op.create_index(
        "ix_person_subject", "person", ["subject"], postgresql_where=sa.text("subject IS NOT NULL")
    )
    op.drop_index("uq_person_subject", table_name="person")


def downgrade() -> None:
    # Fails (as it should) when one subject is now held in two sources.
    op.create_index(
        "uq_person_subject",
        "person",
        ["subject"],
        unique=True,
        postgresql_where=sa.text("subject IS NOT NULL"),
    )
    op.drop_index("ix_person_subject", table_name="person")
    op.drop_index("uq_person_source_subject", table_name="person")

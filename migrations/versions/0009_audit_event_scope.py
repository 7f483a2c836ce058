"""Audit events carry the agency of what they are about, so that a reader sees only its subtree.

``audit_event.agency_id`` is the agency the changed record belonged to when it changed (an
agency's own events: the agency; a person's, an assessment's, a plan's or a staff-group
assignment's: the person's agency; a people sync: its source agency; a client: the client's
agency). Framework content and national clients have none: only central administrators and
national clients read those. Existing events are filled in from the records they name, where
those still say it; an event whose record is gone keeps none (and stays national).

``ix_audit_event_agency`` (agency, id) serves the scoped read: the events of a subtree's
agencies, newest first.

Revision ID: 0009_audit_event_scope
Revises: 0008_group_assignment_changes
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0009_audit_event_scope"
down_revision: str | None = "0008_group_assignment_changes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Each event's agency, from the record it names (a hash join on the id's text; ids that are no
# uuid simply match nothing).
BACKFILL = (
    "UPDATE audit_event e SET agency_id = a.id FROM agency a"
    " WHERE e.entity = 'agency' AND e.entity_id = a.id::text",
    "UPDATE audit_event e SET agency_id = a.id FROM agency a"
    " WHERE e.entity IN ('assessment_policy', 'person_sync') AND e.entity_id = a.code",
    "UPDATE audit_event e SET agency_id = p.agency_id FROM person p"
    " WHERE e.entity = 'person' AND e.entity_id = p.id::text",
    "UPDATE audit_event e SET agency_id = p.agency_id FROM assessment s"
    " JOIN person p ON p.id = s.person_id"
    " WHERE e.entity = 'assessment' AND e.entity_id = s.id::text",
    "UPDATE audit_event e SET agency_id = p.agency_id FROM development_plan d"
    " JOIN person p ON p.id = d.person_id"
    " WHERE e.entity = 'development_plan' AND e.entity_id = d.id::text",
    "UPDATE audit_event e SET agency_id = p.agency_id FROM staff_group_assignment g"
    " JOIN person p ON p.id = g.person_id"
    " WHERE e.entity = 'staff_group_assignment' AND e.entity_id = g.id::text",
    "UPDATE audit_event e SET agency_id = a.id FROM integration_client c"
    " JOIN agency a ON a.code = c.agency"
    " WHERE e.entity = 'integration_client' AND e.entity_id = c.id::text",
)


def upgrade() -> None:
    op.add_column("audit_event", sa.Column("agency_id", postgresql.UUID(as_uuid=True)))
    # The trail is append-only for the application; this one-off fill is the schema's own.
    op.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only")
    for statement in BACKFILL:
        op.execute(statement)
    op.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only")
    op.create_index("ix_audit_event_agency", "audit_event", ["agency_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_audit_event_agency", table_name="audit_event")
    op.drop_column("audit_event", "agency_id")

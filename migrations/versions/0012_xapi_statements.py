"""xAPI statements (the LRS under /xapi) and the account home pages actors are matched by.

``xapi_statement`` keeps each statement as received (plus ``id``, ``stored``, ``authority``,
``version``) in ``body``, with what the query filters match derived once on the way in (GIN
indexes on the identifier and activity arrays, btree on verb, activity, registration, person and
``(stored, id)``, the keyset of every page). ``ix_person_email_lower`` serves matching an
actor's ``mbox`` to a person.

Revision ID: 0012_xapi_statements
Revises: 0011_course_catalogue
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0012_xapi_statements"
down_revision: str | None = "0011_course_catalogue"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "xapi_statement",
        sa.Column("id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("stored", sa.DateTime(timezone=True), nullable=False),
        sa.Column("body", postgresql.JSONB(), nullable=False),
        sa.Column("content_hash", sa.LargeBinary(), nullable=False),
        sa.Column("source_hash", sa.LargeBinary()),
        sa.Column("verb", sa.Text(), nullable=False),
        sa.Column("actor_key", sa.Text()),
        sa.Column("actor_keys", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("related_agents", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("activity", sa.Text()),
        sa.Column("related_activities", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("registration", postgresql.UUID(as_uuid=True)),
        sa.Column("voids", postgresql.UUID(as_uuid=True)),
        sa.Column("voided", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("person_id", postgresql.UUID(as_uuid=True)),
        sa.Column("agency_path", sa.Text(), nullable=False),
        sa.Column("client_id", postgresql.UUID(as_uuid=True)),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_xapi_statement")),
    )
    op.create_index("ix_xapi_statement_stored", "xapi_statement", ["stored", "id"])
    for name, column in (
        ("ix_xapi_statement_actor_keys", "actor_keys"),
        ("ix_xapi_statement_related_agents", "related_agents"),
        ("ix_xapi_statement_related_activities", "related_activities"),
    ):
        op.create_index(name, "xapi_statement", [column], postgresql_using="gin")
    op.create_index("ix_xapi_statement_verb", "xapi_statement", ["verb", "stored"])
    op.create_index("ix_xapi_statement_activity", "xapi_statement", ["activity", "stored"])
    op.create_index("ix_xapi_statement_registration", "xapi_statement", ["registration"])
    op.create_index(
        "ix_xapi_statement_voids",
        "xapi_statement",
        ["voids"],
        postgresql_where=sa.text("voids IS NOT NULL"),
    )
    op.create_index("ix_xapi_statement_person", "xapi_statement", ["person_id", "stored"])
    op.create_index(
        "ix_xapi_statement_unlinked",
        "xapi_statement",
        ["actor_key"],
        postgresql_where=sa.text("person_id IS NULL"),
    )
    op.create_index(
        "ix_xapi_statement_agency_path",
        "xapi_statement",
        ["agency_path"],
        postgresql_ops={"agency_path": "text_pattern_ops"},
    )
    op.create_table(
        "xapi_account_home",
        sa.Column("home_page", sa.String(500, collation="C"), nullable=False),
        sa.Column("agency_id", postgresql.UUID(as_uuid=True)),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("home_page", name=op.f("pk_xapi_account_home")),
    )
    op.create_index("ix_person_email_lower", "person", [sa.text("lower(email)")])


def downgrade() -> None:
    op.drop_index("ix_person_email_lower", table_name="person")
    op.drop_table("xapi_account_home")
    op.drop_table("xapi_statement")

"""Agencies, people, staff-group assignments, idempotency keys.

Revision ID: 0003_agencies_people
Revises: 0002_frameworks
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003_agencies_people"
down_revision: str | None = "0002_frameworks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

XID = sa.text("pg_current_xact_id()::text::bigint")


def _timestamps() -> list[sa.Column]:
    return [
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
    ]


def upgrade() -> None:
    op.execute("CREATE SEQUENCE agency_change_seq")
    op.execute("CREATE SEQUENCE person_change_seq")

    op.create_table(
        "agency",
        sa.Column("id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("name_th", sa.String(300), nullable=False),
        sa.Column("name_en", sa.String(300)),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("parent_id", postgresql.UUID(as_uuid=True)),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("depth", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("content_hash", sa.LargeBinary(), nullable=False),
        sa.Column(
            "change_seq",
            sa.BigInteger(),
            server_default=sa.text("nextval('agency_change_seq')"),
            nullable=False,
        ),
        sa.Column("change_xid", sa.BigInteger(), server_default=XID, nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency")),
        sa.UniqueConstraint("code", name=op.f("uq_agency_code")),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["agency.id"], name=op.f("fk_agency_parent_id_agency")
        ),
    )
    op.create_index(op.f("ix_agency_parent_id"), "agency", ["parent_id"])
    op.create_index(
        "ix_agency_path", "agency", ["path"], postgresql_ops={"path": "text_pattern_ops"}
    )
    op.create_index("ix_agency_change", "agency", ["change_xid", "change_seq"])
    # Agencies are deactivated, never deleted: people refer to them without a per-row key check.
    op.execute(
        """
        CREATE FUNCTION agency_is_never_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'agencies are deactivated, never deleted'
            USING ERRCODE = 'integrity_constraint_violation';
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER agency_never_deleted BEFORE DELETE ON agency"
        " FOR EACH ROW EXECUTE FUNCTION agency_is_never_deleted()"
    )
    op.execute(
        "CREATE TRIGGER agency_never_truncated BEFORE TRUNCATE ON agency"
        " FOR EACH STATEMENT EXECUTE FUNCTION agency_is_never_deleted()"
    )

    op.create_table(
        "agency_version",
        sa.Column("agency_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "recorded_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("name_th", sa.String(300), nullable=False),
        sa.Column("name_en", sa.String(300)),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("parent_code", sa.String(32)),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("agency_id", "version", name=op.f("pk_agency_version")),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agency.id"], name=op.f("fk_agency_version_agency_id_agency")
        ),
    )

    op.create_table(
        "stage_declaration",
        sa.Column("agency_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("announced_on", sa.Date(), nullable=False),
        sa.Column("declared_by", sa.String(200), nullable=False),
        sa.Column(
            "declared_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("note", sa.Text()),
        sa.PrimaryKeyConstraint("agency_id", "fiscal_year", name=op.f("pk_stage_declaration")),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agency.id"], name=op.f("fk_stage_declaration_agency_id_agency")
        ),
    )

    op.create_table(
        "person",
        sa.Column("id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("source_agency_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("external_id", sa.String(80), nullable=False),
        sa.Column("employee_number", sa.String(32)),
        sa.Column("first_name_th", sa.String(100)),
        sa.Column("last_name_th", sa.String(100)),
        sa.Column("first_name_en", sa.String(100)),
        sa.Column("last_name_en", sa.String(100)),
        sa.Column("email", sa.String(254)),
        sa.Column("position_title", sa.String(200)),
        sa.Column("position_type", sa.String(32)),
        sa.Column("position_level", sa.String(100)),
        sa.Column("agency_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("supervisor_id", postgresql.UUID(as_uuid=True)),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("start_date", sa.Date()),
        sa.Column("end_date", sa.Date()),
        sa.Column("national_id_hash", sa.String(80)),
        sa.Column("subject", sa.String(200)),
        sa.Column("content_hash", sa.LargeBinary()),
        sa.Column("source_hash", sa.LargeBinary()),
        sa.Column(
            "change_seq",
            sa.BigInteger(),
            server_default=sa.text("nextval('person_change_seq')"),
            nullable=False,
        ),
        sa.Column("change_xid", sa.BigInteger(), server_default=XID, nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True)),
        sa.Column("erased_by", sa.String(200)),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
        sa.UniqueConstraint(
            "source_agency_id", "external_id", name=op.f("uq_person_source_agency_id_external_id")
        ),
        sa.ForeignKeyConstraint(
            ["supervisor_id"], ["person.id"], name=op.f("fk_person_supervisor_id_person")
        ),
    )
    op.create_index(op.f("ix_person_agency_id"), "person", ["agency_id"])
    op.create_index(op.f("ix_person_supervisor_id"), "person", ["supervisor_id"])
    op.create_index(
        "ix_person_national_id_hash", "person", ["national_id_hash"], postgresql_using="hash"
    )
    op.create_index(
        "uq_person_subject",
        "person",
        ["subject"],
        unique=True,
        postgresql_where=sa.text("subject IS NOT NULL"),
    )
    op.create_index("ix_person_change", "person", ["change_xid", "change_seq"])

    op.create_table(
        "staff_group_assignment",
        sa.Column("person_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("groups", postgresql.JSONB(), nullable=False),
        sa.Column("note", sa.Text()),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("awaiting", sa.String(32)),
        sa.Column("proposed_by", sa.String(200), nullable=False),
        sa.Column(
            "proposed_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("agreed_by", sa.String(200)),
        sa.Column("agreed_at", sa.DateTime(timezone=True)),
        sa.Column("approved_by", sa.String(200)),
        sa.Column("approved_at", sa.DateTime(timezone=True)),
        sa.Column("rejected_by", sa.String(200)),
        sa.Column("rejected_at", sa.DateTime(timezone=True)),
        sa.Column("rejection_note", sa.Text()),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("person_id", "id", name=op.f("pk_staff_group_assignment")),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_staff_group_assignment_person_id_person")
        ),
    )
    op.create_index(
        "uq_staff_group_assignment_pending",
        "staff_group_assignment",
        ["person_id", "fiscal_year"],
        unique=True,
        postgresql_where=sa.text("state = 'pending'"),
    )
    op.create_index(
        "ix_staff_group_assignment_year",
        "staff_group_assignment",
        ["person_id", "fiscal_year", "decided_at"],
    )
    op.create_index("ix_staff_group_assignment_id", "staff_group_assignment", ["id"])

    op.create_table(
        "idempotency_key",
        sa.Column("principal", sa.String(200), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("response_body", sa.LargeBinary(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("principal", "key", name=op.f("pk_idempotency_key")),
    )
    op.create_index(op.f("ix_idempotency_key_created_at"), "idempotency_key", ["created_at"])


def downgrade() -> None:
    op.drop_table("idempotency_key")
    op.drop_table("staff_group_assignment")
    op.drop_table("person")
    op.drop_table("stage_declaration")
    op.drop_table("agency_version")
    op.execute("DROP TABLE agency")
    op.execute("DROP FUNCTION agency_is_never_deleted()")
    op.execute("DROP SEQUENCE person_change_seq")
    op.execute("DROP SEQUENCE agency_change_seq")

"""Assessments, their ratings, agency assessment policies.

Revision ID: 0004_assessments
Revises: 0003_agencies_people
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004_assessments"
down_revision: str | None = "0003_agencies_people"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UUID = postgresql.UUID(as_uuid=True)


def _at(name: str, *, required: bool = False) -> sa.Column:
    if required:
        return sa.Column(
            name, sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        )
    return sa.Column(name, sa.DateTime(timezone=True))


def upgrade() -> None:
    op.create_table(
        "assessment",
        sa.Column("person_id", UUID, nullable=False),
        sa.Column("id", UUID, nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("agency_id", UUID, nullable=False),
        sa.Column("framework_version_id", UUID, nullable=False),
        sa.Column("targets", postgresql.JSONB(), nullable=False),
        sa.Column("required_items", postgresql.JSONB(), nullable=False),
        sa.Column("supervisor_id", UUID),
        sa.Column("policy", postgresql.JSONB()),
        sa.Column("opened_by", sa.String(200), nullable=False),
        _at("submitted_at"),
        sa.Column("submitted_by", sa.String(200)),
        _at("finalized_at"),
        sa.Column("finalized_by", sa.String(200)),
        _at("reopened_at"),
        sa.Column("reopened_by", sa.String(200)),
        sa.Column("reopen_reason", sa.Text()),
        sa.Column("row_version", sa.Integer(), nullable=False),
        _at("created_at", required=True),
        _at("updated_at", required=True),
        sa.PrimaryKeyConstraint("person_id", "id", name=op.f("pk_assessment")),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_assessment_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["framework_version_id"],
            ["framework_version.id"],
            name=op.f("fk_assessment_framework_version_id_framework_version"),
            ondelete="RESTRICT",
        ),
        sa.UniqueConstraint(
            "person_id", "fiscal_year", "kind", name=op.f("uq_assessment_person_id")
        ),
        sa.CheckConstraint("kind IN ('baseline', 'reflection')", name=op.f("ck_assessment_kind")),
        sa.CheckConstraint(
            "status IN ('draft', 'submitted', 'final')", name=op.f("ck_assessment_status")
        ),
    )
    op.create_index("ix_assessment_reviewer", "assessment", ["supervisor_id", "status"])
    op.create_index("ix_assessment_id", "assessment", ["id"], unique=True)

    op.create_table(
        "assessment_rating",
        sa.Column("person_id", UUID, nullable=False),
        sa.Column("assessment_id", UUID, nullable=False),
        sa.Column("item_code", sa.String(64), nullable=False),
        sa.Column("self_value", sa.String(8)),
        sa.Column("self_note", sa.Text()),
        sa.Column("self_evidence_url", sa.Text()),
        sa.Column("self_rated_by", sa.String(200)),
        _at("self_rated_at"),
        sa.Column("supervisor_value", sa.String(8)),
        sa.Column("supervisor_note", sa.Text()),
        sa.Column("supervisor_evidence_url", sa.Text()),
        sa.Column("supervisor_rated_by", sa.String(200)),
        _at("supervisor_rated_at"),
        sa.PrimaryKeyConstraint(
            "person_id", "assessment_id", "item_code", name=op.f("pk_assessment_rating")
        ),
        sa.ForeignKeyConstraint(
            ["person_id", "assessment_id"],
            ["assessment.person_id", "assessment.id"],
            name="fk_assessment_rating_assessment",
            ondelete="CASCADE",
        ),
        sa.CheckConstraint(
            "self_value IN ('has', 'has_not')", name=op.f("ck_assessment_rating_self_value")
        ),
        sa.CheckConstraint(
            "supervisor_value IN ('has', 'has_not')",
            name=op.f("ck_assessment_rating_supervisor_value"),
        ),
    )

    op.create_table(
        "assessment_policy",
        sa.Column("agency_id", UUID, nullable=False),
        sa.Column("override", postgresql.JSONB(), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        _at("updated_at", required=True),
        sa.PrimaryKeyConstraint("agency_id", name=op.f("pk_assessment_policy")),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agency.id"], name=op.f("fk_assessment_policy_agency_id_agency")
        ),
    )


def downgrade() -> None:
    op.drop_table("assessment_policy")
    op.drop_table("assessment_rating")
    op.drop_table("assessment")

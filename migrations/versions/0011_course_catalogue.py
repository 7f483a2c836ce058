"""The course catalogue: providers, courses, their framework items, xAPI activity ids, history.

``course_activity`` maps an xAPI activity id to its course (primary key: one indexed look-up);
``course_item`` (version, item) finds the courses of a framework item; course titles and scope
are searched through a pg_trgm index on their whitespace-free search keys, like framework items.

Revision ID: 0011_course_catalogue
Revises: 0009_audit_event_scope
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0011_course_catalogue"
down_revision: str | None = "0009_audit_event_scope"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UUID = postgresql.UUID(as_uuid=True)


def _stamps() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
    ]


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_table(
        "course_provider",
        sa.Column("id", UUID, primary_key=True),
        sa.Column("code", sa.String(32, collation="C"), nullable=False),
        sa.Column("name_th", sa.String(300), nullable=False),
        sa.Column("name_en", sa.String(300)),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column(
            "agency_id",
            UUID,
            sa.ForeignKey("agency.id", name="fk_course_provider_agency_id_agency"),
        ),
        sa.Column("home_pages", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("source", sa.String(200)),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        *_stamps(),
        sa.PrimaryKeyConstraint("id", name="pk_course_provider"),
        sa.UniqueConstraint("code", name="uq_course_provider_code"),
        sa.CheckConstraint(
            "kind IN ('national', 'ministry', 'agency')", name="ck_course_provider_kind"
        ),
        sa.CheckConstraint(
            "kind <> 'national' OR agency_id IS NULL", name="ck_course_provider_owner"
        ),
    )
    op.create_index("ix_course_provider_agency_id", "course_provider", ["agency_id"])
    op.create_table(
        "course",
        sa.Column("id", UUID, nullable=False),
        sa.Column(
            "provider_id",
            UUID,
            sa.ForeignKey("course_provider.id", name="fk_course_provider_id_course_provider"),
            nullable=False,
        ),
        sa.Column("code", sa.String(64, collation="C"), nullable=False),
        sa.Column("title_th", sa.String(500), nullable=False),
        sa.Column("title_en", sa.String(500)),
        sa.Column("scope_th", sa.Text(), nullable=False),
        sa.Column("hours", sa.Numeric(8, 2)),
        sa.Column("delivery_mode", sa.String(16)),
        sa.Column("language", sa.String(35), nullable=False),
        sa.Column("url", sa.Text()),
        sa.Column(
            "framework_version_id",
            UUID,
            sa.ForeignKey(
                "framework_version.id", name="fk_course_framework_version_id_framework_version"
            ),
            nullable=False,
        ),
        sa.Column("items", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("groups", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("methods", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("source", sa.String(200)),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("document", postgresql.JSONB(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        *_stamps(),
        sa.PrimaryKeyConstraint("id", name="pk_course"),
        sa.UniqueConstraint("provider_id", "code", name="uq_course_provider_id_code"),
    )
    op.create_index(
        "ix_course_search_text",
        "course",
        ["search_text"],
        postgresql_using="gin",
        postgresql_ops={"search_text": "gin_trgm_ops"},
    )
    op.create_index("ix_course_groups", "course", ["groups"], postgresql_using="gin")
    op.create_index("ix_course_methods", "course", ["methods"], postgresql_using="gin")
    op.create_table(
        "course_item",
        sa.Column(
            "course_id",
            UUID,
            sa.ForeignKey("course.id", ondelete="CASCADE", name="fk_course_item_course_id_course"),
            nullable=False,
        ),
        sa.Column("item_code", sa.String(64), nullable=False),
        sa.Column("version_id", UUID, nullable=False),
        sa.PrimaryKeyConstraint("course_id", "item_code", name="pk_course_item"),
    )
    op.create_index("ix_course_item_item", "course_item", ["version_id", "item_code"])
    op.create_table(
        "course_activity",
        sa.Column("activity_id", sa.Text(collation="C"), nullable=False),
        sa.Column(
            "course_id",
            UUID,
            sa.ForeignKey(
                "course.id", ondelete="CASCADE", name="fk_course_activity_course_id_course"
            ),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("activity_id", name="pk_course_activity"),
    )
    op.create_index("ix_course_activity_course_id", "course_activity", ["course_id"])
    op.create_table(
        "course_revision",
        sa.Column(
            "course_id",
            UUID,
            sa.ForeignKey("course.id", name="fk_course_revision_course_id_course"),
            nullable=False,
        ),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column(
            "recorded_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("document", postgresql.JSONB(), nullable=False),
        sa.PrimaryKeyConstraint("course_id", "revision", name="pk_course_revision"),
    )


def downgrade() -> None:
    op.drop_table("course_revision")
    op.drop_table("course_activity")
    op.drop_table("course_item")
    op.drop_table("course")
    op.drop_table("course_provider")

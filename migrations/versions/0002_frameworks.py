"""Frameworks: versions (draft, published, retired), items, role profiles, crosswalk links.

A published or retired version is immutable: triggers refuse inserts, updates and deletes of its
content and any change to the version itself other than its status (published <-> retired).
Search keys are indexed with pg_trgm (GIN) so that Thai substrings are found without word breaks.

Revision ID: 0002_frameworks
Revises: 0001_foundation
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002_frameworks"
down_revision: str | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_table(
        "framework",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("title_th", sa.Text(), nullable=False),
        sa.Column("title_en", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_framework")),
        sa.UniqueConstraint("key", name=op.f("uq_framework_key")),
    )
    op.create_table(
        "framework_version",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("framework_id", sa.UUID(), nullable=False),
        sa.Column("label", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("meta", postgresql.JSON(astext_type=sa.Text()), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("based_on_id", sa.UUID(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_by", sa.String(length=200), nullable=True),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('draft', 'published', 'retired')", name=op.f("ck_framework_version_status")
        ),
        sa.ForeignKeyConstraint(
            ["based_on_id"],
            ["framework_version.id"],
            name=op.f("fk_framework_version_based_on_id_framework_version"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["framework_id"],
            ["framework.id"],
            name=op.f("fk_framework_version_framework_id_framework"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_framework_version")),
        sa.UniqueConstraint(
            "framework_id", "label", name=op.f("uq_framework_version_framework_id_label")
        ),
    )
    op.create_index(
        "ix_framework_version_content_hash",
        "framework_version",
        ["framework_id", "content_hash"],
        unique=False,
    )
    op.create_index(
        "ix_framework_version_one_published",
        "framework_version",
        ["framework_id"],
        unique=True,
        postgresql_where=sa.text("status = 'published'"),
    )
    op.create_table(
        "framework_item",
        sa.Column("version_id", sa.UUID(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("parent_code", sa.String(length=64), nullable=True),
        sa.Column("name_th", sa.Text(), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=True),
        sa.Column("description_th", sa.Text(), nullable=True),
        sa.Column("attrs", postgresql.JSON(astext_type=sa.Text()), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.Column("aliases", postgresql.JSON(astext_type=sa.Text()), nullable=False),
        sa.Column("examples", postgresql.JSON(astext_type=sa.Text()), nullable=False),
        sa.Column("resolutions", postgresql.JSON(astext_type=sa.Text()), nullable=False),
        sa.Column("search_code", sa.String(length=64), nullable=False),
        sa.Column("search_name", sa.Text(), nullable=False),
        sa.Column("search_alias", sa.Text(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('dimension', 'domain', 'unit', 'element', 'criterion', 'knowledge', 'experience', 'attribute', 'competency', 'key_role', 'key_function')",
            name=op.f("ck_framework_item_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["version_id", "parent_code"],
            ["framework_item.version_id", "framework_item.code"],
            name="fk_framework_item_parent",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["framework_version.id"],
            name=op.f("fk_framework_item_version_id_framework_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("version_id", "code", name=op.f("pk_framework_item")),
    )
    op.create_index(
        "ix_framework_item_kind", "framework_item", ["version_id", "kind", "position"], unique=False
    )
    op.create_index(
        "ix_framework_item_parent", "framework_item", ["version_id", "parent_code"], unique=False
    )
    op.create_index(
        "ix_framework_item_search_text",
        "framework_item",
        ["search_text"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"search_text": "gin_trgm_ops"},
    )
    op.create_table(
        "role_profile",
        sa.Column("version_id", sa.UUID(), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("staff_group", sa.String(length=16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("role_title_th", sa.Text(), nullable=False),
        sa.Column("role_title_en", sa.Text(), nullable=True),
        sa.Column("description_th", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.Column("description_source", sa.String(length=200), nullable=True),
        sa.Column("title_aliases", postgresql.JSON(astext_type=sa.Text()), nullable=False),
        sa.Column("printed", postgresql.JSON(astext_type=sa.Text()), nullable=False),
        sa.Column("foundational", postgresql.JSON(astext_type=sa.Text()), nullable=False),
        sa.Column("inherits", postgresql.JSON(astext_type=sa.Text()), nullable=False),
        sa.Column("resolutions", postgresql.JSON(astext_type=sa.Text()), nullable=False),
        sa.CheckConstraint(
            "staff_group IN ('executive', 'management', 'academic', 'service', 'technologist', 'others')",
            name=op.f("ck_role_profile_staff_group"),
        ),
        sa.CheckConstraint(
            "stage IN ('early', 'developing', 'mature')", name=op.f("ck_role_profile_stage")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["framework_version.id"],
            name=op.f("fk_role_profile_version_id_framework_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("version_id", "stage", "staff_group", name=op.f("pk_role_profile")),
    )
    op.create_table(
        "crosswalk_link",
        sa.Column("version_id", sa.UUID(), nullable=False),
        sa.Column("target_version_id", sa.UUID(), nullable=False),
        sa.Column("from_code", sa.String(length=64), nullable=False),
        sa.Column("to_code", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("relation", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.CheckConstraint(
            "relation IN ('exactMatchOf', 'isRelatedTo')", name=op.f("ck_crosswalk_link_relation")
        ),
        sa.ForeignKeyConstraint(
            ["target_version_id", "to_code"],
            ["framework_item.version_id", "framework_item.code"],
            name="fk_crosswalk_link_to_item",
        ),
        sa.ForeignKeyConstraint(
            ["target_version_id"],
            ["framework_version.id"],
            name=op.f("fk_crosswalk_link_target_version_id_framework_version"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["version_id", "from_code"],
            ["framework_item.version_id", "framework_item.code"],
            name="fk_crosswalk_link_from_item",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "version_id",
            "target_version_id",
            "from_code",
            "to_code",
            name=op.f("pk_crosswalk_link"),
        ),
    )
    op.create_index(
        "ix_crosswalk_link_target", "crosswalk_link", ["target_version_id", "to_code"], unique=False
    )
    op.create_table(
        "role_profile_requirement",
        sa.Column("version_id", sa.UUID(), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("staff_group", sa.String(length=16), nullable=False),
        sa.Column("component", sa.String(length=16), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.Column("printed_code", sa.String(length=64), nullable=True),
        sa.Column("inherited_stage", sa.String(length=16), nullable=True),
        sa.Column("inherited_group", sa.String(length=16), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "component IN ('unit', 'knowledge', 'experience', 'attribute', 'competency')",
            name=op.f("ck_role_profile_requirement_component"),
        ),
        sa.CheckConstraint(
            "origin IN ('foundational', 'printed', 'inherited')",
            name=op.f("ck_role_profile_requirement_origin"),
        ),
        sa.ForeignKeyConstraint(
            ["version_id", "code"],
            ["framework_item.version_id", "framework_item.code"],
            name="fk_role_profile_requirement_item",
        ),
        sa.ForeignKeyConstraint(
            ["version_id", "stage", "staff_group"],
            ["role_profile.version_id", "role_profile.stage", "role_profile.staff_group"],
            name="fk_role_profile_requirement_profile",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "version_id",
            "stage",
            "staff_group",
            "component",
            "code",
            name=op.f("pk_role_profile_requirement"),
        ),
    )
    op.create_index(
        "ix_role_profile_requirement_item",
        "role_profile_requirement",
        ["version_id", "code"],
        unique=False,
    )
    _immutability()


CONTENT_TABLES = ("framework_item", "role_profile", "role_profile_requirement", "crosswalk_link")


def _immutability() -> None:
    op.execute(
        """
        CREATE FUNCTION framework_content_is_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
          v uuid;
          s text;
        BEGIN
          FOREACH v IN ARRAY ARRAY[
            CASE WHEN TG_OP <> 'INSERT' THEN OLD.version_id END,
            CASE WHEN TG_OP <> 'DELETE' THEN NEW.version_id END
          ] LOOP
            CONTINUE WHEN v IS NULL;
            SELECT status INTO s FROM framework_version WHERE id = v;
            IF s IS NOT NULL AND s <> 'draft' THEN
              RAISE EXCEPTION 'framework version % is %: its content cannot change', v, s
                USING ERRCODE = 'object_not_in_prerequisite_state';
            END IF;
          END LOOP;
          IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
          RETURN NEW;
        END $$
        """
    )
    for table in CONTENT_TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_frozen BEFORE INSERT OR UPDATE OR DELETE ON {table}"
            " FOR EACH ROW EXECUTE FUNCTION framework_content_is_frozen()"
        )
    op.execute(
        """
        CREATE FUNCTION framework_version_is_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF OLD.status = 'draft' THEN
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
          END IF;
          IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION 'framework version % is %: it cannot be deleted', OLD.id, OLD.status
              USING ERRCODE = 'object_not_in_prerequisite_state';
          END IF;
          IF NEW.status = 'draft'
             OR NEW.framework_id <> OLD.framework_id
             OR NEW.label <> OLD.label
             OR NEW.meta::text <> OLD.meta::text
             OR NEW.content_hash <> OLD.content_hash THEN
            RAISE EXCEPTION 'framework version % is %: only its status may change', OLD.id, OLD.status
              USING ERRCODE = 'object_not_in_prerequisite_state';
          END IF;
          RETURN NEW;
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER framework_version_frozen BEFORE UPDATE OR DELETE ON framework_version"
        " FOR EACH ROW EXECUTE FUNCTION framework_version_is_frozen()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER framework_version_frozen ON framework_version")
    for table in CONTENT_TABLES:
        op.execute(f"DROP TRIGGER {table}_frozen ON {table}")
    op.execute("DROP FUNCTION framework_version_is_frozen()")
    op.execute("DROP FUNCTION framework_content_is_frozen()")
    op.drop_index("ix_role_profile_requirement_item", table_name="role_profile_requirement")
    op.drop_table("role_profile_requirement")
    op.drop_index("ix_crosswalk_link_target", table_name="crosswalk_link")
    op.drop_table("crosswalk_link")
    op.drop_table("role_profile")
    op.drop_index(
        "ix_framework_item_search_text",
        table_name="framework_item",
        postgresql_using="gin",
        postgresql_ops={"search_text": "gin_trgm_ops"},
    )
    op.drop_index("ix_framework_item_parent", table_name="framework_item")
    op.drop_index("ix_framework_item_kind", table_name="framework_item")
    op.drop_table("framework_item")
    op.drop_index(
        "ix_framework_version_one_published",
        table_name="framework_version",
        postgresql_where=sa.text("status = 'published'"),
    )
    op.drop_index("ix_framework_version_content_hash", table_name="framework_version")
    op.drop_table("framework_version")
    op.drop_table("framework")

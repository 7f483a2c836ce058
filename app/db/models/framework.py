"""Frameworks, their versions and the content of each version (reference data, not per person).

Identity is framework + version + code. A version is ``draft``, ``published`` or ``retired``;
triggers refuse any change to the content of a version that is not a draft (see migration
0002_frameworks), so a published version is immutable even for code that bypasses the services.
Document parts are stored as ``json`` (not ``jsonb``) so that they come back exactly as written,
key order included: the native format round-trips.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSON, UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, Timestamped, new_id

ITEM_KINDS = (
    "dimension",
    "domain",
    "unit",
    "element",
    "criterion",
    "knowledge",
    "experience",
    "attribute",
    "competency",
    "key_role",
    "key_function",
)
STAGES = ("early", "developing", "mature")
STAFF_GROUPS = ("executive", "management", "academic", "service", "technologist", "others")
COMPONENTS = ("unit", "knowledge", "experience", "attribute", "competency")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Framework(Timestamped, Base):
    __tablename__ = "framework"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=new_id)
    key: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    title_th: Mapped[str] = mapped_column(Text, nullable=False)
    title_en: Mapped[str | None] = mapped_column(Text)


class FrameworkVersion(Base):
    __tablename__ = "framework_version"
    __table_args__ = (
        UniqueConstraint("framework_id", "label"),
        CheckConstraint(_in("status", ("draft", "published", "retired")), name="status"),
        # At most one current published version per framework.
        Index(
            "ix_framework_version_one_published",
            "framework_id",
            unique=True,
            postgresql_where=text("status = 'published'"),
        ),
        Index("ix_framework_version_content_hash", "framework_id", "content_hash"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=new_id)
    framework_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("framework.id", ondelete="RESTRICT"), nullable=False
    )
    label: Mapped[str] = mapped_column(String(40), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="draft")
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    content_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    based_on_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("framework_version.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=text("now()"), nullable=False
    )
    created_by: Mapped[str] = mapped_column(String(200), nullable=False)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    published_by: Mapped[str | None] = mapped_column(String(200))
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class FrameworkItem(Base):
    __tablename__ = "framework_item"
    __table_args__ = (
        ForeignKeyConstraint(
            ["version_id", "parent_code"],
            ["framework_item.version_id", "framework_item.code"],
            name="fk_framework_item_parent",
            deferrable=True,
            initially="DEFERRED",
        ),
        CheckConstraint(_in("kind", ITEM_KINDS), name="kind"),
        Index("ix_framework_item_kind", "version_id", "kind", "position"),
        Index("ix_framework_item_parent", "version_id", "parent_code"),
        Index(
            "ix_framework_item_search_text",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
        ),
    )

    version_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("framework_version.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    parent_code: Mapped[str | None] = mapped_column(String(64))
    name_th: Mapped[str] = mapped_column(Text, nullable=False)
    name_en: Mapped[str | None] = mapped_column(Text)
    description_th: Mapped[str | None] = mapped_column(Text)
    attrs: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    source: Mapped[str | None] = mapped_column(String(200))
    aliases: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False)
    examples: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False)
    resolutions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False)
    # Search keys (app.domain.text.search_key: case-folded, no whitespace), joined by "|".
    search_code: Mapped[str] = mapped_column(String(64), nullable=False)
    search_name: Mapped[str] = mapped_column(Text, nullable=False)
    search_alias: Mapped[str] = mapped_column(Text, nullable=False)
    search_text: Mapped[str] = mapped_column(Text, nullable=False)


class RoleProfileRow(Base):
    """A role profile as printed (JSONB members keep the seed's structure and order)."""

    __tablename__ = "role_profile"
    __table_args__ = (
        CheckConstraint(_in("stage", STAGES), name="stage"),
        CheckConstraint(_in("staff_group", STAFF_GROUPS), name="staff_group"),
    )

    version_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("framework_version.id", ondelete="CASCADE"), primary_key=True
    )
    stage: Mapped[str] = mapped_column(String(16), primary_key=True)
    staff_group: Mapped[str] = mapped_column(String(16), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    role_title_th: Mapped[str] = mapped_column(Text, nullable=False)
    role_title_en: Mapped[str | None] = mapped_column(Text)
    description_th: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(200))
    description_source: Mapped[str | None] = mapped_column(String(200))
    title_aliases: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False)
    printed: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    foundational: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    inherits: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False)
    resolutions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False)


class RoleProfileRequirement(Base):
    """One resolved requirement of a profile (computed by the domain when the version is saved),
    so that "what does this profile require" and "who requires this unit" are plain joins."""

    __tablename__ = "role_profile_requirement"
    __table_args__ = (
        ForeignKeyConstraint(
            ["version_id", "stage", "staff_group"],
            ["role_profile.version_id", "role_profile.stage", "role_profile.staff_group"],
            name="fk_role_profile_requirement_profile",
            ondelete="CASCADE",
        ),
        ForeignKeyConstraint(
            ["version_id", "code"],
            ["framework_item.version_id", "framework_item.code"],
            name="fk_role_profile_requirement_item",
        ),
        CheckConstraint(_in("component", COMPONENTS), name="component"),
        CheckConstraint(_in("origin", ("foundational", "printed", "inherited")), name="origin"),
        Index("ix_role_profile_requirement_item", "version_id", "code"),
    )

    version_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    stage: Mapped[str] = mapped_column(String(16), primary_key=True)
    staff_group: Mapped[str] = mapped_column(String(16), primary_key=True)
    component: Mapped[str] = mapped_column(String(16), primary_key=True)
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    origin: Mapped[str] = mapped_column(String(16), nullable=False)
    source: Mapped[str | None] = mapped_column(String(200))
    printed_code: Mapped[str | None] = mapped_column(String(64))
    inherited_stage: Mapped[str | None] = mapped_column(String(16))
    inherited_group: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)


class CrosswalkLinkRow(Base):
    """A link from a unit of this version to a unit of a version of another framework."""

    __tablename__ = "crosswalk_link"
    __table_args__ = (
        ForeignKeyConstraint(
            ["version_id", "from_code"],
            ["framework_item.version_id", "framework_item.code"],
            name="fk_crosswalk_link_from_item",
            ondelete="CASCADE",
        ),
        ForeignKeyConstraint(
            ["target_version_id", "to_code"],
            ["framework_item.version_id", "framework_item.code"],
            name="fk_crosswalk_link_to_item",
        ),
        CheckConstraint(_in("relation", ("exactMatchOf", "isRelatedTo")), name="relation"),
        Index("ix_crosswalk_link_target", "target_version_id", "to_code"),
    )

    version_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    target_version_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("framework_version.id", ondelete="RESTRICT"), primary_key=True
    )
    from_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    to_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    relation: Mapped[str] = mapped_column(String(16), nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False)
    source: Mapped[str | None] = mapped_column(String(200))

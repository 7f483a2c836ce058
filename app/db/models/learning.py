"""The course catalogue: providers, their courses, the framework items a course maps to, the xAPI
activity ids that identify it, and every revision of a course.

Catalogue tables are reference tables (not person-owned). A course is keyed by its provider and
its code; ``course_activity`` resolves an xAPI activity id to its course with one indexed look-up.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, Timestamped, new_id

PROVIDER_KINDS = ("national", "ministry", "agency")


class CourseProvider(Timestamped, Base):
    """Who offers courses. A national provider (OCSC, TDGA) belongs to no agency; a ministry's
    or an agency's provider belongs to that agency (none until it is registered), and its
    writers are those whose scope covers the agency. ``home_pages`` are the xAPI
    ``account.homePage`` values its learning platforms send, so that an actor's account can be
    matched to a person."""

    __tablename__ = "course_provider"
    __table_args__ = (
        CheckConstraint("kind IN ('national', 'ministry', 'agency')", name="kind"),
        CheckConstraint("kind <> 'national' OR agency_id IS NULL", name="owner"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(32, collation="C"), nullable=False, unique=True)
    name_th: Mapped[str] = mapped_column(String(300), nullable=False)
    name_en: Mapped[str | None] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    agency_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("agency.id"), index=True
    )
    home_pages: Mapped[list[str]] = mapped_column(ARRAY(Text), nullable=False, default=list)
    source: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    updated_by: Mapped[str] = mapped_column(String(200), nullable=False)


class Course(Timestamped, Base):
    """A course as its provider last described it (``document``: the record, in the API's
    field names); ``revision`` counts the changes, each kept in ``course_revision``."""

    __tablename__ = "course"
    __table_args__ = (
        UniqueConstraint("provider_id", "code"),
        Index(
            "ix_course_search_text",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
        ),
        Index("ix_course_groups", "groups", postgresql_using="gin"),
        Index("ix_course_methods", "methods", postgresql_using="gin"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=new_id)
    provider_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("course_provider.id"), nullable=False
    )
    code: Mapped[str] = mapped_column(String(64, collation="C"), nullable=False)
    title_th: Mapped[str] = mapped_column(String(500), nullable=False)
    title_en: Mapped[str | None] = mapped_column(String(500))
    scope_th: Mapped[str] = mapped_column(Text, nullable=False)
    hours: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    delivery_mode: Mapped[str | None] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(35), nullable=False)
    url: Mapped[str | None] = mapped_column(Text)
    framework_version_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("framework_version.id"), nullable=False
    )
    items: Mapped[list[str]] = mapped_column(ARRAY(Text), nullable=False)
    groups: Mapped[list[str]] = mapped_column(ARRAY(Text), nullable=False)
    methods: Mapped[list[str]] = mapped_column(ARRAY(Text), nullable=False)
    source: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    document: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    search_text: Mapped[str] = mapped_column(Text, nullable=False)
    revision: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    updated_by: Mapped[str] = mapped_column(String(200), nullable=False)


class CourseItem(Base):
    """A framework item a course develops (a unit, an element, a criterion, a knowledge item)."""

    __tablename__ = "course_item"
    __table_args__ = (Index("ix_course_item_item", "version_id", "item_code"),)

    course_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("course.id", ondelete="CASCADE"), primary_key=True
    )
    item_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    version_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)


class CourseActivity(Base):
    """An xAPI activity id (IRI) that identifies a course: unique across the catalogue."""

    __tablename__ = "course_activity"

    activity_id: Mapped[str] = mapped_column(Text(collation="C"), primary_key=True)
    course_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("course.id", ondelete="CASCADE"), nullable=False, index=True
    )


class CourseRevision(Base):
    """Every state a course has had, by whom and when (never changed once written)."""

    __tablename__ = "course_revision"

    course_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("course.id"), primary_key=True
    )
    revision: Mapped[int] = mapped_column(Integer, primary_key=True)
    recorded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    recorded_by: Mapped[str] = mapped_column(String(200), nullable=False)
    action: Mapped[str] = mapped_column(String(16), nullable=False)
    document: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)

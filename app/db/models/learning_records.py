"""What a person learned, as e-learning providers report it: one row per xAPI statement of an
accepted verb (completed, passed, failed and their LMS and cmi5 equivalents) about a person.

The row is derived once, in the transaction that stores the statement (or that links its actor
to a person), and never again but to mark it voided. ``plan_id`` / ``plan_activity`` name the
plan activity the completion counted towards (its effort is a ``plan_effort`` row with source
``completion`` whose id is the statement's id); ``items`` are the course's framework items the
completion is evidence on (``framework_version_id``), kept as they were when it arrived."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Index,
    Numeric,
    SmallInteger,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base

OUTCOMES = ("completed", "passed", "failed", "other")


class LearningRecord(Base):
    __tablename__ = "learning_record"

    person_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    statement_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    course_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    activity_id: Mapped[str] = mapped_column(Text, nullable=False)
    verb: Mapped[str] = mapped_column(Text, nullable=False)
    outcome: Mapped[str] = mapped_column(String(16), nullable=False)
    hours: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    bucket: Mapped[int | None] = mapped_column(SmallInteger)  # 70, 20 or 10
    on: Mapped[date] = mapped_column(Date, nullable=False)
    items: Mapped[list[str]] = mapped_column(ARRAY(Text), nullable=False)
    framework_version_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    plan_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    plan_activity: Mapped[str | None] = mapped_column(String(64))
    voided: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=text("false"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)

    __table_args__ = (
        CheckConstraint("outcome IN " + repr(OUTCOMES), name="outcome"),
        CheckConstraint("hours IS NULL OR hours >= 0", name="hours"),
        Index("ix_learning_record_statement", "statement_id"),
        Index("ix_learning_record_person_on", "person_id", "on"),
    )

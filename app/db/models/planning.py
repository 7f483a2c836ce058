"""Individual development plans: the plan, its revisions, actual effort, agencies' policies.

A plan is one person's plan for one fiscal year; each change to what was agreed is a new
revision and old revisions are never changed (the service never updates them and a trigger
refuses it). Documents are JSON in the domain model's field names (app/domain/planning).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, new_id

PLAN_STATES = ("draft", "submitted", "acknowledged", "in_progress", "evaluated")


class DevelopmentPlan(Base):
    """One person's plan for a fiscal year (BE) and a pointer to its current revision."""

    __tablename__ = "development_plan"

    person_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("person.id"), primary_key=True
    )
    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=new_id)
    fiscal_year: Mapped[int] = mapped_column(Integer, nullable=False)
    current_revision: Mapped[int] = mapped_column(Integer, nullable=False)
    # Advanced by every write to the plan: the ETag of its current revision.
    lock_version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    created_by: Mapped[str] = mapped_column(String(200), nullable=False)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )

    __table_args__ = (
        UniqueConstraint("person_id", "fiscal_year"),
        Index("ix_development_plan_id", "id"),
    )


class PlanRevision(Base):
    """One revision of a plan: the IDP1 document, its state and signatures, the IDP2."""

    __tablename__ = "plan_revision"

    person_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    plan_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, primary_key=True)
    revised_from: Mapped[int | None] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16), nullable=False)
    # header (person_name, position, unit) and items, in the domain's field names
    document: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    # the self-assessment the plan is built on (the assessment table is linked separately)
    baseline_assessment_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    framework_version_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    owner_ack_by: Mapped[str | None] = mapped_column(String(200))
    owner_ack_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    supervisor_ack_by: Mapped[str | None] = mapped_column(String(200))
    supervisor_ack_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # IDP2: rows and the two signatures, as app.domain.planning.document writes them
    evaluation: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    created_by: Mapped[str] = mapped_column(String(200), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    updated_by: Mapped[str] = mapped_column(String(200), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)

    __table_args__ = (
        ForeignKeyConstraint(
            ["person_id", "plan_id"],
            ["development_plan.person_id", "development_plan.id"],
            name="fk_plan_revision_plan",
        ),
        CheckConstraint("state IN " + repr(PLAN_STATES), name="state"),
        Index("ix_plan_revision_state", "state"),
    )


class PlanEffort(Base):
    """Actual effort on one activity of a plan (by hand, or from a completion)."""

    __tablename__ = "plan_effort"

    person_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    plan_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    activity_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=new_id)
    revision: Mapped[int] = mapped_column(Integer, nullable=False)
    hours: Mapped[Decimal] = mapped_column(Numeric(8, 2), nullable=False)
    on: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(16), nullable=False)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(200), nullable=False)
    recorded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )

    __table_args__ = (
        ForeignKeyConstraint(
            ["person_id", "plan_id"],
            ["development_plan.person_id", "development_plan.id"],
            name="fk_plan_effort_plan",
        ),
        CheckConstraint("source IN ('manual', 'completion')", name="source"),
        CheckConstraint("hours > 0", name="hours"),
    )


class PlanningPolicyRow(Base):
    """An agency's own planning settings; units inherit from their ancestors field by field."""

    __tablename__ = "planning_policy"

    agency_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("agency.id"), primary_key=True
    )
    overrides: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    updated_by: Mapped[str] = mapped_column(String(200), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )

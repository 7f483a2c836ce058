"""Assessments, their ratings, and each agency's assessment policy.

An assessment belongs to one person (its primary key leads with ``person_id``, DESIGN §7), one
fiscal year (Buddhist Era) and one kind (``baseline`` or ``reflection``). It records the framework
version and a snapshot of its targets and required items, so a later framework version never
changes it. ``row_version`` is advanced by every write and served as the ETag.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, Timestamped, new_id

ASSESSMENT_KINDS = ("baseline", "reflection")
ASSESSMENT_STATUSES = ("draft", "submitted", "final")
RATING_VALUES = ("has", "has_not")


class Assessment(Timestamped, Base):
    __tablename__ = "assessment"
    __table_args__ = (
        UniqueConstraint("person_id", "fiscal_year", "kind"),
        CheckConstraint("kind IN ('baseline', 'reflection')", name="kind"),
        CheckConstraint("status IN ('draft', 'submitted', 'final')", name="status"),
        Index("ix_assessment_reviewer", "supervisor_id", "status"),
        Index("ix_assessment_id", "id", unique=True),
    )

    person_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("person.id"), primary_key=True
    )
    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=new_id)
    fiscal_year: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="draft")
    agency_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    framework_version_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("framework_version.id", ondelete="RESTRICT"), nullable=False
    )
    # {"framework", "version_label", "stage", "stage_declared_by", "groups": [...],
    #  "present": ["developing/technologist"], "future": ["mature/technologist"]}
    targets: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    # The required items as RequiredItem fields (app/services/assessment/assessment_items.py).
    required_items: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False)
    # The first-line supervisor who reviews it: at opening, refreshed at submission.
    supervisor_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    # The resolved policy the final result was scored with (set when it is finalised).
    policy: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    opened_by: Mapped[str] = mapped_column(String(200), nullable=False)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    submitted_by: Mapped[str | None] = mapped_column(String(200))
    finalized_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finalized_by: Mapped[str | None] = mapped_column(String(200))
    reopened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reopened_by: Mapped[str | None] = mapped_column(String(200))
    reopen_reason: Mapped[str | None] = mapped_column(Text)
    row_version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)


class AssessmentRating(Base):
    """One item's self and supervisor ratings (004:962, 004:956)."""

    __tablename__ = "assessment_rating"
    __table_args__ = (
        ForeignKeyConstraint(
            ["person_id", "assessment_id"],
            ["assessment.person_id", "assessment.id"],
            name="fk_assessment_rating_assessment",
            ondelete="CASCADE",
        ),
        CheckConstraint("self_value IN ('has', 'has_not')", name="self_value"),
        CheckConstraint("supervisor_value IN ('has', 'has_not')", name="supervisor_value"),
    )

    person_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    assessment_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    item_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    self_value: Mapped[str | None] = mapped_column(String(8))
    self_note: Mapped[str | None] = mapped_column(Text)
    self_evidence_url: Mapped[str | None] = mapped_column(Text)
    self_rated_by: Mapped[str | None] = mapped_column(String(200))
    self_rated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    supervisor_value: Mapped[str | None] = mapped_column(String(8))
    supervisor_note: Mapped[str | None] = mapped_column(Text)
    supervisor_evidence_url: Mapped[str | None] = mapped_column(Text)
    supervisor_rated_by: Mapped[str | None] = mapped_column(String(200))
    supervisor_rated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AssessmentPolicyRow(Base):
    """The fields of the assessment policy one agency sets (docs/assessment.md); the rest is
    inherited from its parent agency, up to the product defaults."""

    __tablename__ = "assessment_policy"

    agency_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("agency.id"), primary_key=True
    )
    override: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    updated_by: Mapped[str] = mapped_column(String(200), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )


class AssessmentResult(Base):
    """The scored result of a final assessment, kept at finalisation so that reports read rows and
    never re-score (removed when the assessment is reopened). ``groups`` are the staff groups its
    targets were resolved for; readiness counters are None for a target the set has no item for."""

    __tablename__ = "assessment_result"
    __table_args__ = (
        ForeignKeyConstraint(
            ["person_id", "assessment_id"],
            ["assessment.person_id", "assessment.id"],
            name="fk_assessment_result_assessment",
            ondelete="CASCADE",
        ),
        # Reports: one fiscal year's results of a set of agencies.
        Index("ix_assessment_result_year_agency", "fiscal_year", "agency_id", "kind"),
    )

    person_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    assessment_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    agency_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    fiscal_year: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    stage: Mapped[str | None] = mapped_column(String(16))
    groups: Mapped[list[str]] = mapped_column(ARRAY(String(64)), nullable=False)
    present_met: Mapped[int | None] = mapped_column(Integer)
    present_required: Mapped[int | None] = mapped_column(Integer)
    future_met: Mapped[int | None] = mapped_column(Integer)
    future_required: Mapped[int | None] = mapped_column(Integer)
    finalized_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class AssessmentResultRequirement(Base):
    """One requirement of a stored result: met or not, for which targets, in which domain.
    ``fiscal_year`` and ``agency_id`` repeat the result's so that a heat map or a top-gaps list
    reads one index range."""

    __tablename__ = "assessment_result_requirement"
    __table_args__ = (
        ForeignKeyConstraint(
            ["person_id", "assessment_id"],
            ["assessment_result.person_id", "assessment_result.assessment_id"],
            name="fk_assessment_result_requirement_result",
            ondelete="CASCADE",
        ),
        Index(
            "ix_assessment_result_requirement_year_agency",
            "fiscal_year",
            "agency_id",
            "kind",
        ),
    )

    person_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    assessment_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    agency_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    fiscal_year: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    component: Mapped[str] = mapped_column(String(16), nullable=False)
    domain_code: Mapped[str | None] = mapped_column(String(64))
    present: Mapped[bool] = mapped_column(Boolean, nullable=False)
    future: Mapped[bool] = mapped_column(Boolean, nullable=False)
    met: Mapped[bool] = mapped_column(Boolean, nullable=False)

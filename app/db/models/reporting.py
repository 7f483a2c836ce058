"""Reporting inputs: the digital-skill-target designations units make, each agency's reporting
policy (KPI targets, the small-group threshold), inherited down the agency tree."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text, func
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base


class DigitalTargetDesignation(Base):
    """Whether a person's unit designated them a digital-skill development target for a fiscal
    year (004:906-908, KPI G2). One row per person and year; a later decision replaces it (every
    change is audited)."""

    __tablename__ = "digital_target_designation"
    __table_args__ = (Index("ix_digital_target_designation_year", "fiscal_year", "person_id"),)

    person_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("person.id"), primary_key=True
    )
    fiscal_year: Mapped[int] = mapped_column(Integer, primary_key=True)
    designated: Mapped[bool] = mapped_column(Boolean, nullable=False)
    note: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(200), nullable=False)
    decided_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )


class ReportingPolicyRow(Base):
    """An agency's own reporting settings; units inherit from their ancestors field by field."""

    __tablename__ = "reporting_policy"

    agency_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("agency.id"), primary_key=True
    )
    overrides: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    updated_by: Mapped[str] = mapped_column(String(200), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )

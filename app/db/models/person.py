from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Sequence,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, Timestamped, new_id
from app.db.models.agency import CURRENT_XID

PERSON_CHANGE_SEQ = Sequence("person_change_seq")
ASSIGNMENT_CHANGE_SEQ = Sequence("staff_group_assignment_change_seq")


class Person(Timestamped, Base):
    """A person as their agency's HR system describes them. Never deleted: deactivated, or
    erased (PDPA: personal fields emptied, the row kept for anonymous aggregates).

    ``agency_id`` and ``source_agency_id`` carry no foreign key: agencies are never deleted (a
    trigger refuses it) and the sync resolves codes to ids in the writing transaction, so a
    per-row key check would only slow the bulk path (it cost a third of the insert time).
    ``supervisor_id`` is checked once per statement by triggers (migration 0006): a supervisor
    exists, and a removed person supervises nobody."""

    __tablename__ = "person"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=new_id)
    source_agency_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    # Identifiers, compared byte for byte (migration 0007).
    external_id: Mapped[str] = mapped_column(String(80, collation="C"), nullable=False)
    employee_number: Mapped[str | None] = mapped_column(String(32))
    first_name_th: Mapped[str | None] = mapped_column(String(100))
    last_name_th: Mapped[str | None] = mapped_column(String(100))
    first_name_en: Mapped[str | None] = mapped_column(String(100))
    last_name_en: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254))
    position_title: Mapped[str | None] = mapped_column(String(200))
    position_type: Mapped[str | None] = mapped_column(String(32))
    position_level: Mapped[str | None] = mapped_column(String(100))
    # The HRIS's employment category (app.domain.people.person.EmploymentCategory): who the
    # agency KPIs count (G1: ordinary civil servants and teachers; G2: other personnel).
    employment_category: Mapped[str | None] = mapped_column(String(32))
    agency_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False, index=True)
    supervisor_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), index=True)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    national_id_hash: Mapped[str | None] = mapped_column(String(80))
    subject: Mapped[str | None] = mapped_column(String(200, collation="C"))
    content_hash: Mapped[bytes | None] = mapped_column(LargeBinary)
    source_hash: Mapped[bytes | None] = mapped_column(LargeBinary)
    change_seq: Mapped[int] = mapped_column(
        BigInteger, PERSON_CHANGE_SEQ, server_default=PERSON_CHANGE_SEQ.next_value(), nullable=False
    )
    change_xid: Mapped[int] = mapped_column(BigInteger, server_default=CURRENT_XID, nullable=False)
    erased_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    erased_by: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (
        UniqueConstraint("source_agency_id", "external_id"),
        # A login is unique within its source (migration 0010); a token links to the holder
        # within its agency claim's subtree (app.services.platform.scope.linked_person).
        Index(
            "uq_person_source_subject",
            "source_agency_id",
            "subject",
            unique=True,
            postgresql_where=text("subject IS NOT NULL"),
        ),
        Index("ix_person_subject", "subject", postgresql_where=text("subject IS NOT NULL")),
        Index("ix_person_change", "change_xid", "change_seq"),
        CheckConstraint(
            "employment_category IN ('ordinary_civil_servant', 'teacher_education',"
            " 'permanent_employee', 'government_employee', 'other')",
            name="employment_category",
        ),
        # Matching is by equality only: a hash index is smaller and cheaper to keep up.
        Index("ix_person_national_id_hash", "national_id_hash", postgresql_using="hash"),
        # xAPI actors are matched by e-mail (migration 0012).
        Index("ix_person_email_lower", func.lower(text("email"))),
    )


class StaffGroupAssignment(Base):
    """A person's staff group(s) for a fiscal year and its approval workflow (003:657-659).

    Rows are never deleted or overwritten by a later proposal: the history stays. The effective
    assignment of a year is the latest approved one. Each group of ``groups`` is
    ``{"group", "scope"}``, and for a ``partial`` group ``"items"``: the codes chosen from its
    profile. Every write stamps ``change_seq``/``change_xid`` (migration 0008) for the delta feed.
    """

    __tablename__ = "staff_group_assignment"

    person_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("person.id"), primary_key=True
    )
    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=new_id)
    fiscal_year: Mapped[int] = mapped_column(Integer, nullable=False)
    groups: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False)
    note: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), nullable=False)
    awaiting: Mapped[str | None] = mapped_column(String(32))
    proposed_by: Mapped[str] = mapped_column(String(200), nullable=False)
    proposed_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    agreed_by: Mapped[str | None] = mapped_column(String(200))
    agreed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    approved_by: Mapped[str | None] = mapped_column(String(200))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    rejected_by: Mapped[str | None] = mapped_column(String(200))
    rejected_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    rejection_note: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    change_seq: Mapped[int] = mapped_column(
        BigInteger,
        ASSIGNMENT_CHANGE_SEQ,
        server_default=ASSIGNMENT_CHANGE_SEQ.next_value(),
        nullable=False,
    )
    change_xid: Mapped[int] = mapped_column(BigInteger, server_default=CURRENT_XID, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )

    __table_args__ = (
        Index(
            "uq_staff_group_assignment_pending",
            "person_id",
            "fiscal_year",
            unique=True,
            postgresql_where=text("state = 'pending'"),
        ),
        Index("ix_staff_group_assignment_year", "person_id", "fiscal_year", "decided_at"),
        Index("ix_staff_group_assignment_id", "id"),
        Index("ix_staff_group_assignment_change", "change_xid", "change_seq"),
    )

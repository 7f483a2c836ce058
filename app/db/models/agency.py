from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Sequence,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, Timestamped, new_id

AGENCY_CHANGE_SEQ = Sequence("agency_change_seq")
CURRENT_XID = text("pg_current_xact_id()::text::bigint")


class Agency(Timestamped, Base):
    """One unit of the agency tree, keyed by its official code.

    ``path`` is the materialised path of ids from the root down to this agency
    (``/<root id>/.../<own id>/``): a subtree is ``path LIKE '<prefix>%'`` on a b-tree index.
    ``change_seq``/``change_xid`` order changes for delta reads (see services/changes.py).
    """

    __tablename__ = "agency"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(32), nullable=False, unique=True)
    name_th: Mapped[str] = mapped_column(String(300), nullable=False)
    name_en: Mapped[str | None] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    parent_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("agency.id"), index=True
    )
    path: Mapped[str] = mapped_column(Text, nullable=False)
    depth: Mapped[int] = mapped_column(Integer, nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    content_hash: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    change_seq: Mapped[int] = mapped_column(
        BigInteger, AGENCY_CHANGE_SEQ, server_default=AGENCY_CHANGE_SEQ.next_value(), nullable=False
    )
    change_xid: Mapped[int] = mapped_column(BigInteger, server_default=CURRENT_XID, nullable=False)

    __table_args__ = (
        Index("ix_agency_path", "path", postgresql_ops={"path": "text_pattern_ops"}),
        Index("ix_agency_change", "change_xid", "change_seq"),
    )


class AgencyVersion(Base):
    """Every state an agency has had: renames and moves keep their history."""

    __tablename__ = "agency_version"

    agency_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("agency.id"), primary_key=True
    )
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    recorded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    recorded_by: Mapped[str] = mapped_column(String(200), nullable=False)
    code: Mapped[str] = mapped_column(String(32), nullable=False)
    name_th: Mapped[str] = mapped_column(String(300), nullable=False)
    name_en: Mapped[str | None] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    parent_code: Mapped[str | None] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(Boolean, nullable=False)


class StageDeclaration(Base):
    """The maturity stage an agency declared and announced for a fiscal year (003:653)."""

    __tablename__ = "stage_declaration"

    agency_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("agency.id"), primary_key=True
    )
    fiscal_year: Mapped[int] = mapped_column(Integer, primary_key=True)
    stage: Mapped[str] = mapped_column(String(16), nullable=False)
    announced_on: Mapped[date] = mapped_column(Date, nullable=False)
    declared_by: Mapped[str] = mapped_column(String(200), nullable=False)
    declared_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    note: Mapped[str | None] = mapped_column(Text)

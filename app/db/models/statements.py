"""xAPI statements as the LRS keeps them, and the account home pages it matches actors by."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    Index,
    LargeBinary,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base


class XapiStatement(Base):
    """One statement: ``body`` is the statement as received plus ``id`` (when absent),
    ``stored``, ``authority`` and ``version``, never changed afterwards (but for a PDPA erasure of
    its person). The other columns are what the filters match, derived once on the way in.

    ``agency_path`` is the statement's reach: its person's agency path once the actor is matched,
    else the path of the posting client's agency (``''`` for a national client); readers see the
    statements whose reach lies in their subtree. ``voided`` is set when a voiding statement for
    it is stored (before or after it)."""

    __tablename__ = "xapi_statement"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    stored: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    body: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    content_hash: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    # SHA-256 of the statement's JSON text exactly as received: a byte-identical resend is known
    # without being parsed or validated again.
    source_hash: Mapped[bytes | None] = mapped_column(LargeBinary)
    verb: Mapped[str] = mapped_column(Text, nullable=False)
    actor_key: Mapped[str | None] = mapped_column(Text)
    actor_keys: Mapped[list[str]] = mapped_column(ARRAY(Text), nullable=False)
    related_agents: Mapped[list[str]] = mapped_column(ARRAY(Text), nullable=False)
    activity: Mapped[str | None] = mapped_column(Text)
    related_activities: Mapped[list[str]] = mapped_column(ARRAY(Text), nullable=False)
    registration: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    voids: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    voided: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=text("false"))
    person_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    agency_path: Mapped[str] = mapped_column(Text, nullable=False)
    client_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))

    __table_args__ = (
        Index("ix_xapi_statement_stored", "stored", "id"),
        Index("ix_xapi_statement_actor_keys", "actor_keys", postgresql_using="gin"),
        Index("ix_xapi_statement_related_agents", "related_agents", postgresql_using="gin"),
        Index("ix_xapi_statement_related_activities", "related_activities", postgresql_using="gin"),
        Index("ix_xapi_statement_verb", "verb", "stored"),
        Index("ix_xapi_statement_activity", "activity", "stored"),
        Index("ix_xapi_statement_registration", "registration"),
        Index("ix_xapi_statement_voids", "voids", postgresql_where=text("voids IS NOT NULL")),
        Index("ix_xapi_statement_person", "person_id", "stored"),
        Index(
            "ix_xapi_statement_unlinked",
            "actor_key",
            postgresql_where=text("person_id IS NULL"),
        ),
        Index(
            "ix_xapi_statement_agency_path",
            "agency_path",
            postgresql_ops={"agency_path": "text_pattern_ops"},
        ),
    )


class XapiAccountHome(Base):
    """An account ``homePage`` whose names Thaksa knows: with an agency, an account name is the
    HRIS external id of a person of that agency (its source) or a token subject; without one
    (national), a token subject only."""

    __tablename__ = "xapi_account_home"

    home_page: Mapped[str] = mapped_column(String(500, collation="C"), primary_key=True)
    agency_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    created_by: Mapped[str] = mapped_column(String(200), nullable=False)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )


class XapiDocument(Base):
    """A document of the State, Activity Profile or Agent Profile resource: ``content`` as
    received with its ``content_type``. Documents live in the reach of the client that wrote
    them (``agency_path``: its agency's path, ``''`` for a national client) and are read and
    written only there; absent parts of the key (no activity for an agent profile, no agent for
    an activity profile, no registration) are ``''``."""

    __tablename__ = "xapi_document"

    agency_path: Mapped[str] = mapped_column(Text, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    activity_id: Mapped[str] = mapped_column(Text, primary_key=True)
    agent_key: Mapped[str] = mapped_column(Text, primary_key=True)
    registration: Mapped[str] = mapped_column(String(36), primary_key=True)
    document_id: Mapped[str] = mapped_column(Text, primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    content_type: Mapped[str] = mapped_column(Text, nullable=False)
    etag: Mapped[str] = mapped_column(String(42), nullable=False)
    updated: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    client_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))

    __table_args__ = (
        CheckConstraint(
            "kind IN ('state', 'activity_profile', 'agent_profile')",
            name="kind",
        ),
    )

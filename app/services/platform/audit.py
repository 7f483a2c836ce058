"""The audit trail: every write records who (user or client), when, what, and whose it is.

Each event names the agency of what it is about (``about``), so that a reader sees the events
of its own subtree only: an integration client with ``audit:read`` reads its agency's subtree, a
national client and a central administrator everything. Every writer must say whose the record
is: ``about_agency``, ``about_person`` (the person's agency), ``about_agency_code`` or
``NATIONAL`` (framework content and the like: central readers only).
"""

from __future__ import annotations

import uuid
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Agency, AuditEvent, Person
from app.db.repositories.platform.subtrees import in_subtrees
from app.domain.principal import Principal, Role
from app.services.platform.access import require
from app.services.platform.pagination import decode_cursor, encode_cursor
from app.services.platform.scope import Scope, client_scope

request_id_var: ContextVar[uuid.UUID | None] = ContextVar("request_id", default=None)


@dataclass(frozen=True, slots=True)
class About:
    """The agency an event belongs to: a value, or a query the insert evaluates (None: none)."""

    agency: uuid.UUID | ColumnElement[Any] | None


NATIONAL = About(None)


def about_agency(agency_id: uuid.UUID) -> About:
    return About(agency_id)


def about_agency_code(code: str | None) -> About:
    if code is None:
        return NATIONAL
    return About(select(Agency.id).where(Agency.code == code).scalar_subquery())


def about_person(person_id: uuid.UUID) -> About:
    """The person's agency, read by the insert itself (no extra round trip)."""
    return About(select(Person.agency_id).where(Person.id == person_id).scalar_subquery())


def record(
    session: AsyncSession,
    actor: Principal,
    *,
    entity: str,
    entity_id: object,
    action: str,
    about: About,
    details: dict[str, Any] | None = None,
) -> None:
    """Append one event in the caller's transaction: it lands only if the write lands."""
    session.add(
        AuditEvent(
            actor_kind=actor.kind.value,
            actor_id=actor.subject,
            actor_agency=actor.agency,
            agency_id=about.agency,
            entity=entity,
            entity_id=str(entity_id),
            action=action,
            request_id=request_id_var.get(),
            details=details or {},
        )
    )


def _in_scope(query: Select[AuditEvent], scope: Scope) -> Select[AuditEvent]:
    if scope.everything:
        return query
    subtree = select(Agency.id).where(in_subtrees(Agency.path, scope.agency_paths))
    return query.where(AuditEvent.agency_id.in_(subtree))


async def list_events(
    session: AsyncSession,
    actor: Principal,
    *,
    entity: str | None = None,
    entity_id: str | None = None,
    limit: int = 100,
    cursor: str | None = None,
) -> tuple[list[AuditEvent], str | None]:
    """Newest first, keyset-paginated. Central administrators (everything), or clients with
    ``audit:read`` (their agency's subtree; a national client everything)."""
    require(actor, roles=(Role.CENTRAL_ADMIN,), scope="audit:read")
    scope = await client_scope(session, actor) if actor.is_client else Scope(everything=True)
    query = _in_scope(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit + 1), scope)
    if entity:
        query = query.where(AuditEvent.entity == entity)
    if entity_id:
        query = query.where(AuditEvent.entity_id == entity_id)
    after = decode_cursor(cursor, id=int)
    if after is not None:
        query = query.where(AuditEvent.id < after["id"])
    rows = list(await session.scalars(query))
    next_cursor = encode_cursor({"id": rows[limit - 1].id}) if len(rows) > limit else None
    return rows[:limit], next_cursor

"""The audit trail: every write records who (user or client), when, and what."""

from __future__ import annotations

import uuid
from contextvars import ContextVar
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import AuditEvent
from app.domain.principal import Principal, Role
from app.services.platform.access import require
from app.services.platform.pagination import decode_cursor, encode_cursor

request_id_var: ContextVar[uuid.UUID | None] = ContextVar("request_id", default=None)


def record(
    session: AsyncSession,
    actor: Principal,
    *,
    entity: str,
    entity_id: object,
    action: str,
    details: dict[str, Any] | None = None,
) -> None:
    """Append one event in the caller's transaction: it lands only if the write lands."""
    session.add(
        AuditEvent(
            actor_kind=actor.kind.value,
            actor_id=actor.subject,
            actor_agency=actor.agency,
            entity=entity,
            entity_id=str(entity_id),
            action=action,
            request_id=request_id_var.get(),
            details=details or {},
        )
    )


async def list_events(
    session: AsyncSession,
    actor: Principal,
    *,
    entity: str | None = None,
    entity_id: str | None = None,
    limit: int = 100,
    cursor: str | None = None,
) -> tuple[list[AuditEvent], str | None]:
    """Newest first, keyset-paginated. Central administrators, or clients with ``audit:read``."""
    require(actor, roles=(Role.CENTRAL_ADMIN,), scope="audit:read")
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit + 1)
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

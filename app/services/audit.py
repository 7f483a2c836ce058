"""The audit trail: every write records who (user or client), when, and what."""

from __future__ import annotations

import uuid
from contextvars import ContextVar
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import AuditEvent
from app.domain.principal import Principal

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
    from sqlalchemy import select

    from app.domain.principal import Role
    from app.services.access import require
    from app.services.pagination import decode_cursor, encode_cursor

    require(actor, roles=(Role.CENTRAL_ADMIN,), scope="audit:read")
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit + 1)
    if entity:
        query = query.where(AuditEvent.entity == entity)
    if entity_id:
        query = query.where(AuditEvent.entity_id == entity_id)
    after = decode_cursor(cursor)
    if after is not None:
        query = query.where(AuditEvent.id < int(after.get("id", 0)))
    rows = list(await session.scalars(query))
    next_cursor = encode_cursor({"id": rows[limit - 1].id}) if len(rows) > limit else None
    return rows[:limit], next_cursor


async def record_many(
    session: AsyncSession,
    actor: Principal,
    *,
    entity: str,
    events: list[tuple[object, str, dict[str, Any]]],
) -> None:
    """Append one event per ``(entity_id, action, details)`` in a single set-based statement."""
    if not events:
        return
    import json

    from app.db.raw import driver_connection

    conn = await driver_connection(session)
    await conn.execute(
        """
        INSERT INTO audit_event
            (actor_kind, actor_id, actor_agency, entity, entity_id, action, request_id, details)
        SELECT $1, $2, $3, $4, u.entity_id, u.action, $5::uuid, u.details::jsonb
        FROM unnest($6::text[], $7::text[], $8::text[]) AS u(entity_id, action, details)
        """,
        actor.kind.value,
        actor.subject,
        actor.agency,
        entity,
        request_id_var.get(),
        [str(e[0]) for e in events],
        [e[1] for e in events],
        [json.dumps(e[2], ensure_ascii=False, default=str) for e in events],
    )

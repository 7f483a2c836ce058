from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from fastapi import APIRouter

from app.api.rest.deps import CurrentPrincipal, DbSession
from app.api.rest.inputs import InputRoute
from app.api.rest.params import Cursor, Limit
from app.api.rest.problems import problem_responses
from app.api.rest.schemas import ApiModel, Page
from app.services.platform import audit

router = APIRouter(prefix="/audit-events", tags=["audit"], route_class=InputRoute)


class AuditEventOut(ApiModel):
    id: int
    occurred_at: datetime
    actor_kind: str
    actor_id: str
    actor_agency: str | None
    entity: str
    entity_id: str
    action: str
    request_id: uuid.UUID | None
    details: dict[str, Any]


class AuditEventPage(Page[AuditEventOut]):
    """A page of the audit trail."""


@router.get("", response_model=AuditEventPage, responses=problem_responses(401, 403, 422))
async def list_audit_events(
    principal: CurrentPrincipal,
    session: DbSession,
    entity: str | None = None,
    entity_id: str | None = None,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> AuditEventPage:
    """The append-only audit trail, newest first."""
    rows, next_cursor = await audit.list_events(
        session, principal, entity=entity, entity_id=entity_id, limit=limit, cursor=cursor
    )
    return AuditEventPage(
        items=[AuditEventOut.model_validate(r) for r in rows], next_cursor=next_cursor
    )

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from fastapi import APIRouter, status
from pydantic import Field

from app.api.rest.deps import CurrentPrincipal, DbSession
from app.api.rest.inputs import InputRoute
from app.api.rest.params import Cursor, Limit
from app.api.rest.problems import problem_responses
from app.api.rest.schemas import ApiModel, Page
from app.domain.principal import KNOWN_SCOPES
from app.services.platform import clients
from app.services.platform.pagination import page

router = APIRouter(prefix="/clients", tags=["integration clients"], route_class=InputRoute)


SCOPE_SCHEMA: dict[str, Any] = {"type": "string", "enum": sorted(KNOWN_SCOPES)}


class ClientIn(ApiModel):
    name: str = Field(min_length=1, max_length=200)
    agency: str | None = Field(
        default=None, description="Agency code; its whole subtree is in scope"
    )
    scopes: list[str] = Field(
        default_factory=list,
        examples=[["people:write"]],
        # documented as the closed list it is; the service names an unknown one with the list
        json_schema_extra={"items": SCOPE_SCHEMA},
    )


class ClientOut(ApiModel):
    id: uuid.UUID
    name: str
    agency: str | None
    scopes: list[str]
    key_prefix: str
    created_at: datetime
    created_by: str
    revoked_at: datetime | None


class IssuedClientOut(ClientOut):
    api_key: str = Field(description="Shown once. Only its hash is stored.")


class ClientPage(Page[ClientOut]):
    """A page of integration clients."""


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=IssuedClientOut,
    responses=problem_responses(401, 403, 415, 422),
)
async def create_client(
    body: ClientIn, principal: CurrentPrincipal, session: DbSession
) -> IssuedClientOut:
    """Create an integration client (central administrators). The key is in this answer only."""
    issued = await clients.create_client(
        session, principal, name=body.name, agency=body.agency, scopes=body.scopes
    )
    await session.refresh(issued.client)
    return IssuedClientOut(
        **ClientOut.model_validate(issued.client).model_dump(), api_key=issued.api_key
    )


@router.get("", response_model=ClientPage, responses=problem_responses(401, 403, 422))
async def list_clients(
    principal: CurrentPrincipal, session: DbSession, limit: Limit = 100, cursor: Cursor = None
) -> ClientPage:
    """Integration clients, oldest first (central administrators)."""
    found = page(
        await clients.list_clients(session, principal),
        lambda c: (c.created_at.isoformat(), str(c.id)),
        name="clients",
        limit=limit,
        cursor=cursor,
    )
    return ClientPage(
        items=[ClientOut.model_validate(c) for c in found.items], next_cursor=found.next_cursor
    )


@router.post(
    "/{client_id}/revoke", response_model=ClientOut, responses=problem_responses(401, 403, 404)
)
async def revoke_client(
    client_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession
) -> ClientOut:
    """Revoke a client's key at once; later calls with it get 401."""
    client = await clients.revoke_client(session, principal, client_id)
    await session.flush()
    await session.refresh(client)
    return ClientOut.model_validate(client)

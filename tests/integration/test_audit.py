from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import AuditEvent


async def test_a_write_records_who_when_and_what(
    client: httpx.AsyncClient, admin_headers: dict[str, str], session: AsyncSession
) -> None:
    response = await client.post(
        "/api/v1/clients",
        headers={**admin_headers, "X-Request-ID": "5f0d7a2e-4a0c-4c55-9d55-0d3f1c2b3a4e"},
        json={"name": "e-learning provider", "scopes": ["completions:write"]},
    )
    client_id = response.json()["id"]
    event = await session.scalar(select(AuditEvent).where(AuditEvent.entity_id == client_id))
    assert event is not None
    assert (event.actor_kind, event.actor_id, event.entity, event.action) == (
        "user",
        "central-admin",
        "integration_client",
        "create",
    )
    assert str(event.request_id) == "5f0d7a2e-4a0c-4c55-9d55-0d3f1c2b3a4e"
    assert event.occurred_at is not None


async def test_audit_events_are_readable_newest_first_with_a_cursor(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    for i in range(3):
        await client.post("/api/v1/clients", headers=admin_headers, json={"name": f"c{i}"})
    first = (
        await client.get(
            "/api/v1/audit-events?entity=integration_client&limit=2", headers=admin_headers
        )
    ).json()
    assert len(first["items"]) == 2
    assert first["next_cursor"]
    second = (
        await client.get(
            f"/api/v1/audit-events?entity=integration_client&limit=2&cursor={first['next_cursor']}",
            headers=admin_headers,
        )
    ).json()
    ids = [e["id"] for e in first["items"] + second["items"]]
    assert ids == sorted(ids, reverse=True)
    assert len(set(ids)) == len(ids) >= 3


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_event SET action = 'x'", "DELETE FROM audit_event", "TRUNCATE audit_event"],
)
async def test_the_audit_trail_is_append_only(
    client: httpx.AsyncClient, admin_headers: dict[str, str], session: AsyncSession, statement: str
) -> None:
    await client.post("/api/v1/clients", headers=admin_headers, json={"name": "x"})
    with pytest.raises(DBAPIError, match="append-only"):
        async with session.begin_nested():
            await session.execute(text(statement))


async def test_a_refused_write_leaves_no_audit_event(
    client: httpx.AsyncClient, auth, session: AsyncSession
) -> None:
    before = await session.scalar(text("SELECT count(*) FROM audit_event"))
    await client.post("/api/v1/clients", headers=auth("e", "employee"), json={"name": "x"})
    assert await session.scalar(text("SELECT count(*) FROM audit_event")) == before

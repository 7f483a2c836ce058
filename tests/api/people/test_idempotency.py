"""Idempotency-Key on bulk writes: replay, misuse, and a key still in flight."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Person
from app.services.people.people_sync import source_lock
from tests.api.people.conftest import Committed, person
from tests.helpers import problem_of


@pytest.fixture
async def hris(api_key: Any, tree: Any) -> dict[str, str]:
    headers: dict[str, str] = await api_key("RD", "people:write")
    return headers


async def post(
    client: httpx.AsyncClient, records: list[dict[str, Any]], headers: dict[str, str], key: str
) -> httpx.Response:
    return await client.post(
        "/api/v1/people/bulk", json=records, headers={**headers, "Idempotency-Key": key}
    )


async def test_a_retry_with_the_same_key_and_body_replays_the_stored_answer(
    client: httpx.AsyncClient, hris: dict[str, str], session: AsyncSession
) -> None:
    records = [person("E1"), person("E2", supervisor="E1")]
    first = await post(client, records, hris, "run-1")
    assert first.status_code == 200
    events = await session.scalar(text("SELECT count(*) FROM audit_event"))
    again = await post(client, records, hris, "run-1")
    assert again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()  # "created", not "unchanged": the very same answer
    assert await session.scalar(select(func.count()).select_from(Person)) == 2
    assert await session.scalar(text("SELECT count(*) FROM audit_event")) == events


async def test_the_same_key_with_another_body_is_422(
    client: httpx.AsyncClient, hris: dict[str, str], session: AsyncSession
) -> None:
    await post(client, [person("E1")], hris, "run-1")
    response = await post(client, [person("E1"), person("E2")], hris, "run-1")
    problem = problem_of(response, 422)
    assert problem["code"] == "idempotency-key-reused"
    assert problem["errors"][0]["parameter"] == "Idempotency-Key"
    assert await session.scalar(select(func.count()).select_from(Person)) == 1


async def test_keys_belong_to_their_principal(
    client: httpx.AsyncClient, hris: dict[str, str], api_key: Any
) -> None:
    other = await api_key("CGD", "people:write")
    await post(client, [person("E1")], hris, "shared-key")
    response = await post(client, [person("E9", agency="CGD")], other, "shared-key")
    assert response.status_code == 200
    assert "Idempotent-Replayed" not in response.headers


async def test_a_dry_run_neither_replays_nor_stores_a_key(
    client: httpx.AsyncClient, hris: dict[str, str]
) -> None:
    response = await client.post(
        "/api/v1/people/bulk",
        params={"dry_run": "true"},
        json=[person("E1")],
        headers={**hris, "Idempotency-Key": "k"},
    )
    assert response.json()["dry_run"] is True
    real = await post(client, [person("E1")], hris, "k")
    assert real.json()["results"][0]["outcome"] == "created"
    assert real.json()["dry_run"] is False


async def test_a_failed_request_does_not_use_up_its_key(
    client: httpx.AsyncClient, hris: dict[str, str]
) -> None:
    too_many = [person(f"E{i}") for i in range(5001)]
    problem_of(await post(client, too_many, hris, "k"), 413)
    response = await post(client, too_many[:2], hris, "k")
    assert response.status_code == 200


async def test_a_malformed_key_is_422(client: httpx.AsyncClient, hris: dict[str, str]) -> None:
    response = await post(client, [person("E1")], hris, "x" * 201)
    assert problem_of(response, 422)["errors"][0]["parameter"] == "Idempotency-Key"


async def test_a_request_while_the_same_key_is_in_flight_is_409(committed: Committed) -> None:
    code = f"IDEM{uuid.uuid4().hex[:6]}"
    c = committed.client
    tree = [{"code": code, "name_th": "หน่วยทดสอบ", "kind": "ministry"}]
    assert (await c.post("/api/v1/agencies/bulk", json=tree, headers=committed.headers)).is_success
    records = [person(f"{code}-1", agency=code)]
    headers = {**committed.headers, "Idempotency-Key": f"key-{code}"}
    params = {"source": code}
    async with committed.engine.connect() as blocker:
        # Hold the source's write lock, so the first request stops inside its transaction.
        async with blocker.begin():
            source_id = (
                await blocker.execute(text("SELECT id FROM agency WHERE code = :c"), {"c": code})
            ).scalar_one()
            await blocker.execute(
                text("SELECT pg_advisory_xact_lock(hashtextextended(:n, 0))"),
                {"n": source_lock(source_id)},
            )
            first = asyncio.create_task(
                c.post("/api/v1/people/bulk", params=params, json=records, headers=headers)
            )
            await asyncio.sleep(0.3)
            assert not first.done()
            second = await c.post(
                "/api/v1/people/bulk", params=params, json=records, headers=headers
            )
            assert problem_of(second, 409)["code"] == "idempotency-key-in-flight"
        first_answer = await asyncio.wait_for(first, 10)
    assert first_answer.status_code == 200
    third = await c.post("/api/v1/people/bulk", params=params, json=records, headers=headers)
    assert third.headers["Idempotent-Replayed"] == "true"
    assert third.json() == first_answer.json()


async def test_an_expired_key_is_forgotten(
    client: httpx.AsyncClient, hris: dict[str, str], session: AsyncSession
) -> None:
    await post(client, [person("E1")], hris, "old")
    await session.execute(
        text("UPDATE idempotency_key SET created_at = now() - interval '25 hours'")
    )
    response = await post(client, [person("E1"), person("E2")], hris, "old")
    assert response.status_code == 200  # a new request now, not a misuse of the key
    assert [r["outcome"] for r in response.json()["results"]] == ["unchanged", "created"]
    await post(client, [person("E3")], hris, "new")
    keys = await session.execute(text("SELECT key FROM idempotency_key ORDER BY key"))
    assert [k[0] for k in keys] == ["new", "old"]


async def test_agency_bulk_writes_replay_too(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    records = [{"code": "NEW", "name_th": "ใหม่", "kind": "ministry"}]
    headers = {**admin_headers, "Idempotency-Key": "agencies-1"}
    first = await client.post("/api/v1/agencies/bulk", json=records, headers=headers)
    again = await client.post("/api/v1/agencies/bulk", json=records, headers=headers)
    assert again.json() == first.json()
    assert again.json()["results"][0]["outcome"] == "created"
    other = await client.post("/api/v1/agencies/bulk", json=records * 2, headers=headers)
    problem_of(other, 422)

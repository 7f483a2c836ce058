"""A nightly full sync of an unchanged organisation writes nothing."""

from __future__ import annotations

import json
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.api.people.conftest import person

PEOPLE = 10_000


def organisation() -> list[dict[str, Any]]:
    """10,000 people under RD's units, each reporting to someone listed before them."""
    units = ["RD", "RD-IT", "RD-BKK"]
    return [
        person(
            f"P{i:05d}",
            agency=units[i % 3],
            email=f"p{i}@rd.go.th",
            position_level="ชำนาญการ",
            start_date="2560-10-01",
            **({"supervisor": f"P{(i - 1) // 10:05d}"} if i else {}),
        )
        for i in range(PEOPLE)
    ]


async def snapshot(session: AsyncSession) -> list[tuple[Any, ...]]:
    rows = await session.execute(
        text("SELECT id, ctid::text, change_seq, change_xid, updated_at FROM person ORDER BY id")
    )
    return [tuple(r) for r in rows]


async def send(client: httpx.AsyncClient, records: list[dict[str, Any]], headers: Any) -> list[str]:
    found: list[str] = []
    for start in range(0, len(records), 5000):
        response = await client.post(
            "/api/v1/people/bulk", json=records[start : start + 5000], headers=headers
        )
        assert response.status_code == 200, response.text
        found.extend(r["outcome"] for r in response.json()["results"])
    return found


async def test_syncing_the_same_ten_thousand_people_twice_writes_nothing_the_second_time(
    client: httpx.AsyncClient, tree: Any, api_key: Any, session: AsyncSession
) -> None:
    hris = await api_key("RD", "people:write")
    records = organisation()
    assert set(await send(client, records, hris)) == {"created"}
    before = await snapshot(session)
    events = await session.scalar(text("SELECT count(*) FROM audit_event"))
    assert len(before) == PEOPLE

    second = await send(client, records, hris)

    assert second == ["unchanged"] * PEOPLE
    assert await snapshot(session) == before  # same row versions, sequence numbers, times
    assert await session.scalar(text("SELECT count(*) FROM audit_event")) == events


async def test_an_unchanged_record_sent_in_another_key_order_is_still_unchanged(
    client: httpx.AsyncClient, tree: Any, api_key: Any, session: AsyncSession
) -> None:
    hris = await api_key("RD", "people:write")
    records = organisation()[:50]
    await send(client, records, hris)
    before = await snapshot(session)
    events = await session.scalar(text("SELECT count(*) FROM audit_event"))
    shuffled = [dict(reversed(list(r.items()))) for r in records]

    assert await send(client, shuffled, hris) == ["unchanged"] * 50

    # Not a change: sequence numbers, times and the audit trail stay as they were ...
    logical = [(i, seq, xid, at) for i, _, seq, xid, at in before]
    assert [(i, seq, xid, at) for i, _, seq, xid, at in await snapshot(session)] == logical
    assert await session.scalar(text("SELECT count(*) FROM audit_event")) == events
    # ... but the new text is remembered: sent again, it is skipped unparsed and nothing is
    # written, not even the row versions.
    renewed = await snapshot(session)
    assert renewed != before
    assert await send(client, shuffled, hris) == ["unchanged"] * 50
    assert await snapshot(session) == renewed


async def test_a_pretty_printed_body_updates_what_changed_and_is_skipped_when_sent_again(
    client: httpx.AsyncClient, tree: Any, api_key: Any, session: AsyncSession
) -> None:
    hris = await api_key("RD", "people:write")
    records = organisation()[:20]
    await send(client, records, hris)
    spaced = [{**r} for r in records]
    spaced[3] = {**records[3], "email": "changed@rd.go.th"}
    body = "[" + ",\n".join(json.dumps(r, ensure_ascii=False, indent=1) for r in spaced) + "]"

    async def post() -> list[str]:
        response = await client.post(
            "/api/v1/people/bulk",
            content=body.encode(),
            headers={**hris, "Content-Type": "application/json"},
        )
        assert response.status_code == 200, response.text
        return [r["outcome"] for r in response.json()["results"]]

    assert await post() == ["unchanged"] * 3 + ["updated"] + ["unchanged"] * 16
    before = await snapshot(session)
    assert await post() == ["unchanged"] * 20
    assert await snapshot(session) == before

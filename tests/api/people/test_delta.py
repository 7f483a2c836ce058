"""Delta reads: cursor pages in change order, nothing skipped or repeated while writes go on."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from tests.api.people.conftest import Committed, person, sync
from tests.helpers import problem_of


async def read_all(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    cursor: str | None = None,
    limit: int = 10,
    **params: Any,
) -> tuple[list[str], str]:
    seen: list[str] = []
    while True:
        query = {"limit": limit, **params}
        if cursor:
            query["cursor"] = cursor
        page = (await client.get("/api/v1/people", params=query, headers=headers)).json()
        seen.extend(p["external_id"] for p in page["items"])
        if page["next_cursor"] is None:  # the last page: keep where it ends for the next poll
            return seen, page["poll_cursor"]
        assert page["next_cursor"] == page["poll_cursor"]
        cursor = page["next_cursor"]


async def test_pages_return_every_person_once_and_a_later_poll_only_the_changes(
    client: httpx.AsyncClient, tree: Any, api_key: Any
) -> None:
    hris = await api_key("RD", "people:write")
    await sync(client, [person(f"E{i:02d}") for i in range(25)], hris)
    seen, cursor = await read_all(client, hris)
    assert sorted(seen) == [f"E{i:02d}" for i in range(25)]
    assert len(seen) == len(set(seen))

    nothing, same_cursor = await read_all(client, hris, cursor)
    assert nothing == []
    assert same_cursor == cursor

    await sync(client, [person("E03", email="e3@rd.go.th"), person("E17", active=False)], hris)
    await sync(client, [person("NEW")], hris)
    changes, _ = await read_all(client, hris, cursor)
    assert changes == ["E03", "E17", "NEW"]


async def test_updated_since_filters_by_the_time_of_the_last_write(
    client: httpx.AsyncClient, tree: Any, api_key: Any
) -> None:
    hris = await api_key("RD", "people:write")
    await sync(client, [person("E1")], hris)
    past, _ = await read_all(client, hris, updated_since="2000-01-01T00:00:00Z")
    future, _ = await read_all(client, hris, updated_since="2999-01-01T00:00:00Z")
    assert (past, future) == (["E1"], [])


@pytest.mark.parametrize("cursor", ["not-a-cursor", "eyJrIjoiYWdlbmN5IiwieCI6MSwicyI6MX0"])
async def test_a_cursor_this_list_did_not_issue_is_422(
    client: httpx.AsyncClient, tree: Any, api_key: Any, cursor: str
) -> None:
    hris = await api_key("RD", "people:read")
    response = await client.get("/api/v1/people", params={"cursor": cursor}, headers=hris)
    problem_of(response, 422)


async def test_a_change_committed_late_is_not_skipped(committed: Committed) -> None:
    """A writer that took its sequence number first but commits last is still read."""
    code = f"DELTA{uuid.uuid4().hex[:6]}"
    c, headers = committed.client, committed.headers
    tree = [{"code": code, "name_th": "หน่วยทดสอบ", "kind": "ministry"}]
    assert (await c.post("/api/v1/agencies/bulk", json=tree, headers=headers)).is_success
    params = {"source": code}
    first, second = f"{code}-1", f"{code}-2"
    records = [person(first, agency=code), person(second, agency=code)]
    assert (
        await c.post("/api/v1/people/bulk", params=params, json=records, headers=headers)
    ).is_success
    seen, cursor = await read_all(c, headers, agency=code)
    assert sorted(seen) == [first, second]

    async with committed.engine.connect() as slow:
        async with slow.begin():
            # The slow writer changes the first person (and takes its number) but waits ...
            await slow.execute(
                text(
                    "UPDATE person SET position_level = 'ชำนาญการ',"
                    " change_seq = nextval('person_change_seq'),"
                    " change_xid = pg_current_xact_id()::text::bigint, updated_at = now()"
                    " WHERE external_id = :e"
                ),
                {"e": first},
            )
            # ... while a quick one changes the second and commits.
            quick = [person(second, agency=code, email="quick@example.go.th")]
            assert (
                await c.post("/api/v1/people/bulk", params=params, json=quick, headers=headers)
            ).is_success
            during, cursor = await read_all(c, headers, cursor, agency=code)
        # the slow writer commits here
        after, _ = await read_all(c, headers, cursor, agency=code)
    assert during == []  # held back until every older writer has finished
    assert sorted(after) == [first, second]

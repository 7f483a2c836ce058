"""The agency tree: bulk upsert by code, parents in any order, moves and renames with history."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from tests.api.people.conftest import person, sync
from tests.helpers import problem_of

MERGE = {"Content-Type": "application/merge-patch+json"}


async def upsert(
    client: httpx.AsyncClient, records: list[dict[str, Any]], headers: dict[str, str]
) -> dict[str, Any]:
    response = await client.post("/api/v1/agencies/bulk", json=records, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def outcomes(body: dict[str, Any]) -> list[str]:
    return [r["outcome"] for r in body["results"]]


async def subtree(session: AsyncSession, code: str) -> set[str]:
    rows = await session.execute(
        text(
            "SELECT d.code FROM agency a JOIN agency d ON d.path LIKE a.path || '%'"
            " WHERE a.code = :c"
        ),
        {"c": code},
    )
    return {r[0] for r in rows}


async def test_parents_may_come_later_in_the_batch(
    client: httpx.AsyncClient, admin_headers: dict[str, str], session: AsyncSession
) -> None:
    body = await upsert(
        client,
        [
            {"code": "D1", "name_th": "กอง", "kind": "division", "parent": "DEP"},
            {"code": "DEP", "name_th": "กรม", "kind": "department", "parent": "MIN"},
            {"code": "MIN", "name_th": "กระทรวง", "kind": "ministry"},
        ],
        admin_headers,
    )
    assert outcomes(body) == ["created"] * 3
    assert await subtree(session, "MIN") == {"MIN", "DEP", "D1"}
    assert (await client.get("/api/v1/agencies/D1", headers=admin_headers)).json()["depth"] == 2


async def test_bad_agency_records_are_rejected_one_by_one(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    body = await upsert(
        client,
        [
            {"code": "A", "name_th": "ก", "kind": "ministry"},
            {"code": "B", "name_th": "ข", "kind": "galaxy"},
            {"code": "C", "name_th": "ค", "kind": "division", "parent": "NOPE"},
            {"code": "X", "name_th": "x", "kind": "division", "parent": "Y"},
            {"code": "Y", "name_th": "y", "kind": "division", "parent": "X"},
            {"code": "A", "name_th": "อีก", "kind": "ministry"},
            {"code": "bad code!", "name_th": "ง", "kind": "ministry"},
            {"code": "S", "name_th": "ส", "kind": "division", "parent": "S"},
        ],
        admin_headers,
    )
    rules = [r.get("errors", [{}])[0].get("rule") for r in body["results"]]
    assert rules == [
        "duplicate-in-batch",
        "enum",
        "parent-unknown",
        "parent-cycle",
        "parent-cycle",
        "duplicate-in-batch",
        "format",
        "parent-cycle",
    ]


async def test_a_move_re_roots_the_subtree_and_keeps_the_history(
    client: httpx.AsyncClient, admin_headers: dict[str, str], session: AsyncSession
) -> None:
    await upsert(
        client,
        [
            {"code": "M1", "name_th": "กระทรวงหนึ่ง", "kind": "ministry"},
            {"code": "M2", "name_th": "กระทรวงสอง", "kind": "ministry"},
            {"code": "D", "name_th": "กรม", "kind": "department", "parent": "M1"},
            {"code": "D-1", "name_th": "กอง", "kind": "division", "parent": "D"},
        ],
        admin_headers,
    )
    moved = await client.patch(
        "/api/v1/agencies/D",
        json={"parent": "M2", "name_en": "Dept"},
        headers={**admin_headers, **MERGE},
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["parent"] == "M2"
    assert await subtree(session, "M1") == {"M1"}
    assert await subtree(session, "M2") == {"M2", "D", "D-1"}
    renamed = await upsert(
        client,
        [{"code": "D", "name_th": "กรมใหม่", "kind": "department", "parent": "M2"}],
        admin_headers,
    )
    assert outcomes(renamed) == ["updated"]
    history = (await client.get("/api/v1/agencies/D/history", headers=admin_headers)).json()[
        "items"
    ]
    assert [(h["version"], h["parent_code"], h["name_th"]) for h in history] == [
        (1, "M1", "กรม"),
        (2, "M2", "กรม"),
        (3, "M2", "กรมใหม่"),
    ]
    cycle = await client.patch(
        "/api/v1/agencies/M2", json={"parent": "D-1"}, headers={**admin_headers, **MERGE}
    )
    assert problem_of(cycle, 422)["errors"][0]["rule"] == "parent-cycle"


async def test_an_unchanged_agency_is_not_written(
    client: httpx.AsyncClient, admin_headers: dict[str, str], session: AsyncSession
) -> None:
    records = [{"code": "M", "name_th": "กระทรวง", "kind": "ministry"}]
    await upsert(client, records, admin_headers)
    before = await session.scalar(text("SELECT ctid::text FROM agency WHERE code = 'M'"))
    assert outcomes(await upsert(client, records, admin_headers)) == ["unchanged"]
    assert await session.scalar(text("SELECT ctid::text FROM agency WHERE code = 'M'")) == before


async def test_put_creates_then_replaces_with_etags(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    created = await client.put(
        "/api/v1/agencies/NEW", json={"name_th": "ใหม่", "kind": "ministry"}, headers=admin_headers
    )
    assert created.status_code == 201
    etag = created.headers["ETag"]
    replaced = await client.put(
        "/api/v1/agencies/NEW",
        json={"name_th": "ใหม่กว่า", "kind": "ministry"},
        headers={**admin_headers, "If-Match": etag},
    )
    assert replaced.status_code == 200
    stale = await client.put(
        "/api/v1/agencies/NEW",
        json={"name_th": "เก่า", "kind": "ministry"},
        headers={**admin_headers, "If-Match": etag},
    )
    problem_of(stale, 412)
    absent = await client.patch(
        "/api/v1/agencies/NONE", json={"name_th": "x"}, headers={**admin_headers, **MERGE}
    )
    problem_of(absent, 404)
    other_code = await client.put(
        "/api/v1/agencies/NEW",
        json={"code": "OTHER", "name_th": "x", "kind": "ministry"},
        headers=admin_headers,
    )
    assert problem_of(other_code, 422)["errors"][0]["rule"] == "immutable"


async def test_an_agencys_hris_maintains_the_subtree_below_its_registered_agency(
    client: httpx.AsyncClient, admin_headers: dict[str, str], api_key: Any, auth: Any
) -> None:
    await upsert(
        client,
        [
            {"code": "MOF", "name_th": "กระทรวงการคลัง", "kind": "ministry"},
            {"code": "RD", "name_th": "กรมสรรพากร", "kind": "department", "parent": "MOF"},
        ],
        admin_headers,
    )
    rd = await api_key("RD", "agencies:write", "people:write")
    body = await upsert(
        client,
        [
            {"code": "RD", "name_th": "กรมสรรพากร", "kind": "department", "parent": "MOF"},
            {"code": "RD-1", "name_th": "กอง", "kind": "division", "parent": "RD"},
        ],
        rd,
    )
    assert outcomes(body) == ["unchanged", "created"]
    people = await sync(client, [person("E1", agency="RD-1")], rd)
    assert people["results"][0]["outcome"] == "created"
    sideways = await upsert(
        client, [{"code": "RD-2", "name_th": "x", "kind": "division", "parent": "MOF"}], rd
    )
    assert sideways["results"][0]["errors"][0]["rule"] == "parent-unknown"


async def test_a_token_naming_an_unknown_agency_cannot_register_it_anywhere(
    client: httpx.AsyncClient, admin_headers: dict[str, str], auth: Any
) -> None:
    await upsert(
        client, [{"code": "MOF", "name_th": "กระทรวงการคลัง", "kind": "ministry"}], admin_headers
    )
    stranger = auth("x", "agency_admin", agency="NEW")
    body = await upsert(
        client, [{"code": "NEW", "name_th": "ใหม่", "kind": "department", "parent": "MOF"}], stranger
    )
    assert outcomes(body) == ["rejected"]
    assert body["results"][0]["errors"][0]["rule"] == "parent-unknown"
    problem_of(await client.get("/api/v1/agencies/NEW", headers=admin_headers), 404)


async def test_agencies_are_never_deleted(
    client: httpx.AsyncClient, admin_headers: dict[str, str], session: AsyncSession
) -> None:
    await upsert(client, [{"code": "M", "name_th": "ก", "kind": "ministry"}], admin_headers)
    with pytest.raises(DBAPIError, match="never deleted"):
        async with session.begin_nested():
            await session.execute(text("DELETE FROM agency WHERE code = 'M'"))
    assert (await client.delete("/api/v1/agencies/M", headers=admin_headers)).status_code == 405


async def test_agency_writes_need_a_role_or_scope(
    client: httpx.AsyncClient, auth: Any, api_key: Any, admin_headers: dict[str, str]
) -> None:
    records = [{"code": "M", "name_th": "ก", "kind": "ministry"}]
    await upsert(client, records, admin_headers)
    for headers in (auth("e", "employee", agency="M"), await api_key("M", "people:write")):
        response = await client.post("/api/v1/agencies/bulk", json=records, headers=headers)
        problem_of(response, 403)


async def test_the_agency_feed_pages_in_change_order_and_resumes_with_its_cursor(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    await upsert(
        client,
        [{"code": f"A{i}", "name_th": f"หน่วย {i}", "kind": "ministry"} for i in range(7)],
        admin_headers,
    )
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/api/v1/agencies", params=params, headers=admin_headers)).json()
        seen.extend(a["code"] for a in page["items"])
        cursor = page["poll_cursor"]
        if page["next_cursor"] is None:
            break
    assert seen == [f"A{i}" for i in range(7)]
    await upsert(client, [{"code": "A2", "name_th": "เปลี่ยนชื่อ", "kind": "ministry"}], admin_headers)
    later = (
        await client.get("/api/v1/agencies", params={"cursor": cursor}, headers=admin_headers)
    ).json()
    assert [a["code"] for a in later["items"]] == ["A2"]

from __future__ import annotations

from typing import Any

import httpx

from tests.api.people.conftest import person, sync


async def test_gql_smoke(client: httpx.AsyncClient, tree: Any, api_key: Any, auth: Any) -> None:
    headers = await api_key("RD", "people:write")
    body = await sync(
        client,
        [
            person("B", subject="boss"),
            person("S", supervisor="B", subject="sup"),
            person("E", supervisor="S", subject="emp"),
        ],
        headers,
    )
    ids = {r["external_id"]: r["id"] for r in body["results"]}
    q = """mutation($p: ID!) { proposeGroupAssignment(personId: $p, fiscalYear: 2568, groups: [{group: ACADEMIC}, {group: SERVICE, scope: PARTIAL}]) { id state awaiting effective } }"""
    r = await client.post(
        "/graphql",
        json={"query": q, "variables": {"p": ids["E"]}},
        headers=auth("emp", "employee", agency="RD-IT"),
    )
    print(r.json())
    aid = r.json()["data"]["proposeGroupAssignment"]["id"]
    a = "mutation($id: ID!) { approveGroupAssignment(id: $id) { state awaiting effective agreedBy approvedBy } }"
    r = await client.post(
        "/graphql", json={"query": a, "variables": {"id": aid}}, headers=auth("boss", "supervisor")
    )
    print(r.json())
    r = await client.post(
        "/graphql", json={"query": a, "variables": {"id": aid}}, headers=auth("sup", "supervisor")
    )
    print(r.json())
    r = await client.post(
        "/graphql", json={"query": a, "variables": {"id": aid}}, headers=auth("boss", "supervisor")
    )
    print(r.json())
    r = await client.post(
        "/graphql",
        json={
            "query": "{ myPerson { externalId supervisor { externalId } agency { code parent { code } } targets(fiscalYear: 2568) { group present future } } myReports { externalId } agencies { code children { code } } }"
        },
        headers=auth("sup", "supervisor", agency="RD"),
    )
    print(r.json())

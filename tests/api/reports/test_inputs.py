"""The KPI inputs: an employment category from the HRIS (validated), and a unit's
digital-target designation (agency administrators over the person only, audited)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.helpers import problem_of


async def test_the_hris_sends_an_employment_category_and_a_wrong_one_is_refused(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    tree = [{"code": "CAT-MIN", "name_th": "กระทรวง", "kind": "ministry"}]
    assert (
        await client.post("/api/v1/agencies/bulk", json=tree, headers=admin_headers)
    ).status_code == 200
    people = [
        {"external_id": "T1", "first_name_th": "ครู", "last_name_th": "ดี", "agency": "CAT-MIN",
         "employment_category": "teacher_education"},
        {"external_id": "T2", "first_name_th": "ครู", "last_name_th": "ผิด", "agency": "CAT-MIN",
         "employment_category": "soldier"},
    ]  # fmt: skip
    r = await client.post("/api/v1/people/bulk?source=CAT-MIN", json=people, headers=admin_headers)
    assert r.status_code == 200, r.text
    results = {x["external_id"]: x for x in r.json()["results"]}
    assert results["T1"]["outcome"] == "created"
    assert results["T2"]["outcome"] == "rejected"
    assert [(e["pointer"], e["rule"]) for e in results["T2"]["errors"]] == [
        ("/1/employment_category", "enum")
    ]
    person = await client.get(f"/api/v1/people/{results['T1']['id']}", headers=admin_headers)
    assert person.json()["employment_category"] == "teacher_education"
    q = f'{{ person(id: "{results["T1"]["id"]}") {{ employmentCategory }} }}'
    g = await client.post("/graphql", json={"query": q}, headers=admin_headers)
    assert g.json()["data"]["person"]["employmentCategory"] == "teacher_education"


async def test_only_an_administrator_over_the_person_designates_and_it_is_audited(
    client: httpx.AsyncClient, session: AsyncSession, make_workforce: Any,
    auth: Callable[..., dict[str, str]],
) -> None:  # fmt: skip
    line = await make_workforce()
    url = f"/api/v1/people/{line['officer_id']}/digital-target/2568"
    problem_of(await client.put(url, json={"designated": True}, headers=line["head"]), 403)
    other = auth("someone-admin", "agency_admin", agency=f"{line['agency']}-OUT")
    problem_of(await client.put(url, json={"designated": True}, headers=other), 404)
    assert (await client.get(url, headers=line["officer"])).json()["decided_by"] is None
    r = await client.put(url, json={"designated": True, "note": "งานบริการ"}, headers=line["admin"])
    assert r.status_code == 201, r.text
    assert (await client.get(url, headers=line["officer"])).json()["designated"] is True
    events = await session.scalar(
        text("SELECT count(*) FROM audit_event WHERE entity = 'digital_target_designation'")
    )
    assert events == 1
    gql = (
        "mutation($p: ID!) { designateDigitalTarget(personId: $p, fiscalYear: 2568,"
        " designated: false) { designated decidedBy } }"
    )
    g = await client.post(
        "/graphql",
        json={"query": gql, "variables": {"p": line["officer_id"]}},
        headers=line["admin"],
    )
    assert g.json()["data"]["designateDigitalTarget"]["designated"] is False

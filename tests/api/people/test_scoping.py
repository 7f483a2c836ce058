"""Scoping across two agencies (MOF's subtree against MOI's), for every endpoint, for an
integration client and for an agency administrator; supervisors and employees in their lines."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.api.people.conftest import NATIONAL_ID, gql, person, sync
from tests.helpers import problem_of

MERGE = {"Content-Type": "application/merge-patch+json"}
ALL_SCOPES = ("people:read", "people:write", "agencies:read", "agencies:write")


@pytest.fixture
async def world(client: httpx.AsyncClient, tree: Any, api_key: Any, auth: Any) -> dict[str, Any]:
    mof = await api_key("MOF", *ALL_SCOPES)
    moi = await api_key("MOI", *ALL_SCOPES)
    a = await sync(
        client,
        [
            person("A-BOSS", agency="RD", subject="a-boss"),
            person("A-SUP", agency="RD-IT", supervisor="A-BOSS", subject="a-sup"),
            person("A-EMP", agency="RD-IT", supervisor="A-SUP", subject="a-emp"),
            person("A-PEER", agency="RD-BKK", supervisor="A-BOSS", subject="a-peer"),
        ],
        mof,
    )
    b = await sync(
        client,
        [person("B-EMP", agency="DOPA-CM", national_id=NATIONAL_ID, subject="b-emp")],
        moi,
    )
    ids = {r["external_id"]: r["id"] for r in a["results"] + b["results"]}
    return {
        "ids": ids,
        "actors": {
            "client": mof,
            "agency_admin": auth("a-admin", "agency_admin", agency="MOF"),
        },
        "moi": moi,
    }


@pytest.fixture(params=["client", "agency_admin"])
def actor(request: pytest.FixtureRequest, world: dict[str, Any]) -> dict[str, str]:
    headers: dict[str, str] = world["actors"][request.param]
    return headers


async def test_people_of_another_agency_never_appear_in_lists(
    client: httpx.AsyncClient, world: dict[str, Any], actor: dict[str, str]
) -> None:
    page = (await client.get("/api/v1/people", params={"limit": 1000}, headers=actor)).json()
    seen = {p["external_id"] for p in page["items"]}
    assert seen == {"A-BOSS", "A-SUP", "A-EMP", "A-PEER"}
    by_agency = await client.get("/api/v1/people", params={"agency": "DOPA"}, headers=actor)
    assert by_agency.json()["items"] == []


async def test_direct_access_to_another_agencys_person_is_404(
    client: httpx.AsyncClient, world: dict[str, Any], actor: dict[str, str]
) -> None:
    mine, theirs = world["ids"]["A-EMP"], world["ids"]["B-EMP"]
    assert (await client.get(f"/api/v1/people/{mine}", headers=actor)).status_code == 200
    url = f"/api/v1/people/{theirs}"
    problem_of(await client.get(url, headers=actor), 404)
    problem_of(await client.put(url, json=person("B-EMP", agency="DOPA-CM"), headers=actor), 404)
    problem_of(
        await client.patch(url, json={"email": "x@y.go.th"}, headers={**actor, **MERGE}), 404
    )
    problem_of(await client.post(f"{url}/deactivate", headers=actor), 404)


async def test_writes_into_another_agency_are_rejected(
    client: httpx.AsyncClient, world: dict[str, Any], actor: dict[str, str]
) -> None:
    body = await sync(client, [person("NEW", agency="DOPA"), person("OK", agency="RD")], actor)
    assert [r["outcome"] for r in body["results"]] == ["rejected", "created"]
    assert body["results"][0]["errors"][0]["rule"] == "agency-unknown"
    moved = await client.patch(
        f"/api/v1/people/{world['ids']['A-EMP']}",
        json={"agency": "DOPA"},
        headers={**actor, **MERGE},
    )
    problem_of(moved, 422)
    other_source = await client.post(
        "/api/v1/people/bulk", params={"source": "MOI"}, json=[person("X")], headers=actor
    )
    assert problem_of(other_source, 422)["errors"][0]["rule"] == "source-unknown"


async def test_matching_a_national_id_never_finds_another_agencys_person(
    client: httpx.AsyncClient, world: dict[str, Any], actor: dict[str, str]
) -> None:
    response = await client.post(
        "/api/v1/people/match", json={"national_id": NATIONAL_ID}, headers=actor
    )
    assert response.json() == {"items": [], "next_cursor": None}


async def test_agencies_of_another_subtree_are_invisible_and_untouchable(
    client: httpx.AsyncClient, world: dict[str, Any], actor: dict[str, str]
) -> None:
    listed = (await client.get("/api/v1/agencies", params={"limit": 100}, headers=actor)).json()
    assert {a["code"] for a in listed["items"]} == {"MOF", "RD", "RD-IT", "RD-BKK", "CGD"}
    assert (await client.get("/api/v1/agencies/RD", headers=actor)).status_code == 200
    for path in (
        "/api/v1/agencies/DOPA",
        "/api/v1/agencies/DOPA/history",
        "/api/v1/agencies/DOPA/stages",
        "/api/v1/agencies/DOPA/stages/2568",
    ):
        problem_of(await client.get(path, headers=actor), 404)
    declare = await client.put(
        "/api/v1/agencies/DOPA/stages/2568",
        json={"stage": "early", "announced_on": "2024-10-01"},
        headers=actor,
    )
    problem_of(declare, 404)
    problem_of(
        await client.put(
            "/api/v1/agencies/DOPA",
            json={"name_th": "x", "kind": "department", "parent": "MOI"},
            headers=actor,
        ),
        404,
    )
    problem_of(
        await client.patch(
            "/api/v1/agencies/DOPA", json={"name_th": "x"}, headers={**actor, **MERGE}
        ),
        404,
    )
    body = (
        await client.post(
            "/api/v1/agencies/bulk",
            json=[
                {"code": "DOPA", "name_th": "x", "kind": "department", "parent": "MOI"},
                {"code": "DOPA-NEW", "name_th": "x", "kind": "division", "parent": "DOPA"},
                {"code": "RD-NEW", "name_th": "ใหม่", "kind": "division", "parent": "RD"},
                {"code": "ROOT", "name_th": "x", "kind": "ministry"},
            ],
            headers=actor,
        )
    ).json()
    assert [r["outcome"] for r in body["results"]] == [
        "rejected",
        "rejected",
        "created",
        "rejected",
    ]
    assert [r["errors"][0]["rule"] for r in body["results"] if r.get("errors")] == [
        "out-of-scope",
        "parent-unknown",
        "out-of-scope",
    ]


async def test_an_agency_cannot_be_moved_out_of_the_callers_subtree(
    client: httpx.AsyncClient, world: dict[str, Any], actor: dict[str, str]
) -> None:
    response = await client.patch(
        "/api/v1/agencies/RD-IT", json={"parent": "DOPA"}, headers={**actor, **MERGE}
    )
    assert problem_of(response, 422)["errors"][0]["rule"] == "parent-unknown"
    root = await client.patch(
        "/api/v1/agencies/MOF", json={"parent": "MOI"}, headers={**actor, **MERGE}
    )
    assert problem_of(root, 422)["errors"][0]["rule"] == "root-move"


async def test_graphql_shows_only_the_callers_subtree(
    client: httpx.AsyncClient, world: dict[str, Any], auth: Any
) -> None:
    admin = world["actors"]["agency_admin"]
    body = await gql(
        client, '{ agencies { code children { code } } agency(code: "DOPA") { code } }', admin
    )
    assert body["data"]["agencies"] == [
        {"code": "MOF", "children": [{"code": "CGD"}, {"code": "RD"}]}
    ]
    assert body["data"]["agency"] is None
    other = await gql(
        client,
        "query($id: ID!) { person(id: $id) { externalId } }",
        admin,
        id=world["ids"]["B-EMP"],
    )
    assert other["data"]["person"] is None


async def test_a_supervisor_sees_their_reports_and_an_employee_only_themself(
    client: httpx.AsyncClient, world: dict[str, Any], auth: Any
) -> None:
    ids = world["ids"]
    boss = auth("a-boss", "supervisor", agency="RD")
    listed = (await client.get("/api/v1/people", headers=boss)).json()
    assert {p["external_id"] for p in listed["items"]} == {"A-BOSS", "A-SUP", "A-EMP", "A-PEER"}
    sup = auth("a-sup", "supervisor", agency="RD-IT")
    listed = (await client.get("/api/v1/people", headers=sup)).json()
    assert {p["external_id"] for p in listed["items"]} == {"A-SUP", "A-EMP"}
    problem_of(await client.get(f"/api/v1/people/{ids['A-PEER']}", headers=sup), 404)
    problem_of(await client.get(f"/api/v1/people/{ids['B-EMP']}", headers=sup), 404)

    emp = auth("a-emp", "employee", agency="RD-IT")
    listed = (await client.get("/api/v1/people", headers=emp)).json()
    assert [p["external_id"] for p in listed["items"]] == ["A-EMP"]
    assert (await client.get(f"/api/v1/people/{ids['A-EMP']}", headers=emp)).status_code == 200
    problem_of(await client.get(f"/api/v1/people/{ids['A-SUP']}", headers=emp), 404)
    problem_of(await client.post("/api/v1/people/bulk", json=[person("X")], headers=emp), 403)
    stranger = auth("nobody", "employee", agency="RD")
    assert (await client.get("/api/v1/people", headers=stranger)).json()["items"] == []

    reports = await gql(
        client,
        "{ myPerson { externalId } myReports { externalId }"
        " direct: myReports(direct: true) { externalId } }",
        boss,
    )
    assert reports["data"]["myPerson"] == {"externalId": "A-BOSS"}
    assert {p["externalId"] for p in reports["data"]["myReports"]} == {"A-SUP", "A-EMP", "A-PEER"}
    assert {p["externalId"] for p in reports["data"]["direct"]} == {"A-SUP", "A-PEER"}


async def test_a_national_client_and_a_central_administrator_see_both_agencies(
    client: httpx.AsyncClient, world: dict[str, Any], api_key: Any, admin_headers: dict[str, str]
) -> None:
    national = await api_key(None, "people:read")
    for headers in (national, admin_headers):
        page = (await client.get("/api/v1/people", headers=headers)).json()
        assert {"A-EMP", "B-EMP"} <= {p["external_id"] for p in page["items"]}


@pytest.mark.parametrize("agency", [None, "NOPE", ""])
@pytest.mark.parametrize("role", ["employee", "supervisor", "agency_admin"])
async def test_a_token_naming_no_known_agency_reaches_no_agency(
    client: httpx.AsyncClient, world: dict[str, Any], auth: Any, role: str, agency: str | None
) -> None:
    headers = auth("nobody", role, agency=agency)
    listed = await client.get("/api/v1/agencies", params={"limit": 1000}, headers=headers)
    assert listed.status_code == 200, listed.text
    assert listed.json()["items"] == []
    people = await client.get("/api/v1/people", params={"limit": 1000}, headers=headers)
    assert people.json()["items"] == []
    problem_of(await client.get("/api/v1/agencies/MOF", headers=headers), 404)
    tree = await gql(client, "{ agencies { code } }", headers)
    assert tree["data"]["agencies"] == []


async def test_an_audit_reader_of_one_agency_reads_only_its_subtrees_events(
    client: httpx.AsyncClient, world: dict[str, Any], api_key: Any, session: Any
) -> None:
    from sqlalchemy import text

    async def events(headers: dict[str, str]) -> list[dict[str, Any]]:
        response = await client.get("/api/v1/audit-events", params={"limit": 1000}, headers=headers)
        assert response.status_code == 200, response.text
        items: list[dict[str, Any]] = response.json()["items"]
        return items

    mof_reader = await api_key("MOF", "audit:read")
    national = await api_key(None, "audit:read")
    mine = await events(mof_reader)
    everything = await events(national)
    text_of = str(mine)
    assert mine, "MOF's own events are readable"
    for code in ("MOI", "DOPA", "DOPA-CM", world["ids"]["B-EMP"]):
        assert code not in text_of
    assert {e["entity_id"] for e in mine if e["entity"] == "person_sync"} == {"MOF"}
    assert {e["id"] for e in mine} < {e["id"] for e in everything}
    assert {e["entity_id"] for e in everything if e["entity"] == "person_sync"} == {"MOF", "MOI"}
    # filtering by another agency's record finds nothing either
    theirs = await client.get(
        "/api/v1/audit-events",
        params={"entity": "person_sync", "entity_id": "MOI"},
        headers=mof_reader,
    )
    assert theirs.json()["items"] == []
    # a key whose agency is unknown (made before keys were checked) reads nothing
    stray = await api_key("MOF", "audit:read")
    await session.execute(
        text("UPDATE integration_client SET agency = 'GONE' WHERE agency = 'MOF'")
    )
    assert await events(stray) == []


@pytest.mark.parametrize("dry_run", [True, False])
async def test_a_subject_held_outside_the_scope_gets_the_answer_a_free_one_gets(
    client: httpx.AsyncClient, world: dict[str, Any], actor: dict[str, str], dry_run: bool
) -> None:
    """The rule (docs/hris-sync.md): a login is unique within a source, so whether another
    agency's person holds it is none of the caller's business and changes nothing in the
    answer; one held within the caller's own source is refused, naming no one."""

    written = iter(range(100))

    async def answer(subject: str) -> dict[str, Any]:
        response = await client.post(
            "/api/v1/people/bulk",
            params={"dry_run": "true"} if dry_run else {},
            json=[person(f"NEW-{next(written)}", agency="RD", subject=subject)],
            headers=actor,
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        for result in body["results"]:  # a new record's own key and id differ every time
            result.pop("id", None)
            result.pop("external_id", None)
        return body

    free = await answer("nobody-has-this")
    outside = await answer("b-emp")
    assert outside == free
    assert outside["results"][0]["outcome"] == "created"
    for foreign in ("B-EMP", world["ids"]["B-EMP"], "DOPA", "MOI"):
        assert foreign not in str(outside)

    inside = await answer("a-sup")
    assert inside["results"][0]["errors"] == [
        {
            "pointer": "/0/subject",
            "rule": "subject-taken",
            "detail": "this subject is linked to another person",
        }
    ]


async def test_a_token_links_the_holder_of_its_subject_within_its_agency(
    client: httpx.AsyncClient, world: dict[str, Any], auth: Any, session_factory: Any
) -> None:
    """MOI's HR system gives MOI's person the login MOF's person holds. A token whose agency
    claim is MOF's still stands for MOF's person and one of MOI for MOI's: neither agency can
    take over or unlink the other's user. A token without the claim links only an unambiguous
    login; one naming an unknown agency links nobody."""
    moi = await sync(
        client,
        [person("B-TWIN", agency="DOPA", subject="a-emp")],
        world["moi"],
    )
    assert moi["results"][0]["outcome"] == "created"

    async def linked(headers: dict[str, str]) -> str | None:
        body = await gql(client, "{ myPerson { externalId } }", headers)
        assert "errors" not in body, body
        found = body["data"]["myPerson"]
        return None if found is None else str(found["externalId"])

    assert await linked(auth("a-emp", "employee", agency="RD-IT")) == "A-EMP"
    assert await linked(auth("a-emp", "employee", agency="MOF")) == "A-EMP"
    assert await linked(auth("a-emp", "employee", agency="MOI")) == "B-TWIN"
    assert await linked(auth("a-emp", "employee", agency="DOPA")) == "B-TWIN"
    assert await linked(auth("a-emp", "employee")) is None  # two holders: no link
    assert await linked(auth("a-emp", "employee", agency="NOWHERE")) is None
    assert await linked(auth("a-sup", "employee")) == "A-SUP"  # one holder: linked

    # the id alone (the dashboard stamp's way) follows the same rule
    from app.domain.principal import Principal, PrincipalKind, Role
    from app.services.platform.scope import linked_person, linked_person_id

    async with session_factory() as session:
        for subject, agency in [
            ("a-emp", "RD-IT"), ("a-emp", "MOI"), ("a-emp", None), ("a-emp", "NOWHERE"),
            ("a-sup", None),
        ]:  # fmt: skip
            who = Principal(PrincipalKind.USER, subject, frozenset({Role.EMPLOYEE}), agency)
            holder = await linked_person(session, who)
            assert await linked_person_id(session, who) == (holder.id if holder else None)


async def test_a_sync_event_is_read_only_by_those_who_may_see_everyone_it_names(
    client: httpx.AsyncClient, world: dict[str, Any], api_key: Any
) -> None:
    """A people sync is one event naming every person written: it belongs to the smallest
    subtree holding its source and every agency written into."""
    mof = world["actors"]["client"]
    body = await sync(client, [person("CGD-1", agency="CGD")], mof, source="RD")
    written = body["results"][0]["id"]
    assert written

    async def sees(headers: dict[str, str]) -> bool:
        response = await client.get(
            "/api/v1/audit-events", params={"entity": "person_sync"}, headers=headers
        )
        return written in response.text

    assert await sees(await api_key("MOF", "audit:read"))
    assert not await sees(await api_key("RD", "audit:read"))
    assert not await sees(await api_key("CGD", "audit:read"))

"""The staff-group workflow over GraphQL (003:657-659): one group is agreed with the first-line
supervisor; more than one also needs the supervisor one level higher."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.api.people.conftest import error_code, gql, person, sync

PROPOSE = """
mutation($person: ID!, $groups: [GroupShareInput!]!, $year: Int! = 2568) {
  proposeGroupAssignment(personId: $person, fiscalYear: $year, groups: $groups, note: "งานสองด้าน") {
    id state awaiting effective agreedBy approvedBy groups { group scope }
  }
}"""
APPROVE = """mutation($id: ID!) {
  approveGroupAssignment(id: $id) { state awaiting effective agreedBy approvedBy }
}"""
REJECT = """mutation($id: ID!) {
  rejectGroupAssignment(id: $id, note: "ไม่ตรงงาน") { state rejectedBy rejectionNote effective }
}"""
IN_FORCE = """
query($id: ID!) { person(id: $id) {
  staffGroups(fiscalYear: 2568) { state groups { group } }
  groupAssignments { state }
  targets(fiscalYear: 2568) { group scope present future }
} }"""
TWO = [{"group": "ACADEMIC"}, {"group": "SERVICE"}]
ONE = [{"group": "TECHNOLOGIST"}]


@pytest.fixture
async def line(client: httpx.AsyncClient, tree: Any, api_key: Any, auth: Any) -> dict[str, Any]:
    """director (second level) > head (first-line supervisor) > officer"""
    hris = await api_key("RD", "people:write")
    body = await sync(
        client,
        [
            person("DIR", subject="director"),
            person("HEAD", supervisor="DIR", agency="RD-IT", subject="head"),
            person("OFF", supervisor="HEAD", agency="RD-IT", subject="officer"),
        ],
        hris,
    )
    ids = {r["external_id"]: r["id"] for r in body["results"]}
    return {
        **ids,
        "officer": auth("officer", "employee", agency="RD-IT"),
        "head": auth("head", "employee", "supervisor", agency="RD-IT"),
        "director": auth("director", "employee", "supervisor", agency="RD"),
        "admin": auth("rd-admin", "agency_admin", agency="RD"),
    }


async def propose(
    client: httpx.AsyncClient, line: dict[str, Any], who: str, groups: list[dict[str, str]]
) -> dict[str, Any]:
    body = await gql(client, PROPOSE, line[who], person=line["OFF"], groups=groups)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["proposeGroupAssignment"]
    return result


async def test_two_groups_are_not_in_force_until_the_second_level_supervisor_approves(
    client: httpx.AsyncClient, line: dict[str, Any]
) -> None:
    proposal = await propose(client, line, "officer", TWO)
    assert (proposal["state"], proposal["awaiting"], proposal["effective"]) == (
        "PENDING",
        "SUPERVISOR",
        False,
    )
    agreed = (await gql(client, APPROVE, line["head"], id=proposal["id"]))["data"]
    assert agreed["approveGroupAssignment"] == {
        "state": "PENDING",
        "awaiting": "SECOND_LEVEL",
        "effective": False,
        "agreedBy": "head",
        "approvedBy": None,
    }
    pending = await gql(client, IN_FORCE, line["head"], id=line["OFF"])
    assert pending["data"]["person"]["staffGroups"] is None
    assert pending["data"]["person"]["targets"] == []

    approved = (await gql(client, APPROVE, line["director"], id=proposal["id"]))["data"]
    assert approved["approveGroupAssignment"]["state"] == "APPROVED"
    assert approved["approveGroupAssignment"]["approvedBy"] == "director"
    now = await gql(client, IN_FORCE, line["head"], id=line["OFF"])
    assert now["data"]["person"]["staffGroups"]["groups"] == [
        {"group": "ACADEMIC"},
        {"group": "SERVICE"},
    ]


async def test_one_group_is_in_force_once_the_first_line_supervisor_agrees(
    client: httpx.AsyncClient, line: dict[str, Any]
) -> None:
    proposal = await propose(client, line, "officer", ONE)
    agreed = (await gql(client, APPROVE, line["head"], id=proposal["id"]))["data"]
    assert agreed["approveGroupAssignment"]["state"] == "APPROVED"


async def test_a_supervisors_own_proposal_counts_as_their_agreement(
    client: httpx.AsyncClient, line: dict[str, Any]
) -> None:
    single = await propose(client, line, "head", ONE)
    assert (single["state"], single["agreedBy"]) == ("APPROVED", "head")
    double = await propose(client, line, "head", TWO)
    assert (double["state"], double["awaiting"]) == ("PENDING", "SECOND_LEVEL")


async def test_only_the_person_whose_step_it_is_may_take_it(
    client: httpx.AsyncClient, line: dict[str, Any]
) -> None:
    proposal = await propose(client, line, "officer", TWO)
    for who in ("officer", "director", "admin"):
        refused = await gql(client, APPROVE, line[who], id=proposal["id"])
        assert error_code(refused) == "FORBIDDEN", who
        assert refused["data"] is None
    await gql(client, APPROVE, line["head"], id=proposal["id"])
    refused = await gql(client, APPROVE, line["head"], id=proposal["id"])
    assert error_code(refused) == "FORBIDDEN"


async def test_a_rejection_ends_the_proposal_and_the_history_stays(
    client: httpx.AsyncClient, line: dict[str, Any]
) -> None:
    first = await propose(client, line, "officer", TWO)
    await gql(client, APPROVE, line["head"], id=first["id"])
    rejected = (await gql(client, REJECT, line["director"], id=first["id"]))["data"]
    assert rejected["rejectGroupAssignment"] == {
        "state": "REJECTED",
        "rejectedBy": "director",
        "rejectionNote": "ไม่ตรงงาน",
        "effective": False,
    }
    again = await gql(client, APPROVE, line["director"], id=first["id"])
    assert error_code(again) == "CONFLICT"
    second = await propose(client, line, "officer", ONE)
    await gql(client, APPROVE, line["head"], id=second["id"])
    history = await gql(client, IN_FORCE, line["head"], id=line["OFF"])
    assert [a["state"] for a in history["data"]["person"]["groupAssignments"]] == [
        "APPROVED",
        "REJECTED",
    ]


async def test_a_second_pending_proposal_for_the_year_is_a_conflict(
    client: httpx.AsyncClient, line: dict[str, Any]
) -> None:
    await propose(client, line, "officer", ONE)
    body = await gql(client, PROPOSE, line["officer"], person=line["OFF"], groups=TWO)
    assert error_code(body) == "CONFLICT"
    other_year = await gql(
        client, PROPOSE, line["officer"], person=line["OFF"], groups=TWO, year=2569
    )
    assert "errors" not in other_year


@pytest.mark.parametrize(
    ("groups", "year"),
    [([], 2568), ([{"group": "ACADEMIC"}, {"group": "ACADEMIC"}], 2568), (ONE, 68)],
)
async def test_invalid_proposals_are_coded_validation_errors(
    client: httpx.AsyncClient, line: dict[str, Any], groups: list[dict[str, str]], year: int
) -> None:
    body = await gql(client, PROPOSE, line["officer"], person=line["OFF"], groups=groups, year=year)
    assert error_code(body) == "VALIDATION_FAILED"
    assert body["errors"][0]["extensions"]["errors"][0]["pointer"]


async def test_strangers_cannot_see_or_propose(
    client: httpx.AsyncClient, line: dict[str, Any], auth: Any
) -> None:
    stranger = auth("nobody", "employee", agency="RD")
    body = await gql(client, PROPOSE, stranger, person=line["OFF"], groups=ONE)
    assert error_code(body) == "NOT_FOUND"
    outsider_admin = auth("moi-admin", "agency_admin", agency="MOI")
    body = await gql(client, PROPOSE, outsider_admin, person=line["OFF"], groups=ONE)
    assert error_code(body) == "NOT_FOUND"
    unauthenticated = await client.post("/graphql", json={"query": "{ myPerson { id } }"})
    assert unauthenticated.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_an_administrator_stands_in_for_a_missing_supervisor(
    client: httpx.AsyncClient, line: dict[str, Any]
) -> None:
    body = await gql(client, PROPOSE, line["director"], person=line["DIR"], groups=TWO)
    proposal = body["data"]["proposeGroupAssignment"]
    assert proposal["awaiting"] == "SUPERVISOR"
    refused = await gql(client, APPROVE, line["director"], id=proposal["id"])
    assert error_code(refused) == "FORBIDDEN"
    first = await gql(client, APPROVE, line["admin"], id=proposal["id"])
    second = await gql(client, APPROVE, line["admin"], id=proposal["id"])
    assert first["data"]["approveGroupAssignment"]["awaiting"] == "SECOND_LEVEL"
    assert second["data"]["approveGroupAssignment"]["state"] == "APPROVED"


async def test_approvers_see_what_awaits_them_and_targets_follow_the_stage(
    client: httpx.AsyncClient, line: dict[str, Any], session: AsyncSession
) -> None:
    proposal = await propose(client, line, "officer", TWO)
    waiting = "{ groupAssignmentsAwaitingMe { id awaiting } }"
    assert (await gql(client, waiting, line["head"]))["data"]["groupAssignmentsAwaitingMe"] == [
        {"id": proposal["id"], "awaiting": "SUPERVISOR"}
    ]
    assert (await gql(client, waiting, line["director"]))["data"][
        "groupAssignmentsAwaitingMe"
    ] == []
    await gql(client, APPROVE, line["head"], id=proposal["id"])
    assert (
        len((await gql(client, waiting, line["director"]))["data"]["groupAssignmentsAwaitingMe"])
        == 1
    )
    await gql(client, APPROVE, line["director"], id=proposal["id"])
    await client.put(
        "/api/v1/agencies/RD/stages/2568",
        json={"stage": "early", "announced_on": "2024-10-01"},
        headers=line["admin"],
    )
    targets = (await gql(client, IN_FORCE, line["head"], id=line["OFF"]))["data"]["person"][
        "targets"
    ]
    assert targets == [
        {"group": "ACADEMIC", "scope": "WHOLE", "present": "EARLY", "future": "DEVELOPING"},
        {"group": "SERVICE", "scope": "WHOLE", "present": "EARLY", "future": "DEVELOPING"},
    ]
    actions = await session.execute(
        text("SELECT action FROM audit_event WHERE entity = 'staff_group_assignment' ORDER BY id")
    )
    assert [a[0] for a in actions] == ["propose", "approve", "approve"]


async def test_a_person_sees_their_own_targets_whatever_agency_their_token_names(
    client: httpx.AsyncClient, line: dict[str, Any], auth: Any
) -> None:
    proposal = await propose(client, line, "head", ONE)
    assert proposal["state"] == "APPROVED"
    await client.put(
        "/api/v1/agencies/RD/stages/2568",
        json={"stage": "mature", "announced_on": "2024-10-01"},
        headers=line["admin"],
    )
    no_agency_claim = auth("officer", "employee")
    body = await gql(
        client,
        "{ myPerson { targets(fiscalYear: 2568) { group present future } } }",
        no_agency_claim,
    )
    assert body["data"]["myPerson"]["targets"] == [
        {"group": "TECHNOLOGIST", "present": "MATURE", "future": None}
    ]

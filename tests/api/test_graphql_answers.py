"""Answers portals rely on: who my supervisor is, and what "latest" means on my dashboard."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.assessments.flow import url
from tests.api.assessments.test_assessment_flow import submitted

MY_PERSON = """{ myPerson { id supervisor { id firstNameTh lastNameTh supervisor { id } } } }"""
PERSON = """query($id: ID!) { person(id: $id) { id supervisor { id } } }"""
DASHBOARD = """query($y: Int) { myDashboard(fiscalYear: $y) {
  latestAssessment { id status kind }
  assessmentInProgress { id status kind }
  readiness { target overall { met required } } topGaps { requirement { code } } } }"""


async def gql(
    client: httpx.AsyncClient, query: str, headers: dict[str, str], **variables: Any
) -> dict[str, Any]:
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


async def test_an_employee_sees_their_own_supervisor(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    mine = (await gql(client, MY_PERSON, line["officer"]))["myPerson"]
    assert mine["id"] == line["officer_id"]
    supervisor = mine["supervisor"]
    assert supervisor["id"] == line["head_id"]
    assert supervisor["lastNameTh"] == "รักงานHEAD"
    # the supervisor's own supervisor is not the employee's business
    assert supervisor["supervisor"] is None
    # and the head sees theirs
    head = (await gql(client, MY_PERSON, line["head"]))["myPerson"]
    assert head["supervisor"]["id"] == line["director_id"]


async def test_someone_elses_supervisor_is_shown_only_to_who_may_see_them(
    client: httpx.AsyncClient, make_workforce: Any, admin_headers: dict[str, str]
) -> None:
    line = await make_workforce()
    officer = line["officer_id"]
    for who, expected in (
        ("head", line["head_id"]),  # themself
        ("director", line["head_id"]),  # their report
        ("admin", line["head_id"]),  # the agency's administrator
    ):
        found = (await gql(client, PERSON, line[who], id=officer))["person"]
        assert found["supervisor"] == {"id": expected}, who
    assert (await gql(client, PERSON, admin_headers, id=officer))["person"]["supervisor"] == {
        "id": line["head_id"]
    }
    assert (await gql(client, PERSON, line["outsider"], id=officer))["person"] is None


async def test_latest_is_the_final_result_and_a_new_draft_is_reported_apart(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    """A reflection opened after the finalised baseline used to take its place: readiness fell
    to what the empty draft had (1 of 69)."""
    line = await make_workforce()
    baseline = await submitted(client, line, not_had=("K-F2",))
    assert (
        await client.post(url(line, baseline, "/finalize"), headers=line["head"])
    ).status_code == 200
    before = (await gql(client, DASHBOARD, line["officer"], y=line["year"]))["myDashboard"]
    assert before["latestAssessment"] == {
        "id": baseline["id"],
        "status": "final",
        "kind": "baseline",
    }
    assert before["assessmentInProgress"] is None
    overall = before["readiness"][0]["overall"]
    assert overall["met"] == overall["required"] - 1

    opened = await client.post(
        f"/api/v1/people/{line['officer_id']}/assessments",
        json={"fiscal_year": line["year"], "kind": "reflection"},
        headers=line["officer"],
    )
    assert opened.status_code in (200, 201), opened.text
    reflection = opened.json()
    after = (await gql(client, DASHBOARD, line["officer"], y=line["year"]))["myDashboard"]
    assert after["latestAssessment"] == before["latestAssessment"]
    assert after["readiness"] == before["readiness"]
    assert after["topGaps"] == before["topGaps"] == [{"requirement": {"code": "K-F2"}}]
    assert after["assessmentInProgress"] == {
        "id": reflection["id"],
        "status": "draft",
        "kind": "reflection",
    }

"""Assessments over GraphQL: the workflow with coded errors, and ``myDashboard`` in one round
trip with a small, fixed number of SQL statements."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.api.assessments.flow import all_has, form_of, open_, rate, rated_items, url
from tests.api.assessments.test_assessment_flow import submitted
from tests.api.test_frameworks_graphql import statements

OPEN = """mutation($p: ID!, $y: Int!) { openAssessment(personId: $p, fiscalYear: $y) {
  id status presentProfiles futureProfiles itemCount } }"""
RATE = """mutation($p: ID!, $id: ID!, $r: [RatingInput!]!) {
  rateAssessment(personId: $p, id: $id, ratings: $r) { version } }"""
SUBMIT = "mutation($p: ID!, $id: ID!) { submitAssessment(personId: $p, id: $id) { status } }"
REVIEW = """mutation($p: ID!, $id: ID!, $r: [RatingInput!]!) {
  reviewAssessment(personId: $p, id: $id, ratings: $r) { status } }"""
FINALIZE = "mutation($p: ID!, $id: ID!) { finalizeAssessment(personId: $p, id: $id) { status } }"
RESULTS = """query($p: ID!, $id: ID!) { assessmentResults(personId: $p, id: $id) {
  finalRatingRule present { overall { met required ratio } }
  gaps { requirement { code } itemsNotMet } } }"""
FORM = """query($p: ID!, $id: ID!) { assessmentForm(personId: $p, id: $id) {
  itemCount sections { component domains { code units { code item { code }
  elements { code criteria { code title { th } } } } } items { code } } } }"""
DASHBOARD = """query($y: Int) { myDashboard(fiscalYear: $y, topGaps: 3) {
  nameTh fiscalYear stage groups presentProfiles futureProfiles
  latestAssessment { id status }
  assessmentInProgress { id status }
  readiness { target overall { met required ratio } byDomain { key met required } }
  topGaps { requirement { code title { th } } itemsNotMet }
  pendingReviews { personNameTh assessment { id status } }
  currentPlan { plan { id state } progress { plannedHours actualHours } } } }"""


async def gql(
    client: httpx.AsyncClient, query: str, headers: dict[str, str], **variables: Any
) -> dict[str, Any]:
    r = await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def codes_of(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors", [])]


async def test_the_whole_workflow_over_graphql(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    p = line["officer_id"]
    opened = (await gql(client, OPEN, line["officer"], p=p, y=line["year"]))["data"]
    a = opened["openAssessment"]
    assert (a["presentProfiles"], a["futureProfiles"]) == (
        ["developing/technologist"],
        ["mature/technologist"],
    )
    form = (await gql(client, FORM, line["officer"], p=p, id=a["id"]))["data"]["assessmentForm"]
    codes = [
        c["code"]
        for s in form["sections"]
        for d in s["domains"]
        for u in d["units"]
        for c in ([u["item"]] if u["item"] else [c for e in u["elements"] for c in e["criteria"]])
    ] + [i["code"] for s in form["sections"] for i in s["items"]]
    assert len(codes) == form["itemCount"]
    ratings = [{"code": c, "value": "has_not" if c == "DS101.1" else "has"} for c in codes]

    body = await gql(client, SUBMIT, line["officer"], p=p, id=a["id"])
    assert codes_of(body) == ["VALIDATION_FAILED"]
    assert len(body["errors"][0]["extensions"]["missing"]) == len(codes)
    body = await gql(client, RATE, line["head"], p=p, id=a["id"], r=ratings)
    assert codes_of(body) == ["FORBIDDEN"]
    body = await gql(
        client, RATE, line["officer"], p=p, id=a["id"], r=[{"code": "X", "value": "has"}]
    )
    assert codes_of(body) == ["VALIDATION_FAILED"]
    assert body["errors"][0]["extensions"]["errors"][0]["rule"] == "not-in-assessment"
    assert "errors" not in await gql(client, RATE, line["officer"], p=p, id=a["id"], r=ratings)
    assert "errors" not in await gql(client, SUBMIT, line["officer"], p=p, id=a["id"])

    review = [{"code": "DLit400", "value": "has"}]
    assert codes_of(await gql(client, REVIEW, line["director"], p=p, id=a["id"], r=review)) == [
        "FORBIDDEN"
    ]
    assert codes_of(await gql(client, REVIEW, line["outsider"], p=p, id=a["id"], r=review)) == [
        "NOT_FOUND"
    ]
    assert "errors" not in await gql(client, REVIEW, line["head"], p=p, id=a["id"], r=review)
    done = await gql(client, FINALIZE, line["head"], p=p, id=a["id"])
    assert done["data"]["finalizeAssessment"]["status"] == "final"
    results = (await gql(client, RESULTS, line["head"], p=p, id=a["id"]))["data"]
    assert [g["requirement"]["code"] for g in results["assessmentResults"]["gaps"]] == ["DS100"]
    assert codes_of(await gql(client, RATE, line["officer"], p=p, id=a["id"], r=ratings)) == [
        "CONFLICT"
    ]


async def test_the_dashboard_shows_my_profiles_readiness_top_gaps_and_pending_reviews(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    a = await submitted(client, line, not_had=("DS101.1", "K-F2"))
    mine = (await gql(client, DASHBOARD, line["officer"], y=line["year"]))["data"]["myDashboard"]
    assert mine["presentProfiles"] == ["developing/technologist"]
    assert mine["futureProfiles"] == ["mature/technologist"]
    # submitted is not a result yet
    assert mine["latestAssessment"] is None
    assert mine["assessmentInProgress"] == {"id": a["id"], "status": "submitted"}
    assert (mine["readiness"], mine["topGaps"]) == ([], [])
    assert mine["pendingReviews"] == []

    head = (await gql(client, DASHBOARD, line["head"], y=line["year"]))["data"]["myDashboard"]
    assert [r["assessment"]["id"] for r in head["pendingReviews"]] == [a["id"]]
    assert head["latestAssessment"] is None
    assert head["presentProfiles"] == []  # the head has no approved group this year

    assert (await client.post(url(line, a, "/finalize"), headers=line["head"])).status_code == 200
    mine = (await gql(client, DASHBOARD, line["officer"], y=line["year"]))["data"]["myDashboard"]
    assert mine["latestAssessment"] == {"id": a["id"], "status": "final"}
    assert mine["assessmentInProgress"] is None
    assert [g["requirement"]["code"] for g in mine["topGaps"]] == ["DS100", "K-F2"]
    present = mine["readiness"][0]
    assert present["target"] == "present"
    assert present["overall"]["met"] == present["overall"]["required"] - 2


async def test_the_dashboard_takes_the_same_few_statements_however_many_reviews_wait(
    client: httpx.AsyncClient, make_workforce: Any, engine: AsyncEngine
) -> None:
    line = await make_workforce()
    await submitted(client, line, not_had=("K-F1",))

    async def count(who: str) -> int:
        with statements(engine) as seen:
            body = await gql(client, DASHBOARD, line[who], y=line["year"])
        assert "errors" not in body, body
        return len(seen)

    head, officer = await count("head"), await count("officer")
    assert head <= 13  # the dashboard's statements and its stamp (docs/graphql.md)
    assert officer <= 13
    reflection = await open_(client, line, "reflection")
    codes = [i["code"] for i in rated_items(await form_of(client, line, reflection))]
    assert (await rate(client, line, reflection, all_has(codes))).status_code == 200
    r = await client.post(url(line, reflection, "/submit"), headers=line["officer"])
    assert r.status_code == 200
    queue = (await client.get("/api/v1/me/assessment-queue", headers=line["head"])).json()
    assert len(queue) == 2
    assert await count("head") == head  # two reviews waiting instead of one
    assert await count("officer") == officer  # another assessment, all its ratings


async def test_the_dashboard_carries_my_plan_and_its_progress_in_the_same_few_statements(
    client: httpx.AsyncClient, make_workforce: Any, engine: AsyncEngine
) -> None:
    from tests.api.plans.bodies import in_force, plans_url

    line = await make_workforce()
    await submitted(client, line, not_had=("K-F1",))
    agreed = await in_force(client, line)

    async def dashboard() -> tuple[dict[str, Any], int]:
        with statements(engine) as seen:
            body = await gql(client, DASHBOARD, line["officer"], y=line["year"])
        assert "errors" not in body, body
        return body["data"]["myDashboard"], len(seen)

    mine, before = await dashboard()
    assert mine["currentPlan"]["plan"]["id"] == agreed["id"]
    assert mine["currentPlan"]["progress"] == {"plannedHours": 160.0, "actualHours": 0.0}
    assert before <= 30  # the plan part re-checks the plan rules (targets, policy)
    url = f"{plans_url(line)}/{agreed['id']}/effort"
    for activity in agreed["items"][0]["activities"]:
        r = await client.post(
            url,
            json={"activity_id": activity["id"], "hours": 2, "on": "2024-11-15"},
            headers=line["officer"],
        )
        assert r.status_code == 201, r.text
    mine, after = await dashboard()
    assert mine["currentPlan"]["progress"]["actualHours"] == 6.0
    assert after == before  # more effort records, not more statements

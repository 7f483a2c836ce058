"""Plans over GraphQL: mutations return findings, coded errors, the queue and my plan."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.plans.bodies import baseline, create, in_force, plans_url, post, valid_items

PLAN = "id revision state inForce etag findings { rule severity pointer messageTh } "
CREATE = (
    "mutation($person: ID!, $items: JSON!, $baseline: String) {"
    " createPlan(personId: $person, fiscalYear: 2568, items: $items,"
    " baselineAssessmentId: $baseline) { " + PLAN + "items { id activities { id } } } }"
)
STEP = "mutation($person: ID!, $plan: ID!) { %s(personId: $person, planId: $plan) { " + PLAN + "} }"


async def gql(
    client: httpx.AsyncClient, query: str, headers: dict[str, str], **variables: Any
) -> dict[str, Any]:
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_the_plan_lifecycle_over_graphql(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    person = line["officer_id"]
    items = valid_items()
    del items[3]
    made = await gql(client, CREATE, line["officer"], person=person, items=items)
    plan = made["data"]["createPlan"]
    assert {f["rule"] for f in plan["findings"]} == {"D2", "C6"}
    assert {f["pointer"] for f in plan["findings"] if f["rule"] == "D2"} == {
        "/baseline_assessment_id"
    }

    refused = await gql(
        client, STEP % "submitPlan", line["officer"], person=person, plan=plan["id"]
    )
    error = refused["errors"][0]["extensions"]
    assert error["code"] == "VALIDATION_FAILED"
    assert [e["rule"] for e in error["errors"]] == ["D2"]

    update = (
        "mutation($person: ID!, $plan: ID!, $items: JSON!, $baseline: String, $etag: String) {"
        " updatePlan(personId: $person, planId: $plan, items: $items,"
        " baselineAssessmentId: $baseline, ifMatch: $etag) { " + PLAN + "} }"
    )
    stale = await gql(
        client,
        update,
        line["head"],
        person=person,
        plan=plan["id"],
        items=items,
        baseline=await baseline(client, line),
        etag='"9"',
    )
    assert stale["errors"][0]["extensions"]["code"] == "PRECONDITION_FAILED"
    fixed = await gql(
        client,
        update,
        line["head"],
        person=person,
        plan=plan["id"],
        items=items,
        baseline=await baseline(client, line),
        etag=plan["etag"],
    )
    assert [f["rule"] for f in fixed["data"]["updatePlan"]["findings"]] == ["C6"]

    submitted = await gql(
        client, STEP % "submitPlan", line["officer"], person=person, plan=plan["id"]
    )
    assert submitted["data"]["submitPlan"]["state"] == "submitted"
    third = await gql(
        client, STEP % "acknowledgePlan", line["director"], person=person, plan=plan["id"]
    )
    assert third["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    stranger = await gql(
        client, STEP % "acknowledgePlan", line["outsider"], person=person, plan=plan["id"]
    )
    assert stranger["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    for who in ("officer", "head"):
        signed = await gql(
            client, STEP % "acknowledgePlan", line[who], person=person, plan=plan["id"]
        )
        assert "errors" not in signed, signed
    assert signed["data"]["acknowledgePlan"]["inForce"] is True


async def test_my_plan_carries_its_progress_and_the_methods_are_listed(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    agreed = await in_force(client, line)
    effort = (
        "mutation($person: ID!, $plan: ID!, $activity: String!) {"
        ' recordEffort(personId: $person, planId: $plan, activityId: $activity, hours: "7")'
        " { state } }"
    )
    activity = agreed["items"][1]["activities"][1]["id"]  # coaching: learning from others
    done = await gql(
        client,
        effort,
        line["officer"],
        person=line["officer_id"],
        plan=agreed["id"],
        activity=activity,
    )
    assert done["data"]["recordEffort"]["state"] == "in_progress"
    query = (
        "{ myPlan(fiscalYear: 2568) { plan { id state } progress { plannedHours actualHours"
        " buckets { bucket plannedPercent actualPercent gapPoints } } }"
        " planningMethods { code bucket } }"
    )
    data = (await gql(client, query, line["officer"]))["data"]
    assert data["myPlan"]["plan"] == {"id": agreed["id"], "state": "in_progress"}
    progress = data["myPlan"]["progress"]
    assert (progress["plannedHours"], progress["actualHours"]) == (160, 7)
    assert [(b["bucket"], b["actualPercent"], b["gapPoints"]) for b in progress["buckets"]] == [
        (70, 0, -70),
        (20, 100, 80),
        (10, 0, -10),
    ]
    assert {"coaching", "online_course"} <= {m["code"] for m in data["planningMethods"]}
    nothing = await gql(client, "{ myPlan(fiscalYear: 2569) { plan { id } } }", line["officer"])
    assert nothing["data"]["myPlan"] is None


async def test_the_queue_lists_what_awaits_me(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    plan = await create(client, line)
    queue = "{ planQueue { planId awaiting relation personName } }"
    assert (await gql(client, queue, line["head"]))["data"]["planQueue"] == []
    await post(client, line, plan, "submit", "officer")
    mine = (await gql(client, queue, line["officer"]))["data"]["planQueue"]
    assert [(e["awaiting"], e["relation"]) for e in mine] == [("acknowledge", "owner")]
    rest = (await client.get("/api/v1/me/plan-queue", headers=line["head"])).json()["items"]
    assert [(e["plan_id"], e["awaiting"], e["relation"]) for e in rest] == [
        (plan["id"], "acknowledge", "supervisor")
    ]
    empty = {"items": [], "next_cursor": None}
    assert (await client.get("/api/v1/me/plan-queue", headers=line["director"])).json() == empty
    await post(client, line, plan, "acknowledge", "head")
    assert (await client.get("/api/v1/me/plan-queue", headers=line["head"])).json() == empty
    await post(client, line, plan, "acknowledge", "officer")
    evaluate = (await client.get("/api/v1/me/plan-queue", headers=line["head"])).json()
    assert [e["awaiting"] for e in evaluate["items"]] == ["evaluate"]
    rows = [
        {"item_id": i["id"], "outcome": "as_planned", "next_step": "continue", "narrative": "ดี"}
        for i in plan["items"]
    ]
    url = f"{plans_url(line)}/{plan['id']}"
    await client.put(f"{url}/evaluation", json={"items": rows}, headers=line["head"])
    signing = (await gql(client, queue, line["officer"]))["data"]["planQueue"]
    assert [e["awaiting"] for e in signing] == ["acknowledge_evaluation"]

"""The plan rules over HTTP: the issue's refused plan and its fixes, agency policy, and the
validation endpoint that saves nothing."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.api.plans.bodies import (
    activity,
    baseline,
    create,
    item,
    plans_url,
    rules,
    two_topic_items,
    valid_items,
)
from tests.helpers import problem_of

TWO_MONTHS = {"start": "2024-10-01", "end": "2024-11-30"}
THREE_MONTHS = {"start": "2024-10-01", "end": "2024-12-31"}


def one_item(**changes: Any) -> list[dict[str, Any]]:
    """One item, a two-month period, all 80 hours in classroom training."""
    only = item(
        1,
        "DLit400",
        "การใช้เครื่องมือดิจิทัลในงาน",
        period=TWO_MONTHS,
        activities=[activity("classroom_training", 80, lecture=50)],
    )
    only.update(changes)
    return [only]


async def test_one_item_two_months_all_classroom_is_refused_with_e3_e7_c1_and_only_what_it_breaks(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    plan = await create(client, line, one_item())
    # one item is also one topic (D4: three a year) and all of it serves present work (C6)
    assert rules(plan["findings"], "error") == {"E3", "E7", "C1", "D4"}
    assert rules(plan["findings"], "warning") == {"C6"}
    by_rule = {f["rule"]: f for f in plan["findings"]}
    assert by_rule["E3"]["pointer"] == "/items"
    assert by_rule["E7"]["pointer"] == "/items/0/period"
    assert by_rule["E7"]["message_th"]
    assert by_rule["E7"]["message_en"]
    c1 = [
        (f["params"]["bucket"], f["params"]["share"]) for f in plan["findings"] if f["rule"] == "C1"
    ]
    assert c1 == [(70, "0"), (20, "0"), (10, "100")]

    refused = problem_of(
        await client.post(f"{plans_url(line)}/{plan['id']}/submit", headers=line["officer"]), 422
    )
    assert {e["rule"] for e in refused["errors"]} == {"E3", "E7", "C1", "D4"}
    assert all(e["severity"] == "error" and e["detail_th"] for e in refused["errors"])


async def test_fixing_each_broken_rule_clears_its_finding(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    plan = await create(client, line, one_item())
    url = f"{plans_url(line)}/{plan['id']}/validate"
    balanced = [
        activity("on_the_job_training", 56),
        activity("coaching", 16),
        activity("classroom_training", 8, lecture=50),
    ]

    baseline_id = await baseline(client, line)

    async def errors(items: list[dict[str, Any]]) -> set[str]:
        body = {"baseline_assessment_id": baseline_id, "items": items}
        response = await client.post(url, json=body, headers=line["officer"])
        assert response.status_code == 200, response.text
        return rules(response.json()["findings"], "error")

    assert await errors(one_item(period=THREE_MONTHS)) == {"E3", "C1", "D4"}
    assert await errors(one_item(activities=balanced)) == {"E3", "E7", "D4"}
    fixed = one_item(period=THREE_MONTHS, activities=balanced)
    assert await errors(fixed) == {"E3", "D4"}
    assert await errors(valid_items()) == set()


async def test_the_validation_endpoint_saves_nothing(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    plan = await create(client, line, one_item())
    url = f"{plans_url(line)}/{plan['id']}"
    response = await client.post(
        f"{url}/validate", json={"items": valid_items()}, headers=line["officer"]
    )
    assert response.json()["valid"] is False  # no baseline in this body: D2
    assert rules(response.json()["findings"]) == {"D2"}
    again = await client.get(url, headers=line["officer"])
    assert again.json()["items"] == plan["items"]
    assert again.headers["ETag"] == '"1"'
    stored = await client.post(f"{url}/validate", headers=line["officer"])
    assert rules(stored.json()["findings"], "error") == {"E3", "E7", "C1", "D4"}
    fresh = await client.post(
        f"{plans_url(line)}/validate",
        json={
            "fiscal_year": 2568,
            "baseline_assessment_id": await baseline(client, line),
            "items": valid_items(),
        },
        headers=line["officer"],
    )
    assert fresh.json() == {"valid": True, "findings": []}


async def test_an_agency_that_asks_two_topics_accepts_a_plan_the_default_refuses(
    client: httpx.AsyncClient, make_workforce: Any, admin_headers: dict[str, str]
) -> None:
    line = await make_workforce()
    plan = await create(client, line, two_topic_items())
    d4 = [f for f in plan["findings"] if f["rule"] == "D4"]
    assert [f["params"] for f in d4] == [{"count": 2, "min": 3}]
    assert rules(plan["findings"]) == {"D4"}
    url = f"{plans_url(line)}/{plan['id']}"
    problem_of(await client.post(f"{url}/submit", headers=line["officer"]), 422)

    # the ministry above the officer's department sets the minimum; the department inherits it
    parent = f"{line['agency']}-MIN"
    response = await client.put(
        f"/api/v1/agencies/{parent}/planning-policy", json={"min_topics": 2}, headers=admin_headers
    )
    assert response.status_code == 200, response.text
    inherited = (
        await client.get(
            f"/api/v1/agencies/{line['agency']}/planning-policy", headers=line["admin"]
        )
    ).json()
    assert inherited["own"] == {}
    assert inherited["effective"]["min_topics"] == 2
    assert inherited["sources"]["min_topics"] == {"origin": "inherited", "agency": parent}
    assert inherited["sources"]["min_items"] == {"origin": "default", "agency": None}

    assert (await client.post(f"{url}/validate", headers=line["officer"])).json()["valid"]
    submitted = await client.post(f"{url}/submit", headers=line["officer"])
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["state"] == "submitted"


async def test_the_nearest_agency_wins_field_by_field(
    client: httpx.AsyncClient, make_workforce: Any, admin_headers: dict[str, str]
) -> None:
    line = await make_workforce()
    parent, own = f"{line['agency']}-MIN", line["agency"]
    await client.put(
        f"/api/v1/agencies/{parent}/planning-policy",
        json={"min_topics": 2, "max_lecture_percent": 50},
        headers=admin_headers,
    )
    response = await client.put(
        f"/api/v1/agencies/{own}/planning-policy", json={"min_topics": 4}, headers=line["admin"]
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["effective"]["min_topics"] == 4
    assert body["effective"]["max_lecture_percent"] == 50
    assert body["sources"]["max_lecture_percent"] == {"origin": "inherited", "agency": parent}
    assert body["sources"]["min_topics"] == {"origin": "own", "agency": own}


async def test_a_bad_policy_is_refused_with_every_bad_setting(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    url = f"/api/v1/agencies/{line['agency']}/planning-policy"
    body = problem_of(
        await client.put(url, json={"min_topics": -1, "colour": "red"}, headers=line["admin"]), 422
    )
    assert {e["pointer"] for e in body["errors"]} == {"/min_topics", "/colour"}
    problem_of(await client.put(url, json={"min_topics": 2}, headers=line["officer"]), 403)
    inconsistent = problem_of(
        await client.put(url, json={"max_items": 1}, headers=line["admin"]), 422
    )
    assert {e["pointer"] for e in inconsistent["errors"]} == {"/max_items"}


async def test_structural_problems_point_into_the_body(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    items = valid_items()
    items[1]["activities"][0]["planned_hours"] = -1
    items[2]["reason"] = "curiosity"
    body = problem_of(
        await client.post(
            plans_url(line), json={"fiscal_year": 2568, "items": items}, headers=line["officer"]
        ),
        422,
    )
    assert {e["pointer"] for e in body["errors"]} == {
        "/items/1/activities/0/planned_hours",
        "/items/2/reason",
    }


async def test_the_methods_vocabulary_is_served(client: httpx.AsyncClient, auth: Any) -> None:
    response = await client.get("/api/v1/planning/methods", headers=auth("someone"))
    methods = {m["code"]: m for m in response.json()["items"]}
    assert methods["online_course"]["bucket"] == 10
    assert methods["e_learning_implementation"]["bucket"] == 70
    assert {m["bucket"] for m in methods.values()} == {70, 20, 10}


async def test_a_plan_builds_only_on_a_baseline_assessment_of_the_same_person(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    reflection = await client.post(
        f"/api/v1/people/{line['officer_id']}/assessments",
        json={"fiscal_year": line["year"], "kind": "reflection"},
        headers=line["officer"],
    )
    assert reflection.status_code in (200, 201), reflection.text
    for wrong in (str(uuid.uuid4()), reflection.json()["id"]):
        response = await client.post(
            plans_url(line),
            json={
                "fiscal_year": line["year"],
                "baseline_assessment_id": wrong,
                "items": valid_items(),
            },
            headers=line["officer"],
        )
        body = problem_of(response, 422)
        assert [(e["pointer"], e["rule"]) for e in body["errors"]] == [
            ("/baseline_assessment_id", "D2")
        ]

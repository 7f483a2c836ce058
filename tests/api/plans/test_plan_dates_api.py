"""Plan period and effort dates take both forms, Buddhist Era (year 2400 or more) and Gregorian,
over REST and GraphQL; the API answers ISO 8601 Gregorian dates (app/domain/dates.py)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.api.plans.bodies import baseline, in_force, item, plans_url, valid_items
from tests.helpers import problem_of

# The same days (FY2568 runs from 1 Oct 2024 to 30 Sep 2025), spelt both ways.
BOTH = [("2024-11-25", "2024-11-25"), ("2567-11-25", "2024-11-25")]


@pytest.mark.parametrize(("sent", "kept"), BOTH)
async def test_effort_dates_take_both_forms(
    client: httpx.AsyncClient, make_workforce: Any, sent: str, kept: str
) -> None:
    line = await make_workforce()
    plan = await in_force(client, line)
    activity = plan["items"][0]["activities"][0]["id"]
    response = await client.post(
        f"{plans_url(line)}/{plan['id']}/effort",
        json={"activity_id": activity, "hours": 2, "on": sent},
        headers=line["officer"],
    )
    assert response.status_code == 201, response.text
    assert response.json()["on"] == kept


@pytest.mark.parametrize(
    ("start", "end"), [("2025-01-01", "2025-03-31"), ("2568-01-01", "2568-03-31")]
)
async def test_plan_period_dates_take_both_forms(
    client: httpx.AsyncClient, make_workforce: Any, start: str, end: str
) -> None:
    line = await make_workforce()
    items = valid_items()
    items[2] = item(3, "K-F1", "กฎหมายดิจิทัล", period={"start": start, "end": end})
    response = await client.post(
        plans_url(line),
        json={
            "fiscal_year": line["year"],
            "baseline_assessment_id": await baseline(client, line),
            "items": items,
        },
        headers=line["officer"],
    )
    assert response.status_code == 201, response.text
    plan = response.json()
    assert plan["items"][2]["period"] == {"start": "2025-01-01", "end": "2025-03-31"}
    assert not [f for f in plan["findings"] if f["pointer"].startswith("/items/2/period")]


async def test_a_buddhist_era_day_that_does_not_exist_is_a_422_naming_the_field(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    plan = await in_force(client, line)
    activity = plan["items"][0]["activities"][0]["id"]
    # BE 2568 = CE 2025: no 29 February, though 2568 divides by 4
    refused = problem_of(
        await client.post(
            f"{plans_url(line)}/{plan['id']}/effort",
            json={"activity_id": activity, "hours": 2, "on": "2568-02-29"},
            headers=line["officer"],
        ),
        422,
    )
    assert [(e["pointer"], e["rule"]) for e in refused["errors"]] == [("/on", "date")]


async def test_graphql_effort_dates_take_the_buddhist_era_and_refuse_a_day_that_is_not(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    plan = await in_force(client, line)
    activity = plan["items"][0]["activities"][0]["id"]
    query = """mutation($p: ID!, $plan: ID!, $a: String!, $on: Date) {
      recordEffort(personId: $p, planId: $plan, activityId: $a, hours: "2", on: $on) { id } }"""
    variables = {"p": line["officer_id"], "plan": plan["id"], "a": activity}
    ok = await client.post(
        "/graphql",
        json={"query": query, "variables": {**variables, "on": "2567-11-25"}},
        headers=line["officer"],
    )
    assert "errors" not in ok.json(), ok.text
    progress = await client.get(f"{plans_url(line)}/{plan['id']}/progress", headers=line["officer"])
    assert [e["on"] for e in progress.json()["entries"]] == ["2024-11-25"]
    bad = await client.post(
        "/graphql",
        json={"query": query, "variables": {**variables, "on": "2568-02-29"}},
        headers=line["officer"],
    )
    assert bad.json()["errors"], bad.text
    (error,) = bad.json()["errors"]
    assert error["extensions"]["code"] == "VALIDATION_FAILED"
    assert "Buddhist Era" in error["message"]

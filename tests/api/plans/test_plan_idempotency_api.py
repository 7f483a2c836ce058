"""Creating a plan with an ``Idempotency-Key``: a retry (the answer was lost, or the database
was unavailable) gets the first answer again and creates nothing more."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.plans.bodies import baseline, plans_url, valid_items
from tests.helpers import problem_of


async def test_a_retried_create_with_the_same_key_creates_one_plan(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    body = {
        "fiscal_year": line["year"],
        "baseline_assessment_id": await baseline(client, line),
        "items": valid_items(),
    }
    headers = {**line["officer"], "Idempotency-Key": "plan-2568-officer"}
    first = await client.post(plans_url(line), json=body, headers=headers)
    assert first.status_code == 201, first.text
    again = await client.post(plans_url(line), json=body, headers=headers)
    assert again.status_code == 201, again.text
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["location"] == first.headers["location"]
    listed = (await client.get(plans_url(line), headers=line["officer"])).json()["items"]
    assert [p["id"] for p in listed] == [first.json()["id"]]

    other = {**body, "items": valid_items()[:2]}
    problem_of(await client.post(plans_url(line), json=other, headers=headers), 422)
    without_key = await client.post(plans_url(line), json=body, headers=line["officer"])
    problem_of(without_key, 409)  # the plan of the year exists: a new create is refused

"""Actual effort and the actual 70:20:10 mix against the planned one, over HTTP."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.plans.bodies import create, in_force, plans_url
from tests.helpers import problem_of


async def test_effort_starts_the_plan_and_progress_compares_the_mixes(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    agreed = await in_force(client, line)
    url = f"{plans_url(line)}/{agreed['id']}"
    doing, others, training = (a["id"] for a in agreed["items"][0]["activities"])
    for activity, hours, who in (
        (doing, 10, "officer"),
        (others, 6, "head"),
        (training, 4, "officer"),
    ):
        response = await client.post(
            f"{url}/effort",
            json={"activity_id": activity, "hours": hours, "on": "2024-11-15"},
            headers=line[who],
        )
        assert response.status_code == 201, response.text
    assert (await client.get(url, headers=line["officer"])).json()["state"] == "in_progress"

    report = (await client.get(f"{url}/progress", headers=line["head"])).json()
    assert (report["planned_hours"], report["actual_hours"]) == (160, 20)
    buckets = {b["bucket"]: b for b in report["buckets"]}
    # planned 112:32:16 hours = 70:20:10; actual 10:6:4 hours = 50:30:20
    assert {b: (v["planned_percent"], v["actual_percent"]) for b, v in buckets.items()} == {
        70: (70, 50),
        20: (20, 30),
        10: (10, 20),
    }
    assert {b: v["gap_points"] for b, v in buckets.items()} == {70: -20, 20: 10, 10: 10}
    first = report["activities"][0]
    assert (first["activity_id"], first["planned_hours"], first["actual_hours"]) == (doing, 28, 10)
    assert first["percent_done"] == 35.7
    assert [e["recorded_by"] for e in report["entries"]] == ["officer", "head", "officer"]


async def test_effort_is_refused_on_a_draft_for_others_and_for_unknown_activities(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    draft = await create(client, line)
    activity = draft["items"][0]["activities"][0]["id"]
    body = {"activity_id": activity, "hours": 2}
    problem_of(
        await client.post(
            f"{plans_url(line)}/{draft['id']}/effort", json=body, headers=line["officer"]
        ),
        409,
    )
    await client.post(f"{plans_url(line)}/{draft['id']}/submit", headers=line["officer"])
    for who in ("officer", "head"):
        await client.post(f"{plans_url(line)}/{draft['id']}/acknowledge", headers=line[who])
    url = f"{plans_url(line)}/{draft['id']}/effort"
    problem_of(await client.post(url, json=body, headers=line["director"]), 403)
    problem_of(await client.post(url, json=body, headers=line["admin"]), 403)
    problem_of(await client.post(url, json=body, headers=line["outsider"]), 404)
    wrong = problem_of(
        await client.post(
            url, json={"activity_id": "nope", "hours": 2, "on": "2026-01-01"}, headers=line["head"]
        ),
        422,
    )
    assert {(e["pointer"], e["rule"]) for e in wrong["errors"]} == {
        ("/activity_id", "P-PROGRESS-ACTIVITY"),
        ("/on", "P-PROGRESS-DATE"),
    }
    assert (await client.post(url, json=body, headers=line["head"])).status_code == 201


async def test_plan_hours_and_shares_are_answered_as_json_numbers(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    plan = await create(client, line)
    activities = plan["items"][0]["activities"]
    assert [(a["planned_hours"], a.get("lecture_share")) for a in activities] == [
        (28, None),
        (8, None),
        (4, 50),
    ]
    assert all(isinstance(a["planned_hours"], int) for a in activities)
    again = await client.get(f"{plans_url(line)}/{plan['id']}", headers=line["officer"])
    assert again.json()["items"] == plan["items"]

"""The plan's lifecycle and who may do what, over HTTP."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.api.plans.bodies import create, in_force, plans_url, post, valid_items
from tests.helpers import problem_of


async def test_both_acknowledgements_are_needed_before_the_plan_is_in_force(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    plan = await create(client, line)
    submitted = (await post(client, line, plan, "submit", "officer")).json()
    assert (submitted["state"], submitted["in_force"]) == ("submitted", False)

    mine = (await post(client, line, plan, "acknowledge", "officer")).json()
    assert (mine["state"], mine["in_force"]) == ("submitted", False)
    assert mine["owner_ack"]["by"] == "officer"
    assert mine["supervisor_ack"] is None
    problem_of(await post(client, line, plan, "acknowledge", "officer"), 409)  # signs once

    both = (await post(client, line, plan, "acknowledge", "head")).json()
    assert (both["state"], both["in_force"]) == ("acknowledged", True)
    assert both["supervisor_ack"]["by"] == "head"
    assert both["supervisor_ack"]["at"] >= both["owner_ack"]["at"]


async def test_a_third_person_cannot_acknowledge(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    plan = await create(client, line)
    await post(client, line, plan, "submit", "officer")
    # the second-level supervisor and the agency administrator see the person: forbidden
    problem_of(await post(client, line, plan, "acknowledge", "director"), 403)
    problem_of(await post(client, line, plan, "acknowledge", "admin"), 403)
    # someone in another agency does not even see the person
    problem_of(await post(client, line, plan, "acknowledge", "outsider"), 404)
    after = await client.get(f"{plans_url(line)}/{plan['id']}", headers=line["officer"])
    assert after.json()["owner_ack"] is None
    assert after.json()["supervisor_ack"] is None


async def test_who_may_read_a_plan(client: httpx.AsyncClient, make_workforce: Any) -> None:
    line = await make_workforce()
    plan = await create(client, line)
    url = f"{plans_url(line)}/{plan['id']}"
    relations = {}
    for who in ("officer", "head", "admin"):
        response = await client.get(url, headers=line[who])
        assert response.status_code == 200, (who, response.text)
        relations[who] = response.json()["relation"]
    assert relations == {"officer": "owner", "head": "supervisor", "admin": "agency_admin"}
    assert "submit" not in (await client.get(url, headers=line["admin"])).json()["allowed_actions"]
    problem_of(await client.get(url, headers=line["director"]), 404)
    problem_of(await client.get(url, headers=line["outsider"]), 404)
    problem_of(await client.get(plans_url(line), headers=line["outsider"]), 404)


async def test_only_the_person_or_first_line_supervisor_creates_and_only_once_a_year(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    body = {"fiscal_year": line["year"], "items": valid_items()}
    problem_of(await client.post(plans_url(line), json=body, headers=line["admin"]), 403)
    problem_of(await client.post(plans_url(line), json=body, headers=line["outsider"]), 404)
    made = await client.post(plans_url(line), json=body, headers=line["head"])
    assert made.status_code == 201, made.text
    assert made.json()["person_name"].startswith("สมศรี")
    assert made.json()["position"] == "นักวิชาการคอมพิวเตอร์"
    assert made.json()["unit"] == "สำนักงานพัฒนารัฐบาลดิจิทัล"
    again = problem_of(await client.post(plans_url(line), json=body, headers=line["officer"]), 409)
    assert again["plan_id"] == made.json()["id"]


async def test_a_person_without_an_approved_group_cannot_plan(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    url = f"/api/v1/people/{line['head_id']}/plans"
    body = {"fiscal_year": line["year"], "items": valid_items()}
    refused = problem_of(await client.post(url, json=body, headers=line["head"]), 409)
    assert refused["rule"] == "B3"


async def test_editing_a_draft_changes_it_in_place_with_if_match(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    plan = await create(client, line)
    url = f"{plans_url(line)}/{plan['id']}"
    items = plan["items"]
    items[0]["topic"] = "หัวข้อใหม่"
    stale = {"If-Match": '"0"', **line["officer"]}
    problem_of(await client.put(url, json={"items": items}, headers=stale), 412)
    fresh = {"If-Match": '"1"', **line["officer"]}
    response = await client.put(url, json={"items": items}, headers=fresh)
    assert response.status_code == 200, response.text
    assert response.headers["ETag"] == '"2"'
    body = response.json()
    assert (body["revision"], body["items"][0]["topic"]) == (1, "หัวข้อใหม่")
    assert body["baseline_assessment_id"] is None  # PUT replaces: no baseline given
    assert {f["rule"] for f in body["findings"]} == {"D2"}

    patched = await client.patch(
        url,
        json={"baseline_assessment_id": plan["baseline_assessment_id"]},
        headers={"Content-Type": "application/merge-patch+json", **line["head"]},
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["findings"] == []
    assert patched.json()["items"] == body["items"]  # ids kept


async def test_a_submitted_plan_is_withdrawn_or_returned_before_it_changes(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    plan = await create(client, line)
    url = f"{plans_url(line)}/{plan['id']}"
    await post(client, line, plan, "submit", "officer")
    problem_of(await client.put(url, json={"items": plan["items"]}, headers=line["officer"]), 409)
    problem_of(await post(client, line, plan, "return", "officer"), 403)
    assert (await post(client, line, plan, "return", "head")).json()["state"] == "draft"
    await post(client, line, plan, "submit", "officer")
    problem_of(await post(client, line, plan, "submit", "officer"), 409)
    problem_of(await post(client, line, plan, "withdraw", "head"), 403)
    assert (await post(client, line, plan, "withdraw", "officer")).json()["state"] == "draft"
    problem_of(await post(client, line, plan, "submit", "head"), 403)  # the person submits


async def test_changing_an_acknowledged_plan_makes_a_new_revision_and_keeps_the_old(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    agreed = await in_force(client, line)
    url = f"{plans_url(line)}/{agreed['id']}"
    items = agreed["items"]
    items[3]["topic"] = "การออกแบบบริการดิจิทัล"
    response = await client.put(url, json={"items": items}, headers=line["officer"])
    assert response.status_code == 200, response.text
    new = response.json()
    assert (new["revision"], new["revised_from"], new["state"]) == (2, 1, "draft")
    assert new["owner_ack"] is None
    assert [i["id"] for i in new["items"]] == [i["id"] for i in agreed["items"]]

    old = (await client.get(f"{url}?revision=1", headers=line["head"])).json()
    assert old["state"] == "acknowledged"
    assert old["items"][3]["topic"] == "การเปลี่ยนผ่านสู่ดิจิทัล"
    assert old["latest_revision"] == 2
    assert old["allowed_actions"] == []
    history = (await client.get(f"{url}/revisions", headers=line["officer"])).json()["items"]
    assert [(r["revision"], r["state"], r["current"]) for r in history] == [
        (1, "acknowledged", False),
        (2, "draft", True),
    ]


async def test_revise_the_plan_in_idp2_yields_a_new_revision_and_the_old_stays_readable(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    agreed = await in_force(client, line)
    url = f"{plans_url(line)}/{agreed['id']}"
    rows = [
        {
            "item_id": item["id"],
            "outcome": "as_planned" if item["priority"] > 1 else "not_as_planned",
            "next_step": "continue" if item["priority"] > 1 else "revise",
            "narrative": "ทำได้ตามแผน" if item["priority"] > 1 else "งานเร่งด่วนทำให้ไม่ได้ฝึก",
        }
        for item in agreed["items"]
    ]
    incomplete = await client.put(
        f"{url}/evaluation", json={"items": rows[1:]}, headers=line["head"]
    )
    assert {f["rule"] for f in incomplete.json()["evaluation_findings"]} == {"F2"}
    problem_of(await client.post(f"{url}/evaluation/acknowledge", headers=line["head"]), 422)
    written = await client.put(f"{url}/evaluation", json={"items": rows}, headers=line["head"])
    assert written.json()["evaluation_findings"] == []
    problem_of(await client.post(f"{url}/evaluation/acknowledge", headers=line["director"]), 403)
    first = await client.post(f"{url}/evaluation/acknowledge", headers=line["head"])
    assert (first.json()["state"], first.json()["revision"]) == ("acknowledged", 1)
    second = await client.post(f"{url}/evaluation/acknowledge", headers=line["officer"])
    assert second.status_code == 200, second.text
    revised = second.json()
    assert (revised["revision"], revised["revised_from"], revised["state"]) == (2, 1, "draft")
    assert revised["items"] == agreed["items"]  # prefilled, same ids
    assert revised["evaluation"] is None

    old = (await client.get(f"{url}?revision=1", headers=line["officer"])).json()
    assert old["state"] == "evaluated"
    assert old["items"] == agreed["items"]
    assert old["owner_ack"] == agreed["owner_ack"]
    assert old["supervisor_ack"] == agreed["supervisor_ack"]
    assert [r["next_step"] for r in old["evaluation"]["items"]] == [r["next_step"] for r in rows]
    assert old["evaluation"]["acknowledged"] is True


async def test_an_evaluation_that_continues_every_item_ends_evaluated(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    agreed = await in_force(client, line)
    url = f"{plans_url(line)}/{agreed['id']}"
    rows = [
        {"item_id": i["id"], "outcome": "as_planned", "next_step": "continue", "narrative": "ดี"}
        for i in agreed["items"]
    ]
    await client.put(f"{url}/evaluation", json={"items": rows}, headers=line["officer"])
    await client.post(f"{url}/evaluation/acknowledge", headers=line["officer"])
    done = (await client.post(f"{url}/evaluation/acknowledge", headers=line["head"])).json()
    assert (done["state"], done["revision"], done["in_force"]) == ("evaluated", 1, False)
    problem_of(await client.post(f"{url}/revise", headers=line["officer"]), 409)


async def test_old_revisions_are_refused_by_the_database(
    client: httpx.AsyncClient, make_workforce: Any, session: Any
) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    line = await make_workforce()
    agreed = await in_force(client, line)
    url = f"{plans_url(line)}/{agreed['id']}"
    assert (await client.post(f"{url}/revise", headers=line["head"])).json()["revision"] == 2
    with pytest.raises(DBAPIError, match="never changes"):
        async with session.begin_nested():
            await session.execute(
                text(
                    "UPDATE plan_revision SET state = 'draft' WHERE plan_id = :p AND revision = 1"
                ),
                {"p": agreed["id"]},
            )


async def test_every_write_is_audited(
    client: httpx.AsyncClient, make_workforce: Any, admin_headers: dict[str, str]
) -> None:
    line = await make_workforce()
    agreed = await in_force(client, line)
    url = f"{plans_url(line)}/{agreed['id']}"
    activity = agreed["items"][0]["activities"][0]["id"]
    await client.post(
        f"{url}/effort", json={"activity_id": activity, "hours": 1}, headers=line["head"]
    )
    events = (
        await client.get(
            f"/api/v1/audit-events?entity=development_plan&entity_id={agreed['id']}",
            headers=admin_headers,
        )
    ).json()["items"]
    trail = [(e["actor_id"], e["action"], e["details"]["state"]) for e in reversed(events)]
    assert trail == [
        ("officer", "create", "draft"),
        ("officer", "submit", "submitted"),
        ("officer", "acknowledge", "submitted"),
        ("head", "acknowledge", "acknowledged"),
        ("head", "record-effort", "in_progress"),
    ]

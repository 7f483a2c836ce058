"""Plan bodies for the workforce's officer (a technologist in a developing agency, FY2568):
codes of the present profile (developing) and of the future one (mature)."""

from __future__ import annotations

import copy
from typing import Any

import httpx

PRESENT = ("DLit400", "DG100", "K-F1")
FUTURE = "DTr200"


def activity(method: str, hours: float, lecture: float | None = None) -> dict[str, Any]:
    a: dict[str, Any] = {"method": method, "planned_hours": hours}
    if lecture is not None:
        a["lecture_share"] = lecture
    return a


def item(priority: int, code: str, topic: str, **overrides: Any) -> dict[str, Any]:
    """One item with 40 hours split 28:8:4 over doing, others and training."""
    body: dict[str, Any] = {
        "priority": priority,
        "framework_items": [code],
        "reason": "gap",
        "topic": topic,
        "activities": [
            activity("on_the_job_training", 28),
            activity("coaching", 8),
            activity("classroom_training", 4, lecture=50),
        ],
        "application": "งานบริการข้อมูลของกอง",
        "period": {"quarters": [1, 2]},
        "evaluation_methods": ["self", "supervisor"],
    }
    body.update(overrides)
    return body


def valid_items() -> list[dict[str, Any]]:
    """Three present items and one future one: 160 hours, 70:20:10, 75:25 present:future."""
    return [
        item(1, PRESENT[0], "การใช้เครื่องมือดิจิทัลในงาน"),
        item(2, PRESENT[1], "ธรรมาภิบาลข้อมูล"),
        item(3, PRESENT[2], "กฎหมายดิจิทัล", period={"start": "2025-01-01", "end": "2025-03-31"}),
        item(4, FUTURE, "การเปลี่ยนผ่านสู่ดิจิทัล", target="future", period={"quarters": [3, 4]}),
    ]


def two_topic_items() -> list[dict[str, Any]]:
    """Two items, 70:20:10 and 70:30 present:future: only the three-topics default refuses."""
    first = item(1, PRESENT[0], "การใช้เครื่องมือดิจิทัลในงาน")
    first["activities"] = [
        activity("on_the_job_training", 28),
        activity("coaching", 8),
        activity("classroom_training", 4, lecture=50),
    ]
    second = item(2, FUTURE, "การเปลี่ยนผ่านสู่ดิจิทัล", target="future")
    second["activities"] = [
        activity("project_assignment", 14),
        activity("mentoring_program", 4),
        activity("online_course", 2, lecture=50),
    ]
    third = copy.deepcopy(first)
    third.update(priority=3, topic="การใช้เครื่องมือดิจิทัลในงาน")  # the same topic again
    return [first, third, second]


async def baseline(client: httpx.AsyncClient, line: dict[str, Any]) -> str:
    """The officer's baseline self-assessment for the year (opened if need be): a plan builds
    on it (D2)."""
    response = await client.post(
        f"/api/v1/people/{line['officer_id']}/assessments",
        json={"fiscal_year": line["year"], "kind": "baseline"},
        headers=line["officer"],
    )
    assert response.status_code in (200, 201), response.text
    return str(response.json()["id"])


def plans_url(line: dict[str, Any]) -> str:
    return f"/api/v1/people/{line['officer_id']}/plans"


async def create(
    client: httpx.AsyncClient, line: dict[str, Any], items: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    response = await client.post(
        plans_url(line),
        json={
            "fiscal_year": line["year"],
            "baseline_assessment_id": await baseline(client, line),
            "items": valid_items() if items is None else items,
        },
        headers=line["officer"],
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def post(
    client: httpx.AsyncClient, line: dict[str, Any], plan: dict[str, Any], step: str, who: str
) -> httpx.Response:
    return await client.post(f"{plans_url(line)}/{plan['id']}/{step}", headers=line[who])


async def in_force(client: httpx.AsyncClient, line: dict[str, Any]) -> dict[str, Any]:
    """A valid plan, submitted and acknowledged by both."""
    plan = await create(client, line)
    assert (await post(client, line, plan, "submit", "officer")).status_code == 200
    assert (await post(client, line, plan, "acknowledge", "officer")).status_code == 200
    response = await post(client, line, plan, "acknowledge", "head")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["state"] == "acknowledged"
    return body


def rules(findings: list[dict[str, Any]], severity: str | None = None) -> set[str]:
    return {f["rule"] for f in findings if severity is None or f["severity"] == severity}

"""An agency of ten people in known states (docs/reporting.md), built for the report tests.

The tree: REP-MIN > REP-DEP > (REP-A: seven people, REP-B: three people), and REP-OTHER beside
REP-DEP. People come through the HRIS sync (with their employment categories), designations
through the API; assessment and plan states, and the stored results, are written as rows (the
states are what the reports count; tests/api/reports/test_stored_results.py proves that a real
finalisation writes such rows).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import FrameworkVersion
from app.domain.principal import Principal, PrincipalKind, Role
from app.services.platform import clients

YEAR = 2568
PREVIOUS = 2567
OPERATOR = Principal(kind=PrincipalKind.USER, subject="op", roles=frozenset({Role.CENTRAL_ADMIN}))

# name: unit, category, designated, baseline status, plan of YEAR (None, "agreed", "evaluated"),
# plan of PREVIOUS (None, "agreed", "as_planned", "not_as_planned")
PEOPLE: dict[str, tuple[str, str | None, bool, str | None, str | None, str | None]] = {
    "P1": ("REP-A", "ordinary_civil_servant", False, "final", "evaluated", "as_planned"),
    "P2": ("REP-A", "ordinary_civil_servant", False, "submitted", "agreed", None),
    "P3": ("REP-A", "teacher_education", False, "final", None, None),
    "P4": ("REP-A", "teacher_education", False, "draft", None, None),
    "P5": ("REP-A", "ordinary_civil_servant", False, None, None, None),
    "P6": ("REP-A", "permanent_employee", True, "final", "agreed", "not_as_planned"),
    "P7": ("REP-A", "permanent_employee", False, "final", "agreed", None),
    "P8": ("REP-B", "government_employee", True, None, None, "agreed"),
    "P9": ("REP-B", "ordinary_civil_servant", False, "final", "agreed", "as_planned"),
    "P10": ("REP-B", None, False, "submitted", None, None),
}
# Stored results (present target): groups, then (requirement, domain, met).
RESULTS: dict[str, tuple[list[str], list[tuple[str, str, bool]]]] = {
    "P1": (
        ["technologist"],
        [("DS101", "DS", True), ("DS102", "DS", False), ("DL101", "DL", True)],
    ),
    "P3": (
        ["technologist"],
        [("DS101", "DS", False), ("DS102", "DS", False), ("DL101", "DL", True)],
    ),
    "P9": (
        ["technologist", "executive"],
        [("DS101", "DS", True), ("DS102", "DS", True), ("DL101", "DL", False)],
    ),
}
# Actual effort on plans of YEAR: person -> [(method, hours)].
EFFORT = {
    "P1": [("on_the_job_training", "14"), ("feedback", "4")],
    "P9": [("classroom_training", "2")],
}


async def _ok(response: httpx.Response) -> Any:
    assert response.status_code in (200, 201), response.text
    return response.json()


async def build(
    client: httpx.AsyncClient,
    session: AsyncSession,
    auth: Callable[..., dict[str, str]],
    admin_headers: dict[str, str],
) -> dict[str, Any]:
    tree = [
        {"code": "REP-MIN", "name_th": "กระทรวงทดสอบ", "kind": "ministry"},
        {"code": "REP-DEP", "name_th": "กรมทดสอบ", "kind": "department", "parent": "REP-MIN"},
        {"code": "REP-A", "name_th": "กองเอ", "kind": "division", "parent": "REP-DEP"},
        {"code": "REP-B", "name_th": "กองบี", "kind": "division", "parent": "REP-DEP"},
        {"code": "REP-OTHER", "name_th": "กรมอื่น", "kind": "department", "parent": "REP-MIN"},
    ]
    await _ok(await client.post("/api/v1/agencies/bulk", json=tree, headers=admin_headers))
    issued = await clients.create_client(
        session, OPERATOR, name="HRIS", agency="REP-MIN", scopes=["people:write"]
    )
    await session.flush()
    records = []
    for name, (unit, category, *_rest) in PEOPLE.items():
        r: dict[str, Any] = {
            "external_id": name,
            "first_name_th": "คน",
            "last_name_th": f"ทดสอบ{name}",
            "agency": unit,
            "subject": f"rep-{name.lower()}",
        }
        if category:
            r["employment_category"] = category
        records.append(r)
    records.append(
        {"external_id": "X1", "first_name_th": "คน", "last_name_th": "อื่น", "agency": "REP-OTHER"}
    )
    body = await _ok(
        await client.post(
            "/api/v1/people/bulk", json=records, headers={"X-API-Key": issued.api_key}
        )
    )
    ids = {r["external_id"]: uuid.UUID(r["id"]) for r in body["results"]}
    headers = {
        "dep_admin": auth("rep-dep-admin", "agency_admin", agency="REP-DEP"),
        "other_admin": auth("rep-other-admin", "agency_admin", agency="REP-OTHER"),
        "dep_employee": auth("rep-p5", "employee", agency="REP-DEP"),
        "central": admin_headers,
    }
    for name, (_, _, designated, *_r) in PEOPLE.items():
        if designated:
            await _ok(
                await client.put(
                    f"/api/v1/people/{ids[name]}/digital-target/{YEAR}",
                    json={"designated": True},
                    headers=headers["dep_admin"],
                )
            )
    version = await session.scalar(select(FrameworkVersion.id).limit(1))
    assert version is not None
    now = datetime.now(UTC)
    for name, (_, _, _, status, plan, previous) in PEOPLE.items():
        pid = ids[name]
        agency_id = await session.scalar(
            text("SELECT agency_id FROM person WHERE id = :p"), {"p": pid}
        )
        if status is not None:
            aid = uuid.uuid4()
            await session.execute(
                text(
                    "INSERT INTO assessment (person_id, id, fiscal_year, kind, status, agency_id,"
                    " framework_version_id, targets, required_items, opened_by, row_version)"
                    " VALUES (:p, :a, :y, 'baseline', :s, :ag, :v, '{}'::jsonb, '[]'::jsonb,"
                    " 'test', 1)"
                ),
                {"p": pid, "a": aid, "y": YEAR, "s": status, "ag": agency_id, "v": version},
            )
            if name in RESULTS:
                groups, rows = RESULTS[name]
                await session.execute(
                    text(
                        "INSERT INTO assessment_result (person_id, assessment_id, agency_id,"
                        " fiscal_year, kind, stage, groups, present_met, present_required,"
                        " finalized_at) VALUES (:p, :a, :ag, :y, 'baseline', 'developing', :g,"
                        " :m, :r, now())"
                    ),
                    {
                        "p": pid,
                        "a": aid,
                        "ag": agency_id,
                        "y": YEAR,
                        "g": groups,
                        "m": sum(1 for *_x, met in rows if met),
                        "r": len(rows),
                    },
                )
                for code, domain, met in rows:
                    await session.execute(
                        text(
                            "INSERT INTO assessment_result_requirement (person_id, assessment_id,"
                            " code, agency_id, fiscal_year, kind, component, domain_code,"
                            " present, future, met) VALUES (:p, :a, :c, :ag, :y, 'baseline',"
                            " 'capability', :d, true, false, :met)"
                        ),
                        {
                            "p": pid,
                            "a": aid,
                            "c": code,
                            "ag": agency_id,
                            "y": YEAR,
                            "d": domain,
                            "met": met,
                        },
                    )
        for year, state in ((YEAR, plan), (PREVIOUS, previous)):
            if state is None:
                continue
            plan_id = uuid.uuid4()
            evaluation = None
            if state in ("evaluated", "as_planned", "not_as_planned"):
                outcome = "not_as_planned" if state == "not_as_planned" else "as_planned"
                evaluation = {
                    "items": [
                        {"item_id": "i1", "outcome": "as_planned"},
                        {"item_id": "i2", "outcome": outcome},
                    ],
                    "acknowledged": True,
                }
            document = {
                "items": [
                    {
                        "id": "i1",
                        "activities": [
                            {"id": f"a{n}", "method": m}
                            for n, (m, _) in enumerate(EFFORT.get(name, []) if year == YEAR else [])
                        ],
                    }
                ]
            }
            await session.execute(
                text(
                    "INSERT INTO development_plan (person_id, id, fiscal_year, current_revision,"
                    " lock_version, created_by) VALUES (:p, :id, :y, 1, 1, 'test')"
                ),
                {"p": pid, "id": plan_id, "y": year},
            )
            await session.execute(
                text(
                    "INSERT INTO plan_revision (person_id, plan_id, revision, state, document,"
                    " owner_ack_by, owner_ack_at, supervisor_ack_by, supervisor_ack_at,"
                    " evaluation, created_by, created_at, updated_by, updated_at) VALUES (:p,"
                    " :id, 1, :st, CAST(:doc AS jsonb), 'o', :now, 's', :now,"
                    " CAST(:ev AS jsonb), 't', :now, 't', :now)"
                ),
                {
                    "p": pid,
                    "id": plan_id,
                    "st": "evaluated" if evaluation else "acknowledged",
                    "doc": __import__("json").dumps(document),
                    "ev": None if evaluation is None else __import__("json").dumps(evaluation),
                    "now": now,
                },
            )
            if year == YEAR:
                for n, (_, hours) in enumerate(EFFORT.get(name, [])):
                    await session.execute(
                        text(
                            "INSERT INTO plan_effort (person_id, plan_id, activity_id, id,"
                            " revision, hours, source, recorded_by) VALUES (:p, :id, :a,"
                            " gen_random_uuid(), 1, CAST(:h AS numeric), 'manual', 't')"
                        ),
                        {"p": pid, "id": plan_id, "a": f"a{n}", "h": hours},
                    )
    await session.flush()
    return {"ids": ids, "headers": headers}

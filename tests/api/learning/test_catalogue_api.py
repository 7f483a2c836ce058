"""The course catalogue through REST: the seed's curricula as courses, providers' bulk upsert
(JSON, NDJSON, per-record outcomes, Idempotency-Key, dry run), agency writes within scope, Thai
search and filters, history, and the activity-id look-up other features use."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.db.models import Course
from app.db.repositories.learning import catalogue as repo
from tests.conftest import SEED_DIR, operator_principal
from tests.helpers import problem_of
from tests.seed.sources import seed_json

Headers = dict[str, str]


def curriculum_rows() -> list[tuple[str, dict[str, Any]]]:
    data = seed_json("catalogue/curricula.json")
    return [(c["key"], r) for c in data["curricula"] for r in c["rows"]]


async def test_every_curriculum_row_is_a_course_with_its_line_groups_and_methods(
    seed_catalogue: dict[str, Any],
    session: AsyncSession,
    client: httpx.AsyncClient,
    admin_headers: Headers,
) -> None:
    rows = curriculum_rows()
    assert len(rows) == 114
    created = sum(c["created"] for c in seed_catalogue["courses"].values())
    assert created == len(rows)
    stored = await session.scalar(select(func.count()).select_from(Course))
    assert stored == len(rows)
    for key, row in rows:
        provider = row["provider"] or "bma"
        code = (
            f"{key}.F{row['number']}"
            if row["section"] == "foundational"
            else f"{key}.{row['number']}"
        )
        r = await client.get(
            f"/api/v1/course-providers/{provider}/courses/{code}", headers=admin_headers
        )
        assert r.status_code == 200, (code, r.text)
        course = r.json()
        assert course["source"] == row["source"]
        assert course["methods"] == row["methods"]
        assert course["items"] == row["units"] + row["knowledge"]
        curriculum = next(
            c for c in seed_json("catalogue/curricula.json")["curricula"] if c["key"] == key
        )
        assert course["groups"] == curriculum["groups"]


async def test_loading_the_seed_catalogue_twice_changes_nothing(
    seed_catalogue: dict[str, Any], session_factory: async_sessionmaker[AsyncSession]
) -> None:
    from app.services.learning.catalogue_seed import load_catalogue

    async with session_factory() as s, s.begin():
        again = await load_catalogue(s, SEED_DIR, operator_principal())
    for counts in again["courses"].values():
        assert counts["created"] == counts["updated"] == counts["rejected"] == 0


async def _provider(
    client: httpx.AsyncClient, headers: Headers, code: str = "lms", **body: Any
) -> httpx.Response:
    payload = {"name_th": "สถาบันพัฒนาข้าราชการ", "kind": "national", **body}
    return await client.put(f"/api/v1/course-providers/{code}", json=payload, headers=headers)


def course(code: str, **extra: Any) -> dict[str, Any]:
    return {
        "code": code,
        "title_th": "การวิเคราะห์ข้อมูลเบื้องต้น",
        "scope_th": "การใช้ตารางคำนวณ การสร้างแผนภูมิ",
        "hours": 6,
        "delivery_mode": "online",
        "activity_ids": [f"https://lms.example.go.th/course/{code}"],
        "items": ["DLit400"],
        "groups": ["technologist"],
        "methods": ["online_course", "e_learning_implementation"],
        **extra,
    }


async def test_bulk_upsert_reports_each_record_and_a_retry_with_the_key_is_replayed(
    seeded: Any, client: httpx.AsyncClient, admin_headers: Headers
) -> None:
    assert (await _provider(client, admin_headers)).status_code == 201
    url = "/api/v1/course-providers/lms/courses/bulk"
    batch = [course("A1"), course("A2", items=["NOPE999"]), course("A3", methods=["telepathy"])]
    dry = await client.post(url, json=batch, headers=admin_headers, params={"dry_run": "true"})
    assert dry.status_code == 200, dry.text
    headers = {**admin_headers, "Idempotency-Key": "k-1"}
    first = await client.post(url, json=batch, headers=headers)
    body = first.json()
    assert [r["outcome"] for r in body["results"]] == ["created", "rejected", "rejected"]
    # the dry run predicted the write, record by record
    assert [r["outcome"] for r in dry.json()["results"]] == ["created", "rejected", "rejected"]
    assert body["results"][1]["errors"][0]["pointer"] == "/1/items/0"
    assert body["results"][2]["errors"][0]["pointer"] == "/2/methods/0"
    replay = await client.post(url, json=batch, headers=headers)
    assert replay.headers.get("Idempotent-Replayed") == "true"
    assert replay.json() == body
    # NDJSON, the same course again: unchanged; a change: updated with a new revision
    ndjson = "\n".join(json.dumps(c) for c in [course("A1"), course("A4", hours=12)])
    r = await client.post(
        url,
        content=ndjson.encode(),
        headers={**admin_headers, "Content-Type": "application/x-ndjson"},
    )
    assert [x["outcome"] for x in r.json()["results"]] == ["unchanged", "created"]
    changed = await client.post(url, json=[course("A1", hours=9)], headers=admin_headers)
    assert changed.json()["results"][0]["outcome"] == "updated"
    history = await client.get(
        "/api/v1/course-providers/lms/courses/A1/history", headers=admin_headers
    )
    revisions = history.json()["items"]
    assert [h["revision"] for h in revisions] == [2, 1]
    assert [h["document"]["hours"] for h in revisions] == [9, 6]


async def test_an_activity_id_resolves_to_its_course_and_identifies_only_one(
    seeded: Any, client: httpx.AsyncClient, admin_headers: Headers, session: AsyncSession
) -> None:
    await _provider(client, admin_headers)
    url = "/api/v1/course-providers/lms/courses/bulk"
    await client.post(url, json=[course("A1")], headers=admin_headers)
    found = await repo.course_for_activity(session, "https://lms.example.go.th/course/A1")
    assert found is not None
    assert (found.provider_code, found.course_code) == ("lms", "A1")
    assert found.methods == ("online_course", "e_learning_implementation")
    assert found.items == ("DLit400",)
    assert float(found.hours or 0) == 6
    assert await repo.course_for_activity(session, "https://lms.example.go.th/none") is None
    clash = course("B1", activity_ids=["https://lms.example.go.th/course/A1"])
    r = await client.post(url, json=[clash], headers=admin_headers)
    assert r.json()["results"][0]["errors"][0]["rule"] == "activity-taken"


async def test_thai_search_finds_titles_and_scope_without_word_breaks_and_filters_narrow(
    seeded: Any, client: httpx.AsyncClient, admin_headers: Headers
) -> None:
    await _provider(client, admin_headers)
    url = "/api/v1/course-providers/lms/courses/bulk"
    other = course(
        "Z9",
        title_th="ความมั่นคงปลอดภัยไซเบอร์",
        scope_th="การป้องกันภัยคุกคาม",
        items=["DLit200"],
        groups=["service"],
        methods=["coaching"],
        activity_ids=[],
    )
    await client.post(url, json=[course("A1"), other], headers=admin_headers)

    async def codes(**params: str) -> list[str]:
        r = await client.get("/api/v1/courses", params=params, headers=admin_headers)
        assert r.status_code == 200, r.text
        return [c["code"] for c in r.json()["items"]]

    assert await codes(q="วิเคราะห์ ข้อมูล") == ["A1"]  # a space the title does not have
    assert await codes(q="แผนภูมิ") == ["A1"]  # in the scope
    assert await codes(q="ภัยคุกคาม") == ["Z9"]
    assert await codes(unit="DLit200") == ["Z9"]
    assert await codes(group="technologist", provider="lms") == ["A1"]
    assert await codes(method="coaching") == ["Z9"]
    first = await client.get("/api/v1/courses", params={"limit": 1}, headers=admin_headers)
    cursor = first.json()["next_cursor"]
    second = await client.get(
        "/api/v1/courses", params={"limit": 1, "cursor": cursor}, headers=admin_headers
    )
    assert first.json()["items"][0]["code"] == "A1"
    assert second.json()["items"][0]["code"] == "Z9"


async def test_an_agency_keeps_its_own_courses_within_its_scope(
    make_workforce: Any,
    client: httpx.AsyncClient,
    admin_headers: Headers,
    auth: Callable[..., Headers],
) -> None:
    line = await make_workforce()
    admin = line["admin"]  # agency_admin of DGA
    r = await _provider(client, admin, code="dga-academy", kind="agency", agency="DGA")
    assert r.status_code == 201, r.text
    put = await client.put(
        "/api/v1/course-providers/dga-academy/courses/DG-1", json=course("DG-1"), headers=admin
    )
    assert put.status_code == 201, put.text
    assert put.headers["Location"].endswith("/course-providers/dga-academy/courses/DG-1")
    again = await client.put(
        "/api/v1/course-providers/dga-academy/courses/DG-1",
        json=course("DG-1", hours=7),
        headers=admin,
    )
    assert again.status_code == 200
    assert again.json()["revision"] == 2
    # another agency's administrator neither sees nor writes it
    other = auth("out-admin", "agency_admin", agency="DGA-OUT")
    r = await client.put(
        "/api/v1/course-providers/dga-academy/courses/DG-2", json=course("DG-2"), headers=other
    )
    problem_of(r, 404)
    r = await client.get("/api/v1/course-providers/dga-academy/courses/DG-1", headers=other)
    problem_of(r, 404)
    # the agency's own people see it; an agency administrator may not write a national catalogue
    seen = await client.get(
        "/api/v1/courses", params={"provider": "dga-academy"}, headers=line["officer"]
    )
    assert [c["code"] for c in seen.json()["items"]] == ["DG-1"]
    await _provider(client, admin_headers)
    r = await client.put("/api/v1/course-providers/lms/courses/X", json=course("X"), headers=admin)
    problem_of(r, 403)


async def test_clients_read_with_courses_read_and_write_with_courses_write(
    seeded: Any, client: httpx.AsyncClient, admin_headers: Headers, api_key: Any
) -> None:
    await _provider(client, admin_headers)
    reader = await api_key(None, "courses:read")
    writer = await api_key(None, "courses:write")
    other = await api_key(None, "people:read")
    assert (await client.get("/api/v1/courses", headers=reader)).status_code == 200
    problem_of(await client.get("/api/v1/courses", headers=other), 403)
    url = "/api/v1/course-providers/lms/courses/bulk"
    problem_of(await client.post(url, json=[course("A1")], headers=reader), 403)
    r = await client.post(url, json=[course("A1")], headers=writer)
    assert r.json()["counts"]["created"] == 1

"""Fault scenarios: a client writes through a fault of PostgreSQL and retries; the suite then
counts what the database holds against what the client sent.

Each scenario runs the client's writes in one task and the fault in another: the fault waits
until the writes are under way, strikes while a write is in flight, keeps PostgreSQL down for
``down`` seconds (watching ``/readyz``) and starts it again. The server is never restarted.
"""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from bench.load import statements as lms
from tests.faults.harness import Postgres, Seen, admin_headers, send_until_done, watch_readyz

Fault = Callable[[Postgres], None]
AGENCY = "FLT"


def kill(pg: Postgres) -> None:
    pg.kill()


def stop(pg: Postgres) -> None:
    pg.stop()


@dataclass
class Outcome:
    seen: Seen
    sent: int
    stored: int
    distinct: int
    answered: dict[str, int]
    # what else was counted in the database against what was sent: name -> (sent, stored,
    # distinct), e.g. the learning records of the completions in a statement batch
    also: dict[str, tuple[int, int, int]] = field(default_factory=dict)


async def _through_fault(
    pg: Postgres,
    fault: Fault,
    client: httpx.AsyncClient,
    writes: Callable[[Callable[[], None]], Awaitable[None]],
    *,
    strike_after: int,
    down: float,
) -> Seen:
    """Run ``writes`` (which calls ``progress()`` after each write it completes) and strike
    ``fault`` while write number ``strike_after + 1`` is in flight."""
    seen = Seen()
    done_writes = 0
    reached = asyncio.Event()

    def progress() -> None:
        nonlocal done_writes
        done_writes += 1
        if done_writes >= strike_after:
            reached.set()

    async def strike() -> None:
        await reached.wait()
        await asyncio.sleep(0.03)  # the next write is on its way
        await asyncio.to_thread(fault, pg)
        stop_watching = asyncio.Event()
        watcher = asyncio.create_task(watch_readyz(client, seen, stop_watching))
        await asyncio.sleep(down)
        stop_watching.set()
        await watcher
        await asyncio.to_thread(pg.start)

    striking = asyncio.create_task(strike())
    await writes(progress)
    await striking
    return seen


async def people_sync(
    base: str,
    pg: Postgres,
    fault: Fault,
    *,
    batches: int = 8,
    per_batch: int = 400,
    strike_after: int = 2,
    down: float = 2.0,
) -> Outcome:
    """An HRIS sends ``batches`` batches of new people to ``POST /api/v1/people/bulk``, each
    with its own Idempotency-Key, one after another; PostgreSQL fails during batch
    ``strike_after + 1``."""
    admin = admin_headers()
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        tree = [{"code": AGENCY, "name_th": "กรมทดสอบความทนทาน", "kind": "department"}]
        r = await client.post("/api/v1/agencies/bulk", json=tree, headers=admin)
        assert r.status_code == 200, r.text
        r = await client.post(
            "/api/v1/clients",
            json={"name": "HRIS under faults", "scopes": ["people:write"]},
            headers=admin,
        )
        assert r.status_code == 201, r.text
        hris = {"X-API-Key": r.json()["api_key"]}
        bodies = [
            json.dumps(
                [
                    {
                        "external_id": f"F{b:03d}-{n:05d}",
                        "first_name_th": "ทดสอบ",
                        "last_name_th": f"คนที่ {b}-{n}",
                        "agency": AGENCY,
                    }
                    for n in range(per_batch)
                ],
                ensure_ascii=False,
            ).encode()
            for b in range(batches)
        ]
        answered: dict[str, int] = {}
        seen_box: list[Seen] = []

        async def writes(progress: Callable[[], None]) -> None:
            for body in bodies:
                response = await send_until_done(
                    client,
                    "POST",
                    f"/api/v1/people/bulk?source={AGENCY}",
                    headers=hris,
                    content=body,
                    seen=seen_box[0],
                )
                assert response.status_code == 200, response.text
                for outcome, n in response.json()["counts"].items():
                    answered[outcome] = answered.get(outcome, 0) + n
                progress()

        seen = Seen()
        seen_box.append(seen)
        fault_seen = await _through_fault(
            pg, fault, client, writes, strike_after=strike_after, down=down
        )
        seen.readyz_down = fault_seen.readyz_down
        ready = await _ready_again(client)
        assert ready, "the service did not become ready again by itself"
    counts = pg.sql(
        "SELECT count(*), count(DISTINCT external_id) FROM person WHERE external_id LIKE 'F%'"
    ).split("|")
    return Outcome(seen, batches * per_batch, int(counts[0]), int(counts[1]), answered)


async def _ready_again(client: httpx.AsyncClient, seconds: float = 30) -> bool:
    for _ in range(int(seconds * 10)):
        try:
            if (await client.get("/readyz")).status_code == 200:
                return True
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.1)
    return False


def assert_exactly_once(outcome: Outcome, answered_as: str = "created") -> None:
    """0 lost, 0 duplicated, and the clean answers while PostgreSQL was down."""
    seen = outcome.seen
    assert outcome.stored == outcome.sent, f"lost or duplicated: {outcome}"
    assert outcome.distinct == outcome.sent, f"duplicated: {outcome}"
    for name, (sent, stored, distinct) in outcome.also.items():
        assert sent == stored == distinct, f"{name}: lost or duplicated: {outcome}"
    # every record the client sent was answered as written once (created) or, on a retry whose
    # first try had committed before the answer was lost, replayed from the stored answer (an
    # xAPI batch: answered with its ids, stored once whichever try wrote it)
    assert outcome.answered.get(answered_as, 0) == outcome.sent, outcome.answered
    assert seen.unavailable, f"no 503 while PostgreSQL was down: {seen}"
    for answer in seen.unavailable:
        assert answer["content_type"] == "application/problem+json", answer
        body: dict[str, Any] = answer["body"]
        assert (body["status"], body["code"]) == (503, "unavailable"), body
    assert all(value.isdigit() and int(value) > 0 for value in seen.retry_after), seen
    assert 503 in seen.readyz_down, f"/readyz never said not ready: {seen.readyz_down}"
    assert 500 not in seen.statuses, seen.statuses


async def plan_creation(
    base: str, pg: Postgres, fault: Fault, *, strike_after: int = 3, down: float = 2.0
) -> Outcome:
    """Every demo employee's development plan created with ``POST .../plans`` and an
    Idempotency-Key, one after another; PostgreSQL fails during plan ``strike_after + 1``.
    (The server runs with demo people: ``serving(..., THAKSA_DEMO_PEOPLE=...)``.)"""
    from app.domain.fiscal import FiscalYear, bangkok_today
    from app.services.platform.tokens import TokenService
    from tests.conftest import make_settings
    from tests.faults.harness import SECRET

    year = FiscalYear.containing(bangkok_today()).be
    assigned = pg.sql(
        "SELECT DISTINCT g.fiscal_year || ',' || p.id || ',' || p.subject FROM person p "
        "JOIN staff_group_assignment g ON g.person_id = p.id WHERE p.subject IS NOT NULL"
    ).splitlines()
    rows = sorted(r.split(",", 1)[1] for r in assigned if r.startswith(f"{year},"))
    tokens = TokenService(make_settings(jwt_secret=SECRET))
    people = []
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        for row in rows:
            person_id, subject = row.split(",", 1)
            headers = {"Authorization": f"Bearer {tokens.mint(subject, ['employee'])}"}
            opened = await client.post(
                f"/api/v1/people/{person_id}/assessments",
                json={"fiscal_year": year, "kind": "baseline"},
                headers=headers,
            )
            if opened.status_code not in (200, 201):
                continue  # (no stage declared for that agency)
            url = f"/api/v1/people/{person_id}/assessments/{opened.json()['id']}/form"
            form = (await client.get(url, headers=headers)).json()
            codes = [i["code"] for s in form["sections"] for i in s["items"]][:2] or ["DLit100"]
            items = [
                {
                    "priority": n + 1,
                    "framework_items": [code],
                    "reason": "gap",
                    "topic": f"หัวข้อ {n + 1}",
                    "activities": [{"method": "on_the_job_training", "planned_hours": 20}],
                    "application": "งานของกอง",
                    "period": {"quarters": [1, 2]},
                    "evaluation_methods": ["self"],
                }
                for n, code in enumerate(codes)
            ]
            body = {"fiscal_year": year, "baseline_assessment_id": opened.json()["id"]}
            people.append((person_id, headers, json.dumps({**body, "items": items}).encode()))
        assert len(people) >= strike_after + 3, f"too few demo employees: {len(people)}"
        answered: dict[str, int] = {}
        seen = Seen()

        async def writes(progress: Callable[[], None]) -> None:
            for person_id, headers, body in people:
                response = await send_until_done(
                    client,
                    "POST",
                    f"/api/v1/people/{person_id}/plans",
                    headers=headers,
                    content=body,
                    seen=seen,
                )
                assert response.status_code == 201, response.text
                answered["created"] = answered.get("created", 0) + 1
                progress()

        fault_seen = await _through_fault(
            pg, fault, client, writes, strike_after=strike_after, down=down
        )
        seen.readyz_down = fault_seen.readyz_down
        assert await _ready_again(client), "the service did not become ready again by itself"
    stored = [
        r.split("|")[1]
        for r in pg.sql("SELECT fiscal_year, person_id FROM development_plan").splitlines()
        if r.split("|")[0] == str(year)
    ]
    return Outcome(seen, len(people), len(stored), len(set(stored)), answered)


async def statement_batches(
    base: str,
    pg: Postgres,
    fault: Fault,
    *,
    batches: int = 10,
    per_batch: int = 500,
    strike_after: int = 2,
    down: float = 2.0,
) -> Outcome:
    """An e-learning provider's LMS sends ``batches`` batches of xAPI statements to ``POST
    /xapi/statements`` (HTTP Basic, a national key), one after another, each statement with its
    own id and no ``Idempotency-Key`` (a retry is the same batch, the same ids); PostgreSQL fails
    during batch ``strike_after + 1``. The actors are the people's e-mail addresses (made-up
    ones, kept unlinked, when nobody has one), about one in ten statements a completion of a
    catalogue course (when the catalogue is loaded); completions about a person are also
    counted as learning records, each once."""
    admin = admin_headers()
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        r = await client.post(
            "/api/v1/clients",
            json={"name": "LMS under faults", "scopes": lms.SCOPES},
            headers=admin,
        )
        assert r.status_code == 201, r.text
        headers = lms.basic(r.json()["api_key"])
        courses = await lms.register_activity_ids(client, admin, 10)
        people = pg.sql("SELECT lower(email) FROM person WHERE active AND email IS NOT NULL")
        known = set(people.splitlines())
        actors = sorted(known) or [f"learner{n}@flt.go.th" for n in range(50)]
        rng = random.Random(2568)
        sent = [lms.batch(actors, courses, per_batch, rng) for _ in range(batches)]
        bodies = [json.dumps(b, ensure_ascii=False).encode() for b in sent]
        answered: dict[str, int] = {}
        seen = Seen()

        async def writes(progress: Callable[[], None]) -> None:
            for batch, body in zip(sent, bodies, strict=True):
                response = await send_until_done(
                    client,
                    "POST",
                    "/xapi/statements",
                    headers=headers,
                    content=body,
                    seen=seen,
                    idempotency_key=False,
                )
                assert response.status_code == 200, response.text
                assert response.json() == [s["id"] for s in batch], response.text
                answered["stored"] = answered.get("stored", 0) + len(batch)
                progress()

        fault_seen = await _through_fault(
            pg, fault, client, writes, strike_after=strike_after, down=down
        )
        seen.readyz_down = fault_seen.readyz_down
        assert await _ready_again(client), "the service did not become ready again by itself"
    # (the scenario's server holds no other statements: every row is counted)
    ids = {s["id"] for b in sent for s in b}
    rows = pg.sql("SELECT id FROM xapi_statement").splitlines()
    completions = {
        s["id"]
        for b in sent
        for s in b
        if s["verb"]["id"] in lms.RECORDED and s["actor"]["mbox"].removeprefix("mailto:") in known
    }
    records = pg.sql("SELECT statement_id FROM learning_record").splitlines()
    also = {"learning records": (len(completions), len(records), len(set(records) & completions))}
    stored, distinct = len(rows), len(set(rows) & ids)
    return Outcome(seen, len(ids), stored, distinct, answered, also)


def assert_xapi_answers(outcome: Outcome) -> None:
    """Every 503 of the LRS speaks xAPI: the version header on it too."""
    versions = {answer["xapi_version"] for answer in outcome.seen.unavailable}
    assert versions == {"1.0.3"}, versions

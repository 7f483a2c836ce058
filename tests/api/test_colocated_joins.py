"""No request path joins two people's rows: every statement the service runs while it answers
requests keeps its person-owned rows on one Citus shard (docs/scaling.md, "Which queries stay on
one node").

The world of the cross-agency matrix is built through the API, then every REST operation of the
OpenAPI is called by each of agency B's own callers (so that the operations get past their checks
and run their queries) and the main GraphQL queries are asked. Every SQL statement sent to
PostgreSQL meanwhile, through SQLAlchemy or straight through asyncpg, is recorded with the
operation it served and read with PostgreSQL's parser (``tests/unit/distribution_sql.py``): two
distributed table occurrences in one statement must be linked by an equality of their
distribution columns, or joined only through a column that ``app/db/distribution.py`` declares a
link to another person's row (a supervisor), with the reason; a declared link no statement uses
any more fails the test too. The reports, delta feeds and queues that docs/scaling.md runs on
every shard need no exception: each of their rows joins one person's rows only.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import graphql
import httpx
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from app.db.distribution import TABLES
from tests.api.assessments.flow import all_has, form_of, open_, rate, rated_items, url
from tests.api.test_cross_agency_matrix import (
    ATTEMPTS,
    Attempt,
    World,
    build_world,
    fill_path,
    operations,
)
from tests.unit.distribution_sql import crossings

# The columns that name another person's (or statement's) row, declared in
# app/db/distribution.py with the reason: a join through one leaves the shard on purpose.
LINKS = {
    f"{table}.{column}": why
    for table, placement in TABLES.items()
    for column, (_, why) in placement.links.items()
}

# Operations that change what later ones would find: called after all the others.
LAST = ("erase", "deactivate", "revoke", "DELETE ")

GRAPHQL: dict[str, str] = {
    "me": "{ me { subject kind roles } }",
    "myPerson": "{ myPerson { id firstNameTh agencyCode supervisor { id } agency { code } } }",
    "myDashboard": """{ myDashboard { personId fiscalYear stage groups presentProfiles
        latestAssessment { id } assessmentInProgress { id } readiness { target }
        topGaps { itemsNotMet } learning { completions } } }""",
    "assessmentsAwaitingMe": "{ assessmentsAwaitingMe { assessment { id } personNameTh } }",
    "groupAssignmentsAwaitingMe": "{ groupAssignmentsAwaitingMe { id state } }",
    "myReports": "{ direct: myReports(direct: true) { id } line: myReports { id } }",
    "myPlan": "{ myPlan { plan { id state } } }",
    "myPlans": "{ myPlans { id state } }",
    "planQueue": "{ planQueue { planId personName state } }",
    "myLearningRecords": "{ myLearningRecords { items { statementId verb course } } }",
    "recommendedCourses": "{ recommendedCourses { course { code } why { gap item } } }",
}


class Recorder:
    """Every statement sent to PostgreSQL, with the operations it was sent for."""

    def __init__(self, routes: list[tuple[str, re.Pattern[str]]]) -> None:
        self.routes = routes
        self.current = "(test setup)"
        self.seen: dict[str, set[str]] = defaultdict(set)
        self.channels: dict[str, int] = defaultdict(int)

    def record(self, sql: str, channel: str) -> None:
        self.seen[sql].add(self.current)
        self.channels[channel] += 1

    def label(self, request: httpx.Request) -> str:
        if request.url.path == "/graphql":
            document = json.loads(request.content or b"{}").get("query", "")
            fields = _top_fields(document)
            return "graphql " + ", ".join(fields) if fields else "graphql"
        for name, pattern in self.routes:
            if request.method == name.split(" ", 1)[0] and pattern.fullmatch(request.url.path):
                return name
        return f"{request.method} {request.url.path}"

    async def on_request(self, request: httpx.Request) -> None:
        self.current = self.label(request)

    async def on_response(self, response: httpx.Response) -> None:
        for _ in range(3):  # asyncpg hands its logged queries over on the next loop turns
            await asyncio.sleep(0)
        self.current = "(test setup)"


def _top_fields(document: str) -> list[str]:
    try:
        parsed = graphql.parse(document)
    except graphql.GraphQLError:
        return []
    fields: list[str] = []
    for definition in parsed.definitions:
        if isinstance(definition, graphql.OperationDefinitionNode):
            fields += [
                f"{definition.operation.value} {s.name.value}"
                for s in definition.selection_set.selections
                if isinstance(s, graphql.FieldNode)
            ]
    return fields


def _routes() -> list[tuple[str, re.Pattern[str]]]:
    """Each operation's path as a pattern, fixed paths first (``/people/match`` before
    ``/people/{person_id}``)."""
    found = []
    for method, path in operations():
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path))
        found.append((path.count("{"), f"{method} {path}", re.compile(pattern)))
    return [(name, pattern) for _, name, pattern in sorted(found, key=lambda f: f[0])]


def _ordered() -> Iterator[tuple[str, str, Attempt]]:
    ops = [(m, p, ATTEMPTS[f"{m} {p}"]) for m, p in operations()]
    later = [op for op in ops if any(word in f"{op[0]} {op[1]}" for word in LAST)]
    yield from (op for op in ops if op not in later)
    yield from later


async def _scenes(client: httpx.AsyncClient, world: World) -> None:
    """The steps the walk's bodies cannot reach on their own (each needs the one before): B's
    officer's assessment submitted, reviewed, finalised and reflected on; the plan in force
    worked on, evaluated, acknowledged and so revised."""
    callers = world["own_callers"]
    line = {
        "officer_id": world["officer_id"],
        "year": world["year"],
        "officer": callers["employee"],
        "head": callers["supervisor"],
        "admin": callers["agency admin"],
    }

    async def ok(sent: Awaitable[httpx.Response]) -> dict[str, Any]:
        response = await sent
        assert response.status_code in (200, 201), response.text
        body: dict[str, Any] = response.json()
        return body

    for kind in ("baseline", "reflection"):
        a = await open_(client, line, kind)
        codes = [i["code"] for i in rated_items(await form_of(client, line, a))]
        assert (await rate(client, line, a, all_has(codes, except_=("K-F1",)))).status_code == 200
        await ok(client.post(url(line, a, "/submit"), headers=line["officer"]))
        review = await rate(client, line, a, {"DLit400": "has_not"}, by="head", path="/review")
        assert review.status_code == 200, review.text
        await ok(client.post(url(line, a, "/finalize"), headers=line["head"]))
    await ok(client.get(url(line, a, "/comparison"), headers=line["officer"]))
    await ok(client.post(url(line, a, "/reopen"), json={"reason": "ทบทวน"}, headers=line["admin"]))
    plan = f"/api/v1/people/{world['officer_id']}/plans/{world['plan_id']}"
    await ok(
        client.post(
            f"{plan}/effort",
            json={"activity_id": world["activity_id"], "hours": 1},
            headers=line["head"],
        )
    )
    items = (await ok(client.get(plan, headers=line["officer"])))["items"]
    rows = [
        {"item_id": i["id"], "outcome": "as_planned", "next_step": "revise", "narrative": "ดี"}
        for i in items
    ]
    await ok(client.put(f"{plan}/evaluation", json={"items": rows}, headers=line["head"]))
    for who in ("head", "officer"):
        await ok(client.post(f"{plan}/evaluation/acknowledge", headers=line[who]))


async def _walk(client: httpx.AsyncClient, world: World) -> list[str]:
    """Every REST operation by each of B's callers, then the GraphQL queries; returns what broke
    (a 5xx, a GraphQL query no caller got an answer to): a path that did not run to its end
    would prove nothing. A printed document answers 503 where the font is not installed: its
    records are read before it is typeset."""
    broken: list[str] = []
    callers: dict[str, dict[str, str]] = world["own_callers"]
    for method, path, attempt in _ordered():
        url = fill_path(path, attempt, world)
        params = attempt.query(world) if attempt.query else None
        body = attempt.body(world) if attempt.body is not None else None
        content = None if body is None else json.dumps(body, ensure_ascii=False)
        for who, headers in callers.items():
            request_headers = {**headers, **attempt.headers}
            if content is not None:
                request_headers["Content-Type"] = (
                    "application/merge-patch+json" if attempt.merge else "application/json"
                )
            response = await client.request(
                method, url, params=params, content=content, headers=request_headers
            )
            printed = response.status_code == 503 and url.endswith(".pdf")
            if response.status_code >= 500 and not printed:
                broken.append(f"{who}: {method} {url} -> {response.status_code}")
    for name, document in GRAPHQL.items():
        answered = False  # without errors, by one caller at least
        for who, headers in callers.items():
            response = await client.post("/graphql", json={"query": document}, headers=headers)
            if response.status_code >= 500 or "data" not in response.json():
                broken.append(f"{who}: graphql {name} -> {response.text[:200]}")
            answered = answered or "errors" not in response.json()
        if not answered:
            broken.append(f"graphql {name}: no caller got an answer without errors")
    return broken


async def test_no_request_path_joins_rows_of_two_people(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    connection: AsyncConnection,
    session: AsyncSession,
    auth: Callable[..., dict[str, str]],
    admin_headers: dict[str, str],
    seeded: dict[str, Any],
) -> None:
    recorder = Recorder(_routes())

    def before_cursor_execute(*args: Any) -> None:
        recorder.record(args[2], "sqlalchemy")

    def logged(query: Any) -> None:
        recorder.record(query.query, "asyncpg")

    raw = (await connection.get_raw_connection()).driver_connection
    event.listen(engine.sync_engine, "before_cursor_execute", before_cursor_execute)
    raw.add_query_logger(logged)
    client.event_hooks = {"request": [recorder.on_request], "response": [recorder.on_response]}
    try:
        world, _ = await build_world(client, session, auth, admin_headers)
        await _scenes(client, world)
        broken = await _walk(client, world)
    finally:
        client.event_hooks = {"request": [], "response": []}
        raw.remove_query_logger(logged)
        event.remove(engine.sync_engine, "before_cursor_execute", before_cursor_execute)

    assert not broken, "\n".join(broken)
    assert recorder.channels["sqlalchemy"], recorder.channels
    assert recorder.channels["asyncpg"], recorder.channels
    failures: list[str] = []
    linked: dict[str, set[str]] = defaultdict(set)  # link -> operations that join through it
    for sql, labels in sorted(recorder.seen.items()):
        found = crossings(sql)
        requests = labels - {"(test setup)"}
        for crossing in found:
            for link in crossing.via.split(", ") if crossing.via else ():
                linked[link] |= requests
        unlinked = [str(c) for c in found if c.via is None]
        if unlinked and requests:
            failures.append(
                f"{'; '.join(unlinked)}\n  by {', '.join(sorted(requests))}"
                f"\n  {' '.join(sql.split())[:1500]}"
            )
    request_paths = {label for labels in recorder.seen.values() for label in labels}
    print(f"{len(recorder.seen)} statements over {len(request_paths)} request paths")
    for link, requests in sorted(linked.items()):
        print(f"through {link}: {len(requests)} operations")
    assert not failures, f"{len(failures)} statements join across shards:\n" + "\n".join(failures)
    unused = sorted(set(LINKS) - set(linked))
    assert not unused, "no statement joins through these links any more: " + ", ".join(unused)

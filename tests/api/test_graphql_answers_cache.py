"""Kept dashboard answers (``app/api/graphql/answers.py``): a dashboard read again with nothing
changed is not computed again, and after any write a kept answer is exactly what a fresh
computation gives.

The oracle is a second app on the same database with the answer cache off (another worker, in
effect): after every kind of write a dashboard shows (ratings, submission, review, finalising,
a plan, effort, a name from the HR system, an agency's policy, a day passing), the caching app's
answer must equal the fresh one, and must have changed.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from app.db.base import Base
from app.db.distribution import TABLES
from app.domain.principal import Principal, PrincipalKind, Role
from app.main import create_app
from app.services.assessment import assessment_results
from bench.bench_graphql import DASHBOARD as FULL_DASHBOARD
from tests.api.assessments.flow import rate, url
from tests.api.assessments.test_assessment_flow import submitted
from tests.api.plans.bodies import in_force, plans_url
from tests.api.test_frameworks_graphql import statements
from tests.conftest import build_runtime, make_settings


@pytest.fixture
async def fresh(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]
) -> AsyncIterator[httpx.AsyncClient]:
    """The same service on the same database, computing every answer (cache off)."""
    settings = make_settings(graphql_answer_cache=0)
    app = create_app(settings, runtime=build_runtime(settings, engine, session_factory))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://thaksa.test") as c:
        yield c


async def dashboard(
    client: httpx.AsyncClient, headers: dict[str, str], year: int
) -> dict[str, Any]:
    r = await client.post(
        "/graphql",
        json={"query": FULL_DASHBOARD, "variables": {"year": year}},
        headers=headers,
    )
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    assert "errors" not in body, body
    return body["data"]["myDashboard"]


class Compare:
    """Reads a dashboard through the caching app twice (the second from what was kept) and
    through the fresh app, and checks that all three agree and that it changed since last time."""

    def __init__(
        self, kept: httpx.AsyncClient, fresh: httpx.AsyncClient, line: dict[str, Any]
    ) -> None:
        self.kept, self.fresh, self.line = kept, fresh, line
        self.last: dict[str, dict[str, Any]] = {}

    async def same(self, who: str, *, changed: bool | None = True) -> dict[str, Any]:
        year = self.line["year"]
        first = await dashboard(self.kept, self.line[who], year)
        again = await dashboard(self.kept, self.line[who], year)
        computed = await dashboard(self.fresh, self.line[who], year)
        assert first == computed, f"{who}: a kept answer differs from the computed one"
        assert again == computed
        if who in self.last and changed is not None:
            assert (self.last[who] != computed) is changed, f"{who}: changed={changed} expected"
        self.last[who] = computed
        return computed


async def test_after_every_kind_of_write_a_kept_dashboard_is_the_computed_one(
    client: httpx.AsyncClient,
    fresh: httpx.AsyncClient,
    make_workforce: Any,
    admin_headers: dict[str, str],
) -> None:
    line = await make_workforce()
    check = Compare(client, fresh, line)
    await check.same("officer")
    await check.same("head")
    await check.same("officer", changed=False)

    # the officer rates and submits: their assessment in progress, and the head's queue
    a = await submitted(client, line, not_had=("K-F1",))
    mine = await check.same("officer")
    assert mine["assessmentInProgress"]["status"] == "submitted"
    head = await check.same("head")
    assert [q["assessment"]["id"] for q in head["pendingReviews"]] == [a["id"]]

    # the head reviews (through the other app: another worker) and finalises
    r = await rate(fresh, line, a, {"DLit400": "has_not"}, by="head", path="/review")
    assert r.status_code == 200, r.text
    await check.same("officer", changed=None)  # the assessment's version moves
    r = await client.post(url(line, a, "/finalize"), headers=line["head"])
    assert r.status_code == 200, r.text
    mine = await check.same("officer")
    assert mine["latestAssessment"]["status"] == "final"
    assert "DLit400" in [g["requirement"]["code"] for g in mine["topGaps"]]
    assert (await check.same("head"))["pendingReviews"] == []

    # a plan in force, then effort on it
    plan = await in_force(client, line)
    mine = await check.same("officer")
    assert mine["currentPlan"]["plan"]["id"] == plan["id"]
    activity = plan["items"][0]["activities"][0]
    r = await fresh.post(
        f"{plans_url(line)}/{plan['id']}/effort",
        json={"activity_id": activity["id"], "hours": 2, "on": "2024-11-15"},
        headers=line["officer"],
    )
    assert r.status_code == 201, r.text
    mine = await check.same("officer")
    assert mine["currentPlan"]["progress"]["actualHours"] == 2.0

    # the HR system renames the officer
    r = await fresh.patch(
        f"/api/v1/people/{line['officer_id']}",
        json={"first_name_th": "สมศักดิ์"},
        headers={**admin_headers, "Content-Type": "application/merge-patch+json"},
    )
    assert r.status_code == 200, r.text
    assert (await check.same("officer"))["nameTh"].startswith("สมศักดิ์")

    # the agency declares another stage for the year (reference data): other profiles
    r = await fresh.put(
        f"/api/v1/agencies/{line['agency']}/stages/{line['year']}",
        json={"stage": "mature", "announced_on": "2024-10-02"},
        headers=admin_headers,
    )
    assert r.status_code == 200, r.text
    mine = await check.same("officer")
    assert mine["stage"] == "mature"

    # the ministry above sets a planning policy its department inherits (reference data)
    parent = f"{line['agency']}-MIN"
    r = await fresh.put(
        f"/api/v1/agencies/{parent}/planning-policy", json={"min_topics": 4}, headers=admin_headers
    )
    assert r.status_code == 200, r.text
    await check.same("officer", changed=None)


async def test_a_report_renamed_by_the_hr_system_changes_the_supervisors_queue(
    client: httpx.AsyncClient,
    fresh: httpx.AsyncClient,
    make_workforce: Any,
    admin_headers: dict[str, str],
) -> None:
    line = await make_workforce()
    await submitted(client, line)
    check = Compare(client, fresh, line)
    await check.same("head")
    r = await fresh.patch(
        f"/api/v1/people/{line['officer_id']}",
        json={"last_name_th": "ใจดี"},
        headers={**admin_headers, "Content-Type": "application/merge-patch+json"},
    )
    assert r.status_code == 200, r.text
    head = await check.same("head")
    assert head["pendingReviews"][0]["personNameTh"].endswith("ใจดี")


async def test_a_dashboard_read_again_unchanged_is_not_computed_again(
    client: httpx.AsyncClient, make_workforce: Any, engine: AsyncEngine
) -> None:
    line = await make_workforce()
    await submitted(client, line)
    await in_force(client, line)
    with statements(engine) as computed:
        first = await dashboard(client, line["officer"], line["year"])
    with statements(engine) as kept:
        again = await dashboard(client, line["officer"], line["year"])
    assert again == first
    # the computation's statements (20-odd) against the caller's person alone (the stamp
    # itself goes to the driver directly)
    assert len(computed) >= 10
    assert len(kept) <= 2, kept


async def test_people_never_get_each_others_kept_answers(
    client: httpx.AsyncClient, make_workforce: Any
) -> None:
    line = await make_workforce()
    officer = await dashboard(client, line["officer"], line["year"])
    head = await dashboard(client, line["head"], line["year"])
    assert officer["personId"] == line["officer_id"]
    assert head["personId"] == line["head_id"]


async def test_the_stamp_changes_with_the_day(
    session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt

    officer = Principal(PrincipalKind.USER, "somebody", frozenset({Role.EMPLOYEE}))
    today = await assessment_results.dashboard_stamp(session, officer)
    monkeypatch.setattr(
        assessment_results, "bangkok_today", lambda: dt.date.today() + dt.timedelta(days=1)
    )
    assert await assessment_results.dashboard_stamp(session, officer) != today


async def test_every_reference_table_counts_its_writes(session: AsyncSession) -> None:
    rows = await session.execute(
        text(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " WHERE t.tgname = 'reference_change_bump'"
        )
    )
    triggered = {r[0] for r in rows}
    reference = {n for n, p in TABLES.items() if p.kind == "reference"} - {"reference_change"}
    assert triggered == reference

    async def count(table: str) -> int:
        found = await session.scalar(
            text("SELECT n FROM reference_change WHERE table_name = :t"), {"t": table}
        )
        return int(found or 0)

    before = await count("planning_policy")
    await session.execute(text("UPDATE planning_policy SET agency_id = agency_id WHERE false"))
    assert await count("planning_policy") == before + 1


# Tables read on a dashboard computation must be covered by the stamp: person-owned (their rows'
# versions) or reference (a write counter).
COVERED = {n for n, p in TABLES.items() if p.kind in ("person", "reference")}
TABLE_NAMES = sorted(Base.metadata.tables, key=len, reverse=True)


def tables_read(sql: str) -> set[str]:
    names = "|".join(re.escape(n) for n in TABLE_NAMES)
    return set(re.findall(rf"\b(?:FROM|JOIN)\s+({names})\b", sql, flags=re.IGNORECASE))


def test_tables_read_finds_every_table_of_a_statement() -> None:
    sql = (
        "SELECT a.id FROM assessment AS a JOIN person ON person.id = a.person_id"
        " LEFT OUTER JOIN agency ON true WHERE a.id IN (SELECT x FROM xapi_statement)"
    )
    assert tables_read(sql) == {"assessment", "person", "agency", "xapi_statement"}


async def test_a_dashboard_reads_only_what_its_stamp_covers(
    client: httpx.AsyncClient, fresh: httpx.AsyncClient, make_workforce: Any, engine: AsyncEngine
) -> None:
    line = await make_workforce()
    await submitted(client, line, not_had=("K-F1",))
    await in_force(client, line)
    read: set[str] = set()
    for who in ("officer", "head", "admin"):
        with statements(engine) as seen:
            await dashboard(fresh, line[who], line["year"])
        for sql in seen:
            read |= tables_read(sql)
    assert {"person", "assessment", "development_plan"} <= read
    assert read <= COVERED, f"read but not covered by the stamp: {sorted(read - COVERED)}"

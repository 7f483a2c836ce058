"""xAPI statements through `/xapi/statements` on a real server, against asyncpg in the same run.

1. 100,000 statements (``BENCH_STATEMENTS``) posted in batches of 1,000 to
   ``POST /xapi/statements`` on a uvicorn server started on loopback, with HTTP Basic as an xAPI
   client sends it; baseline: asyncpg COPY of the same rows (as stored: body and the derived
   columns) into a bare table of the statement table's shape (no index, no constraint). Target:
   at least 0.10 of the COPY rate.
2. The same batches again (every id known, the same content): target at least 2x the first pass,
   and nothing written (the table's row count and the newest ``stored`` do not move).
3. Matched completions: 10,000 statements (``BENCH_COMPLETIONS``) in batches of 1,000, verb
   ``completed`` on activities mapped to catalogue courses, by agents (``mbox``) matched to
   1,000 people each with a plan in force whose activities take those courses: the path that
   also writes a learning record per statement, linked to the plan activity. No target: the
   rate and its ratio to the first pass are reported.
4. The table filled up to 1,000,000 statements (``BENCH_STORED``; set-based SQL, not timed),
   then ``GET /xapi/statements?agent=…&since=…&limit=500`` for agents with a few thousand
   statements, against the same query (``app.db.repositories.learning.statements.query_sql``)
   run by asyncpg on the same index. Target: at least 0.3 of the raw query's rate.

    .venv/bin/python -m bench xapi
    BENCH_STATEMENTS=10000 BENCH_STORED=100000 .venv/bin/python -m bench xapi   # a quick run
"""

from __future__ import annotations

import asyncio
import base64
import math
import os
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import orjson

from app.db.engine import _asyncpg_params, create_engine, create_session_factory
from app.db.repositories.learning.statements import Query, Reach, query_sql
from app.domain.learning import statements as xapi
from app.domain.principal import Principal, PrincipalKind, Role
from app.services.framework.seeding import load_all
from app.services.learning import catalogue, courses
from app.services.platform import clients
from app.settings import REPO_ROOT
from bench.bench_hris_sync import _free_port, _prepare_database, _start_server, _wait_ready

STATEMENTS = int(os.environ.get("BENCH_STATEMENTS", "100000"))
COMPLETIONS = int(os.environ.get("BENCH_COMPLETIONS", "10000"))
COMPLETERS = 1_000
COURSES = 10
PROVIDER = "bench"
CATALOGUE = "https://learn.bench.go.th/catalogue/"
STORED = int(os.environ.get("BENCH_STORED", "1000000"))
BATCH = 1_000
ACTORS = 5_000
HOT = 20  # agents with many statements, read in phase 3
READS = int(os.environ.get("BENCH_READS", "200"))
OPERATOR = Principal(
    kind=PrincipalKind.USER, subject="bench", roles=frozenset({Role.CENTRAL_ADMIN})
)
VERBS = [
    "http://adlnet.gov/expapi/verbs/completed",
    "http://adlnet.gov/expapi/verbs/passed",
    "http://adlnet.gov/expapi/verbs/attempted",
    "http://adlnet.gov/expapi/verbs/experienced",
]


def _statement(i: int) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "mbox": f"mailto:learner{i % ACTORS}@bench.go.th"},
        "verb": {"id": VERBS[i % len(VERBS)], "display": {"en-US": "did", "th": "ทำ"}},
        "object": {
            "id": f"https://learn.bench.go.th/course/{i % 400}",
            "definition": {"name": {"th": f"หลักสูตร {i % 400}"}},
        },
        "result": {"completion": True, "duration": "PT1H30M", "score": {"scaled": 0.9}},
        "context": {"registration": str(uuid.uuid4()), "platform": "bench LMS"},
        "timestamp": "2025-01-15T09:30:00+07:00",
    }


def _completion(i: int) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "mbox": f"mailto:completer{i % COMPLETERS}@bench.go.th"},
        "verb": {
            "id": "http://adlnet.gov/expapi/verbs/completed",
            "display": {"en-US": "completed"},
        },
        "object": {"id": f"{CATALOGUE}{i % COURSES}", "definition": {"name": {"th": "หลักสูตร"}}},
        "result": {"completion": True, "duration": "PT2H"},
        "timestamp": "2025-01-15T09:30:00+07:00",
    }


PEOPLE_WITH_PLANS = [
    """
    INSERT INTO agency (id, code, name_th, kind, parent_id, path, depth, active, content_hash)
    SELECT id, 'BENCH', 'หน่วยงานทดสอบ', 'department', NULL, '/' || id || '/', 0, true, '\\x00'
    FROM (SELECT gen_random_uuid() AS id) AS a
    """,
    """
    INSERT INTO person (id, source_agency_id, external_id, first_name_th, last_name_th, email,
        agency_id, active)
    SELECT gen_random_uuid(), a.id, 'C' || n, 'ผู้เรียน', 'ที่' || n,
        'completer' || n || '@bench.go.th', a.id, true
    FROM generate_series(0, $1 - 1) n, agency a WHERE a.code = 'BENCH'
    """,
    """
    INSERT INTO development_plan (person_id, id, fiscal_year, current_revision, lock_version,
        created_by)
    SELECT p.id, gen_random_uuid(), 2568, 1, 1, 'bench'
    FROM person p JOIN agency a ON a.id = p.agency_id WHERE a.code = 'BENCH'
    """,
    """
    INSERT INTO plan_revision (person_id, plan_id, revision, state, document, owner_ack_by,
        owner_ack_at, supervisor_ack_by, supervisor_ack_at, created_by, created_at, updated_by,
        updated_at)
    SELECT d.person_id, d.id, 1, 'acknowledged', $1::jsonb, 'o', now(), 's', now(),
        'bench', now(), 'bench', now()
    FROM development_plan d JOIN person p ON p.id = d.person_id
    JOIN agency a ON a.id = p.agency_id WHERE a.code = 'BENCH'
    """,
]


async def _people_with_plans(url: str, conn: asyncpg.Connection) -> None:
    """The seeded frameworks, a provider whose ``COURSES`` courses are mapped to activity ids, and
    ``COMPLETERS`` people (by e-mail) each with an acknowledged plan for 2568 whose item has one
    online course activity per course (the services and set-based SQL; not timed)."""
    engine = create_engine(url, pool_size=1)
    try:
        async with create_session_factory(engine)() as session, session.begin():
            await load_all(session, REPO_ROOT / "seed", OPERATOR)  # the frameworks courses cite
        async with create_session_factory(engine)() as session, session.begin():
            await catalogue.put_provider(
                session, OPERATOR, PROVIDER, {"name_th": "ผู้ให้บริการทดสอบ", "kind": "national"}
            )
            records: list[object] = [
                {
                    "code": f"C{k}",
                    "title_th": f"หลักสูตร {k}",
                    "scope_th": "ทดสอบ",
                    "hours": 6,
                    "delivery_mode": "online",
                    "activity_ids": [f"{CATALOGUE}{k}"],
                    "items": [],
                    "groups": ["technologist"],
                    "methods": ["online_course"],
                }
                for k in range(COURSES)
            ]
            report = await courses.sync_courses(session, OPERATOR, PROVIDER, records, dry_run=False)
            assert all(r.outcome == "created" for r in report.results), report
    finally:
        await engine.dispose()
    document = {
        "items": [
            {
                "id": "i1",
                "priority": 1,
                "framework_items": [],
                "reason": "gap",
                "activities": [
                    {
                        "id": f"a{k}",
                        "method": "online_course",
                        "planned_hours": 6,
                        "course": {"provider": PROVIDER, "code": f"C{k}"},
                    }
                    for k in range(COURSES)
                ],
            }
        ]
    }
    await conn.execute(PEOPLE_WITH_PLANS[0])
    await conn.execute(PEOPLE_WITH_PLANS[1], COMPLETERS)
    await conn.execute(PEOPLE_WITH_PLANS[2])
    await conn.execute(PEOPLE_WITH_PLANS[3], orjson.dumps(document).decode())


async def _basic(url: str) -> dict[str, str]:
    engine = create_engine(url, pool_size=1)
    try:
        async with create_session_factory(engine)() as session, session.begin():
            issued = await clients.create_client(
                session,
                OPERATOR,
                name="bench LMS",
                agency=None,
                scopes=["statements:write", "statements:read"],
            )
    finally:
        await engine.dispose()
    prefix, secret = issued.api_key.removeprefix("thk_").split("_", 1)
    token = base64.b64encode(f"thk_{prefix}:{secret}".encode()).decode()
    return {
        "Authorization": f"Basic {token}",
        "X-Experience-API-Version": "1.0.3",
        "Content-Type": "application/json",
    }


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (Linux ``/proc``; NaN elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return math.nan
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _post_all(
    client: httpx.AsyncClient, headers: dict[str, str], batches: list[bytes], server: int
) -> tuple[float, float]:
    """Wall time of posting ``batches`` one after the other, and the server's CPU time for them
    (steadier than the wall time on a shared machine: it leaves out waiting for a core)."""
    started, cpu = time.perf_counter(), _cpu_seconds(server)
    for body in batches:
        response = await client.post("/xapi/statements", content=body, headers=headers)
        if response.status_code != 200:
            raise RuntimeError(f"{response.status_code}: {response.text[:500]}")
    return time.perf_counter() - started, _cpu_seconds(server) - cpu


def _copy_rows(statements: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """The rows the LRS stores for these statements (body with id, stored, authority, version)."""
    stored = datetime.now(UTC)
    rows = []
    for s in statements:
        facts = xapi.facts(s)
        body = {**s, "stored": stored.isoformat(), "version": "1.0.0"}
        body["authority"] = {"objectType": "Agent", "account": {"homePage": "x", "name": "y"}}
        rows.append(
            (
                uuid.UUID(facts.id),
                stored,
                orjson.dumps(body).decode(),
                facts.content_hash,
                facts.verb,
                facts.actor_keys[0],
                facts.actor_keys,
                facts.related_agents,
                facts.activity,
                facts.related_activities,
                uuid.UUID(facts.registration) if facts.registration else None,
                False,
                "",
            )
        )
    return rows


COPY_COLUMNS = [
    "id", "stored", "body", "content_hash", "verb", "actor_key", "actor_keys", "related_agents",
    "activity", "related_activities", "registration", "voided", "agency_path",
]  # fmt: skip


async def _copy(conn: asyncpg.Connection, rows: list[tuple[Any, ...]]) -> float:
    """The median of three COPYs, each into a new bare table."""
    runs = []
    for _ in range(3):
        await conn.execute("DROP TABLE IF EXISTS bench_xapi_copy")
        await conn.execute("CREATE TABLE bench_xapi_copy (LIKE xapi_statement INCLUDING DEFAULTS)")
        # jsonb's binary form: a version byte, then the text
        await conn.set_type_codec(
            "jsonb",
            encoder=lambda text: b"\x01" + text.encode(),
            decoder=lambda data: data[1:].decode(),
            schema="pg_catalog",
            format="binary",
        )
        started = time.perf_counter()
        await conn.copy_records_to_table("bench_xapi_copy", records=rows, columns=COPY_COLUMNS)
        runs.append(time.perf_counter() - started)
        await conn.execute("DROP TABLE bench_xapi_copy")
    return sorted(runs)[1]


FILL = """
INSERT INTO xapi_statement (id, stored, body, content_hash, verb, actor_key, actor_keys,
    related_agents, activity, related_activities, voided, agency_path)
SELECT gen_random_uuid(), $2::timestamptz - make_interval(secs => g),
    jsonb_build_object(
        'actor', jsonb_build_object('mbox', 'mailto:' || a.who || '@bench.go.th'),
        'verb', jsonb_build_object('id', 'http://adlnet.gov/expapi/verbs/completed'),
        'object', jsonb_build_object('id', 'https://learn.bench.go.th/course/' || (g % 400)),
        'result', jsonb_build_object('completion', true, 'duration', 'PT1H'),
        'version', '1.0.0'),
    '\\x00'::bytea, 'http://adlnet.gov/expapi/verbs/completed',
    'mbox:mailto:' || a.who || '@bench.go.th',
    ARRAY['mbox:mailto:' || a.who || '@bench.go.th'],
    ARRAY['mbox:mailto:' || a.who || '@bench.go.th'],
    'https://learn.bench.go.th/course/' || (g % 400),
    ARRAY['https://learn.bench.go.th/course/' || (g % 400)], false, ''
FROM generate_series(1, $1) AS g,
    LATERAL (SELECT CASE WHEN g % 25 = 0 THEN 'hot' || ((g / 25) % $3) ELSE 'old' || (g % 200000)
             END AS who) AS a
"""


async def _fill(conn: asyncpg.Connection, wanted: int) -> int:
    have: int = await conn.fetchval("SELECT count(*) FROM xapi_statement")
    missing = max(0, wanted - have)
    oldest = await conn.fetchval("SELECT min(stored) FROM xapi_statement")
    if missing:
        await conn.execute(FILL, missing, oldest or datetime.now(UTC), HOT)
        await conn.execute("ANALYZE xapi_statement")
    return have + missing


async def _reads(
    client: httpx.AsyncClient, conn: asyncpg.Connection, headers: dict[str, str], since: datetime
) -> tuple[float, float, int]:
    agents = [f"mailto:hot{i}@bench.go.th" for i in range(HOT)]
    params = [
        {"agent": orjson.dumps({"mbox": a}).decode(), "since": since.isoformat(), "limit": 500}
        for a in agents
    ]
    queries = [
        query_sql(Query(agent=f"mbox:{a}", since=since), Reach(everything=True), 501)
        for a in agents
    ]
    rows = 0
    for p in params[:3]:  # warm both paths
        await client.get("/xapi/statements", params=p, headers=headers)
    started = time.perf_counter()
    for i in range(READS):
        response = await client.get("/xapi/statements", params=params[i % HOT], headers=headers)
        if response.status_code != 200:
            raise RuntimeError(response.text[:300])
        rows += len(response.json()["statements"])
    api = time.perf_counter() - started
    started = time.perf_counter()
    for i in range(READS):
        sql, args = queries[i % HOT]
        await conn.fetch(sql, *args)
    raw = time.perf_counter() - started
    return api, raw, rows // READS


async def run() -> dict[str, Any]:
    url = await _prepare_database()
    headers = await _basic(url)
    statements = [_statement(i) for i in range(STATEMENTS)]
    batches = [orjson.dumps(statements[i : i + BATCH]) for i in range(0, len(statements), BATCH)]
    port = _free_port()
    server = _start_server(url, port)
    conn = await asyncpg.connect(**_asyncpg_params(url))
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=600) as client:
            await _wait_ready(client)
            first, first_cpu = await _post_all(client, headers, batches, server.pid)
            count, newest = await conn.fetchrow("SELECT count(*), max(stored) FROM xapi_statement")
            assert count == STATEMENTS, count
            again, again_cpu = await _post_all(client, headers, batches, server.pid)
            after = await conn.fetchrow("SELECT count(*), max(stored) FROM xapi_statement")
            assert tuple(after) == (count, newest), "the second pass wrote"
            await _people_with_plans(url, conn)
            completions = [_completion(i) for i in range(COMPLETIONS)]
            completed, completed_cpu = await _post_all(
                client,
                headers,
                [orjson.dumps(completions[i : i + BATCH]) for i in range(0, COMPLETIONS, BATCH)],
                server.pid,
            )
            recorded = await conn.fetchval(
                "SELECT count(*) FROM learning_record WHERE plan_activity IS NOT NULL"
            )
            assert recorded == COMPLETIONS, f"{recorded} learning records linked to a plan"
            copy = await _copy(conn, _copy_rows(statements))
            total = await _fill(conn, STORED)
            since = datetime.now(UTC) - timedelta(days=3650)
            since = (
                await conn.fetchval(
                    "SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY stored) FROM xapi_statement"
                    " WHERE actor_key = 'mbox:mailto:hot0@bench.go.th'"
                )
                or since
            )
            api, raw, per_read = await _reads(client, conn, headers, since)
    finally:
        await conn.close()
        server.terminate()
        server.wait(timeout=30)
    cpu = {
        "first": 1e6 * first_cpu / STATEMENTS,
        "again": 1e6 * again_cpu / STATEMENTS,
        "completions": 1e6 * completed_cpu / COMPLETIONS,
    }
    figures = {
        "post_rate": STATEMENTS / first,
        "copy_rate": STATEMENTS / copy,
        "again_rate": STATEMENTS / again,
        "completion_rate": COMPLETIONS / completed,
        "api_reads": READS / api,
        "raw_reads": READS / raw,
    }
    print(f"xAPI statements: {STATEMENTS:,} in batches of {BATCH:,}, uvicorn on loopback")
    print(f"  POST, first pass        {figures['post_rate']:>10,.0f} statements/s"
          f"   (server CPU {cpu['first']:.0f} µs a statement)")  # fmt: skip
    print(f"  asyncpg COPY (baseline) {figures['copy_rate']:>10,.0f} statements/s")
    print(
        f"  POST, same batches again {figures['again_rate']:>9,.0f} statements/s (nothing written;"
        f" server CPU {cpu['again']:.0f} µs a statement)"
    )
    print(f"  ratio first / COPY      {figures['post_rate'] / figures['copy_rate']:>10.3f}"
          "   (target >= 0.10)")  # fmt: skip
    print(f"  ratio again / first     {figures['again_rate'] / figures['post_rate']:>10.2f}"
          "   (target >= 2)")  # fmt: skip
    print(f"Matched completions: {COMPLETIONS:,} by {COMPLETERS:,} people with a plan in force")
    print(f"  POST, learning records  {figures['completion_rate']:>10,.0f} statements/s"
          f"   (server CPU {cpu['completions']:.0f} µs a statement)")  # fmt: skip
    print(f"  ratio to the first pass {figures['completion_rate'] / figures['post_rate']:>10.2f}"
          "   (no target)")  # fmt: skip
    print(f"GET by agent with since over {total:,} stored statements ({per_read} a page):")
    print(f"  GET /xapi/statements    {figures['api_reads']:>10,.0f} pages/s")
    print(f"  the same SQL, asyncpg   {figures['raw_reads']:>10,.0f} queries/s")
    print(f"  ratio API / raw SQL     {figures['api_reads'] / figures['raw_reads']:>10.3f}"
          "   (target >= 0.3)")  # fmt: skip
    sys.stdout.flush()
    out = REPO_ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    result = {
        "statements": STATEMENTS,
        "stored": total,
        "page": per_read,
        "rates": {k: round(v, 1) for k, v in figures.items()},
        "server_cpu_us": {k: round(v, 1) for k, v in cpu.items()},
        "ratios": {
            "first_over_copy": round(figures["post_rate"] / figures["copy_rate"], 3),
            "again_over_first": round(figures["again_rate"] / figures["post_rate"], 3),
            "completions_over_first": round(figures["completion_rate"] / figures["post_rate"], 3),
            "api_over_raw": round(figures["api_reads"] / figures["raw_reads"], 3),
        },
    }
    (out / "xapi.json").write_text(orjson.dumps(result, option=orjson.OPT_INDENT_2).decode() + "\n")
    return figures


def main() -> None:
    asyncio.run(run())


if __name__ == "__main__":
    main()

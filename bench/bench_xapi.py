"""xAPI statements through `/xapi/statements` on a real server, against asyncpg in the same run.

1. 100,000 statements (``BENCH_STATEMENTS``) posted in batches of 1,000 to
   ``POST /xapi/statements`` on a uvicorn server started on loopback, with HTTP Basic as an xAPI
   client sends it; baseline: asyncpg COPY of the same rows (as stored: body and the derived
   columns) into a bare table of the statement table's shape (no index, no constraint). Target:
   at least 0.10 of the COPY rate.
2. The same batches again (every id known, the same content): target at least 2x the first pass,
   and nothing written (the table's row count and the newest ``stored`` do not move).
3. The table filled up to 1,000,000 statements (``BENCH_STORED``; set-based SQL, not timed),
   then ``GET /xapi/statements?agent=…&since=…&limit=500`` for agents with a few thousand
   statements, against the same query (``app.db.repositories.learning.statements.query_sql``)
   run by asyncpg on the same index. Target: at least 0.3 of the raw query's rate.

    .venv/bin/python -m bench xapi
    BENCH_STATEMENTS=10000 BENCH_STORED=100000 .venv/bin/python -m bench xapi   # a quick run
"""

from __future__ import annotations

import asyncio
import base64
import os
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx
import orjson

from app.db.engine import _asyncpg_params, create_engine, create_session_factory
from app.db.repositories.learning.statements import Query, Reach, query_sql
from app.domain.learning import statements as xapi
from app.domain.principal import Principal, PrincipalKind, Role
from app.services.platform import clients
from app.settings import REPO_ROOT
from bench.bench_hris_sync import _free_port, _prepare_database, _start_server, _wait_ready

STATEMENTS = int(os.environ.get("BENCH_STATEMENTS", "100000"))
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


async def _post_all(
    client: httpx.AsyncClient, headers: dict[str, str], batches: list[bytes]
) -> float:
    started = time.perf_counter()
    for body in batches:
        response = await client.post("/xapi/statements", content=body, headers=headers)
        if response.status_code != 200:
            raise RuntimeError(f"{response.status_code}: {response.text[:500]}")
    return time.perf_counter() - started


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
            first = await _post_all(client, headers, batches)
            count, newest = await conn.fetchrow("SELECT count(*), max(stored) FROM xapi_statement")
            assert count == STATEMENTS, count
            again = await _post_all(client, headers, batches)
            after = await conn.fetchrow("SELECT count(*), max(stored) FROM xapi_statement")
            assert tuple(after) == (count, newest), "the second pass wrote"
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
    figures = {
        "post_rate": STATEMENTS / first,
        "copy_rate": STATEMENTS / copy,
        "again_rate": STATEMENTS / again,
        "api_reads": READS / api,
        "raw_reads": READS / raw,
    }
    print(f"xAPI statements: {STATEMENTS:,} in batches of {BATCH:,}, uvicorn on loopback")
    print(f"  POST, first pass        {figures['post_rate']:>10,.0f} statements/s")
    print(f"  asyncpg COPY (baseline) {figures['copy_rate']:>10,.0f} statements/s")
    print(
        f"  POST, same batches again {figures['again_rate']:>9,.0f} statements/s (nothing written)"
    )
    print(f"  ratio first / COPY      {figures['post_rate'] / figures['copy_rate']:>10.3f}"
          "   (target >= 0.10)")  # fmt: skip
    print(f"  ratio again / first     {figures['again_rate'] / figures['post_rate']:>10.2f}"
          "   (target >= 2)")  # fmt: skip
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
        "ratios": {
            "first_over_copy": round(figures["post_rate"] / figures["copy_rate"], 3),
            "again_over_first": round(figures["again_rate"] / figures["post_rate"], 3),
            "api_over_raw": round(figures["api_reads"] / figures["raw_reads"], 3),
        },
    }
    (out / "xapi.json").write_text(orjson.dumps(result, option=orjson.OPT_INDENT_2).decode() + "\n")
    return figures


def main() -> None:
    asyncio.run(run())


if __name__ == "__main__":
    main()

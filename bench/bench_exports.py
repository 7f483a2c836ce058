"""Exports through the REST API of a real server, against PostgreSQL's own COPY.

A synthetic state of ``--rows`` people (default 300,000) in 1,000 agencies under one root, each
with a finalised baseline result for the fiscal year and three requirements (one a gap), is
written straight into the database. Then, on a uvicorn server started on loopback for the run:

1. ``GET /api/v1/exports/people_readiness?format=xlsx`` of the root's subtree (every row),
   sampling the server's resident memory every 50 ms: growth = peak - before;
2. ``GET /api/v1/exports/people_readiness?format=csv`` of the same rows, timed to the last byte,
   against ``COPY (the same statement) TO STDOUT`` of the same rows over asyncpg, in the same run.

    .venv/bin/python -m bench exports                  # 300,000 rows
    .venv/bin/python -m bench.bench_exports --rows 20000   # a quicker run

Targets (docs/performance.md): XLSX server memory growth < 100 MB; CSV >= 0.5 of COPY's rate.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import asyncpg
import httpx
import psutil

from app.db.embedded import async_url, start_embedded
from app.db.engine import _asyncpg_params, ensure_database
from app.db.migrate import upgrade_to_head
from app.db.repositories.reporting.exports import people_readiness
from app.services.platform.tokens import TokenService
from app.settings import REPO_ROOT, Settings

AGENCIES = 1000
YEAR = 2569
ROOT = "BENCH-ROOT"

SEED_SQL = [
    # the root and 1,000 departments under it
    """INSERT INTO agency (id, code, name_th, kind, parent_id, path, depth, active, content_hash)
       VALUES ('00000000-0000-0000-0000-000000000001', 'BENCH-ROOT', 'กระทรวงทดสอบ', 'ministry',
               NULL, '/00000000-0000-0000-0000-000000000001/', 0, true, '\\x00')""",
    """INSERT INTO agency (id, code, name_th, kind, parent_id, path, depth, active, content_hash)
       SELECT md5('agency' || g)::uuid, 'BENCH-' || g, 'กรมทดสอบที่ ' || g, 'department',
              '00000000-0000-0000-0000-000000000001',
              '/00000000-0000-0000-0000-000000000001/' || md5('agency' || g)::uuid || '/', 1,
              true, '\\x00'
       FROM generate_series(1, $1::int) g""",
    """INSERT INTO person (id, source_agency_id, external_id, first_name_th, last_name_th,
                           position_title, agency_id, active)
       SELECT md5('person' || g)::uuid, '00000000-0000-0000-0000-000000000001', 'P' || g,
              'สมศรี', 'ทดสอบ' || g, 'นักวิชาการคอมพิวเตอร์',
              md5('agency' || (g % $2::int + 1))::uuid, true
       FROM generate_series(1, $1::int) g""",
    """INSERT INTO assessment (person_id, id, fiscal_year, kind, status, agency_id,
                               framework_version_id, targets, required_items, opened_by,
                               finalized_at, row_version)
       SELECT p.id, md5('assessment' || p.external_id)::uuid, $1::int, 'baseline', 'final',
              p.agency_id, (SELECT id FROM framework_version LIMIT 1), '{}', '[]', 'bench',
              now() - (random() * interval '200 days'), 1
       FROM person p""",
    """INSERT INTO assessment_result (person_id, assessment_id, agency_id, fiscal_year, kind,
                                      stage, groups, present_met, present_required, future_met,
                                      future_required, finalized_at)
       SELECT a.person_id, a.id, a.agency_id, a.fiscal_year, 'baseline', 'developing',
              ARRAY['technologist'], 2, 3, NULL, NULL, a.finalized_at
       FROM assessment a""",
    """INSERT INTO assessment_result_requirement (person_id, assessment_id, code, agency_id,
                                                  fiscal_year, kind, component, domain_code,
                                                  present, future, met)
       SELECT r.person_id, r.assessment_id, c.code, r.agency_id, r.fiscal_year, 'baseline',
              'capability', 'DLit', true, false, c.code <> 'DLit400'
       FROM assessment_result r
       CROSS JOIN (VALUES ('DLit100'), ('DLit200'), ('DLit400')) c(code)""",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _prepare(rows: int) -> str:
    given = os.environ.get("BENCH_DATABASE_URL")
    if given:
        from app.db.engine import normalise_url

        url = normalise_url(given)
    else:
        data_dir = Path(os.environ.get("THAKSA_DATA_DIR", REPO_ROOT / ".data")) / "bench"
        url = async_url(start_embedded(data_dir), "thaksa_bench_exports")
    await ensure_database(url, recreate=True)
    await asyncio.to_thread(upgrade_to_head, url)
    from app.cli import _load_seed

    await asyncio.to_thread(_load_seed, url, quiet=True)
    conn = await asyncpg.connect(**_asyncpg_params(url))
    try:
        await conn.execute(SEED_SQL[0])
        await conn.execute(SEED_SQL[1], AGENCIES)
        await conn.execute(SEED_SQL[2], rows, AGENCIES)
        await conn.execute(SEED_SQL[3], YEAR)
        await conn.execute(SEED_SQL[4])
        await conn.execute(SEED_SQL[5])
        await conn.execute("ANALYZE")
    finally:
        await conn.close()
    return url


def _start_server(url: str, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "THAKSA_DATABASE_URL": url,
        "THAKSA_RATE_LIMIT_PER_MINUTE": "0",
        "THAKSA_LOG_LEVEL": "warning",
        "THAKSA_EXPORT_STREAM_MAX_ROWS": "10000000",
        "THAKSA_MIGRATE_ON_START": "false",
        "THAKSA_LOAD_SEED_ON_START": "false",
    }
    command = [
        sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    return subprocess.Popen(command, env=env, cwd=REPO_ROOT)  # noqa: S603


async def _wait_ready(client: httpx.AsyncClient) -> None:
    for _ in range(300):
        try:
            if (await client.get("/readyz")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.1)
    raise RuntimeError("the server did not become ready")


async def _download(
    client: httpx.AsyncClient, fmt: str, headers: dict[str, str], server: psutil.Process
) -> tuple[float, int, float, float]:
    """(seconds, bytes, RSS before in MB, peak RSS in MB) of one export."""
    before = server.memory_info().rss / 2**20
    peak = before
    done = asyncio.Event()

    async def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, server.memory_info().rss / 2**20)
            await asyncio.sleep(0.05)

    sampler = asyncio.create_task(sample())
    size = 0
    started = time.perf_counter()
    params = {"agency": ROOT, "fiscal_year": YEAR, "format": fmt}
    async with client.stream(
        "GET", "/api/v1/exports/people_readiness", params=params, headers=headers
    ) as response:
        response.raise_for_status()
        async for chunk in response.aiter_raw():
            size += len(chunk)
    seconds = time.perf_counter() - started
    done.set()
    await sampler
    return seconds, size, before, peak


async def _copy(url: str) -> tuple[float, int]:
    conn = await asyncpg.connect(**_asyncpg_params(url))
    size = 0

    async def sink(chunk: bytes) -> None:
        nonlocal size
        size += len(chunk)

    try:
        prefix = await conn.fetchval("SELECT path FROM agency WHERE code = $1", ROOT)
        started = time.perf_counter()
        await conn.copy_from_query(people_readiness(True), prefix, YEAR, output=sink, format="csv")
        return time.perf_counter() - started, size
    finally:
        await conn.close()


async def run(rows: int) -> None:
    print(f"exports: {rows:,} people in {AGENCIES:,} agencies, FY{YEAR}")
    started = time.perf_counter()
    url = await _prepare(rows)
    print(f"  data written in {time.perf_counter() - started:.1f} s")
    port = _free_port()
    server = _start_server(url, port)
    token = TokenService(Settings()).mint("bench", ["central_admin"], None, 3600)
    headers = {"Authorization": f"Bearer {token}"}
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=600) as client:
            await _wait_ready(client)
            process = psutil.Process(server.pid)
            await _download(client, "csv", headers, process)  # warm-up (plans, pools)
            x_seconds, x_size, x_before, x_peak = await _download(client, "xlsx", headers, process)
            c_seconds, c_size, _, c_peak = await _download(client, "csv", headers, process)
            copy_seconds, copy_size = await _copy(url)
    finally:
        server.terminate()
        server.wait(timeout=30)
    growth = x_peak - x_before
    ratio = copy_seconds / c_seconds
    print(
        f"  XLSX  {rows / x_seconds:10,.0f} rows/s  {x_seconds:6.2f} s  {x_size / 2**20:6.1f} MB"
        f"  server RSS {x_before:.0f} -> peak {x_peak:.0f} MB: growth {growth:.0f} MB"
        f"  (target < 100 MB: {'ok' if growth < 100 else 'MISSED'})"
    )
    print(
        f"  CSV   {rows / c_seconds:10,.0f} rows/s  {c_seconds:6.2f} s  {c_size / 2**20:6.1f} MB"
        f"  (server peak {c_peak:.0f} MB)"
    )
    print(
        f"  COPY  {rows / copy_seconds:10,.0f} rows/s  {copy_seconds:6.2f} s"
        f"  {copy_size / 2**20:6.1f} MB"
    )
    print(
        f"  CSV export / COPY rate: {ratio:.2f}"
        f" (target >= 0.5: {'ok' if ratio >= 0.5 else 'MISSED'})"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench_exports")
    parser.add_argument("--rows", type=int, default=int(os.environ.get("BENCH_ROWS", "300000")))
    args = parser.parse_args(argv if argv is not None else [])
    asyncio.run(run(args.rows))


if __name__ == "__main__":
    main(sys.argv[1:])

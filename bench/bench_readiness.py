"""The readiness endpoint (``GET /api/v1/people/{id}/assessments/{id}/results``) in requests per
second, against ``GET /api/v1/me`` in the same run (target: at least 0.3 of it).

Through a real ``uvicorn`` server on loopback (one worker) and an embedded PostgreSQL with a fresh,
migrated database (``.data/bench``, or ``BENCH_DATABASE_URL``): the seed frameworks are loaded, an
agency declares the developing stage, a Technologist officer with an approved group opens a
baseline, rates every item (all "has" but one DS100 criterion and one knowledge item) and submits;
the supervisor rates a few items. Both endpoints are then called by ``BENCH_CONCURRENCY`` (16)
concurrent clients with the officer's token, ``BENCH_REQUESTS`` (3,000) requests each round,
alternating, best of 3 rounds. ``python -m bench readiness``.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from app.db.engine import create_engine, create_session_factory
from app.services.framework.seeding import load_all
from app.services.platform import clients
from app.services.platform.tokens import TokenService
from app.settings import REPO_ROOT, Settings
from bench.bench_hris_sync import (
    OPERATOR,
    _free_port,
    _prepare_database,
    _start_server,
    _wait_ready,
)

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "3000"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "16"))
ROUNDS = 3
TARGET_RATIO = 0.3
YEAR = 2568
PROPOSE = """mutation($p: ID!) { proposeGroupAssignment(personId: $p, fiscalYear: 2568,
  groups: [{group: TECHNOLOGIST}]) { id state } }"""


async def _prepare(url: str) -> str:
    engine = create_engine(url, pool_size=1)
    try:
        async with create_session_factory(engine)() as session, session.begin():
            await load_all(session, REPO_ROOT / "seed", OPERATOR)
            issued = await clients.create_client(
                session, OPERATOR, name="bench HRIS", agency=None, scopes=["people:write"]
            )
        return issued.api_key
    finally:
        await engine.dispose()


async def _ok(response: Awaitable[httpx.Response]) -> Any:
    r = await response
    if r.status_code not in (200, 201):
        raise RuntimeError(f"{r.request.method} {r.request.url}: {r.status_code} {r.text}")
    return r.json()


async def _organisation(client: httpx.AsyncClient, key: str) -> tuple[dict[str, str], str]:
    tokens = TokenService(Settings())

    def auth(subject: str, *roles: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {tokens.mint(subject, list(roles), 'BENCH', 3600)}"}

    admin = {"Authorization": f"Bearer {tokens.mint('bench-admin', ['central_admin'], None, 3600)}"}
    tree = [{"code": "BENCH", "name_th": "หน่วยงานทดสอบ", "kind": "department"}]
    await _ok(client.post("/api/v1/agencies/bulk", json=tree, headers=admin))
    stage = {"stage": "developing", "announced_on": "2024-10-01"}
    await _ok(client.put(f"/api/v1/agencies/BENCH/stages/{YEAR}", json=stage, headers=admin))
    people = [
        {"external_id": "HEAD", "first_name_th": "หัวหน้า", "last_name_th": "ทดสอบ",
         "agency": "BENCH", "subject": "bench-head"},
        {"external_id": "OFF", "first_name_th": "เจ้าหน้าที่", "last_name_th": "ทดสอบ",
         "agency": "BENCH", "subject": "bench-officer", "supervisor": "HEAD"},
    ]  # fmt: skip
    body = await _ok(
        client.post("/api/v1/people/bulk?source=BENCH", json=people, headers={"X-API-Key": key})
    )
    ids = {r["external_id"]: r["id"] for r in body["results"]}
    head, officer = auth("bench-head", "supervisor"), auth("bench-officer", "employee")
    query = {"query": PROPOSE, "variables": {"p": ids["OFF"]}}
    await _ok(client.post("/graphql", json=query, headers=head))
    base = f"/api/v1/people/{ids['OFF']}/assessments"
    a = await _ok(client.post(base, json={"fiscal_year": YEAR}, headers=officer))
    one = f"{base}/{a['id']}"
    form = await _ok(client.get(f"{one}/form", headers=officer))
    codes = [i["code"] for i in _rated(form)]
    ratings = [
        {"code": c, "value": "has_not" if c in ("DS102.2", "K-F3") else "has"} for c in codes
    ]
    await _ok(client.patch(f"{one}/ratings", json={"ratings": ratings}, headers=officer))
    await _ok(client.post(f"{one}/submit", headers=officer))
    review = [{"code": c, "value": "has"} for c in codes[:10]]
    await _ok(client.post(f"{one}/review", json={"ratings": review}, headers=head))
    return officer, f"{one}/results"


def _rated(form: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for section in form["sections"]:
        out.extend(section["items"])
        for domain in section["domains"]:
            for unit in domain["units"]:
                out.extend([unit["item"]] if unit["item"] else [])
                out.extend(c for e in unit["elements"] for c in e["criteria"])
    return out


async def _rate(client: httpx.AsyncClient, path: str, headers: dict[str, str]) -> float:
    """Requests per second of ``REQUESTS`` GETs from ``CONCURRENCY`` concurrent clients."""
    left = REQUESTS

    async def worker() -> None:
        nonlocal left
        while left > 0:
            left -= 1
            r = await client.get(path, headers=headers)
            if r.status_code != 200:
                raise RuntimeError(f"{path}: {r.status_code} {r.text}")

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return REQUESTS / (time.perf_counter() - start)


async def run() -> dict[str, Any]:
    url = await _prepare_database()
    key = await _prepare(url)
    port = _free_port()
    server = _start_server(url, port)
    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    try:
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{port}", timeout=60, limits=limits
        ) as client:
            await _wait_ready(client)
            officer, results = await _organisation(client, key)
            measured: dict[str, list[float]] = {"me": [], "results": []}
            cases: dict[str, Callable[[], Awaitable[float]]] = {
                "me": lambda: _rate(client, "/api/v1/me", officer),
                "results": lambda: _rate(client, results, officer),
            }
            for case in cases.values():  # warm-up
                await case()
            for _ in range(ROUNDS):
                for name, case in cases.items():
                    measured[name].append(await case())
    finally:
        server.terminate()
        server.wait(timeout=30)
    me, readiness = max(measured["me"]), max(measured["results"])
    result = {
        "requests_per_round": REQUESTS,
        "concurrency": CONCURRENCY,
        "me_per_second": round(me),
        "results_per_second": round(readiness),
        "ratio": round(readiness / me, 3),
        "target_ratio": TARGET_RATIO,
    }
    print("readiness endpoint vs GET /api/v1/me (uvicorn on loopback, one worker)")
    print(f"  GET /api/v1/me            {me:8.0f} requests/s")
    print(f"  GET .../results           {readiness:8.0f} requests/s")
    verdict = "meets" if readiness / me >= TARGET_RATIO else "MISSES"
    print(
        f"  ratio                     {readiness / me:8.3f} ({verdict} the {TARGET_RATIO} target)"
    )
    out = REPO_ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "readiness.json").write_text(json.dumps(result, indent=2) + "\n")
    return result


def main() -> None:
    asyncio.run(run())


if __name__ == "__main__":
    main()

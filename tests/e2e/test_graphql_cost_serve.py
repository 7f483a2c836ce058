"""A real ``thaksa serve`` under twenty costly GraphQL documents at once: each is refused with
a coded error and /healthz keeps answering (compared with a baseline taken in the same run)."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.api.test_graphql_cost import fan
from tests.e2e.test_serve import _free_port


async def _wait_ready(base: str, proc: asyncio.subprocess.Process) -> None:
    deadline = time.monotonic() + 90
    async with httpx.AsyncClient(timeout=1) as c:
        while time.monotonic() < deadline:
            try:
                if (await c.get(f"{base}/readyz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            assert proc.returncode is None, "the server exited during start-up"
            await asyncio.sleep(0.3)
    pytest.fail("the server did not become ready")


async def test_twenty_costly_documents_do_not_hold_a_real_server(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "THAKSA_DATA_DIR": str(tmp_path / "data"),
        "THAKSA_PORT": str(port),
        "THAKSA_JWT_SECRET": "e2e-secret-e2e-secret-e2e-secret-e2e!",
        "THAKSA_LOG_LEVEL": "warning",
        "THAKSA_LOAD_SEED_ON_START": "false",
    }
    env.pop("THAKSA_DATABASE_URL", None)
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "app.cli", "serve", env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        await _wait_ready(base, proc)
        async with httpx.AsyncClient(base_url=base, timeout=120) as c:

            async def healthz() -> float:
                started = time.perf_counter()
                assert (await c.get("/healthz")).status_code == 200
                return time.perf_counter() - started

            async def post_all(document: str) -> tuple[float, list[httpx.Response]]:
                started = time.perf_counter()
                answers = await asyncio.gather(
                    *(c.post("/graphql", json={"query": document}) for _ in range(20))
                )
                return time.perf_counter() - started, list(answers)

            await post_all("{ __typename }")
            baseline, _ = await post_all("{ __typename }")
            alone = max([await healthz() for _ in range(5)])

            probes = [asyncio.create_task(healthz()) for _ in range(10)]
            elapsed, answers = await post_all(fan())
            during = await asyncio.gather(*probes)
        for answer in answers:
            assert answer.status_code == 200
            [error] = answer.json()["errors"]
            assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
        assert elapsed < 20 * baseline, (elapsed, baseline)
        assert max(during) < 20 * max(alone, baseline), (during, alone, baseline)
    finally:
        proc.send_signal(signal.SIGINT)
        await asyncio.wait_for(proc.wait(), timeout=30)

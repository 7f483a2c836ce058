"""`thaksa serve` with several workers: one rate limit across them, metrics added up over them,
and a stop that lets the requests in flight finish."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from app.services.platform.tokens import TokenService
from tests.conftest import make_settings

SECRET = "e2e-secret-e2e-secret-e2e-secret-e2e!"
LIMIT = 12  # requests a minute per credential


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(data_dir: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "THAKSA_DATA_DIR": str(data_dir),
        "THAKSA_PORT": str(port),
        "THAKSA_JWT_SECRET": SECRET,
        "THAKSA_WORKERS": "2",
        "THAKSA_RATE_LIMIT_PER_MINUTE": str(LIMIT),
        "THAKSA_LOAD_SEED_ON_START": "false",
        "THAKSA_SHUTDOWN_TIMEOUT_SECONDS": "60",
    }
    for name in ("THAKSA_DATABASE_URL", "PROMETHEUS_MULTIPROC_DIR"):
        env.pop(name, None)
    with log.open("wb") as err:
        proc = subprocess.Popen([sys.executable, "-m", "app.cli", "serve"], env=env, stderr=err)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return proc
        except httpx.TransportError:
            pass
        if proc.poll() is not None:
            pytest.fail(f"the server exited during start-up:\n{log.read_text()[-3000:]}")
        time.sleep(0.3)
    proc.kill()
    pytest.fail("the server did not become ready")


def _pids(log: Path) -> set[int]:
    lines = [json.loads(x) for x in log.read_text().splitlines() if x.startswith("{")]
    return {x["pid"] for x in lines if x.get("logger") == "thaksa.access"}


def _wait_for_both_workers(base: str, log: Path) -> None:
    """`/readyz` answers once one worker has started; the other may still be starting (each
    prepares its routes first). Wait until both have answered a request (a logged one)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(lambda _: httpx.get(f"{base}/xapi/about", timeout=5), range(8)))
        if len(_pids(log)) >= 2:
            return
        time.sleep(0.2)
    pytest.fail("the second worker never answered")


def _metric(text: str, name: str, **labels: str) -> float:
    total = 0.0
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        if all(f'{k}="{v}"' in line for k, v in labels.items()):
            total += float(line.rsplit(" ", 1)[1])
    return total


def test_two_workers_hold_one_rate_limit_and_drain_on_sigterm(tmp_path: Path) -> None:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve.log"
    tokens = TokenService(make_settings(jwt_secret=SECRET))
    busy = {"Authorization": f"Bearer {tokens.mint('busy', ['employee'])}"}
    admin = {"Authorization": f"Bearer {tokens.mint('ops', ['central_admin'])}"}
    proc = _start(tmp_path / "data", port, log)
    try:
        _wait_for_both_workers(base, log)

        def me(_: int) -> int:
            # a new connection each time, so that the kernel spreads them over the workers
            return httpx.get(f"{base}/api/v1/me", headers=busy, timeout=30).status_code

        with ThreadPoolExecutor(6) as pool:
            statuses = list(pool.map(me, range(3 * LIMIT)))
        assert statuses.count(200) == LIMIT, statuses
        assert statuses.count(429) == 2 * LIMIT, statuses

        scraped = httpx.get(f"{base}/metrics").text
        assert _metric(scraped, "thaksa_http_requests_total", route="/api/v1/me") == 3 * LIMIT
        assert _metric(scraped, "thaksa_rate_limit_refusals_total") == 2 * LIMIT

        # A long write in flight when SIGTERM comes is finished and answered.
        agencies = [
            {"code": f"A{i:05d}", "name_th": f"หน่วยงาน {i}", "kind": "department"}
            for i in range(5000)
        ]
        answer: dict[str, object] = {}

        def write() -> None:
            response = httpx.post(
                f"{base}/api/v1/agencies/bulk", json=agencies, headers=admin, timeout=120
            )
            answer["status"] = response.status_code
            answer["created"] = response.json()["counts"]["created"]
            answer["at"] = time.monotonic()

        writer = threading.Thread(target=write)
        writer.start()
        time.sleep(0.5)
        stopped_at = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        writer.join(timeout=120)
        assert answer["status"] == 200
        assert answer["created"] == 5000
        assert float(str(answer["at"])) > stopped_at, "the write ended before the stop"
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()

    lines = [json.loads(x) for x in log.read_text().splitlines() if x.startswith("{")]
    access = [x for x in lines if x["logger"] == "thaksa.access" and x["route"] == "/api/v1/me"]
    assert len(access) == 3 * LIMIT
    assert len({x["pid"] for x in access}) == 2, "one worker answered everything"
    assert not (tmp_path / "data" / "pg" / "postmaster.pid").exists()
    assert not re.search(r'"level": "(ERROR|CRITICAL)"', log.read_text())

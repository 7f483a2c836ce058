"""`thaksa serve` as a user runs it: embedded PostgreSQL, its own port and data folder,
a clean stop on Ctrl-C and SIGTERM, and the data still there on the next start."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from app.services.platform.tokens import TokenService
from tests.conftest import make_settings

SECRET = "e2e-secret-e2e-secret-e2e-secret-e2e!"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(data_dir: Path, port: int, stop_signal: int) -> Iterator[subprocess.Popen[bytes]]:
    env = {
        **os.environ,
        "THAKSA_DATA_DIR": str(data_dir),
        "THAKSA_PORT": str(port),
        "THAKSA_JWT_SECRET": SECRET,
        "THAKSA_LOG_LEVEL": "warning",
    }
    env.pop("THAKSA_DATABASE_URL", None)
    proc = subprocess.Popen([sys.executable, "-m", "app.cli", "serve"], env=env)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None, "the server exited during start-up"
            time.sleep(0.3)
        else:
            pytest.fail("the server did not become ready")
        yield proc
    finally:
        proc.send_signal(stop_signal)
        proc.wait(timeout=30)


def test_serve_stops_postgres_on_exit_and_keeps_the_data(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    port = _free_port()
    token = TokenService(make_settings(jwt_secret=SECRET)).mint("ops", ["central_admin"])
    headers = {"Authorization": f"Bearer {token}"}

    with serving(data_dir, port, signal.SIGINT):
        base = f"http://127.0.0.1:{port}"
        assert httpx.get(f"{base}/healthz").status_code == 200
        assert httpx.get(f"{base}/api/v1/me").status_code == 401
        created = httpx.post(
            f"{base}/api/v1/clients", headers=headers, json={"name": "kept across runs"}
        )
        assert created.status_code == 201, created.text
    assert not (data_dir / "pg" / "postmaster.pid").exists(), "Ctrl-C left PostgreSQL running"

    with serving(data_dir, port, signal.SIGTERM):
        listed = httpx.get(f"http://127.0.0.1:{port}/api/v1/clients", headers=headers).json()[
            "items"
        ]
        assert [c["name"] for c in listed] == ["kept across runs"]
    assert not (data_dir / "pg" / "postmaster.pid").exists(), "SIGTERM left PostgreSQL running"


def test_operator_commands_use_the_running_servers_database(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    port = _free_port()

    def thaksa(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "THAKSA_DATA_DIR": str(data_dir), "THAKSA_JWT_SECRET": SECRET}
        env.pop("THAKSA_DATABASE_URL", None)
        return subprocess.run(  # noqa: S603  (this interpreter, fixed arguments)
            [sys.executable, "-m", "app.cli", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    create = ("client", "create", "HRIS of the Revenue Department", "-s", "people:read")
    with serving(data_dir, port, signal.SIGTERM):
        # A shell without the server's THAKSA_DATA_DIR: refused, and no second database appears.
        other = tmp_path / "default"
        refused = thaksa(*create, data_dir=other)
        assert refused.returncode == 1, refused.stderr
        assert refused.stdout == ""
        assert f"error: there is no database in {other}/pg." in refused.stderr
        assert not other.exists()

        created = thaksa(*create, data_dir=data_dir)
        assert created.returncode == 0, created.stderr
        assert created.stderr.splitlines() == [
            f"database: embedded PostgreSQL in {data_dir}/pg (THAKSA_DATA_DIR), database thaksa"
        ]
        key = json.loads(created.stdout)["api_key"]
        me = httpx.get(f"http://127.0.0.1:{port}/api/v1/me", headers={"X-API-Key": key})
        assert me.status_code == 200, me.text
    assert not (data_dir / "pg" / "postmaster.pid").exists(), "PostgreSQL outlived the server"

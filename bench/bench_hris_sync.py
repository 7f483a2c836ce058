"""HRIS sync through the bulk REST endpoint of a real server, against asyncpg COPY.

100,000 synthetic people (app/domain/people/synthetic.py) are sent in batches of 5,000 to
`POST /api/v1/people/bulk` on a uvicorn server started on loopback for the run:

1. first sync into an empty database (every record created),
2. the same records again (every record unchanged),
3. the same records with 10% of them changed (10% updated, 90% unchanged),

and, as the baseline measured in the same run, asyncpg's COPY of the same rows into a bare table
of the person table's shape (no index, no constraint). Prints records/s and the ratios, and the
server's resident memory after every batch.

    make bench                      # every benchmark
    .venv/bin/python -m bench hris_sync
    BENCH_PEOPLE=20000 .venv/bin/python -m bench hris_sync   # a quicker run
    BENCH_WORKERS=2 BENCH_CONCURRENCY=4 .venv/bin/python -m bench hris_sync  # uvicorn workers

Targets (docs/performance.md): first sync >= 0.10 of the COPY rate; unchanged re-sync >= 2x the
first sync; server memory flat across batches.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import orjson
import psutil

from app.db.embedded import async_url, start_embedded
from app.db.engine import _asyncpg_params, create_engine, create_session_factory, ensure_database
from app.db.migrate import upgrade_to_head
from app.domain.people.person import parse_person
from app.domain.people.synthetic import generate
from app.domain.principal import Principal, PrincipalKind, Role
from app.services.platform import clients
from app.settings import REPO_ROOT

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "100000"))
BATCH = 5_000
# Requests in flight at once: each source's batches go one after another (a batch may name
# supervisors sent in an earlier one), different sources in parallel, as HR systems do.
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "2"))
SEED = 2568
PII_KEY = "bench-pii-key"
OPERATOR = Principal(
    kind=PrincipalKind.USER, subject="bench", roles=frozenset({Role.CENTRAL_ADMIN})
)


@dataclass
class Phase:
    name: str
    records: int = 0
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    rss_mb: list[float] = field(default_factory=list)
    cpu: dict[str, float] = field(default_factory=dict)  # seconds, by process group

    @property
    def rate(self) -> float:
        return self.records / self.seconds if self.seconds else 0.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _prepare_database() -> str:
    given = os.environ.get("BENCH_DATABASE_URL")
    if given:
        from app.db.engine import normalise_url

        url = normalise_url(given)
    else:
        data_dir = Path(os.environ.get("THAKSA_DATA_DIR", REPO_ROOT / ".data")) / "bench"
        url = async_url(start_embedded(data_dir), "thaksa_bench")
    await ensure_database(url, recreate=True)
    await asyncio.to_thread(upgrade_to_head, url)
    return url


async def _api_key(url: str) -> str:
    engine = create_engine(url, pool_size=1)
    try:
        async with create_session_factory(engine)() as session, session.begin():
            issued = await clients.create_client(
                session,
                OPERATOR,
                name="bench HRIS",
                agency=None,
                scopes=["people:write", "agencies:write"],
            )
        return issued.api_key
    finally:
        await engine.dispose()


def _start_server(url: str, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "THAKSA_DATABASE_URL": url,
        "THAKSA_RATE_LIMIT_PER_MINUTE": "0",
        "THAKSA_LOG_LEVEL": "warning",
        "THAKSA_PII_HASH_KEY": PII_KEY,
        "THAKSA_MAX_BODY_BYTES": str(64 * 1024 * 1024),
    }
    command = [
        sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--no-access-log", "--log-level", "warning",
        *(["--workers", os.environ["BENCH_WORKERS"]] if os.environ.get("BENCH_WORKERS") else []),
    ]  # fmt: skip
    return subprocess.Popen(command, env=env, cwd=REPO_ROOT)  # noqa: S603


async def _wait_ready(client: httpx.AsyncClient) -> None:
    for _ in range(200):
        try:
            if (await client.get("/readyz")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.1)
    raise RuntimeError("the server did not become ready")


def _batches(people: dict[str, list[dict[str, Any]]]) -> list[tuple[str, bytes, int]]:
    """Pre-encoded request bodies (the client's JSON encoding is not the server's cost)."""
    out = []
    for source, records in people.items():
        for start in range(0, len(records), BATCH):
            chunk = records[start : start + BATCH]
            out.append((source, json.dumps(chunk, ensure_ascii=False).encode(), len(chunk)))
    return out


class CpuMeter:
    """CPU seconds spent by the server (process and workers), PostgreSQL (every process of the
    cluster, read from pg_stat_activity) and this client over a phase: where the time goes."""

    def __init__(self, url: str, server_pid: int) -> None:
        self.url = url
        self.server = psutil.Process(server_pid)

    async def _postgres_pids(self) -> list[int]:
        conn = await asyncpg.connect(**_asyncpg_params(self.url))
        try:
            rows = await conn.fetch(
                "SELECT pid FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
            )
            return [r[0] for r in rows]
        finally:
            await conn.close()

    @staticmethod
    def _cpu(processes: list[psutil.Process]) -> dict[int, float]:
        out = {}
        for process in processes:
            try:
                times = process.cpu_times()
            except psutil.Error:  # gone, or PostgreSQL on another host
                continue
            out[process.pid] = times.user + times.system
        return out

    async def snapshot(self) -> dict[str, dict[int, float]]:
        postgres = []
        for pid in await self._postgres_pids():
            try:
                postgres.append(psutil.Process(pid))
            except psutil.Error:  # gone meanwhile, or PostgreSQL on another host
                continue
        return {
            "server": self._cpu([self.server, *self.server.children(recursive=True)]),
            "postgres": self._cpu(postgres),
            "client": self._cpu([psutil.Process()]),
        }

    @staticmethod
    def spent(
        before: dict[str, dict[int, float]], after: dict[str, dict[int, float]]
    ) -> dict[str, float]:
        return {
            group: sum(t - before[group].get(pid, 0.0) for pid, t in times.items())
            for group, times in after.items()
        }


def _rss_mb(server: psutil.Process) -> float:
    """Resident memory of the server: its process and its workers, if any."""
    processes = [server, *server.children(recursive=True)]
    return float(sum(p.memory_info().rss for p in processes)) / 2**20


async def _sync(
    client: httpx.AsyncClient,
    key: str,
    name: str,
    batches: list[tuple[str, bytes, int]],
    meter: CpuMeter,
) -> Phase:
    phase = Phase(name)
    server = meter.server
    headers = {"X-API-Key": key, "Content-Type": "application/json"}
    slots = asyncio.Semaphore(CONCURRENCY)
    by_source: dict[str, list[tuple[bytes, int]]] = {}
    for source, body, count in batches:
        by_source.setdefault(source, []).append((body, count))

    async def one_source(source: str, bodies: list[tuple[bytes, int]]) -> None:
        for body, count in bodies:
            async with slots:
                response = await client.post(
                    "/api/v1/people/bulk", params={"source": source}, content=body, headers=headers
                )
            response.raise_for_status()
            # (orjson: the client's own cost shares the machine with the server's)
            for outcome, n in orjson.loads(response.content)["counts"].items():
                phase.counts[outcome] = phase.counts.get(outcome, 0) + n
            phase.records += count
            phase.rss_mb.append(_rss_mb(server))

    before = await meter.snapshot()
    started = time.perf_counter()
    await asyncio.gather(*(one_source(s, b) for s, b in by_source.items()))
    phase.seconds = time.perf_counter() - started
    phase.cpu = meter.spent(before, await meter.snapshot())
    return phase


def _copy_rows(people: dict[str, list[dict[str, Any]]]) -> list[tuple[Any, ...]]:
    """The same people as rows of the person table (validated and hashed beforehand)."""
    source_ids = {source: uuid.uuid4() for source in people}
    agency_id = uuid.uuid4()
    rows = []
    for source, records in people.items():
        for raw in records:
            r, _ = parse_person(raw, "", pii_key=PII_KEY.encode())
            assert r is not None
            rows.append(
                (
                    uuid.uuid4(), source_ids[source], r.external_id, r.employee_number,
                    r.first_name_th, r.last_name_th, r.first_name_en, r.last_name_en, r.email,
                    r.position_title, r.position_type.value if r.position_type else None,
                    r.position_level, agency_id, None, r.active, r.start_date, r.end_date,
                    r.national_id_hash, r.subject, r.fingerprint,
                )
            )  # fmt: skip
    return rows


COPY_COLUMNS = [
    "id", "source_agency_id", "external_id", "employee_number", "first_name_th", "last_name_th",
    "first_name_en", "last_name_en", "email", "position_title", "position_type", "position_level",
    "agency_id", "supervisor_id", "active", "start_date", "end_date", "national_id_hash",
    "subject", "content_hash",
]  # fmt: skip


COPY_RUNS = 3


async def _copy_baseline(url: str, rows: list[tuple[Any, ...]]) -> tuple[Phase, list[float]]:
    """The median of three COPYs (each into a new table): a single one moves by a third from
    run to run on a shared machine."""
    conn = await asyncpg.connect(**_asyncpg_params(url))
    runs = []
    try:
        backend = psutil.Process(await conn.fetchval("SELECT pg_backend_pid()"))
        client, postgres = time.process_time(), sum(backend.cpu_times()[:2])
        for _ in range(COPY_RUNS):
            await conn.execute("DROP TABLE IF EXISTS bench_person_copy")
            await conn.execute("CREATE TABLE bench_person_copy (LIKE person INCLUDING DEFAULTS)")
            started = time.perf_counter()
            await conn.copy_records_to_table(
                "bench_person_copy", records=rows, columns=COPY_COLUMNS
            )
            runs.append(time.perf_counter() - started)
            await conn.execute("DROP TABLE bench_person_copy")
        cpu = {
            "client": (time.process_time() - client) / COPY_RUNS,
            "postgres": (sum(backend.cpu_times()[:2]) - postgres) / COPY_RUNS,
        }
    finally:
        await conn.close()
    median = sorted(runs)[len(runs) // 2]
    return Phase("asyncpg COPY into a bare table", len(rows), median, cpu=cpu), runs


def _changed(people: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Every tenth person gets a new position level and e-mail address."""
    out: dict[str, list[dict[str, Any]]] = {}
    n = 0
    for source, records in people.items():
        out[source] = []
        for record in records:
            if n % 10 == 0:
                record = {
                    **record,
                    "position_level": "ชำนาญการพิเศษ",
                    "email": f"moved{n}@example.go.th",
                }
            out[source].append(record)
            n += 1
    return out


async def run() -> dict[str, Any]:
    url = await _prepare_database()
    org = generate(PEOPLE, SEED)
    key = await _api_key(url)
    port = _free_port()
    server = _start_server(url, port)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=600) as client:
            await _wait_ready(client)
            response = await client.post(
                "/api/v1/agencies/bulk", json=org.agencies, headers={"X-API-Key": key}
            )
            response.raise_for_status()
            meter = CpuMeter(url, server.pid)
            first = await _sync(
                client, key, "first sync (empty database)", _batches(org.people), meter
            )
            again = await _sync(client, key, "unchanged re-sync", _batches(org.people), meter)
            changed = await _sync(
                client, key, "re-sync, 10% changed", _batches(_changed(org.people)), meter
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    copy, copy_runs = await _copy_baseline(url, _copy_rows(org.people))
    assert first.counts.get("created") == PEOPLE, first.counts
    assert again.counts.get("unchanged") == PEOPLE, again.counts
    assert changed.counts.get("updated") == (PEOPLE + 9) // 10, changed.counts
    return _report([first, again, changed], copy, copy_runs, len(org.agencies))


def _report(
    phases: list[Phase], copy: Phase, copy_runs: list[float], agencies: int
) -> dict[str, Any]:
    first, again, changed = phases
    print(
        f"\nHRIS sync: {first.records:,} people in batches of {BATCH:,} ({CONCURRENCY} requests "
        f"at a time at most), {agencies} agencies, uvicorn on loopback"
    )
    print(f"{'phase':36} {'records':>9} {'seconds':>8} {'records/s':>10}  outcomes")
    for p in (*phases, copy):
        print(f"{p.name:36} {p.records:>9,} {p.seconds:>8.2f} {p.rate:>10,.0f}  {p.counts or ''}")
    runs = ", ".join(f"{copy.records / s:,.0f}" for s in copy_runs)
    print(f"  (COPY: median of {len(copy_runs)} runs: {runs} rows/s)")
    print("\nCPU per record, in microseconds (server = uvicorn, postgres = the whole cluster):")
    for p in (*phases, copy):
        per = {k: v / p.records * 1e6 for k, v in p.cpu.items()}
        print(
            f"  {p.name:34} server {per.get('server', 0):5.1f}  postgres "
            f"{per.get('postgres', 0):5.1f}  client {per.get('client', 0):4.1f}"
        )
    ratios = {
        "first_sync_over_copy": first.rate / copy.rate,
        "unchanged_over_first": again.rate / first.rate,
        "changed_10pct_over_first": changed.rate / first.rate,
    }
    print("\nratios (targets: first/COPY >= 0.10, unchanged/first >= 2)")
    for name, value in ratios.items():
        print(f"  {name:28} {value:6.2f}")
    rss = [m for p in phases for m in p.rss_mb]
    tenth = max(1, len(rss) // 10)
    memory = {
        "after_first_batch_mb": rss[0],
        "max_mb": max(rss),
        "last_batch_mb": rss[-1],
        "growth_over_last_90pct_mb": rss[-1] - rss[tenth - 1],
        "batches": len(rss),
    }
    print(
        f"\nserver RSS over {len(rss)} batches: first {rss[0]:.0f} MB, max {max(rss):.0f} MB, "
        f"last {rss[-1]:.0f} MB (change after the first tenth of batches: "
        f"{memory['growth_over_last_90pct_mb']:+.0f} MB)"
    )
    result = {
        "people": first.records,
        "batch": BATCH,
        "concurrency": CONCURRENCY,
        "records_per_second": {p.name: round(p.rate) for p in (*phases, copy)},
        "copy_runs_rows_per_second": [round(copy.records / s) for s in copy_runs],
        "cpu_seconds": {
            p.name: {k: round(v, 2) for k, v in p.cpu.items()} for p in (*phases, copy)
        },
        "ratios": {k: round(v, 3) for k, v in ratios.items()},
        "server_rss_mb": [round(m, 1) for m in rss],
        "memory": {k: round(v, 1) for k, v in memory.items()},
    }
    out = REPO_ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "hris_sync.json").write_text(json.dumps(result, indent=2) + "\n")
    return result


def main() -> None:
    asyncio.run(run())


if __name__ == "__main__":
    main()

"""GraphQL at REST speed: requests per second of five endpoints in the same run, with wrk.

Through a real ``uvicorn`` server on loopback (one worker) and an embedded PostgreSQL with a fresh,
migrated database (``.data/bench``, or ``BENCH_DATABASE_URL``), all with the same officer's token:

1. ``GET /healthz`` (no authentication, no database): the ceiling of the stack;
2. ``GET /api/v1/me`` (authentication only);
3. GraphQL ``{ me { subject } }``;
4. GraphQL ``myDashboard`` with every field, of an officer whose baseline assessment is final
   (rated in full, reviewed and finalised by the supervisor) and whose development plan is in
   force (submitted and acknowledged by both), read again and again as a portal does: after
   the first, each answer is the kept one, checked as current (``app/api/graphql/answers.py``);
5. the same dashboard from a second server on the same database with the answer cache off
   (``THAKSA_GRAPHQL_ANSWER_CACHE=0``): computed every time, what a read right after a change
   costs. Reported, no target.

Targets (``docs/performance.md``): REST ``/me`` at least 0.4 of ``/healthz``; ``{ me }`` at least
0.6 of REST ``/me``; the full ``myDashboard`` at least 0.3 of REST ``/me``.

Load: ``wrk`` (``apt install wrk``) with ``BENCH_THREADS`` (1) threads and ``BENCH_CONNECTIONS``
(16) connections for ``BENCH_SECONDS`` (5) seconds per endpoint, the four endpoints one after
another, best of ``BENCH_ROUNDS`` (3) rounds after a warm-up round. wrk runs on the same machine,
so every figure includes its (small) cost. The server's pool holds one connection per wrk
connection (``THAKSA_DB_POOL_SIZE``). ``python -m bench graphql``.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import Any

import httpx

from app.services.platform.tokens import TokenService
from app.settings import REPO_ROOT, Settings
from bench.bench_hris_sync import _free_port, _prepare_database, _start_server, _wait_ready
from bench.bench_readiness import YEAR, _ok, _prepare, _rated

SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
THREADS = int(os.environ.get("BENCH_THREADS", "1"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
TARGETS = {"me_over_healthz": 0.4, "gql_me_over_me": 0.6, "dashboard_over_me": 0.3}

ME = "{ me { subject } }"
ASSESSMENT = """id personId fiscalYear kind status frameworkVersionId frameworkVersionLabel stage
  presentProfiles futureProfiles itemCount supervisorId openedBy openedAt submittedAt finalizedAt
  reopenedAt reopenReason version"""
READINESS = "key met required ratio"
SIGNATURE = "by at"
FINDING = "rule severity pointer messageEn messageTh seed params"
DASHBOARD = f"""query Dashboard($year: Int!) {{ myDashboard(fiscalYear: $year, topGaps: 5) {{
  personId nameTh fiscalYear stage groups presentProfiles futureProfiles
  latestAssessment {{ {ASSESSMENT} }}
  assessmentInProgress {{ {ASSESSMENT} }}
  readiness {{ target overall {{ {READINESS} }} byComponent {{ {READINESS} }}
    byDomain {{ {READINESS} }} byLearningDimension {{ {READINESS} }} }}
  topGaps {{ requirement {{ code component title {{ th en }} targets domain learningDimension
    items }} itemsNotMet unratedItems elementsNotMet }}
  pendingReviews {{ assessment {{ {ASSESSMENT} }} personNameTh }}
  currentPlan {{
    plan {{ id personId fiscalYear revision latestRevision revisedFrom state inForce personName
      position unit baselineAssessmentId
      items {{ id priority frameworkItems reason reasonNote target topic courseRef
        activities {{ id method plannedHours lectureShare description }}
        application period {{ quarters start end }} evaluationMethods }}
      submittedAt ownerAck {{ {SIGNATURE} }} supervisorAck {{ {SIGNATURE} }}
      evaluation {{ items {{ itemId outcome nextStep narrative suggestions }}
        ownerAck {{ {SIGNATURE} }} supervisorAck {{ {SIGNATURE} }} acknowledged }}
      relation allowedActions etag findings {{ {FINDING} }} evaluationFindings {{ {FINDING} }} }}
    progress {{ plannedHours actualHours buckets {{ bucket plannedHours actualHours
      plannedPercent actualPercent gapPoints }} }}
  }}
}} }}"""

PROPOSE = """mutation($p: ID!) { proposeGroupAssignment(personId: $p, fiscalYear: 2568,
  groups: [{group: TECHNOLOGIST}]) { id state } }"""
APPROVE = "mutation($id: ID!) { approveGroupAssignment(id: $id) { state } }"


def _item(priority: int, code: str, topic: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "priority": priority,
        "framework_items": [code],
        "reason": "gap",
        "topic": topic,
        "activities": [
            {"method": "on_the_job_training", "planned_hours": 28},
            {"method": "coaching", "planned_hours": 8},
            {"method": "classroom_training", "planned_hours": 4, "lecture_share": 50},
        ],
        "application": "งานบริการข้อมูลของกอง",
        "period": {"quarters": [1, 2]},
        "evaluation_methods": ["self", "supervisor"],
    }
    body.update(overrides)
    return body


PLAN_ITEMS = [
    _item(1, "DLit400", "การใช้เครื่องมือดิจิทัลในงาน"),
    _item(2, "DG100", "ธรรมาภิบาลข้อมูล"),
    _item(3, "K-F1", "กฎหมายดิจิทัล"),
    _item(4, "DTr200", "การเปลี่ยนผ่านสู่ดิจิทัล", target="future", period={"quarters": [3, 4]}),
]


async def organisation(client: httpx.AsyncClient, key: str) -> dict[str, str]:
    """An agency at the developing stage; a director > head > officer line; the officer a
    Technologist whose FY2568 baseline is final and whose plan is in force. The officer's
    headers."""
    tokens = TokenService(Settings())

    def auth(subject: str, *roles: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {tokens.mint(subject, list(roles), 'BENCH', 3600)}"}

    admin = {"Authorization": f"Bearer {tokens.mint('bench-admin', ['central_admin'], None, 3600)}"}
    tree = [{"code": "BENCH", "name_th": "หน่วยงานทดสอบ", "kind": "department"}]
    await _ok(client.post("/api/v1/agencies/bulk", json=tree, headers=admin))
    stage = {"stage": "developing", "announced_on": "2024-10-01"}
    await _ok(client.put(f"/api/v1/agencies/BENCH/stages/{YEAR}", json=stage, headers=admin))
    people = [
        {"external_id": "DIR", "first_name_th": "ผู้อำนวยการ", "last_name_th": "ทดสอบ",
         "agency": "BENCH", "subject": "bench-director"},
        {"external_id": "HEAD", "first_name_th": "หัวหน้า", "last_name_th": "ทดสอบ",
         "agency": "BENCH", "subject": "bench-head", "supervisor": "DIR"},
        {"external_id": "OFF", "first_name_th": "เจ้าหน้าที่", "last_name_th": "ทดสอบ",
         "agency": "BENCH", "subject": "bench-officer", "supervisor": "HEAD",
         "position_title": "นักวิชาการคอมพิวเตอร์"},
    ]  # fmt: skip
    body = await _ok(
        client.post("/api/v1/people/bulk?source=BENCH", json=people, headers={"X-API-Key": key})
    )
    ids = {r["external_id"]: r["id"] for r in body["results"]}
    director = auth("bench-director", "employee", "supervisor")
    head = auth("bench-head", "employee", "supervisor")
    officer = auth("bench-officer", "employee")
    propose = {"query": PROPOSE, "variables": {"p": ids["OFF"]}}
    proposal = await _ok(client.post("/graphql", json=propose, headers=head))
    proposed = proposal["data"]["proposeGroupAssignment"]
    if proposed["state"] != "APPROVED":
        approve = {"query": APPROVE, "variables": {"id": proposed["id"]}}
        await _ok(client.post("/graphql", json=approve, headers=director))
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
    review = [{"code": c, "value": "has" if i % 7 else "has_not"} for i, c in enumerate(codes)]
    await _ok(client.post(f"{one}/review", json={"ratings": review}, headers=head))
    await _ok(client.post(f"{one}/finalize", headers=head))
    plans = f"/api/v1/people/{ids['OFF']}/plans"
    plan = await _ok(
        client.post(
            plans,
            json={"fiscal_year": YEAR, "baseline_assessment_id": a["id"], "items": PLAN_ITEMS},
            headers=officer,
        )
    )
    for step, who in (("submit", officer), ("acknowledge", officer), ("acknowledge", head)):
        await _ok(client.post(f"{plans}/{plan['id']}/{step}", headers=who))
    return officer


def _lua(
    path: Path, method: str, headers: dict[str, str], body: str | None, *, check: bool
) -> None:
    lines = [f'wrk.method = "{method}"']
    for name, value in headers.items():
        lines.append(f'wrk.headers["{name}"] = "{value}"')
    if body is not None:
        lines.append(f"wrk.body = {json.dumps(body)}")
    if not check:
        path.write_text("\n".join(lines) + "\n")
        return
    # In the warm-up round a GraphQL error stops the run (the figures must be of successes);
    # in the measured rounds wrk reports any answer that is not 2xx.
    lines.append(
        "response = function(status, headers, body)\n"
        "  if status ~= 200 or string.find(body, '\"errors\"', 1, true) then\n"
        '    io.stderr:write("bad answer: " .. status .. " " .. body .. "\\n")\n'
        "    wrk.thread:stop()\n"
        "  end\n"
        "end"
    )
    path.write_text("\n".join(lines) + "\n")


def _wrk(url: str, script: Path) -> float:
    wrk = shutil.which("wrk") or "wrk"
    command = [wrk, f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "-s", str(script), url]
    out = subprocess.run(  # noqa: S603
        command,
        capture_output=True,
        text=True,
        check=True,
    )
    if "bad answer" in out.stderr or "Non-2xx" in out.stdout:
        raise RuntimeError(f"{url}: {out.stderr[:2000]} {out.stdout}")
    found = re.search(r"Requests/sec:\s+([\d.]+)", out.stdout)
    if found is None:
        raise RuntimeError(f"wrk said: {out.stdout} {out.stderr}")
    return float(found.group(1))


async def run() -> dict[str, Any]:
    if shutil.which("wrk") is None:
        raise SystemExit("bench graphql needs wrk on the PATH (apt install wrk)")
    url = await _prepare_database()
    key = await _prepare(url)
    port = _free_port()
    # one pooled connection per wrk connection: beyond the pool, QueuePool's overflow
    # connections are opened and closed again for every request (and lose their prepared
    # statements), which measures connection churn rather than the endpoints
    os.environ.setdefault("THAKSA_DB_POOL_SIZE", str(CONNECTIONS))
    server = _start_server(url, port)
    base = f"http://127.0.0.1:{port}"
    # the same service with the answer cache off: every dashboard computed (a dashboard read
    # right after a change to what it shows costs this)
    computing_port = _free_port()
    os.environ["THAKSA_GRAPHQL_ANSWER_CACHE"] = "0"
    try:
        computing = _start_server(url, computing_port)
    finally:
        del os.environ["THAKSA_GRAPHQL_ANSWER_CACHE"]
    computing_base = f"http://127.0.0.1:{computing_port}"
    try:
        async with httpx.AsyncClient(base_url=computing_base, timeout=60) as client:
            await _wait_ready(client)
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:
            await _wait_ready(client)
            officer = await organisation(client, key)
            dashboard = {"query": DASHBOARD, "variables": {"year": YEAR}}
            check = await _ok(client.post("/graphql", json=dashboard, headers=officer))
            shown = check["data"]["myDashboard"]
            assert shown["latestAssessment"]["status"] == "final", shown
            assert shown["currentPlan"]["plan"]["inForce"], shown
        json_headers = {**officer, "Content-Type": "application/json"}
        cases: dict[str, tuple[str, str, dict[str, str], str | None]] = {
            "healthz": ("/healthz", "GET", {}, None),
            "me": ("/api/v1/me", "GET", officer, None),
            "gql_me": ("/graphql", "POST", json_headers, json.dumps({"query": ME})),
            "dashboard": ("/graphql", "POST", json_headers, json.dumps(dashboard)),
            "dashboard_computed": ("/graphql", "POST", json_headers, json.dumps(dashboard)),
        }
        measured: dict[str, list[float]] = {name: [] for name in cases}
        with tempfile.TemporaryDirectory() as folder:
            scripts: dict[tuple[str, bool], Path] = {}
            for name, (_, method, headers, body) in cases.items():
                for check in (True, False):
                    script = Path(folder) / f"{name}-{uuid.uuid4().hex}.lua"
                    _lua(script, method, headers, body, check=check)
                    scripts[name, check] = script
            for round_ in range(ROUNDS + 1):
                for name, (path, *_) in cases.items():
                    script = scripts[name, round_ == 0]
                    host = computing_base if name == "dashboard_computed" else base
                    rate = await asyncio.to_thread(_wrk, host + path, script)
                    if round_:  # the first round warms up
                        measured[name].append(rate)
    finally:
        for process in (server, computing):
            process.terminate()
            process.wait(timeout=30)
    best = {name: max(rates) for name, rates in measured.items()}
    ratios = {
        "me_over_healthz": best["me"] / best["healthz"],
        "gql_me_over_me": best["gql_me"] / best["me"],
        "dashboard_over_me": best["dashboard"] / best["me"],
        "dashboard_computed_over_me": best["dashboard_computed"] / best["me"],
    }
    result = {
        "tool": "wrk",
        "threads": THREADS,
        "connections": CONNECTIONS,
        "seconds": SECONDS,
        "rounds": ROUNDS,
        "requests_per_second": {k: round(v) for k, v in best.items()},
        "all_rounds": {k: [round(r) for r in v] for k, v in measured.items()},
        "ratios": {k: round(v, 3) for k, v in ratios.items()},
        "targets": TARGETS,
    }
    print(
        f"GraphQL vs REST (uvicorn on loopback, one worker; wrk -t{THREADS} -c{CONNECTIONS} "
        f"-d{SECONDS}s, best of {ROUNDS})"
    )
    labels = {
        "healthz": "GET /healthz",
        "me": "GET /api/v1/me",
        "gql_me": "GraphQL { me { subject } }",
        "dashboard": "GraphQL myDashboard (all fields)",
        "dashboard_computed": "  the same, computed every time",
    }
    for name, label in labels.items():
        rounds = ", ".join(f"{r:,.0f}" for r in measured[name])
        print(f"  {label:34} {best[name]:8,.0f} requests/s   ({rounds})")
    for name, ratio in ratios.items():
        if name not in TARGETS:
            print(f"  {name:34} {ratio:8.3f}   (no target: the cost of a change)")
            continue
        verdict = "meets" if ratio >= TARGETS[name] else "MISSES"
        print(f"  {name:34} {ratio:8.3f}   ({verdict} the {TARGETS[name]} target)")
    out = REPO_ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "graphql.json").write_text(json.dumps(result, indent=2) + "\n")
    return result


def main() -> None:
    asyncio.run(run())


if __name__ == "__main__":
    main()

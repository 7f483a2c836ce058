"""The fault suite (``make faults``; ``make test`` runs only the kill during a people sync,
``tests/e2e/test_fault_kill.py``). Each scenario runs a real ``thaksa serve`` on its own
embedded PostgreSQL and is never restarted:

* PostgreSQL stopped (``pg_ctl stop -m fast``) and killed (SIGKILL to every process of the
  cluster) in the middle of a bulk people sync and of plan creation: 503 problem+json with
  ``Retry-After`` while it is down, ``/readyz`` not ready, recovery by itself, and the client's
  retries with the same ``Idempotency-Key`` end with exactly what it sent, each once;
* a read-only database (``default_transaction_read_only``) and a full disk (a table on a 1 MB
  tmpfs tablespace; needs root to mount it, skipped otherwise): writes get 503 with
  ``Retry-After``, reads keep working, and writes work again once the fault is gone.

* PostgreSQL stopped and killed in the middle of an e-learning provider's batches of xAPI
  statements (``POST /xapi``, each statement with its own id, retried as the same batch): the
  same clean 503s, with the xAPI version header, and every statement id stored once, every
  completion about a person a learning record once.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.faults.harness import admin_headers, serving
from tests.faults.scenarios import (
    AGENCY,
    Fault,
    assert_exactly_once,
    assert_xapi_answers,
    kill,
    people_sync,
    plan_creation,
    statement_batches,
    stop,
)

pytestmark = pytest.mark.skipif(
    not os.environ.get("THAKSA_FAULTS"), reason="the fault suite runs with `make faults`"
)

FAULTS: dict[str, Fault] = {"stopped": stop, "killed": kill}


@pytest.mark.parametrize("fault", list(FAULTS))
async def test_people_sync_through_postgres(tmp_path: Path, fault: str) -> None:
    with serving(tmp_path / "data", THAKSA_LOAD_SEED_ON_START="false") as (base, pg):
        outcome = await people_sync(base, pg, FAULTS[fault], batches=10, per_batch=500)
    print(fault, outcome.seen.statuses, outcome.seen.tries, outcome.seen.replayed)
    assert_exactly_once(outcome)


@pytest.mark.parametrize("fault", list(FAULTS))
async def test_plan_creation_through_postgres(tmp_path: Path, fault: str) -> None:
    with serving(tmp_path / "data", THAKSA_DEMO_PEOPLE="40") as (base, pg):
        outcome = await plan_creation(base, pg, FAULTS[fault])
    print(fault, outcome.seen.statuses, outcome.seen.tries, outcome.seen.replayed)
    assert_exactly_once(outcome)


@pytest.mark.parametrize("fault", list(FAULTS))
async def test_statement_batches_through_postgres(tmp_path: Path, fault: str) -> None:
    with serving(tmp_path / "data", THAKSA_DEMO_PEOPLE="40") as (base, pg):
        outcome = await statement_batches(base, pg, FAULTS[fault], batches=10, per_batch=500)
    seen = outcome.seen
    print(fault, seen.statuses, seen.tries, seen.transport_errors, outcome.stored, outcome.also)
    assert_exactly_once(outcome, answered_as="stored")
    assert_xapi_answers(outcome)
    assert outcome.also["learning records"][0] > 0  # (the completions were about people)


def _write(base: str, n: int) -> httpx.Response:
    tree = [{"code": f"{AGENCY}-{n}", "name_th": "หน่วยงานทดสอบ", "kind": "department"}]
    return httpx.post(f"{base}/api/v1/agencies/bulk", json=tree, headers=admin_headers())


def _unavailable(response: httpx.Response, reason: str) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert int(response.headers["retry-after"]) > 0
    assert reason in response.json()["detail"], response.json()


def test_a_read_only_database_gets_clean_answers(tmp_path: Path) -> None:
    with serving(tmp_path / "data", THAKSA_LOAD_SEED_ON_START="false") as (base, pg):
        assert _write(base, 1).status_code == 200
        pg.sql("ALTER SYSTEM SET default_transaction_read_only = on", "postgres")
        pg.sql("SELECT pg_reload_conf()", "postgres")
        # pooled connections keep their session setting: a fresh one reads the new default
        for n in range(2, 30):
            answer = _write(base, n)
            if answer.status_code == 503:
                break
        _unavailable(answer, "read-only")
        assert httpx.get(f"{base}/api/v1/agencies", headers=admin_headers()).status_code == 200
        pg.sql("ALTER SYSTEM RESET default_transaction_read_only", "postgres")
        pg.sql("SELECT pg_reload_conf()", "postgres")
        written = [_write(base, 100 + n).status_code for n in range(30)]
        assert written[-1] == 200, written
        assert 500 not in written


def test_a_full_disk_gets_clean_answers(tmp_path: Path) -> None:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tiny tmpfs needs root")
    tiny = tmp_path / "tiny"
    tiny.mkdir()
    mounted = subprocess.run(  # noqa: S603
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(tiny)],  # noqa: S607
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr!r}")
    try:
        with serving(tmp_path / "data", THAKSA_LOAD_SEED_ON_START="false") as (base, pg):
            os.chown(tiny, pg.pgdata.stat().st_uid, pg.pgdata.stat().st_gid)
            pg.sql(f"CREATE TABLESPACE tiny LOCATION '{tiny}'", "postgres")
            pg.sql("ALTER TABLE audit_event SET TABLESPACE tiny")
            headers = {**admin_headers(), "Content-Type": "application/json"}
            answers = []
            for attempt in range(30):  # every record renamed each time: audited each time
                body = json.dumps(
                    [
                        {
                            "code": f"{AGENCY}-{n}",
                            "name_th": f"หน่วยงานที่ {n} รอบที่ {attempt} " * 5,
                            "kind": "department",
                        }
                        for n in range(2000)
                    ],
                    ensure_ascii=False,
                )
                answer = httpx.post(
                    f"{base}/api/v1/agencies/bulk", content=body, headers=headers, timeout=120
                )
                answers.append(answer.status_code)
                if answer.status_code == 503:
                    break
            assert 500 not in answers, answers
            _unavailable(answer, "out of disk")
            assert httpx.get(f"{base}/readyz").status_code == 200  # it still reads
            pg.sql("ALTER TABLE audit_event SET TABLESPACE pg_default")
            small = [{"code": "AFTER-DISK", "name_th": "หน่วยงาน", "kind": "department"}]
            after = httpx.post(f"{base}/api/v1/agencies/bulk", json=small, headers=headers)
            assert after.status_code == 200, after.text
    finally:
        umount = ["umount", "-l", str(tiny)]
        subprocess.run(umount, capture_output=True, check=False)  # noqa: S603

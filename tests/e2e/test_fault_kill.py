"""PostgreSQL killed with SIGKILL in the middle of a bulk people sync, under a real ``thaksa
serve``: while it is down the service answers 503 problem+json with ``Retry-After`` and
``/readyz`` says not ready; it recovers without a restart; the client's retries with the same
``Idempotency-Key`` end with exactly the records it sent, each once. (The whole fault suite is
``make faults``, ``tests/faults``.)"""

from __future__ import annotations

from pathlib import Path

from tests.faults.harness import serving
from tests.faults.scenarios import assert_exactly_once, kill, people_sync


async def test_killing_postgres_during_a_sync_loses_and_duplicates_nothing(
    tmp_path: Path,
) -> None:
    with serving(tmp_path / "data", THAKSA_LOAD_SEED_ON_START="false") as (base, pg):
        outcome = await people_sync(base, pg, kill, batches=6, per_batch=300)
    print(outcome)
    assert_exactly_once(outcome)

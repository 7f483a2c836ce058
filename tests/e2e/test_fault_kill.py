"""PostgreSQL killed with SIGKILL in the middle of a bulk people sync, then again in the middle of
an e-learning provider's xAPI statement batches, under a real ``thaksa serve``: while it is down
the service answers 503 problem+json with ``Retry-After`` (the LRS with its version header too)
and ``/readyz`` says not ready; it recovers without a restart; the client's retries (the same
``Idempotency-Key``; the same batch of statement ids) end with exactly what it sent, each once.
(The whole fault suite is ``make faults``, ``tests/faults``.)"""

from __future__ import annotations

from pathlib import Path

from tests.faults.harness import serving
from tests.faults.scenarios import (
    assert_exactly_once,
    assert_xapi_answers,
    kill,
    people_sync,
    statement_batches,
)


async def test_killing_postgres_during_a_sync_loses_and_duplicates_nothing(
    tmp_path: Path,
) -> None:
    with serving(tmp_path / "data", THAKSA_LOAD_SEED_ON_START="false") as (base, pg):
        outcome = await people_sync(base, pg, kill, batches=6, per_batch=300)
        statements = await statement_batches(
            base, pg, kill, batches=3, per_batch=200, strike_after=1
        )
    print(outcome)
    print(statements)
    assert_exactly_once(outcome)
    assert_exactly_once(statements, answered_as="stored")
    assert_xapi_answers(statements)

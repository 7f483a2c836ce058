"""The rate limiter shared through PostgreSQL: two limiters (two workers, or two hosts) on one
database hold one allowance per credential, even when their hits race."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.db.engine import create_engine
from app.domain.errors import RateLimited
from app.services.platform.ratelimit import RateLimiter


async def _allowed(limiter: RateLimiter, key: str) -> bool:
    try:
        await limiter.hit(key)
    except RateLimited as exc:
        retry_after = int(exc.extensions["retry_after"])
    else:
        return True
    assert retry_after >= 1
    return False


async def test_two_limiters_on_one_database_share_one_allowance(database_url: str) -> None:
    # two engines, as two worker processes have
    engines = [create_engine(database_url, pool_size=5) for _ in range(2)]
    try:
        first, second = (RateLimiter(5, engine=e) for e in engines)
        key = f"user:{uuid.uuid4()}"
        answers = [await _allowed(first if i % 2 else second, key) for i in range(12)]
        assert answers == [True] * 5 + [False] * 7
        # another credential has its own allowance
        assert await _allowed(first, f"user:{uuid.uuid4()}")
    finally:
        for e in engines:
            await e.dispose()


async def test_racing_hits_never_exceed_the_limit(database_url: str) -> None:
    engines = [create_engine(database_url, pool_size=10) for _ in range(2)]
    try:
        limiters = [RateLimiter(7, engine=e) for e in engines]
        key = f"client:{uuid.uuid4()}"
        answers = await asyncio.gather(*(_allowed(limiters[i % 2], key) for i in range(30)))
        assert sum(answers) == 7
    finally:
        for e in engines:
            await e.dispose()


async def test_a_bucket_refills_at_the_rate_a_minute(engine: AsyncEngine) -> None:
    limiter = RateLimiter(60, engine=engine)  # one a second
    key = f"user:{uuid.uuid4()}"
    async with engine.begin() as conn:  # spent, one and a half seconds ago
        await conn.execute(
            text(
                "INSERT INTO rate_limit_bucket (key, tokens, stamp, taken)"
                " VALUES (:key, 0, clock_timestamp() - interval '1.5 seconds', 0)"
            ),
            {"key": key},
        )
    assert await _allowed(limiter, key)  # 1.5 tokens refilled, one taken
    assert not await _allowed(limiter, key)  # half a token left


@pytest.mark.parametrize("per_minute", [0, -1])
async def test_no_limit_touches_nothing(engine: AsyncEngine, per_minute: int) -> None:
    key = f"user:{uuid.uuid4()}"
    limiter = RateLimiter(per_minute, engine=engine)
    for _ in range(3):
        await limiter.hit(key)
    async with engine.connect() as conn:
        rows = await conn.scalar(
            text("SELECT count(*) FROM rate_limit_bucket WHERE key = :k"), {"k": key}
        )
    assert rows == 0


async def test_a_high_limit_takes_tokens_ahead_and_never_exceeds_the_limit(
    database_url: str,
) -> None:
    engines = [create_engine(database_url, pool_size=5) for _ in range(2)]
    try:
        limiters = [RateLimiter(600, engine=e) for e in engines]  # 10 a second: leases of 10
        key = f"client:{uuid.uuid4()}"
        started = time.monotonic()
        answers = [await _allowed(limiters[i % 2], key) for i in range(700)]
        elapsed = time.monotonic() - started
        async with engines[0].connect() as conn:
            left = await conn.scalar(
                text("SELECT tokens FROM rate_limit_bucket WHERE key = :k"), {"k": key}
            )
    finally:
        for e in engines:
            await e.dispose()
    # never more than the burst and what refilled meanwhile; at most a lease a worker less
    assert sum(answers) <= 600 + 10 * (elapsed + 1)
    assert sum(answers) >= 600 - 2 * 10
    assert answers[-1] is False
    assert left < 1

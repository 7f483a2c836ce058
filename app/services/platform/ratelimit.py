"""A per-credential token bucket: N requests a minute, in bursts of up to N.

With an engine (what the server uses) the buckets live in PostgreSQL (``rate_limit_bucket``), so
the limit holds across workers and hosts: a hit is one atomic upsert that refills the bucket for
the time since its last hit, takes a token when there is one and says whether it did. It runs on
its own autocommitted connection, not in the request's transaction, so that a long request does
not hold the bucket's row lock. Without an engine the buckets live in this process (one worker).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.domain.errors import RateLimited

# Refill for the time since the last hit (database clock, so every host agrees), capped at the
# burst; take one token when a whole one is there. ``allowed`` records which it was.
HIT = text(
    """
    INSERT INTO rate_limit_bucket AS b (key, tokens, stamp, allowed)
    VALUES (:key, :burst - 1, clock_timestamp(), true)
    ON CONFLICT (key) DO UPDATE SET
        tokens = LEAST(:burst, b.tokens
                 + EXTRACT(EPOCH FROM clock_timestamp() - b.stamp)::float8 * :rate)
               - CASE WHEN LEAST(:burst, b.tokens
                        + EXTRACT(EPOCH FROM clock_timestamp() - b.stamp)::float8 * :rate) >= 1
                      THEN 1 ELSE 0 END,
        stamp = clock_timestamp(),
        allowed = LEAST(:burst, b.tokens
                  + EXTRACT(EPOCH FROM clock_timestamp() - b.stamp)::float8 * :rate) >= 1
    RETURNING allowed, tokens
    """
)
# A bucket idle for a minute is full again: its row says nothing a missing row does not.
FORGET_IDLE = text(
    "DELETE FROM rate_limit_bucket WHERE stamp < clock_timestamp() - interval '61 seconds'"
)
FORGET_EVERY = 1000  # hits, on average, between two clean-ups (per process)


@dataclass
class _Bucket:
    tokens: float
    stamp: float


class RateLimiter:
    def __init__(
        self, per_minute: int, *, engine: AsyncEngine | None = None, max_keys: int = 100_000
    ) -> None:
        self.per_minute = per_minute
        self.shared = engine is not None
        self._engine = engine.execution_options(isolation_level="AUTOCOMMIT") if engine else None
        self._buckets: dict[str, _Bucket] = {}
        self._max_keys = max_keys

    async def hit(self, key: str) -> None:
        """Count one request of ``key``; RateLimited (with ``retry_after``) when over."""
        if self.per_minute <= 0:
            return
        if self._engine is None:
            allowed, tokens = self._hit_here(key)
        else:
            allowed, tokens = await self._hit_shared(key)
        if not allowed:
            rate = self.per_minute / 60.0
            retry_after = max(1, int((1.0 - tokens) / rate) + 1)
            raise RateLimited(
                f"more than {self.per_minute} requests a minute; retry after {retry_after} s",
                retry_after=retry_after,
            )

    async def _hit_shared(self, key: str) -> tuple[bool, float]:
        assert self._engine is not None
        params = {"key": key, "burst": float(self.per_minute), "rate": self.per_minute / 60.0}
        async with self._engine.connect() as conn:
            row = (await conn.execute(HIT, params)).one()
            if random.random() < 1 / FORGET_EVERY:  # noqa: S311 (not a secret)
                await conn.execute(FORGET_IDLE)
        return bool(row.allowed), float(row.tokens)

    def _hit_here(self, key: str) -> tuple[bool, float]:
        now = time.monotonic()
        rate = self.per_minute / 60.0
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= self._max_keys:
                self._buckets.clear()
            bucket = self._buckets[key] = _Bucket(tokens=float(self.per_minute), stamp=now)
        bucket.tokens = min(float(self.per_minute), bucket.tokens + (now - bucket.stamp) * rate)
        bucket.stamp = now
        if bucket.tokens < 1.0:
            return False, bucket.tokens
        bucket.tokens -= 1.0
        return True, bucket.tokens

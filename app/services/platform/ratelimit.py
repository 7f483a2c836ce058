"""A per-credential token bucket: N requests a minute, in bursts of up to N.

With an engine (what the server uses) the buckets live in PostgreSQL (``rate_limit_bucket``), so
the limit holds across workers and hosts: a hit is one atomic upsert that refills the bucket for
the time since its last hit, takes tokens when there are some and says how many it took. It runs
on its own autocommitted connection, not in the request's transaction, so that a long request
does not hold the bucket's row lock.

A limit above 60 a minute takes up to a second's worth of tokens at once (at most 50) and spends
them in this process for up to a second, so that a busy credential costs one round trip a
second, not one a request. Tokens taken are never given back: the limit is never exceeded,
and a credential spread over W workers may get up to W leases fewer in a burst. A limit of 60
or less takes one token a request (exact).

Without an engine the buckets live in this process (one worker).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.domain.errors import RateLimited

# Refill for the time since the last hit (database clock, so every host agrees), capped at the
# burst; take up to :want whole tokens, as many as there are. ``taken`` records how many.
_REFILLED = (
    "LEAST(:burst, b.tokens + EXTRACT(EPOCH FROM clock_timestamp() - b.stamp)::float8 * :rate)"
)
HIT = text(
    f"""
    INSERT INTO rate_limit_bucket AS b (key, tokens, stamp, taken)
    VALUES (:key, :burst - LEAST(:want, FLOOR(:burst)), clock_timestamp(),
            LEAST(:want, FLOOR(:burst)))
    ON CONFLICT (key) DO UPDATE SET
        tokens = {_REFILLED} - LEAST(:want, FLOOR({_REFILLED})),
        stamp = clock_timestamp(),
        taken = LEAST(:want, FLOOR({_REFILLED}))
    RETURNING taken, tokens
    """  # noqa: S608 (no input in the text: every value is a bound parameter)
)
# A bucket idle for a minute is full again: its row says nothing a missing row does not.
FORGET_IDLE = text(
    "DELETE FROM rate_limit_bucket WHERE stamp < clock_timestamp() - interval '61 seconds'"
)
FORGET_EVERY = 1000  # hits, on average, between two clean-ups (per process)


LEASE_SECONDS = 1.0  # tokens taken ahead are used within this, or given up


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
        self._leases: dict[str, tuple[int, float]] = {}  # key -> (tokens left, taken at)
        self._lease = max(1, min(50, per_minute // 60))
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
        now = time.monotonic()
        left, taken_at = self._leases.get(key, (0, 0.0))
        if left > 0 and now - taken_at < LEASE_SECONDS:
            self._leases[key] = (left - 1, taken_at)
            return True, float(left - 1)
        params = {
            "key": key,
            "burst": float(self.per_minute),
            "rate": self.per_minute / 60.0,
            "want": self._lease,
        }
        async with self._engine.connect() as conn:
            row = (await conn.execute(HIT, params)).one()
            if random.random() < 1 / FORGET_EVERY:  # noqa: S311 (not a secret)
                await conn.execute(FORGET_IDLE)
        taken = int(row.taken)
        if taken > 1:
            if len(self._leases) >= self._max_keys:
                self._leases.clear()
            self._leases[key] = (taken - 1, now)
        else:
            self._leases.pop(key, None)
        return taken > 0, float(row.tokens)

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

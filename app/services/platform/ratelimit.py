"""A per-credential token bucket, in process. Behind several workers put the limit in the proxy."""

from __future__ import annotations

import time
from dataclasses import dataclass

from app.domain.errors import RateLimited


@dataclass
class _Bucket:
    tokens: float
    stamp: float


class RateLimiter:
    def __init__(self, per_minute: int, *, max_keys: int = 100_000) -> None:
        self.per_minute = per_minute
        self._buckets: dict[str, _Bucket] = {}
        self._max_keys = max_keys

    def hit(self, key: str) -> None:
        if self.per_minute <= 0:
            return
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
            retry_after = max(1, int((1.0 - bucket.tokens) / rate) + 1)
            raise RateLimited(
                f"more than {self.per_minute} requests a minute; retry after {retry_after} s",
                retry_after=retry_after,
            )
        bucket.tokens -= 1.0

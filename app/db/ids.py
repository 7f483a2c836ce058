"""Time-ordered UUIDs (version 7 layout) for rows created in bulk.

A random UUID lands anywhere in the primary key's b-tree; a time-ordered one lands at its right
edge, which keeps bulk inserts into large tables cheap.
"""

from __future__ import annotations

import os
import time
import uuid


def time_ordered_id() -> uuid.UUID:
    millis = time.time_ns() // 1_000_000
    value = (millis & 0xFFFF_FFFF_FFFF) << 80 | int.from_bytes(os.urandom(10), "big")
    value = (value & ~(0xF << 76)) | (0x7 << 76)  # version 7
    value = (value & ~(0x3 << 62)) | (0x2 << 62)  # RFC 4122 variant
    return uuid.UUID(int=value)


def time_ordered_ids(count: int) -> list[uuid.UUID]:
    """``count`` new ids of the same millisecond, in ascending order, from one read of the
    random source (a bulk write names thousands of new rows at once)."""
    millis = (time.time_ns() // 1_000_000) & 0xFFFF_FFFF_FFFF
    noise = os.urandom(10 * count)
    high = millis << 80 | 0x7 << 76  # version 7
    values = sorted(
        high
        | (int.from_bytes(noise[i : i + 10], "big") & ~(0xF << 76) & ~(0x3 << 62))
        | 0x2 << 62  # RFC 4122 variant
        for i in range(0, 10 * count, 10)
    )
    return [uuid.UUID(int=v) for v in values]

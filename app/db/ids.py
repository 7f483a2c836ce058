"""Time-ordered UUIDs (version 7 layout) for rows created in bulk.

A random UUID lands anywhere in the primary key's b-tree; a time-ordered one lands at its right
edge, which keeps bulk inserts into large tables cheap.
"""

from __future__ import annotations

import os
import time
import uuid

from asyncpg.pgproto.pgproto import UUID as _DriverUUID

# Per id, the 10 bytes after the 48-bit millisecond: the version nibble (7) in the first byte,
# the RFC 4122 variant (binary 10) in the third; the rest random.
_KEEP = bytes([0x0F, 0xFF, 0x3F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
_SET = bytes([0x70, 0x00, 0x80, 0, 0, 0, 0, 0, 0, 0])


def time_ordered_id() -> uuid.UUID:
    millis = time.time_ns() // 1_000_000
    value = (millis & 0xFFFF_FFFF_FFFF) << 80 | int.from_bytes(os.urandom(10), "big")
    value = (value & ~(0xF << 76)) | (0x7 << 76)  # version 7
    value = (value & ~(0x3 << 62)) | (0x2 << 62)  # RFC 4122 variant
    return uuid.UUID(int=value)


def time_ordered_ids(count: int) -> list[uuid.UUID]:
    """``count`` new ids of the same millisecond, in ascending order, from one read of the
    random source (a bulk write names thousands of new rows at once).

    The bits are set for all of them at once, on one big integer, and the ids are the driver's
    own UUID type (a ``uuid.UUID`` that is built and printed several times faster): a bulk sync
    makes and prints thousands of them per request."""
    if count <= 0:
        return []
    millis = (time.time_ns() // 1_000_000) & 0xFFFF_FFFF_FFFF
    prefix = millis.to_bytes(6, "big")
    size = 10 * count
    noise = int.from_bytes(os.urandom(size), "big")
    tails = (
        noise & int.from_bytes(_KEEP * count, "big") | int.from_bytes(_SET * count, "big")
    ).to_bytes(size, "big")
    ordered = sorted(prefix + tails[i : i + 10] for i in range(0, size, 10))
    return [_DriverUUID(raw) for raw in ordered]

"""Time-ordered ids for bulk-created rows: version 7, RFC 4122 variant, ascending, unique."""

from __future__ import annotations

import itertools
import time
import uuid

from hypothesis import given
from hypothesis import strategies as st

from app.db.ids import time_ordered_id, time_ordered_ids


@given(st.integers(min_value=0, max_value=2000))
def test_a_batch_of_ids_is_version_7_ascending_and_unique(count: int) -> None:
    before = time.time_ns() // 1_000_000
    ids = time_ordered_ids(count)
    after = time.time_ns() // 1_000_000
    assert len(ids) == count
    assert ids == sorted(ids)
    assert len(set(ids)) == count
    for value in ids:
        assert isinstance(value, uuid.UUID)
        assert value.version == 7
        assert value.variant == uuid.RFC_4122
        assert before <= value.int >> 80 <= after
        # The same id however it is printed and read back.
        assert uuid.UUID(str(value)) == value
        assert str(uuid.UUID(bytes=value.bytes)) == str(value)


def test_ids_of_a_later_batch_sort_after_an_earlier_one() -> None:
    first = time_ordered_ids(3)
    time.sleep(0.002)
    later = time_ordered_ids(3)
    assert max(first) < min(later)


def test_a_single_id_has_the_same_layout() -> None:
    value = time_ordered_id()
    assert value.version == 7
    assert value.variant == uuid.RFC_4122


def test_the_random_part_varies() -> None:
    ids = time_ordered_ids(200)
    # 74 random bits per id: some of every one of them differ across 200 ids.
    differing = 0
    for a, b in itertools.pairwise(ids):
        differing |= (a.int ^ b.int) & ((1 << 80) - 1)
    random_bits = ((1 << 80) - 1) & ~(0xF << 76) & ~(0x3 << 62)
    assert differing == random_bits

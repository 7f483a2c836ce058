"""Pages of a list read whole (app/services/platform/pagination.py): every row once, in order,
a null cursor on the last page, and a row removed between pages shifts nothing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.errors import ValidationFailed
from app.services.platform.pagination import encode_cursor, page


def _key(row: int) -> tuple[int]:
    return (row,)


def _walk(rows: list[int], limit: int, *, removed_after_first: int | None = None) -> list[int]:
    seen: list[int] = []
    cursor = None
    while True:
        found = page(rows, _key, name="rows", limit=limit, cursor=cursor)
        assert len(found.items) <= limit
        seen.extend(found.items)
        if found.next_cursor is None:
            return seen
        if removed_after_first is not None:
            rows = [r for r in rows if r != removed_after_first]
        cursor = found.next_cursor


@given(st.sets(st.integers(-1000, 1000)), st.integers(1, 7))
def test_every_row_comes_once_in_key_order_and_the_last_page_has_no_cursor(
    rows: set[int], limit: int
) -> None:
    assert _walk(list(rows), limit) == sorted(rows)


@given(st.sets(st.integers(0, 100), min_size=3), st.integers(1, 3), st.data())
def test_a_row_removed_between_pages_skips_nothing_else(
    rows: set[int], limit: int, data: st.DataObject
) -> None:
    gone = data.draw(st.sampled_from(sorted(rows)))
    seen = _walk(list(rows), limit, removed_after_first=gone)
    assert [r for r in seen if r != gone] == sorted(rows - {gone})
    assert len(seen) == len(set(seen))


@pytest.mark.parametrize(
    "cursor",
    [
        encode_cursor({"list": "other", "after": [1]}),
        encode_cursor({"list": "rows", "after": "1"}),
        encode_cursor({"list": "rows", "after": ["a"]}),
        "not-a-cursor",
    ],
)
def test_a_cursor_of_another_list_or_shape_is_refused(cursor: str) -> None:
    with pytest.raises(ValidationFailed):
        page([1, 2, 3], _key, name="rows", limit=1, cursor=cursor)

"""Opaque cursors for keyset pagination."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from app.domain.errors import FieldError, ValidationFailed

T = TypeVar("T")


def encode_cursor(values: dict[str, Any]) -> str:
    raw = json.dumps(values, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> dict[str, Any] | None:
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, UnicodeDecodeError):
        value = None
    if not isinstance(value, dict):
        raise ValidationFailed(
            [FieldError("cursor", "cursor", "the cursor is not one this API issued")]
        )
    return value


Key = tuple[int | str, ...]


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None  # None on the last page


def page(
    rows: Iterable[T], key: Callable[[T], Key], *, name: str, limit: int, cursor: str | None
) -> Page[T]:
    """One page of a list read whole (a person's, a plan's or an agency's records), in the order
    of ``key`` (unique per row): the rows after the cursor's key, so that a row added or removed
    meanwhile shifts nothing. ``name`` ties a cursor to its list."""
    ordered = sorted(rows, key=key)
    after = decode_cursor(cursor)
    if after is not None:
        last = after.get("after")
        if after.get("list") != name or not isinstance(last, list):
            raise ValidationFailed(
                [FieldError("cursor", "cursor", "the cursor is not one this list issued")]
            )
        try:
            ordered = [r for r in ordered if key(r) > tuple(last)]
        except TypeError:
            raise ValidationFailed(
                [FieldError("cursor", "cursor", "the cursor is not one this list issued")]
            ) from None
    chosen = ordered[:limit]
    more = len(ordered) > limit
    return Page(
        chosen,
        encode_cursor({"list": name, "after": list(key(chosen[-1]))}) if more else None,
    )

"""Opaque cursors for keyset pagination.

A cursor is read back strictly: it must decode to an object with exactly the members its list
issues, of their types (whole numbers within PostgreSQL's ``bigint``), so a forged or damaged
cursor is a 422 naming the ``cursor`` parameter, never a database error.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from app.domain.errors import FieldError, ValidationFailed
from app.domain.limits import INT8_MAX

MAX_CURSOR_LENGTH = 1024

T = TypeVar("T")


def encode_cursor(values: dict[str, Any]) -> str:
    raw = json.dumps(values, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def invalid_cursor(message: str = "the cursor is not one this API issued") -> ValidationFailed:
    return ValidationFailed([FieldError.for_parameter("cursor", "query", "cursor", message)])


def _fits(value: object, kind: type) -> bool:
    if kind is int:
        return type(value) is int and 0 <= value <= INT8_MAX
    return type(value) is kind


def decode_cursor(cursor: str | None, **members: type) -> dict[str, Any] | None:
    """The values of a cursor issued with exactly ``members`` (name=type), or 422."""
    if not cursor:
        return None
    value: object = None
    if len(cursor) <= MAX_CURSOR_LENGTH:
        try:
            padded = cursor + "=" * (-len(cursor) % 4)
            value = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        except (ValueError, UnicodeError, binascii.Error, RecursionError):
            value = None
    if (
        not isinstance(value, dict)
        or value.keys() != members.keys()
        or not all(_fits(value[name], kind) for name, kind in members.items())
    ):
        raise invalid_cursor()
    return value


Key = tuple[int | str, ...]


def _key_part(value: object) -> bool:
    """A part of a row's key as ``page`` issues it: text, or a whole number within ``bigint``."""
    return type(value) is str or (type(value) is int and -INT8_MAX - 1 <= value <= INT8_MAX)


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
    after = decode_cursor(cursor, list=str, after=list)
    if after is not None:
        last = after["after"]
        if after["list"] != name or not all(_key_part(v) for v in last):
            raise invalid_cursor("the cursor is not one this list issued")
        try:
            ordered = [r for r in ordered if key(r) > tuple(last)]
        except TypeError:
            raise invalid_cursor("the cursor is not one this list issued") from None
    chosen = ordered[:limit]
    more = len(ordered) > limit
    return Page(
        chosen,
        encode_cursor({"list": name, "after": list(key(chosen[-1]))}) if more else None,
    )

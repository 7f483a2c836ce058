"""Opaque cursors for keyset pagination.

A cursor is read back strictly: it must decode to an object with exactly the members its list
issues, of their types (whole numbers within PostgreSQL's ``bigint``), so a forged or damaged
cursor is a 422 naming the ``cursor`` parameter, never a database error.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from app.domain.errors import FieldError, ValidationFailed
from app.domain.limits import INT8_MAX

MAX_CURSOR_LENGTH = 1024


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

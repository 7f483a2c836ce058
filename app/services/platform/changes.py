"""Opaque cursors over the change order of a table (see app/db/repositories/platform/changes.py)."""

from __future__ import annotations

from app.domain.errors import FieldError, ValidationFailed
from app.services.platform.pagination import decode_cursor, encode_cursor


def encode_position(kind: str, xid: int, seq: int) -> str:
    return encode_cursor({"k": kind, "x": xid, "s": seq})


def decode_position(kind: str, cursor: str | None) -> tuple[int, int] | None:
    values = decode_cursor(cursor)
    if values is None:
        return None
    x, s = values.get("x"), values.get("s")
    if values.get("k") != kind or not isinstance(x, int) or not isinstance(s, int):
        raise ValidationFailed(
            [FieldError("cursor", "cursor", "the cursor is not one this list issued")]
        )
    return x, s

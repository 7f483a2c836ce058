"""Opaque cursors over the change order of a table (see app/db/repositories/platform/changes.py)."""

from __future__ import annotations

from app.services.platform.pagination import decode_cursor, encode_cursor, invalid_cursor


def encode_position(kind: str, xid: int, seq: int) -> str:
    return encode_cursor({"k": kind, "x": xid, "s": seq})


def decode_position(kind: str, cursor: str | None) -> tuple[int, int] | None:
    values = decode_cursor(cursor, k=str, x=int, s=int)
    if values is None:
        return None
    if values["k"] != kind:
        raise invalid_cursor("the cursor is not one this list issued")
    return values["x"], values["s"]

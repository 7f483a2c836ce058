"""A stable fingerprint of a record's content: equal content, equal fingerprint.

A re-sync compares fingerprints to skip unchanged records without touching their rows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date

_SEPARATOR = "\x1f"  # never part of normalised text input
NONE, TRUE, FALSE = "\x00", "\x01", "\x02"


def _plain(value: object) -> str:
    if value is None:
        return NONE
    if value is True:
        return TRUE
    if value is False:
        return FALSE
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def fingerprint(values: Sequence[object]) -> bytes:
    """16-byte BLAKE2b of the values in order (None, str, bool, date and enum values)."""
    payload = _SEPARATOR.join([v if v.__class__ is str else _plain(v) for v in values])
    return hashlib.blake2b(payload.encode(), digest_size=16).digest()

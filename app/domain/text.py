"""Thai text handling: NFC normalisation and forms used for matching."""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def nfc(text: str) -> str:
    """NFC-normalise and trim; every text input passes through here."""
    return unicodedata.normalize("NFC", text).strip()


def search_key(text: str) -> str:
    """A form for substring matching: NFC, case-folded, Thai digits as Arabic, no whitespace.

    Thai writes no spaces between words, and the seeds insert stray ones inside words, so
    matching ignores whitespace altogether.
    """
    folded = unicodedata.normalize("NFC", text).casefold().translate(_THAI_DIGITS)
    # Removing a space can bring combining marks together; normalise again so that the key of a
    # key is the key itself.
    return unicodedata.normalize("NFC", _SPACE.sub("", folded))

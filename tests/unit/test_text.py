from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from app.domain.text import nfc, search_key


def test_search_key_ignores_spaces_case_and_thai_digits() -> None:
    assert search_key(" สถาปัตยกรรม องค์กร ") == search_key("สถาปัตยกรรมองค์กร")
    assert search_key("Enterprise  Architecture") == "enterprisearchitecture"
    assert search_key("ปี ๒๕๖๘") == "ปี2568"


def test_nfc_composes_sara_am() -> None:
    decomposed = "\u0e01\u0e4d\u0e32"  # nikhahit + sara aa, NFC keeps Thai as is
    assert nfc(decomposed) == unicodedata.normalize("NFC", decomposed)
    assert nfc("  e\u0301  ") == "\u00e9"


@given(st.text())
def test_search_key_is_idempotent(text: str) -> None:
    assert search_key(search_key(text)) == search_key(text)

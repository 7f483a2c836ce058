from __future__ import annotations

import hashlib
import json
import unicodedata
from datetime import date
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from app.domain.people.person import PERSON_FIELDS, parse_person, source_fingerprinter

KEY = b"test-key"
VALID = {
    "external_id": "E1",
    "first_name_th": "สมชาย",
    "last_name_th": "ใจดี",
    "agency": "RD",
    "email": "Somchai@RD.go.th",
    "start_date": "2563-10-01",
}

json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text()),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=5,
)


@given(st.dictionaries(st.sampled_from([*sorted(PERSON_FIELDS), "other"]), json_values))
def test_any_json_object_is_either_a_record_or_a_list_of_pointed_problems(
    raw: dict[str, Any],
) -> None:
    record, errors = parse_person(raw, "/7", pii_key=KEY)
    assert (record is None) == bool(errors)
    for error in errors:
        assert error.pointer.startswith("/7/")
        assert error.rule


@given(st.sampled_from(["first_name_th", "last_name_th", "agency"]))
def test_a_required_field_may_not_be_missing_or_blank(field: str) -> None:
    for value in (None, "", "   "):
        raw = {**VALID, field: value}
        if value is None:
            del raw[field]
        record, errors = parse_person(raw, "/0", pii_key=KEY)
        assert record is None
        assert [(e.pointer, e.rule) for e in errors] == [(f"/0/{field}", "required")]


def test_a_valid_record_is_normalised() -> None:
    record, errors = parse_person(
        {**VALID, "first_name_th": "  สมชาย ", "national_id": "1-1017-00203-45-0"},
        "/0",
        pii_key=KEY,
    )
    assert errors == []
    assert record is not None
    assert record.first_name_th == "สมชาย"
    assert record.email == "somchai@rd.go.th"
    assert record.start_date == date(2020, 10, 1)  # a Buddhist Era date
    assert record.national_id_hash is not None
    assert "1101700203450" not in record.national_id_hash


@given(st.text(alphabet="สมชายใจดีéabc", min_size=1, max_size=10))
def test_equivalent_spellings_have_one_fingerprint(name: str) -> None:
    composed, _ = parse_person({**VALID, "first_name_en": name}, "", pii_key=KEY)
    decomposed, _ = parse_person(
        {**VALID, "first_name_en": " " + unicodedata.normalize("NFD", name) + " "}, "", pii_key=KEY
    )
    assert composed is not None
    assert decomposed is not None
    assert composed.fingerprint == decomposed.fingerprint


def test_any_change_of_content_changes_the_fingerprint() -> None:
    base, _ = parse_person(VALID, "", pii_key=KEY)
    assert base is not None
    for field, value in [("email", "x@rd.go.th"), ("active", False), ("supervisor", "E0")]:
        other, _ = parse_person({**VALID, field: value}, "", pii_key=KEY)
        assert other is not None
        assert other.fingerprint != base.fingerprint, field


def test_the_source_fingerprint_is_keyed_and_follows_the_record_as_sent() -> None:
    fingerprint = source_fingerprinter(KEY)
    text = json.dumps(VALID, ensure_ascii=False).encode()
    assert fingerprint(text) == fingerprint(memoryview(bytearray(text)))
    assert fingerprint(text) != source_fingerprinter(b"other")(text)
    # The text as sent, byte for byte: another spacing or key order is another text.
    assert fingerprint(text) != fingerprint(json.dumps(VALID, separators=(",", ":")).encode())
    reordered = json.dumps(dict(reversed(VALID.items())), ensure_ascii=False).encode()
    assert fingerprint(text) != fingerprint(reordered)
    # Reused for a whole batch, it hashes each record on its own, as the stored hashes were made:
    # a 16-byte BLAKE2b of the record's JSON text, keyed by a key derived from the PII key.
    key = hashlib.sha256(b"thaksa:source-fingerprint:" + KEY).digest()
    other = json.dumps({**VALID, "email": "x@y.th"}).encode()
    for record in (text, other, text):
        expected = hashlib.blake2b(record, key=key, digest_size=16).digest()
        assert fingerprint(record) == expected

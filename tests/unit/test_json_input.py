"""The REST API's one JSON reader: what it accepts comes back unchanged; NUL characters and lone
surrogates are refused with the pointer of every string that holds one; nesting is limited."""

from __future__ import annotations

import json
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.api.rest.bulk import _texts
from app.api.rest.inputs import (
    MAX_JSON_DEPTH,
    JsonTooDeep,
    MalformedJson,
    check_screened_json,
    read_json,
    screen_text,
    shown,
)
from app.domain.errors import ValidationFailed, escape_pointer

# Text with a fair share of the characters that matter: NUL, lone surrogates, a valid pair,
# the escape characters of JSON pointers, Thai.
CHARS = st.sampled_from(["\x00", "\ud800", "\udfff", "\U0001f600", "~", "/", "ก", "a", '"', "\\"])
TEXT = st.one_of(st.text(max_size=6), st.lists(CHARS, max_size=4).map("".join))
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), TEXT)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(TEXT, inner, max_size=4)),
    max_leaves=20,
)


def _bad(text: str) -> bool:
    return "\x00" in text or any(0xD800 <= ord(c) <= 0xDFFF for c in text)


def bad_pointers(value: Any, pointer: str = "") -> set[str]:
    """Where a string no stored text may hold is: the value's own pointer, or for a bad
    member name the pointer of its object."""
    found = set()
    if isinstance(value, str) and _bad(value):
        found.add(pointer)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found |= bad_pointers(item, f"{pointer}/{i}")
    elif isinstance(value, dict):
        for key, item in value.items():
            if _bad(key):
                found.add(pointer)
                key = shown(key)
            found |= bad_pointers(item, f"{pointer}/{escape_pointer(key)}")
    return found


def encode(value: Any) -> bytes:
    """JSON as a client sends it: non-ASCII as UTF-8 where it can be, escapes otherwise."""
    return (
        json.dumps(value, ensure_ascii=False)
        .encode("utf-8", "surrogatepass")
        .replace("\ud800".encode("utf-8", "surrogatepass"), b"\\ud800")
        .replace("\udfff".encode("utf-8", "surrogatepass"), b"\\udfff")
    )


@given(JSON)
def test_clean_json_reads_back_unchanged_and_bad_strings_are_each_named(value: Any) -> None:
    body = json.dumps(value).encode()  # (ASCII: every bad character as an escape)
    value = json.loads(body)  # (what was sent: a lone surrogate after a high one makes a pair)
    expected = bad_pointers(value)
    if not expected:
        assert read_json(body) == value
        return
    with pytest.raises(ValidationFailed) as caught:
        read_json(body)
    errors = caught.value.errors
    assert {e.pointer for e in errors} == expected
    assert {e.rule for e in errors} <= {"nul-character", "lone-surrogate"}


@given(JSON)
def test_the_screen_never_passes_a_body_holding_a_bad_string(value: Any) -> None:
    """``screen_text`` lets a typed decoder skip the walk: it must never be wrong that way."""
    for body in (json.dumps(value).encode(), encode(value)):
        if screen_text(body):
            assert not bad_pointers(json.loads(body))


@given(st.integers(min_value=1, max_value=3 * MAX_JSON_DEPTH), st.booleans())
def test_nesting_beyond_the_limit_is_refused(levels: int, arrays: bool) -> None:
    body = (b"[" * levels + b"]" * levels) if arrays else (b'{"a":' * levels + b"1" + b"}" * levels)
    if levels <= MAX_JSON_DEPTH:
        read_json(body)
        return
    with pytest.raises(JsonTooDeep) as caught:
        read_json(body)
    assert caught.value.extensions["errors"][0]["rule"] == "max-depth"


@pytest.mark.parametrize("levels", [1_000, 5_000, 200_000])
def test_very_deep_json_is_refused_not_a_crash(levels: int) -> None:
    for body in (b"[" * levels + b"]" * levels, b"[" * levels, b'{"a":' * levels + b"NaN"):
        with pytest.raises((JsonTooDeep, MalformedJson)):
            read_json(body)


@pytest.mark.parametrize(
    "body",
    [b'"\xed\xa0\x80"', b'"\xff"', b"{", b"", b"[1,]", b"\x00", b'"a\x00"'],
)
def test_malformed_json_and_bytes_that_are_not_utf8_are_400(body: bytes) -> None:
    with pytest.raises(MalformedJson) as caught:
        read_json(body)
    assert caught.value.extensions["errors"][0]["pointer"] == ""


def test_what_only_the_lenient_decoder_reads_is_still_checked() -> None:
    """NaN and integers beyond 64 bits send the body to the standard library's decoder, which
    would take a lone surrogate that the strict one refuses: it is refused all the same."""
    assert read_json(b"[NaN, 123456789012345678901234567890]")[1] == 123456789012345678901234567890  # type: ignore[index]
    with pytest.raises(ValidationFailed) as caught:
        read_json(b'[NaN, {"a": "\\ud800"}]')
    assert [e.pointer for e in caught.value.errors] == ["/1/a"]


def _nested(levels: int, inner: Any) -> Any:
    for i in range(levels):
        inner = [inner] if i % 2 else {"k": inner}
    return inner


def _outcome(read: Any) -> Any:
    try:
        return ("value", read())
    except (JsonTooDeep, ValidationFailed) as problem:
        return (type(problem).__name__, problem.extensions.get("errors"))


@given(
    st.lists(st.tuples(st.integers(0, MAX_JSON_DEPTH + 3), JSON), min_size=1, max_size=4).map(
        lambda parts: [_nested(levels, inner) for levels, inner in parts]
    ),
    st.booleans(),
)
def test_a_body_read_once_is_checked_as_the_reader_checks_it(value: Any, one: bool) -> None:
    """What a handler that decoded a screened body itself (the xAPI statements) answers is what
    the one reader answers: the same value, or the same refusal of nesting too deep."""
    if one:
        value = value[0]
    body = encode(value)
    try:
        decoded = orjson.loads(body)
    except orjson.JSONDecodeError:  # read by read_json alone (integers beyond 64 bits)
        return
    if not screen_text(body):
        return
    texts = [body] if one else _texts(body)
    assert texts is not None
    assert _outcome(lambda: check_screened_json(decoded, texts)) == _outcome(
        lambda: read_json(body)
    )

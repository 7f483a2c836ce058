"""The fast path agrees with the full checks: what it accepts, the full checks accept and
normalise the same way; what is clean and valid, it accepts. Records reach it as JSON texts, as
they are sent."""

from __future__ import annotations

import gc
import json
import unicodedata
from typing import Any

import msgspec
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.dates import LAST_DAY
from app.domain.people import fast_path
from app.domain.people.fast_path import PlainPerson, read_plain, read_plain_list
from app.domain.people.national_id import check_digit
from app.domain.people.person import (
    PERSON_FIELDS,
    TEXT_FIELDS,
    EmploymentCategory,
    PositionType,
    parse_person,
)

KEY = b"k" * 32


def _json(raw: object) -> bytes:
    return json.dumps(raw, ensure_ascii=False).encode()


def fast_person(raw: object, *, pii_key: bytes) -> Any:
    """The fast path's verdict on a record sent as JSON."""
    return fast_path.fast_person(_json(raw), pii_key=pii_key)


def fast_people(raws: list[Any], *, pii_key: bytes) -> list[Any]:
    """The fast path's verdicts on a batch sent as JSON, each record decoded from its text."""
    return fast_path.fast_people([read_plain(_json(raw)) for raw in raws], pii_key=pii_key)


@st.composite
def national_ids(draw: st.DrawFn) -> str:
    first = draw(st.text("0123456789", min_size=12, max_size=12))
    return first + str(check_digit(first))


CLEAN_TEXT = st.text(
    st.characters(codec="utf-8", categories=("L", "N", "P", "Zs")), min_size=1, max_size=40
).filter(lambda t: t.strip() == t and unicodedata.is_normalized("NFC", t))
IDS = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._:@/-]{0,20}", fullmatch=True)
CODES = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,10}", fullmatch=True)
EMAILS = st.from_regex(r"[a-zA-Z0-9.]{1,10}@[a-z0-9]{1,8}\.[a-z]{2,4}", fullmatch=True)
# every day the API keeps (a later CE year would read as BE: app/domain/dates.py)
DAYS = st.dates(max_value=LAST_DAY).map(lambda d: d.isoformat())


@st.composite
def clean_records(draw: st.DrawFn) -> dict[str, Any]:
    """Valid records as an HR system usually sends them: trimmed NFC text, ISO dates."""
    record: dict[str, Any] = {
        "external_id": "p-" + draw(IDS),
        "first_name_th": draw(CLEAN_TEXT),
        "last_name_th": draw(CLEAN_TEXT),
        "agency": draw(CODES),
    }
    optional: dict[str, st.SearchStrategy[Any]] = {
        "employee_number": CLEAN_TEXT.filter(lambda t: len(t) <= 32),
        "first_name_en": CLEAN_TEXT,
        "last_name_en": CLEAN_TEXT,
        "email": EMAILS,
        "position_title": CLEAN_TEXT,
        "position_level": CLEAN_TEXT,
        "supervisor": IDS.map(lambda s: "b-" + s),
        "subject": CLEAN_TEXT,
        "position_type": st.sampled_from([t.value for t in PositionType]),
        "employment_category": st.sampled_from([c.value for c in EmploymentCategory]),
        "active": st.booleans(),
        "start_date": DAYS,
        "national_id": national_ids(),
    }
    for name, strategy in optional.items():
        if draw(st.booleans()):
            record[name] = draw(st.none() | strategy)
    return record


ODD_VALUES = st.one_of(
    st.none(),
    st.integers(-5, 10**14),
    st.booleans(),
    st.floats(allow_nan=False),
    st.just(""),
    st.just("  "),
    st.text(max_size=300),
    st.sampled_from(
        [
            " padded ",
            "e\u0301",  # not NFC
            "a\x1c",  # whitespace to Python, not to every engine
            "\u00a0x",
            "x\u3000",
            "a b@c.de",
            "ab@c.d\x1f",
            "ก@ข.ค",
            "A@B.CO",
            "2568-10-01",
            "2568-02-29",
            "2025-02-30",
            "E1\nE2",
            "25-1-1",
            "1-234-56789-012-1",
            "๑๒๓๔๕๖๗๘๙๐๑๒๓",
            "1234567890123",
            "executive",
            "Executive",
            "x" * 65,
            "x" * 101,
        ]
    ),
    st.lists(st.integers(), max_size=2),
)
FIELDS = [
    "external_id",
    "employee_number",
    "first_name_th",
    "last_name_th",
    "first_name_en",
    "last_name_en",
    "email",
    "position_title",
    "position_type",
    "employment_category",
    "position_level",
    "agency",
    "supervisor",
    "subject",
    "active",
    "start_date",
    "end_date",
    "national_id",
    "unknown",
]


@st.composite
def any_records(draw: st.DrawFn) -> object:
    """Clean records with a few fields spoilt, plus the odd record that is not an object."""
    if draw(st.integers(0, 20)) == 0:
        return draw(st.one_of(st.none(), st.integers(), st.text(), st.lists(st.integers())))
    record = draw(clean_records())
    for name in draw(st.lists(st.sampled_from(FIELDS), max_size=3)):
        record[name] = draw(ODD_VALUES)
    if draw(st.booleans()):
        record["supervisor"] = record["external_id"]
    return record


@settings(max_examples=400)
@given(any_records())
def test_what_the_fast_path_accepts_the_full_checks_accept_alike(raw: object) -> None:
    fast = fast_person(raw, pii_key=KEY)
    slow, errors = parse_person(raw, "/0", pii_key=KEY)
    if fast is not None:
        assert errors == []
        assert fast == slow
        assert fast.fingerprint == slow.fingerprint


@settings(max_examples=200)
@given(clean_records())
def test_a_clean_valid_record_takes_the_fast_path_and_matches_the_full_checks(
    raw: dict[str, Any],
) -> None:
    slow, errors = parse_person(raw, "/0", pii_key=KEY)
    assert errors == []
    assert fast_person(raw, pii_key=KEY) == slow


def test_an_invalid_record_never_takes_the_fast_path() -> None:
    base = {"external_id": "E1", "first_name_th": "สมชาย", "last_name_th": "ใจดี", "agency": "A"}
    assert fast_person(base, pii_key=KEY) is not None
    spoilt = [
        {"email": "not an e-mail"},
        {"national_id": "1234567890123"},
        {"start_date": "2025-02-30"},
        {"start_date": "2025-02-02", "end_date": "2025-02-01"},
        {"supervisor": "E1"},
        {"position_type": "chief"},
        {"employment_category": "soldier"},
        {"colour": "blue"},
        {"first_name_th": ""},
    ]
    for change in spoilt:
        raw = base | change
        assert parse_person(raw, "/0", pii_key=KEY)[1], change
        assert fast_person(raw, pii_key=KEY) is None, change


TRICKY = st.text(
    st.sampled_from(
        # Thai tone mark before a lower vowel (U+0E48 U+0E38) is not in canonical order (not NFC).
        list("aZ09.-_:@/ ก\u0301e\u00a0\u3000\t\n\x00\x1c\x1f\u0958\u0e48\u0e38")
    ),
    max_size=12,
)

TRICKY_EMAILS = st.builds("{}@{}.{}".format, TRICKY, TRICKY, TRICKY)
TRICKY_IDS = st.builds("{}{}".format, st.sampled_from(["13", "1-", "๑", " "]), TRICKY)


@settings(max_examples=300)
@given(
    clean_records(),
    st.sampled_from(FIELDS[:-1]),
    TRICKY | TRICKY_EMAILS | TRICKY_IDS | ODD_VALUES,
)
def test_any_value_in_any_field_gets_the_same_verdict_from_both_paths(
    raw: dict[str, Any], name: str, value: object
) -> None:
    raw[name] = value
    fast = fast_person(raw, pii_key=KEY)
    slow, errors = parse_person(raw, "/0", pii_key=KEY)
    if fast is not None:
        assert (errors, fast) == ([], slow)


@settings(max_examples=300)
@given(clean_records(), TRICKY_EMAILS)
def test_any_e_mail_gets_the_same_verdict_from_both_paths(raw: dict[str, Any], email: str) -> None:
    raw["email"] = email
    fast = fast_person(raw, pii_key=KEY)
    slow, errors = parse_person(raw, "/0", pii_key=KEY)
    if fast is not None:
        assert (errors, fast) == ([], slow)


@settings(max_examples=150)
@given(st.lists(any_records(), max_size=12))
def test_a_batch_gets_the_verdict_each_record_gets_alone(raws: list[object]) -> None:
    """The text checks run once over the whole batch; a record that fails them must not take
    the others off the fast path, nor let them onto it."""
    batch = fast_people(raws, pii_key=KEY)
    assert batch == [fast_person(raw, pii_key=KEY) for raw in raws]
    for raw, fast in zip(raws, batch, strict=True):
        if fast is not None:
            assert parse_person(raw, "/0", pii_key=KEY) == (fast, [])


def test_an_unclean_record_leaves_the_rest_of_its_batch_on_the_fast_path() -> None:
    clean = {"external_id": "E1", "first_name_th": "สมชาย", "last_name_th": "ใจดี", "agency": "A"}
    untrimmed = clean | {"external_id": "E2", "first_name_th": "สมชาย "}
    not_nfc = clean | {"external_id": "E3", "last_name_th": "ใจดี\u0e48\u0e38"}
    nul_inside = clean | {"external_id": "E4", "position_title": "a \x00b"}
    batch = fast_people([clean, untrimmed, not_nfc, nul_inside], pii_key=KEY)
    assert batch[0] == parse_person(clean, "/0", pii_key=KEY)[0]
    assert batch[1] is None
    assert batch[2] is None
    # The full checks accept and normalise the two unclean records; they are just not settled
    # here. A NUL beside a space is taken for an unclean edge: the full checks decide it too.
    assert parse_person(untrimmed, "/1", pii_key=KEY)[1] == []
    assert parse_person(not_nfc, "/2", pii_key=KEY)[1] == []
    assert batch[3] is None


def test_an_unknown_field_leaves_the_rest_of_its_batch_on_the_fast_path() -> None:
    """Unknown fields are looked for once over the batch, not by the validator."""
    clean = {"external_id": "E1", "first_name_th": "สมชาย", "last_name_th": "ใจดี", "agency": "A"}
    odd = clean | {"external_id": "E2", "colour": "blue"}
    also_clean = clean | {"external_id": "E3"}
    batch = fast_people([clean, odd, also_clean], pii_key=KEY)
    assert batch[0] == parse_person(clean, "/0", pii_key=KEY)[0]
    assert batch[1] is None
    assert batch[2] == parse_person(also_clean, "/2", pii_key=KEY)[0]
    assert parse_person(odd, "/1", pii_key=KEY)[1]


def test_the_fast_path_reads_exactly_the_fields_of_the_full_checks() -> None:
    # Unknown fields make the decoder fail; it knows each field of the full checks, and holds
    # texts to the full checks' lengths.
    assert set(PlainPerson.__struct_fields__) == PERSON_FIELDS
    limits = {
        f.name: next(m.max_length for m in f.type.__metadata__)
        for f in msgspec.structs.fields(PlainPerson)
        if f.name
        not in (
            "position_type",
            "employment_category",
            "active",
            "start_date",
            "end_date",
            "national_id",
        )
        for f.type in [f.type.__args__[0] if not f.required else f.type]
    }
    assert limits == {name: max_length for name, _, max_length, _, _ in TEXT_FIELDS}


def test_buddhist_era_dates_read_as_the_full_checks_read_them() -> None:
    base = {"external_id": "E1", "first_name_th": "สมชาย", "last_name_th": "ใจดี", "agency": "A"}
    for day in ("2568-10-01", "2567-02-29", "2400-01-01", "2399-12-31", "2942-12-31"):
        raw = base | {"start_date": day}
        slow, errors = parse_person(raw, "/0", pii_key=KEY)
        assert errors == [], day
        fast = fast_person(raw, pii_key=KEY)
        assert fast is None or fast == slow, day
    assert fast_person(base | {"start_date": "2568-10-01"}, pii_key=KEY).start_date.year == 2025
    # 29 February 2568 BE is 2025, not a leap year: the full checks reject it, and decide it.
    raw = base | {"start_date": "2568-02-29"}
    assert parse_person(raw, "/0", pii_key=KEY)[1]
    assert fast_person(raw, pii_key=KEY) is None
    # BE 2943 is CE 2400, which would read back as BE: neither path keeps it.
    raw = base | {"start_date": "2943-01-01"}
    assert parse_person(raw, "/0", pii_key=KEY)[1]
    assert fast_person(raw, pii_key=KEY) is None


def test_a_value_off_its_pattern_leaves_the_rest_of_its_batch_on_the_fast_path() -> None:
    """The patterns are matched once over the batch; a record that fails one is then found."""
    clean = {"external_id": "E1", "first_name_th": "สมชาย", "last_name_th": "ใจดี", "agency": "A"}
    records = [
        clean,
        clean | {"external_id": "E2", "email": "not an e-mail"},
        clean | {"external_id": "E3", "email": "e3@rd.go.th"},
        clean | {"external_id": "E 4"},
        clean | {"external_id": "E5", "agency": "A/B"},
        clean | {"external_id": "E6", "supervisor": "E1\nE2"},
        clean | {"external_id": "E7", "national_id": "1234567890x23"},
        clean | {"external_id": "E8", "supervisor": "E1"},
    ]
    batch = fast_people(records, pii_key=KEY)
    assert [record is not None for record in batch] == [
        True, False, True, False, False, False, False, True
    ]  # fmt: skip
    for raw, fast in zip(records, batch, strict=True):
        if fast is not None:
            assert parse_person(raw, "/0", pii_key=KEY) == (fast, [])


def test_a_body_of_plain_records_is_typed_in_one_call_and_anything_else_is_not() -> None:
    clean = {"external_id": "E1", "first_name_th": "สมชาย", "last_name_th": "ใจดี", "agency": "A"}
    plain = read_plain_list(_json([clean, clean | {"external_id": "E2"}]))
    assert plain is not None
    assert [p.external_id for p in plain] == ["E1", "E2"]
    assert read_plain_list(_json([clean, clean | {"colour": "blue"}])) is None
    assert read_plain_list(_json([clean, 7])) is None
    assert read_plain_list(b"[{") is None
    assert read_plain(_json(clean | {"first_name_th": 7})) is None


def test_typed_records_are_left_out_of_the_collectors_tracking() -> None:
    """A batch makes thousands; their values are atomic, so they can be in no reference cycle."""
    clean = {"external_id": "E1", "first_name_th": "สมชาย", "last_name_th": "ใจดี", "agency": "A"}
    plain = read_plain(_json(clean))
    assert plain is not None
    assert not gc.is_tracked(plain)

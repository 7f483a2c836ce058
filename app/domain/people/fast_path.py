"""A fast path for person records that are plainly valid.

Most records of a bulk sync are valid and already clean: every text a trimmed, NFC string, dates
as ``YYYY-MM-DD``, the national id as 13 ASCII digits. Such a record is decoded from its JSON text
straight into a :class:`PlainPerson` by ``msgspec``: types, lengths, the position type, dates and
unknown fields are checked in C while decoding. The patterns and the text checks then run once
over the whole batch, and a few Python checks finish each record. Its rules are *stricter* than
the full checks of :func:`app.domain.people.person.parse_person`: whatever it cannot settle (a
number where text is expected, an empty or untrimmed string, non-ASCII e-mail, any problem at all)
makes it answer ``None``, and the caller runs the full checks on the decoded object, which alone
write error reports. So a record it accepts is one the full checks accept, normalised the same
way (property-based tests check it).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from hashlib import blake2b
from itertools import chain
from operator import itemgetter
from typing import Annotated, Any

import msgspec

from app.domain import dates
from app.domain.dates import BE_THRESHOLD
from app.domain.people import national_id
from app.domain.people.fingerprint import FALSE as _FALSE
from app.domain.people.fingerprint import NONE as _NONE
from app.domain.people.fingerprint import TRUE as _TRUE
from app.domain.people.person import EmploymentCategory, PersonRecord, PositionType

_Text32 = Annotated[str, msgspec.Meta(min_length=1, max_length=32)]
_Text64 = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
_Text100 = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
_Text200 = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
_Text254 = Annotated[str, msgspec.Meta(min_length=1, max_length=254)]
_Digits13 = Annotated[str, msgspec.Meta(min_length=13, max_length=13)]


class PlainPerson(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, gc=False):
    """A person record of the plain shape, its fields in ``PersonRecord``'s order: text where
    text is expected (not empty, within the full checks' lengths), a known position type,
    ``true``/``false``, dates as ``YYYY-MM-DD``, no unknown field. Absent and null are ``None``.
    (Its values are all atomic, so it can take no part in a reference cycle: the collector
    need not track the thousands a batch makes.)"""

    external_id: _Text64
    employee_number: _Text32 | None = None
    first_name_th: _Text100
    last_name_th: _Text100
    first_name_en: _Text100 | None = None
    last_name_en: _Text100 | None = None
    email: _Text254 | None = None
    position_title: _Text200 | None = None
    position_type: PositionType | None = None
    position_level: _Text100 | None = None
    agency: _Text32
    supervisor: _Text64 | None = None
    active: bool | None = None
    start_date: date | None = None
    end_date: date | None = None
    national_id: _Digits13 | None = None
    subject: _Text200 | None = None
    employment_category: EmploymentCategory | None = None


_read_one = msgspec.json.Decoder(PlainPerson).decode
_read_list = msgspec.json.Decoder(list[PlainPerson]).decode
_values = msgspec.structs.astuple


def read_plain(text: bytes | memoryview) -> PlainPerson | None:
    """One record's JSON text as a :class:`PlainPerson`, or ``None`` if it is not of that shape."""
    try:
        return _read_one(text)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None


def read_plain_list(body: bytes) -> list[PlainPerson] | None:
    """A JSON array of records, all of the plain shape (one C call), or ``None``."""
    try:
        return _read_list(body)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None


# Whole-value patterns, each accepting a subset of the full check's pattern (ASCII only). None of
# them matches a line feed, so values without one, joined by line feeds, match ``(?:P\n)*P``
# exactly when every value matches ``P``: one search for the batch.
_PATTERNS = {
    "external_id": r"[A-Za-z0-9][A-Za-z0-9._:@/-]{0,63}",
    "agency": r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}",
    # printable ASCII but the space and '@', a dot, and no dot after it
    "email": r"[\x21-\x3f\x41-\x7e]+@[\x21-\x3f\x41-\x7e]+\.[\x21-\x2d\x2f-\x3f\x41-\x7e]+",
    "national_id": r"[0-9]{13}",
}
_PATTERNS["supervisor"] = _PATTERNS["external_id"]
_FIELD_INDEX = {name: i for i, name in enumerate(PlainPerson.__struct_fields__)}
# (a getter of the field's value, a pattern for one value, a pattern for line-fed values)
_CHECKS = tuple(
    (itemgetter(_FIELD_INDEX[name]), re.compile(p), re.compile(rf"(?:{p}\n)*{p}"))
    for name, p in _PATTERNS.items()
)
# The free texts: what the patterns do not cover (a value matching its pattern is trimmed and
# NFC already: printable ASCII), nor the position type (one of the known words).
_FREE_TEXTS = itemgetter(
    *(
        _FIELD_INDEX[name]
        for name in PlainPerson.__struct_fields__
        if name not in _PATTERNS
        and name not in ("position_type", "active", "start_date", "end_date", "employment_category")
    )
)
# A separator that is neither whitespace (so a text's own leading or trailing whitespace always
# touches it or an end of the joined string) nor able to compose with a neighbour (so the joined
# text is NFC exactly when every part is).
_SEPARATOR = "\x00"
# Whitespace after or before a separator (starting with the literal lets the engine skip ahead).
_UNTRIMMED_INSIDE = re.compile(r"\x00(?:\s|(?<=\s\x00))")
_new_tuple = tuple.__new__

Rows = tuple[list[int], list[tuple[Any, ...]]]  # the records' places in the batch, their values


def _clean(texts: Iterable[str | None]) -> bool:
    """Every text trimmed and NFC already, so the full checks would keep each as it is."""
    joined = _SEPARATOR.join(filter(None, texts))
    return (
        not joined[:1].isspace()
        and not joined[-1:].isspace()
        and _UNTRIMMED_INSIDE.search(joined) is None
        and unicodedata.is_normalized("NFC", joined)
    )


def _keep(rows: Rows, test: Callable[[tuple[Any, ...]], object]) -> Rows:
    kept = [(i, row) for i, row in zip(*rows, strict=True) if test(row)]
    return [i for i, _ in kept], [row for _, row in kept]


def _plain_rows(rows: Rows) -> Rows:
    """The rows whose free texts are clean and whose values match their patterns: checked once
    for the batch (in C, no Python loop), then row by row only when the batch fails a check."""
    _, values = rows
    if not _clean(chain.from_iterable(map(_FREE_TEXTS, values))):
        rows = _keep(rows, lambda row: _clean(_FREE_TEXTS(row)))
    for value_of, one, many in _CHECKS:
        given = list(filter(None, map(value_of, rows[1])))
        joined = "\n".join(given)
        # (as many line feeds as joints: a value holding one would pass for two)
        if given and (joined.count("\n") != len(given) - 1 or many.fullmatch(joined) is None):
            rows = _keep(
                rows,
                lambda row, v=value_of, p=one: (x := v(row)) is None or p.fullmatch(x),  # type: ignore[misc]
            )
    return rows


def fast_person(text: bytes, *, pii_key: bytes) -> PersonRecord | None:
    """The record (its JSON text) normalised as :func:`parse_person` would, or ``None`` if the
    full checks must decide (an invalid record, or a valid one this path does not settle)."""
    return fast_people([read_plain(text)], pii_key=pii_key)[0]


def fast_people(records: Sequence[object], *, pii_key: bytes) -> list[PersonRecord | None]:
    """:func:`fast_person` for each :class:`PlainPerson` of a batch (anything else is the full
    checks' to decide), the patterns and text checks made once for the batch."""
    out: list[PersonRecord | None] = [None] * len(records)
    plain = [r for r in records if type(r) is PlainPerson]
    if len(plain) == len(records):
        indexes = list(range(len(records)))
    else:
        indexes = [i for i, r in enumerate(records) if type(r) is PlainPerson]
    indexes, values = _plain_rows((indexes, list(map(_values, plain))))
    check_digit_matches = national_id.check_digit_matches
    keyed_hash = national_id.hasher(pii_key)
    for index, row in zip(indexes, values, strict=True):
        (
            external_id,
            employee_number,
            first_name_th,
            last_name_th,
            first_name_en,
            last_name_en,
            email,
            position_title,
            position_type,
            position_level,
            agency,
            supervisor,
            active,
            start_date,
            end_date,
            digits,
            subject,
            category,
        ) = row
        if supervisor == external_id:  # (an external id is never None)
            continue
        # msgspec read the dates as Gregorian: read them by the API's one rule instead (a
        # Buddhist Era year from 2400 on; most records have none, so only those call it).
        if (
            start_date is not None
            and start_date.year >= BE_THRESHOLD
            and (start_date := dates.normalise(start_date)) is None
        ):
            continue
        if (
            end_date is not None
            and end_date.year >= BE_THRESHOLD
            and (end_date := dates.normalise(end_date)) is None
        ):
            continue
        if start_date and end_date and end_date < start_date:
            continue
        id_hash = None
        if digits is not None:
            if not check_digit_matches(digits.encode()):
                continue
            id_hash = keyed_hash(digits)
        if active is None:
            active = True
        email = email.lower() if email else None
        # ``fingerprint`` of the content in the order of ``person_record``, its parts spelt out
        # (a text is never empty here, so ``or`` stands in for "if None"; a position type is a
        # plain string too).
        payload = "\x1f".join(
            (
                external_id,
                employee_number or _NONE,
                first_name_th,
                last_name_th,
                first_name_en or _NONE,
                last_name_en or _NONE,
                email or _NONE,
                position_title or _NONE,
                position_type or _NONE,
                position_level or _NONE,
                agency,
                supervisor or _NONE,
                _TRUE if active else _FALSE,
                start_date.isoformat() if start_date else _NONE,
                end_date.isoformat() if end_date else _NONE,
                id_hash or _NONE,
                subject or _NONE,
            )
        )
        if category is not None:  # (only a given category joins the fingerprint)
            payload += "\x1f" + category
        # ``tuple.__new__`` with the fields in order: the named tuple's own ``__new__`` is a
        # Python function with a frame per call, and a sync builds thousands of records.
        out[index] = _new_tuple(
            PersonRecord,
            (
                external_id,
                employee_number,
                first_name_th,
                last_name_th,
                first_name_en,
                last_name_en,
                email,
                position_title,
                position_type,
                position_level,
                agency,
                supervisor,
                active,
                start_date,
                end_date,
                id_hash,
                subject,
                category,
                blake2b(payload.encode(), digest_size=16).digest(),
            ),
        )
    return out

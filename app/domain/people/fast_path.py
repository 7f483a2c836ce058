"""A compiled fast path for person records that are plainly valid.

Most records of a bulk sync are valid and already clean: every text a trimmed, NFC string, dates
as ``YYYY-MM-DD``, the national id as 13 ASCII digits. A compiled ``pydantic-core`` validator
checks their shape (types, lengths, patterns, the position type) in one call, one set union over
the batch looks for unknown fields, and a few Python checks finish them. Its rules are *stricter*
than the full checks of :func:`app.domain.people.person.parse_person`: whatever it cannot
settle (a number where text is expected, an empty or untrimmed string, non-ASCII e-mail, any
problem at all) makes it answer ``None``, and the caller runs the full checks, which alone write
error reports. So a record it accepts is one the full checks accept, normalised the same way (a
property-based test checks it).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from hashlib import blake2b
from itertools import chain
from typing import Any

from pydantic_core import SchemaValidator, ValidationError, core_schema

from app.domain.people import national_id
from app.domain.people.fields import parse_day
from app.domain.people.fingerprint import FALSE as _FALSE
from app.domain.people.fingerprint import NONE as _NONE
from app.domain.people.fingerprint import TRUE as _TRUE
from app.domain.people.person import PERSON_FIELDS, TEXT_FIELDS, PersonRecord, PositionType

# Patterns in the compiled engine's syntax, each accepting a subset of the full check's pattern
# (ASCII only, whole string): anything else goes to the full checks.
_EXTERNAL_ID = r"^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,63}\z"
_CODE = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}\z"
_EMAIL_CHAR = r"\x21-\x3f\x41-\x7e"  # printable ASCII but the space and '@'
_EMAIL = rf"^[{_EMAIL_CHAR}]+@[{_EMAIL_CHAR}]+\.[\x21-\x2d\x2f-\x3f\x41-\x7e]+\z"
_FAST_PATTERNS = {
    "external_id": _EXTERNAL_ID,
    "supervisor": _EXTERNAL_ID,
    "agency": _CODE,
    "email": _EMAIL,
}
_TEXT_NAMES = tuple(spec[0] for spec in TEXT_FIELDS)
_POSITION_TYPES = {t.value: t for t in PositionType}
_new_tuple = tuple.__new__


def _text(max_length: int, pattern: str | None, required: bool) -> core_schema.TypedDictField:
    schema = core_schema.str_schema(
        min_length=1, max_length=max_length, pattern=pattern, strict=True
    )
    if required:
        return core_schema.typed_dict_field(schema, required=True)
    return _optional(schema)


def _optional(schema: core_schema.CoreSchema) -> core_schema.TypedDictField:
    # Absent and null alike come out as None, so every validated record has every key, in the
    # schema's order: its values are a tuple in one call.
    return core_schema.typed_dict_field(
        core_schema.with_default_schema(core_schema.nullable_schema(schema), default=None),
        required=False,
    )


def _schema() -> core_schema.CoreSchema:
    fields: dict[str, core_schema.TypedDictField] = {
        name: _text(max_length, _FAST_PATTERNS.get(name), required)
        for name, required, max_length, _, _ in TEXT_FIELDS
    }
    fields["position_type"] = _optional(core_schema.literal_schema(list(_POSITION_TYPES)))
    fields["active"] = _optional(core_schema.bool_schema(strict=True))
    for name in ("start_date", "end_date"):
        fields[name] = _optional(core_schema.str_schema(min_length=10, max_length=10, strict=True))
    fields["national_id"] = _optional(
        core_schema.str_schema(min_length=13, max_length=13, pattern=r"^[0-9]{13}\z", strict=True)
    )
    # Unknown fields are not the validator's to find: they are looked for once over the batch
    # (see ``fast_people``), which costs less than the validator's check of every key.
    return core_schema.typed_dict_schema(fields, extra_behavior="ignore", total=False)


_VALIDATOR = SchemaValidator(_schema())
_TEXTS = len(_TEXT_NAMES)
# A separator that is neither whitespace (so a text's own leading or trailing whitespace always
# touches it or an end of the joined string) nor able to compose with a neighbour (so the joined
# text is NFC exactly when every part is).
_SEPARATOR = "\x00"
# Whitespace after or before a separator (starting with the literal lets the engine skip ahead).
_UNTRIMMED_INSIDE = re.compile(r"\x00(?:\s|(?<=\s\x00))")


def _clean(texts: Iterable[str]) -> bool:
    """Every text trimmed and NFC already, so the full checks would keep each as it is."""
    joined = _SEPARATOR.join(texts)
    return (
        not joined[:1].isspace()
        and not joined[-1:].isspace()
        and _UNTRIMMED_INSIDE.search(joined) is None
        and unicodedata.is_normalized("NFC", joined)
    )


def fast_person(raw: object, *, pii_key: bytes) -> PersonRecord | None:
    """The record normalised as :func:`parse_person` would, or ``None`` if the full checks must
    decide (an invalid record, or a valid one this path does not settle)."""
    return fast_people([raw], pii_key=pii_key)[0]


def fast_people(raws: Sequence[object], *, pii_key: bytes) -> list[PersonRecord | None]:
    """:func:`fast_person` for each record, with the text checks made once for the batch."""
    out: list[PersonRecord | None] = [None] * len(raws)
    rows: list[tuple[int, tuple[Any, ...]]] = []
    validate = _VALIDATOR.validate_python
    shown: list[dict[Any, Any]] = []  # the records that pass, as sent
    for index, raw in enumerate(raws):
        if not isinstance(raw, dict):  # (the full checks reject anything else)
            continue
        try:
            rows.append((index, tuple(validate(raw).values())))
        except ValidationError:
            continue
        shown.append(raw)
    # An unknown field: the union of every record's keys, in C, says whether any record has one.
    if not set().union(*shown) <= PERSON_FIELDS:
        rows = [row for row, raw in zip(rows, shown, strict=True) if raw.keys() <= PERSON_FIELDS]
    texts = chain.from_iterable(row[:_TEXTS] for _, row in rows)
    if not _clean(filter(None, texts)):  # (texts are never empty here: min_length=1)
        rows = [(i, row) for i, row in rows if _clean(filter(None, row[:_TEXTS]))]
    check_digit, keyed_hash = national_id.check_digit, national_id.hasher(pii_key)
    for index, row in rows:
        (
            external_id,
            employee_number,
            first_name_th,
            last_name_th,
            first_name_en,
            last_name_en,
            email,
            position_title,
            position_level,
            agency,
            supervisor,
            subject,
            given_type,
            active,
            given_start,
            given_end,
            digits,
        ) = row
        if supervisor == external_id:  # (an external id is never None)
            continue
        start_date = end_date = None
        if given_start is not None and (start_date := parse_day(given_start)) is None:
            continue
        if given_end is not None and (end_date := parse_day(given_end)) is None:
            continue
        if start_date and end_date and end_date < start_date:
            continue
        id_hash = None
        if digits is not None:
            if check_digit(digits[:12]) != int(digits[12]):
                continue
            id_hash = keyed_hash(digits)
        if active is None:
            active = True
        email = email.lower() if email else None
        # ``fingerprint`` of the content in the order of ``person_record``, its parts spelt out
        # (a text is never empty here, so ``or`` stands in for "if None").
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
                given_type or _NONE,
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
                None if given_type is None else _POSITION_TYPES[given_type],
                position_level,
                agency,
                supervisor,
                active,
                start_date,
                end_date,
                id_hash,
                subject,
                blake2b(payload.encode(), digest_size=16).digest(),
            ),
        )
    return out

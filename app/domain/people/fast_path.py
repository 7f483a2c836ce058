"""A compiled fast path for person records that are plainly valid.

Most records of a bulk sync are valid and already clean: every text a trimmed, NFC string, dates
as ``YYYY-MM-DD``, the national id as 13 ASCII digits. A compiled ``pydantic-core`` validator
checks their shape (types, unknown fields, lengths, patterns, the position type) in one call, and
a few Python checks finish them. Its rules are *stricter* than the full checks of
:func:`app.domain.people.person.parse_person`: whatever it cannot settle (a number where text is
expected, an empty or untrimmed string, non-ASCII e-mail, any problem at all) makes it answer
``None``, and the caller runs the full checks, which alone write error reports. So a record it
accepts is one the full checks accept, normalised the same way (a property-based test checks it).
"""

from __future__ import annotations

import unicodedata
from typing import Any

from pydantic_core import SchemaValidator, ValidationError, core_schema

from app.domain.people import national_id
from app.domain.people.fields import parse_day
from app.domain.people.fingerprint import fingerprint
from app.domain.people.person import TEXT_FIELDS, PersonRecord, PositionType

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


def _text(max_length: int, pattern: str | None, required: bool) -> core_schema.TypedDictField:
    schema = core_schema.str_schema(
        min_length=1, max_length=max_length, pattern=pattern, strict=True
    )
    if required:
        return core_schema.typed_dict_field(schema, required=True)
    return core_schema.typed_dict_field(core_schema.nullable_schema(schema), required=False)


def _optional(schema: core_schema.CoreSchema) -> core_schema.TypedDictField:
    return core_schema.typed_dict_field(core_schema.nullable_schema(schema), required=False)


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
    return core_schema.typed_dict_schema(fields, extra_behavior="forbid", total=False)


_VALIDATOR = SchemaValidator(_schema())


def fast_person(raw: object, *, pii_key: bytes) -> PersonRecord | None:
    """The record normalised as :func:`parse_person` would, or ``None`` if the full checks must
    decide (an invalid record, or a valid one this path does not settle)."""
    try:
        valid: dict[str, Any] = _VALIDATOR.validate_python(raw)
    except ValidationError:
        return None
    get = valid.get
    texts = [get(name) for name in _TEXT_NAMES]
    present = [t for t in texts if t is not None]
    # Trimmed and NFC already, so the full checks would keep every text as it is. (The separator
    # is a control character that composes with nothing: the joined text is NFC iff each part is.)
    for text in present:
        if text.strip() != text:
            return None
    if not unicodedata.is_normalized("NFC", "\x1f".join(present)):
        return None
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
    ) = texts
    if supervisor is not None and supervisor == external_id:
        return None
    start_date = end_date = None
    if (given := get("start_date")) is not None and (start_date := parse_day(given)) is None:
        return None
    if (given := get("end_date")) is not None and (end_date := parse_day(given)) is None:
        return None
    if start_date and end_date and end_date < start_date:
        return None
    id_hash = None
    if (digits := get("national_id")) is not None:
        if national_id.check_digit(digits[:12]) != int(digits[12]):
            return None
        id_hash = national_id.keyed_hash(digits, pii_key)
    active = get("active")
    given_type = get("position_type")
    # The content in the order of ``person_record``'s fingerprint, built here in one go.
    content = (
        external_id,
        employee_number,
        first_name_th,
        last_name_th,
        first_name_en,
        last_name_en,
        email.lower() if email else None,
        position_title,
        given_type,
        position_level,
        agency,
        supervisor,
        True if active is None else active,
        start_date,
        end_date,
        id_hash,
        subject,
    )
    position_type = None if given_type is None else _POSITION_TYPES[given_type]
    return PersonRecord._make((*content[:8], position_type, *content[9:], fingerprint(content)))

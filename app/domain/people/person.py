"""People as agency HR systems (HRIS) send them: the input record, its validation, fingerprint.

A person is keyed by the HRIS's external id, unique within the source agency (the agency whose HR
system sends it). A national id, when sent, is checked and kept only as a keyed hash.

Parsing is on the hot path of the bulk sync (hundreds of thousands of records a night), so it is
table-driven: one pass over the fields, no per-field method calls.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from typing import NamedTuple

from app.domain.errors import FieldError
from app.domain.people import national_id
from app.domain.people.agency import CODE, CODE_HINT
from app.domain.people.fields import TextSpec, read_day, read_texts
from app.domain.people.fingerprint import fingerprint

EXTERNAL_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:@/-]{0,63}")
EXTERNAL_ID_HINT = ": use 1-64 letters, digits or . _ : @ / -, starting with a letter or digit"
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


class PositionType(StrEnum):
    """ประเภทตำแหน่ง of the civil service, plus the other kinds of state personnel."""

    EXECUTIVE = "executive"  # บริหาร
    MANAGERIAL = "managerial"  # อำนวยการ
    ACADEMIC = "academic"  # วิชาการ
    GENERAL = "general"  # ทั่วไป
    GOVERNMENT_EMPLOYEE = "government_employee"  # พนักงานราชการ
    PERMANENT_EMPLOYEE = "permanent_employee"  # ลูกจ้างประจำ
    OTHER = "other"


_POSITION_TYPES = {t.value: t for t in PositionType}


class EmploymentCategory(StrEnum):
    """The HRIS's employment category, as the agency KPIs count people (004:902-908)."""

    ORDINARY_CIVIL_SERVANT = "ordinary_civil_servant"  # ข้าราชการสามัญ (G1)
    TEACHER_EDUCATION = "teacher_education"  # ข้าราชการครูและบุคลากรทางการศึกษา (G1)
    PERMANENT_EMPLOYEE = "permanent_employee"  # ลูกจ้างประจำ (G2 when designated)
    GOVERNMENT_EMPLOYEE = "government_employee"  # พนักงานราชการ (G2 when designated)
    OTHER = "other"  # other personnel (G2 when designated)


_CATEGORIES = {c.value: c for c in EmploymentCategory}

# (name, required, max length, pattern, hint), in the order of PersonRecord's text fields.
TEXT_FIELDS: tuple[TextSpec, ...] = (
    ("external_id", True, 64, EXTERNAL_ID, EXTERNAL_ID_HINT),
    ("employee_number", False, 32, None, ""),
    ("first_name_th", True, 100, None, ""),
    ("last_name_th", True, 100, None, ""),
    ("first_name_en", False, 100, None, ""),
    ("last_name_en", False, 100, None, ""),
    ("email", False, 254, EMAIL, " as an e-mail address"),
    ("position_title", False, 200, None, ""),
    ("position_level", False, 100, None, ""),
    ("agency", True, 32, CODE, CODE_HINT),
    ("supervisor", False, 64, EXTERNAL_ID, EXTERNAL_ID_HINT),
    ("subject", False, 200, None, ""),
)
PERSON_FIELDS = frozenset(
    [spec[0] for spec in TEXT_FIELDS]
    + ["position_type", "active", "start_date", "end_date", "national_id", "employment_category"]
)


class PersonRecord(NamedTuple):
    """A valid person record, normalised. A named tuple: built by the hundred thousand a night,
    and a tuple is built several times faster than a frozen dataclass."""

    external_id: str
    employee_number: str | None
    first_name_th: str
    last_name_th: str
    first_name_en: str | None
    last_name_en: str | None
    email: str | None
    position_title: str | None
    position_type: PositionType | None
    position_level: str | None
    agency: str
    supervisor: str | None  # the supervisor's external id (same source)
    active: bool
    start_date: date | None
    end_date: date | None
    national_id_hash: str | None
    subject: str | None  # the `sub` of this person's user tokens
    employment_category: EmploymentCategory | None
    fingerprint: bytes  # of every field above (see ``person_record``)

    def with_national_id_hash(self, value: str | None) -> PersonRecord:
        return person_record(*self[:15], value, self.subject, self.employment_category)


def person_record(
    external_id: str,
    employee_number: str | None,
    first_name_th: str,
    last_name_th: str,
    first_name_en: str | None,
    last_name_en: str | None,
    email: str | None,
    position_title: str | None,
    position_type: PositionType | None,
    position_level: str | None,
    agency: str,
    supervisor: str | None,
    active: bool,
    start_date: date | None,
    end_date: date | None,
    national_id_hash: str | None,
    subject: str | None,
    employment_category: EmploymentCategory | None = None,
) -> PersonRecord:
    content: tuple[object, ...] = (
        external_id,
        employee_number,
        first_name_th,
        last_name_th,
        first_name_en,
        last_name_en,
        email,
        position_title,
        position_type.value if position_type else None,
        position_level,
        agency,
        supervisor,
        active,
        start_date,
        end_date,
        national_id_hash,
        subject,
    )
    # A category joins the fingerprint only when given: records synced before categories
    # existed keep theirs.
    printed = content if employment_category is None else (*content, employment_category.value)
    return PersonRecord(
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
        national_id_hash,
        subject,
        employment_category,
        fingerprint(printed),
    )


def source_fingerprinter(pii_key: bytes) -> Callable[[bytes | memoryview], bytes]:
    """A keyed hash of a record's JSON text exactly as sent, under a key derived from the PII
    key. When it equals the one stored with the person, the record is the one accepted last
    time: a re-sync skips it without decoding or parsing it again. Only a shortcut: a record
    whose text differs (another key order, other spacing) is parsed and compared by content as
    usual. Keyed, because the text may hold a national id. The hash is keyed once per batch and
    copied for each record."""
    key = hashlib.sha256(b"thaksa:source-fingerprint:" + pii_key).digest()
    keyed = hashlib.blake2b(key=key, digest_size=16)

    def source_fingerprint(text: bytes | memoryview) -> bytes:
        digest = keyed.copy()
        digest.update(text)
        return digest.digest()

    return source_fingerprint


def parse_person(
    raw: object, pointer: str, *, pii_key: bytes
) -> tuple[PersonRecord | None, list[FieldError]]:
    """Validate one person record; every problem is reported with its pointer and rule."""
    if not isinstance(raw, dict):
        return None, [FieldError(pointer, "type", "a record must be a JSON object")]
    errors: list[FieldError] = []
    for key in raw.keys() - PERSON_FIELDS:
        errors.append(FieldError(f"{pointer}/{key}", "unknown-field", f"unknown field {key!r}"))
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
    ) = read_texts(raw, pointer, TEXT_FIELDS, errors)
    position_type = None
    given_type = raw.get("position_type")
    if given_type is not None:
        position_type = _POSITION_TYPES.get(given_type) if isinstance(given_type, str) else None
        if position_type is None:
            allowed = ", ".join(_POSITION_TYPES)
            errors.append(
                FieldError(
                    f"{pointer}/position_type",
                    "enum",
                    f"position_type {given_type!r} is not one of: {allowed}",
                )
            )
    category = None
    given_category = raw.get("employment_category")
    if given_category is not None:
        category = _CATEGORIES.get(given_category) if isinstance(given_category, str) else None
        if category is None:
            allowed = ", ".join(_CATEGORIES)
            errors.append(
                FieldError(
                    f"{pointer}/employment_category",
                    "enum",
                    f"employment_category {given_category!r} is not one of: {allowed}",
                )
            )
    active = raw.get("active", True)
    if active is None:
        active = True
    elif active is not True and active is not False:
        errors.append(FieldError(f"{pointer}/active", "type", "active must be true or false"))
    start_date = read_day(raw, "start_date", pointer, errors)
    end_date = read_day(raw, "end_date", pointer, errors)
    id_hash = _national_id_hash(raw.get("national_id"), pointer, pii_key, errors)
    if start_date and end_date and end_date < start_date:
        errors.append(
            FieldError(f"{pointer}/end_date", "date-order", "end_date is before start_date")
        )
    if external_id is not None and supervisor == external_id:
        errors.append(
            FieldError(
                f"{pointer}/supervisor", "supervisor-cycle", "a person cannot supervise themself"
            )
        )
    if errors:
        return None, errors
    assert external_id is not None
    assert first_name_th is not None
    assert last_name_th is not None
    assert agency is not None
    record = person_record(
        external_id=external_id,
        employee_number=employee_number,
        first_name_th=first_name_th,
        last_name_th=last_name_th,
        first_name_en=first_name_en,
        last_name_en=last_name_en,
        email=email.lower() if email else None,
        position_title=position_title,
        position_type=position_type,
        position_level=position_level,
        agency=agency,
        supervisor=supervisor,
        active=bool(active),
        start_date=start_date,
        end_date=end_date,
        national_id_hash=id_hash,
        subject=subject,
        employment_category=category,
    )
    return record, []


def _national_id_hash(
    raw: object, pointer: str, key: bytes, errors: list[FieldError]
) -> str | None:
    if raw is None or raw == "":
        return None
    where = f"{pointer}/national_id"
    digits = national_id.normalise(raw) if isinstance(raw, str) else None
    if digits is None:
        errors.append(FieldError(where, "format", "national_id must be 13 digits"))
        return None
    if not national_id.is_valid(digits):
        errors.append(FieldError(where, "checksum", "national_id fails its check digit"))
        return None
    return national_id.keyed_hash(digits, key)

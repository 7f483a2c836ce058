"""People as agency HR systems (HRIS) send them: the input record, its validation, fingerprint.

A person is keyed by the HRIS's external id, unique within the source agency (the agency whose HR
system sends it). A national id, when sent, is checked and kept only as a keyed hash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from app.domain.errors import FieldError
from app.domain.people import national_id
from app.domain.people.agency import CODE, CODE_HINT
from app.domain.people.fields import RecordReader
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


PERSON_FIELDS = frozenset(
    {
        "external_id",
        "employee_number",
        "first_name_th",
        "last_name_th",
        "first_name_en",
        "last_name_en",
        "email",
        "position_title",
        "position_type",
        "position_level",
        "agency",
        "supervisor",
        "active",
        "start_date",
        "end_date",
        "national_id",
        "subject",
    }
)


@dataclass(frozen=True, slots=True)
class PersonRecord:
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

    @property
    def fingerprint(self) -> bytes:
        return fingerprint(
            (
                self.external_id,
                self.employee_number,
                self.first_name_th,
                self.last_name_th,
                self.first_name_en,
                self.last_name_en,
                self.email,
                self.position_title,
                self.position_type.value if self.position_type else None,
                self.position_level,
                self.agency,
                self.supervisor,
                self.active,
                self.start_date,
                self.end_date,
                self.national_id_hash,
                self.subject,
            )
        )


def parse_person(
    raw: object, pointer: str, *, pii_key: bytes
) -> tuple[PersonRecord | None, list[FieldError]]:
    """Validate one person record; every problem is reported with its pointer and rule."""
    r = RecordReader(raw, pointer, PERSON_FIELDS)
    external_id = r.text(
        "external_id",
        required=True,
        max_length=64,
        pattern=EXTERNAL_ID,
        pattern_hint=EXTERNAL_ID_HINT,
    )
    employee_number = r.text("employee_number", max_length=32)
    first_name_th = r.text("first_name_th", required=True, max_length=100)
    last_name_th = r.text("last_name_th", required=True, max_length=100)
    first_name_en = r.text("first_name_en", max_length=100)
    last_name_en = r.text("last_name_en", max_length=100)
    email = r.text("email", max_length=254, pattern=EMAIL, pattern_hint=" as an e-mail address")
    position_title = r.text("position_title", max_length=200)
    position_type = r.choice("position_type", PositionType)
    position_level = r.text("position_level", max_length=100)
    agency = r.text("agency", required=True, max_length=32, pattern=CODE, pattern_hint=CODE_HINT)
    supervisor = r.text(
        "supervisor", max_length=64, pattern=EXTERNAL_ID, pattern_hint=EXTERNAL_ID_HINT
    )
    active = r.boolean("active", default=True)
    start_date = r.day("start_date")
    end_date = r.day("end_date")
    subject = r.text("subject", max_length=200)
    id_hash = _national_id_hash(r, pii_key)
    if start_date and end_date and end_date < start_date:
        r.errors.append(
            FieldError(f"{pointer}/end_date", "date-order", "end_date is before start_date")
        )
    if external_id is not None and supervisor == external_id:
        r.errors.append(
            FieldError(
                f"{pointer}/supervisor", "supervisor-cycle", "a person cannot supervise themself"
            )
        )
    if r.errors or external_id is None or first_name_th is None or last_name_th is None:
        return None, r.errors
    assert agency is not None
    record = PersonRecord(
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
        active=active,
        start_date=start_date,
        end_date=end_date,
        national_id_hash=id_hash,
        subject=subject,
    )
    return record, []


def _national_id_hash(r: RecordReader, key: bytes) -> str | None:
    raw = r.raw.get("national_id")
    if raw is None or raw == "":
        return None
    pointer = f"{r.pointer}/national_id"
    digits = national_id.normalise(raw) if isinstance(raw, str) else None
    if digits is None:
        r.errors.append(FieldError(pointer, "format", "national_id must be 13 digits"))
        return None
    if not national_id.is_valid(digits):
        r.errors.append(FieldError(pointer, "checksum", "national_id fails its check digit"))
        return None
    return national_id.keyed_hash(digits, key)

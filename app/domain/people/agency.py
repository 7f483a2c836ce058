"""Agencies: the tree of ministries, departments, bureaus, provincial offices ... and its records.

An agency is keyed by its official code. The tree is kept as a materialised path (see
``docs/agencies-and-people.md``); this module holds the pure parts: the input record, its
validation and its fingerprint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from app.domain.errors import FieldError
from app.domain.people.fields import RecordReader
from app.domain.people.fingerprint import fingerprint

CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}")
CODE_HINT = ": use 1-32 letters, digits, '.', '_' or '-', starting with a letter or digit"


class AgencyKind(StrEnum):
    MINISTRY = "ministry"  # กระทรวง
    DEPARTMENT = "department"  # กรม
    BUREAU = "bureau"  # สำนัก
    DIVISION = "division"  # กอง
    CENTRE = "centre"  # ศูนย์
    SECTION = "section"  # กลุ่มงาน / ฝ่าย
    PROVINCIAL_OFFICE = "provincial_office"  # สำนักงานจังหวัด
    DISTRICT_OFFICE = "district_office"  # สำนักงานอำเภอ
    PUBLIC_ORGANISATION = "public_organisation"  # องค์การมหาชน
    STATE_ENTERPRISE = "state_enterprise"  # รัฐวิสาหกิจ
    LOCAL_GOVERNMENT = "local_government"  # องค์กรปกครองส่วนท้องถิ่น
    OTHER = "other"


AGENCY_FIELDS = frozenset({"code", "name_th", "name_en", "kind", "parent", "active"})


@dataclass(frozen=True, slots=True)
class AgencyRecord:
    code: str
    name_th: str
    name_en: str | None
    kind: AgencyKind
    parent: str | None
    active: bool

    @property
    def fingerprint(self) -> bytes:
        return fingerprint(
            (self.code, self.name_th, self.name_en, self.kind.value, self.parent, self.active)
        )


def parse_agency(raw: object, pointer: str) -> tuple[AgencyRecord | None, list[FieldError]]:
    """Validate one agency record; every problem is reported with its pointer."""
    r = RecordReader(raw, pointer, AGENCY_FIELDS)
    code = r.text("code", required=True, max_length=32, pattern=CODE, pattern_hint=CODE_HINT)
    name_th = r.text("name_th", required=True, max_length=300)
    name_en = r.text("name_en", max_length=300)
    kind = r.choice("kind", AgencyKind, required=True)
    parent = r.text("parent", max_length=32, pattern=CODE, pattern_hint=CODE_HINT)
    active = r.boolean("active", default=True)
    if code is not None and parent == code:
        r.errors.append(
            FieldError(f"{pointer}/parent", "parent-cycle", "an agency cannot be its own parent")
        )
    if r.errors or code is None or name_th is None or kind is None:
        return None, r.errors
    return AgencyRecord(code, name_th, name_en, kind, parent, active), []

"""What an export holds: its kinds, formats and columns (Thai headers), and how a value is written.

Years are Buddhist Era: a fiscal year is its BE number; a date in CSV is written ``2568-10-01``
(the API's own date rule: a year from 2400 on is BE, so the text reads back as the same day); in
XLSX a date is a real date cell shown with the Thai Buddhist calendar (``[$-th-TH,107]``), so a
spreadsheet sorts and computes with it. See docs/documents-and-exports.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from app.domain.dates import BE_OFFSET


class ExportKind(StrEnum):
    PEOPLE_READINESS = "people_readiness"  # people x readiness and gaps of the year
    PLANS = "plans"  # development plans of the year
    KPIS = "kpis"  # the agency's KPI table (G1-G3, funnel) with its drill-down


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


MEDIA_TYPES = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class ColumnType(StrEnum):
    TEXT = "text"
    INT = "int"
    YEAR = "year"  # a Buddhist Era year (an integer)
    DATE = "date"
    NUMBER = "number"


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    header_th: str
    type: ColumnType = ColumnType.TEXT


_T, _I, _Y, _D, _N = (
    ColumnType.TEXT,
    ColumnType.INT,
    ColumnType.YEAR,
    ColumnType.DATE,
    ColumnType.NUMBER,
)

COLUMNS: dict[ExportKind, tuple[Column, ...]] = {
    ExportKind.PEOPLE_READINESS: (
        Column("agency_code", "รหัสหน่วยงาน"),
        Column("agency_name", "หน่วยงาน"),
        Column("external_id", "รหัสบุคลากร"),
        Column("person_name", "ชื่อ-สกุล"),
        Column("position", "ตำแหน่ง"),
        Column("fiscal_year", "ปีงบประมาณ (พ.ศ.)", _Y),
        Column("kind", "ประเภทการประเมิน"),
        Column("finalized_on", "วันที่ยืนยันผล", _D),
        Column("present_met", "ผ่าน (เป้าหมายปัจจุบัน)", _I),
        Column("present_required", "ที่กำหนด (เป้าหมายปัจจุบัน)", _I),
        Column("present_percent", "ร้อยละความพร้อม (ปัจจุบัน)", _N),
        Column("future_met", "ผ่าน (เป้าหมายอนาคต)", _I),
        Column("future_required", "ที่กำหนด (เป้าหมายอนาคต)", _I),
        Column("gap_count", "จำนวนช่องว่างทักษะ", _I),
        Column("gaps", "รายการช่องว่างทักษะ"),
    ),
    ExportKind.PLANS: (
        Column("agency_code", "รหัสหน่วยงาน"),
        Column("agency_name", "หน่วยงาน"),
        Column("external_id", "รหัสบุคลากร"),
        Column("person_name", "ชื่อ-สกุล"),
        Column("fiscal_year", "ปีงบประมาณ (พ.ศ.)", _Y),
        Column("revision", "ฉบับที่", _I),
        Column("state", "สถานะแผน"),
        Column("item_count", "จำนวนรายการพัฒนา", _I),
        Column("submitted_on", "วันที่เสนอแผน", _D),
        Column("owner_ack_on", "วันที่ผู้รับการพัฒนารับทราบ", _D),
        Column("supervisor_ack_on", "วันที่ผู้บังคับบัญชารับทราบ", _D),
        Column("evaluated", "ประเมินผลแล้ว"),
    ),
    ExportKind.KPIS: (
        Column("agency_code", "รหัสหน่วยงาน"),
        Column("agency_name", "หน่วยงาน"),
        Column("scope", "ขอบเขต"),
        Column("fiscal_year", "ปีงบประมาณ (พ.ศ.)", _Y),
        Column("kpi", "ตัวชี้วัด"),
        Column("numerator", "ตัวตั้ง", _I),
        Column("denominator", "ตัวหาร", _I),
        Column("percent", "ร้อยละ", _N),
        Column("target_percent", "ค่าเป้าหมาย (ร้อยละ)", _I),
        Column("meets_target", "บรรลุเป้าหมาย"),
        Column("snapshot_on", "วันที่ข้อมูล", _D),
    ),
}

# Thai words for the closed vocabularies an export shows.
STATES_TH = {
    "draft": "ร่าง",
    "submitted": "เสนอแล้ว",
    "acknowledged": "รับทราบแล้ว",
    "in_progress": "กำลังดำเนินการ",
    "evaluated": "ประเมินผลแล้ว",
}
KINDS_TH = {"baseline": "ประเมินตนเองก่อนพัฒนา", "reflection": "ประเมินหลังพัฒนา"}
YES_NO_TH = {True: "ใช่", False: "ไม่ใช่"}
# Excel's Thai Buddhist calendar (calendar 07) in Thai: ``6 ธ.ค. 2569``.
XLSX_DATE_FORMAT = "[$-th-TH,107]d mmm yyyy"


def be_date(day: date) -> str:
    """``2025-10-01`` -> ``2568-10-01`` (reads back through the API's date rule as the same day)."""
    return f"{day.year + BE_OFFSET:04d}-{day.month:02d}-{day.day:02d}"


def headers(kind: ExportKind) -> list[str]:
    return [c.header_th for c in COLUMNS[kind]]


def filename(kind: ExportKind, agency: str, fiscal_year: int, fmt: ExportFormat) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in agency)
    return f"{kind.value}-{safe}-{fiscal_year}.{fmt.value}"

"""A synthetic but realistic organisation for demos, tests and benchmarks: deterministic for a
given seed. Ministries, departments, divisions and provincial offices; people with Thai names,
positions of the Thai civil service, supervisor chains five levels deep, staff groups and stage
declarations. Records come out in the shape the HRIS sync accepts, supervisors before reports.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from app.domain.people.national_id import check_digit
from app.domain.roles import MaturityStage, StaffGroup

MINISTRIES = [
    ("MOF", "กระทรวงการคลัง", "Ministry of Finance", "mof.go.th"),
    ("MOI", "กระทรวงมหาดไทย", "Ministry of Interior", "moi.go.th"),
    (
        "MDES",
        "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม",
        "Ministry of Digital Economy and Society",
        "mdes.go.th",
    ),
    ("MOPH", "กระทรวงสาธารณสุข", "Ministry of Public Health", "moph.go.th"),
    ("MOE", "กระทรวงศึกษาธิการ", "Ministry of Education", "moe.go.th"),
    ("MOAC", "กระทรวงเกษตรและสหกรณ์", "Ministry of Agriculture and Cooperatives", "moac.go.th"),
]
DEPARTMENTS = [
    ("กรมสรรพากร", "Revenue Department"),
    ("กรมบัญชีกลาง", "Comptroller General's Department"),
    ("กรมการปกครอง", "Department of Provincial Administration"),
    ("กรมพัฒนาชุมชน", "Community Development Department"),
    ("กรมส่งเสริมเศรษฐกิจดิจิทัล", "Department of Digital Economy Promotion"),
    ("กรมควบคุมโรค", "Department of Disease Control"),
    ("กรมวิชาการเกษตร", "Department of Agriculture"),
    ("กรมส่งเสริมการเรียนรู้", "Department of Learning Encouragement"),
]
DIVISIONS = [
    ("กองบริหารทรัพยากรบุคคล", "Human Resources Division", StaffGroup.OTHERS),
    ("ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร", "ICT Centre", StaffGroup.TECHNOLOGIST),
    ("กองยุทธศาสตร์และแผนงาน", "Strategy and Planning Division", StaffGroup.ACADEMIC),
    ("กองคลัง", "Finance Division", StaffGroup.OTHERS),
    ("กองกฎหมาย", "Legal Affairs Division", StaffGroup.ACADEMIC),
    ("สำนักงานเลขานุการกรม", "Office of the Secretary", StaffGroup.OTHERS),
    ("กองบริการประชาชน", "Public Service Division", StaffGroup.SERVICE),
    ("กองพัฒนาระบบบริหาร", "Public Sector Development Division", StaffGroup.ACADEMIC),
]
PROVINCES = [
    ("เชียงใหม่", "Chiang Mai"),
    ("ขอนแก่น", "Khon Kaen"),
    ("นครราชสีมา", "Nakhon Ratchasima"),
    ("สงขลา", "Songkhla"),
    ("ภูเก็ต", "Phuket"),
    ("อุดรธานี", "Udon Thani"),
    ("พิษณุโลก", "Phitsanulok"),
    ("ชลบุรี", "Chon Buri"),
    ("สุราษฎร์ธานี", "Surat Thani"),
    ("อุบลราชธานี", "Ubon Ratchathani"),
    ("นครศรีธรรมราช", "Nakhon Si Thammarat"),
    ("เชียงราย", "Chiang Rai"),
]
FIRST_NAMES = [
    ("สมชาย", "Somchai"),
    ("สมศรี", "Somsri"),
    ("วิชัย", "Wichai"),
    ("มาลี", "Malee"),
    ("ประเสริฐ", "Prasert"),
    ("สุภาพร", "Supaporn"),
    ("ธนากร", "Thanakorn"),
    ("กาญจนา", "Kanchana"),
    ("อนุชา", "Anucha"),
    ("ปิยะนุช", "Piyanuch"),
    ("สุรชัย", "Surachai"),
    ("วรรณา", "Wanna"),
    ("ณัฐพล", "Nattaphon"),
    ("ศิริพร", "Siriporn"),
    ("กิตติศักดิ์", "Kittisak"),
    ("อรุณี", "Arunee"),
    ("ชัยวัฒน์", "Chaiwat"),
    ("พิมพ์ชนก", "Pimchanok"),
    ("ธีรพงษ์", "Theerapong"),
    ("นภัสสร", "Napatsorn"),
    ("บุญเลิศ", "Boonlert"),
    ("จันทร์เพ็ญ", "Chanpen"),
    ("สุเมธ", "Sumet"),
    ("รัชนี", "Ratchanee"),
    ("ปกรณ์", "Pakorn"),
    ("ดารุณี", "Darunee"),
    ("เอกชัย", "Ekkachai"),
    ("ลัดดา", "Ladda"),
]
LAST_NAMES = [
    ("ใจดี", "Jaidee"),
    ("รักไทย", "Rakthai"),
    ("ศรีสุข", "Srisuk"),
    ("บุญมา", "Boonma"),
    ("แก้วมณี", "Kaewmanee"),
    ("วงศ์สวัสดิ์", "Wongsawat"),
    ("ทองคำ", "Thongkham"),
    ("สุขเจริญ", "Sukcharoen"),
    ("พรหมวงศ์", "Phromwong"),
    ("จันทร์หอม", "Chanhom"),
    ("ประเสริฐศรี", "Prasertsri"),
    ("ชัยมงคล", "Chaimongkol"),
    ("นาคสุข", "Naksuk"),
    ("ศักดิ์สิทธิ์", "Saksit"),
    ("เพชรรัตน์", "Phetcharat"),
    ("มั่นคง", "Mankong"),
    ("สายบุญ", "Saiboon"),
    ("อินทร์แก้ว", "Inkaew"),
    ("ธรรมรักษ์", "Thammarak"),
    ("พูลผล", "Poonphon"),
    ("เรืองศรี", "Ruangsri"),
    ("กิตติวงศ์", "Kittiwong"),
    ("บุญญาศิริ", "Boonyasiri"),
    ("วัฒนา", "Wattana"),
]
STAFF_POSITIONS: dict[StaffGroup, list[tuple[str, str]]] = {
    StaffGroup.TECHNOLOGIST: [
        ("นักวิชาการคอมพิวเตอร์", "academic"),
        ("เจ้าพนักงานเครื่องคอมพิวเตอร์", "general"),
    ],
    StaffGroup.ACADEMIC: [("นักวิเคราะห์นโยบายและแผน", "academic"), ("นิติกร", "academic")],
    StaffGroup.SERVICE: [("นักจัดการงานทั่วไป", "academic"), ("เจ้าพนักงานปกครอง", "general")],
    StaffGroup.OTHERS: [
        ("นักทรัพยากรบุคคล", "academic"),
        ("เจ้าพนักงานธุรการ", "general"),
        ("เจ้าพนักงานการเงินและบัญชี", "general"),
    ],
}
LEVELS = {
    "academic": ["ปฏิบัติการ", "ชำนาญการ", "ชำนาญการพิเศษ"],
    "general": ["ปฏิบัติงาน", "ชำนาญงาน", "อาวุโส"],
}


@dataclass
class Organisation:
    agencies: list[dict[str, Any]] = field(default_factory=list)
    people: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # by source agency
    groups: dict[tuple[str, str], list[tuple[StaffGroup, str]]] = field(default_factory=dict)
    stages: list[tuple[str, MaturityStage]] = field(default_factory=list)

    @property
    def people_count(self) -> int:
        return sum(len(p) for p in self.people.values())


@dataclass
class _Unit:
    code: str
    group: StaffGroup
    head: str | None = None  # external id of the unit's head
    leads: list[str] = field(default_factory=list)


class _Builder:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 (synthetic data, not secrets)
        # The employment categories come from a stream of their own, so that adding them left
        # every other value of a seed as it was.
        self.categories = random.Random(seed ^ 0x5EED)  # noqa: S311
        self.org = Organisation()

    def national_id(self) -> str:
        first = str(self.rng.choice("1238")) + "".join(
            str(self.rng.randrange(10)) for _ in range(11)
        )
        return first + str(check_digit(first))

    def agency(self, code: str, th: str, en: str, kind: str, parent: str | None) -> None:
        record = {"code": code, "name_th": th, "name_en": en, "kind": kind, "parent": parent}
        self.org.agencies.append({k: v for k, v in record.items() if v is not None})

    def person(
        self,
        source: str,
        domain: str,
        unit: _Unit,
        supervisor: str | None,
        title: str,
        position_type: str,
        level: str,
        group: StaffGroup,
    ) -> str:
        people = self.org.people.setdefault(source, [])
        number = len(people) + 1
        external_id = f"{source}-{number:06d}"
        (first_th, first_en), (last_th, last_en) = (
            self.rng.choice(FIRST_NAMES),
            self.rng.choice(LAST_NAMES),
        )
        login = f"{first_en.lower()}.{last_en[:2].lower()}{number}@{domain}"
        year = self.rng.randrange(1995, 2024)
        record: dict[str, Any] = {
            "external_id": external_id,
            "employee_number": f"{number:07d}",
            "first_name_th": first_th,
            "last_name_th": last_th,
            "first_name_en": first_en,
            "last_name_en": last_en,
            "email": login,
            "position_title": title,
            "position_type": position_type,
            "position_level": level,
            "agency": unit.code,
            "start_date": f"{year}-{self.rng.randrange(1, 13):02d}-01",
            "national_id": self.national_id(),
            "subject": login,
            # Most are ordinary civil servants (G1); a few government and permanent employees,
            # whom their unit may designate as digital-skill targets (G2).
            "employment_category": self.categories.choices(
                ("ordinary_civil_servant", "government_employee", "permanent_employee"),
                weights=(85, 10, 5),
            )[0],
        }
        if supervisor:
            record["supervisor"] = supervisor
        people.append(record)
        groups = [(group, "whole")]
        if group in (StaffGroup.ACADEMIC, StaffGroup.SERVICE) and self.rng.random() < 0.05:
            other = StaffGroup.SERVICE if group is StaffGroup.ACADEMIC else StaffGroup.ACADEMIC
            # A second group applies in whole: a partial one names items chosen from its
            # profile, which the person and their supervisor agree on (003:657).
            groups.append((other, "whole"))
        self.org.groups[(source, external_id)] = groups
        return external_id


def generate(people: int, seed: int) -> Organisation:
    """An organisation of about ``people`` people (exactly that many, when at least one)."""
    b = _Builder(seed)
    ministries = MINISTRIES[: max(1, min(len(MINISTRIES), 1 + people // 25_000))]
    shares = [
        people // len(ministries) + (1 if i < people % len(ministries) else 0)
        for i in range(len(ministries))
    ]
    for (code, th, en, domain), share in zip(ministries, shares, strict=True):
        _ministry(b, code, th, en, domain, share)
    return b.org


def _ministry(b: _Builder, code: str, th: str, en: str, domain: str, share: int) -> None:
    b.agency(code, th, en, "ministry", None)
    b.org.stages.append((code, b.rng.choice([MaturityStage.EARLY, MaturityStage.DEVELOPING])))
    units_wanted = max(1, share // 40)
    departments = max(1, min(len(DEPARTMENTS), units_wanted // 6))
    offset = len(b.org.stages) * 3  # vary the departments' names between ministries
    root = _Unit(code, StaffGroup.EXECUTIVE)
    if share <= 0:
        return
    root.head = b.person(
        code, domain, root, None, "ปลัดกระทรวง", "executive", "สูง", StaffGroup.EXECUTIVE
    )
    units: list[_Unit] = []
    for d in range(departments):
        d_th, d_en = DEPARTMENTS[(d + offset) % len(DEPARTMENTS)]
        d_code = f"{code}-D{d + 1:02d}"
        b.agency(d_code, d_th, d_en, "department", code)
        if b.rng.random() < 0.3:
            b.org.stages.append((d_code, MaturityStage.DEVELOPING))
        dept = _Unit(d_code, StaffGroup.EXECUTIVE)
        if len(b.org.people[code]) < share:
            dept.head = b.person(
                code, domain, dept, root.head, "อธิบดี", "executive", "สูง", StaffGroup.EXECUTIVE
            )
        # Large departments grow their units (about 40-150 people each), not their unit count.
        per_department = min(len(DIVISIONS) + len(PROVINCES), max(1, units_wanted // departments))
        for u in range(per_department):
            if u < len(DIVISIONS):
                u_th, u_en, group = DIVISIONS[u]
                unit = _Unit(f"{d_code}-{u + 1:02d}", group)
                b.agency(unit.code, u_th, u_en, "division", d_code)
            else:
                p_th, p_en = PROVINCES[u - len(DIVISIONS)]
                unit = _Unit(f"{d_code}-P{u + 1:02d}", StaffGroup.SERVICE)
                b.agency(
                    unit.code,
                    f"สำนักงาน{d_th[3:]}จังหวัด{p_th}",
                    f"{d_en}, {p_en} Office",
                    "provincial_office",
                    d_code,
                )
            units.append(unit)
            if len(b.org.people[code]) < share:
                unit.head = b.person(
                    code,
                    domain,
                    unit,
                    dept.head or root.head,
                    "ผู้อำนวยการ",
                    "managerial",
                    "ต้น",
                    StaffGroup.MANAGEMENT,
                )
    _staff(b, code, domain, units, share)


def _staff(b: _Builder, code: str, domain: str, units: list[_Unit], share: int) -> None:
    """Team leads under each unit head, then staff under the leads, round-robin over units."""
    turn = 0
    while len(b.org.people[code]) < share and units:
        unit = units[turn % len(units)]
        turn += 1
        title, position_type = b.rng.choice(
            STAFF_POSITIONS.get(unit.group, STAFF_POSITIONS[StaffGroup.OTHERS])
        )
        if len(unit.leads) < 1 + turn // (8 * len(units)):
            level = LEVELS[position_type][-1]
            unit.leads.append(
                b.person(code, domain, unit, unit.head, title, position_type, level, unit.group)
            )
            continue
        level = b.rng.choice(LEVELS[position_type][:2])
        boss = b.rng.choice(unit.leads)
        b.person(code, domain, unit, boss, title, position_type, level, unit.group)

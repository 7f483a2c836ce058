"""The role matrix's two axes: staff groups and agency maturity stages (003:614-659, 001:229-250).

Six staff groups times three maturity stages give the 18 role profiles. Both are fixed by the
Cabinet resolution, so they are closed vocabularies here.
"""

from __future__ import annotations

from enum import StrEnum


class StaffGroup(StrEnum):
    """The six target groups of 003:614 (ผู้บริหารระดับสูง ... ผู้ปฏิบัติงานอื่น)."""

    EXECUTIVE = "executive"
    MANAGEMENT = "management"
    ACADEMIC = "academic"
    SERVICE = "service"
    TECHNOLOGIST = "technologist"
    OTHERS = "others"

    @property
    def name_th(self) -> str:
        return _GROUP_TH[self]


_GROUP_TH = {
    StaffGroup.EXECUTIVE: "ผู้บริหารระดับสูง",
    StaffGroup.MANAGEMENT: "ผู้อำนวยการกอง",
    StaffGroup.ACADEMIC: "ผู้ทำงานด้านนโยบายและงานวิชาการ",
    StaffGroup.SERVICE: "ผู้ทำงานด้านบริการ",
    StaffGroup.TECHNOLOGIST: "ผู้ปฏิบัติงานเฉพาะด้านเทคโนโลยีดิจิทัล",
    StaffGroup.OTHERS: "ผู้ปฏิบัติงานอื่น",
}


class MaturityStage(StrEnum):
    """Years 1-2 (Early), 3-5 (Developing), 6-10 (Mature) of the digital transition (003:614)."""

    EARLY = "early"
    DEVELOPING = "developing"
    MATURE = "mature"

    def next(self) -> MaturityStage | None:
        """The stage after this one: the *future* target (003:655); none after mature."""
        order = list(MaturityStage)
        position = order.index(self)
        return order[position + 1] if position + 1 < len(order) else None

    @property
    def rank(self) -> int:
        return list(MaturityStage).index(self)

    @property
    def name_th(self) -> str:
        return _STAGE_TH[self]


_STAGE_TH = {
    MaturityStage.EARLY: "ระยะเริ่มต้น (ปีที่ ๑ - ๒)",
    MaturityStage.DEVELOPING: "ระยะพัฒนา (ปีที่ ๓ - ๕)",
    MaturityStage.MATURE: "ระยะสมบูรณ์ (ปีที่ ๖ - ๑๐)",
}

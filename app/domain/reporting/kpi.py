"""The agency KPIs as the seeds define them (RULES G1-G3, 004:900-910) and the shape of a figure.

Each KPI is a share: ``numerator`` people of ``denominator`` people, compared with the agency's
target (policy, seed default 80%). The populations and the events counted are defined in
docs/reporting.md and implemented once in app/db/repositories/reporting/figures.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from app.domain.fiscal import FiscalYear


@dataclass(frozen=True, slots=True)
class KpiDefinition:
    code: str
    title_th: str
    title_en: str
    seed_lines: str
    numerator: str  # the count names of figures.COUNTS
    denominator: str


KPIS: tuple[KpiDefinition, ...] = (
    KpiDefinition(
        "G1",
        "ร้อยละของข้าราชการสามัญ และข้าราชการครูและบุคลากรทางการศึกษา"
        " ที่ประเมินตนเองและมีแผนพัฒนารายบุคคล ภายในปีงบประมาณ",
        "Civil servants (ordinary; teachers and education personnel) self-assessed with an"
        " agreed IDP within the fiscal year",
        "004:900-904",
        "g1_num",
        "g1_den",
    ),
    KpiDefinition(
        "G2",
        "ร้อยละของบุคลากรที่หน่วยงานต้นสังกัดกำหนดให้เป็นกลุ่มเป้าหมายในการพัฒนาทักษะด้านดิจิทัล"
        " ที่ประเมินตนเองและมีแผนพัฒนารายบุคคล ภายในปีงบประมาณ",
        "Other personnel designated digital-skill targets by their unit, self-assessed with an"
        " agreed IDP within the fiscal year",
        "004:900, 906-908",
        "g2_num",
        "g2_den",
    ),
    KpiDefinition(
        "G3",
        "ร้อยละของผู้มีแผนพัฒนารายบุคคลที่ได้รับการพัฒนาตามแผน",
        "IDP holders developed as planned (IDP2: every item as planned), the plans of the year"
        " before",
        "004:910; IDP2 004:1657-1677",
        "g3_num",
        "g3_den",
    ),
)
KPI_CODES = tuple(k.code for k in KPIS)


def percent(numerator: int, denominator: int) -> Decimal | None:
    """The share in percent, to one decimal place (None over nobody)."""
    if denominator == 0:
        return None
    return (Decimal(100) * numerator / denominator).quantize(Decimal("0.1"), ROUND_HALF_UP)


def snapshot_date(year: FiscalYear, today: date) -> date:
    """The day the figures describe: today while the year runs, its last day once it is over
    (stored state is read as it stands; a report of a future year describes today)."""
    return min(today, year.end)

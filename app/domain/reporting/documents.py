"""What the printed documents say, as plain data a template lays out.

See docs/documents-and-exports.md.

IDP1 (004:1638-1655) and IDP2 (004:1657-1680) are printed as the forms are: the same columns in
the same order, Thai numerals where the form has them, dates in the Buddhist Era with Thai month
names (``6 ธันวาคม 2569`` written ``๖ ธันวาคม ๒๕๖๙``). Building the data is pure; the engine that
draws it is a service. Every text is NFC, so what a PDF's text layer says can be compared with
what was stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from app.domain.dates import BE_OFFSET
from app.domain.fiscal import BANGKOK
from app.domain.planning.methods import Bucket, bucket_of, method_by_code
from app.domain.planning.model import (
    Acknowledgement,
    DatePeriod,
    DevelopmentPlan,
    Evaluator,
    NextStep,
    Outcome,
    PlanItem,
    QuarterPeriod,
    quarter_bounds,
)
from app.domain.text import nfc

THAI_MONTHS = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
THAI_MONTHS_SHORT = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)
_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def thai_digits(value: object) -> str:
    """``2569`` -> ``๒๕๖๙``: the numerals the printed forms use."""
    return str(value).translate(_THAI_DIGITS)


def thai_date(day: date | datetime, *, short: bool = False) -> str:
    """A day as printed on a Thai form: ``๖ ธันวาคม ๒๕๖๙`` (Buddhist Era, Thai month name).

    A time of day is read in Bangkok time first, so an acknowledgement signed at 23:30 UTC is
    dated the next day, as the person saw it."""
    if isinstance(day, datetime):
        day = day.astimezone(BANGKOK).date() if day.tzinfo else day.date()
    months = THAI_MONTHS_SHORT if short else THAI_MONTHS
    return thai_digits(f"{day.day} {months[day.month - 1]} {day.year + BE_OFFSET}")


def _hours(value: Decimal) -> str:
    text = f"{value.normalize():f}" if value != value.to_integral() else str(int(value))
    return thai_digits(text)


def _period(item: PlanItem) -> tuple[list[bool], str]:
    """The four quarter boxes of IDP1 column 5, and the dates when the period is given by dates."""
    if isinstance(item.period, QuarterPeriod):
        return [q in item.period.quarters for q in (1, 2, 3, 4)], ""
    if isinstance(item.period, DatePeriod):
        start, end = item.period.start, item.period.end
        return [False] * 4, f"{thai_date(start, short=True)} - {thai_date(end, short=True)}"
    return [False] * 4, ""


def _quarters_of_dates(item: PlanItem, plan: DevelopmentPlan) -> list[bool]:
    if not isinstance(item.period, DatePeriod):
        return [False] * 4
    fy = plan.fiscal_year
    ticks = [False] * 4
    for q in (1, 2, 3, 4):
        first, last = quarter_bounds(fy, q)
        ticks[q - 1] = item.period.start <= last and item.period.end >= first
    return ticks


def _activities(item: PlanItem, bucket: Bucket) -> list[str]:
    lines = []
    for a in item.activities:
        method = method_by_code(a.method)
        if method is None or bucket_of(method) is not bucket:
            continue
        text = f"{method.name_th} ({_hours(a.planned_hours)} ชม.)"
        if a.description:
            text += f" {a.description}"
        lines.append(nfc(text))
    return lines


def _signature(ack: Acknowledgement | None, name: str) -> dict[str, Any]:
    return {"name": nfc(name), "date": thai_date(ack.at) if ack else "", "signed": ack is not None}


def idp1(
    plan: DevelopmentPlan,
    *,
    item_names: Mapping[str, str],
    supervisor_name: str,
    agency_name: str = "",
) -> dict[str, Any]:
    """The data of the IDP1 form (004:1638-1655) for one plan revision."""
    rows = []
    for number, item in enumerate(plan.by_priority(), start=1):
        boxes, dates = _period(item)
        if dates:
            boxes = _quarters_of_dates(item, plan)
        competencies = [
            nfc(f"{code} {item_names[code]}" if code in item_names else code)
            for code in item.framework_items
        ]
        rows.append(
            {
                "number": thai_digits(f"{number}."),
                "competencies": competencies,
                "reason": nfc(item.reason_note),
                "topic": nfc(item.topic or (item.course_ref or "")),
                "doing": _activities(item, Bucket.DOING),
                "others": _activities(item, Bucket.OTHERS),
                "training": _activities(item, Bucket.TRAINING),
                "application": nfc(item.application),
                "quarters": boxes,
                "dates": dates,
                "self": Evaluator.SELF in item.evaluation_methods,
                "supervisor": bool(
                    {Evaluator.SUPERVISOR, Evaluator.PEER} & item.evaluation_methods
                ),
            }
        )
    return {
        "form": "IDP1",
        "fiscal_year": thai_digits(plan.fiscal_year.be),
        "person_name": plan.person_name,
        "position": plan.position,
        "unit": plan.unit,
        "agency": nfc(agency_name),
        "revision": thai_digits(plan.revision),
        "rows": rows,
        "owner": _signature(plan.owner_ack, plan.person_name),
        "supervisor": _signature(plan.supervisor_ack, supervisor_name),
    }


def idp2(
    plan: DevelopmentPlan,
    *,
    item_names: Mapping[str, str],
    supervisor_name: str,
    agency_name: str = "",
) -> dict[str, Any]:
    """The data of the IDP2 form (004:1657-1680): the plan's items and how each went."""
    evaluation = plan.evaluation
    by_item = {e.item_id: e for e in evaluation.items} if evaluation else {}
    rows = []
    for number, item in enumerate(plan.by_priority(), start=1):
        found = by_item.get(item.id)
        rows.append(
            {
                "number": thai_digits(f"{number}."),
                "competencies": [
                    nfc(f"{code} {item_names[code]}" if code in item_names else code)
                    for code in item.framework_items
                ],
                "topic": nfc(item.topic or (item.course_ref or "")),
                "application": nfc(item.application),
                "as_planned": bool(found and found.outcome is Outcome.AS_PLANNED),
                "not_as_planned": bool(found and found.outcome is Outcome.NOT_AS_PLANNED),
                "continue": bool(found and found.next_step is NextStep.CONTINUE),
                "revise": bool(found and found.next_step is NextStep.REVISE),
                "narrative": found.narrative if found else "",
                "suggestions": found.suggestions if found else "",
            }
        )
    return {
        "form": "IDP2",
        "fiscal_year": thai_digits(plan.fiscal_year.be),
        "person_name": plan.person_name,
        "position": plan.position,
        "unit": plan.unit,
        "agency": nfc(agency_name),
        "rows": rows,
        "owner": _signature(evaluation.owner_ack if evaluation else None, plan.person_name),
        "supervisor": _signature(
            evaluation.supervisor_ack if evaluation else None, supervisor_name
        ),
    }

"""The plan as a JSON document, in the model's field names (docs/planning.md).

The API takes items and evaluation rows in this shape and stores the plan the same way, so a
finding's pointer (``/items/1/activities/0/lecture_share``) points into what the caller sent.
Reading reports every structural problem at once (wrong types, unknown codes of the closed
vocabularies), each with its pointer; what a person may get wrong in substance is left to
``validation.validate``. Ids of items and activities are kept when given and made when absent.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from app.domain import dates
from app.domain.errors import FieldError, ValidationFailed
from app.domain.planning.model import (
    MAX_HOURS,
    Acknowledgement,
    Activity,
    CourseRef,
    DatePeriod,
    DevelopmentPlan,
    Evaluator,
    ItemEvaluation,
    NextStep,
    Outcome,
    Period,
    PlanEvaluation,
    PlanItem,
    ProfileTarget,
    QuarterPeriod,
    Reason,
)

RULE = "P-DOCUMENT"
MAX_TEXT = 4000


class _Reader:
    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def bad(self, pointer: str, message: str) -> None:
        self.errors.append(FieldError(pointer, RULE, message))

    def obj(self, raw: Any, at: str) -> Mapping[str, Any] | None:
        if not isinstance(raw, Mapping):
            self.bad(at, "must be an object")
            return None
        return raw

    def known(self, raw: Mapping[str, Any], at: str, fields: tuple[str, ...]) -> None:
        for key in raw:
            if key not in fields:
                self.bad(f"{at}/{key}", "unknown field")

    def text(self, raw: Mapping[str, Any], name: str, at: str) -> str:
        value = raw.get(name)
        if value is None:
            return ""
        if not isinstance(value, str) or len(value) > MAX_TEXT:
            self.bad(f"{at}/{name}", f"must be text of at most {MAX_TEXT} characters")
            return ""
        return value.strip()

    def number(self, value: Any, at: str, upper: Decimal) -> Decimal | None:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.bad(at, "must be a number")
            return None
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            self.bad(at, "must be a number")
            return None
        if not number.is_finite() or not 0 <= number <= upper:
            self.bad(at, f"must be a number from 0 to {upper}")
            return None
        return number

    def choice(self, value: Any, at: str, kind: Any) -> Any:
        try:
            return kind(value)
        except (ValueError, TypeError):
            allowed = ", ".join(str(k.value) for k in kind)
            self.bad(at, f"must be one of: {allowed}")
            return None

    def day(self, value: Any, at: str) -> date | None:
        found = dates.parse_date(value) if isinstance(value, str) else None
        if found is None:
            self.errors.append(FieldError(at, dates.RULE, dates.problem(value)))
        return found


_ITEM_FIELDS = (
    "id",
    "priority",
    "framework_items",
    "reason",
    "reason_note",
    "target",
    "topic",
    "course_ref",
    "activities",
    "application",
    "period",
    "evaluation_methods",
)
_ACTIVITY_FIELDS = ("id", "method", "planned_hours", "lecture_share", "description", "course")
_COURSE_FIELDS = ("provider", "code")


def items_from_json(
    raw: Any, new_id: Callable[[], str], pointer: str = "/items"
) -> tuple[PlanItem, ...]:
    """Plan items from their JSON form; ValidationFailed lists every structural problem."""
    reader = _Reader()
    if not isinstance(raw, list):
        raise ValidationFailed([FieldError(pointer, RULE, "must be a list of items")])
    items = [_item(reader, entry, f"{pointer}/{i}", new_id) for i, entry in enumerate(raw)]
    _unique_ids(reader, items, pointer)
    if reader.errors:
        raise ValidationFailed(reader.errors)
    return tuple(i for i in items if i is not None)


def _item(reader: _Reader, raw: Any, at: str, new_id: Callable[[], str]) -> PlanItem | None:
    data = reader.obj(raw, at)
    if data is None:
        return None
    reader.known(data, at, _ITEM_FIELDS)
    before = len(reader.errors)
    priority = data.get("priority")
    if isinstance(priority, bool) or not isinstance(priority, int) or priority < 1:
        reader.bad(f"{at}/priority", "must be a whole number from 1")
    codes = data.get("framework_items", [])
    if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
        reader.bad(f"{at}/framework_items", "must be a list of framework item codes")
        codes = []
    reason = reader.choice(data.get("reason"), f"{at}/reason", Reason)
    target = reader.choice(data.get("target", "present"), f"{at}/target", ProfileTarget)
    methods = data.get("evaluation_methods", [])
    evaluators: set[Evaluator] = set()
    if not isinstance(methods, list):
        reader.bad(f"{at}/evaluation_methods", "must be a list")
    else:
        for k, m in enumerate(methods):
            found = reader.choice(m, f"{at}/evaluation_methods/{k}", Evaluator)
            if found is not None:
                evaluators.add(found)
    raw_activities = data.get("activities", [])
    activities: list[Activity | None] = []
    if not isinstance(raw_activities, list):
        reader.bad(f"{at}/activities", "must be a list of activities")
    else:
        activities = [
            _activity(reader, a, f"{at}/activities/{j}", new_id)
            for j, a in enumerate(raw_activities)
        ]
    period = _period(reader, data.get("period"), f"{at}/period")
    course_ref = reader.text(data, "course_ref", at) or None
    texts = {n: reader.text(data, n, at) for n in ("reason_note", "topic", "application")}
    item_id = _id(reader, data, at, new_id)
    if len(reader.errors) > before or not isinstance(priority, int):
        return None
    return PlanItem(
        id=item_id,
        priority=priority,
        framework_items=tuple(c.strip() for c in codes if c.strip()),
        reason=reason,
        target=target,
        course_ref=course_ref,
        activities=tuple(a for a in activities if a is not None),
        period=period,
        evaluation_methods=frozenset(evaluators),
        **texts,
    )


def _id(reader: _Reader, data: Mapping[str, Any], at: str, new_id: Callable[[], str]) -> str:
    value = data.get("id")
    if value is None or value == "":
        return new_id()
    if not isinstance(value, str) or len(value) > 64:
        reader.bad(f"{at}/id", "must be text of at most 64 characters")
        return ""
    return value


def _activity(reader: _Reader, raw: Any, at: str, new_id: Callable[[], str]) -> Activity | None:
    data = reader.obj(raw, at)
    if data is None:
        return None
    reader.known(data, at, _ACTIVITY_FIELDS)
    before = len(reader.errors)
    method = data.get("method")
    if not isinstance(method, str) or not method.strip():
        reader.bad(f"{at}/method", "must be a method code (GET /api/v1/planning/methods)")
    hours = reader.number(data.get("planned_hours", 0), f"{at}/planned_hours", MAX_HOURS)
    share = data.get("lecture_share")
    lecture = None if share is None else reader.number(share, f"{at}/lecture_share", Decimal(100))
    description = reader.text(data, "description", at)
    course = _course(reader, data.get("course"), f"{at}/course")
    activity_id = _id(reader, data, at, new_id)
    if len(reader.errors) > before or hours is None or not isinstance(method, str):
        return None
    return Activity(activity_id, method.strip(), hours, lecture, description, course)


def _course(reader: _Reader, raw: Any, at: str) -> CourseRef | None:
    """``{"provider": "OCSC", "code": "DL-101"}``: a catalogue course (GET /api/v1/courses)."""
    if raw is None:
        return None
    data = reader.obj(raw, at)
    if data is None:
        return None
    reader.known(data, at, _COURSE_FIELDS)
    parts = [reader.text(data, name, at) for name in _COURSE_FIELDS]
    for name, value in zip(_COURSE_FIELDS, parts, strict=True):
        if not value or len(value) > 64:
            reader.bad(f"{at}/{name}", "must be a code of 1 to 64 characters")
            return None
    return CourseRef(*parts)


def _period(reader: _Reader, raw: Any, at: str) -> Period | None:
    if raw is None:
        return None
    data = reader.obj(raw, at)
    if data is None:
        return None
    if "quarters" in data:
        reader.known(data, at, ("quarters",))
        quarters = data["quarters"]
        if (
            not isinstance(quarters, list)
            or not quarters
            or not all(isinstance(q, int) and not isinstance(q, bool) for q in quarters)
            or not all(1 <= q <= 4 for q in quarters)
        ):
            reader.bad(f"{at}/quarters", "must list fiscal quarters 1 to 4 (Q1 is Oct-Dec)")
            return None
        return QuarterPeriod(frozenset(quarters))
    reader.known(data, at, ("start", "end"))
    start = reader.day(data.get("start"), f"{at}/start")
    end = reader.day(data.get("end"), f"{at}/end")
    if start is None or end is None:
        return None
    if end < start:
        reader.bad(f"{at}/end", "a period ends on or after its start")
        return None
    return DatePeriod(start, end)


def _unique_ids(reader: _Reader, items: list[PlanItem | None], pointer: str) -> None:
    seen_items: set[str] = set()
    seen_activities: set[str] = set()
    for i, item in enumerate(items):
        if item is None:
            continue
        if item.id in seen_items:
            reader.bad(f"{pointer}/{i}/id", "item ids are unique within a plan")
        seen_items.add(item.id)
        for j, activity in enumerate(item.activities):
            if activity.id in seen_activities:
                reader.bad(
                    f"{pointer}/{i}/activities/{j}/id", "activity ids are unique within a plan"
                )
            seen_activities.add(activity.id)


def number_json(value: Decimal) -> int | float:
    """A JSON number: whole numbers as integers."""
    return int(value) if value == value.to_integral_value() else float(value)


def period_to_json(period: Period | None) -> dict[str, Any] | None:
    if isinstance(period, QuarterPeriod):
        return {"quarters": sorted(period.quarters)}
    if isinstance(period, DatePeriod):
        return {"start": period.start.isoformat(), "end": period.end.isoformat()}
    return None


def activity_to_json(a: Activity) -> dict[str, Any]:
    return {
        "id": a.id,
        "method": a.method,
        "planned_hours": number_json(a.planned_hours),
        "lecture_share": None if a.lecture_share is None else number_json(a.lecture_share),
        "description": a.description,
        "course": None
        if a.course is None
        else {"provider": a.course.provider, "code": a.course.code},
    }


def item_to_json(item: PlanItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "priority": item.priority,
        "framework_items": list(item.framework_items),
        "reason": item.reason.value,
        "reason_note": item.reason_note,
        "target": item.target.value,
        "topic": item.topic,
        "course_ref": item.course_ref,
        "activities": [activity_to_json(a) for a in item.activities],
        "application": item.application,
        "period": period_to_json(item.period),
        "evaluation_methods": sorted(e.value for e in item.evaluation_methods),
    }


def items_to_json(items: tuple[PlanItem, ...]) -> list[dict[str, Any]]:
    return [item_to_json(i) for i in items]


_ROW_FIELDS = ("item_id", "outcome", "next_step", "narrative", "suggestions")


def evaluation_rows_from_json(raw: Any, pointer: str = "/items") -> tuple[ItemEvaluation, ...]:
    """IDP2 rows from their JSON form; every structural problem at once."""
    if not isinstance(raw, list):
        raise ValidationFailed([FieldError(pointer, RULE, "must be a list of evaluation rows")])
    reader = _Reader()
    rows: list[ItemEvaluation] = []
    for i, entry in enumerate(raw):
        at = f"{pointer}/{i}"
        data = reader.obj(entry, at)
        if data is None:
            continue
        reader.known(data, at, _ROW_FIELDS)
        item_id = data.get("item_id")
        if not isinstance(item_id, str):
            reader.bad(f"{at}/item_id", "must name an item of the plan")
            item_id = ""
        outcome = data.get("outcome")
        step = data.get("next_step")
        rows.append(
            ItemEvaluation(
                item_id=item_id,
                outcome=None
                if outcome is None
                else reader.choice(outcome, f"{at}/outcome", Outcome),
                next_step=None
                if step is None
                else reader.choice(step, f"{at}/next_step", NextStep),
                narrative=reader.text(data, "narrative", at),
                suggestions=reader.text(data, "suggestions", at),
            )
        )
    if reader.errors:
        raise ValidationFailed(reader.errors)
    return tuple(rows)


def ack_to_json(ack: Acknowledgement | None) -> dict[str, Any] | None:
    return None if ack is None else {"by": ack.by, "at": ack.at.isoformat()}


def evaluation_to_json(evaluation: PlanEvaluation | None) -> dict[str, Any] | None:
    if evaluation is None:
        return None
    return {
        "items": [
            {
                "item_id": r.item_id,
                "outcome": None if r.outcome is None else r.outcome.value,
                "next_step": None if r.next_step is None else r.next_step.value,
                "narrative": r.narrative,
                "suggestions": r.suggestions,
            }
            for r in evaluation.items
        ],
        "owner_ack": ack_to_json(evaluation.owner_ack),
        "supervisor_ack": ack_to_json(evaluation.supervisor_ack),
        "acknowledged": evaluation.acknowledged,
    }


def document_of(plan: DevelopmentPlan) -> dict[str, Any]:
    """What a revision stores as its document: the header and the items."""
    return {
        "person_name": plan.person_name,
        "position": plan.position,
        "unit": plan.unit,
        "items": items_to_json(plan.items),
    }


def ack_from_json(raw: Mapping[str, Any] | None) -> Acknowledgement | None:
    if raw is None:
        return None
    return Acknowledgement(str(raw["by"]), datetime.fromisoformat(str(raw["at"])))


def evaluation_from_json(raw: Mapping[str, Any] | None) -> PlanEvaluation | None:
    """A stored evaluation (as ``evaluation_to_json`` wrote it)."""
    if raw is None:
        return None
    return PlanEvaluation(
        items=evaluation_rows_from_json(raw.get("items", [])),
        owner_ack=ack_from_json(raw.get("owner_ack")),
        supervisor_ack=ack_from_json(raw.get("supervisor_ack")),
    )

"""A valid plan to start from, and small helpers to break exactly one thing in it.

The valid plan has four items (three for present work, one for the future). Each item's
planned hours are split 70:20:10 across its activities, so removing or changing one activity
moves the plan's mix only a little; present:future is 100:40 hours (71%), 140 hours in all
(23 development days at 6 hours), four distinct topics.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from app.domain.fiscal import FiscalYear
from app.domain.planning.model import (
    Activity,
    CourseRef,
    DatePeriod,
    DevelopmentPlan,
    Evaluator,
    PlanItem,
    ProfileTarget,
    QuarterPeriod,
    Reason,
)
from app.domain.planning.validation import CourseFacts, PlanContext

FY = FiscalYear(2568)
AT = datetime(2024, 10, 15, 9, 0, tzinfo=UTC)

CONTEXT = PlanContext(
    present_items=frozenset({"DLit100", "DLit200", "DG100", "K-R1", "K-F1"}),
    future_items=frozenset({"DT100", "DS100"}),
    framework_items=frozenset(
        {"DLit100", "DLit200", "DG100", "K-R1", "K-F1", "DT100", "DS100", "SPM100"}
    ),
    # one catalogue course: an online course of 4 hours, also taken as e-learning at work
    courses={
        CourseRef("OCSC", "DG-101"): CourseFacts(
            frozenset({"online_course", "e_learning_implementation"}), Decimal(4)
        )
    },
)


def act(
    activity_id: str, method: str, hours: float | str, lecture: float | str | None = None
) -> Activity:
    return Activity(
        activity_id,
        method,
        Decimal(str(hours)),
        None if lecture is None else Decimal(str(lecture)),
    )


def item(item_id: str, priority: int, **overrides: Any) -> PlanItem:
    values: dict[str, Any] = {
        "id": item_id,
        "priority": priority,
        "framework_items": ("DLit100",),
        "reason": Reason.GAP,
        "topic": f"หัวข้อ {item_id}",
        "application": "งานสารบรรณอิเล็กทรอนิกส์ของฝ่าย",
        "period": QuarterPeriod(frozenset({1, 2})),
        "evaluation_methods": frozenset({Evaluator.SELF, Evaluator.SUPERVISOR}),
    }
    values.update(overrides)
    return PlanItem(**values)


def valid_items() -> tuple[PlanItem, ...]:
    return (
        item(
            "a",
            1,
            framework_items=("DLit100", "K-R1"),
            topic="การใช้งานคอมพิวเตอร์",
            activities=(
                act("a1", "on_the_job_training", 28),
                act("a2", "coaching", 8),
                act("a3", "classroom_training", 4, lecture=50),
            ),
        ),
        item(
            "b",
            2,
            framework_items=("DG100",),
            reason=Reason.STRENGTH,
            topic="Digital Code of Merit",
            period=DatePeriod(date(2025, 1, 1), date(2025, 3, 31)),
            activities=(
                act("b1", "project_assignment", 28),
                act("b2", "mentoring_program", 8),
                act("b3", "online_course", 4, lecture=60),
            ),
        ),
        item(
            "c",
            3,
            framework_items=("DT100",),
            target=ProfileTarget.FUTURE,
            topic="การออกแบบบริการดิจิทัล",
            period=QuarterPeriod(frozenset({3})),
            activities=(
                act("c1", "self_learning_implementation", 28),
                act("c2", "consulting", 8),
                act("c3", "meeting_seminar", 4, lecture=40),
            ),
        ),
        item(
            "d",
            4,
            framework_items=("DLit200",),
            topic="ความมั่นคงปลอดภัยไซเบอร์",
            period=QuarterPeriod(frozenset({4})),
            activities=(
                act("d1", "job_rotation", 14),
                act("d2", "feedback", 4),
                act("d3", "in_house_training", 2, lecture=30),
            ),
        ),
    )


def valid_plan(**overrides: Any) -> DevelopmentPlan:
    values: dict[str, Any] = {
        "id": "plan-1",
        "person_id": "person-1",
        "fiscal_year": FY,
        "person_name": "สมชาย ใจดี",
        "position": "นักวิชาการคอมพิวเตอร์ปฏิบัติการ",
        "unit": "กองยุทธศาสตร์",
        "baseline_assessment_id": "assessment-1",
        "items": valid_items(),
        "created_at": AT,
    }
    values.update(overrides)
    return DevelopmentPlan(**values)


def with_item(plan: DevelopmentPlan, index: int, **changes: Any) -> DevelopmentPlan:
    items = list(plan.items)
    items[index] = replace(items[index], **changes)
    return replace(plan, items=tuple(items))


def with_activity(
    plan: DevelopmentPlan, index: int, a_index: int, **changes: Any
) -> DevelopmentPlan:
    activities = list(plan.items[index].activities)
    activities[a_index] = replace(activities[a_index], **changes)
    return with_item(plan, index, activities=tuple(activities))


def rules_of(findings: Any) -> set[str]:
    return {f.rule for f in findings}

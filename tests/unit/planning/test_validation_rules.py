"""One row per rule: the valid plan broken in exactly one way gets exactly that rule's findings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from app.domain.planning.findings import Severity
from app.domain.planning.model import (
    CourseRef,
    DatePeriod,
    DevelopmentPlan,
    ProfileTarget,
    QuarterPeriod,
    Reason,
)
from app.domain.planning.policy import SEED_POLICY
from app.domain.planning.rules import RULES
from app.domain.planning.validation import validate
from tests.unit.planning.builders import (
    CONTEXT,
    item,
    valid_plan,
    with_activity,
    with_item,
)
from tests.unit.planning.builders import act as a


def test_the_starting_plan_has_no_findings() -> None:
    assert validate(valid_plan(), CONTEXT) == []


def _five_items(plan: DevelopmentPlan) -> DevelopmentPlan:
    extra = item(
        "e",
        5,
        topic="ระบบสารสนเทศภูมิศาสตร์",
        activities=(a("e1", "activity", 7), a("e2", "team_meeting", 2), a("e3", "scholarship", 1)),
    )
    return replace(plan, items=(*plan.items, extra))


def _scaled(plan: DevelopmentPlan, factor: Decimal) -> DevelopmentPlan:
    items = tuple(
        replace(
            i,
            activities=tuple(
                replace(x, planned_hours=x.planned_hours * factor) for x in i.activities
            ),
        )
        for i in plan.items
    )
    return replace(plan, items=items)


def _no_training(plan: DevelopmentPlan) -> DevelopmentPlan:
    items = tuple(replace(i, activities=i.activities[:2]) for i in plan.items)
    return replace(plan, items=items)


Break = Callable[[DevelopmentPlan], DevelopmentPlan]

CASES: list[tuple[str, Break, list[tuple[str, str]]]] = [
    ("E2", lambda p: replace(p, position="  "), [("E2", "/position")]),
    ("D2", lambda p: replace(p, baseline_assessment_id=None), [("D2", "/baseline_assessment_id")]),
    ("E3", _five_items, [("E3", "/items")]),
    (
        "P-UNIQUE-PRIORITY",
        lambda p: with_item(p, 2, priority=2),
        [("P-UNIQUE-PRIORITY", "/items/2/priority")],
    ),
    (
        "P-FRAMEWORK-ITEM-REQUIRED",
        lambda p: with_item(p, 0, framework_items=()),
        [("P-FRAMEWORK-ITEM-REQUIRED", "/items/0/framework_items")],
    ),
    (
        "P-FRAMEWORK-ITEM-UNKNOWN",
        lambda p: with_item(p, 0, framework_items=("DLit100", "XYZ999")),
        [("P-FRAMEWORK-ITEM-UNKNOWN", "/items/0/framework_items/1")],
    ),
    (
        "C9",
        lambda p: with_item(p, 0, framework_items=("DLit100", "DT100")),
        [("C9", "/items/0/framework_items/1")],
    ),
    (
        "D3",
        lambda p: with_item(p, 0, reason=Reason.POSITION_REQUIRED, reason_note=" "),
        [("D3", "/items/0/reason_note")],
    ),
    ("E4", lambda p: with_item(p, 1, topic=""), [("E4", "/items/1/topic")]),
    (
        "P-ACTIVITY-REQUIRED",
        lambda p: with_item(p, 3, activities=()),
        [("P-ACTIVITY-REQUIRED", "/items/3/activities")],
    ),
    (
        "P-METHOD-UNKNOWN",
        lambda p: with_activity(p, 3, 1, method="telepathy"),
        [("P-METHOD-UNKNOWN", "/items/3/activities/1/method")],
    ),
    (
        "P-EFFORT-REQUIRED",
        lambda p: with_activity(p, 0, 2, planned_hours=Decimal(0)),
        [("P-EFFORT-REQUIRED", "/items/0/activities/2/planned_hours")],
    ),
    (
        "P-COURSE-UNKNOWN",
        lambda p: with_activity(p, 1, 2, course=CourseRef("OCSC", "NO-SUCH")),
        [("P-COURSE-UNKNOWN", "/items/1/activities/2/course")],
    ),
    (
        "P-COURSE-METHOD",
        lambda p: with_activity(p, 0, 0, course=CourseRef("OCSC", "DG-101")),
        [("P-COURSE-METHOD", "/items/0/activities/0/method")],
    ),
    (
        "P-COURSE-HOURS",
        lambda p: with_activity(
            p, 1, 2, course=CourseRef("OCSC", "DG-101"), planned_hours=Decimal(3)
        ),
        [("P-COURSE-HOURS", "/items/1/activities/2/planned_hours")],
    ),
    (
        "P-LECTURE-SHARE-REQUIRED",
        lambda p: with_activity(p, 1, 2, lecture_share=None),
        [("P-LECTURE-SHARE-REQUIRED", "/items/1/activities/2/lecture_share")],
    ),
    (
        "P-LECTURE-SHARE-NOT-APPLICABLE",
        lambda p: with_activity(p, 0, 0, lecture_share=Decimal(20)),
        [("P-LECTURE-SHARE-NOT-APPLICABLE", "/items/0/activities/0/lecture_share")],
    ),
    (
        "C7",
        lambda p: with_activity(p, 1, 2, lecture_share=Decimal("60.5")),
        [("C7", "/items/1/activities/2/lecture_share")],
    ),
    ("E6", lambda p: with_item(p, 2, application=""), [("E6", "/items/2/application")]),
    (
        "E7 (too short)",
        lambda p: with_item(p, 1, period=DatePeriod(date(2025, 1, 1), date(2025, 3, 30))),
        [("E7", "/items/1/period")],
    ),
    ("E7 (missing)", lambda p: with_item(p, 0, period=None), [("E7", "/items/0/period")]),
    (
        "P-PERIOD-IN-YEAR",
        lambda p: with_item(p, 1, period=DatePeriod(date(2025, 8, 1), date(2025, 11, 30))),
        [("P-PERIOD-IN-YEAR", "/items/1/period")],
    ),
    (
        "E8",
        lambda p: with_item(p, 3, evaluation_methods=frozenset()),
        [("E8", "/items/3/evaluation_methods")],
    ),
    (
        # the on-the-job training of item 1 becomes classroom training: 50:20:30
        "C1",
        lambda p: with_activity(p, 0, 0, method="classroom_training", lecture_share=Decimal(50)),
        [("C1", "/items"), ("C1", "/items")],
    ),
    ("P-BUCKET-EMPTY", _no_training, [("P-BUCKET-EMPTY", "/items")]),
    ("D4 (days)", lambda p: _scaled(p, Decimal("0.25")), [("D4", "/items")]),
    (
        "D4 (topics)",
        lambda p: with_item(with_item(p, 1, topic=p.items[0].topic), 3, topic=p.items[0].topic),
        [("D4", "/items")],
    ),
    (
        "C6",
        lambda p: with_item(p, 2, target=ProfileTarget.PRESENT, framework_items=("K-F1",)),
        [("C6", "/items")],
    ),
]


@pytest.mark.parametrize(("rule", "breaking", "expected"), CASES, ids=[c[0] for c in CASES])
def test_a_plan_breaking_one_rule_gets_only_that_rules_findings(
    rule: str, breaking: Break, expected: list[tuple[str, str]]
) -> None:
    findings = validate(breaking(valid_plan()), CONTEXT)
    assert [(f.rule, f.pointer) for f in findings] == expected
    for f in findings:
        assert f.severity is RULES[f.rule].severity
        assert f.seed == RULES[f.rule].seed
        assert f.message_en
        assert f.message_th
        assert "{" not in f.message_en + f.message_th


def test_every_plan_rule_in_the_catalogue_has_a_row() -> None:
    evaluation_rules = {"F2", "F3", "F4", "F6", "P-EVALUATION-ITEM"}
    covered = {expected[0][0] for _, _, expected in CASES}
    assert covered == set(RULES) - evaluation_rules


def test_errors_block_and_warnings_inform() -> None:
    warnings = {r.id for r in RULES.values() if r.severity is Severity.WARNING}
    assert warnings == {
        "C6",
        "P-BUCKET-EMPTY",
        "P-LECTURE-SHARE-NOT-APPLICABLE",
        "P-COURSE-HOURS",
        "F6",
    }


def test_an_activity_taking_a_known_course_by_a_method_it_serves_is_valid() -> None:
    plan = with_activity(valid_plan(), 1, 2, course=CourseRef("OCSC", "DG-101"))
    assert validate(plan, CONTEXT) == []


def test_course_rules_wait_for_the_catalogue_when_it_was_not_consulted() -> None:
    plan = with_activity(valid_plan(), 1, 2, course=CourseRef("OCSC", "NO-SUCH"))
    assert validate(plan, replace(CONTEXT, courses=None)) == []


def test_a_course_reference_stands_in_for_a_free_text_topic() -> None:
    plan = with_item(valid_plan(), 1, topic="", course_ref="BMA-DLit-1.1")
    assert validate(plan, CONTEXT) == []


def test_a_position_required_item_may_lie_outside_the_profiles_when_it_says_why() -> None:
    plan = with_item(
        valid_plan(),
        0,
        framework_items=("SPM100",),
        reason=Reason.POSITION_REQUIRED,
        reason_note="หัวหน้าโครงการระบบบริการออนไลน์ของสำนักงาน",
    )
    assert validate(plan, CONTEXT) == []


def test_a_future_item_must_come_from_the_next_stage_profile() -> None:
    plan = with_item(valid_plan(), 2, framework_items=("DLit100",))
    findings = validate(plan, CONTEXT)
    assert [(f.rule, f.pointer, f.params["target"]) for f in findings] == [
        ("C9", "/items/2/framework_items/0", "future")
    ]


def test_findings_say_what_is_wrong_with_the_numbers_in_both_languages() -> None:
    plan = with_activity(valid_plan(), 1, 2, lecture_share=Decimal(75))
    (c7,) = validate(plan, CONTEXT)
    assert (
        c7.message_en == "Lecture may take at most 60% of training time; this training plans 75%."
    )
    assert "ร้อยละ 60" in c7.message_th
    assert "ร้อยละ 75" in c7.message_th


def test_online_courses_count_as_training_unless_the_agency_counts_them_as_doing() -> None:
    # item 2's project assignment (28 h, doing) becomes an online course
    plan = with_activity(valid_plan(), 1, 0, method="online_course", lecture_share=Decimal(0))
    assert {f.rule for f in validate(plan, CONTEXT)} == {"C1"}
    agency = SEED_POLICY.with_overrides({"online_course_bucket": 70})
    assert validate(plan, CONTEXT, agency) == []


def test_e_learning_and_implementation_counts_as_doing_and_needs_no_lecture_share() -> None:
    plan = with_activity(valid_plan(), 0, 0, method="e_learning_implementation")
    assert validate(plan, CONTEXT) == []


@pytest.mark.parametrize("quarters", [{1}, {4}, {1, 3}, {1, 2, 3, 4}])
def test_any_ticked_quarters_cover_three_months_inside_the_year(quarters: set[int]) -> None:
    plan = with_item(valid_plan(), 0, period=QuarterPeriod(frozenset(quarters)))
    assert validate(plan, CONTEXT) == []


def test_an_agency_asking_for_six_months_refuses_a_single_quarter() -> None:
    plan = with_item(valid_plan(), 0, period=QuarterPeriod(frozenset({2})))
    six = SEED_POLICY.with_overrides({"min_period_months": 6})
    assert [(f.rule, f.pointer) for f in validate(plan, CONTEXT, six)] == [
        ("E7", "/items/0/period"),
        ("E7", "/items/1/period"),  # 1 Jan - 31 Mar
        ("E7", "/items/2/period"),
        ("E7", "/items/3/period"),
    ]

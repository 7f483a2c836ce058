"""The issue's "must show" cases for plans, at domain level."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from app.domain.errors import ValidationFailed
from app.domain.planning.findings import Severity
from app.domain.planning.lifecycle import Relation, submit
from app.domain.planning.model import DatePeriod, DevelopmentPlan, ProfileTarget
from app.domain.planning.policy import SEED_POLICY
from app.domain.planning.validation import validate
from tests.unit.planning.builders import AT, CONTEXT, act, item, valid_plan

TWO_MONTHS = DatePeriod(date(2024, 10, 1), date(2024, 11, 30))
THREE_MONTHS = DatePeriod(date(2024, 10, 1), date(2024, 12, 31))

ALL_CLASSROOM = (act("k1", "classroom_training", 80, lecture=50),)
BALANCED = (
    act("k1", "on_the_job_training", 56),
    act("k2", "coaching", 16),
    act("k3", "classroom_training", 8, lecture=50),
)


def one_item_plan() -> DevelopmentPlan:
    """One present item, a two-month period, all 80 hours in classroom training."""
    only = item("k", 1, period=TWO_MONTHS, activities=ALL_CLASSROOM)
    return valid_plan(items=(only,))


def by_severity(plan: DevelopmentPlan) -> tuple[set[str], set[str]]:
    findings = validate(plan, CONTEXT)
    errors = {f.rule for f in findings if f.severity is Severity.ERROR}
    return errors, {f.rule for f in findings if f.severity is Severity.WARNING}


def test_one_item_two_months_all_classroom_is_refused_for_exactly_the_rules_it_breaks() -> None:
    plan = one_item_plan()
    errors, warnings = by_severity(plan)
    # E3: 1 item, not 2-4; E7: 2 months, not 3; C1: 0:0:100, not 70:20:10.
    # A single item is also a single topic (D4 asks for 3), and all its effort serves present
    # work (C6 asks for about 30% for the future, as a warning). Nothing else is reported.
    assert errors == {"E3", "E7", "C1", "D4"}
    assert warnings == {"C6"}
    c1 = [f for f in validate(plan, CONTEXT) if f.rule == "C1"]
    assert [(f.params["bucket"], f.params["share"]) for f in c1] == [
        (70, "0"),
        (20, "0"),
        (10, "100"),
    ]
    with pytest.raises(ValidationFailed) as refused:
        submit(plan, Relation.OWNER, context=CONTEXT, at=AT)
    assert {e.rule for e in refused.value.errors} == {"E3", "E7", "C1", "D4"}


def test_fixing_each_broken_rule_clears_only_its_finding() -> None:
    broken = one_item_plan()
    three_months = valid_plan(items=(replace(broken.items[0], period=THREE_MONTHS),))
    balanced = valid_plan(items=(replace(broken.items[0], activities=BALANCED),))
    assert by_severity(three_months) == ({"E3", "C1", "D4"}, {"C6"})
    assert by_severity(balanced) == ({"E3", "E7", "D4"}, {"C6"})

    # then, one after the other
    plan = valid_plan(items=(replace(broken.items[0], period=THREE_MONTHS, activities=BALANCED),))
    assert by_severity(plan) == ({"E3", "D4"}, {"C6"})
    second = item(
        "m",
        2,
        topic="การใช้งานอินเทอร์เน็ต",
        period=THREE_MONTHS,
        activities=(
            act("m1", "job_shadowing", 7),
            act("m2", "mentoring_program", 2),
            act("m3", "online_course", 1, lecture=20),
        ),
    )
    plan = replace(plan, items=(*plan.items, second))
    assert by_severity(plan) == ({"D4"}, {"C6"})  # 2 items now, but only 2 topics
    future = item(
        "n",
        3,
        topic="การออกแบบบริการดิจิทัล",
        framework_items=("DS100",),
        target=ProfileTarget.FUTURE,
        period=THREE_MONTHS,
        activities=(
            act("n1", "project_assignment", 28),
            act("n2", "consulting", 8),
            act("n3", "meeting_seminar", 4, lecture=40),
        ),
    )
    plan = replace(plan, items=(*plan.items, future))
    assert validate(plan, CONTEXT) == []  # 3 topics; 90:40 hours is 69% present
    assert submit(plan, Relation.OWNER, context=CONTEXT, at=AT).state.value == "submitted"


def two_item_plan() -> DevelopmentPlan:
    """Two items, 40 h present and 20 h future: 10 development days, 67% present, 70:20:10."""
    present = valid_plan().items[0]
    future = item(
        "f",
        2,
        topic="การออกแบบบริการดิจิทัล",
        framework_items=("DT100",),
        target=ProfileTarget.FUTURE,
        activities=(
            act("f1", "self_learning_implementation", 14),
            act("f2", "consulting", 4),
            act("f3", "meeting_seminar", 2, lecture=40),
        ),
    )
    return valid_plan(items=(present, future))


def test_an_agency_with_a_topics_minimum_of_two_accepts_what_the_default_policy_refuses() -> None:
    plan = two_item_plan()
    refused = validate(plan, CONTEXT, SEED_POLICY)
    assert [(f.rule, f.params) for f in refused] == [("D4", {"count": 2, "min": 3})]
    with pytest.raises(ValidationFailed):
        submit(plan, Relation.OWNER, context=CONTEXT, policy=SEED_POLICY, at=AT)

    agency = SEED_POLICY.with_overrides({"min_topics": 2})
    assert validate(plan, CONTEXT, agency) == []
    assert submit(plan, Relation.OWNER, context=CONTEXT, policy=agency, at=AT).submitted_at == AT

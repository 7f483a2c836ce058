"""Hypothesis strategies: any plan the model accepts, any valid policy and a more lenient one."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from app.domain.planning.methods import METHODS, Bucket
from app.domain.planning.model import (
    Activity,
    DatePeriod,
    DevelopmentPlan,
    Evaluator,
    PlanItem,
    ProfileTarget,
    QuarterPeriod,
    Reason,
)
from app.domain.planning.policy import PlanningPolicy
from app.domain.planning.validation import PlanContext
from tests.unit.planning.builders import CONTEXT, FY

CODES = [*sorted(CONTEXT.framework_items or ()), "XYZ999"]
METHOD_CODES = [m.code for m in METHODS] + ["telepathy"]
texts = st.sampled_from(["", "  ", "งานบริการประชาชน", "Excel", "ข้อมูล เปิด"])
hours = st.decimals(min_value=0, max_value=120, places=1)
percent = st.decimals(min_value=0, max_value=100, places=0)

periods = st.one_of(
    st.none(),
    st.builds(QuarterPeriod, st.frozensets(st.integers(1, 4), min_size=1)),
    st.builds(
        lambda start, days: DatePeriod(start, start + timedelta(days=days)),
        st.dates(FY.start - timedelta(days=60), FY.end),
        st.integers(0, 200),
    ),
)


@st.composite
def plan_items(draw: st.DrawFn, index: int) -> PlanItem:
    activities = tuple(
        Activity(
            f"{index}-{k}",
            draw(st.sampled_from(METHOD_CODES)),
            draw(hours),
            draw(st.none() | percent),
        )
        for k in range(draw(st.integers(0, 4)))
    )
    return PlanItem(
        id=f"item-{index}",
        priority=draw(st.integers(1, 5)),
        framework_items=tuple(draw(st.lists(st.sampled_from(CODES), max_size=3))),
        reason=draw(st.sampled_from(list(Reason))),
        reason_note=draw(texts),
        target=draw(st.sampled_from(list(ProfileTarget))),
        topic=draw(texts),
        course_ref=draw(st.none() | st.sampled_from(["C-1", "C-2"])),
        activities=activities,
        application=draw(texts),
        period=draw(periods),
        evaluation_methods=draw(st.frozensets(st.sampled_from(list(Evaluator)))),
    )


@st.composite
def plans(draw: st.DrawFn) -> DevelopmentPlan:
    count = draw(st.integers(0, 6))
    return DevelopmentPlan(
        id="plan",
        person_id="person",
        fiscal_year=FY,
        person_name=draw(texts),
        position=draw(texts),
        unit=draw(texts),
        baseline_assessment_id=draw(st.none() | st.just("assessment")),
        items=tuple(draw(plan_items(i)) for i in range(count)),
    )


contexts = st.builds(
    PlanContext,
    st.frozensets(st.sampled_from(CODES)),
    st.frozensets(st.sampled_from(CODES)),
    st.none() | st.frozensets(st.sampled_from(CODES)),
)


@st.composite
def policies(draw: st.DrawFn) -> PlanningPolicy:
    min_items = draw(st.integers(1, 4))
    training = draw(st.integers(0, 30))
    others = draw(st.integers(0, 100 - training))
    return PlanningPolicy(
        min_items=min_items,
        max_items=draw(st.integers(min_items, 6)),
        min_period_months=draw(st.integers(0, 6)),
        mix_target={
            Bucket.DOING: Decimal(100 - training - others),
            Bucket.OTHERS: Decimal(others),
            Bucket.TRAINING: Decimal(training),
        },
        mix_tolerance_points=draw(st.decimals(0, 40, places=0)),
        max_lecture_percent=draw(percent),
        min_development_days=draw(st.decimals(0, 30, places=1)),
        hours_per_development_day=draw(st.decimals(1, 8, places=1)),
        min_topics=draw(st.integers(0, 5)),
        present_percent_target=draw(percent),
        present_tolerance_points=draw(st.decimals(0, 40, places=0)),
        online_course_bucket=draw(st.sampled_from(list(Bucket))),
    )


@st.composite
def lenient_versions(draw: st.DrawFn, policy: PlanningPolicy) -> PlanningPolicy:
    """``policy`` with every limit relaxed or kept: fewer or more items allowed, shorter periods,
    wider tolerances, more lecture, fewer days (and more days counted per hour), fewer topics."""

    def more(value: Decimal, upper: Decimal) -> Decimal:
        return draw(st.decimals(value, upper, places=1))

    def less(value: Decimal, lower: Decimal) -> Decimal:
        return draw(st.decimals(lower, value, places=1)) if value > lower else value

    changes: dict[str, Any] = {
        "min_items": draw(st.integers(1, policy.min_items)),
        "max_items": draw(st.integers(policy.max_items, 10)),
        "min_period_months": draw(st.integers(0, policy.min_period_months)),
        "mix_tolerance_points": more(policy.mix_tolerance_points, Decimal(100)),
        "max_lecture_percent": more(policy.max_lecture_percent, Decimal(100)),
        "min_development_days": less(policy.min_development_days, Decimal(0)),
        "hours_per_development_day": less(policy.hours_per_development_day, Decimal("0.5")),
        "min_topics": draw(st.integers(0, policy.min_topics)),
        "present_tolerance_points": more(policy.present_tolerance_points, Decimal(100)),
    }
    return replace(policy, **changes)

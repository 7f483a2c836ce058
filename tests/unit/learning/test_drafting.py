"""A drafted IDP1 passes plan validation with no error, for any assessment's gaps in every
staff group and stage of the seed framework and any policy the draft can meet."""

from __future__ import annotations

import itertools
from decimal import Decimal
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.errors import Conflict
from app.domain.fiscal import FiscalYear
from app.domain.framework.profiles import ResolvedProfile, resolve_profiles
from app.domain.learning.drafting import draft_items
from app.domain.learning.recommendations import CourseFacts, GapFacts, recommend
from app.domain.planning.findings import Severity
from app.domain.planning.methods import METHODS, Bucket
from app.domain.planning.model import CourseRef, DevelopmentPlan, ProfileTarget
from app.domain.planning.policy import PlanningPolicy
from app.domain.planning.validation import CourseFacts as PlanCourse
from app.domain.planning.validation import PlanContext, validate
from app.domain.roles import MaturityStage, StaffGroup
from tests.unit.framework.seeded import ocsc

FY = FiscalYear(2569)


@cache
def profiles() -> dict[tuple[str, str], ResolvedProfile]:
    content = ocsc()
    return resolve_profiles(content.items, content.role_profiles)


@cache
def every_code() -> frozenset[str]:
    return frozenset(i.code for i in ocsc().items)


def codes(stage: MaturityStage | None, group: StaffGroup) -> list[str]:
    if stage is None:
        return []
    return [r.code for r in profiles()[(stage.value, group.value)].requirements]


def counter() -> itertools.count[int]:
    return itertools.count(1)


@st.composite
def policies(draw: st.DrawFn) -> PlanningPolicy:
    max_items = draw(st.integers(1, 6))
    min_items = draw(st.integers(1, max_items))
    doing = draw(st.decimals(0, 100, places=1))
    others = draw(st.decimals(0, 100 - doing, places=1))
    mix = {Bucket.DOING: doing, Bucket.OTHERS: others, Bucket.TRAINING: 100 - doing - others}
    return PlanningPolicy(
        min_items=min_items,
        max_items=max_items,
        min_period_months=draw(st.integers(0, 12)),
        mix_target=mix,
        mix_tolerance_points=draw(st.decimals(1, 20, places=1)),
        max_lecture_percent=draw(st.decimals(0, 100, places=0)),
        min_development_days=draw(st.decimals(0, 60, places=1)),
        hours_per_development_day=draw(st.decimals(1, 8, places=1)),
        min_topics=draw(st.integers(0, max_items)),
        present_percent_target=draw(st.decimals(0, 100, places=0)),
        online_course_bucket=draw(st.sampled_from(list(Bucket))),
    )


Case = tuple[PlanContext, list[GapFacts], list[GapFacts], list[CourseFacts], frozenset[str]]


@st.composite
def cases(draw: st.DrawFn) -> Case:
    stage = draw(st.sampled_from(list(MaturityStage)))
    group = draw(st.sampled_from(list(StaffGroup)))
    present = codes(stage, group)
    future = codes(stage.next(), group)
    tagged = [(c, "present") for c in present] + [(c, "future") for c in future if c not in present]
    gaps_drawn = draw(st.lists(st.sampled_from(tagged), min_size=1, max_size=12, unique=True))
    # present before future, as the assessment's priority order puts them
    gaps_drawn.sort(key=lambda t: t[1] != "present")
    gaps = [GapFacts(c, f"หัวข้อ {c}", t, (c,), k) for k, (c, t) in enumerate(gaps_drawn)]
    rest = [t for t in tagged if t not in gaps_drawn]
    strengths = [GapFacts(c, f"หัวข้อ {c}", t, (c,), 100 + k) for k, (c, t) in enumerate(rest)]
    method_codes = [m.code for m in METHODS]
    courses = [
        CourseFacts(
            f"c{k}",
            "OCSC",
            f"C{k}",
            draw(st.sampled_from(["หลักสูตรข้อมูล", "หลักสูตร ข้อมูล", f"หลักสูตร {k}"])),
            draw(st.none() | st.decimals(1, 40, places=0)),
            frozenset(draw(st.lists(st.sampled_from([c for c, _ in tagged]), max_size=3))),
            frozenset(draw(st.lists(st.sampled_from([g.value for g in StaffGroup]), max_size=2))),
            tuple(draw(st.lists(st.sampled_from(method_codes), min_size=1, max_size=3))),
        )
        for k in range(draw(st.integers(0, 6)))
    ]
    context = PlanContext(
        frozenset(present),
        frozenset(future),
        every_code(),
        courses={
            CourseRef(c.provider, c.code): PlanCourse(frozenset(c.methods), c.hours)
            for c in courses
        },
    )
    return context, gaps, strengths, courses, frozenset({group.value})


def plan_of(items: tuple) -> DevelopmentPlan:  # type: ignore[type-arg]
    return DevelopmentPlan(
        id="draft",
        person_id="p",
        fiscal_year=FY,
        person_name="สมชาย ใจดี",
        position="นักวิชาการคอมพิวเตอร์",
        unit="กองเทคโนโลยี",
        baseline_assessment_id="a-1",
        items=items,
    )


@settings(max_examples=300, deadline=None)
@given(cases(), policies())
def test_a_drafted_plan_has_no_error_for_any_gaps_group_stage_and_policy(case, policy) -> None:  # type: ignore[no-untyped-def]
    context, gaps, strengths, courses, groups = case
    ids = counter()
    recs = recommend(gaps, groups, courses)
    try:
        items = draft_items(gaps, strengths, recs, context, policy, lambda: f"id-{next(ids)}")
    except Conflict:
        # only when the profile cannot give the number of items the policy demands
        assert len({g.code for g in gaps} | {s.code for s in strengths}) < max(
            policy.min_items, policy.min_topics, min(2, policy.max_items)
        )
        return
    errors = [f for f in validate(plan_of(items), context, policy) if f.severity is Severity.ERROR]
    assert errors == []
    assert policy.min_items <= len(items) <= policy.max_items
    # gaps come first, in the assessment's priority order
    codes_in_plan = [i.framework_items[0] for i in sorted(items, key=lambda i: i.priority)]
    gap_codes = [g.code for g in gaps]
    in_gaps = [c for c in codes_in_plan if c in gap_codes]
    assert in_gaps == sorted(in_gaps, key=gap_codes.index)


def test_the_seed_policy_draft_meets_70_20_10_and_70_30_exactly() -> None:
    present = codes(MaturityStage.DEVELOPING, StaffGroup.TECHNOLOGIST)
    future = [c for c in codes(MaturityStage.MATURE, StaffGroup.TECHNOLOGIST) if c not in present]
    gaps = [GapFacts(present[0], "ก", "present", (present[0],), 0)]
    gaps += [GapFacts(present[1], "ข", "present", (present[1],), 1)]
    gaps += [GapFacts(future[0], "ค", "future", (future[0],), 2)]
    context = PlanContext(frozenset(present), frozenset(future), every_code())
    ids = counter()
    items = draft_items(gaps, [], [], context, PlanningPolicy(), lambda: f"id-{next(ids)}")
    findings = validate(plan_of(items), context, PlanningPolicy())
    assert [f.rule for f in findings] == []
    assert [i.target for i in items] == [
        ProfileTarget.PRESENT,
        ProfileTarget.PRESENT,
        ProfileTarget.FUTURE,
    ]
    total = sum(i.planned_hours for i in items)
    assert total == Decimal(60)
    assert sum(i.planned_hours for i in items if i.target is ProfileTarget.PRESENT) == 42


def test_too_few_requirements_for_the_policy_is_a_conflict() -> None:
    context = PlanContext(frozenset({"DLit100"}), frozenset(), every_code())
    gaps = [GapFacts("DLit100", "ก", "present", ("DLit100",), 0)]
    with pytest.raises(Conflict):
        draft_items(gaps, [], [], context, PlanningPolicy(), lambda: "x")

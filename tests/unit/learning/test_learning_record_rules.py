"""Learning records' rules: which verbs count, the hours of a completion (ISO 8601 durations,
property-based), the plan activity a completion counts towards, and evidence in the form."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from app.domain.assessment.form import FormEvidence, build_form
from app.domain.assessment.items import RequiredItem
from app.domain.assessment.vocabulary import Component, LocalText, Target
from app.domain.learning import records as rules
from app.domain.planning.methods import Bucket
from app.domain.planning.model import CourseRef
from tests.unit.planning.builders import valid_plan, with_activity

ADL = "http://adlnet.gov/expapi/verbs/"


def test_each_accepted_verb_has_its_outcome_and_others_are_not_learning() -> None:
    assert rules.outcome_of(ADL + "completed", {}) is rules.Outcome.COMPLETED
    assert rules.outcome_of(ADL + "passed", {}) is rules.Outcome.PASSED
    assert rules.outcome_of(ADL + "failed", {}) is rules.Outcome.FAILED
    assert rules.outcome_of("https://w3id.org/xapi/adl/verbs/satisfied", {}).counts  # type: ignore[union-attr]
    assert not rules.outcome_of("https://w3id.org/xapi/adl/verbs/waived", {}).counts  # type: ignore[union-attr]
    assert rules.outcome_of(ADL + "attempted", {}) is None
    assert rules.outcome_of(ADL + "voided", {}) is None
    not_done = {"result": {"completion": False}}
    assert rules.outcome_of(ADL + "completed", not_done) is rules.Outcome.OTHER
    assert not rules.Outcome.FAILED.counts


@given(st.integers(0, 30), st.integers(0, 23), st.integers(0, 59), st.integers(0, 59))
def test_hours_come_from_the_duration_else_the_course(
    days: int, hours: int, minutes: int, seconds: int
) -> None:
    text = f"P{days}DT{hours}H{minutes}M{seconds}S"
    exact = Decimal(days * 24 + hours) + Decimal(minutes) / 60 + Decimal(seconds) / 3600
    found = rules.hours_of({"result": {"duration": text}}, Decimal(6))
    if exact > 0:
        assert found == exact.quantize(Decimal("0.01"))
    else:
        assert found == Decimal(6)  # a zero duration says nothing: the course's hours
    assert rules.hours_of({}, Decimal(6)) == Decimal(6)
    assert rules.hours_of({"result": {"duration": f"P{days + 1}M"}}, None) is None


def _course(**overrides: object) -> rules.CourseFacts:
    values: dict[str, object] = {
        "provider": "lms",
        "code": "D400",
        "methods": ("online_course",),
        "items": ("DG100",),
    }
    values.update(overrides)
    return rules.CourseFacts(**values)  # type: ignore[arg-type]


def test_the_activity_that_takes_the_course_wins_over_a_matching_method() -> None:
    plan = valid_plan()
    # b3 is an online course on DG100: it matches by method and item
    by_method = rules.matching_activity(plan, _course())
    assert by_method is not None
    assert by_method.activity_id == "b3"
    assert by_method.bucket is Bucket.TRAINING
    # a1 takes the course itself (its method need not be one the course lists)
    taking = with_activity(plan, 0, 0, course=CourseRef("lms", "D400"))
    found = rules.matching_activity(taking, _course())
    assert found is not None
    assert (found.activity_id, found.bucket) == ("a1", Bucket.DOING)
    # online courses counted as 70 by the agency's policy
    online70 = rules.matching_activity(plan, _course(), Bucket.DOING)
    assert online70 is not None
    assert online70.bucket is Bucket.DOING


def test_no_activity_matches_a_course_for_other_items_or_methods() -> None:
    plan = valid_plan()
    assert rules.matching_activity(plan, _course(items=("DS999",))) is None
    assert rules.matching_activity(plan, _course(methods=("job_rotation",))) is None
    # a unit holds its criteria: a course on DG100.1 serves an item on DG100
    assert rules.matching_activity(plan, _course(items=("DG100.1",))) is not None


def test_the_form_shows_evidence_beside_the_items_of_its_unit_once_and_never_rates() -> None:
    title = LocalText("ข้อ", "item")
    required = [
        RequiredItem(
            code=f"DLit400.1.{n}",
            component=Component.CAPABILITY,
            title=title,
            order=n,
            targets=frozenset({Target.PRESENT}),
            domain_code="DLit",
            learning_dimension=1,
            unit_code="DLit400",
            element_code="DLit400.1",
        )
        for n in (1, 2)
    ]
    seen = FormEvidence("lms/D400", "หลักสูตร", date(2025, 1, 15), "s-1")
    form = build_form(required, evidence={"DLit400": [seen], "DLit400.1.2": [seen]})
    unit = form.sections[0].domains[0].units[0]
    criteria = [c for e in unit.elements for c in e.criteria]
    assert [c.evidence for c in criteria] == [(seen,), (seen,)]
    assert all(c.self_rating is None and c.supervisor_rating is None for c in criteria)
    assert form.self_rated == 0
    bare = build_form(required)
    assert all(
        not c.evidence for e in bare.sections[0].domains[0].units[0].elements for c in e.criteria
    )

"""Progress: actual effort per activity and the actual 70:20:10 mix against the plan."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from app.domain.errors import Conflict, Forbidden, ValidationFailed
from app.domain.planning import lifecycle as lc
from app.domain.planning.lifecycle import Relation
from app.domain.planning.methods import Bucket
from app.domain.planning.model import DevelopmentPlan, PlanState
from app.domain.planning.policy import SEED_POLICY
from app.domain.planning.progress import EffortEntry, EffortSource, progress, record_effort
from tests.unit.planning.builders import AT, CONTEXT, valid_plan


def agreed() -> DevelopmentPlan:
    plan = lc.submit(valid_plan(), Relation.OWNER, context=CONTEXT, at=AT)
    plan = lc.acknowledge(plan, Relation.OWNER, by="person-1", at=AT)
    return lc.acknowledge(plan, Relation.SUPERVISOR, by="boss-1", at=AT + timedelta(hours=1))


def h(value: str) -> Decimal:
    return Decimal(value)


def test_progress_sums_entries_per_activity_and_compares_the_mixes() -> None:
    entries = [
        EffortEntry("a1", h("10")),  # on-the-job training, doing
        EffortEntry("a1", h("4.5"), date(2024, 11, 2)),
        EffortEntry("b3", h("4"), source=EffortSource.COMPLETION),  # online course, training
        EffortEntry("a2", h("1.5")),  # coaching, others
        EffortEntry("elsewhere", h("99")),  # another plan's activity: ignored
    ]
    report = progress(valid_plan(), entries)
    by_id = {row.activity_id: row for row in report.activities}
    assert by_id["a1"].actual_hours == h("14.5")
    assert by_id["a1"].percent_done == Fraction(145, 280) * 100
    assert by_id["c1"].actual_hours == 0
    assert report.planned_hours == 140
    assert report.actual_hours == 20
    assert report.actual.hours == {
        Bucket.DOING: Fraction(29, 2),
        Bucket.OTHERS: Fraction(3, 2),
        Bucket.TRAINING: Fraction(4),
    }
    assert report.planned.shares() == {Bucket.DOING: 70, Bucket.OTHERS: 20, Bucket.TRAINING: 10}
    assert report.mix_gap() == {
        Bucket.DOING: Fraction(145, 2) - 70,
        Bucket.OTHERS: Fraction(15, 2) - 20,
        Bucket.TRAINING: Fraction(20) - 10,
    }


def test_the_activities_are_listed_in_priority_order() -> None:
    plan = valid_plan()
    reordered = lc.change(plan, Relation.OWNER, at=AT, items=tuple(reversed(plan.items)))
    assert [r.item_id for r in progress(reordered, []).activities][::3] == ["a", "b", "c", "d"]


def test_online_course_effort_follows_the_agencys_bucket() -> None:
    entries = [EffortEntry("b3", h("4"))]
    seventy = SEED_POLICY.with_overrides({"online_course_bucket": 70})
    assert progress(valid_plan(), entries).actual.hours[Bucket.TRAINING] == 4
    assert progress(valid_plan(), entries, seventy).actual.hours[Bucket.DOING] == 4


def test_the_first_effort_recorded_starts_an_acknowledged_plan() -> None:
    plan, entry = record_effort(agreed(), Relation.OWNER, EffortEntry("a1", h("2")))
    assert plan.state is PlanState.IN_PROGRESS
    assert entry.hours == 2
    again, _ = record_effort(plan, Relation.SUPERVISOR, EffortEntry("a1", h("1")))
    assert again.state is PlanState.IN_PROGRESS


def test_effort_is_refused_with_every_problem() -> None:
    bad = EffortEntry("nope", h("0"), date(2026, 1, 1))
    with pytest.raises(ValidationFailed) as refused:
        record_effort(agreed(), Relation.OWNER, bad)
    assert [(e.pointer, e.rule) for e in refused.value.errors] == [
        ("/activity_id", "P-PROGRESS-ACTIVITY"),
        ("/hours", "P-PROGRESS-HOURS"),
        ("/on", "P-PROGRESS-DATE"),
    ]


def test_effort_is_recorded_only_on_a_plan_in_force_by_its_parties() -> None:
    with pytest.raises(Conflict):
        record_effort(valid_plan(), Relation.OWNER, EffortEntry("a1", h("1")))
    with pytest.raises(Forbidden):
        record_effort(agreed(), Relation.AGENCY_ADMIN, EffortEntry("a1", h("1")))

"""The benchmark scores what it says it scores."""

from __future__ import annotations

from app.domain.assessment.plan import ScoringPlan
from app.domain.assessment.vocabulary import Component, Target
from bench.bench_scoring import developing_technologist, synthetic_assessments


def test_the_benchmark_profile_has_the_developing_technologist_shape() -> None:
    plan = ScoringPlan.compile(developing_technologist())
    units = [r for r in plan.requirements if r.component is Component.CAPABILITY]
    assert sum(Target.PRESENT in u.targets for u in units) == 27  # 001:845-871
    assert sum(Target.FUTURE in u.targets for u in units) == 28  # 001:1189-1216
    assert [u.code for u in units if u.elements] == ["DS100", "DT600"]
    assert plan.targets == (Target.PRESENT, Target.FUTURE)


def test_the_synthetic_assessments_are_reproducible() -> None:
    codes = ScoringPlan.compile(developing_technologist()).rated_codes
    assert synthetic_assessments(codes, 3) == synthetic_assessments(codes, 3)

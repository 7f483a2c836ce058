"""Before and after: a reflection assessment compared with its baseline (004:999, 004:1401).

The two may have different required sets (another framework version, a new agency stage): items
are matched by code, a requirement counts as gained or lost only when both required it, and the
rest is reported as newly required or no longer required.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

from app.domain.assessment.plan import Requirement
from app.domain.assessment.results import AssessmentScore, Readiness, TargetReadiness
from app.domain.assessment.vocabulary import Component, RatingValue, Target

K = TypeVar("K")


@dataclass(frozen=True, slots=True)
class ReadinessDelta:
    """One readiness figure before and after; either side is None when it did not apply."""

    before: Readiness | None
    after: Readiness | None

    @property
    def delta(self) -> float | None:
        """after - before, as a ratio; None unless both sides apply."""
        if self.before is None or self.after is None:
            return None
        return self.after.ratio - self.before.ratio


@dataclass(frozen=True, slots=True)
class TargetComparison:
    target: Target
    overall: ReadinessDelta
    by_component: Mapping[Component, ReadinessDelta]
    by_domain: Mapping[str, ReadinessDelta]
    by_learning_dimension: Mapping[int, ReadinessDelta]


@dataclass(frozen=True, slots=True)
class Comparison:
    """What changed. ``gained``: requirements of both sets met now and not before, in the
    reflection's priority order; ``lost``: met before and not now, in the baseline's order.
    ``items_gained``/``items_lost`` do the same for rated items (criteria included), in framework
    order."""

    gained: tuple[Requirement, ...]
    lost: tuple[Requirement, ...]
    items_gained: tuple[str, ...]
    items_lost: tuple[str, ...]
    newly_required: tuple[str, ...]
    no_longer_required: tuple[str, ...]
    present: TargetComparison | None
    future: TargetComparison | None

    @property
    def unchanged(self) -> bool:
        return not (self.gained or self.lost or self.items_gained or self.items_lost)


def compare(baseline: AssessmentScore, reflection: AssessmentScore) -> Comparison:
    """What changed between a baseline assessment and a reflection after development."""
    before_required = {r.code for r in baseline.plan.requirements}
    after_required = {r.code for r in reflection.plan.requirements}
    both = before_required & after_required
    gained = tuple(r for r in reflection.strengths if r.code in both and r.code not in baseline.met)
    lost = tuple(r for r in baseline.strengths if r.code in both and r.code not in reflection.met)
    has = RatingValue.HAS
    items_gained = tuple(
        code
        for code, value in reflection.final.items()
        if value is has and code in baseline.final and baseline.final[code] is not has
    )
    items_lost = tuple(
        code
        for code, value in baseline.final.items()
        if value is has and code in reflection.final and reflection.final[code] is not has
    )
    return Comparison(
        gained=gained,
        lost=lost,
        items_gained=items_gained,
        items_lost=items_lost,
        newly_required=tuple(
            r.code for r in reflection.plan.requirements if r.code not in before_required
        ),
        no_longer_required=tuple(
            r.code for r in baseline.plan.requirements if r.code not in after_required
        ),
        present=_target(Target.PRESENT, baseline.present, reflection.present),
        future=_target(Target.FUTURE, baseline.future, reflection.future),
    )


def _target(
    target: Target, before: TargetReadiness | None, after: TargetReadiness | None
) -> TargetComparison | None:
    if before is None and after is None:
        return None
    return TargetComparison(
        target=target,
        overall=ReadinessDelta(
            before.overall if before else None, after.overall if after else None
        ),
        by_component=_deltas(
            before.by_component if before else {}, after.by_component if after else {}
        ),
        by_domain=_deltas(before.by_domain if before else {}, after.by_domain if after else {}),
        by_learning_dimension=_deltas(
            before.by_learning_dimension if before else {},
            after.by_learning_dimension if after else {},
        ),
    )


def _deltas(before: Mapping[K, Readiness], after: Mapping[K, Readiness]) -> dict[K, ReadinessDelta]:
    keys = list(before) + [k for k in after if k not in before]
    return {k: ReadinessDelta(before.get(k), after.get(k)) for k in keys}

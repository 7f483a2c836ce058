"""What scoring returns: readiness per target and breakdown, gaps, strengths, disagreements."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from app.domain.assessment.plan import Requirement, ScoringPlan
from app.domain.assessment.policy import AgencyPolicy
from app.domain.assessment.vocabulary import Component, RatingValue, Target


@dataclass(frozen=True, slots=True)
class Readiness:
    """``met`` of ``required`` requirements; ``ratio`` is met / required (required is never 0)."""

    met: int
    required: int

    @property
    def ratio(self) -> float:
        return self.met / self.required


@dataclass(frozen=True, slots=True)
class TargetReadiness:
    """Readiness for one target, overall and per component, domain and learning dimension. A
    breakdown lists only the keys the target requires something under."""

    target: Target
    overall: Readiness
    by_component: Mapping[Component, Readiness]
    by_domain: Mapping[str, Readiness]
    by_learning_dimension: Mapping[int, Readiness]


@dataclass(frozen=True, slots=True)
class Disagreement:
    """An item the person and the supervisor rated differently, and what the policy made of it."""

    code: str
    self_value: RatingValue
    supervisor_value: RatingValue
    final: RatingValue | None


@dataclass(frozen=True, slots=True)
class Gap:
    """A requirement not met. ``items_not_met`` are its rated items whose final rating is not
    "has" (``unrated_items`` the subset with no final rating); ``elements_not_met`` the elements of
    a unit that are not met (001:114)."""

    requirement: Requirement
    items_not_met: tuple[str, ...]
    unrated_items: tuple[str, ...]
    elements_not_met: tuple[str, ...] = ()

    @property
    def code(self) -> str:
        return self.requirement.code


@dataclass(frozen=True, slots=True)
class AssessmentScore:
    """The scored result of one assessment under one policy.

    ``final`` holds the final rating of every rated item (None: unrated under the policy).
    ``gaps`` and ``strengths`` partition the requirements, each in the policy's priority order.
    ``present``/``future`` are None when the required set has no item for that target (a mature
    agency has no future target). ``ignored_codes`` are rated codes that are not in the set.
    """

    plan: ScoringPlan
    policy: AgencyPolicy
    final: Mapping[str, RatingValue | None]
    met: frozenset[str]
    present: TargetReadiness | None
    future: TargetReadiness | None
    gaps: tuple[Gap, ...]
    strengths: tuple[Requirement, ...]
    disagreements: tuple[Disagreement, ...]
    unrated: tuple[str, ...]
    ignored_codes: tuple[str, ...] = ()

    def readiness(self, target: Target) -> TargetReadiness | None:
        return self.present if target is Target.PRESENT else self.future

    def gaps_for(self, target: Target) -> tuple[Gap, ...]:
        return tuple(g for g in self.gaps if target in g.requirement.targets)

    def strengths_for(self, target: Target) -> tuple[Requirement, ...]:
        return tuple(r for r in self.strengths if target in r.targets)

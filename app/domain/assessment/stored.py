"""What a final assessment keeps of its score as rows (``assessment_result`` and
``assessment_result_requirement``), so that reports aggregate rows and never re-score."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.assessment.results import AssessmentScore
from app.domain.assessment.vocabulary import Target


@dataclass(frozen=True, slots=True)
class StoredRequirement:
    code: str
    component: str
    domain_code: str | None
    present: bool
    future: bool
    met: bool


@dataclass(frozen=True, slots=True)
class StoredResult:
    present_met: int | None
    present_required: int | None
    future_met: int | None
    future_required: int | None
    requirements: tuple[StoredRequirement, ...]


def stored_result(score: AssessmentScore) -> StoredResult:
    """The rows of one scored assessment: overall readiness per target, and every requirement."""
    rows = tuple(
        StoredRequirement(
            code=r.code,
            component=r.component.value,
            domain_code=r.domain_code,
            present=Target.PRESENT in r.targets,
            future=Target.FUTURE in r.targets,
            met=r.code in score.met,
        )
        for r in score.plan.requirements
    )
    present, future = score.present, score.future
    return StoredResult(
        present_met=present.overall.met if present else None,
        present_required=present.overall.required if present else None,
        future_met=future.overall.met if future else None,
        future_required=future.overall.required if future else None,
        requirements=rows,
    )

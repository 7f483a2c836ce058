"""REST schemas of assessments: the assessment, its form, results, comparison and policy."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from app.api.rest.schemas import (
    ApiModel,
    FiscalYearIn,
    Page,
    SettingSourceOut,
    setting_sources,
)
from app.db.models import Assessment, Person
from app.domain.assessment.comparison import Comparison, ReadinessDelta, TargetComparison
from app.domain.assessment.form import (
    AssessmentForm,
    FormEvidence,
    FormItem,
    FormUnit,
    RatingEntry,
)
from app.domain.assessment.items import Rating
from app.domain.assessment.plan import Requirement
from app.domain.assessment.policy import FinalRatingRule, PriorityKey
from app.domain.assessment.results import Gap, Readiness, TargetReadiness
from app.domain.assessment.vocabulary import LocalText
from app.domain.dates import ThaiDate
from app.services.assessment.assessment_policies import AgencyPolicyView, policy_json
from app.services.assessment.assessment_results import ComparisonView, ResultView


class OpenIn(ApiModel):
    fiscal_year: FiscalYearIn
    kind: Literal["baseline", "reflection"] = "baseline"


class RatingIn(ApiModel):
    code: str = Field(description="An item of the assessment (a criterion, a unit, K-F1, ...)")
    value: str = Field(description="`has` or `has_not`", examples=["has"])
    note: str | None = None
    evidence_url: str | None = None

    def entry(self) -> RatingEntry:
        return RatingEntry(self.code, self.value, self.note, self.evidence_url)


class RatingBatchIn(ApiModel):
    ratings: list[RatingIn]


class ReopenIn(ApiModel):
    reason: str


class TargetGroupOut(ApiModel):
    group: str
    scope: str = Field(description="`whole` or `partial`")
    items: list[str] | None = Field(
        default=None,
        description="A partial group's chosen items (the foundational ones are kept as well)",
    )


class TargetsOut(ApiModel):
    framework: str
    version_label: str
    stage: str
    stage_declared_by: str
    groups: list[TargetGroupOut]
    present: list[str] = Field(description="Profiles of the present target, `stage/group`")
    future: list[str] = Field(description="Profiles of the future target (none when mature)")


class AssessmentOut(ApiModel):
    id: uuid.UUID
    person_id: uuid.UUID
    fiscal_year: int
    kind: str
    status: str = Field(description="`draft`, `submitted` or `final`")
    framework_version_id: uuid.UUID
    targets: TargetsOut
    item_count: int
    supervisor_id: uuid.UUID | None = Field(description="The first-line supervisor who reviews")
    opened_by: str
    opened_at: datetime
    submitted_at: datetime | None
    submitted_by: str | None
    finalized_at: datetime | None
    finalized_by: str | None
    reopened_at: datetime | None
    reopened_by: str | None
    reopen_reason: str | None
    version: int = Field(description="Advanced by every write; also the ETag")

    @classmethod
    def of(cls, a: Assessment) -> AssessmentOut:
        return cls(
            id=a.id,
            person_id=a.person_id,
            fiscal_year=a.fiscal_year,
            kind=a.kind,
            status=a.status,
            framework_version_id=a.framework_version_id,
            targets=TargetsOut(**a.targets),
            item_count=len(a.required_items),
            supervisor_id=a.supervisor_id,
            opened_by=a.opened_by,
            opened_at=a.created_at,
            submitted_at=a.submitted_at,
            submitted_by=a.submitted_by,
            finalized_at=a.finalized_at,
            finalized_by=a.finalized_by,
            reopened_at=a.reopened_at,
            reopened_by=a.reopened_by,
            reopen_reason=a.reopen_reason,
            version=a.row_version,
        )


# -- form ----------------------------------------------------------------------------------------


class TextOut(ApiModel):
    th: str
    en: str | None

    @classmethod
    def of(cls, t: LocalText | None) -> TextOut | None:
        return None if t is None else cls(th=t.th, en=t.en)


class RatingOut(ApiModel):
    value: str
    note: str | None
    evidence_url: str | None

    @classmethod
    def of(cls, r: Rating | None) -> RatingOut | None:
        return (
            None
            if r is None
            else cls(value=r.value.value, note=r.note, evidence_url=r.evidence_url)
        )


class FormEvidenceOut(ApiModel):
    """A completed course that develops the item (read-only; never a rating)."""

    course: str = Field(description="The catalogue course, `provider/code`")
    title: str
    on: ThaiDate = Field(description="The day of the completion (Bangkok)")
    statement_id: str = Field(description="The xAPI statement that reported it")
    outcome: str = Field(description="`completed` or `passed`")

    @classmethod
    def of(cls, e: FormEvidence) -> FormEvidenceOut:
        return cls(
            course=e.course, title=e.title, on=e.on, statement_id=e.statement_id, outcome=e.outcome
        )


class FormItemOut(ApiModel):
    code: str
    level: str = Field(description="`criterion`, `unit` or `item`")
    title: TextOut
    targets: list[str]
    self_rating: RatingOut | None
    supervisor_rating: RatingOut | None
    evidence: list[FormEvidenceOut] = Field(
        description="Completions of courses that develop this item (its unit or element): shown"
        " beside it, never counted as a rating"
    )

    @classmethod
    def of(cls, i: FormItem) -> FormItemOut:
        title = TextOut.of(i.title)
        assert title is not None
        return cls(
            code=i.code,
            level=i.level.value,
            title=title,
            targets=sorted(t.value for t in i.targets),
            self_rating=RatingOut.of(i.self_rating),
            supervisor_rating=RatingOut.of(i.supervisor_rating),
            evidence=[FormEvidenceOut.of(e) for e in i.evidence],
        )


class FormElementOut(ApiModel):
    code: str
    title: TextOut | None
    criteria: list[FormItemOut]


class FormUnitOut(ApiModel):
    code: str
    title: TextOut | None
    targets: list[str]
    item: FormItemOut | None = Field(description="The unit itself, when it is rated as a whole")
    elements: list[FormElementOut]

    @classmethod
    def of(cls, u: FormUnit) -> FormUnitOut:
        return cls(
            code=u.code,
            title=TextOut.of(u.title),
            targets=sorted(t.value for t in u.targets),
            item=FormItemOut.of(u.item) if u.item else None,
            elements=[
                FormElementOut(
                    code=e.code,
                    title=TextOut.of(e.title),
                    criteria=[FormItemOut.of(c) for c in e.criteria],
                )
                for e in u.elements
            ],
        )


class FormDomainOut(ApiModel):
    code: str
    title: TextOut | None
    learning_dimension: int | None
    units: list[FormUnitOut]


class FormSectionOut(ApiModel):
    component: str
    domains: list[FormDomainOut]
    items: list[FormItemOut]


class FormOut(ApiModel):
    assessment: AssessmentOut
    item_count: int
    self_rated: int
    supervisor_rated: int
    sections: list[FormSectionOut]

    @classmethod
    def of(cls, a: Assessment, form: AssessmentForm) -> FormOut:
        return cls(
            assessment=AssessmentOut.of(a),
            item_count=form.item_count,
            self_rated=form.self_rated,
            supervisor_rated=form.supervisor_rated,
            sections=[
                FormSectionOut(
                    component=s.component.value,
                    domains=[
                        FormDomainOut(
                            code=d.code,
                            title=TextOut.of(d.title),
                            learning_dimension=d.learning_dimension,
                            units=[FormUnitOut.of(u) for u in d.units],
                        )
                        for d in s.domains
                    ],
                    items=[FormItemOut.of(i) for i in s.items],
                )
                for s in form.sections
            ],
        )


# -- results -------------------------------------------------------------------------------------


class ReadinessOut(ApiModel):
    met: int
    required: int
    ratio: float

    @classmethod
    def of(cls, r: Readiness | None) -> ReadinessOut | None:
        return None if r is None else cls(met=r.met, required=r.required, ratio=r.ratio)


def _by(values: Mapping[Any, Readiness]) -> dict[str, ReadinessOut]:
    out = {str(getattr(k, "value", k)): ReadinessOut.of(v) for k, v in values.items()}
    return {k: v for k, v in out.items() if v is not None}


class TargetReadinessOut(ApiModel):
    target: str
    overall: ReadinessOut
    by_component: dict[str, ReadinessOut]
    by_domain: dict[str, ReadinessOut]
    by_learning_dimension: dict[str, ReadinessOut]

    @classmethod
    def of(cls, t: TargetReadiness | None) -> TargetReadinessOut | None:
        if t is None:
            return None
        overall = ReadinessOut.of(t.overall)
        assert overall is not None
        return cls(
            target=t.target.value,
            overall=overall,
            by_component=_by(t.by_component),
            by_domain=_by(t.by_domain),
            by_learning_dimension=_by(t.by_learning_dimension),
        )


class AssessmentRequirementOut(ApiModel):
    code: str
    component: str
    title: TextOut
    targets: list[str]
    domain: str | None
    learning_dimension: int | None
    items: list[str] = Field(description="The rated items under it (criteria of a unit)")

    @classmethod
    def of(cls, r: Requirement) -> AssessmentRequirementOut:
        title = TextOut.of(r.title)
        assert title is not None
        return cls(
            code=r.code,
            component=r.component.value,
            title=title,
            targets=sorted(t.value for t in r.targets),
            domain=r.domain_code,
            learning_dimension=r.learning_dimension,
            items=list(r.item_codes),
        )


class GapOut(AssessmentRequirementOut):
    items_not_met: list[str]
    unrated_items: list[str]
    elements_not_met: list[str]

    @classmethod
    def of_gap(cls, g: Gap) -> GapOut:
        base = AssessmentRequirementOut.of(g.requirement).model_dump()
        return cls(
            **base,
            items_not_met=list(g.items_not_met),
            unrated_items=list(g.unrated_items),
            elements_not_met=list(g.elements_not_met),
        )


class DisagreementOut(ApiModel):
    code: str
    self_value: str
    supervisor_value: str
    final: str | None


class ResultsOut(ApiModel):
    assessment: AssessmentOut
    policy: dict[str, Any] = Field(description="The policy applied (recorded once final)")
    present: TargetReadinessOut | None
    future: TargetReadinessOut | None = Field(description="None when there is no future target")
    gaps: list[GapOut] = Field(description="Requirements not met, in the policy's priority order")
    strengths: list[AssessmentRequirementOut]
    disagreements: list[DisagreementOut]
    unrated: list[str]

    @classmethod
    def of(cls, view: ResultView) -> ResultsOut:
        s = view.score
        return cls(
            assessment=AssessmentOut.of(view.assessment),
            policy=policy_json(s.policy),
            present=TargetReadinessOut.of(s.present),
            future=TargetReadinessOut.of(s.future),
            gaps=[GapOut.of_gap(g) for g in s.gaps],
            strengths=[AssessmentRequirementOut.of(r) for r in s.strengths],
            disagreements=[
                DisagreementOut(
                    code=d.code,
                    self_value=d.self_value.value,
                    supervisor_value=d.supervisor_value.value,
                    final=d.final.value if d.final else None,
                )
                for d in s.disagreements
            ],
            unrated=list(s.unrated),
        )


class DeltaOut(ApiModel):
    before: ReadinessOut | None
    after: ReadinessOut | None
    delta: float | None

    @classmethod
    def of(cls, d: ReadinessDelta) -> DeltaOut:
        return cls(before=ReadinessOut.of(d.before), after=ReadinessOut.of(d.after), delta=d.delta)


class TargetComparisonOut(ApiModel):
    target: str
    overall: DeltaOut
    by_component: dict[str, DeltaOut]
    by_domain: dict[str, DeltaOut]
    by_learning_dimension: dict[str, DeltaOut]

    @classmethod
    def of(cls, t: TargetComparison | None) -> TargetComparisonOut | None:
        if t is None:
            return None

        def by(values: Mapping[Any, ReadinessDelta]) -> dict[str, DeltaOut]:
            return {str(getattr(k, "value", k)): DeltaOut.of(v) for k, v in values.items()}

        return cls(
            target=t.target.value,
            overall=DeltaOut.of(t.overall),
            by_component=by(t.by_component),
            by_domain=by(t.by_domain),
            by_learning_dimension=by(t.by_learning_dimension),
        )


class ComparisonOut(ApiModel):
    reflection: AssessmentOut
    baseline: AssessmentOut
    gained: list[AssessmentRequirementOut] = Field(description="Met now, not met at the baseline")
    lost: list[AssessmentRequirementOut]
    items_gained: list[str]
    items_lost: list[str]
    newly_required: list[str]
    no_longer_required: list[str]
    present: TargetComparisonOut | None
    future: TargetComparisonOut | None

    @classmethod
    def of(cls, view: ComparisonView) -> ComparisonOut:
        c: Comparison = view.comparison
        return cls(
            reflection=AssessmentOut.of(view.reflection.assessment),
            baseline=AssessmentOut.of(view.baseline.assessment),
            gained=[AssessmentRequirementOut.of(r) for r in c.gained],
            lost=[AssessmentRequirementOut.of(r) for r in c.lost],
            items_gained=list(c.items_gained),
            items_lost=list(c.items_lost),
            newly_required=list(c.newly_required),
            no_longer_required=list(c.no_longer_required),
            present=TargetComparisonOut.of(c.present),
            future=TargetComparisonOut.of(c.future),
        )


class QueuedOut(ApiModel):
    assessment: AssessmentOut
    person_name_th: str

    @classmethod
    def of(cls, a: Assessment, p: Person) -> QueuedOut:
        name = " ".join(n for n in (p.first_name_th, p.last_name_th) if n)
        return cls(assessment=AssessmentOut.of(a), person_name_th=name)


class AssessmentPolicySettings(ApiModel):
    final_rating: FinalRatingRule = Field(
        description="how the self and the supervisor's ratings make the final one"
    )
    priority: list[PriorityKey] = Field(description="keys ordering gaps and strengths")
    foundational_domains: list[str] = Field(description="skill sets every profile needs, e.g. DLit")


class AssessmentPolicyIn(ApiModel):
    """The settings this agency sets; an absent or null one is inherited."""

    final_rating: FinalRatingRule | None = None
    priority: list[PriorityKey] | None = None
    foundational_domains: list[str] | None = None


class AssessmentPolicyOut(ApiModel):
    agency: str
    own: dict[str, Any] = Field(description="the settings this agency sets itself")
    effective: AssessmentPolicySettings = Field(description="the policy in force for its staff")
    sources: dict[str, SettingSourceOut] = Field(description="per setting, where it comes from")

    @classmethod
    def of(cls, view: AgencyPolicyView) -> AssessmentPolicyOut:
        return cls(
            agency=view.agency.code,
            own=view.override.as_dict(),
            effective=AssessmentPolicySettings.model_validate(policy_json(view.resolved.policy)),
            sources=setting_sources(view.agency.code, view.resolved.sources),
        )


class AssessmentPage(Page[AssessmentOut]):
    """A page of a person's assessments."""


class QueuedPage(Page[QueuedOut]):
    """A page of the assessments awaiting your review."""

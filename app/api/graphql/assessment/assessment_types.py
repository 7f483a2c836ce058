"""GraphQL types of assessments: the assessment, its form, results, comparison, policy and the
personal dashboard. Built from the domain's values (no database access here)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from app.db.models import Assessment as AssessmentModel
from app.db.models import Person as PersonModel
from app.domain.assessment.comparison import ReadinessDelta as DeltaValue
from app.domain.assessment.comparison import TargetComparison as TargetComparisonValue
from app.domain.assessment.form import AssessmentForm as FormValue
from app.domain.assessment.form import FormEvidence as FormEvidenceValue
from app.domain.assessment.form import FormItem as FormItemValue
from app.domain.assessment.form import FormUnit as FormUnitValue
from app.domain.assessment.items import Rating
from app.domain.assessment.plan import Requirement as RequirementValue
from app.domain.assessment.results import Gap as GapValue
from app.domain.assessment.results import Readiness as ReadinessValue
from app.domain.assessment.results import TargetReadiness as TargetReadinessValue
from app.domain.assessment.vocabulary import LocalText
from app.domain.inheritance import Origin, sources
from app.services.assessment.assessment_policies import AgencyPolicyView, policy_json
from app.services.assessment.assessment_results import ComparisonView, Dashboard, ResultView

if TYPE_CHECKING:
    from app.api.graphql.learning.learning_records import LearningSummary
    from app.api.graphql.planning.plans import MyPlan


@strawberry.type(description="A text in Thai (the authority) and, where given, English.")
class LocalizedText:
    th: str
    en: str | None

    @classmethod
    def of(cls, t: LocalText | None) -> LocalizedText | None:
        return None if t is None else cls(th=t.th, en=t.en)


def _text(t: LocalText) -> LocalizedText:
    out = LocalizedText.of(t)
    assert out is not None
    return out


@strawberry.type(description="One self or supervisor assessment of a person for a fiscal year.")
class Assessment:
    id: strawberry.ID
    person_id: strawberry.ID
    fiscal_year: int
    kind: str = strawberry.field(description="baseline or reflection")
    status: str = strawberry.field(description="draft, submitted or final")
    framework_version_id: strawberry.ID
    framework_version_label: str
    stage: str
    present_profiles: list[str] = strawberry.field(description="stage/group of the present target")
    future_profiles: list[str] = strawberry.field(description="Empty for a mature agency")
    item_count: int
    supervisor_id: strawberry.ID | None
    opened_by: str
    opened_at: datetime
    submitted_at: datetime | None
    finalized_at: datetime | None
    reopened_at: datetime | None
    reopen_reason: str | None
    version: int

    @strawberry.field(
        description="Where the result prints as PDF (REST, same credentials as this answer)."
    )
    def result_pdf_url(self) -> str:
        return f"/api/v1/people/{self.person_id}/assessments/{self.id}/result.pdf"

    @classmethod
    def of(cls, a: AssessmentModel) -> Assessment:
        return cls(
            id=strawberry.ID(str(a.id)),
            person_id=strawberry.ID(str(a.person_id)),
            fiscal_year=a.fiscal_year,
            kind=a.kind,
            status=a.status,
            framework_version_id=strawberry.ID(str(a.framework_version_id)),
            framework_version_label=a.targets["version_label"],
            stage=a.targets["stage"],
            present_profiles=list(a.targets["present"]),
            future_profiles=list(a.targets["future"]),
            item_count=len(a.required_items),
            supervisor_id=strawberry.ID(str(a.supervisor_id)) if a.supervisor_id else None,
            opened_by=a.opened_by,
            opened_at=a.created_at,
            submitted_at=a.submitted_at,
            finalized_at=a.finalized_at,
            reopened_at=a.reopened_at,
            reopen_reason=a.reopen_reason,
            version=a.row_version,
        )


@strawberry.type
class GivenRating:
    value: str
    note: str | None
    evidence_url: str | None

    @classmethod
    def of(cls, r: Rating | None) -> GivenRating | None:
        return (
            None
            if r is None
            else cls(value=r.value.value, note=r.note, evidence_url=r.evidence_url)
        )


@strawberry.type(description="A completed course that develops an item (read-only).")
class FormEvidence:
    course: str
    title: str
    on: date
    statement_id: str
    outcome: str

    @classmethod
    def of(cls, e: FormEvidenceValue) -> FormEvidence:
        return cls(
            course=e.course, title=e.title, on=e.on, statement_id=e.statement_id, outcome=e.outcome
        )


@strawberry.type(description="A rated item: a criterion, a unit rated whole, or another item.")
class FormItem:
    code: str
    level: str
    title: LocalizedText
    targets: list[str]
    self_rating: GivenRating | None
    supervisor_rating: GivenRating | None
    evidence: list[FormEvidence] = strawberry.field(
        description="Completions of courses that develop this item: shown, never a rating."
    )

    @classmethod
    def of(cls, i: FormItemValue) -> FormItem:
        return cls(
            code=i.code,
            level=i.level.value,
            title=_text(i.title),
            targets=sorted(t.value for t in i.targets),
            self_rating=GivenRating.of(i.self_rating),
            supervisor_rating=GivenRating.of(i.supervisor_rating),
            evidence=[FormEvidence.of(e) for e in i.evidence],
        )


@strawberry.type
class FormElement:
    code: str
    title: LocalizedText | None
    criteria: list[FormItem]


@strawberry.type
class FormUnit:
    code: str
    title: LocalizedText | None
    targets: list[str]
    item: FormItem | None
    elements: list[FormElement]

    @classmethod
    def of(cls, u: FormUnitValue) -> FormUnit:
        return cls(
            code=u.code,
            title=LocalizedText.of(u.title),
            targets=sorted(t.value for t in u.targets),
            item=FormItem.of(u.item) if u.item else None,
            elements=[
                FormElement(
                    code=e.code,
                    title=LocalizedText.of(e.title),
                    criteria=[FormItem.of(c) for c in e.criteria],
                )
                for e in u.elements
            ],
        )


@strawberry.type
class FormDomain:
    code: str
    title: LocalizedText | None
    learning_dimension: int | None
    units: list[FormUnit]


@strawberry.type
class FormSection:
    component: str
    domains: list[FormDomain]
    items: list[FormItem]


@strawberry.type(description="Component > domain > unit > element > criterion, with ratings.")
class AssessmentForm:
    assessment: Assessment
    item_count: int
    self_rated: int
    supervisor_rated: int
    sections: list[FormSection]

    @classmethod
    def of(cls, a: AssessmentModel, form: FormValue) -> AssessmentForm:
        return cls(
            assessment=Assessment.of(a),
            item_count=form.item_count,
            self_rated=form.self_rated,
            supervisor_rated=form.supervisor_rated,
            sections=[
                FormSection(
                    component=s.component.value,
                    domains=[
                        FormDomain(
                            code=d.code,
                            title=LocalizedText.of(d.title),
                            learning_dimension=d.learning_dimension,
                            units=[FormUnit.of(u) for u in d.units],
                        )
                        for d in s.domains
                    ],
                    items=[FormItem.of(i) for i in s.items],
                )
                for s in form.sections
            ],
        )


@strawberry.type(description="met of required requirements; ratio = met / required.")
class Readiness:
    key: str | None
    met: int
    required: int
    ratio: float

    @classmethod
    def of(cls, r: ReadinessValue, key: Any = None) -> Readiness:
        name = None if key is None else str(getattr(key, "value", key))
        return cls(key=name, met=r.met, required=r.required, ratio=r.ratio)


def _keyed(values: Mapping[Any, ReadinessValue]) -> list[Readiness]:
    return [Readiness.of(v, k) for k, v in values.items()]


@strawberry.type
class TargetReadiness:
    target: str
    overall: Readiness
    by_component: list[Readiness]
    by_domain: list[Readiness]
    by_learning_dimension: list[Readiness]

    @classmethod
    def of(cls, t: TargetReadinessValue | None) -> TargetReadiness | None:
        if t is None:
            return None
        return cls(
            target=t.target.value,
            overall=Readiness.of(t.overall),
            by_component=_keyed(t.by_component),
            by_domain=_keyed(t.by_domain),
            by_learning_dimension=_keyed(t.by_learning_dimension),
        )


@strawberry.type(description="A unit of capability or another required item.")
class RequiredOutcome:
    code: str
    component: str
    title: LocalizedText
    targets: list[str]
    domain: str | None
    learning_dimension: int | None
    items: list[str]

    @classmethod
    def of(cls, r: RequirementValue) -> RequiredOutcome:
        return cls(
            code=r.code,
            component=r.component.value,
            title=_text(r.title),
            targets=sorted(t.value for t in r.targets),
            domain=r.domain_code,
            learning_dimension=r.learning_dimension,
            items=list(r.item_codes),
        )


@strawberry.type(description="A requirement not met.")
class Gap:
    requirement: RequiredOutcome
    items_not_met: list[str]
    unrated_items: list[str]
    elements_not_met: list[str]

    @classmethod
    def of(cls, g: GapValue) -> Gap:
        return cls(
            requirement=RequiredOutcome.of(g.requirement),
            items_not_met=list(g.items_not_met),
            unrated_items=list(g.unrated_items),
            elements_not_met=list(g.elements_not_met),
        )


@strawberry.type
class Disagreement:
    code: str
    self_value: str
    supervisor_value: str
    final: str | None


@strawberry.type
class AssessmentResults:
    assessment: Assessment
    final_rating_rule: str
    present: TargetReadiness | None
    future: TargetReadiness | None
    gaps: list[Gap]
    strengths: list[RequiredOutcome]
    disagreements: list[Disagreement]
    unrated: list[str]

    @classmethod
    def of(cls, view: ResultView) -> AssessmentResults:
        s = view.score
        return cls(
            assessment=Assessment.of(view.assessment),
            final_rating_rule=s.policy.final_rating.value,
            present=TargetReadiness.of(s.present),
            future=TargetReadiness.of(s.future),
            gaps=[Gap.of(g) for g in s.gaps],
            strengths=[RequiredOutcome.of(r) for r in s.strengths],
            disagreements=[
                Disagreement(
                    code=d.code,
                    self_value=d.self_value.value,
                    supervisor_value=d.supervisor_value.value,
                    final=d.final.value if d.final else None,
                )
                for d in s.disagreements
            ],
            unrated=list(s.unrated),
        )


@strawberry.type
class ReadinessDelta:
    key: str | None
    before: Readiness | None
    after: Readiness | None
    delta: float | None

    @classmethod
    def of(cls, d: DeltaValue, key: Any = None) -> ReadinessDelta:
        return cls(
            key=None if key is None else str(getattr(key, "value", key)),
            before=Readiness.of(d.before) if d.before else None,
            after=Readiness.of(d.after) if d.after else None,
            delta=d.delta,
        )


@strawberry.type
class TargetComparison:
    target: str
    overall: ReadinessDelta
    by_component: list[ReadinessDelta]
    by_domain: list[ReadinessDelta]
    by_learning_dimension: list[ReadinessDelta]

    @classmethod
    def of(cls, t: TargetComparisonValue | None) -> TargetComparison | None:
        if t is None:
            return None
        return cls(
            target=t.target.value,
            overall=ReadinessDelta.of(t.overall),
            by_component=[ReadinessDelta.of(v, k) for k, v in t.by_component.items()],
            by_domain=[ReadinessDelta.of(v, k) for k, v in t.by_domain.items()],
            by_learning_dimension=[
                ReadinessDelta.of(v, k) for k, v in t.by_learning_dimension.items()
            ],
        )


@strawberry.type(description="A reflection against its baseline (004:999).")
class AssessmentComparison:
    reflection: Assessment
    baseline: Assessment
    gained: list[RequiredOutcome]
    lost: list[RequiredOutcome]
    items_gained: list[str]
    items_lost: list[str]
    newly_required: list[str]
    no_longer_required: list[str]
    present: TargetComparison | None
    future: TargetComparison | None

    @classmethod
    def of(cls, view: ComparisonView) -> AssessmentComparison:
        c = view.comparison
        return cls(
            reflection=Assessment.of(view.reflection.assessment),
            baseline=Assessment.of(view.baseline.assessment),
            gained=[RequiredOutcome.of(r) for r in c.gained],
            lost=[RequiredOutcome.of(r) for r in c.lost],
            items_gained=list(c.items_gained),
            items_lost=list(c.items_lost),
            newly_required=list(c.newly_required),
            no_longer_required=list(c.no_longer_required),
            present=TargetComparison.of(c.present),
            future=TargetComparison.of(c.future),
        )


@strawberry.type(description="A submitted assessment awaiting your review.")
class QueuedAssessment:
    assessment: Assessment
    person_name_th: str

    @classmethod
    def of(cls, a: AssessmentModel, p: PersonModel) -> QueuedAssessment:
        name = " ".join(n for n in (p.first_name_th, p.last_name_th) if n)
        return cls(assessment=Assessment.of(a), person_name_th=name)


@strawberry.type
class PolicyFields:
    final_rating: str | None
    priority: list[str] | None
    foundational_domains: list[str] | None

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> PolicyFields:
        return cls(
            final_rating=data.get("final_rating"),
            priority=data.get("priority"),
            foundational_domains=data.get("foundational_domains"),
        )


SettingOrigin = strawberry.enum(
    Origin,
    name="SettingOrigin",
    description="Where a policy setting comes from: set by the agency itself (OWN), inherited "
    "from an ancestor agency (INHERITED), or the product default (DEFAULT).",
)


@strawberry.type
class PolicySource:
    field: str
    origin: SettingOrigin  # type: ignore[valid-type]
    agency: str | None = strawberry.field(
        description="the agency that sets it (itself when OWN); null for the default"
    )


@strawberry.type(description="An agency's assessment policy: its own fields and the effective.")
class AssessmentPolicy:
    agency: str
    own: PolicyFields
    effective: PolicyFields
    sources: list[PolicySource]

    @classmethod
    def of(cls, view: AgencyPolicyView) -> AssessmentPolicy:
        return cls(
            agency=view.agency.code,
            own=PolicyFields.of(view.override.as_dict()),
            effective=PolicyFields.of(policy_json(view.resolved.policy)),
            sources=[
                PolicySource(field=name, origin=source.origin, agency=source.agency)
                for name, source in sources(view.agency.code, view.resolved.sources).items()
            ],
        )


@strawberry.type(description="A person's page: profiles, latest readiness, top gaps, reviews.")
class MyDashboard:
    person_id: strawberry.ID | None
    name_th: str | None
    fiscal_year: int
    stage: str | None
    groups: list[str]
    present_profiles: list[str]
    future_profiles: list[str]
    latest_assessment: Assessment | None = strawberry.field(
        description="Your latest final assessment, the result of record (latest fiscal year, a "
        "reflection after its baseline); null until one is final. A draft or submitted one is "
        "not a result yet: see assessmentInProgress."
    )
    assessment_in_progress: Assessment | None = strawberry.field(
        description="Your latest assessment not final yet (draft or submitted), if any, "
        "whether newer than latestAssessment or not; its ratings do not change readiness."
    )
    readiness: list[TargetReadiness] = strawberry.field(
        description="Of latestAssessment (the final one): present, then future when there is one"
    )
    top_gaps: list[Gap] = strawberry.field(
        description="Of latestAssessment: the first gaps in priority order"
    )
    pending_reviews: list[QueuedAssessment]

    @strawberry.field(description="My development plan for this fiscal year, with its progress.")
    async def current_plan(
        self, info: strawberry.Info
    ) -> Annotated[MyPlan, strawberry.lazy("app.api.graphql.planning.plans")] | None:
        from app.api.graphql.planning.plans import MyPlan, Plan, PlanProgress
        from app.services.planning import plan_reads

        year = self.fiscal_year
        found = await info.context.use_db(lambda s, p: plan_reads.my_current_plan(s, p, year))
        if found is None:
            return None
        return MyPlan(plan=Plan.of(found[0]), progress=PlanProgress.of(found[1]))

    @strawberry.field(
        description="My completions and learning hours this fiscal year, from e-learning providers."
    )
    async def learning(
        self, info: strawberry.Info
    ) -> Annotated[LearningSummary, strawberry.lazy("app.api.graphql.learning.learning_records")]:
        from app.api.graphql.learning.learning_records import LearningSummary
        from app.services.learning import learning_records

        year = self.fiscal_year
        totals = await info.context.use_db(lambda s, p: learning_records.my_totals(s, p, year))
        return LearningSummary.of(totals)

    @classmethod
    def of(cls, d: Dashboard, gaps: int) -> MyDashboard:
        p, latest = d.person, d.latest
        readiness = [] if latest is None else [latest.score.present, latest.score.future]
        return cls(
            person_id=strawberry.ID(str(p.id)) if p else None,
            name_th=" ".join(n for n in (p.first_name_th, p.last_name_th) if n) if p else None,
            fiscal_year=d.fiscal_year,
            stage=d.profiles.stage.value if d.profiles.stage else None,
            groups=list(d.profiles.groups),
            present_profiles=list(d.profiles.present),
            future_profiles=list(d.profiles.future),
            latest_assessment=Assessment.of(latest.assessment) if latest else None,
            assessment_in_progress=Assessment.of(d.in_progress) if d.in_progress else None,
            readiness=[t for r in readiness if (t := TargetReadiness.of(r)) is not None],
            top_gaps=[Gap.of(g) for g in latest.score.gaps[:gaps]] if latest else [],
            pending_reviews=[QueuedAssessment.of(a, q) for a, q in d.pending_reviews],
        )

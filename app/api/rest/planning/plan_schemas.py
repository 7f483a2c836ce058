"""REST schemas of plans. Bodies use the plan model's field names, so that a finding's pointer
(``/items/1/activities/0/lecture_share``) points into the body that was sent."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field

from app.api.rest.schemas import (
    ApiModel,
    FiscalYearIn,
    Int4,
    Number,
    Page,
    SettingSourceOut,
    json_number,
    setting_sources,
)
from app.domain.dates import ThaiDate
from app.domain.planning import document
from app.domain.planning.findings import Finding
from app.domain.planning.methods import DevelopmentMethod
from app.domain.planning.mix import rounded_percentages
from app.services.planning.plan_reads import ProgressReport, QueueEntry
from app.services.planning.planning_policies import EffectivePolicy
from app.services.planning.plans import PlanResult

Quarter = Literal[1, 2, 3, 4]


class Quarters(ApiModel):
    quarters: list[Quarter] = Field(min_length=1, description="Q1 Oct-Dec ... Q4 Jul-Sep")


class Dates(ApiModel):
    start: ThaiDate
    end: ThaiDate = Field(description="included")


class ActivityCourse(ApiModel):
    provider: str = Field(min_length=1, max_length=64, description="the provider's code")
    code: str = Field(min_length=1, max_length=64, description="the course's code")


class Activity(ApiModel):
    id: str | None = Field(None, max_length=64, description="kept across revisions; made if absent")
    method: str = Field(description="a code of GET /api/v1/planning/methods")
    planned_hours: Annotated[Number, json_number(minimum=0, maximum=8784)] = Field(ge=0, le=8784)
    lecture_share: Annotated[Number, json_number(minimum=0, maximum=100)] | None = Field(
        None, ge=0, le=100, description="percent of the activity's time in lecture (training)"
    )
    description: str = ""
    course: ActivityCourse | None = Field(
        None, description="a catalogue course the activity takes (GET /api/v1/courses)"
    )


class PlanItem(ApiModel):
    id: str | None = Field(None, max_length=64, description="kept across revisions; made if absent")
    priority: Int4 = Field(ge=1, description="1 = most important")
    framework_items: list[str] = Field(default_factory=list, description="e.g. DLit100, K-R3")
    reason: Literal["gap", "strength", "position_required"]
    reason_note: str = ""
    target: Literal["present", "future"] = "present"
    topic: str = ""
    course_ref: str | None = None
    activities: list[Activity] = Field(default_factory=list)
    application: str = Field("", description="the work the development will improve")
    period: Quarters | Dates | None = None
    evaluation_methods: list[Literal["self", "supervisor", "peer"]] = Field(default_factory=list)


class PlanDocument(ApiModel):
    baseline_assessment_id: str | None = None
    items: list[PlanItem] = Field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_unset=True)


class PlanCreate(PlanDocument):
    fiscal_year: FiscalYearIn


class EvaluationRow(ApiModel):
    item_id: str
    outcome: Literal["as_planned", "not_as_planned"] | None = None
    next_step: Literal["continue", "revise"] | None = None
    narrative: str = Field("", description="progress made, or what kept it from going to plan")
    suggestions: str = ""


class EvaluationIn(ApiModel):
    items: list[EvaluationRow]


class EffortIn(ApiModel):
    activity_id: str
    hours: Annotated[Number, json_number(exclusiveMinimum=0, maximum=8784)] = Field(gt=0, le=8784)
    on: ThaiDate | None = Field(None, description="the day, inside the plan's fiscal year")
    note: str | None = Field(None, max_length=2000)


class FindingOut(ApiModel):
    rule: str
    severity: Literal["error", "warning"]
    pointer: str
    message_en: str
    message_th: str
    seed: str
    params: dict[str, Any]

    @classmethod
    def of(cls, f: Finding) -> FindingOut:
        return cls.model_validate(f.as_dict())


def findings_out(found: list[Finding] | None) -> list[FindingOut] | None:
    return None if found is None else [FindingOut.of(f) for f in found]


class Signature(ApiModel):
    by: str
    at: datetime


class EvaluationOut(ApiModel):
    items: list[EvaluationRow]
    owner_ack: Signature | None
    supervisor_ack: Signature | None
    acknowledged: bool


class PlanOut(ApiModel):
    id: str
    person_id: str
    fiscal_year: int
    revision: int
    latest_revision: int
    revised_from: int | None
    state: str
    in_force: bool
    person_name: str
    position: str
    unit: str
    baseline_assessment_id: str | None
    items: list[PlanItem]
    submitted_at: datetime | None
    owner_ack: Signature | None
    supervisor_ack: Signature | None
    evaluation: EvaluationOut | None
    created_by: str
    created_at: datetime
    updated_by: str
    updated_at: datetime
    relation: str = Field(description="what you are to the plan: owner, supervisor, agency_admin")
    allowed_actions: list[str]
    findings: list[FindingOut] | None = Field(
        description="IDP1 findings (null when the person has no profile for the year)"
    )
    evaluation_findings: list[FindingOut]

    @classmethod
    def of(cls, r: PlanResult) -> PlanOut:
        from app.domain.planning.lifecycle import allowed_actions

        plan, rev = r.plan, r.loaded.rev
        latest = r.loaded.latest
        return cls(
            id=plan.id,
            person_id=plan.person_id,
            fiscal_year=plan.fiscal_year.be,
            revision=plan.revision,
            latest_revision=r.loaded.row.current_revision,
            revised_from=plan.revised_from,
            state=plan.state.value,
            in_force=plan.in_force,
            person_name=plan.person_name,
            position=plan.position,
            unit=plan.unit,
            baseline_assessment_id=plan.baseline_assessment_id,
            items=[PlanItem.model_validate(i) for i in document.items_to_json(plan.items)],
            submitted_at=plan.submitted_at,
            owner_ack=document.ack_to_json(plan.owner_ack),
            supervisor_ack=document.ack_to_json(plan.supervisor_ack),
            evaluation=document.evaluation_to_json(plan.evaluation),
            created_by=rev.created_by,
            created_at=rev.created_at,
            updated_by=rev.updated_by,
            updated_at=rev.updated_at,
            relation=r.relation.value,
            allowed_actions=sorted(
                a.value for a in allowed_actions(r.relation, plan.state) if latest
            ),
            findings=findings_out(r.findings),
            evaluation_findings=[FindingOut.of(f) for f in r.evaluation_findings],
        )


class FindingsOut(ApiModel):
    valid: bool = Field(description="no error finding: the plan may be submitted")
    findings: list[FindingOut]

    @classmethod
    def of(cls, found: list[Finding]) -> FindingsOut:
        return cls(
            valid=not any(f.blocking for f in found), findings=[FindingOut.of(f) for f in found]
        )


class RevisionOut(ApiModel):
    revision: int
    revised_from: int | None
    state: str
    created_by: str
    created_at: datetime
    updated_at: datetime
    current: bool


class QueueEntryOut(ApiModel):
    person_id: str
    plan_id: str
    fiscal_year: int
    revision: int
    person_name: str
    state: str
    relation: str
    awaiting: str

    @classmethod
    def of(cls, e: QueueEntry) -> QueueEntryOut:
        return cls(
            person_id=e.plan.person_id,
            plan_id=e.plan.id,
            fiscal_year=e.plan.fiscal_year.be,
            revision=e.plan.revision,
            person_name=e.plan.person_name,
            state=e.plan.state.value,
            relation=e.relation.value,
            awaiting=e.awaiting.value,
        )


class MethodOut(ApiModel):
    code: str
    name_th: str
    name_en: str
    bucket: int
    has_lecture_share: bool
    seeds: list[str]

    @classmethod
    def of(cls, m: DevelopmentMethod) -> MethodOut:
        return cls(
            code=m.code,
            name_th=m.name_th,
            name_en=m.name_en,
            bucket=int(m.bucket),
            has_lecture_share=m.has_lecture_share,
            seeds=list(m.seeds),
        )


class ActivityProgressOut(ApiModel):
    item_id: str
    activity_id: str
    method: str
    bucket: int | None
    planned_hours: float
    actual_hours: float
    percent_done: float | None


class BucketProgressOut(ApiModel):
    bucket: int
    planned_hours: float
    actual_hours: float
    planned_percent: int = Field(description="whole percent; the three sum to 100")
    actual_percent: int = Field(description="whole percent; the three sum to 100 (0 if none)")
    gap_points: float = Field(description="actual share minus planned share, in points")


class EffortOut(ApiModel):
    id: str
    activity_id: str
    hours: float
    on: ThaiDate | None
    source: str
    note: str | None
    recorded_by: str
    recorded_at: datetime


class ProgressOut(ApiModel):
    plan_id: str
    revision: int
    state: str
    planned_hours: float
    actual_hours: float
    buckets: list[BucketProgressOut]
    activities: list[ActivityProgressOut]
    entries: list[EffortOut]

    @classmethod
    def of(cls, report: ProgressReport) -> ProgressOut:
        p = report.progress
        planned, actual = p.planned.shares(), p.actual.shares()
        planned_pct, actual_pct = rounded_percentages(planned), rounded_percentages(actual)
        gap = p.mix_gap()
        return cls(
            plan_id=report.plan.id,
            revision=report.plan.revision,
            state=report.plan.state.value,
            planned_hours=float(p.planned_hours),
            actual_hours=float(p.actual_hours),
            buckets=[
                BucketProgressOut(
                    bucket=int(b),
                    planned_hours=float(p.planned.hours[b]),
                    actual_hours=float(p.actual.hours[b]),
                    planned_percent=planned_pct[b],
                    actual_percent=actual_pct[b],
                    gap_points=round(float(gap[b]), 1),
                )
                for b in sorted(planned, reverse=True)
            ],
            activities=[
                ActivityProgressOut(
                    item_id=a.item_id,
                    activity_id=a.activity_id,
                    method=a.method,
                    bucket=None if a.bucket is None else int(a.bucket),
                    planned_hours=float(a.planned_hours),
                    actual_hours=float(a.actual_hours),
                    percent_done=None
                    if a.percent_done is None
                    else round(float(a.percent_done), 1),
                )
                for a in p.activities
            ],
            entries=[
                EffortOut(
                    id=str(e.id),
                    activity_id=e.activity_id,
                    hours=float(e.hours),
                    on=e.on,
                    source=e.source,
                    note=e.note,
                    recorded_by=e.recorded_by,
                    recorded_at=e.recorded_at,
                )
                for e in report.entries
            ],
        )


class PlanningPolicySettings(ApiModel):
    """Every number the plan rules use (docs/planning.md "Policy")."""

    min_items: int
    max_items: int
    min_period_months: int
    mix_target: dict[Literal["70", "20", "10"], int | float] = Field(
        description="planned share per 70:20:10 bucket, in percent (sum 100)"
    )
    mix_tolerance_points: int | float
    max_lecture_percent: int | float
    min_development_days: int | float
    hours_per_development_day: int | float
    min_topics: int
    present_percent_target: int | float
    present_tolerance_points: int | float
    online_course_bucket: Literal[70, 20, 10]


# The ranges of the planning policy's settings, those app.domain.planning.policy checks.
Items = Annotated[Int4, Field(ge=1, le=100)]
Months = Annotated[Int4, Field(ge=0, le=12)]
Topics = Annotated[Int4, Field(ge=0, le=100)]
Points = Annotated[Number, json_number(minimum=0, maximum=100), Field(ge=0, le=100)]
Days = Annotated[Number, json_number(minimum=0, maximum=366), Field(ge=0, le=366)]
DayHours = Annotated[Number, json_number(exclusiveMinimum=0, maximum=24), Field(gt=0, le=24)]


class PlanningPolicyIn(ApiModel):
    """The settings this agency sets; an absent or null one is inherited. The ranges are those
    ``app.domain.planning.policy`` checks (which also refuses ``max_items`` below ``min_items``
    and a ``mix_target`` whose shares do not sum to 100)."""

    min_items: Items | None = None
    max_items: Items | None = None
    min_period_months: Months | None = None
    mix_target: dict[Literal["70", "20", "10"], Points] | None = None
    mix_tolerance_points: Points | None = None
    max_lecture_percent: Points | None = None
    min_development_days: Days | None = None
    hours_per_development_day: DayHours | None = None
    min_topics: Topics | None = None
    present_percent_target: Points | None = None
    present_tolerance_points: Points | None = None
    online_course_bucket: Literal[70, 20, 10] | None = None


class PlanningPolicyOut(ApiModel):
    agency: str
    own: dict[str, Any] = Field(description="the settings this agency sets itself")
    effective: PlanningPolicySettings = Field(description="the policy in force for its staff")
    sources: dict[str, SettingSourceOut] = Field(description="per setting, where it comes from")

    @classmethod
    def of(cls, found: EffectivePolicy) -> PlanningPolicyOut:
        return cls(
            agency=found.agency.code,
            own=found.own,
            effective=PlanningPolicySettings.model_validate(found.policy.as_json()),
            sources=setting_sources(found.agency.code, found.set_by),
        )


class MethodPage(Page[MethodOut]):
    """The development methods."""


class PlanPage(Page[PlanOut]):
    """A page of a person's plans."""


class QueueEntryPage(Page[QueueEntryOut]):
    """A page of the plans awaiting you."""


class RevisionPage(Page[RevisionOut]):
    """A page of a plan's revisions."""

"""GraphQL: individual development plans (IDP1, IDP2), my plan with its progress, the queue of
plans awaiting me and the methods vocabulary. Plan items and IDP2 rows are given as JSON in the
model's field names (docs/planning.md), so that findings' pointers point into them; errors are
coded (``extensions.code``), a refused submission lists every error finding."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from app.api.graphql.context import Context
from app.domain.errors import FieldError, ValidationFailed
from app.domain.planning.document import number_json
from app.domain.planning.findings import Finding
from app.domain.planning.lifecycle import allowed_actions
from app.domain.planning.methods import METHODS
from app.domain.planning.mix import rounded_percentages
from app.domain.planning.model import Acknowledgement, DatePeriod, QuarterPeriod
from app.domain.planning.model import PlanItem as ItemModel
from app.services.planning import plan_reads, plans
from app.services.planning.plan_reads import ProgressReport, QueueEntry
from app.services.planning.plans import PlanResult


def _uuid(value: strawberry.ID, name: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise ValidationFailed(
            [FieldError.for_parameter(name, "argument", "format", f"{value!r} is not an id")]
        ) from None


@strawberry.type(description="A rule finding: id, severity (error blocks submission), pointer.")
class PlanFinding:
    rule: str
    severity: str
    pointer: str
    message_en: str
    message_th: str
    seed: str
    params: JSON

    @classmethod
    def of(cls, f: Finding) -> PlanFinding:
        d = f.as_dict()
        return cls(
            rule=d["rule"],
            severity=d["severity"],
            pointer=d["pointer"],
            message_en=d["message_en"],
            message_th=d["message_th"],
            seed=d["seed"],
            params=d["params"],
        )


@strawberry.type
class PlanSignature:
    by: str
    at: datetime

    @classmethod
    def of(cls, ack: Acknowledgement | None) -> PlanSignature | None:
        return None if ack is None else cls(by=ack.by, at=ack.at)


@strawberry.type(description="A catalogue course, by its provider's code and its own.")
class PlanActivityCourse:
    provider: str
    code: str


@strawberry.type
class PlanActivity:
    id: str
    method: str
    planned_hours: float
    lecture_share: float | None
    description: str
    course: PlanActivityCourse | None


@strawberry.type(description="Fiscal quarters (Q1 Oct-Dec) or first and last day.")
class PlanPeriod:
    quarters: list[int] | None
    start: date | None
    end: date | None


@strawberry.type
class PlanItem:
    id: str
    priority: int
    framework_items: list[str]
    reason: str
    reason_note: str
    target: str
    topic: str
    course_ref: str | None
    activities: list[PlanActivity]
    application: str
    period: PlanPeriod | None
    evaluation_methods: list[str]

    @classmethod
    def of(cls, i: ItemModel) -> PlanItem:
        period = None
        if isinstance(i.period, QuarterPeriod):
            period = PlanPeriod(quarters=sorted(i.period.quarters), start=None, end=None)
        elif isinstance(i.period, DatePeriod):
            period = PlanPeriod(quarters=None, start=i.period.start, end=i.period.end)
        return cls(
            id=i.id,
            priority=i.priority,
            framework_items=list(i.framework_items),
            reason=i.reason.value,
            reason_note=i.reason_note,
            target=i.target.value,
            topic=i.topic,
            course_ref=i.course_ref,
            activities=[
                PlanActivity(
                    id=a.id,
                    method=a.method,
                    planned_hours=number_json(a.planned_hours),
                    lecture_share=None if a.lecture_share is None else float(a.lecture_share),
                    description=a.description,
                    course=None
                    if a.course is None
                    else PlanActivityCourse(provider=a.course.provider, code=a.course.code),
                )
                for a in i.activities
            ],
            application=i.application,
            period=period,
            evaluation_methods=sorted(e.value for e in i.evaluation_methods),
        )


@strawberry.type
class PlanEvaluationRow:
    item_id: str
    outcome: str | None
    next_step: str | None
    narrative: str
    suggestions: str


@strawberry.type
class PlanEvaluation:
    items: list[PlanEvaluationRow]
    owner_ack: PlanSignature | None
    supervisor_ack: PlanSignature | None
    acknowledged: bool


@strawberry.type(description="One revision of a person's development plan for a fiscal year.")
class Plan:
    id: strawberry.ID
    person_id: strawberry.ID
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
    owner_ack: PlanSignature | None
    supervisor_ack: PlanSignature | None
    evaluation: PlanEvaluation | None
    relation: str
    allowed_actions: list[str]
    etag: str
    findings: list[PlanFinding] | None
    evaluation_findings: list[PlanFinding]

    @classmethod
    def of(cls, r: PlanResult) -> Plan:
        p, e = r.plan, r.plan.evaluation
        return cls(
            id=strawberry.ID(p.id),
            person_id=strawberry.ID(p.person_id),
            fiscal_year=p.fiscal_year.be,
            revision=p.revision,
            latest_revision=r.loaded.row.current_revision,
            revised_from=p.revised_from,
            state=p.state.value,
            in_force=p.in_force,
            person_name=p.person_name,
            position=p.position,
            unit=p.unit,
            baseline_assessment_id=p.baseline_assessment_id,
            items=[PlanItem.of(i) for i in p.items],
            submitted_at=p.submitted_at,
            owner_ack=PlanSignature.of(p.owner_ack),
            supervisor_ack=PlanSignature.of(p.supervisor_ack),
            evaluation=None
            if e is None
            else PlanEvaluation(
                items=[
                    PlanEvaluationRow(
                        item_id=row.item_id,
                        outcome=None if row.outcome is None else row.outcome.value,
                        next_step=None if row.next_step is None else row.next_step.value,
                        narrative=row.narrative,
                        suggestions=row.suggestions,
                    )
                    for row in e.items
                ],
                owner_ack=PlanSignature.of(e.owner_ack),
                supervisor_ack=PlanSignature.of(e.supervisor_ack),
                acknowledged=e.acknowledged,
            ),
            relation=r.relation.value,
            allowed_actions=sorted(a.value for a in allowed_actions(r.relation, p.state))
            if r.loaded.latest
            else [],
            etag=f'"{r.etag_version}"',
            findings=None if r.findings is None else [PlanFinding.of(f) for f in r.findings],
            evaluation_findings=[PlanFinding.of(f) for f in r.evaluation_findings],
        )


@strawberry.type(description="Planned against actual hours of one 70:20:10 bucket.")
class BucketProgress:
    bucket: int
    planned_hours: float
    actual_hours: float
    planned_percent: int
    actual_percent: int
    gap_points: float


@strawberry.type
class PlanProgress:
    planned_hours: float
    actual_hours: float
    buckets: list[BucketProgress]

    @classmethod
    def of(cls, report: ProgressReport) -> PlanProgress:
        p = report.progress
        planned, actual = p.planned.shares(), p.actual.shares()
        pp, ap, gap = rounded_percentages(planned), rounded_percentages(actual), p.mix_gap()
        return cls(
            planned_hours=float(p.planned_hours),
            actual_hours=float(p.actual_hours),
            buckets=[
                BucketProgress(
                    bucket=int(b),
                    planned_hours=float(p.planned.hours[b]),
                    actual_hours=float(p.actual.hours[b]),
                    planned_percent=pp[b],
                    actual_percent=ap[b],
                    gap_points=round(float(gap[b]), 1),
                )
                for b in sorted(planned, reverse=True)
            ],
        )


@strawberry.type(description="My plan for a fiscal year and its progress.")
class MyPlan:
    plan: Plan
    progress: PlanProgress


@strawberry.type(description="A plan awaiting the caller: acknowledge, evaluate, or sign IDP2.")
class PlanQueueEntry:
    person_id: strawberry.ID
    plan_id: strawberry.ID
    fiscal_year: int
    revision: int
    person_name: str
    state: str
    relation: str
    awaiting: str

    @classmethod
    def of(cls, e: QueueEntry) -> PlanQueueEntry:
        return cls(
            person_id=strawberry.ID(e.plan.person_id),
            plan_id=strawberry.ID(e.plan.id),
            fiscal_year=e.plan.fiscal_year.be,
            revision=e.plan.revision,
            person_name=e.plan.person_name,
            state=e.plan.state.value,
            relation=e.relation.value,
            awaiting=e.awaiting.value,
        )


@strawberry.type
class DevelopmentMethod:
    code: str
    name_th: str
    name_en: str
    bucket: int
    has_lecture_share: bool


@strawberry.type
class PlanQuery:
    @strawberry.field(description="My plan for a fiscal year (default: the current one).")
    async def my_plan(
        self, info: Info[Context, None], fiscal_year: int | None = None
    ) -> MyPlan | None:
        found = await info.context.use_db(
            lambda s, p: plan_reads.my_current_plan(s, p, fiscal_year)
        )
        return (
            None
            if found is None
            else MyPlan(plan=Plan.of(found[0]), progress=PlanProgress.of(found[1]))
        )

    @strawberry.field(description="My plans, newest fiscal year first.")
    async def my_plans(self, info: Info[Context, None]) -> list[Plan]:
        return [Plan.of(r) for r in await info.context.use_db(plan_reads.my_plans)]

    @strawberry.field(description="A person's plans, newest fiscal year first.")
    async def person_plans(self, info: Info[Context, None], person_id: strawberry.ID) -> list[Plan]:
        pid = _uuid(person_id, "personId")
        found = await info.context.use_db(lambda s, p: plan_reads.list_plans(s, p, pid))
        return [Plan.of(r) for r in found]

    @strawberry.field(description="One plan (its latest revision unless one is named).")
    async def plan(
        self,
        info: Info[Context, None],
        person_id: strawberry.ID,
        plan_id: strawberry.ID,
        revision: int | None = None,
    ) -> Plan:
        pid, plan = _uuid(person_id, "personId"), _uuid(plan_id, "planId")
        found = await info.context.use_db(
            lambda s, p: plan_reads.get_plan(s, p, pid, plan, revision=revision)
        )
        return Plan.of(found)

    @strawberry.field(description="Plans awaiting my signature or evaluation.")
    async def plan_queue(self, info: Info[Context, None]) -> list[PlanQueueEntry]:
        return [PlanQueueEntry.of(e) for e in await info.context.use_db(plan_reads.queue)]

    @strawberry.field(description="Development methods and their 70:20:10 buckets.")
    async def planning_methods(self) -> list[DevelopmentMethod]:
        return [
            DevelopmentMethod(
                code=m.code,
                name_th=m.name_th,
                name_en=m.name_en,
                bucket=int(m.bucket),
                has_lecture_share=m.has_lecture_share,
            )
            for m in METHODS
        ]


def _ids(person_id: strawberry.ID, plan_id: strawberry.ID) -> tuple[uuid.UUID, uuid.UUID]:
    return _uuid(person_id, "personId"), _uuid(plan_id, "planId")


async def _step(info: Info[Context, None], service: Any, person_id: Any, plan_id: Any) -> Plan:
    pid, plan = _ids(person_id, plan_id)
    return Plan.of(await info.context.use_db(lambda s, p: service(s, p, pid, plan)))


@strawberry.type
class PlanMutation:
    @strawberry.mutation(
        description="Start a plan (person or first-line supervisor); returns its findings."
    )
    async def create_plan(
        self,
        info: Info[Context, None],
        person_id: strawberry.ID,
        fiscal_year: int,
        items: JSON,
        baseline_assessment_id: str | None = None,
    ) -> Plan:
        pid = _uuid(person_id, "personId")
        found = await info.context.use_db(
            lambda s, p: plans.create_plan(
                s,
                p,
                pid,
                fiscal_year=fiscal_year,
                items=items or [],
                baseline_assessment_id=baseline_assessment_id,
            )
        )
        return Plan.of(found)

    @strawberry.mutation(
        description="Replace the items and baseline (a new revision if acknowledged); "
        "`ifMatch` is the plan's etag. Returns the findings."
    )
    async def update_plan(
        self,
        info: Info[Context, None],
        person_id: strawberry.ID,
        plan_id: strawberry.ID,
        items: JSON,
        baseline_assessment_id: str | None = None,
        if_match: str | None = None,
    ) -> Plan:
        pid, plan = _ids(person_id, plan_id)
        body = {"items": items, "baseline_assessment_id": baseline_assessment_id}
        found = await info.context.use_db(
            lambda s, p: plans.update_plan(s, p, pid, plan, body, if_match=if_match)
        )
        return Plan.of(found)

    @strawberry.mutation(description="The findings of the plan (or of these items); saves nothing.")
    async def validate_plan(
        self,
        info: Info[Context, None],
        person_id: strawberry.ID,
        plan_id: strawberry.ID,
        items: JSON | None = None,
        baseline_assessment_id: str | None = None,
    ) -> list[PlanFinding]:
        pid, plan = _ids(person_id, plan_id)
        body = (
            None
            if items is None
            else {"items": items, "baseline_assessment_id": baseline_assessment_id}
        )
        found = await info.context.use_db(lambda s, p: plans.validate_plan(s, p, pid, plan, body))
        return [PlanFinding.of(f) for f in found]

    @strawberry.mutation(description="Submit; refused (VALIDATION_FAILED) while errors remain.")
    async def submit_plan(
        self, info: Info[Context, None], person_id: strawberry.ID, plan_id: strawberry.ID
    ) -> Plan:
        return await _step(info, plans.submit_plan, person_id, plan_id)

    @strawberry.mutation(description="Sign as the person or the first-line supervisor.")
    async def acknowledge_plan(
        self, info: Info[Context, None], person_id: strawberry.ID, plan_id: strawberry.ID
    ) -> Plan:
        return await _step(info, plans.acknowledge_plan, person_id, plan_id)

    @strawberry.mutation(description="The person takes a submitted plan back to draft.")
    async def withdraw_plan(
        self, info: Info[Context, None], person_id: strawberry.ID, plan_id: strawberry.ID
    ) -> Plan:
        return await _step(info, plans.withdraw_plan, person_id, plan_id)

    @strawberry.mutation(description="The supervisor sends a submitted plan back to draft.")
    async def return_plan(
        self, info: Info[Context, None], person_id: strawberry.ID, plan_id: strawberry.ID
    ) -> Plan:
        return await _step(info, plans.return_plan, person_id, plan_id)

    @strawberry.mutation(description="A new draft revision prefilled from the current one.")
    async def revise_plan(
        self, info: Info[Context, None], person_id: strawberry.ID, plan_id: strawberry.ID
    ) -> Plan:
        return await _step(info, plans.revise_plan, person_id, plan_id)

    @strawberry.mutation(description="Record actual hours on an activity (starts the plan).")
    async def record_effort(
        self,
        info: Info[Context, None],
        person_id: strawberry.ID,
        plan_id: strawberry.ID,
        activity_id: str,
        hours: Decimal,
        on: date | None = None,
        note: str | None = None,
    ) -> Plan:
        pid, plan = _ids(person_id, plan_id)
        found, _ = await info.context.use_db(
            lambda s, p: plans.record_plan_effort(
                s, p, pid, plan, activity_id=activity_id, hours=hours, on=on, note=note
            )
        )
        return Plan.of(found)

    @strawberry.mutation(
        description="Write the IDP2 rows (item_id, outcome, next_step, narrative, suggestions)."
    )
    async def evaluate_plan(
        self,
        info: Info[Context, None],
        person_id: strawberry.ID,
        plan_id: strawberry.ID,
        rows: JSON,
    ) -> Plan:
        pid, plan = _ids(person_id, plan_id)
        found = await info.context.use_db(lambda s, p: plans.evaluate_plan(s, p, pid, plan, rows))
        return Plan.of(found)

    @strawberry.mutation(description="Sign the IDP2; a 'revise' opens a new draft revision (F6).")
    async def acknowledge_evaluation(
        self, info: Info[Context, None], person_id: strawberry.ID, plan_id: strawberry.ID
    ) -> Plan:
        return await _step(info, plans.acknowledge_evaluation, person_id, plan_id)

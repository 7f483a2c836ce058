"""GraphQL fields of agency reporting: KPIs with drill-down and trend, the people behind them,
a supervisor's team, the analyses, the reporting policy and digital-target designations. The
same services as REST decide scope and suppression (docs/reporting.md)."""

from __future__ import annotations

import uuid
from typing import Any

import strawberry
from strawberry.types import Info

from app.api.graphql.assessment.assessment_types import PolicySource
from app.api.graphql.context import Context
from app.db.repositories.reporting.figures import PersonFlags
from app.domain.errors import FieldError, ValidationFailed
from app.domain.inheritance import sources
from app.services.reporting import analyses, designations, kpis, reporting_policies
from app.services.reporting.kpis import AgencyFigures, KpiFigure, KpiReport
from app.services.reporting.reporting_policies import EffectiveReportingPolicy

Ctx = Info[Context, None]


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _uuid(value: strawberry.ID, name: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise ValidationFailed(
            [FieldError.for_parameter(name, "argument", "format", f"{value!r} is not an id")]
        ) from None


@strawberry.type(description="One KPI (G1-G3): numerator of denominator people; null when hidden.")
class KpiValue:
    code: str
    numerator: int | None
    denominator: int | None
    percent: float | None
    target_percent: int
    meets_target: bool | None
    seed_lines: str
    suppressed: bool

    @classmethod
    def of(cls, k: KpiFigure) -> KpiValue:
        return cls(
            code=k.code,
            numerator=k.numerator,
            denominator=k.denominator,
            percent=_float(k.percent),
            target_percent=k.target_percent,
            meets_target=k.meets_target,
            seed_lines=k.seed_lines,
            suppressed=k.suppressed,
        )


@strawberry.type(
    description="Not started -> self-assessed -> finalised -> plan agreed -> evaluated."
)
class ReportFunnel:
    staff: int | None
    not_started: int | None
    self_assessed: int | None
    finalised: int | None
    plan_agreed: int | None
    plan_evaluated: int | None
    suppressed: bool


@strawberry.type(description="An agency's figures (its subtree, or its own staff).")
class AgencyFigureSet:
    code: str
    name_th: str
    kind: str
    depth: int
    kpis: list[KpiValue]
    funnel: ReportFunnel

    @classmethod
    def of(cls, f: AgencyFigures) -> AgencyFigureSet:
        u = f.funnel
        return cls(
            code=f.code,
            name_th=f.name_th,
            kind=f.kind,
            depth=f.depth,
            kpis=[KpiValue.of(k) for k in f.kpis],
            funnel=ReportFunnel(
                staff=u.staff,
                not_started=u.not_started,
                self_assessed=u.self_assessed,
                finalised=u.finalised,
                plan_agreed=u.plan_agreed,
                plan_evaluated=u.plan_evaluated,
                suppressed=u.suppressed,
            ),
        )


@strawberry.type(description="An agency's KPI report for a fiscal year (Buddhist Era).")
class AgencyKpiReport:
    agency: str
    fiscal_year: int
    g3_plan_year: int
    snapshot_date: str = strawberry.field(description="ISO date the figures describe")
    individual: bool
    min_group_size: int
    subtree: AgencyFigureSet
    own: AgencyFigureSet
    children: list[AgencyFigureSet]

    @strawberry.field(
        description="Where this report prints as PDF with the heat map (REST, same credentials)."
    )
    def pdf_url(self) -> str:
        return f"/api/v1/agencies/{self.agency}/reports/kpis.pdf?fiscal_year={self.fiscal_year}"

    @classmethod
    def of(cls, r: KpiReport) -> AgencyKpiReport:
        return cls(
            agency=r.agency.code,
            fiscal_year=r.fiscal_year,
            g3_plan_year=r.g3_plan_year,
            snapshot_date=r.snapshot_date.isoformat(),
            individual=r.individual,
            min_group_size=r.policy.min_group_size,
            subtree=AgencyFigureSet.of(r.subtree),
            own=AgencyFigureSet.of(r.own),
            children=[AgencyFigureSet.of(c) for c in r.children],
        )


@strawberry.type(description="A person behind the figures, with what the KPIs count.")
class ReportPerson:
    id: strawberry.ID
    first_name_th: str | None
    last_name_th: str | None
    employment_category: str | None
    g1_population: bool
    g2_population: bool
    started: bool
    self_assessed: bool
    finalised: bool
    plan_agreed: bool
    plan_evaluated: bool
    g3_holder: bool
    g3_as_planned: bool

    @classmethod
    def of(cls, p: PersonFlags) -> ReportPerson:
        return cls(
            id=strawberry.ID(str(p.id)),
            first_name_th=p.first_name_th,
            last_name_th=p.last_name_th,
            employment_category=p.employment_category,
            g1_population=p.g1_population,
            g2_population=p.g2_population,
            started=p.started,
            self_assessed=p.self_assessed,
            finalised=p.finalised,
            plan_agreed=p.plan_agreed,
            plan_evaluated=p.plan_evaluated,
            g3_holder=p.g3_holder,
            g3_as_planned=p.g3_as_planned,
        )


@strawberry.type(description="A supervisor's team: KPIs, funnel and people.")
class TeamKpiReport:
    fiscal_year: int
    kpis: list[KpiValue]
    funnel: ReportFunnel
    people: list[ReportPerson]


@strawberry.type(description="Domain x staff group: required capability units not met.")
class HeatMapCell:
    staff_group: str
    domain_code: str
    required: int | None
    not_met: int | None
    not_met_percent: float | None
    people: int | None
    suppressed: bool


@strawberry.type(description="People per staff group, stage and readiness band.")
class ReadinessBandCount:
    staff_group: str
    stage: str | None
    band: str
    people: int | None
    suppressed: bool


@strawberry.type(description="A requirement: how many required it and how many met it.")
class RequirementCount:
    code: str
    component: str
    domain_code: str | None
    required: int
    met: int
    not_met_percent: float | None


@strawberry.type(description="Top gaps and strengths.")
class TopRequirementLists:
    gaps: list[RequirementCount]
    strengths: list[RequirementCount]
    suppressed: bool


@strawberry.type(description="Actual development hours by 70:20:10 bucket.")
class EffortMixReport:
    hours70: float | None
    hours20: float | None
    hours10: float | None
    total_hours: float | None
    staff: int | None
    hours_per_person: float | None
    suppressed: bool


@strawberry.type(
    description="Completed or passed courses from learning records (voided ones left out) in the"
    " fiscal year, and the people who completed one; null when suppressed."
)
class CompletionCount:
    available: bool
    completions: int | None
    people: int | None


@strawberry.type(description="Reporting policy settings.")
class ReportingPolicyFields:
    g1_target_percent: int | None
    g2_target_percent: int | None
    g3_target_percent: int | None
    min_group_size: int | None
    g3_plan_year_offset: int | None

    @classmethod
    def of(cls, data: dict[str, Any]) -> ReportingPolicyFields:
        return cls(**{name: data.get(name) for name in _POLICY_FIELDS})


_POLICY_FIELDS = (
    "g1_target_percent",
    "g2_target_percent",
    "g3_target_percent",
    "min_group_size",
    "g3_plan_year_offset",
)


@strawberry.type(description="An agency's reporting policy: own, effective, sources.")
class ReportingPolicy:
    agency: str
    own: ReportingPolicyFields
    effective: ReportingPolicyFields
    sources: list[PolicySource]

    @classmethod
    def of(cls, v: EffectiveReportingPolicy) -> ReportingPolicy:
        return cls(
            agency=v.agency.code,
            own=ReportingPolicyFields.of(v.own),
            effective=ReportingPolicyFields.of(v.policy.as_json()),
            sources=[
                PolicySource(field=name, origin=s.origin, agency=s.agency)
                for name, s in sources(v.agency.code, v.set_by).items()
            ],
        )


@strawberry.input(description="Reporting policy settings; null or absent: inherited.")
class ReportingPolicyInput:
    g1_target_percent: int | None = None
    g2_target_percent: int | None = None
    g3_target_percent: int | None = None
    min_group_size: int | None = None
    g3_plan_year_offset: int | None = None


@strawberry.type(description="A unit's digital-skill-target decision for a person and year.")
class DigitalTarget:
    person_id: strawberry.ID
    fiscal_year: int
    designated: bool
    note: str | None
    decided_by: str | None


def _requirements(items: Any) -> list[RequirementCount]:
    return [
        RequirementCount(
            code=r.code,
            component=r.component,
            domain_code=r.domain_code,
            required=r.required,
            met=r.met,
            not_met_percent=_float(r.not_met_percent),
        )
        for r in items
    ]


@strawberry.type
class ReportQuery:
    @strawberry.field(description="G1-G3 and the funnel of an agency for a fiscal year (BE).")
    async def agency_kpis(self, info: Ctx, code: str, fiscal_year: int) -> AgencyKpiReport:
        r = await info.context.use_db(lambda s, p: kpis.kpi_report(s, p, code, fiscal_year))
        return AgencyKpiReport.of(r)

    @strawberry.field(description="One KPI report per fiscal year (at most 10).")
    async def agency_kpi_trend(
        self, info: Ctx, code: str, from_year: int, to_year: int
    ) -> list[AgencyKpiReport]:
        found = await info.context.use_db(
            lambda s, p: kpis.kpi_trend(s, p, code, from_year, to_year)
        )
        return [AgencyKpiReport.of(r) for r in found]

    @strawberry.field(description="The people behind an agency's figures (administrators).")
    async def agency_report_people(
        self,
        info: Ctx,
        code: str,
        fiscal_year: int,
        own_only: bool = False,
        first: int = 100,
        after: strawberry.ID | None = None,
    ) -> list[ReportPerson]:
        start = None if after is None else _uuid(after, "after")
        limit = max(1, min(first, 1000))
        found = await info.context.use_db(
            lambda s, p: kpis.kpi_people(
                s, p, code, fiscal_year, own_only=own_only, after=start, limit=limit
            )
        )
        return [ReportPerson.of(x) for x in found]

    @strawberry.field(description="Your team's KPIs, funnel and people (supervisors).")
    async def team_kpis(self, info: Ctx, fiscal_year: int) -> TeamKpiReport:
        t = await info.context.use_db(lambda s, p: kpis.team_report(s, p, fiscal_year))
        f = AgencyFigureSet.of(
            AgencyFigures("", "", "", 0, t.kpis, t.funnel)  # the same shapes as an agency's
        )
        return TeamKpiReport(
            fiscal_year=t.fiscal_year,
            kpis=f.kpis,
            funnel=f.funnel,
            people=[ReportPerson.of(x) for x in t.people],
        )

    @strawberry.field(description="Domain x staff group heat map of required units not met.")
    async def agency_heat_map(
        self, info: Ctx, code: str, fiscal_year: int, target: str = "present"
    ) -> list[HeatMapCell]:
        h = await info.context.use_db(
            lambda s, p: analyses.heat_map(s, p, code, fiscal_year, target)
        )
        return [
            HeatMapCell(
                staff_group=c.staff_group,
                domain_code=c.domain_code,
                required=c.required,
                not_met=c.not_met,
                not_met_percent=_float(c.not_met_percent),
                people=c.people,
                suppressed=c.suppressed,
            )
            for c in h.cells
        ]

    @strawberry.field(description="People per staff group, stage and readiness band.")
    async def agency_readiness(
        self, info: Ctx, code: str, fiscal_year: int, target: str = "present"
    ) -> list[ReadinessBandCount]:
        found = await info.context.use_db(
            lambda s, p: analyses.readiness(s, p, code, fiscal_year, target)
        )
        return [
            ReadinessBandCount(
                staff_group=b.staff_group,
                stage=b.stage,
                band=analyses.BAND_LABELS[b.band],
                people=b.people,
                suppressed=b.suppressed,
            )
            for b in found
        ]

    @strawberry.field(description="The most often unmet and most often met requirements.")
    async def agency_top_requirements(
        self, info: Ctx, code: str, fiscal_year: int, target: str = "present", limit: int = 10
    ) -> TopRequirementLists:
        n = max(1, min(limit, 100))
        t = await info.context.use_db(
            lambda s, p: analyses.top_requirements(s, p, code, fiscal_year, target, n)
        )
        return TopRequirementLists(
            gaps=_requirements(t.gaps),
            strengths=_requirements(t.strengths),
            suppressed=t.suppressed,
        )

    @strawberry.field(description="Actual 70:20:10 hours and hours per person.")
    async def agency_effort_mix(self, info: Ctx, code: str, fiscal_year: int) -> EffortMixReport:
        e = await info.context.use_db(lambda s, p: analyses.effort_mix(s, p, code, fiscal_year))
        by = e.hours_by_bucket or {}
        return EffortMixReport(
            hours70=_float(by.get(70)) if e.hours_by_bucket is not None else None,
            hours20=_float(by.get(20)) if e.hours_by_bucket is not None else None,
            hours10=_float(by.get(10)) if e.hours_by_bucket is not None else None,
            total_hours=_float(e.total_hours),
            staff=e.staff,
            hours_per_person=_float(e.hours_per_person),
            suppressed=e.suppressed,
        )

    @strawberry.field(description="Completions from learning records.")
    async def agency_completions(self, info: Ctx, code: str, fiscal_year: int) -> CompletionCount:
        c = await info.context.use_db(lambda s, p: analyses.completions(s, p, code, fiscal_year))
        return CompletionCount(available=c.available, completions=c.completions, people=c.people)

    @strawberry.field(description="An agency's reporting policy, own and effective.")
    async def reporting_policy(self, info: Ctx, agency_code: str) -> ReportingPolicy:
        v = await info.context.use_db(lambda s, p: reporting_policies.get_policy(s, p, agency_code))
        return ReportingPolicy.of(v)

    @strawberry.field(description="Whether a person's unit designated them a digital target.")
    async def digital_target(
        self, info: Ctx, person_id: strawberry.ID, fiscal_year: int
    ) -> DigitalTarget:
        pid = _uuid(person_id, "personId")
        row = await info.context.use_db(
            lambda s, p: designations.get_designation(s, p, pid, fiscal_year)
        )
        return DigitalTarget(
            person_id=person_id,
            fiscal_year=fiscal_year,
            designated=bool(row and row.designated),
            note=row.note if row else None,
            decided_by=row.decided_by if row else None,
        )


@strawberry.type
class ReportMutation:
    @strawberry.mutation(description="Replace an agency's own reporting settings (as PUT).")
    async def set_reporting_policy(
        self, info: Ctx, agency_code: str, policy: ReportingPolicyInput
    ) -> ReportingPolicy:
        body = {name: getattr(policy, name) for name in _POLICY_FIELDS}
        v = await info.context.use_db(
            lambda s, p: reporting_policies.put_policy(s, p, agency_code, body)
        )
        return ReportingPolicy.of(v)

    @strawberry.mutation(description="Record a unit's digital-skill-target decision (admins).")
    async def designate_digital_target(
        self,
        info: Ctx,
        person_id: strawberry.ID,
        fiscal_year: int,
        designated: bool,
        note: str | None = None,
    ) -> DigitalTarget:
        pid = _uuid(person_id, "personId")
        row, _ = await info.context.use_db(
            lambda s, p: designations.set_designation(
                s, p, pid, fiscal_year, designated=designated, note=note
            )
        )
        return DigitalTarget(
            person_id=person_id,
            fiscal_year=fiscal_year,
            designated=row.designated,
            note=row.note,
            decided_by=row.decided_by,
        )


__all__ = ["ReportMutation", "ReportQuery"]

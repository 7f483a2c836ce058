"""Response shapes of the reports (docs/reporting.md)."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from pydantic import Field

from app.api.rest.schemas import ApiModel, Number, Page, SettingSourceOut, setting_sources
from app.db.repositories.reporting.figures import PersonFlags
from app.domain.dates import ThaiDate
from app.services.reporting import analyses
from app.services.reporting.kpis import AgencyFigures, KpiReport, TeamReport
from app.services.reporting.reporting_policies import EffectiveReportingPolicy


class KpiFigureOut(ApiModel):
    code: Literal["G1", "G2", "G3"]
    numerator: int | None = Field(description="null when suppressed")
    denominator: int | None = Field(description="null when suppressed")
    percent: Number | None = Field(description="numerator / denominator, one decimal place")
    target_percent: int = Field(description="the agency's target (policy; seed 80)")
    meets_target: bool | None
    seed_lines: str
    suppressed: bool = Field(description="hidden: a group smaller than the policy's threshold")


class FunnelOut(ApiModel):
    staff: int | None
    not_started: int | None
    self_assessed: int | None
    finalised: int | None
    plan_agreed: int | None
    plan_evaluated: int | None
    suppressed: bool


class AgencyFiguresOut(ApiModel):
    code: str
    name_th: str
    kind: str
    depth: int
    kpis: list[KpiFigureOut]
    funnel: FunnelOut

    @classmethod
    def of(cls, f: AgencyFigures) -> AgencyFiguresOut:
        return cls(
            code=f.code,
            name_th=f.name_th,
            kind=f.kind,
            depth=f.depth,
            kpis=[KpiFigureOut.model_validate(k) for k in f.kpis],
            funnel=FunnelOut.model_validate(f.funnel),
        )


class KpiReportOut(ApiModel):
    agency: str
    fiscal_year: int = Field(description="Buddhist Era")
    g3_plan_year: int = Field(description="the plans G3 measures (Buddhist Era)")
    snapshot_date: ThaiDate
    individual: bool = Field(description="you may see the people: nothing is suppressed")
    min_group_size: int
    subtree: AgencyFiguresOut = Field(description="the agency and every unit under it")
    own: AgencyFiguresOut = Field(description="the agency's own staff")
    children: list[AgencyFiguresOut] = Field(description="each child agency's subtree")

    @classmethod
    def of(cls, r: KpiReport) -> KpiReportOut:
        return cls(
            agency=r.agency.code,
            fiscal_year=r.fiscal_year,
            g3_plan_year=r.g3_plan_year,
            snapshot_date=r.snapshot_date,
            individual=r.individual,
            min_group_size=r.policy.min_group_size,
            subtree=AgencyFiguresOut.of(r.subtree),
            own=AgencyFiguresOut.of(r.own),
            children=[AgencyFiguresOut.of(c) for c in r.children],
        )


class KpiReportPage(Page[KpiReportOut]):
    """One KPI report per fiscal year."""


class ReportPersonOut(ApiModel):
    id: uuid.UUID
    agency_id: uuid.UUID
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
    def of(cls, p: PersonFlags) -> ReportPersonOut:
        return cls.model_validate(p)


class ReportPersonPage(Page[ReportPersonOut]):
    """The people behind an agency's figures."""


class TeamReportOut(ApiModel):
    fiscal_year: int
    kpis: list[KpiFigureOut]
    funnel: FunnelOut
    people: list[ReportPersonOut]

    @classmethod
    def of(cls, t: TeamReport) -> TeamReportOut:
        return cls(
            fiscal_year=t.fiscal_year,
            kpis=[KpiFigureOut.model_validate(k) for k in t.kpis],
            funnel=FunnelOut.model_validate(t.funnel),
            people=[ReportPersonOut.of(p) for p in t.people],
        )


class HeatCellOut(ApiModel):
    staff_group: str
    domain_code: str
    required: int | None
    not_met: int | None
    not_met_percent: Number | None
    people: int | None
    suppressed: bool


class HeatMapOut(ApiModel):
    agency: str
    fiscal_year: int
    target: Literal["present", "future"]
    cells: list[HeatCellOut]

    @classmethod
    def of(cls, h: analyses.HeatMap) -> HeatMapOut:
        return cls(
            agency=h.agency_code,
            fiscal_year=h.fiscal_year,
            target=h.target,
            cells=[HeatCellOut.model_validate(c) for c in h.cells],
        )


class ReadinessBandOut(ApiModel):
    staff_group: str
    stage: str | None
    band: Literal["0-25", "25-50", "50-75", "75-100", "100"]
    people: int | None
    suppressed: bool

    @classmethod
    def of(cls, b: analyses.ReadinessBand) -> ReadinessBandOut:
        return cls(
            staff_group=b.staff_group,
            stage=b.stage,
            band=analyses.BAND_LABELS[b.band],
            people=b.people,
            suppressed=b.suppressed,
        )


class ReadinessBandPage(Page[ReadinessBandOut]):
    """People per staff group, stage and readiness band."""


class RequirementFigureOut(ApiModel):
    code: str
    component: str
    domain_code: str | None
    required: int
    met: int
    not_met_percent: Number | None


class TopRequirementsOut(ApiModel):
    gaps: list[RequirementFigureOut]
    strengths: list[RequirementFigureOut]
    suppressed: bool

    @classmethod
    def of(cls, t: analyses.TopRequirements) -> TopRequirementsOut:
        return cls(
            gaps=[RequirementFigureOut.model_validate(g) for g in t.gaps],
            strengths=[RequirementFigureOut.model_validate(g) for g in t.strengths],
            suppressed=t.suppressed,
        )


class EffortMixOut(ApiModel):
    hours_by_bucket: dict[str, Number] | None = Field(description='"70", "20", "10"')
    percent_by_bucket: dict[str, Number | None] | None
    total_hours: Number | None
    staff: int | None
    hours_per_person: Number | None
    suppressed: bool

    @classmethod
    def of(cls, e: analyses.EffortMix) -> EffortMixOut:
        return cls(
            hours_by_bucket=None
            if e.hours_by_bucket is None
            else {str(k): v for k, v in e.hours_by_bucket.items()},
            percent_by_bucket=None
            if e.percent_by_bucket is None
            else {str(k): v for k, v in e.percent_by_bucket.items()},
            total_hours=e.total_hours,
            staff=e.staff,
            hours_per_person=e.hours_per_person,
            suppressed=e.suppressed,
        )


class CompletionsOut(ApiModel):
    available: bool = Field(description="false only where learning records are not kept")
    completions: int | None = Field(
        description="completed or passed courses (learning records, voided ones left out) in"
        " the fiscal year by people of the subtree; null when suppressed"
    )
    people: int | None = Field(description="people with at least one; null when suppressed")


class ReportingPolicySettings(ApiModel):
    g1_target_percent: int
    g2_target_percent: int
    g3_target_percent: int
    min_group_size: int
    g3_plan_year_offset: int


class ReportingPolicyIn(ApiModel):
    g1_target_percent: int | None = Field(None, ge=0, le=100)
    g2_target_percent: int | None = Field(None, ge=0, le=100)
    g3_target_percent: int | None = Field(None, ge=0, le=100)
    min_group_size: int | None = Field(None, ge=1, le=1000)
    g3_plan_year_offset: int | None = Field(None, ge=0, le=5)


class ReportingPolicyOut(ApiModel):
    agency: str
    own: dict[str, Any]
    effective: ReportingPolicySettings
    sources: dict[str, SettingSourceOut]

    @classmethod
    def of(cls, found: EffectiveReportingPolicy) -> ReportingPolicyOut:
        return cls(
            agency=found.agency.code,
            own=found.own,
            effective=ReportingPolicySettings.model_validate(found.policy.as_json()),
            sources=setting_sources(found.agency.code, found.set_by),
        )


class DigitalTargetIn(ApiModel):
    designated: bool
    note: str | None = Field(None, max_length=1000)


class DigitalTargetOut(ApiModel):
    person_id: uuid.UUID
    fiscal_year: int
    designated: bool
    note: str | None
    decided_by: str | None

"""Agency reports: KPIs, drill-down, trend, analyses, the reporting policy, designations."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from app.api.rest.bulk import JSON, MERGE_PATCH, json_body_doc, merge_patch_doc, read_object
from app.api.rest.deps import CurrentPrincipal, DbSession
from app.api.rest.inputs import InputRoute
from app.api.rest.params import Cursor, FiscalYearBE, Limit
from app.api.rest.problems import problem_responses
from app.api.rest.reporting.report_schemas import (
    CompletionsOut,
    DigitalTargetIn,
    DigitalTargetOut,
    EffortMixOut,
    HeatMapOut,
    KpiReportOut,
    KpiReportPage,
    ReadinessBandOut,
    ReadinessBandPage,
    ReportingPolicyIn,
    ReportingPolicyOut,
    ReportPersonOut,
    ReportPersonPage,
    TeamReportOut,
    TopRequirementsOut,
)
from app.api.rest.schemas import put_responses
from app.domain.fiscal import MAX_BE, MIN_BE
from app.services.platform.pagination import decode_cursor, encode_cursor, invalid_cursor
from app.services.reporting import analyses, designations, kpis, reporting_policies

router = APIRouter(tags=["reports"], route_class=InputRoute)
READ = problem_responses(401, 403, 404, 422)
WRITE = problem_responses(400, 401, 403, 404, 415, 422)

Year = Annotated[
    int, Query(ge=MIN_BE, le=MAX_BE, description="Fiscal year in the Buddhist Era, e.g. 2568")
]
TargetQuery = Annotated[
    Literal["present", "future"], Query(description="the present or the future target")
]
BASE = "/agencies/{code}/reports"


@router.get(f"{BASE}/kpis", response_model=KpiReportOut, responses=READ)
async def agency_kpis(
    code: str, fiscal_year: Year, principal: CurrentPrincipal, session: DbSession
) -> KpiReportOut:
    """G1-G3 and the funnel for the agency's own staff, its subtree and each child agency (the
    drill-down), with targets and the snapshot date. Figures over fewer people than the policy's
    threshold are suppressed for viewers who may not see those people (docs/reporting.md)."""
    return KpiReportOut.of(await kpis.kpi_report(session, principal, code, fiscal_year))


@router.get(f"{BASE}/kpi-trend", response_model=KpiReportPage, responses=READ)
async def agency_kpi_trend(
    code: str,
    from_year: Year,
    to_year: Year,
    principal: CurrentPrincipal,
    session: DbSession,
) -> KpiReportPage:
    """One KPI report per fiscal year from `from_year` to `to_year` (at most 10 years)."""
    found = await kpis.kpi_trend(session, principal, code, from_year, to_year)
    return KpiReportPage(items=[KpiReportOut.of(r) for r in found], next_cursor=None)


@router.get(f"{BASE}/people", response_model=ReportPersonPage, responses=READ)
async def agency_report_people(
    code: str,
    fiscal_year: Year,
    principal: CurrentPrincipal,
    session: DbSession,
    own_only: Annotated[bool, Query(description="only the agency's own staff")] = False,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> ReportPersonPage:
    """The people behind the figures, each with the flags the KPIs count; only for viewers who
    may see them (an administrator over the agency, a central administrator): 403 otherwise."""
    after = decode_cursor(cursor, after=str)
    after_id = None
    if after is not None:
        try:
            after_id = uuid.UUID(after["after"])
        except ValueError:
            raise invalid_cursor() from None
    found = await kpis.kpi_people(
        session, principal, code, fiscal_year, own_only=own_only, after=after_id, limit=limit + 1
    )
    more = len(found) > limit
    found = found[:limit]
    return ReportPersonPage(
        items=[ReportPersonOut.of(p) for p in found],
        next_cursor=encode_cursor({"after": str(found[-1].id)}) if more else None,
    )


@router.get("/reports/team", response_model=TeamReportOut, responses=READ)
async def team_report(
    fiscal_year: Year, principal: CurrentPrincipal, session: DbSession
) -> TeamReportOut:
    """A supervisor's team (everyone reporting to them, directly or not): KPIs, funnel, people."""
    return TeamReportOut.of(await kpis.team_report(session, principal, fiscal_year))


@router.get(f"{BASE}/heat-map", response_model=HeatMapOut, responses=READ)
async def agency_heat_map(
    code: str,
    fiscal_year: Year,
    principal: CurrentPrincipal,
    session: DbSession,
    target: TargetQuery = "present",
) -> HeatMapOut:
    """Domain x staff group: required capability units and the share not met (final baselines
    of the year, read from stored results)."""
    return HeatMapOut.of(await analyses.heat_map(session, principal, code, fiscal_year, target))


@router.get(f"{BASE}/readiness", response_model=ReadinessBandPage, responses=READ)
async def agency_readiness(
    code: str,
    fiscal_year: Year,
    principal: CurrentPrincipal,
    session: DbSession,
    target: TargetQuery = "present",
) -> ReadinessBandPage:
    """People per staff group, stage and readiness band (a fixed set: one page)."""
    found = await analyses.readiness(session, principal, code, fiscal_year, target)
    return ReadinessBandPage(items=[ReadinessBandOut.of(b) for b in found], next_cursor=None)


@router.get(f"{BASE}/top-requirements", response_model=TopRequirementsOut, responses=READ)
async def agency_top_requirements(
    code: str,
    fiscal_year: Year,
    principal: CurrentPrincipal,
    session: DbSession,
    target: TargetQuery = "present",
    limit: Annotated[int, Query(ge=1, le=100, description="entries per list")] = 10,
) -> TopRequirementsOut:
    """The requirements most often not met (gaps) and most often met (strengths)."""
    return TopRequirementsOut.of(
        await analyses.top_requirements(session, principal, code, fiscal_year, target, limit)
    )


@router.get(f"{BASE}/effort-mix", response_model=EffortMixOut, responses=READ)
async def agency_effort_mix(
    code: str, fiscal_year: Year, principal: CurrentPrincipal, session: DbSession
) -> EffortMixOut:
    """Actual development hours by 70:20:10 bucket and per active person."""
    return EffortMixOut.of(await analyses.effort_mix(session, principal, code, fiscal_year))


@router.get(f"{BASE}/completions", response_model=CompletionsOut, responses=READ)
async def agency_completions(
    code: str, fiscal_year: Year, principal: CurrentPrincipal, session: DbSession
) -> CompletionsOut:
    """Completions and passes from learning records (xAPI statements of e-learning
    providers, voided ones left out) in the fiscal year, and how many people completed one."""
    found = await analyses.completions(session, principal, code, fiscal_year)
    return CompletionsOut.model_validate(found)


POLICY = "/agencies/{code}/reporting-policy"


@router.get(POLICY, response_model=ReportingPolicyOut, responses=READ)
async def get_reporting_policy(
    code: str, principal: CurrentPrincipal, session: DbSession
) -> ReportingPolicyOut:
    """KPI targets, the small-group threshold and the G3 plan year: `own`, `effective`,
    `sources`."""
    return ReportingPolicyOut.of(await reporting_policies.get_policy(session, principal, code))


@router.put(
    POLICY,
    response_model=ReportingPolicyOut,
    openapi_extra=json_body_doc(ReportingPolicyIn),
    responses=WRITE,
)
async def put_reporting_policy(
    code: str, request: Request, principal: CurrentPrincipal, session: DbSession
) -> ReportingPolicyOut:
    """Replace the settings this agency sets (absent or null: inherited). Always 200."""
    body = await read_object(request, JSON)
    return ReportingPolicyOut.of(
        await reporting_policies.put_policy(session, principal, code, body)
    )


@router.patch(
    POLICY,
    response_model=ReportingPolicyOut,
    openapi_extra=merge_patch_doc(ReportingPolicyIn),
    responses=WRITE,
)
async def patch_reporting_policy(
    code: str, request: Request, principal: CurrentPrincipal, session: DbSession
) -> ReportingPolicyOut:
    """Change some settings (JSON merge patch): `null` inherits a setting again."""
    patch = await read_object(request, MERGE_PATCH, JSON)
    return ReportingPolicyOut.of(
        await reporting_policies.patch_policy(session, principal, code, patch)
    )


DESIGNATION = "/people/{person_id}/digital-target/{fiscal_year}"


@router.get(DESIGNATION, response_model=DigitalTargetOut, responses=READ)
async def get_digital_target(
    person_id: uuid.UUID,
    fiscal_year: FiscalYearBE,
    principal: CurrentPrincipal,
    session: DbSession,
) -> DigitalTargetOut:
    """Whether the person's unit designated them a digital-skill target for the year (G2);
    `designated: false` with `decided_by: null` when the unit has decided nothing."""
    row = await designations.get_designation(session, principal, person_id, fiscal_year)
    return DigitalTargetOut(
        person_id=person_id,
        fiscal_year=fiscal_year,
        designated=bool(row and row.designated),
        note=row.note if row else None,
        decided_by=row.decided_by if row else None,
    )


@router.put(
    DESIGNATION,
    response_model=DigitalTargetOut,
    responses={**put_responses(DigitalTargetOut), **problem_responses(401, 403, 404, 415, 422)},
)
async def put_digital_target(
    person_id: uuid.UUID,
    fiscal_year: FiscalYearBE,
    body: DigitalTargetIn,
    response: Response,
    principal: CurrentPrincipal,
    session: DbSession,
) -> DigitalTargetOut:
    """Record the unit's decision (an agency administrator over the person; audited): 201 the
    first time, 200 when it replaces one."""
    row, created = await designations.set_designation(
        session, principal, person_id, fiscal_year, designated=body.designated, note=body.note
    )
    if created:
        response.status_code = 201
        response.headers["Location"] = f"/api/v1/people/{person_id}/digital-target/{fiscal_year}"
    return DigitalTargetOut(
        person_id=person_id,
        fiscal_year=fiscal_year,
        designated=row.designated,
        note=row.note,
        decided_by=row.decided_by,
    )

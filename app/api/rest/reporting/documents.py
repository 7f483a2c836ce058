"""Printed documents (PDF): a plan's IDP1 and IDP2 and a person's assessment result. Each is read
with the scope of the record it prints (docs/documents-and-exports.md)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from app.api.rest.deps import CurrentPrincipal, DbSession
from app.api.rest.inputs import InputRoute
from app.api.rest.problems import problem_responses
from app.domain.fiscal import MAX_BE, MIN_BE
from app.domain.limits import INT4_MAX
from app.services.reporting import documents

router = APIRouter(tags=["documents"], route_class=InputRoute)
PLAN = "/people/{person_id}/plans/{plan_id}"
ASSESSMENT = "/people/{person_id}/assessments/{assessment_id}"


def _pdf_responses() -> dict[int | str, dict[str, Any]]:
    return {
        200: {
            "description": "The document as PDF (A4, Thai, the Laksaman face)",
            "content": {documents.PDF: {"schema": {"type": "string", "format": "binary"}}},
        },
        **problem_responses(401, 403, 404, 422, 503),
    }


def _pdf(content: bytes, name: str) -> Response:
    return Response(
        content,
        media_type=documents.PDF,
        headers={
            "Content-Disposition": f'inline; filename="{name}"',
            "Cache-Control": "private, no-store",
        },
    )


FiscalYearRequired = Annotated[
    int, Query(ge=MIN_BE, le=MAX_BE, description="Fiscal year in the Buddhist Era, e.g. 2568")
]
Revision = Annotated[
    int | None, Query(ge=1, le=INT4_MAX, description="an old revision (default: latest)")
]


@router.get(PLAN + "/idp1.pdf", response_class=Response, responses=_pdf_responses())
async def plan_idp1_pdf(
    person_id: uuid.UUID,
    plan_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    revision: Revision = None,
) -> Response:
    """The plan as the IDP1 form (004:1638-1655): items, methods by 70:20:10, quarters,
    evaluation methods and both acknowledgements with their dates (Buddhist Era)."""
    pdf = await documents.plan_form(
        session, principal, person_id, plan_id, form="idp1", revision=revision
    )
    return _pdf(pdf, f"idp1-{plan_id}.pdf")


@router.get(PLAN + "/idp2.pdf", response_class=Response, responses=_pdf_responses())
async def plan_idp2_pdf(
    person_id: uuid.UUID,
    plan_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    revision: Revision = None,
) -> Response:
    """The plan's evaluation as the IDP2 form (004:1657-1680): each item's outcome, next step,
    narrative and suggestions, and the evaluation's acknowledgements with their dates."""
    pdf = await documents.plan_form(
        session, principal, person_id, plan_id, form="idp2", revision=revision
    )
    return _pdf(pdf, f"idp2-{plan_id}.pdf")


@router.get(ASSESSMENT + "/result.pdf", response_class=Response, responses=_pdf_responses())
async def assessment_result_pdf(
    person_id: uuid.UUID, assessment_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession
) -> Response:
    """A person's assessment result: readiness per target and domain, gaps and strengths."""
    pdf = await documents.assessment_result(session, principal, person_id, assessment_id)
    return _pdf(pdf, f"assessment-{assessment_id}.pdf")


@router.get(
    "/agencies/{code}/reports/kpis.pdf",
    response_class=Response,
    responses=_pdf_responses(),
)
async def agency_kpi_report_pdf(
    code: str, fiscal_year: FiscalYearRequired, principal: CurrentPrincipal, session: DbSession
) -> Response:
    """An agency's KPI report: G1-G3 for its subtree, its own staff and each child agency, the
    funnel, and the gap heat map (domain x staff group) drawn as a chart; figures suppressed
    for this caller exactly as the KPI endpoints suppress them."""
    pdf = await documents.kpi_report(session, principal, code, fiscal_year)
    return _pdf(pdf, f"kpi-{code}-{fiscal_year}.pdf")

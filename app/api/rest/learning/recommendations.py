"""Recommended courses for a person's gaps and drafted plans. See docs/learning.md."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response, status
from pydantic import ValidationError as PydanticError

from app.api.rest.bulk import JSON, json_body_doc, read_object
from app.api.rest.deps import CurrentPrincipal, DbSession
from app.api.rest.inputs import InputRoute
from app.api.rest.learning.catalogue_schemas import (
    DraftedPlanOut,
    DraftFindingOut,
    DraftPlanIn,
    RecommendedCoursePage,
)
from app.api.rest.problems import problem_responses
from app.domain.errors import FieldError, ValidationFailed
from app.domain.planning import document
from app.services.learning import drafting, recommendations

router = APIRouter(tags=["courses"], route_class=InputRoute)


@router.get(
    "/people/{person_id}/recommended-courses",
    response_model=RecommendedCoursePage,
    responses=problem_responses(401, 403, 404, 422),
)
async def recommended_courses(
    person_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession
) -> RecommendedCoursePage:
    """For each gap of the person's latest finalised assessment, in its priority order
    (present before future), the catalogue courses mapped to the gap's items for the person's
    staff groups, each with why: which gap, which item, which target."""
    found = await recommendations.recommended_courses(session, principal, person_id)
    return RecommendedCoursePage.of(found)


@router.get(
    "/me/recommended-courses",
    response_model=RecommendedCoursePage,
    responses=problem_responses(401, 404),
)
async def my_recommended_courses(
    principal: CurrentPrincipal, session: DbSession
) -> RecommendedCoursePage:
    """The caller's own recommended courses (their token is linked to a person)."""
    return RecommendedCoursePage.of(
        await recommendations.my_recommended_courses(session, principal)
    )


def _draft_body(raw: object) -> DraftPlanIn:
    if not isinstance(raw, dict):
        raise ValidationFailed([FieldError("", "type", "send a JSON object")])
    unknown = [k for k in raw if k not in DraftPlanIn.model_fields]
    if unknown:
        raise ValidationFailed(
            [FieldError(f"/{k}", "unknown-field", "unknown field") for k in unknown]
        )
    try:
        return DraftPlanIn.model_validate(raw)
    except PydanticError as exc:
        raise ValidationFailed(
            [
                FieldError("/" + "/".join(str(x) for x in e["loc"]), e["type"], e["msg"])
                for e in exc.errors()
            ]
        ) from None


@router.post(
    "/people/{person_id}/drafted-plans",
    response_model=DraftedPlanOut,
    status_code=status.HTTP_201_CREATED,
    openapi_extra=json_body_doc(DraftPlanIn),
    responses=problem_responses(400, 401, 403, 404, 409, 415, 422),
)
async def draft_plan(
    person_id: uuid.UUID,
    request: Request,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
) -> DraftedPlanOut:
    """Draft the person's IDP1 from their finalised self-assessment and save it as a draft
    (by the person or their first-line supervisor): 2-4 items from the gaps in priority order,
    topics and methods from their staff group's curriculum and the catalogue, hours split to
    meet the agency's 70:20:10 and 70:30 policy. It passes validation as drafted; edit it as
    any draft. 409 when the person already has a plan for the year."""
    body = _draft_body(await read_object(request, JSON))
    result = await drafting.draft_plan(
        session,
        principal,
        person_id,
        fiscal_year=body.fiscal_year,
        assessment_id=body.assessment_id,
    )
    plan = result.plan
    response.headers["Location"] = f"/api/v1/people/{person_id}/plans/{plan.id}"
    return DraftedPlanOut(
        plan_id=plan.id,
        person_id=plan.person_id,
        fiscal_year=plan.fiscal_year.be,
        revision=plan.revision,
        state=plan.state.value,
        baseline_assessment_id=plan.baseline_assessment_id,
        items=document.items_to_json(plan.items),
        findings=None
        if result.findings is None
        else [
            DraftFindingOut(
                rule=f.rule,
                severity="error" if f.severity.value == "error" else "warning",
                pointer=f.pointer,
                message_en=f.message_en,
                message_th=f.message_th,
            )
            for f in result.findings
        ],
    )

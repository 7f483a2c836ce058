"""Assessments under the person assessed: /people/{person_id}/assessments/{id}/..., the caller's
review queue, and each agency's assessment policy. Rules live in
app/services/assessment/assessments.py."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response

from app.api.rest.assessment.assessment_schemas import (
    AssessmentOut,
    AssessmentPage,
    AssessmentPolicyIn,
    AssessmentPolicyOut,
    ComparisonOut,
    FormOut,
    OpenIn,
    QueuedOut,
    QueuedPage,
    RatingBatchIn,
    ReopenIn,
    ResultsOut,
)
from app.api.rest.bulk import JSON, MERGE_PATCH, json_body_doc, merge_patch_doc, read_object
from app.api.rest.deps import CurrentPrincipal, DbSession
from app.api.rest.inputs import InputRoute
from app.api.rest.params import Cursor, IfMatch, Limit
from app.api.rest.problems import problem_responses
from app.api.rest.schemas import ApiModel
from app.db.models import Assessment
from app.services.assessment import assessment_policies, assessment_results, assessments
from app.services.platform.pagination import page
from app.services.platform.versioning import etag

router = APIRouter(tags=["assessments"], route_class=InputRoute)
ONE = "/people/{person_id}/assessments/{assessment_id}"
WRITE_ERRORS = problem_responses(400, 401, 403, 404, 409, 412, 415, 422)


def _json(model: ApiModel) -> Response:
    """A large answer serialised once (FastAPI would validate the model again first)."""
    return Response(model.model_dump_json(), media_type="application/json")


def _out(response: Response, a: Assessment) -> AssessmentOut:
    response.headers["ETag"] = etag(a.row_version)
    return AssessmentOut.of(a)


@router.post(
    "/people/{person_id}/assessments",
    response_model=AssessmentOut,
    status_code=201,
    responses={
        200: {"description": "Already open: the existing assessment"},
        **problem_responses(400, 401, 403, 404, 409, 415, 422),
    },
)
async def open_assessment(
    person_id: uuid.UUID,
    body: OpenIn,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
) -> AssessmentOut:
    """Open the person's assessment of a fiscal year (`baseline` or `reflection`): 201 when
    created, 200 with the same assessment when it is already open (one per person, year and
    kind). 409 when the agency declared no stage (B1) or the person has no approved group (B3)."""
    a, created = await assessments.open_assessment(
        session, principal, person_id, fiscal_year_be=body.fiscal_year, kind=body.kind
    )
    response.status_code = 201 if created else 200
    response.headers["Location"] = f"/api/v1/people/{person_id}/assessments/{a.id}"
    return _out(response, a)


@router.get(
    "/people/{person_id}/assessments",
    response_model=AssessmentPage,
    responses=problem_responses(401, 403, 404, 422),
)
async def list_assessments(
    person_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> AssessmentPage:
    """The person's assessments, newest fiscal year first (a reflection before its baseline)."""
    found = page(
        await assessments.list_assessments(session, principal, person_id),
        lambda a: (-a.fiscal_year, a.kind != "reflection", str(a.id)),
        name="assessments",
        limit=limit,
        cursor=cursor,
    )
    return AssessmentPage(
        items=[AssessmentOut.of(a) for a in found.items], next_cursor=found.next_cursor
    )


@router.get(ONE, response_model=AssessmentOut, responses=problem_responses(401, 403, 404))
async def get_assessment(
    person_id: uuid.UUID,
    assessment_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
) -> AssessmentOut:
    a = await assessments.get_assessment(session, principal, person_id, assessment_id)
    return _out(response, a)


@router.get(f"{ONE}/form", response_model=FormOut, responses=problem_responses(401, 403, 404))
async def get_form(
    person_id: uuid.UUID, assessment_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession
) -> Response:
    """The items to rate, component > domain > unit > element > criterion, Thai and English,
    with the self and supervisor ratings given so far."""
    view = await assessment_results.form(session, principal, person_id, assessment_id)
    return _json(FormOut.of(view.assessment, view.form))


@router.patch(f"{ONE}/ratings", response_model=AssessmentOut, responses=WRITE_ERRORS)
async def rate(
    person_id: uuid.UUID,
    assessment_id: uuid.UUID,
    body: RatingBatchIn,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> AssessmentOut:
    """The person's own ratings, 1 to 1,000 at a time (a draft only). A batch with any error
    saves nothing; each error names its entry (`/ratings/3/code`) and rule."""
    a = await assessments.rate(
        session,
        principal,
        person_id,
        assessment_id,
        [r.entry() for r in body.ratings],
        if_match=if_match,
    )
    return _out(response, a)


@router.post(f"{ONE}/submit", response_model=AssessmentOut, responses=WRITE_ERRORS)
async def submit(
    person_id: uuid.UUID,
    assessment_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> AssessmentOut:
    """The person submits for review; 422 lists every unrated item (`missing`)."""
    a = await assessments.submit(session, principal, person_id, assessment_id, if_match=if_match)
    return _out(response, a)


@router.post(f"{ONE}/review", response_model=AssessmentOut, responses=WRITE_ERRORS)
async def review(
    person_id: uuid.UUID,
    assessment_id: uuid.UUID,
    body: RatingBatchIn,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> AssessmentOut:
    """The first-line supervisor's ratings of a submitted assessment, in batches."""
    a = await assessments.review(
        session,
        principal,
        person_id,
        assessment_id,
        [r.entry() for r in body.ratings],
        if_match=if_match,
    )
    return _out(response, a)


@router.post(f"{ONE}/finalize", response_model=AssessmentOut, responses=WRITE_ERRORS)
async def finalize(
    person_id: uuid.UUID,
    assessment_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> AssessmentOut:
    """The supervisor ends the review; the assessment is final and locked (422 lists the items
    without a final rating under the agency's policy)."""
    a = await assessments.finalize(session, principal, person_id, assessment_id, if_match=if_match)
    return _out(response, a)


@router.post(f"{ONE}/reopen", response_model=AssessmentOut, responses=WRITE_ERRORS)
async def reopen(
    person_id: uuid.UUID,
    assessment_id: uuid.UUID,
    body: ReopenIn,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> AssessmentOut:
    """An agency administrator reopens a submitted or final assessment, with a reason."""
    a = await assessments.reopen(
        session, principal, person_id, assessment_id, reason=body.reason, if_match=if_match
    )
    return _out(response, a)


@router.get(f"{ONE}/results", response_model=ResultsOut, responses=problem_responses(401, 403, 404))
async def results(
    person_id: uuid.UUID, assessment_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession
) -> Response:
    """Readiness (present and future; overall, per component, domain and learning dimension),
    gaps and strengths in the agency's priority order, disagreements, unrated items."""
    view = await assessment_results.results(session, principal, person_id, assessment_id)
    return _json(ResultsOut.of(view))


@router.get(
    f"{ONE}/comparison",
    response_model=ComparisonOut,
    responses=problem_responses(401, 403, 404, 409),
)
async def comparison(
    person_id: uuid.UUID, assessment_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession
) -> Response:
    """A reflection against the baseline of the same (else the previous) fiscal year."""
    view = await assessment_results.comparison(session, principal, person_id, assessment_id)
    return _json(ComparisonOut.of(view))


@router.get(
    "/me/assessment-queue", response_model=QueuedPage, responses=problem_responses(401, 422)
)
async def assessment_queue(
    principal: CurrentPrincipal, session: DbSession, limit: Limit = 100, cursor: Cursor = None
) -> QueuedPage:
    """Submitted assessments awaiting your review, oldest submission first."""
    found = page(
        await assessment_results.queue(session, principal),
        lambda ap: (ap[0].submitted_at.isoformat() if ap[0].submitted_at else "", str(ap[0].id)),
        name="assessment-queue",
        limit=limit,
        cursor=cursor,
    )
    return QueuedPage(
        items=[QueuedOut.of(a, p) for a, p in found.items], next_cursor=found.next_cursor
    )


POLICY = "/agencies/{code}/assessment-policy"
POLICY_WRITE_ERRORS = problem_responses(400, 401, 403, 404, 415, 422)


@router.get(POLICY, response_model=AssessmentPolicyOut, responses=problem_responses(401, 403, 404))
async def get_policy(
    code: str, principal: CurrentPrincipal, session: DbSession
) -> AssessmentPolicyOut:
    """What the agency sets itself (`own`), the policy in force for its staff (`effective`), and
    where each setting comes from (`sources`: `own`, `inherited` with the agency, `default`)."""
    return AssessmentPolicyOut.of(await assessment_policies.get_policy(session, principal, code))


@router.put(
    POLICY,
    response_model=AssessmentPolicyOut,
    openapi_extra=json_body_doc(AssessmentPolicyIn),
    responses=POLICY_WRITE_ERRORS,
)
async def put_policy(
    code: str, request: Request, principal: CurrentPrincipal, session: DbSession
) -> AssessmentPolicyOut:
    """Replace the settings this agency sets (`final_rating`, `priority`,
    `foundational_domains`): absent or null ones are inherited; `{}` inherits everything.
    Always 200: every agency has a policy."""
    body = await read_object(request, JSON)
    return AssessmentPolicyOut.of(
        await assessment_policies.put_policy(session, principal, code, body)
    )


@router.patch(
    POLICY,
    response_model=AssessmentPolicyOut,
    openapi_extra=merge_patch_doc(AssessmentPolicyIn),
    responses=POLICY_WRITE_ERRORS,
)
async def patch_policy(
    code: str, request: Request, principal: CurrentPrincipal, session: DbSession
) -> AssessmentPolicyOut:
    """Change some settings (JSON merge patch): a value sets it here, `null` inherits it again."""
    patch = await read_object(request, MERGE_PATCH, JSON)
    return AssessmentPolicyOut.of(
        await assessment_policies.patch_policy(session, principal, code, patch)
    )

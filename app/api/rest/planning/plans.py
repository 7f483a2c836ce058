"""Individual development plans (IDP1, IDP2), the planning vocabulary and agencies' planning
policies. Rules live in app/domain/planning; who may do what is decided in app/services."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Body, Query, Request, Response

from app.api.rest.bulk import JSON, MERGE_PATCH, json_body_doc, merge_patch_doc, read_object
from app.api.rest.deps import CurrentPrincipal, DbSession, get_runtime
from app.api.rest.inputs import InputRoute
from app.api.rest.params import Cursor, IdempotencyKey, IfMatch, Limit
from app.api.rest.planning.plan_schemas import (
    EffortIn,
    EffortOut,
    EvaluationIn,
    FindingsOut,
    MethodOut,
    MethodPage,
    PlanCreate,
    PlanDocument,
    PlanningPolicyIn,
    PlanningPolicyOut,
    PlanOut,
    PlanPage,
    ProgressOut,
    QueueEntryOut,
    QueueEntryPage,
    RevisionOut,
    RevisionPage,
)
from app.api.rest.problems import problem_responses
from app.domain.errors import FieldError, ValidationFailed
from app.domain.limits import INT4_MAX
from app.domain.planning.methods import METHODS
from app.services.planning import plan_reads, planning_policies, plans
from app.services.planning.plans import PlanResult
from app.services.platform import idempotency
from app.services.platform.pagination import page
from app.services.platform.versioning import etag

router = APIRouter(tags=["plans"], route_class=InputRoute)
PLANS = "/people/{person_id}/plans"
PLAN = PLANS + "/{plan_id}"
READ = problem_responses(401, 403, 404, 422)
WRITE = problem_responses(401, 403, 404, 409, 412, 422)


def _out(response: Response, found: PlanResult) -> PlanOut:
    response.headers["ETag"] = etag(found.etag_version)
    return PlanOut.of(found)


@router.post(PLANS, response_model=PlanOut, status_code=201, responses=WRITE)
async def create_plan(
    request: Request,
    person_id: uuid.UUID,
    body: PlanCreate,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> Any:
    """Start a person's plan for a fiscal year (the person or their first-line supervisor).
    The header comes from the person record; the findings of the draft are returned.

    With an `Idempotency-Key`, a retry of the same request (after a lost answer or a 503) gets
    the first answer again (`Idempotent-Replayed: true`; `GET` the plan for its `ETag`) and
    creates nothing more."""
    fingerprint = ""
    ttl = get_runtime(request).settings.idempotency_ttl_hours
    if idempotency_key is not None:
        fingerprint = idempotency.request_hash(
            "POST", request.url.path, str(request.url.query), await request.body()
        )
        stored = await idempotency.claim(
            session, principal, idempotency_key, fingerprint, ttl_hours=ttl
        )
        if stored is not None:
            plan_id = orjson.loads(stored.body)["id"]
            return Response(
                stored.body,
                stored.status_code,
                media_type=JSON,
                headers={
                    "Idempotent-Replayed": "true",
                    "Location": f"/api/v1/people/{person_id}/plans/{plan_id}",
                },
            )
    data = body.as_json()
    found = await plans.create_plan(
        session,
        principal,
        person_id,
        fiscal_year=body.fiscal_year,
        items=data.get("items", []),
        baseline_assessment_id=body.baseline_assessment_id,
    )
    response.headers["Location"] = f"/api/v1/people/{person_id}/plans/{found.plan.id}"
    out = _out(response, found)
    if idempotency_key is not None:
        answer = idempotency.StoredAnswer(201, out.model_dump_json().encode())
        await idempotency.remember(
            session, principal, idempotency_key, fingerprint, answer, ttl_hours=ttl
        )
    return out


@router.get(PLANS, response_model=PlanPage, responses=READ)
async def list_plans(
    person_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> PlanPage:
    """A person's plans, newest fiscal year first (current revisions, without findings)."""
    found = page(
        await plan_reads.list_plans(session, principal, person_id),
        lambda r: (-r.plan.fiscal_year.be, r.plan.id),
        name="plans",
        limit=limit,
        cursor=cursor,
    )
    return PlanPage(items=[PlanOut.of(r) for r in found.items], next_cursor=found.next_cursor)


@router.post(PLANS + "/validate", response_model=FindingsOut, responses=READ)
async def validate_new_plan(
    person_id: uuid.UUID, body: PlanCreate, principal: CurrentPrincipal, session: DbSession
) -> FindingsOut:
    """The findings a new plan with this body would have; nothing is saved."""
    data = body.as_json()
    found = await plans.validate_new_plan(
        session,
        principal,
        person_id,
        fiscal_year=body.fiscal_year,
        items=data.get("items", []),
        baseline_assessment_id=body.baseline_assessment_id,
    )
    return FindingsOut.of(found)


@router.get(PLAN, response_model=PlanOut, responses=READ)
async def get_plan(
    person_id: uuid.UUID,
    plan_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
    revision: Annotated[
        int | None, Query(ge=1, le=INT4_MAX, description="an old revision (default: latest)")
    ] = None,
) -> PlanOut:
    found = await plan_reads.get_plan(session, principal, person_id, plan_id, revision=revision)
    return _out(response, found)


@router.get(PLAN + "/revisions", response_model=RevisionPage, responses=READ)
async def list_revisions(
    person_id: uuid.UUID,
    plan_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> RevisionPage:
    """Every revision of the plan, oldest first; read one with `?revision=`."""
    loaded, rows = await plan_reads.list_revisions(session, principal, person_id, plan_id)
    found = page(rows, lambda r: (r.revision,), name="revisions", limit=limit, cursor=cursor)
    items = [
        RevisionOut(
            revision=r.revision,
            revised_from=r.revised_from,
            state=r.state,
            created_by=r.created_by,
            created_at=r.created_at,
            updated_at=r.updated_at,
            current=r.revision == loaded.row.current_revision,
        )
        for r in found.items
    ]
    return RevisionPage(items=items, next_cursor=found.next_cursor)


@router.put(PLAN, response_model=PlanOut, responses=WRITE)
async def put_plan(
    person_id: uuid.UUID,
    plan_id: uuid.UUID,
    body: PlanDocument,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> PlanOut:
    """Replace the items (and baseline). A draft changes in place; an acknowledged or running
    plan gets a new draft revision, the old one kept. Returns the findings."""
    found = await plans.update_plan(
        session, principal, person_id, plan_id, body.as_json(), if_match=if_match
    )
    return _out(response, found)


@router.patch(
    PLAN,
    response_model=PlanOut,
    openapi_extra=merge_patch_doc(PlanDocument),
    responses=problem_responses(400, 401, 403, 404, 409, 412, 415, 422),
)
async def patch_plan(
    person_id: uuid.UUID,
    plan_id: uuid.UUID,
    request: Request,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> PlanOut:
    """JSON merge patch of `{baseline_assessment_id, items}` (a list replaces the whole list)."""
    patch = await read_object(request, MERGE_PATCH, JSON)
    if not isinstance(patch, dict):
        raise ValidationFailed([FieldError("", "P-DOCUMENT", "the patch must be a JSON object")])
    found = await plans.update_plan(
        session, principal, person_id, plan_id, patch, merge=True, if_match=if_match
    )
    return _out(response, found)


@router.post(PLAN + "/validate", response_model=FindingsOut, responses=READ)
async def validate_plan(
    person_id: uuid.UUID,
    plan_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    body: Annotated[PlanDocument | None, Body()] = None,
) -> FindingsOut:
    """The findings of the plan as stored, or as it would be with this body; nothing is saved."""
    found = await plans.validate_plan(
        session, principal, person_id, plan_id, None if body is None else body.as_json()
    )
    return FindingsOut.of(found)


@router.post(PLAN + "/submit", response_model=PlanOut, responses=WRITE)
async def submit_plan(
    person_id: uuid.UUID,
    plan_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> PlanOut:
    """The person submits the draft for acknowledgement; 422 lists every error finding."""
    found = await plans.submit_plan(session, principal, person_id, plan_id, if_match=if_match)
    return _out(response, found)


def _step(name: str, doc: str, service: Any) -> None:
    async def endpoint(
        person_id: uuid.UUID,
        plan_id: uuid.UUID,
        principal: CurrentPrincipal,
        session: DbSession,
        response: Response,
    ) -> PlanOut:
        return _out(response, await service(session, principal, person_id, plan_id))

    endpoint.__name__ = f"{name.replace('/', '_').replace('-', '_')}_plan"
    endpoint.__doc__ = doc
    router.add_api_route(
        f"{PLAN}/{name}",
        endpoint,
        methods=["POST"],
        response_model=PlanOut,
        responses=WRITE,
        tags=["plans"],
    )


_step(
    "acknowledge",
    "Sign the submitted plan as the person or as the first-line supervisor; the plan is in "
    "force (`acknowledged`) once both have signed. Anyone else is refused.",
    plans.acknowledge_plan,
)
_step("withdraw", "The person takes a submitted plan back to draft.", plans.withdraw_plan)
_step("return", "The supervisor sends a submitted plan back to draft.", plans.return_plan)
_step("start", "Mark an acknowledged plan as in progress.", plans.start_plan)
_step(
    "revise",
    "A new draft revision prefilled from the current one (acknowledged, in progress, or "
    "evaluated with an IDP2 that says revise); the old revision stays as it was.",
    plans.revise_plan,
)
_step(
    "evaluation/acknowledge",
    "Sign the IDP2. With both signatures the plan is evaluated; when the IDP2 says revise "
    "for an item, a new draft revision prefilled from this one is opened (F6).",
    plans.acknowledge_evaluation,
)


@router.put(PLAN + "/evaluation", response_model=PlanOut, responses=WRITE)
async def evaluate_plan(
    person_id: uuid.UUID,
    plan_id: uuid.UUID,
    body: EvaluationIn,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
) -> PlanOut:
    """Write the IDP2 evaluation (per item: outcome, next step, narrative, suggestions);
    `evaluation_findings` point into this body. Rewriting clears its signatures."""
    rows = body.model_dump(mode="json")["items"]
    found = await plans.evaluate_plan(session, principal, person_id, plan_id, rows)
    return _out(response, found)


@router.post(PLAN + "/effort", response_model=EffortOut, status_code=201, responses=WRITE)
async def record_effort(
    person_id: uuid.UUID,
    plan_id: uuid.UUID,
    body: EffortIn,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
) -> EffortOut:
    """Record actual hours on an activity; the first entry starts an acknowledged plan."""
    found, row = await plans.record_plan_effort(
        session,
        principal,
        person_id,
        plan_id,
        activity_id=body.activity_id,
        hours=body.hours,
        on=body.on,
        note=body.note,
    )
    response.headers["ETag"] = etag(found.etag_version)
    return EffortOut(
        id=str(row.id),
        activity_id=row.activity_id,
        hours=float(row.hours),
        on=row.on,
        source=row.source,
        note=row.note,
        recorded_by=row.recorded_by,
        recorded_at=row.recorded_at,
    )


@router.get(PLAN + "/progress", response_model=ProgressOut, responses=READ)
async def plan_progress(
    person_id: uuid.UUID,
    plan_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    revision: Annotated[int | None, Query(ge=1, le=INT4_MAX)] = None,
) -> ProgressOut:
    """Planned against actual hours, per activity and per 70:20:10 bucket."""
    report = await plan_reads.plan_progress(
        session, principal, person_id, plan_id, revision=revision
    )
    return ProgressOut.of(report)


@router.get("/me/plan-queue", response_model=QueueEntryPage, responses=READ)
async def plan_queue(
    principal: CurrentPrincipal, session: DbSession, limit: Limit = 100, cursor: Cursor = None
) -> QueueEntryPage:
    """Plans awaiting you: your signature on a submitted plan or an IDP2 (as the person or the
    first-line supervisor), and your direct reports' plans in force that are not evaluated;
    by fiscal year."""
    found = page(
        await plan_reads.queue(session, principal),
        lambda e: (e.plan.fiscal_year.be, e.plan.person_id, e.plan.id, e.awaiting.value),
        name="plan-queue",
        limit=limit,
        cursor=cursor,
    )
    return QueueEntryPage(
        items=[QueueEntryOut.of(e) for e in found.items], next_cursor=found.next_cursor
    )


@router.get("/planning/methods", response_model=MethodPage, responses=READ)
async def planning_methods(principal: CurrentPrincipal) -> MethodPage:
    """The development methods and their 70:20:10 buckets (docs/planning.md): a fixed
    vocabulary, on one page."""
    return MethodPage(items=[MethodOut.of(m) for m in METHODS], next_cursor=None)


POLICY = "/agencies/{code}/planning-policy"
POLICY_WRITE = problem_responses(400, 401, 403, 404, 415, 422)


@router.get(POLICY, response_model=PlanningPolicyOut, responses=READ)
async def get_planning_policy(
    code: str, principal: CurrentPrincipal, session: DbSession
) -> PlanningPolicyOut:
    """What the agency sets itself (`own`), the policy in force for its staff (`effective`), and
    where each setting comes from (`sources`: `own`, `inherited` with the agency, `default`)."""
    return PlanningPolicyOut.of(await planning_policies.get_policy(session, principal, code))


@router.put(
    POLICY,
    response_model=PlanningPolicyOut,
    openapi_extra=json_body_doc(PlanningPolicyIn),
    responses=POLICY_WRITE,
)
async def put_planning_policy(
    code: str, request: Request, principal: CurrentPrincipal, session: DbSession
) -> PlanningPolicyOut:
    """Replace the settings this agency sets: absent or null ones are inherited; `{}` inherits
    everything (its units inherit what it sets). Always 200: every agency has a policy."""
    body = await read_object(request, JSON)
    return PlanningPolicyOut.of(await planning_policies.put_policy(session, principal, code, body))


@router.patch(
    POLICY,
    response_model=PlanningPolicyOut,
    openapi_extra=merge_patch_doc(PlanningPolicyIn),
    responses=POLICY_WRITE,
)
async def patch_planning_policy(
    code: str, request: Request, principal: CurrentPrincipal, session: DbSession
) -> PlanningPolicyOut:
    """Change some settings (JSON merge patch): a value sets it here, `null` inherits it again."""
    patch = await read_object(request, MERGE_PATCH, JSON)
    return PlanningPolicyOut.of(
        await planning_policies.patch_policy(session, principal, code, patch)
    )

from __future__ import annotations

from fastapi import APIRouter

from app.api.rest.deps import CurrentPrincipal
from app.api.rest.inputs import InputRoute
from app.api.rest.problems import problem_responses
from app.api.rest.schemas import PrincipalOut

router = APIRouter(tags=["me"], route_class=InputRoute)


def principal_out(p: CurrentPrincipal) -> PrincipalOut:
    return PrincipalOut(
        kind=p.kind.value,
        subject=p.subject,
        name=p.name,
        roles=sorted(r.value for r in p.roles),
        agency=p.agency,
        scopes=sorted(p.scopes),
    )


@router.get("/me", response_model=PrincipalOut, responses=problem_responses(401, 429))
async def me(principal: CurrentPrincipal) -> PrincipalOut:
    """The calling principal: who, with which roles or scopes, in which agency."""
    return principal_out(principal)

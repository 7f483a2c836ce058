"""1EdTech CASE 1.1 read service: frameworks as CFDocuments, CFPackages, CFItems, CFAssociations.

Identifiers are stable across exports (UUIDv5 of framework + code, framework + version for
documents). Same credentials as the rest of the API (``frameworks:read`` for clients).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from app.api.rest.deps import CurrentPrincipal, DbSession
from app.api.rest.framework.frameworks import case_base_uri
from app.api.rest.inputs import InputRoute
from app.api.rest.problems import problem_responses
from app.services.framework import framework_exchange

router = APIRouter(prefix="/ims/case/v1p1", tags=["CASE 1.1"], route_class=InputRoute)
READ = problem_responses(401, 403, 404)


@router.get("/CFDocuments", responses=READ)
async def get_documents(
    request: Request, principal: CurrentPrincipal, session: DbSession
) -> dict[str, Any]:
    """Every framework version as a CFDocument (adoptionStatus Adopted = current, Deprecated =
    retired, Draft for central administrators)."""
    documents = await framework_exchange.case_documents(session, principal, case_base_uri(request))
    return {"CFDocuments": documents}


@router.get("/CFPackages/{identifier}", responses=READ)
async def get_package(
    identifier: str, request: Request, principal: CurrentPrincipal, session: DbSession
) -> dict[str, Any]:
    """A whole framework version: CFDocument, CFItems, CFAssociations, CFDefinitions."""
    return await framework_exchange.case_package_by_id(
        session, principal, identifier, case_base_uri(request)
    )


@router.get("/CFItems/{identifier}", responses=READ)
async def get_item(
    identifier: str, request: Request, principal: CurrentPrincipal, session: DbSession
) -> dict[str, Any]:
    """One CFItem (from the current version that holds it) with its CFDocumentURI."""
    return await framework_exchange.case_node(
        session, principal, "CFItems", identifier, case_base_uri(request)
    )


@router.get("/CFAssociations/{identifier}", responses=READ)
async def get_association(
    identifier: str, request: Request, principal: CurrentPrincipal, session: DbSession
) -> dict[str, Any]:
    """One CFAssociation with its CFDocumentURI."""
    return await framework_exchange.case_node(
        session, principal, "CFAssociations", identifier, case_base_uri(request)
    )

"""Writing frameworks (central administrators): import, drafts, publish, retire. Audited."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Response, status

from app.api.rest.deps import CurrentPrincipal, DbSession
from app.api.rest.framework import framework_schemas as s
from app.api.rest.framework.frameworks import Key
from app.api.rest.inputs import InputRoute
from app.api.rest.problems import problem_responses
from app.db.models import FrameworkVersion
from app.domain.framework.native import parse_document
from app.services.framework import framework_admin, framework_exchange
from app.services.framework.framework_admin import SaveOutcome

router = APIRouter(
    prefix="/frameworks", tags=["frameworks (administration)"], route_class=InputRoute
)

WRITE = problem_responses(401, 403, 404, 409, 415, 422)
Document = Annotated[
    dict[str, Any],
    Body(
        description="A native document (``format: thaksa-framework/1``, as ``GET .../export``"
        " gives it) or a CASE 1.1 CFPackage"
    ),
]


def _import_out(outcome: SaveOutcome) -> s.ImportOut:
    return s.ImportOut(
        status=outcome.status,
        framework=outcome.framework.key,
        version=outcome.version.label,
        version_status=outcome.version.status,
        previous=outcome.previous.label if outcome.previous else None,
        changes=outcome.diff.counts if outcome.diff else None,
    )


@router.post(
    "/import",
    response_model=s.ImportOut,
    responses=WRITE,
    openapi_extra={"requestBody": {"content": {"application/json": {"schema": s.IMPORT_DOCUMENT}}}},
)
async def import_framework(
    document: Document,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
    publish: Annotated[bool, Query(description="publish the new version at once")] = False,
    key: Annotated[
        str | None, Query(description="framework key, for a CASE package from elsewhere")
    ] = None,
) -> s.ImportOut:
    """Import a version (native JSON or CASE). The whole file is checked first; every problem
    (duplicate codes, dangling references, hierarchy cycles, unknown types, ...) comes back in
    one problem+json and nothing is imported. Identical content imports nothing (200,
    ``unchanged``); otherwise a new version is created (201), a draft unless ``publish``."""
    outcome = await framework_exchange.import_framework(
        session, principal, document, publish=publish, key=key
    )
    if outcome.status == "created":
        response.status_code = status.HTTP_201_CREATED
    return _import_out(outcome)


def _version_out(v: FrameworkVersion) -> s.VersionOut:
    return s.VersionOut.of(v, {})


@router.post(
    "/{key}/versions",
    response_model=s.VersionOut,
    status_code=status.HTTP_201_CREATED,
    responses=WRITE,
)
async def create_version(
    key: Key, body: s.NewVersionIn, principal: CurrentPrincipal, session: DbSession
) -> s.VersionOut:
    """Start a new draft version as a copy of an existing one (default: the current one)."""
    version = await framework_admin.create_draft(
        session, principal, key, based_on=body.based_on, label=body.version
    )
    return _version_out(version)


@router.put("/{key}/versions/{version}", response_model=s.VersionOut, responses=WRITE)
async def replace_version(
    key: Key, version: str, document: Document, principal: CurrentPrincipal, session: DbSession
) -> s.VersionOut:
    """Replace a draft's whole content with a native document. A published or retired version
    is immutable: 409."""
    parsed = parse_document(document)
    updated = await framework_admin.replace_draft(
        session, principal, key, version, parsed.content, errors=parsed.errors
    )
    return _version_out(updated)


@router.delete("/{key}/versions/{version}", status_code=status.HTTP_204_NO_CONTENT, responses=WRITE)
async def delete_version(
    key: Key, version: str, principal: CurrentPrincipal, session: DbSession
) -> Response:
    """Delete a draft (published and retired versions stay for ever)."""
    await framework_admin.delete_draft(session, principal, key, version)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{key}/versions/{version}/publish", response_model=s.VersionOut, responses=WRITE)
async def publish_version(
    key: Key, version: str, principal: CurrentPrincipal, session: DbSession
) -> s.VersionOut:
    """Make the version the current one; the version current until now is retired."""
    return _version_out(await framework_admin.publish_version(session, principal, key, version))


@router.post("/{key}/versions/{version}/retire", response_model=s.VersionOut, responses=WRITE)
async def retire_version(
    key: Key, version: str, principal: CurrentPrincipal, session: DbSession
) -> s.VersionOut:
    """Retire the current version (the framework then has no current version)."""
    return _version_out(await framework_admin.retire_version(session, principal, key, version))

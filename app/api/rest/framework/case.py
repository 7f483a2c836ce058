"""1EdTech CASE 1.1 REST binding: every read operation of the service under ``/ims/case/v1p1``.

Frameworks are CFDocuments and CFPackages; items and role profiles CFItems. Identifiers are
stable across exports (UUIDv5 of framework + code, framework + version for documents). Same
credentials as the rest of the API (``frameworks:read`` for clients). Errors on these paths are
the binding's ``imsx_StatusInfo`` body, not problem+json (see ``status_info_response``), and
``?extensions=false`` leaves out Thaksa's own ``extensions`` members.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from app.api.rest.deps import CurrentPrincipal, DbSession
from app.api.rest.framework.frameworks import case_base_uri
from app.api.rest.inputs import InputRoute
from app.domain.framework import case_binding as binding
from app.domain.framework.case_binding import (
    DocumentQuery,
    check_identifier,
    check_parameters,
    parse_fields,
    parse_filter,
    without_extensions,
)
from app.domain.limits import INT4_MAX
from app.services.framework import framework_exchange

ROOT = binding.ROOT
router = APIRouter(prefix=ROOT, tags=["CASE 1.1"], route_class=InputRoute)

CodeMinorValue = Literal[
    "forbidden",
    "internal_server_error",
    "invalid_selection_field",
    "invalid_uuid",
    "server_busy",
    "unauthorised_request",
    "unknownobject",
]


class ImsxCodeMinorField(BaseModel):
    imsx_codeMinorFieldName: str = Field(
        description="the parameter at fault, sourcedId, or TargetEndSystem"
    )
    imsx_codeMinorFieldValue: CodeMinorValue


class ImsxCodeMinor(BaseModel):
    imsx_codeMinorField: list[ImsxCodeMinorField] = Field(min_length=1)


class ImsxStatusInfo(BaseModel):
    """imsx_StatusInfo: the CASE 1.1 REST binding's error body."""

    model_config = ConfigDict(extra="forbid", title="imsx_StatusInfo")

    imsx_codeMajor: Literal["failure", "unsupported"]
    imsx_severity: Literal["error"]
    imsx_description: str
    imsx_codeMinor: ImsxCodeMinor | None = None


ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"description": description, "model": ImsxStatusInfo}
    for status, description in (
        (400, "a query parameter that cannot be applied (invalid_selection_field)"),
        (401, "no or bad credentials (unauthorised_request)"),
        (403, "the credentials do not allow framework reads (forbidden)"),
        (404, "unknown identifier (unknownobject) or not a UUID (invalid_uuid)"),
        (429, "too many requests (server_busy)"),
        (500, "internal error (internal_server_error)"),
    )
}

Extensions = Annotated[
    bool,
    Query(description="false leaves out every `extensions` member (Thaksa's own data): pure CASE"),
]
Identifier = Annotated[str, Path(description="the object's identifier (a UUID)")]


def status_info_response(
    status: int,
    code: str,
    detail: str,
    errors: Sequence[dict[str, Any]] | None,
    headers: Mapping[str, str] | None,
    extensions: dict[str, Any],
) -> JSONResponse:
    """Every error under /ims/case/v1p1 as the binding's imsx_StatusInfo body. An identifier in
    the path that is not even text is no UUID: the binding's 404 invalid_uuid; any other
    parameter the framework could not read is the binding's 400 invalid_selection_field."""
    field = extensions.get("parameter")
    if status == 422 and errors and all("parameter" in e for e in errors):
        detail = "; ".join(f"{e['parameter']}: {e.get('detail', 'invalid')}" for e in errors)
        if any(e.get("in") == "path" for e in errors):
            status, code, field = 404, "invalid-uuid", "sourcedId"
        else:
            status, code, field = 400, "invalid-selection-field", errors[0]["parameter"]
    if field is None:
        field = "sourcedId" if code in ("not-found", "invalid-uuid") else "TargetEndSystem"
    return JSONResponse(
        binding.status_info(status, code, detail, field), status_code=status, headers=headers
    )


def _served(payload: dict[str, Any], extensions: bool) -> dict[str, Any]:
    return payload if extensions else dict(without_extensions(payload))


def _single(request: Request, identifier: str, operation: str) -> None:
    check_parameters(list(request.query_params), ["extensions"], operation)
    check_identifier(identifier)


PAGED = {
    200: {
        "description": "a page of CFDocuments",
        "headers": {
            "X-Total-Count": {
                "description": "documents matching the filter, all pages",
                "schema": {"type": "integer"},
            },
            "Link": {
                "description": "first, prev, next and last pages (RFC 8288)",
                "schema": {"type": "string"},
            },
        },
    },
    **ERRORS,
}


@router.get("/CFDocuments", responses=PAGED)
async def get_all_documents(
    request: Request,
    response: Response,
    principal: CurrentPrincipal,
    session: DbSession,
    limit: Annotated[
        int, Query(ge=1, le=INT4_MAX, description="records per page (default 100)")
    ] = 100,
    offset: Annotated[int, Query(ge=0, le=INT4_MAX, description="index of the first record")] = 0,
    sort: Annotated[str | None, Query(description="a CFDocument field to sort on")] = None,
    order_by: Annotated[Literal["asc", "desc"] | None, Query(alias="orderBy")] = None,
    filter_: Annotated[
        str | None,
        Query(
            alias="filter",
            description="<field><predicate>'<value>' with a predicate among = != > >= < <= ~,"
            " conditions joined by ' AND ' or by ' OR '",
        ),
    ] = None,
    fields: Annotated[
        list[str] | None, Query(description="comma-separated CFDocument fields to return")
    ] = None,
    extensions: Extensions = True,
) -> dict[str, Any]:
    """getAllCFDocuments: every framework version as a CFDocument (adoptionStatus Adopted =
    current, Deprecated = retired, Draft for central administrators), paged (``X-Total-Count``,
    ``Link``), sortable, filterable, with field selection."""
    check_parameters(
        list(request.query_params),
        ["limit", "offset", "sort", "orderBy", "filter", "fields", "extensions"],
        "getAllCFDocuments",
    )
    query = DocumentQuery(
        limit=limit,
        offset=offset,
        sort=sort,
        order_by=order_by,
        filter=parse_filter(filter_) if filter_ is not None else None,
        fields=parse_fields(fields or []),
    )
    documents = await framework_exchange.case_documents(session, principal, case_base_uri(request))
    page = binding.apply(query, documents)
    kept = {k: v for k, v in request.query_params.items() if k not in ("limit", "offset")}
    url = str(request.url.replace(query=""))
    response.headers["X-Total-Count"] = str(page.total)
    response.headers["Link"] = binding.page_links(url, kept, limit, offset, page.total)
    return _served({"CFDocuments": page.records}, extensions)


@router.get("/CFDocuments/{identifier}", responses=ERRORS)
async def get_document(
    identifier: Identifier,
    request: Request,
    principal: CurrentPrincipal,
    session: DbSession,
    extensions: Extensions = True,
) -> dict[str, Any]:
    """getCFDocument: one framework version as a CFDocument with its CFPackageURI."""
    _single(request, identifier, "getCFDocument")
    document = await framework_exchange.case_document_by_id(
        session, principal, identifier, case_base_uri(request)
    )
    return _served(document, extensions)


@router.get("/CFPackages/{identifier}", responses=ERRORS)
async def get_package(
    identifier: Identifier,
    request: Request,
    principal: CurrentPrincipal,
    session: DbSession,
    extensions: Extensions = True,
) -> dict[str, Any]:
    """getCFPackage: a whole framework version: CFDocument, CFItems, CFAssociations,
    CFDefinitions, CFRubrics."""
    _single(request, identifier, "getCFPackage")
    package = await framework_exchange.case_package_by_id(
        session, principal, identifier, case_base_uri(request)
    )
    return _served(package, extensions)


@router.get("/CFItems/{identifier}", responses=ERRORS)
async def get_item(
    identifier: Identifier,
    request: Request,
    principal: CurrentPrincipal,
    session: DbSession,
    extensions: Extensions = True,
) -> dict[str, Any]:
    """getCFItem: one CFItem (from the most current version that holds it) with its
    CFDocumentURI."""
    _single(request, identifier, "getCFItem")
    item = await framework_exchange.case_node(
        session, principal, "CFItems", identifier, case_base_uri(request)
    )
    return _served(item, extensions)


@router.get("/CFItemAssociations/{identifier}", responses=ERRORS)
async def get_item_associations(
    identifier: Identifier,
    request: Request,
    principal: CurrentPrincipal,
    session: DbSession,
    extensions: Extensions = True,
) -> dict[str, Any]:
    """getCFItemAssociations: a CFItem and every CFAssociation of its version it is the origin or
    the destination of."""
    _single(request, identifier, "getCFItemAssociations")
    found = await framework_exchange.case_item_associations(
        session, principal, identifier, case_base_uri(request)
    )
    return _served(found, extensions)


@router.get("/CFAssociations/{identifier}", responses=ERRORS)
async def get_association(
    identifier: Identifier,
    request: Request,
    principal: CurrentPrincipal,
    session: DbSession,
    extensions: Extensions = True,
) -> dict[str, Any]:
    """getCFAssociation: one CFAssociation with its CFDocumentURI."""
    _single(request, identifier, "getCFAssociation")
    association = await framework_exchange.case_node(
        session, principal, "CFAssociations", identifier, case_base_uri(request)
    )
    return _served(association, extensions)


async def _definition(
    request: Request,
    principal: CurrentPrincipal,
    session: DbSession,
    collection: str,
    identifier: str,
    operation: str,
) -> dict[str, Any]:
    _single(request, identifier, operation)
    return await framework_exchange.case_definition(
        session, principal, collection, identifier, case_base_uri(request)
    )


@router.get("/CFItemTypes/{identifier}", responses=ERRORS)
async def get_item_type(
    identifier: Identifier,
    request: Request,
    principal: CurrentPrincipal,
    session: DbSession,
    extensions: Extensions = True,
) -> dict[str, Any]:
    """getCFItemType: the CFItemType as a CFItemTypeSet (``{"CFItemTypes": [...]}``)."""
    node = await _definition(
        request, principal, session, "CFItemTypes", identifier, "getCFItemType"
    )
    return _served({"CFItemTypes": [node]}, extensions)


@router.get("/CFConcepts/{identifier}", responses=ERRORS)
async def get_concept(
    identifier: Identifier,
    request: Request,
    principal: CurrentPrincipal,
    session: DbSession,
    extensions: Extensions = True,
) -> dict[str, Any]:
    """getCFConcept: the CFConcept as a CFConceptSet (Thaksa frameworks define none yet)."""
    node = await _definition(request, principal, session, "CFConcepts", identifier, "getCFConcept")
    return _served({"CFConcepts": [node]}, extensions)


@router.get("/CFSubjects/{identifier}", responses=ERRORS)
async def get_subject(
    identifier: Identifier,
    request: Request,
    principal: CurrentPrincipal,
    session: DbSession,
    extensions: Extensions = True,
) -> dict[str, Any]:
    """getCFSubject: the CFSubject as a CFSubjectSet (Thaksa frameworks define none yet)."""
    node = await _definition(request, principal, session, "CFSubjects", identifier, "getCFSubject")
    return _served({"CFSubjects": [node]}, extensions)


@router.get("/CFLicenses/{identifier}", responses=ERRORS)
async def get_license(
    identifier: Identifier,
    request: Request,
    principal: CurrentPrincipal,
    session: DbSession,
    extensions: Extensions = True,
) -> dict[str, Any]:
    """getCFLicense: one CFLicense (Thaksa frameworks define none yet)."""
    node = await _definition(request, principal, session, "CFLicenses", identifier, "getCFLicense")
    return _served(node, extensions)


@router.get("/CFAssociationGroupings/{identifier}", responses=ERRORS)
async def get_association_grouping(
    identifier: Identifier,
    request: Request,
    principal: CurrentPrincipal,
    session: DbSession,
    extensions: Extensions = True,
) -> dict[str, Any]:
    """getCFAssociationGrouping: one CFAssociationGrouping ("Role profile requirement",
    "Crosswalk")."""
    node = await _definition(
        request,
        principal,
        session,
        "CFAssociationGroupings",
        identifier,
        "getCFAssociationGrouping",
    )
    return _served(node, extensions)


@router.get("/CFRubrics/{identifier}", responses=ERRORS)
async def get_rubric(
    identifier: Identifier,
    request: Request,
    principal: CurrentPrincipal,
    session: DbSession,
    extensions: Extensions = True,
) -> dict[str, Any]:
    """getCFRubric: one CFRubric (Thaksa frameworks define none yet)."""
    node = await _definition(request, principal, session, "CFRubrics", identifier, "getCFRubric")
    return _served(node, extensions)


@router.get("/discovery/imscasev1p1_openapi3_v1p0.json", include_in_schema=False)
async def discovery(request: Request) -> dict[str, Any]:
    """Service discovery (binding §2.5): the CASE operations of this service as an OpenAPI 3
    document, with this server's address. No credentials needed: it describes, it holds no data."""
    whole: dict[str, Any] = request.app.openapi()
    paths = {p: ops for p, ops in whole["paths"].items() if p.startswith(ROOT + "/")}
    document: dict[str, Any] = {
        "openapi": whole["openapi"],
        "info": {
            "title": "Thaksa: 1EdTech CASE 1.1 service",
            "version": whole["info"]["version"],
        },
        "servers": [{"url": str(request.base_url).rstrip("/")}],
        "paths": paths,
    }
    schemas = whole.get("components", {}).get("schemas", {})
    wanted = _refs(paths, schemas)
    components: dict[str, Any] = {"schemas": {n: schemas[n] for n in sorted(wanted)}}
    if "securitySchemes" in whole.get("components", {}):
        components["securitySchemes"] = whole["components"]["securitySchemes"]
    document["components"] = components
    return document


def _refs(node: Any, schemas: Mapping[str, Any], seen: set[str] | None = None) -> set[str]:
    """The component schemas ``node`` refers to, transitively."""
    seen = set() if seen is None else seen
    if isinstance(node, Mapping):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            name = ref.rsplit("/", 1)[1]
            if name not in seen and name in schemas:
                seen.add(name)
                _refs(schemas[name], schemas, seen)
        for value in node.values():
            _refs(value, schemas, seen)
    elif isinstance(node, list):
        for value in node:
            _refs(value, schemas, seen)
    return seen

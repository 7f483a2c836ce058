"""The xAPI 1.0.3 Statement resource under ``/xapi`` (an LRS for e-learning providers).

As the specification requires of an LRS: ``X-Experience-API-Version`` (1.0.x) on every request
but ``/xapi/about`` and on every answer; ``X-Experience-API-Consistent-Through`` on every answer of
the Statement resource; ``Last-Modified``; errors with the statuses the specification names (400
for anything malformed or invalid, never 422), as problem+json. Clients authenticate with HTTP
Basic (an integration client's key id and secret) or the API-key header (docs/xapi.md).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Coroutine, Mapping, Sequence
from datetime import UTC, datetime
from email.utils import format_datetime
from http import HTTPStatus
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

import orjson
from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import SQLAlchemyError
from starlette.datastructures import MutableHeaders
from starlette.types import Message, Receive, Scope, Send

from app.api.rest.bulk import _texts, inline_schema
from app.api.rest.deps import CurrentPrincipal, DbSession
from app.api.rest.inputs import InputRoute, check_screened_json, read_json, screen_text
from app.api.rest.openapi import dependants
from app.api.rest.problems import PROBLEM_JSON, TYPE_BASE, problem_responses
from app.db.repositories.learning.statements import Query as StatementQuery
from app.domain.errors import BadRequest, FieldError, NotFound, ValidationFailed
from app.domain.learning import statements as xapi
from app.services.learning import statements as service
from app.services.platform.pagination import decode_cursor, encode_cursor

ROOT = "/xapi"
STATEMENTS = f"{ROOT}/statements"
CONSISTENT_THROUGH = "X-Experience-API-Consistent-Through"

VERSION_HEADERS = {xapi.VERSION_HEADER: xapi.LRS_VERSION}
SINGLE_PARAMETERS = frozenset({"statementId", "voidedStatementId", "format", "attachments"})


class XapiStatementDoc(BaseModel):
    """An xAPI 1.0.3 statement (xAPI-Data §2.4); validated by the LRS rules, not by this
    outline."""

    model_config = ConfigDict(extra="allow", title="XapiStatement")

    id: str | None = Field(None, description="a UUID; assigned when absent")
    actor: dict[str, Any]
    verb: dict[str, Any]
    object: dict[str, Any]
    result: dict[str, Any] | None = None
    context: dict[str, Any] | None = None
    timestamp: str | None = None
    attachments: list[dict[str, Any]] | None = None


class XapiStatementResult(BaseModel):
    """A page of statements; ``more`` is the path of the next page ("" when there is none)."""

    statements: list[dict[str, Any]]
    more: str


class XapiAbout(BaseModel):
    version: list[str]
    extensions: dict[str, Any] = {}


def xapi_problem(
    status: int,
    code: str,
    detail: str,
    errors: Sequence[dict[str, Any]] | None,
    headers: Mapping[str, str] | None,
    extensions: dict[str, Any],
) -> JSONResponse:
    """Every error under /xapi: problem+json with the xAPI version header; what the rest of the
    API answers 422 or 415 is the 400 the specification names (xAPI-Communication §3.2 lists no
    422 or 415); 401 asks for Basic credentials."""
    if status == 415:
        status = 400
        detail = (
            f"{detail}; this LRS takes statements as application/json only, with attachments by"
            " fileUrl (multipart/mixed, which carries attachment data, is not accepted)"
        )
    if status == 422:
        status, code = 400, "invalid-request" if code == "validation-failed" else code
        version = [
            e
            for e in errors or ()
            if str(e.get("parameter", "")).lower() == xapi.VERSION_HEADER.lower()
        ]
        if version and all(e.get("rule") in ("missing", "literal_error") for e in version):
            code = VersionRefused.code
            detail = f"send the {xapi.VERSION_HEADER} header: 1.0.x (1.0.3)"
    body: dict[str, Any] = {
        "type": TYPE_BASE + code,
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": extensions.pop("instance", ROOT),
        "code": code,
    }
    if errors is not None:
        body["errors"] = list(errors)
    body.update({k: v for k, v in extensions.items() if v is not None})
    answer_headers = {**(headers or {}), **VERSION_HEADERS}
    if status == 401:
        answer_headers["WWW-Authenticate"] = 'Basic realm="thaksa-xapi"'
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=answer_headers)


class VersionRefused(BadRequest):
    code = "xapi-version"
    title = "Unsupported xAPI version"


class UnsupportedParameter(BadRequest):
    code = "unsupported-parameter"
    title = "Unsupported parameter"


async def _consistent_through_now(scope: Scope) -> datetime | None:
    """For an answer whose handler read none (an error): None when the database cannot say."""
    runtime = scope["app"].state.runtime
    try:
        async with runtime.session_factory() as session, session.begin():
            return await service.consistent_through(session)
    except (SQLAlchemyError, OSError):
        return None


class XapiRoute(InputRoute):
    """A route of the LRS. It refuses parameters it does not take (xAPI-Communication §3.2: 400
    for any parameter the LRS does not recognise in its context, and for one that differs from
    a known one in case only). On the Statement resource every answer, errors included, carries
    ``X-Experience-API-Consistent-Through`` (§2.1.3: "regardless of the code returned")."""

    # what the rest of the API answers with these, the LRS answers with 400 (xapi_problem); and
    # any operation may answer 400 (a parameter it does not take)
    bad_request_statuses = frozenset({415, 422})

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        known = frozenset(p.alias for d in dependants(self.dependant) for p in d.query_params)
        path = self.path

        async def recognised(request: Request) -> Response:
            unknown = sorted(set(request.query_params) - known)
            if unknown:
                cased = {k.lower(): k for k in known}
                hints = [
                    f"{u!r} (did you mean {cased[u.lower()]!r}?)"
                    for u in unknown
                    if u.lower() in cased
                ]
                raise UnsupportedParameter(
                    f"{request.method} {path} does not take {unknown}"
                    + (f"; names are case-sensitive: {', '.join(hints)}" if hints else "")
                    + (f"; it takes {sorted(known)}" if known else "; it takes no parameters")
                )
            return await handler(request)

        return recognised

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.path != STATEMENTS:
            await super().handle(scope, receive, send)
            return

        async def consistent(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] < 500:
                headers = MutableHeaders(scope=message)
                if CONSISTENT_THROUGH not in headers:
                    through = await _consistent_through_now(scope)
                    if through is not None:
                        headers[CONSISTENT_THROUGH] = _iso(through)
            await send(message)

        await super().handle(scope, receive, consistent)


router = APIRouter(prefix=ROOT, tags=["xAPI 1.0.3"], route_class=XapiRoute)


def require_version(value: str | None) -> None:
    if not xapi.supported_version(value):
        raise VersionRefused(
            f"send {xapi.VERSION_HEADER}: 1.0.x (got {value!r})"
            if value
            else f"the {xapi.VERSION_HEADER} header is required (1.0.x)"
        )


XapiVersion = Annotated[
    Literal["1.0.0", "1.0.1", "1.0.2", "1.0.3"],
    Header(
        alias=xapi.VERSION_HEADER.lower(),
        description="The xAPI version spoken: 1.0.x (1.0.3); refused (400) when missing or other",
    ),
]

ERRORS = problem_responses(400, 401, 403, 409, 413, 429)
PUT_RESPONSES: dict[int | str, dict[str, Any]] = {
    204: {"description": "Stored (or stored already with the same content)"},
    **ERRORS,
}


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


@router.head(
    "/about",
    response_model=XapiAbout,
    summary="The LRS's xAPI versions (headers only)",
    description="What `GET /xapi/about` answers, without the body.",
)
@router.get(
    "/about",
    response_model=XapiAbout,
    summary="The LRS's xAPI versions",
    description="The versions of xAPI this LRS speaks (no credentials, no version header).",
)
async def about() -> JSONResponse:
    return JSONResponse({"version": ["1.0.3"], "extensions": {}}, headers=VERSION_HEADERS)


STATEMENT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "oneOf": [
                        inline_schema(XapiStatementDoc),
                        {"type": "array", "items": inline_schema(XapiStatementDoc)},
                    ]
                }
            }
        },
    }
}


async def _body(request: Request) -> object:
    raw = await request.body()
    if not raw:
        raise BadRequest("send a statement (or an array of statements) as JSON")
    return read_json(raw)


def _home_page(request: Request) -> str:
    return str(request.base_url).rstrip("/")


@router.post(
    "/statements",
    response_model=list[str],
    summary="Store statements (one or an array)",
    description=(
        "Stores one statement or an array (at most 1,000), all or nothing: any invalid "
        "statement, or two with one id, refuses the whole request (400) and nothing is stored. "
        "A statement whose id is stored already with the same content (xAPI comparison rules) "
        "changes nothing; with other content, 409. Answers the ids in the order sent."
    ),
    responses=ERRORS,
    openapi_extra=STATEMENT_BODY,
)
async def post_statements(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    version: XapiVersion,
) -> Response:
    require_version(version)
    raw = await request.body()
    texts = _texts(raw) if raw.lstrip().startswith(b"[") else [raw]
    decoded = None
    if texts is not None and raw and screen_text(raw):
        try:
            # strict: no NaN or infinity; its checks reduced to what can still fail
            decoded = check_screened_json(orjson.loads(raw), texts)
        except orjson.JSONDecodeError:
            decoded = None
    stored = await service.store_statements(
        session,
        principal,
        await _body(request) if decoded is None else decoded,
        home_page=_home_page(request),
        texts=texts,
        finite=decoded is not None,
    )
    through = stored.at or await service.consistent_through(session)
    return Response(
        orjson.dumps(stored.ids),
        media_type="application/json",
        headers={**VERSION_HEADERS, CONSISTENT_THROUGH: _iso(through)},
    )


StatementId = Annotated[str, Query(alias="statementId", description="the statement's id")]


@router.put(
    "/statements",
    status_code=204,
    summary="Store one statement under the id given",
    description=(
        "Stores one statement with the id `statementId` (the statement's own id, if any, must "
        "be the same). The same content again changes nothing (204); other content is 409."
    ),
    responses=PUT_RESPONSES,
    openapi_extra=STATEMENT_BODY,
)
async def put_statement(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    version: XapiVersion,
    statement_id: StatementId,
) -> Response:
    require_version(version)
    if not xapi.is_uuid(statement_id):
        raise ValidationFailed(
            [FieldError.for_parameter("statementId", "query", "uuid", "statementId is a UUID")]
        )
    stored = await service.store_statements(
        session,
        principal,
        await _body(request),
        home_page=_home_page(request),
        put_id=statement_id,
    )
    through = stored.at or await service.consistent_through(session)
    return Response(
        status_code=204,
        headers={**VERSION_HEADERS, CONSISTENT_THROUGH: _iso(through)},
    )


def _parameter_error(name: str, rule: str, message: str) -> ValidationFailed:
    return ValidationFailed([FieldError.for_parameter(name, "query", rule, message)])


def _uuid(name: str, value: str | None) -> uuid.UUID | None:
    if value is None:
        return None
    if not xapi.is_uuid(value):
        raise _parameter_error(name, "uuid", f"{name} is a UUID")
    return uuid.UUID(value)


def _moment(name: str, value: str | None) -> datetime | None:
    if value is None:
        return None
    moment = xapi.parse_timestamp(value)
    if moment is None:
        raise _parameter_error(name, "timestamp", f"{name} is an ISO 8601 timestamp")
    return moment


def _ids_format(statement: dict[str, Any]) -> dict[str, Any]:
    """``format=ids``: agents, groups, activities and verbs reduced to what identifies them (an
    Activity to its ``id``: its ``objectType`` is the default, not needed to identify it)."""

    def agent(value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        kept = {k: value[k] for k in ("objectType", *xapi.IFIS) if k in value}
        if value.get("objectType") == "Group" and not any(k in value for k in xapi.IFIS):
            kept["member"] = [agent(m) for m in value.get("member", [])]
        return kept

    def target(value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        kind = value.get("objectType", "Activity")
        if kind == "Activity":
            return {"id": value.get("id")}
        if kind in ("Agent", "Group"):
            return agent(value)
        if kind == "SubStatement":
            return _ids_format(value)
        return value

    out = dict(statement)
    if "actor" in out:
        out["actor"] = agent(out["actor"])
    if isinstance(out.get("verb"), dict):
        out["verb"] = {"id": out["verb"].get("id")}
    if "object" in out:
        out["object"] = target(out["object"])
    if "authority" in out:
        out["authority"] = agent(out["authority"])
    context = out.get("context")
    if isinstance(context, dict):
        context = dict(context)
        for key in ("instructor", "team"):
            if key in context:
                context[key] = agent(context[key])
        activities = context.get("contextActivities")
        if isinstance(activities, dict):
            context["contextActivities"] = {
                k: [target(a) for a in v] if isinstance(v, list) else target(v)
                for k, v in activities.items()
            }
        out["context"] = context
    return out


def _served(text: str, form: str, ranges: Sequence[tuple[str, float]] = ()) -> bytes:
    if form == "exact":
        return text.encode()
    try:
        statement = orjson.loads(text)
    except orjson.JSONDecodeError:  # integers beyond 64 bits
        statement = json.loads(text)
    if form == "canonical":
        return xapi.dump_json(xapi.canonical(statement, ranges))
    return xapi.dump_json(_ids_format(statement))


def _answer(content: bytes, attachments: bool, headers: dict[str, str]) -> Response:
    """JSON, or with ``attachments=true`` the multipart/mixed form the specification requires
    (its first part the JSON; this LRS keeps no attachment data, only ``fileUrl``s)."""
    if not attachments:
        return Response(content, media_type="application/json", headers=headers)
    boundary = uuid.uuid4().hex
    body = (
        f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return Response(body, media_type=f"multipart/mixed; boundary={boundary}", headers=headers)


Format = Literal["ids", "exact", "canonical"]


@router.head(
    "/statements",
    response_model=XapiStatementResult | XapiStatementDoc,
    summary="Headers of one statement, or of a page of statements",
    description=(
        "What `GET /xapi/statements` answers with the same parameters (status, "
        "`X-Experience-API-Consistent-Through`, `Last-Modified`, `Content-Length`), without the "
        "body, as the specification requires wherever GET is supported."
    ),
    responses=ERRORS,
)
@router.get(
    "/statements",
    response_model=XapiStatementResult | XapiStatementDoc,
    summary="One statement, or a page of statements by query",
    description=(
        "With `statementId` (or `voidedStatementId`): that statement (a voided one only by "
        "`voidedStatementId`). Otherwise a page of statements, newest stored first (or "
        "`ascending`), voided ones left out, with `more`: the path of the next page, which "
        "neither skips nor repeats a statement while others are stored."
    ),
    responses=ERRORS,
)
async def get_statements(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    version: XapiVersion,
    statement_id: Annotated[str | None, Query(alias="statementId")] = None,
    voided_statement_id: Annotated[str | None, Query(alias="voidedStatementId")] = None,
    agent: Annotated[str | None, Query(description="an Agent or identified Group as JSON")] = None,
    verb: Annotated[str | None, Query(description="a verb id (IRI)")] = None,
    activity: Annotated[str | None, Query(description="an activity id (IRI)")] = None,
    registration: Annotated[str | None, Query(description="a registration (UUID)")] = None,
    related_activities: bool = False,
    related_agents: bool = False,
    since: Annotated[str | None, Query(description="stored after (ISO 8601)")] = None,
    until: Annotated[str | None, Query(description="stored at or before (ISO 8601)")] = None,
    limit: Annotated[
        int, Query(ge=0, le=2_147_483_647, description="0: the most the LRS sends (500)")
    ] = 0,
    format: Format = "exact",
    attachments: bool = False,
    ascending: bool = False,
    cursor: Annotated[str | None, Query(description="where `more` goes on")] = None,
    accept_language: Annotated[
        str | None,
        Header(
            max_length=500,
            description="with `format=canonical`: the language kept in each language map",
        ),
    ] = None,
) -> Response:
    require_version(version)
    names = set(request.query_params)
    headers = dict(VERSION_HEADERS)
    ranges = xapi.language_ranges(accept_language) if format == "canonical" else []
    if format == "canonical":
        headers["Vary"] = "Accept-Language"
    if statement_id is not None or voided_statement_id is not None:
        if statement_id is not None and voided_statement_id is not None:
            raise BadRequest("send statementId or voidedStatementId, not both")
        extra = names - SINGLE_PARAMETERS
        if extra:
            raise BadRequest(
                f"with statementId or voidedStatementId only format and attachments may be"
                f" sent, not {sorted(extra)}"
            )
        voided = voided_statement_id is not None
        name = "voidedStatementId" if voided else "statementId"
        wanted = _uuid(name, voided_statement_id if voided else statement_id)
        assert wanted is not None
        through = await service.consistent_through(session)
        row = await service.read_one(session, principal, wanted, voided=voided)
        headers[CONSISTENT_THROUGH] = _iso(through)
        if row is None:
            raise NotFound(f"no statement {wanted}" + (" that is voided" if voided else ""))
        headers["Last-Modified"] = http_date(row.stored)
        return _answer(_served(row.body, format, ranges), attachments, headers)
    agent_key = None
    if agent is not None:
        agent_key = xapi.parse_agent_filter(agent)
        if agent_key is None:
            raise _parameter_error("agent", "agent", "agent is an Agent or identified Group (JSON)")
    for name, value in (("verb", verb), ("activity", activity)):
        if value is not None and not xapi.is_iri(value):
            raise _parameter_error(name, "iri", f"{name} is an IRI")
    after = None
    position = decode_cursor(cursor, s=str, i=str)
    if position is not None:
        moment = xapi.parse_timestamp(position["s"])
        if moment is None or not xapi.is_uuid(position["i"]):
            raise _parameter_error("cursor", "cursor", "the cursor is not one this LRS issued")
        after = (moment, uuid.UUID(position["i"]))
    query = StatementQuery(
        agent=agent_key,
        related_agents=related_agents,
        verb=verb,
        activity=activity,
        related_activities=related_activities,
        registration=_uuid("registration", registration),
        since=_moment("since", since),
        until=_moment("until", until),
        ascending=ascending,
        after=after,
    )
    through = await service.consistent_through(session)
    found = await service.query(session, principal, query, limit)
    more = ""
    if found.more is not None:
        kept = [(k, v) for k, v in request.query_params.multi_items() if k != "cursor"]
        stored, last = found.more
        kept.append(("cursor", encode_cursor({"s": stored.isoformat(), "i": str(last)})))
        more = f"{ROOT}/statements?{urlencode(kept)}"
    content = (
        b'{"statements":['
        + b",".join(_served(r.body, format, ranges) for r in found.rows)
        + b'],"more":'
        + orjson.dumps(more)
        + b"}"
    )
    headers[CONSISTENT_THROUGH] = _iso(through)
    latest = max((r.stored for r in found.rows), default=None)
    if latest is not None:
        headers["Last-Modified"] = http_date(latest)
    return _answer(content, attachments, headers)

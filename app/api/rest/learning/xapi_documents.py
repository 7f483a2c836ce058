"""The xAPI 1.0.3 document resources under ``/xapi`` (xAPI-Communication §2.2 - 2.7): State,
Activity Profile and Agent Profile, and the Agents and Activities resources.

The Statement resource's machinery (``app/api/rest/learning/xapi.py``): the version header
required and sent, HTTP Basic or the API-key header, errors with the statuses the specification
names as problem+json. A document is any content type, kept as bytes (at most 1 MiB, else 413);
``application/json`` documents must be JSON (400) and are what POST merges.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Header, Query, Request, Response

from app.api.rest.deps import CurrentPrincipal, DbSession
from app.api.rest.inputs import read_json
from app.api.rest.learning.xapi import (
    ROOT,
    VERSION_HEADERS,
    XapiRoute,
    XapiVersion,
    http_date,
    require_version,
)
from app.api.rest.problems import problem_responses
from app.db.repositories.learning.documents import Document
from app.domain.errors import FieldError, NotFound, PayloadTooLarge, ValidationFailed
from app.domain.learning import documents as docs
from app.domain.learning import statements as xapi
from app.domain.learning.documents import MAX_DOCUMENT_BYTES, Key, Kind
from app.services.learning import documents as service
from app.services.learning.documents import Conditions

router = APIRouter(prefix=ROOT, tags=["xAPI 1.0.3"], route_class=XapiRoute)

STATE = "/activities/state"
ACTIVITY_PROFILE = "/activities/profile"
AGENT_PROFILE = "/agents/profile"

ERRORS = problem_responses(400, 401, 403, 429)
WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {
    204: {"description": "Stored"},
    **problem_responses(400, 401, 403, 409, 412, 413, 429),
}
DELETE_RESPONSES: dict[int | str, dict[str, Any]] = {
    204: {"description": "Deleted (or there was nothing to delete)"},
    **problem_responses(400, 401, 403, 412, 429),
}
READ_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": (
            "The document, with the content type it was stored with, its `ETag` and"
            " `Last-Modified`; without the document's id, the array of ids"
        ),
        "content": {
            "application/json": {"schema": {}},
            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
        },
    },
    **problem_responses(400, 401, 403, 404, 429),
}
DOCUMENT_BODY = {
    "requestBody": {
        "required": True,
        "description": (
            f"The document, any content type, at most {MAX_DOCUMENT_BYTES} bytes;"
            " `application/json` must be JSON"
        ),
        "content": {
            "application/json": {"schema": {}},
            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
        },
    }
}

ActivityId = Annotated[str, Query(alias="activityId", description="the activity's id (an IRI)")]
Agent = Annotated[str, Query(description="an Agent as JSON (exactly one identifier)")]
Registration = Annotated[
    str | None, Query(description="the registration (a UUID) the state belongs to")
]
StateId = Annotated[str | None, Query(alias="stateId", description="the state document's id")]
ProfileId = Annotated[str | None, Query(alias="profileId", description="the profile's id")]
OneState = Annotated[str, Query(alias="stateId", description="the state document's id")]
OneProfile = Annotated[str, Query(alias="profileId", description="the profile's id")]
Since = Annotated[
    str | None,
    Query(description="without the document's id: ids of those written after (ISO 8601)"),
]
IfMatch = Annotated[
    str | None, Header(description="the ETag the document must have (412 otherwise)")
]
IfNoneMatch = Annotated[
    str | None, Header(description="`*`: only if there is no such document (412 otherwise)")
]


def _invalid(name: str, rule: str, message: str) -> ValidationFailed:
    return ValidationFailed([FieldError.for_parameter(name, "query", rule, message)])


def _iri(name: str, value: str) -> str:
    if not xapi.is_iri(value):
        raise _invalid(name, "iri", f"{name} is an absolute IRI (scheme:...)")
    return value


def _agent(value: str) -> dict[str, Any]:
    found = docs.parse_agent(value)
    if found is None:
        raise _invalid(
            "agent",
            "agent",
            "agent is an Agent as JSON with exactly one of mbox, mbox_sha1sum, openid, account",
        )
    return found


def _registration(value: str | None) -> str | None:
    if value is None:
        return None
    if not xapi.is_uuid(value):
        raise _invalid("registration", "uuid", "registration is a UUID")
    return value.lower()


def _since(value: str | None) -> datetime | None:
    if value is None:
        return None
    moment = xapi.parse_timestamp(value)
    if moment is None:
        raise _invalid("since", "timestamp", "since is an ISO 8601 timestamp")
    return moment


def _document_id(name: str, value: str | None) -> str:
    if value is None:
        raise _invalid(name, "required", f"{name} is required")
    return value


async def _content(request: Request) -> tuple[bytes, str]:
    """The document sent and its content type: at most 1 MiB; JSON if it says it is."""
    raw = await request.body()
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise PayloadTooLarge(
            f"a document is at most {MAX_DOCUMENT_BYTES} bytes; this one is {len(raw)}",
            limit=MAX_DOCUMENT_BYTES,
        )
    content_type = request.headers.get("content-type") or "application/octet-stream"
    if docs.is_json_type(content_type):
        read_json(raw)
    return raw, content_type


def _stored(updated: datetime, etag: str) -> Response:
    headers = {**VERSION_HEADERS, "Last-Modified": http_date(updated), "ETag": etag}
    return Response(status_code=204, headers=headers)


async def _store(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    key_of: Callable[[], Key],
    conditions: Conditions,
    *,
    merge: bool,
) -> Response:
    """The body is checked before the parameters: every problem of a request is a 400, and a
    body that is no JSON names its rule whatever the parameters."""
    content, content_type = await _content(request)
    updated, etag = await service.store(
        session, principal, key_of(), content, content_type, conditions, merge=merge
    )
    return _stored(updated, etag)


def _document(found: Document | None, what: str) -> Response:
    if found is None:
        raise NotFound(f"no {what}")
    return Response(
        found.content,
        headers={
            **VERSION_HEADERS,
            "Content-Type": found.content_type,
            "ETag": found.etag,
            "Last-Modified": http_date(found.updated),
        },
    )


def _ids(found: list[tuple[str, datetime]]) -> Response:
    """The ids, with ``Last-Modified``: when the newest of them was written."""
    headers = dict(VERSION_HEADERS)
    if found:
        headers["Last-Modified"] = http_date(max(updated for _, updated in found))
    return Response(
        orjson.dumps([i for i, _ in found]), media_type="application/json", headers=headers
    )


# --- State -----------------------------------------------------------------------------------


def _state_key(activity_id: str, agent: str, registration: str | None, state_id: str | None) -> Key:
    return Key(
        Kind.STATE,
        activity_id=_iri("activityId", activity_id),
        agent=docs.agent_key(_agent(agent)),
        registration=_registration(registration) or "",
        document_id=_document_id("stateId", state_id),
    )


STATE_WRITE = (
    "`If-Match` / `If-None-Match` are honoured (412); without them a state is simply written."
)


@router.put(
    STATE,
    status_code=204,
    summary="Store a state document (replacing it)",
    description="Stores the document under activity, agent, registration and stateId. "
    + STATE_WRITE,
    responses=WRITE_RESPONSES,
    openapi_extra=DOCUMENT_BODY,
)
async def put_state(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    version: XapiVersion,
    activity_id: ActivityId,
    agent: Agent,
    state_id: OneState,
    registration: Registration = None,
    if_match: IfMatch = None,
    if_none_match: IfNoneMatch = None,
) -> Response:
    require_version(version)
    return await _store(
        request,
        session,
        principal,
        lambda: _state_key(activity_id, agent, registration, state_id),
        Conditions(if_match, if_none_match),
        merge=False,
    )


@router.post(
    STATE,
    status_code=204,
    summary="Store or merge a state document",
    description=(
        "With no such document, stores it as PUT does. Otherwise both must be JSON objects"
        " (`application/json`, else 400): the sent object's top-level properties replace or"
        " join the stored one's. " + STATE_WRITE
    ),
    responses=WRITE_RESPONSES,
    openapi_extra=DOCUMENT_BODY,
)
async def post_state(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    version: XapiVersion,
    activity_id: ActivityId,
    agent: Agent,
    state_id: OneState,
    registration: Registration = None,
    if_match: IfMatch = None,
    if_none_match: IfNoneMatch = None,
) -> Response:
    require_version(version)
    return await _store(
        request,
        session,
        principal,
        lambda: _state_key(activity_id, agent, registration, state_id),
        Conditions(if_match, if_none_match),
        merge=True,
    )


@router.head(
    STATE,
    summary="Headers of a state document, or of the ids",
    description="What `GET /xapi/activities/state` answers, without the body.",
    responses=READ_RESPONSES,
)
@router.get(
    STATE,
    summary="A state document, or the ids of an activity's and agent's states",
    description=(
        "With `stateId`: the document (404 when there is none). Without: the array of the"
        " stateIds of the activity and agent (of the registration, when given; of every"
        " registration otherwise), those written after `since` when given."
    ),
    responses=READ_RESPONSES,
)
async def get_state(
    session: DbSession,
    principal: CurrentPrincipal,
    version: XapiVersion,
    activity_id: ActivityId,
    agent: Agent,
    state_id: StateId = None,
    registration: Registration = None,
    since: Since = None,
) -> Response:
    require_version(version)
    if state_id is not None:
        key = _state_key(activity_id, agent, registration, state_id)
        _since(since)  # a valid timestamp, though it does not filter one document
        return _document(await service.read(session, principal, key), f"state {state_id!r}")
    found = await service.ids(
        session,
        principal,
        Kind.STATE,
        activity_id=_iri("activityId", activity_id),
        agent=docs.agent_key(_agent(agent)),
        registration=_registration(registration),
        since=_since(since),
    )
    return _ids(found)


@router.delete(
    STATE,
    status_code=204,
    summary="Delete a state document, or all of an activity's and agent's states",
    description=(
        "With `stateId`: that document (`If-Match` honoured). Without: every state of the"
        " activity and agent (of the registration only, when given)."
    ),
    responses=DELETE_RESPONSES,
)
async def delete_state(
    session: DbSession,
    principal: CurrentPrincipal,
    version: XapiVersion,
    activity_id: ActivityId,
    agent: Agent,
    state_id: StateId = None,
    registration: Registration = None,
    if_match: IfMatch = None,
    if_none_match: IfNoneMatch = None,
) -> Response:
    require_version(version)
    if state_id is not None:
        key = _state_key(activity_id, agent, registration, state_id)
        await service.remove(session, principal, key, Conditions(if_match, if_none_match))
    else:
        await service.remove_states(
            session,
            principal,
            activity_id=_iri("activityId", activity_id),
            agent=docs.agent_key(_agent(agent)),
            registration=_registration(registration),
        )
    return Response(status_code=204, headers=VERSION_HEADERS)


# --- Activity Profile and Agent Profile ------------------------------------------------------

PROFILE_WRITE = (
    "`If-Match` / `If-None-Match` are honoured (412). A PUT sends one of them: with neither,"
    " over an existing profile 409 (read it and send its `ETag` as `If-Match`), for a new one"
    " 400 (send `If-None-Match: *`)."
)


def _activity_profile_key(activity_id: str, profile_id: str | None) -> Key:
    return Key(
        Kind.ACTIVITY_PROFILE,
        activity_id=_iri("activityId", activity_id),
        document_id=_document_id("profileId", profile_id),
    )


def _agent_profile_key(agent: str, profile_id: str | None) -> Key:
    return Key(
        Kind.AGENT_PROFILE,
        agent=docs.agent_key(_agent(agent)),
        document_id=_document_id("profileId", profile_id),
    )


@router.put(
    ACTIVITY_PROFILE,
    status_code=204,
    summary="Store an activity profile (replacing it)",
    description=PROFILE_WRITE,
    responses=WRITE_RESPONSES,
    openapi_extra=DOCUMENT_BODY,
)
async def put_activity_profile(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    version: XapiVersion,
    activity_id: ActivityId,
    profile_id: OneProfile,
    if_match: IfMatch = None,
    if_none_match: IfNoneMatch = None,
) -> Response:
    require_version(version)
    return await _store(
        request,
        session,
        principal,
        lambda: _activity_profile_key(activity_id, profile_id),
        Conditions(if_match, if_none_match),
        merge=False,
    )


@router.post(
    ACTIVITY_PROFILE,
    status_code=204,
    summary="Store or merge an activity profile",
    description=(
        "With no such profile, stores it. Otherwise both must be JSON objects (400 otherwise),"
        " merged by their top-level properties. `If-Match` / `If-None-Match` are honoured (412)."
    ),
    responses=WRITE_RESPONSES,
    openapi_extra=DOCUMENT_BODY,
)
async def post_activity_profile(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    version: XapiVersion,
    activity_id: ActivityId,
    profile_id: OneProfile,
    if_match: IfMatch = None,
    if_none_match: IfNoneMatch = None,
) -> Response:
    require_version(version)
    return await _store(
        request,
        session,
        principal,
        lambda: _activity_profile_key(activity_id, profile_id),
        Conditions(if_match, if_none_match),
        merge=True,
    )


@router.head(
    ACTIVITY_PROFILE,
    summary="Headers of an activity profile, or of the ids",
    description="What `GET /xapi/activities/profile` answers, without the body.",
    responses=READ_RESPONSES,
)
@router.get(
    ACTIVITY_PROFILE,
    summary="An activity profile, or the ids of an activity's profiles",
    description=(
        "With `profileId`: the document (404 when there is none). Without: the array of the"
        " activity's profileIds, those written after `since` when given."
    ),
    responses=READ_RESPONSES,
)
async def get_activity_profile(
    session: DbSession,
    principal: CurrentPrincipal,
    version: XapiVersion,
    activity_id: ActivityId,
    profile_id: ProfileId = None,
    since: Since = None,
) -> Response:
    require_version(version)
    if profile_id is not None:
        key = _activity_profile_key(activity_id, profile_id)
        _since(since)  # a valid timestamp, though it does not filter one document
        return _document(await service.read(session, principal, key), f"profile {profile_id!r}")
    found = await service.ids(
        session,
        principal,
        Kind.ACTIVITY_PROFILE,
        activity_id=_iri("activityId", activity_id),
        since=_since(since),
    )
    return _ids(found)


@router.delete(
    ACTIVITY_PROFILE,
    status_code=204,
    summary="Delete an activity profile",
    description="`If-Match` / `If-None-Match` are honoured (412).",
    responses=DELETE_RESPONSES,
)
async def delete_activity_profile(
    session: DbSession,
    principal: CurrentPrincipal,
    version: XapiVersion,
    activity_id: ActivityId,
    profile_id: OneProfile,
    if_match: IfMatch = None,
    if_none_match: IfNoneMatch = None,
) -> Response:
    require_version(version)
    key = _activity_profile_key(activity_id, profile_id)
    await service.remove(session, principal, key, Conditions(if_match, if_none_match))
    return Response(status_code=204, headers=VERSION_HEADERS)


@router.put(
    AGENT_PROFILE,
    status_code=204,
    summary="Store an agent profile (replacing it)",
    description=PROFILE_WRITE,
    responses=WRITE_RESPONSES,
    openapi_extra=DOCUMENT_BODY,
)
async def put_agent_profile(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    version: XapiVersion,
    agent: Agent,
    profile_id: OneProfile,
    if_match: IfMatch = None,
    if_none_match: IfNoneMatch = None,
) -> Response:
    require_version(version)
    return await _store(
        request,
        session,
        principal,
        lambda: _agent_profile_key(agent, profile_id),
        Conditions(if_match, if_none_match),
        merge=False,
    )


@router.post(
    AGENT_PROFILE,
    status_code=204,
    summary="Store or merge an agent profile",
    description=(
        "With no such profile, stores it. Otherwise both must be JSON objects (400 otherwise),"
        " merged by their top-level properties. `If-Match` / `If-None-Match` are honoured (412)."
    ),
    responses=WRITE_RESPONSES,
    openapi_extra=DOCUMENT_BODY,
)
async def post_agent_profile(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    version: XapiVersion,
    agent: Agent,
    profile_id: OneProfile,
    if_match: IfMatch = None,
    if_none_match: IfNoneMatch = None,
) -> Response:
    require_version(version)
    return await _store(
        request,
        session,
        principal,
        lambda: _agent_profile_key(agent, profile_id),
        Conditions(if_match, if_none_match),
        merge=True,
    )


@router.head(
    AGENT_PROFILE,
    summary="Headers of an agent profile, or of the ids",
    description="What `GET /xapi/agents/profile` answers, without the body.",
    responses=READ_RESPONSES,
)
@router.get(
    AGENT_PROFILE,
    summary="An agent profile, or the ids of an agent's profiles",
    description=(
        "With `profileId`: the document (404 when there is none). Without: the array of the"
        " agent's profileIds, those written after `since` when given."
    ),
    responses=READ_RESPONSES,
)
async def get_agent_profile(
    session: DbSession,
    principal: CurrentPrincipal,
    version: XapiVersion,
    agent: Agent,
    profile_id: ProfileId = None,
    since: Since = None,
) -> Response:
    require_version(version)
    if profile_id is not None:
        key = _agent_profile_key(agent, profile_id)
        _since(since)  # a valid timestamp, though it does not filter one document
        return _document(await service.read(session, principal, key), f"profile {profile_id!r}")
    found = await service.ids(
        session,
        principal,
        Kind.AGENT_PROFILE,
        agent=docs.agent_key(_agent(agent)),
        since=_since(since),
    )
    return _ids(found)


@router.delete(
    AGENT_PROFILE,
    status_code=204,
    summary="Delete an agent profile",
    description="`If-Match` / `If-None-Match` are honoured (412).",
    responses=DELETE_RESPONSES,
)
async def delete_agent_profile(
    session: DbSession,
    principal: CurrentPrincipal,
    version: XapiVersion,
    agent: Agent,
    profile_id: OneProfile,
    if_match: IfMatch = None,
    if_none_match: IfNoneMatch = None,
) -> Response:
    require_version(version)
    key = _agent_profile_key(agent, profile_id)
    await service.remove(session, principal, key, Conditions(if_match, if_none_match))
    return Response(status_code=204, headers=VERSION_HEADERS)


# --- Agents and Activities -------------------------------------------------------------------

PERSON_EXAMPLE = {
    "objectType": "Person",
    "name": ["สมชาย ใจดี"],
    "mbox": ["mailto:somchai@example.go.th"],
}


@router.head(
    "/agents",
    summary="Headers of the Person object of an agent",
    description="What `GET /xapi/agents` answers, without the body.",
    responses=ERRORS,
)
@router.get(
    "/agents",
    summary="The Person object of an agent",
    description=(
        "The agent's identifier and the names statements within the caller's reach give it,"
        " each property an array (`objectType` `Person`)."
    ),
    responses={
        200: {"content": {"application/json": {"example": PERSON_EXAMPLE}}},
        **ERRORS,
    },
)
async def get_agents(
    session: DbSession, principal: CurrentPrincipal, version: XapiVersion, agent: Agent
) -> Response:
    require_version(version)
    found = await service.person(session, principal, _agent(agent))
    return Response(xapi.dump_json(found), media_type="application/json", headers=VERSION_HEADERS)


@router.head(
    "/activities",
    summary="Headers of an Activity object",
    description="What `GET /xapi/activities` answers, without the body.",
    responses=ERRORS,
)
@router.get(
    "/activities",
    summary="The Activity object of an activity id",
    description=(
        "The activity with the definition the newest statement within the caller's reach"
        " gives it; an activity no statement defines is its `objectType` and `id` only."
    ),
    responses={
        200: {
            "content": {
                "application/json": {
                    "example": {"objectType": "Activity", "id": "https://lms.example/c/1"}
                }
            }
        },
        **ERRORS,
    },
)
async def get_activities(
    session: DbSession, principal: CurrentPrincipal, version: XapiVersion, activity_id: ActivityId
) -> Response:
    require_version(version)
    found = await service.activity(session, principal, _iri("activityId", activity_id))
    return Response(xapi.dump_json(found), media_type="application/json", headers=VERSION_HEADERS)

"""xAPI 1.0.3 documents (xAPI-Communication §2.2 - 2.7): what the State, Activity Profile and
Agent Profile resources keep, the merge a POST performs, the concurrency rules (§3.1) and the
Person and Activity objects the Agents and Activities resources answer.

A document is opaque bytes with a content type; only ``application/json`` documents are merged.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import orjson

from app.domain.learning import statements as xapi

MAX_DOCUMENT_BYTES = 1024 * 1024
"""A document's size limit (1 MiB): a bookmark, a suspend state or a profile is kilobytes."""

_JSON_TYPE = re.compile(r"^\s*application/json\s*(;|$)", re.IGNORECASE)


class Kind(StrEnum):
    STATE = "state"
    ACTIVITY_PROFILE = "activity_profile"
    AGENT_PROFILE = "agent_profile"


@dataclass(frozen=True, slots=True)
class Key:
    """What names one document within a reach: absent parts are ``""``."""

    kind: Kind
    activity_id: str = ""
    agent: str = ""  # the agent's inverse functional identifier (``statements.ifi_key``)
    registration: str = ""  # a UUID in lower case
    document_id: str = ""

    def lock_name(self, reach: str) -> str:
        parts = (reach, self.kind, self.activity_id, self.agent, self.registration)
        return "xapi-document:" + orjson.dumps([*parts, self.document_id]).decode()


def parse_agent(raw: str) -> dict[str, Any] | None:
    """An ``agent`` parameter: a JSON Agent with exactly one valid identifier, else None."""
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(value, dict) or xapi.check_agent(value):
        return None
    return value


def agent_key(agent: Mapping[str, Any]) -> str:
    """How documents are filed by agent: its identifier, an e-mail domain in lower case."""
    key = xapi.ifi_key(agent)
    assert key is not None, "a valid agent has an identifier"
    return key


def is_json_type(content_type: str | None) -> bool:
    return content_type is not None and _JSON_TYPE.match(content_type) is not None


def etag(content: bytes) -> str:
    """The entity tag of a document: its SHA-1, quoted (xAPI-Communication §3.1)."""
    return '"' + hashlib.sha1(content).hexdigest() + '"'  # noqa: S324 (the spec's own hash)


def _decoded(content: bytes) -> object:
    """The standard library's reader: integers beyond 64 bits stay exact (a faster reader
    would turn them into floats)."""
    try:
        return json.loads(content.decode("utf-8"))
    except (ValueError, RecursionError):
        return None


def merged(existing: bytes, incoming: bytes) -> bytes | None:
    """POST's merge (xAPI-Communication §2.2, "JSON Procedure with Requirements"): the
    existing object's top-level properties, each one the incoming object has replaced by the
    incoming value. None when either is not a JSON object."""
    old, new = _decoded(existing), _decoded(incoming)
    if not isinstance(old, dict) or not isinstance(new, dict):
        return None
    return xapi.dump_json({**old, **new})


# --- concurrency ---------------------------------------------------------------------------


class Precondition(StrEnum):
    MET = "met"
    FAILED = "failed"  # 412
    REQUIRED = "required"  # 409: a profile is overwritten without saying which version
    MISSING = "missing"  # 400: a profile is put with neither header (the client MUST send one)


def _tags(header: str) -> list[str]:
    return [t.strip().removeprefix("W/") for t in header.split(",") if t.strip()]


def precondition(
    current: str | None,
    if_match: str | None,
    if_none_match: str | None,
    *,
    put_needs_one: bool = False,
) -> Precondition:
    """Whether a write may go ahead on a document whose entity tag is ``current`` (None: there
    is none), by ``If-Match`` and ``If-None-Match`` (RFC 9110 §13.1.1-2). ``put_needs_one``: a
    PUT on a profile must send one of them (xAPI-Communication §3.1, "Client Requirements");
    without, it is a conflict when the profile exists (the LRS requirement), else a bad request
    (as the ADL conformance suite and reference LRS answer)."""
    if if_match is not None:
        tags = _tags(if_match)
        if current is None or not ("*" in tags or current in tags):
            return Precondition.FAILED
    if if_none_match is not None:
        tags = _tags(if_none_match)
        if current is not None and ("*" in tags or current in tags):
            return Precondition.FAILED
    if put_needs_one and if_match is None and if_none_match is None:
        return Precondition.MISSING if current is None else Precondition.REQUIRED
    return Precondition.MET


# --- the Agents and Activities resources ---------------------------------------------------


def person(agent: Mapping[str, Any], names: Sequence[str] = ()) -> dict[str, Any]:
    """The Person object of an agent (xAPI-Communication §2.4): every identifier and name known
    for it, each property an array."""
    found: dict[str, Any] = {"objectType": "Person"}
    all_names = [agent["name"]] if isinstance(agent.get("name"), str) else []
    all_names += [n for n in names if n not in all_names]
    if all_names:
        found["name"] = all_names
    for ifi in xapi.IFIS:
        if ifi in agent:
            found[ifi] = [agent[ifi]]
    return found


def _activities(statement: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    target = statement.get("object")
    if isinstance(target, dict):
        if target.get("objectType", "Activity") == "Activity":
            yield target
        elif target.get("objectType") == "SubStatement":
            yield from _activities(target)
    context = statement.get("context")
    if isinstance(context, dict) and isinstance(context.get("contextActivities"), dict):
        for listed in context["contextActivities"].values():
            for one in listed if isinstance(listed, list) else [listed]:
                if isinstance(one, dict):
                    yield one


def activity(activity_id: str, statements: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The Activity object of ``activity_id`` (xAPI-Communication §2.5): the definition the
    newest of ``statements`` (newest first) gives it, else none."""
    for statement in statements:
        for one in _activities(statement):
            definition = one.get("definition")
            if one.get("id") == activity_id and isinstance(definition, dict) and definition:
                return {"objectType": "Activity", "id": activity_id, "definition": definition}
    return {"objectType": "Activity", "id": activity_id}

"""xAPI 1.0.3 statements: the validation an LRS applies (xAPI-Data §2.4), the comparison of two
statements with one id (§2.3.1, "Statement Comparison Requirements"), and what the LRS derives
from a statement to find it again (the actor's inverse functional identifier, the agents and
activities it relates to, voiding).

Hand-written: no maintained Python library validates statements as an LRS must (``tincan`` is a
client library, last released 2020, that accepts what the conformance suite refuses; the
community JSON schemas cannot express "exactly one identifier" or the context rules with useful
messages). Every problem is a :class:`FieldError` whose pointer names the member at fault and
whose rule is stable (``docs/xapi.md`` lists them).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

import orjson

from app.domain.errors import FieldError, escape_pointer

VOIDED = "http://adlnet.gov/expapi/verbs/voided"
VERSION_HEADER = "X-Experience-API-Version"
LRS_VERSION = "1.0.3"
_VERSION = re.compile(r"^1\.0(\.\d+)?$")

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
# An absolute IRI: a scheme, a colon, then no whitespace or control character.
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s\x00-\x1f\x7f<>\"{}|\\^`]+$")
_MAILTO = re.compile(r"^mailto:[^@\s:/]+@[^@\s/]+\.[^@\s/]+$|^mailto:[^@\s:/]+@[^@\s/.]+$")
_SHA1 = re.compile(r"^[0-9a-fA-F]{40}$")
# RFC 5646 language tag (well-formed, not checked against the registry).
_LANGUAGE = re.compile(
    r"^(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})"
    r"(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|\d{3}))?"
    r"(?:-(?:[A-Za-z\d]{5,8}|\d[A-Za-z\d]{3}))*"
    r"(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z\d]{2,8})+)*(?:-[xX](?:-[A-Za-z\d]{1,8})+)?$"
    r"|^[xX](?:-[A-Za-z\d]{1,8})+$|^i-[A-Za-z]{1,8}$"
)
_TIMESTAMP = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}(?::?\d{2})?)?$"
)
_DURATION = re.compile(
    r"^P(?!$)(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?"
    r"(?:T(?=\d)(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)

IFIS = ("mbox", "mbox_sha1sum", "openid", "account")
STATEMENT_KEYS = frozenset(
    {"id", "actor", "verb", "object", "result", "context", "timestamp", "stored", "authority"}
    | {"version", "attachments"}
)
SUB_STATEMENT_KEYS = frozenset(
    {"objectType", "actor", "verb", "object", "result", "context", "timestamp", "attachments"}
)
INTERACTION_TYPES = frozenset(
    {"true-false", "choice", "fill-in", "long-fill-in", "matching", "performance", "sequencing"}
    | {"likert", "numeric", "other"}
)
COMPONENT_LISTS = ("choices", "scale", "source", "target", "steps")
CONTEXT_ACTIVITY_KEYS = ("parent", "grouping", "category", "other")
# The properties each object may have (built once: the checker runs per statement).
_AGENT_KEYS = frozenset({"objectType", "name", *IFIS})
_GROUP_KEYS = _AGENT_KEYS | {"member"}
_ACCOUNT_KEYS = frozenset({"homePage", "name"})
_VERB_KEYS = frozenset({"id", "display"})
_ACTIVITY_KEYS = frozenset({"objectType", "id", "definition"})
_DEFINITION_KEYS = frozenset(
    {"name", "description", "type", "moreInfo", "extensions", "interactionType"}
    | {"correctResponsesPattern", *COMPONENT_LISTS}
)
_COMPONENT_KEYS = frozenset({"id", "description"})
_CONTEXT_ACTIVITY_SET = frozenset(CONTEXT_ACTIVITY_KEYS)
_REF_KEYS = frozenset({"objectType", "id"})
_RESULT_KEYS = frozenset({"score", "success", "completion", "response", "duration", "extensions"})
_SCORE_KEYS = frozenset({"scaled", "raw", "min", "max"})
_CONTEXT_KEYS = frozenset(
    {"registration", "instructor", "team", "contextActivities", "revision"}
    | {"platform", "language", "statement", "extensions"}
)
_ATTACHMENT_KEYS = frozenset(
    {"usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"}
)


def is_uuid(value: object) -> bool:
    return isinstance(value, str) and _UUID.match(value) is not None


def is_iri(value: object) -> bool:
    return isinstance(value, str) and _IRI.match(value) is not None


def supported_version(value: str | None) -> bool:
    """Whether an ``X-Experience-API-Version`` value is one this LRS speaks (1.0.x)."""
    return value is not None and _VERSION.match(value.strip()) is not None


def parse_timestamp(value: object) -> datetime | None:
    """An ISO 8601 timestamp as an aware datetime (no zone: UTC), or None when it is not one.
    A negative zero offset (``-00:00``, "offset unknown" in RFC 3339) is refused (xAPI-Data
    §4.5)."""
    return _parse_timestamp(value) if isinstance(value, str) else None


@lru_cache(maxsize=4096)
def _parse_timestamp(value: str) -> datetime | None:
    # Cached: a statement's timestamp is read when it is validated and again when it is
    # compared, and a batch often shares its timestamps.
    match = _TIMESTAMP.match(value)
    if match is None:
        return None
    zone = match.group(8)
    if zone is not None and zone.startswith("-") and set(zone[1:]) <= {"0", ":"}:
        return None
    fraction = (match.group(7) or ".0")[1:7].ljust(6, "0")
    try:
        year, month, day, hour, minute, second = (int(match.group(i)) for i in range(1, 7))
        moment = datetime(year, month, day, hour, minute, second, int(fraction), tzinfo=UTC)
    except ValueError:
        return None
    if zone and zone != "Z":
        digits = zone[1:].replace(":", "")
        offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
        if offset >= timedelta(hours=24):
            return None
        moment -= offset if zone[0] == "+" else -offset
    return moment


def duration_hours(value: object) -> Decimal | None:
    """An ISO 8601 duration in hours (days 24 h, weeks 7 days; years and months are refused:
    their length is not fixed), or None when it is not such a duration."""
    match = _duration(value)
    if match is None or match.group(1) or match.group(2):
        return None
    weeks, days, hours, minutes, seconds = (Decimal(g or 0) for g in match.groups()[2:])
    return weeks * 168 + days * 24 + hours + minutes / 60 + seconds / 3600


def is_duration(value: object) -> bool:
    return _duration(value) is not None


def _duration(value: object) -> re.Match[str] | None:
    """ISO 8601:2004 §4.4.3.2: weeks stand alone (``P2W``); ``P4W1D`` is not a duration."""
    if not isinstance(value, str):
        return None
    match = _DURATION.match(value)
    if match is not None and match.group(3) and any(match.group(i) for i in (1, 2, 4, 5, 6, 7)):
        return None
    return match


# --- validation -----------------------------------------------------------------------------


def _finite(value: object) -> bool:
    """Whether every number within ``value`` is finite (no pointers built: the common case)."""
    items: Iterable[object]
    if isinstance(value, dict):
        items = value.values()
    elif isinstance(value, list):
        items = value
    else:
        return not isinstance(value, float) or math.isfinite(value)
    for item in items:  # noqa: SIM110 (a loop: all() over a generator is twice as slow here)
        if type(item) not in _LEAVES and not _finite(item):
            return False
    return True


_LEAVES = frozenset({str, int, bool, type(None)})


class _Checker:
    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, pointer: str, rule: str, message: str) -> None:
        self.errors.append(FieldError(pointer, rule, message))

    def obj(self, value: object, pointer: str, what: str) -> Mapping[str, Any] | None:
        if not isinstance(value, dict):
            self.add(pointer, "type", f"{what} must be a JSON object")
            return None
        return value

    def keys(self, value: Mapping[str, Any], allowed: frozenset[str] | set[str], p: str) -> None:
        if value.keys() <= allowed:
            return
        for key in value:
            if key not in allowed:
                self.add(
                    f"{p}/{escape_pointer(key)}", "unknown-property", f"{key!r} is not allowed here"
                )

    def numbers(self, value: object, pointer: str) -> None:
        """JSON has no NaN or infinity (a lenient reader lets them through)."""
        if _finite(value):
            return
        self._non_finite(value, pointer)

    def _non_finite(self, value: object, pointer: str) -> None:
        if isinstance(value, float) and not math.isfinite(value):
            self.add(pointer, "number", "not a JSON number (NaN or infinite)")
        elif isinstance(value, dict):
            for key, item in value.items():
                self._non_finite(item, f"{pointer}/{escape_pointer(key)}")
        elif isinstance(value, list):
            for i, item in enumerate(value):
                self._non_finite(item, f"{pointer}/{i}")

    def string(self, value: object, pointer: str) -> None:
        if not isinstance(value, str):
            self.add(pointer, "type", "must be a string")

    def boolean(self, value: object, pointer: str) -> None:
        if not isinstance(value, bool):
            self.add(pointer, "type", "must be true or false")

    def iri(self, value: object, pointer: str) -> None:
        if not is_iri(value):
            self.add(pointer, "iri", "must be an absolute IRI (scheme:...)")

    def uuid(self, value: object, pointer: str) -> None:
        if not is_uuid(value):
            self.add(pointer, "uuid", "must be a UUID (8-4-4-4-12 hexadecimal digits)")

    def timestamp(self, value: object, pointer: str) -> None:
        if parse_timestamp(value) is None:
            self.add(pointer, "timestamp", "must be an ISO 8601 timestamp (offset not -00:00)")

    def language_map(self, value: object, pointer: str) -> None:
        found = self.obj(value, pointer, "a language map")
        if found is None:
            return
        for tag, text in found.items():
            if _LANGUAGE.match(tag) is None:
                self.add(
                    f"{pointer}/{escape_pointer(tag)}",
                    "language-tag",
                    f"{tag!r} is not an RFC 5646 language tag",
                )
            if not isinstance(text, str):
                self.add(
                    f"{pointer}/{escape_pointer(tag)}",
                    "type",
                    "a language map's values are strings",
                )

    def extensions(self, value: object, pointer: str) -> None:
        found = self.obj(value, pointer, "extensions")
        if found is None:
            return
        for key in found:
            if not is_iri(key):
                self.add(f"{pointer}/{escape_pointer(key)}", "iri", "an extension key is an IRI")

    # -- agents and groups

    def ifi(self, value: Mapping[str, Any], pointer: str, *, required: bool) -> int:
        present = [k for k in IFIS if k in value]
        if len(present) > 1:
            self.add(pointer, "one-identifier", f"exactly one identifier, not {present}")
        elif not present and required:
            self.add(pointer, "one-identifier", f"an agent needs exactly one of {list(IFIS)}")
        if "mbox" in value and (
            not isinstance(value["mbox"], str) or _MAILTO.match(value["mbox"]) is None
        ):
            self.add(f"{pointer}/mbox", "mbox", "mbox is 'mailto:' and an e-mail address")
        if "mbox_sha1sum" in value and (
            not isinstance(value["mbox_sha1sum"], str) or not _SHA1.match(value["mbox_sha1sum"])
        ):
            self.add(f"{pointer}/mbox_sha1sum", "sha1", "mbox_sha1sum is 40 hexadecimal digits")
        if "openid" in value:
            self.iri(value["openid"], f"{pointer}/openid")
        if "account" in value:
            account = self.obj(value["account"], f"{pointer}/account", "an account")
            if account is not None:
                self.keys(account, _ACCOUNT_KEYS, f"{pointer}/account")
                if "homePage" not in account:
                    self.add(f"{pointer}/account", "required", "an account needs a homePage")
                else:
                    self.iri(account["homePage"], f"{pointer}/account/homePage")
                if "name" not in account:
                    self.add(f"{pointer}/account", "required", "an account needs a name")
                else:
                    self.string(account["name"], f"{pointer}/account/name")
        return len(present)

    def agent(self, value: object, pointer: str) -> None:
        found = self.obj(value, pointer, "an agent")
        if found is None:
            return
        self.keys(found, _AGENT_KEYS, pointer)
        if found.get("objectType", "Agent") != "Agent":
            self.add(f"{pointer}/objectType", "object-type", "must be 'Agent'")
        if "name" in found:
            self.string(found["name"], f"{pointer}/name")
        self.ifi(found, pointer, required=True)

    def actor(self, value: object, pointer: str) -> None:
        found = self.obj(value, pointer, "an actor")
        if found is None:
            return
        if found.get("objectType") == "Group":
            self.group(found, pointer)
        else:
            self.agent(found, pointer)

    def group(self, found: Mapping[str, Any], pointer: str) -> None:
        self.keys(found, _GROUP_KEYS, pointer)
        if "name" in found:
            self.string(found["name"], f"{pointer}/name")
        identified = self.ifi(found, pointer, required=False)
        member = found.get("member")
        if member is None:
            if not identified:
                self.add(pointer, "group-members", "an anonymous group needs a member list")
            return
        if not isinstance(member, list):
            self.add(f"{pointer}/member", "type", "member is an array of agents")
            return
        if not identified and not member:
            self.add(f"{pointer}/member", "group-members", "an anonymous group needs members")
        for i, one in enumerate(member):
            at = f"{pointer}/member/{i}"
            if isinstance(one, dict) and one.get("objectType") == "Group":
                self.add(at, "object-type", "a group's members are agents, not groups")
            else:
                self.agent(one, at)

    def authority(self, value: object, pointer: str) -> None:
        """xAPI-Data §2.4.9: an Agent, or the anonymous Group of an OAuth consumer and a user
        (exactly two Agents)."""
        found = self.obj(value, pointer, "an authority")
        if found is None:
            return
        if found.get("objectType") != "Group":
            self.agent(found, pointer)
            return
        self.group(found, pointer)
        member = found.get("member")
        if any(k in found for k in IFIS) or not isinstance(member, list) or len(member) != 2:
            self.add(
                pointer,
                "authority-group",
                "an authority that is a Group is anonymous, with exactly two agents",
            )

    # -- verb, objects

    def verb(self, value: object, pointer: str) -> None:
        found = self.obj(value, pointer, "a verb")
        if found is None:
            return
        self.keys(found, _VERB_KEYS, pointer)
        if "id" not in found:
            self.add(pointer, "required", "a verb needs an id")
        else:
            self.iri(found["id"], f"{pointer}/id")
        if "display" in found:
            self.language_map(found["display"], f"{pointer}/display")

    def activity(self, found: Mapping[str, Any], pointer: str) -> None:
        self.keys(found, _ACTIVITY_KEYS, pointer)
        if "id" not in found:
            self.add(pointer, "required", "an activity needs an id")
        else:
            self.iri(found["id"], f"{pointer}/id")
        if "definition" in found:
            self.definition(found["definition"], f"{pointer}/definition")

    def definition(self, value: object, pointer: str) -> None:
        found = self.obj(value, pointer, "an activity definition")
        if found is None:
            return
        self.keys(found, _DEFINITION_KEYS, pointer)
        for key in ("name", "description"):
            if key in found:
                self.language_map(found[key], f"{pointer}/{key}")
        for key in ("type", "moreInfo"):
            if key in found:
                self.iri(found[key], f"{pointer}/{key}")
        if "extensions" in found:
            self.extensions(found["extensions"], f"{pointer}/extensions")
        kind = found.get("interactionType")
        if "interactionType" in found and (
            not isinstance(kind, str) or kind not in INTERACTION_TYPES
        ):
            self.add(f"{pointer}/interactionType", "enum", f"one of {sorted(INTERACTION_TYPES)}")
        if "correctResponsesPattern" in found:
            pattern = found["correctResponsesPattern"]
            if kind is None:
                self.add(pointer, "interaction", "correctResponsesPattern needs interactionType")
            if not isinstance(pattern, list) or not all(isinstance(x, str) for x in pattern):
                self.add(f"{pointer}/correctResponsesPattern", "type", "an array of strings")
        for key in COMPONENT_LISTS:
            if key not in found:
                continue
            at = f"{pointer}/{key}"
            if kind is None:
                self.add(pointer, "interaction", f"{key} needs interactionType")
            components = found[key]
            if not isinstance(components, list):
                self.add(at, "type", "an array of interaction components")
                continue
            ids: set[str] = set()
            for i, component in enumerate(components):
                part = self.obj(component, f"{at}/{i}", "an interaction component")
                if part is None:
                    continue
                self.keys(part, _COMPONENT_KEYS, f"{at}/{i}")
                if not isinstance(part.get("id"), str):
                    self.add(f"{at}/{i}", "required", "an interaction component needs an id")
                elif part["id"] in ids:
                    self.add(f"{at}/{i}/id", "unique", "interaction component ids are unique")
                else:
                    ids.add(part["id"])
                if "description" in part:
                    self.language_map(part["description"], f"{at}/{i}/description")

    def statement_ref(self, found: Mapping[str, Any], pointer: str) -> None:
        self.keys(found, _REF_KEYS, pointer)
        self.uuid(found.get("id"), f"{pointer}/id")

    def target(self, value: object, pointer: str, *, sub: bool) -> None:
        found = self.obj(value, pointer, "an object")
        if found is None:
            return
        kind = found.get("objectType", "Activity")
        if kind == "Activity":
            self.activity(found, pointer)
        elif kind == "Agent":
            self.agent(found, pointer)
        elif kind == "Group":
            self.group(found, pointer)
        elif kind == "StatementRef":
            self.statement_ref(found, pointer)
        elif kind == "SubStatement" and not sub:
            self.sub_statement(found, pointer)
        elif kind == "SubStatement":
            self.add(
                f"{pointer}/objectType", "nested-substatement", "a SubStatement cannot nest one"
            )
        else:
            self.add(f"{pointer}/objectType", "object-type", f"unknown objectType {kind!r}")

    def sub_statement(self, found: Mapping[str, Any], pointer: str) -> None:
        self.keys(found, SUB_STATEMENT_KEYS, pointer)
        self.body(found, pointer, sub=True)

    # -- result, context, attachments

    def result(self, value: object, pointer: str) -> None:
        found = self.obj(value, pointer, "a result")
        if found is None:
            return
        self.keys(found, _RESULT_KEYS, pointer)
        for key in ("success", "completion"):
            if key in found:
                self.boolean(found[key], f"{pointer}/{key}")
        if "response" in found:
            self.string(found["response"], f"{pointer}/response")
        if "duration" in found and not is_duration(found["duration"]):
            self.add(f"{pointer}/duration", "duration", "an ISO 8601 duration (e.g. PT1H30M)")
        if "extensions" in found:
            self.extensions(found["extensions"], f"{pointer}/extensions")
        if "score" in found:
            self.score(found["score"], f"{pointer}/score")

    def score(self, value: object, pointer: str) -> None:
        found = self.obj(value, pointer, "a score")
        if found is None:
            return
        self.keys(found, _SCORE_KEYS, pointer)
        numbers: dict[str, float] = {}
        for key in ("scaled", "raw", "min", "max"):
            if key not in found:
                continue
            number = found[key]
            if isinstance(number, bool) or not isinstance(number, int | float):
                self.add(f"{pointer}/{key}", "type", "must be a number")
            else:
                numbers[key] = float(number)
        scaled = numbers.get("scaled")
        if scaled is not None and not -1 <= scaled <= 1:
            self.add(f"{pointer}/scaled", "range", "scaled lies between -1 and 1")
        low, high, raw = numbers.get("min"), numbers.get("max"), numbers.get("raw")
        if low is not None and high is not None and not low < high:
            self.add(f"{pointer}/min", "range", "min is below max")
        if raw is not None and low is not None and raw < low:
            self.add(f"{pointer}/raw", "range", "raw is at least min")
        if raw is not None and high is not None and raw > high:
            self.add(f"{pointer}/raw", "range", "raw is at most max")

    def context(self, value: object, pointer: str, object_kind: str) -> None:
        found = self.obj(value, pointer, "a context")
        if found is None:
            return
        self.keys(found, _CONTEXT_KEYS, pointer)
        if "registration" in found:
            self.uuid(found["registration"], f"{pointer}/registration")
        if "instructor" in found:
            self.actor(found["instructor"], f"{pointer}/instructor")
        if "team" in found:
            team = self.obj(found["team"], f"{pointer}/team", "a team")
            if team is not None:
                if team.get("objectType") != "Group":
                    self.add(f"{pointer}/team/objectType", "object-type", "a team is a Group")
                self.group(team, f"{pointer}/team")
        for key in ("revision", "platform"):
            if key in found:
                self.string(found[key], f"{pointer}/{key}")
                if object_kind != "Activity":
                    self.add(
                        f"{pointer}/{key}",
                        "context-activity-only",
                        f"{key} is only for an activity object",
                    )
        if "language" in found and (
            not isinstance(found["language"], str) or _LANGUAGE.match(found["language"]) is None
        ):
            self.add(f"{pointer}/language", "language-tag", "an RFC 5646 language tag")
        if "statement" in found:
            ref = self.obj(found["statement"], f"{pointer}/statement", "a StatementRef")
            if ref is not None:
                if ref.get("objectType") != "StatementRef":
                    self.add(
                        f"{pointer}/statement/objectType", "object-type", "must be 'StatementRef'"
                    )
                self.statement_ref(ref, f"{pointer}/statement")
        if "extensions" in found:
            self.extensions(found["extensions"], f"{pointer}/extensions")
        if "contextActivities" in found:
            at = f"{pointer}/contextActivities"
            activities = self.obj(found["contextActivities"], at, "contextActivities")
            if activities is not None:
                self.keys(activities, _CONTEXT_ACTIVITY_SET, at)
                for key, listed in activities.items():
                    if key not in CONTEXT_ACTIVITY_KEYS:
                        continue
                    items: list[object] = listed if isinstance(listed, list) else [listed]
                    for i, one in enumerate(items):
                        where = f"{at}/{key}/{i}" if isinstance(listed, list) else f"{at}/{key}"
                        item = self.obj(one, where, "an activity")
                        if item is None:
                            continue
                        if item.get("objectType", "Activity") != "Activity":
                            self.add(f"{where}/objectType", "object-type", "must be 'Activity'")
                        self.activity(item, where)

    def attachments(self, value: object, pointer: str) -> None:
        if not isinstance(value, list):
            self.add(pointer, "type", "attachments is an array")
            return
        for i, one in enumerate(value):
            at = f"{pointer}/{i}"
            found = self.obj(one, at, "an attachment")
            if found is None:
                continue
            self.keys(found, _ATTACHMENT_KEYS, at)
            for key in ("usageType", "display", "contentType", "length", "sha2"):
                if key not in found:
                    self.add(at, "required", f"an attachment needs {key}")
            if "usageType" in found:
                self.iri(found["usageType"], f"{at}/usageType")
            for key in ("display", "description"):
                if key in found:
                    self.language_map(found[key], f"{at}/{key}")
            if "contentType" in found:
                self.string(found["contentType"], f"{at}/contentType")
            length = found.get("length")
            if "length" in found and (
                isinstance(length, bool) or not isinstance(length, int) or length < 0
            ):
                self.add(f"{at}/length", "type", "length is a non-negative integer")
            if "sha2" in found:
                self.string(found["sha2"], f"{at}/sha2")
            if "fileUrl" in found:
                self.iri(found["fileUrl"], f"{at}/fileUrl")
            else:
                # This LRS takes statements as application/json only: the data must be elsewhere.
                self.add(
                    at,
                    "attachment-data",
                    "send fileUrl: attachment data (multipart/mixed) is not accepted",
                )

    def body(self, found: Mapping[str, Any], pointer: str, *, sub: bool) -> None:
        for key in ("actor", "verb", "object"):
            if key not in found:
                self.add(pointer, "required", f"a statement needs {key}")
        if "actor" in found:
            self.actor(found["actor"], f"{pointer}/actor")
        if "verb" in found:
            self.verb(found["verb"], f"{pointer}/verb")
        if "object" in found:
            self.target(found["object"], f"{pointer}/object", sub=sub)
        if "result" in found:
            self.result(found["result"], f"{pointer}/result")
        if "context" in found:
            target = found.get("object")
            kind = target.get("objectType", "Activity") if isinstance(target, dict) else "Activity"
            self.context(found["context"], f"{pointer}/context", kind)
        if "timestamp" in found:
            self.timestamp(found["timestamp"], f"{pointer}/timestamp")
        if "attachments" in found:
            self.attachments(found["attachments"], f"{pointer}/attachments")


def check_statement(value: object, pointer: str = "", *, finite: bool = False) -> list[FieldError]:
    """Every problem of one statement (empty when it is valid). ``finite``: the statement was
    decoded by a strict JSON reader, which admits no NaN or infinity (its numbers need no
    walk)."""
    checker = _Checker()
    found = checker.obj(value, pointer, "a statement")
    if found is None:
        return checker.errors
    checker.keys(found, STATEMENT_KEYS, pointer)
    if not finite:
        checker.numbers(found, pointer)
    if "id" in found:
        checker.uuid(found["id"], f"{pointer}/id")
    checker.body(found, pointer, sub=False)
    if "stored" in found:
        checker.timestamp(found["stored"], f"{pointer}/stored")
    if "authority" in found:
        checker.authority(found["authority"], f"{pointer}/authority")
    if "version" in found and (
        not isinstance(found["version"], str) or not _VERSION.match(found["version"])
    ):
        checker.add(f"{pointer}/version", "version", "version is 1.0.x")
    verb = found.get("verb")
    target = found.get("object")
    if (
        isinstance(verb, dict)
        and verb.get("id") == VOIDED
        and not (isinstance(target, dict) and target.get("objectType") == "StatementRef")
    ):
        checker.add(
            f"{pointer}/object", "voiding-target", "a voiding statement's object is a StatementRef"
        )
    return checker.errors


# --- identifiers and comparison ---------------------------------------------------------------


def lower_mbox(mbox: str) -> str:
    """``mailto:`` and the domain in lower case (the domain is case-insensitive)."""
    local, _, domain = mbox[len("mailto:") :].rpartition("@")
    return f"mailto:{local}@{domain.lower()}"


def ifi_key(agent: Mapping[str, Any]) -> str | None:
    """One text per inverse functional identifier, for equality and indexing:
    ``mbox:mailto:…``, ``sha1:…``, ``openid:…``, ``account:<homePage> <name>``."""
    if isinstance(agent.get("mbox"), str):
        return "mbox:" + lower_mbox(agent["mbox"])
    if isinstance(agent.get("mbox_sha1sum"), str):
        return "sha1:" + str(agent["mbox_sha1sum"]).lower()
    if isinstance(agent.get("openid"), str):
        return "openid:" + str(agent["openid"])
    account = agent.get("account")
    if isinstance(account, dict):
        return f"account:{account.get('homePage')} {account.get('name')}"
    return None


def mbox_sha1(mbox: str) -> str:
    """The ``mbox_sha1sum`` of an ``mbox`` (SHA-1 of the whole IRI, ``mailto:`` included)."""
    return hashlib.sha1(mbox.encode()).hexdigest()  # noqa: S324 (the spec's own hash)


def _agents(value: object) -> Iterator[Mapping[str, Any]]:
    if isinstance(value, dict):
        yield value
        for member in value.get("member") or ():
            if isinstance(member, dict):
                yield member


def actor_keys(statement: Mapping[str, Any]) -> list[str]:
    """The identifiers an ``agent`` filter matches: the actor, or a group's members, and an
    Agent or Group object."""
    keys: list[str] = []
    for agent in _agents(statement.get("actor")):
        key = ifi_key(agent)
        if key:
            keys.append(key)
    target = statement.get("object")
    if isinstance(target, dict) and target.get("objectType") in ("Agent", "Group"):
        keys.extend(k for a in _agents(target) if (k := ifi_key(a)))
    return sorted(set(keys))


def related_agent_keys(statement: Mapping[str, Any]) -> list[str]:
    """What ``related_agents=true`` matches: actor, object, authority, instructor, team, and the
    same in a SubStatement."""
    return _related_agent_keys(statement, actor_keys(statement))


def _related_agent_keys(statement: Mapping[str, Any], actor: list[str]) -> list[str]:
    context = statement.get("context")
    others = (
        statement.get("authority"),
        context.get("instructor") if isinstance(context, dict) else None,
        context.get("team") if isinstance(context, dict) else None,
    )
    target = statement.get("object")
    sub = isinstance(target, dict) and target.get("objectType") == "SubStatement"
    if not sub and others == (None, None, None):
        return list(actor)  # the common case: nobody but the actor (sorted already)
    keys = set(actor)
    for value in others:
        keys.update(k for a in _agents(value) if (k := ifi_key(a)))
    if sub and isinstance(target, dict):
        keys.update(related_agent_keys(target))
    return sorted(keys)


def with_context_activity_lists(statement: Mapping[str, Any]) -> dict[str, Any]:
    """The statement with each context activity kind as an array (xAPI-Data §2.4.6.2: a single
    Activity sent as an object is returned as an array of one), in a SubStatement too."""
    out = dict(statement)
    context = out.get("context")
    if isinstance(context, dict) and isinstance(context.get("contextActivities"), dict):
        out["context"] = {
            **context,
            "contextActivities": {
                k: v if isinstance(v, list) else [v]
                for k, v in context["contextActivities"].items()
            },
        }
    target = out.get("object")
    if isinstance(target, dict) and target.get("objectType") == "SubStatement":
        out["object"] = with_context_activity_lists(target)
    return out


def object_activity(statement: Mapping[str, Any]) -> str | None:
    target = statement.get("object")
    if isinstance(target, dict) and target.get("objectType", "Activity") == "Activity":
        found = target.get("id")
        return found if isinstance(found, str) else None
    return None


def related_activity_ids(statement: Mapping[str, Any]) -> list[str]:
    """What ``related_activities=true`` matches: the object, the context activities, and the
    same in a SubStatement."""
    found = object_activity(statement)
    context = statement.get("context")
    listed_any = isinstance(context, dict) and isinstance(context.get("contextActivities"), dict)
    target = statement.get("object")
    if not listed_any and not (
        isinstance(target, dict) and target.get("objectType") == "SubStatement"
    ):
        return [found] if found else []  # the common case: the object alone
    ids: set[str] = set()
    if found:
        ids.add(found)
    if isinstance(context, dict) and isinstance(context.get("contextActivities"), dict):
        for listed in context["contextActivities"].values():
            for one in listed if isinstance(listed, list) else [listed]:
                if isinstance(one, dict) and isinstance(one.get("id"), str):
                    ids.add(one["id"])
    if isinstance(target, dict) and target.get("objectType") == "SubStatement":
        ids.update(related_activity_ids(target))
    return sorted(ids)


def voided_target(statement: Mapping[str, Any]) -> str | None:
    """The id a voiding statement voids (lower case), else None."""
    verb = statement.get("verb")
    target = statement.get("object")
    if isinstance(verb, dict) and verb.get("id") == VOIDED and isinstance(target, dict):
        found = target.get("id")
        return found.lower() if isinstance(found, str) else None
    return None


def _same_agent(value: Any) -> Any:
    """An agent or group as compared: an mbox's domain and a SHA-1 in lower case, a group's
    members in a fixed order (the list is unordered)."""
    if not isinstance(value, dict):
        return value
    out = dict(value)
    mbox = out.get("mbox")
    if isinstance(mbox, str) and mbox.startswith("mailto:"):
        out["mbox"] = lower_mbox(mbox)
    if isinstance(out.get("mbox_sha1sum"), str):
        out["mbox_sha1sum"] = out["mbox_sha1sum"].lower()
    members = out.get("member")
    if isinstance(members, list):
        same = [_same_agent(m) for m in members]
        out["member"] = sorted(same, key=lambda m: orjson.dumps(m, option=orjson.OPT_SORT_KEYS))
    return out


def _same_activity(value: Any) -> Any:
    """An activity as compared: its definition is not part of the statement."""
    if isinstance(value, dict) and "definition" in value:
        return {k: v for k, v in value.items() if k != "definition"}
    return value


def _lower_uuid(value: Any) -> Any:
    return value.lower() if is_uuid(value) else value


def _comparable(statement: Mapping[str, Any]) -> dict[str, Any]:
    """A statement (or SubStatement) as compared (xAPI-Data §2.3.1): what the LRS assigns is
    left out (``authority``, ``stored``, ``version``, an absent ``timestamp``), attachments are not
    part of it, nor are activity definitions or a verb's display; group members are unordered, an
    mbox domain is case-insensitive, UUIDs compare in any case, timestamps as instants. A
    result's duration compares as text."""
    out = {
        k: v
        for k, v in statement.items()
        if k not in ("authority", "stored", "version", "attachments", "timestamp")
    }
    if "id" in out:
        out["id"] = _lower_uuid(out["id"])
    moment = parse_timestamp(statement.get("timestamp"))
    if moment is not None:
        out["timestamp"] = moment.isoformat()
    if "actor" in out:
        out["actor"] = _same_agent(out["actor"])
    verb = out.get("verb")
    if isinstance(verb, dict) and "display" in verb:
        out["verb"] = {k: v for k, v in verb.items() if k != "display"}
    target = out.get("object")
    if isinstance(target, dict):
        kind = target.get("objectType", "Activity")
        if kind == "Activity":
            out["object"] = _same_activity(target)
        elif kind in ("Agent", "Group"):
            out["object"] = _same_agent(target)
        elif kind == "StatementRef":
            out["object"] = {**target, "id": _lower_uuid(target.get("id"))}
        elif kind == "SubStatement":
            out["object"] = _comparable(target)
    context = out.get("context")
    if isinstance(context, dict):
        context = dict(context)
        if "registration" in context:
            context["registration"] = _lower_uuid(context["registration"])
        for key in ("instructor", "team"):
            if key in context:
                context[key] = _same_agent(context[key])
        ref = context.get("statement")
        if isinstance(ref, dict):
            context["statement"] = {**ref, "id": _lower_uuid(ref.get("id"))}
        activities = context.get("contextActivities")
        if isinstance(activities, dict):
            context["contextActivities"] = {
                k: [_same_activity(a) for a in v] if isinstance(v, list) else [_same_activity(v)]
                for k, v in activities.items()
            }
        out["context"] = context
    return out


def dump_json(value: Any, *, sort: bool = False) -> bytes:
    """JSON text of a decoded statement; integers beyond 64 bits (which JSON allows) through the
    standard library."""
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS if sort else None)
    except TypeError:
        return json.dumps(value, sort_keys=sort, separators=(",", ":"), ensure_ascii=False).encode()


def content_hash(statement: Mapping[str, Any]) -> bytes:
    """The hash two statements with one id share exactly when the specification calls them the
    same (see ``_comparable``)."""
    return hashlib.sha256(dump_json(_comparable(statement), sort=True)).digest()


@dataclass(frozen=True, slots=True)
class StatementFacts:
    """What the LRS keeps beside a statement to find it: the identifiers and ids the filters
    match, voiding, and the hash that decides whether a second one with its id is the same."""

    id: str
    verb: str
    actor_keys: list[str]
    related_agents: list[str]
    activity: str | None
    related_activities: list[str]
    registration: str | None
    voids: str | None
    content_hash: bytes


def facts(statement: Mapping[str, Any], *, hashed: bool = True) -> StatementFacts:
    """The facts of a valid statement that has its id; without ``hashed``, ``content_hash`` is
    left empty (the costliest fact: a caller that needs it for some statements only computes
    it with :func:`content_hash` for those)."""
    context = statement.get("context")
    registration = context.get("registration") if isinstance(context, dict) else None
    actor = actor_keys(statement)
    return StatementFacts(
        id=str(statement["id"]).lower(),
        verb=statement["verb"]["id"],
        actor_keys=actor,
        related_agents=_related_agent_keys(statement, actor),
        activity=object_activity(statement),
        related_activities=related_activity_ids(statement),
        registration=registration.lower() if isinstance(registration, str) else None,
        voids=voided_target(statement),
        content_hash=content_hash(statement) if hashed else b"",
    )


def check_agent(value: object, pointer: str = "") -> list[FieldError]:
    """The problems of an Agent (not a Group): exactly one valid identifier, known members."""
    checker = _Checker()
    checker.agent(value, pointer)
    return checker.errors


def parse_agent_filter(raw: str) -> str | None:
    """The ``agent`` query parameter (an Agent or identified Group as JSON) as its identifier
    key, or None when it is not one."""
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(value, dict):
        return None
    checker = _Checker()
    if value.get("objectType") == "Group":
        if checker.ifi(value, "", required=True) != 1:
            return None
    else:
        checker.agent(value, "")
    if checker.errors:
        return None
    return ifi_key(value)


# --- format=canonical: one language per language map, chosen by Accept-Language ---------------

INTERACTION_PARTS = ("choices", "scale", "source", "target", "steps")


def language_ranges(accept_language: str | None) -> list[tuple[str, float]]:
    """The ranges of an ``Accept-Language`` header (RFC 9110 §12.5.4), lower case, best first
    (equal weights in the order sent); malformed entries are ignored."""
    ranges: list[tuple[int, str, float]] = []
    for i, part in enumerate((accept_language or "").split(",")):
        tag, *params = (p.strip() for p in part.split(";"))
        if not tag or (tag != "*" and _LANGUAGE.match(tag) is None):
            continue
        weight = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = -1.0
        if 0 < weight <= 1:
            ranges.append((i, tag.lower(), weight))
    ranges.sort(key=lambda r: (-r[2], r[0]))
    return [(tag, weight) for _, tag, weight in ranges]


def pick_language(value: Mapping[str, Any], ranges: Sequence[tuple[str, float]]) -> dict[str, Any]:
    """One entry of a language map: the first tag matched by the best range (basic filtering,
    RFC 4647 §3.3.1: a range matches a tag equal to it or starting with it and ``-``; ``*``
    any), else the map's first entry."""
    for wanted, _ in ranges:
        for tag, text in value.items():
            lowered = tag.lower()
            if wanted == "*" or lowered == wanted or lowered.startswith(wanted + "-"):
                return {tag: text}
    first = next(iter(value.items()), None)
    return {} if first is None else {first[0]: first[1]}


def canonical(statement: Mapping[str, Any], ranges: Sequence[tuple[str, float]]) -> dict[str, Any]:
    """``format=canonical`` (xAPI-Communication §2.1.3, "Language Filtering Requirements for
    Canonical Format Statements"): every language map of a verb's ``display`` and of an
    activity's definition (``name``, ``description``, interaction components) keeps one
    language, chosen per map by ``ranges``; agents and the rest are as received."""

    def one(value: Any) -> Any:
        return pick_language(value, ranges) if isinstance(value, dict) else value

    def activity(value: Any) -> Any:
        if not isinstance(value, dict) or value.get("objectType", "Activity") != "Activity":
            return value
        definition = value.get("definition")
        if not isinstance(definition, dict):
            return value
        definition = dict(definition)
        for key in ("name", "description"):
            if key in definition:
                definition[key] = one(definition[key])
        for key in INTERACTION_PARTS:
            parts = definition.get(key)
            if isinstance(parts, list):
                definition[key] = [
                    {**p, "description": one(p["description"])}
                    if isinstance(p, dict) and "description" in p
                    else p
                    for p in parts
                ]
        return {**value, "definition": definition}

    out = dict(statement)
    verb = out.get("verb")
    if isinstance(verb, dict) and "display" in verb:
        out["verb"] = {**verb, "display": one(verb["display"])}
    target = out.get("object")
    if isinstance(target, dict) and target.get("objectType") == "SubStatement":
        out["object"] = canonical(target, ranges)
    elif "object" in out:
        out["object"] = activity(target)
    context = out.get("context")
    if isinstance(context, dict) and isinstance(context.get("contextActivities"), dict):
        out["context"] = {
            **context,
            "contextActivities": {
                k: [activity(a) for a in v] if isinstance(v, list) else activity(v)
                for k, v in context["contextActivities"].items()
            },
        }
    return out

"""Catalogue records: providers and their courses, read from JSON with every problem at once.

A course is keyed by its provider and its code (stable: a plan, a statement or a partner refers
to it by them). It states what it teaches (framework items), for whom (staff groups), how it can
be taken (development methods of ``app.domain.planning.methods``) and how long it takes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from app.domain.errors import FieldError
from app.domain.planning.methods import METHODS_BY_CODE
from app.domain.planning.model import MAX_HOURS
from app.domain.roles import StaffGroup
from app.domain.text import nfc, search_key


class ProviderKind(StrEnum):
    """Who offers the courses: a national body (OCSC, TDGA), a ministry's academy, an agency."""

    NATIONAL = "national"
    MINISTRY = "ministry"
    AGENCY = "agency"


class DeliveryMode(StrEnum):
    ONLINE = "online"
    CLASSROOM = "classroom"
    BLENDED = "blended"
    WORKPLACE = "workplace"  # on the job: assignment, coaching, rotation ...
    SELF_STUDY = "self_study"


CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
MAX_TITLE = 500
MAX_SCOPE = 4000
MAX_IRI = 2000
MAX_LIST = 200

COURSE_FIELDS = (
    "code",
    "title_th",
    "title_en",
    "scope_th",
    "hours",
    "delivery_mode",
    "language",
    "url",
    "activity_ids",
    "framework",
    "items",
    "groups",
    "methods",
    "source",
    "active",
)


@dataclass(frozen=True, slots=True)
class FrameworkRef:
    key: str
    version: str | None = None  # None: the published version


@dataclass(frozen=True, slots=True)
class CourseRecord:
    code: str
    title_th: str
    title_en: str | None = None
    scope_th: str = ""
    hours: Decimal | None = None
    delivery_mode: DeliveryMode | None = None
    language: str = "th"
    url: str | None = None
    activity_ids: tuple[str, ...] = ()
    framework: FrameworkRef = FrameworkRef("ocsc")
    items: tuple[str, ...] = ()
    groups: tuple[StaffGroup, ...] = ()
    methods: tuple[str, ...] = ()
    source: str | None = None  # where the course comes from, e.g. a seed line "004:1140"
    active: bool = True

    def as_json(self) -> dict[str, Any]:
        """The record as stored in its history and compared for "unchanged"."""
        return {
            "code": self.code,
            "title_th": self.title_th,
            "title_en": self.title_en,
            "scope_th": self.scope_th,
            "hours": None if self.hours is None else _number(self.hours),
            "delivery_mode": None if self.delivery_mode is None else self.delivery_mode.value,
            "language": self.language,
            "url": self.url,
            "activity_ids": list(self.activity_ids),
            "framework": {"key": self.framework.key, "version": self.framework.version},
            "items": list(self.items),
            "groups": [g.value for g in self.groups],
            "methods": list(self.methods),
            "source": self.source,
            "active": self.active,
        }

    def search_text(self) -> str:
        """Search keys of the titles and the scope, joined (see ``app.domain.text.search_key``)."""
        return "|".join(
            search_key(t) for t in (self.code, self.title_th, self.title_en or "", self.scope_th)
        )


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


class _Reader:
    def __init__(self, at: str) -> None:
        self.at = at
        self.errors: list[FieldError] = []

    def bad(self, name: str, rule: str, message: str) -> None:
        self.errors.append(FieldError(f"{self.at}/{name}" if name else self.at, rule, message))

    def text(
        self, data: Mapping[str, Any], name: str, limit: int, *, required: bool = False
    ) -> str | None:
        value = data.get(name)
        if value is None:
            if required:
                self.bad(name, "required", "required")
            return None
        if not isinstance(value, str):
            self.bad(name, "type", "must be text")
            return None
        value = nfc(value).strip()
        if len(value) > limit:
            self.bad(name, "max-length", f"at most {limit} characters")
            return None
        if required and not value:
            self.bad(name, "required", "must not be empty")
            return None
        return value or None

    def strings(self, data: Mapping[str, Any], name: str) -> list[str]:
        value = data.get(name, [])
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.bad(name, "type", "must be a list of text")
            return []
        if len(value) > MAX_LIST:
            self.bad(name, "max-items", f"at most {MAX_LIST} entries")
            return []
        out: list[str] = []
        for v in value:
            clean = nfc(v).strip()
            if clean and clean not in out:
                out.append(clean)
        return out


def parse_course(raw: object, at: str = "") -> tuple[CourseRecord | None, list[FieldError]]:
    """A course record from its JSON form, or every problem with it (pointers under ``at``)."""
    reader = _Reader(at)
    if not isinstance(raw, Mapping):
        reader.bad("", "type", "must be an object")
        return None, reader.errors
    for key in raw:
        if key not in COURSE_FIELDS:
            reader.bad(str(key), "unknown-field", "unknown field")
    code = reader.text(raw, "code", 64, required=True)
    if code is not None and not CODE.match(code):
        reader.bad("code", "pattern", "letters, digits, '.', '_', ':' or '-', at most 64")
    title_th = reader.text(raw, "title_th", MAX_TITLE, required=True)
    title_en = reader.text(raw, "title_en", MAX_TITLE)
    scope = reader.text(raw, "scope_th", MAX_SCOPE) or ""
    hours = _hours(reader, raw.get("hours"))
    mode = _choice(reader, raw, "delivery_mode", DeliveryMode)
    language = reader.text(raw, "language", 35) or "th"
    if not LANGUAGE.match(language):
        reader.bad("language", "pattern", "a language tag such as th or en")
    url = reader.text(raw, "url", MAX_IRI)
    if url is not None and not _absolute(url, ("http", "https")):
        reader.bad("url", "url", "an http or https address")
    activity_ids = reader.strings(raw, "activity_ids")
    for k, iri in enumerate(activity_ids):
        if len(iri) > MAX_IRI or not _absolute(iri, None):
            reader.bad(f"activity_ids/{k}", "iri", "an absolute IRI (an xAPI activity id)")
    framework = _framework(reader, raw.get("framework"))
    items = reader.strings(raw, "items")
    for k, item in enumerate(items):
        if len(item) > 64:
            reader.bad(f"items/{k}", "max-length", "a framework item code")
    groups: list[StaffGroup] = []
    for k, g in enumerate(reader.strings(raw, "groups")):
        try:
            groups.append(StaffGroup(g))
        except ValueError:
            allowed = ", ".join(s.value for s in StaffGroup)
            reader.bad(f"groups/{k}", "enum", f"a staff group: {allowed}")
    methods = reader.strings(raw, "methods")
    if not methods and "methods" not in {e.pointer.removeprefix(at + "/") for e in reader.errors}:
        reader.bad("methods", "required", "name at least one development method it serves")
    for k, m in enumerate(methods):
        if m not in METHODS_BY_CODE:
            reader.bad(f"methods/{k}", "enum", "a method code (GET /api/v1/planning/methods)")
    source = reader.text(raw, "source", 200)
    active = raw.get("active", True)
    if not isinstance(active, bool):
        reader.bad("active", "type", "must be true or false")
    if reader.errors or code is None or title_th is None:
        return None, reader.errors
    return (
        CourseRecord(
            code=code,
            title_th=title_th,
            title_en=title_en,
            scope_th=scope,
            hours=hours,
            delivery_mode=mode,
            language=language,
            url=url,
            activity_ids=tuple(activity_ids),
            framework=framework,
            items=tuple(items),
            groups=tuple(groups),
            methods=tuple(methods),
            source=source,
            active=bool(active),
        ),
        [],
    )


def _hours(reader: _Reader, value: Any) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        reader.bad("hours", "type", "must be a number of hours")
        return None
    try:
        hours = Decimal(str(value))
    except InvalidOperation:
        reader.bad("hours", "type", "must be a number of hours")
        return None
    if not hours.is_finite() or not 0 < hours <= MAX_HOURS:
        reader.bad("hours", "range", f"a number of hours above 0, at most {MAX_HOURS}")
        return None
    return hours


def _choice(reader: _Reader, data: Mapping[str, Any], name: str, kind: Any) -> Any:
    value = data.get(name)
    if value is None:
        return None
    try:
        return kind(value)
    except (ValueError, TypeError):
        reader.bad(name, "enum", "one of: " + ", ".join(str(k.value) for k in kind))
        return None


def _framework(reader: _Reader, value: Any) -> FrameworkRef:
    if value is None:
        return FrameworkRef("ocsc")
    if not isinstance(value, Mapping):
        reader.bad("framework", "type", 'an object {"key": "ocsc", "version": "2561"}')
        return FrameworkRef("ocsc")
    key, version = value.get("key", "ocsc"), value.get("version")
    if not isinstance(key, str) or not CODE.match(key):
        reader.bad("framework/key", "pattern", "a framework key")
        key = "ocsc"
    if version is not None and (not isinstance(version, str) or not 0 < len(version) <= 40):
        reader.bad("framework/version", "type", "a framework version label")
        version = None
    for extra in value:
        if extra not in ("key", "version"):
            reader.bad(f"framework/{extra}", "unknown-field", "unknown field")
    return FrameworkRef(key, version)


def _absolute(value: str, schemes: tuple[str, ...] | None) -> bool:
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    if any(c.isspace() for c in value) or not parts.scheme:
        return False
    if schemes is not None:
        return parts.scheme.lower() in schemes and bool(parts.netloc)
    return True

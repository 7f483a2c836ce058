"""The CASE 1.1 REST binding's rules that are not data: the query parameters of
``getAllCFDocuments`` (``limit``, ``offset``, ``sort``, ``orderBy``, ``filter``, ``fields``: binding
§2.3.1 and §3), the ``imsx_StatusInfo`` error body (binding §2.4, information model §7.4) and the
switch that leaves out Thaksa's own ``extensions``.

Source: 1EdTech "Competencies and Academic Standards Exchange (CASE) Service REST/JSON Binding
Version 1.1", Final Release, 24 January 2025.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from app.domain.errors import BadRequest, NotFound

ROOT = "/ims/case/v1p1"
DEFAULT_LIMIT = 100

# The properties of a CFDocument as getCFDocument serves it (the data model a filter, a sort or a
# field selection may name).
DOCUMENT_FIELDS = frozenset(
    {
        "identifier",
        "uri",
        "frameworkType",
        "caseVersion",
        "creator",
        "title",
        "lastChangeDateTime",
        "officialSourceURL",
        "publisher",
        "description",
        "subject",
        "subjectURI",
        "language",
        "version",
        "adoptionStatus",
        "statusStartDate",
        "statusEndDate",
        "licenseURI",
        "notes",
        "extensions",
        "CFPackageURI",
    }
)

# Lower-case hexadecimal 8-4-4-4-12 (information model: the UUID derived type).
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class InvalidSelection(BadRequest):
    """A query parameter that cannot be applied (codeMinor ``invalid_selection_field``)."""

    code = "invalid-selection-field"
    title = "Invalid selection field"

    def __init__(self, parameter: str, detail: str) -> None:
        super().__init__(detail, parameter=parameter)


class InvalidUuid(NotFound):
    """An identifier that is not a UUID (codeMinor ``invalid_uuid``, HTTP 404)."""

    code = "invalid-uuid"
    title = "Invalid UUID"


def check_identifier(identifier: str) -> None:
    if not _UUID.match(identifier):
        raise InvalidUuid(f"{identifier!r} is not a UUID (8-4-4-4-12 lower-case hexadecimal)")


def check_parameters(given: Sequence[str], allowed: Sequence[str], operation: str) -> None:
    """Refuse query parameters the operation does not define (the binding defines none but for
    getAllCFDocuments; ``extensions`` is Thaksa's own)."""
    unknown = sorted({name for name in given if name not in allowed})
    if unknown:
        known = ", ".join(allowed)
        raise InvalidSelection(
            unknown[0],
            f"{operation} does not take the query parameter(s) {', '.join(unknown)}"
            f" (it takes: {known})",
        )


def without_extensions(payload: Any) -> Any:
    """The payload with every ``extensions`` member left out, at any depth: pure CASE."""
    if isinstance(payload, Mapping):
        return {k: without_extensions(v) for k, v in payload.items() if k != "extensions"}
    if isinstance(payload, list):
        return [without_extensions(v) for v in payload]
    return payload


# --- filter (binding §3.3) -------------------------------------------------------------------

_CONDITION = re.compile(
    r"(?P<field>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_:\-]+)*)\s*"
    r"(?P<op>!=|>=|<=|=|>|<|~)\s*'(?P<value>[^']*)'"
)
_LOGICAL = re.compile(r" (AND|OR) ")
OPERATORS = ("=", "!=", ">", ">=", "<", "<=", "~")


@dataclass(frozen=True, slots=True)
class Condition:
    path: tuple[str, ...]
    op: str
    value: str


@dataclass(frozen=True, slots=True)
class Filter:
    conditions: tuple[Condition, ...]
    logical: str = "AND"  # how the conditions combine: AND or OR

    def matches(self, record: Mapping[str, Any]) -> bool:
        results = (_holds(c, record) for c in self.conditions)
        return all(results) if self.logical == "AND" else any(results)


def parse_filter(text: str) -> Filter:
    """``<field><predicate>'<value>'``, optionally joined by `` AND `` or `` OR `` (one kind of
    logical operator per filter). Fields are CFDocument properties, nested ones in dot notation.
    A value is everything between its quotes, `` AND `` included."""
    text = text.strip()
    conditions: list[Condition] = []
    logicals: set[str] = set()
    at = 0
    while True:
        match = _CONDITION.match(text, at)
        if match is None:
            raise InvalidSelection(
                "filter",
                f"cannot read the filter from {text[at:]!r}: write <field><predicate>'<value>'"
                f" with a predicate among {' '.join(OPERATORS)} and the value in single quotes,"
                " conditions joined by ' AND ' or by ' OR '",
            )
        path = tuple(match["field"].split("."))
        if path[0] not in DOCUMENT_FIELDS:
            raise InvalidSelection(
                "filter", f"{path[0]!r} is not a CFDocument field and cannot be filtered on"
            )
        conditions.append(Condition(path, match["op"], match["value"]))
        at = match.end()
        if at == len(text):
            break
        logical = _LOGICAL.match(text, at)
        if logical is None:
            raise InvalidSelection(
                "filter", f"expected ' AND ' or ' OR ' before {text[at:]!r} in the filter"
            )
        logicals.add(logical[1])
        at = logical.end()
    if len(logicals) > 1:
        raise InvalidSelection("filter", "a filter combines its conditions with AND or with OR")
    return Filter(tuple(conditions), logicals.pop() if logicals else "AND")


def _lookup(record: Any, path: Sequence[str]) -> Any:
    for step in path:
        if not isinstance(record, Mapping) or step not in record:
            return None
        record = record[step]
    return record


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, Mapping):
        return None
    if isinstance(value, list):
        texts = [_text(v) for v in value]
        return ",".join(t for t in texts if t is not None)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _holds(condition: Condition, record: Mapping[str, Any]) -> bool:
    """Values compare case-insensitively; an array compares as its comma-separated values, so
    ``=`` needs all of them and ``~`` any part. A record without the field matches nothing."""
    text = _text(_lookup(record, condition.path))
    if text is None:
        return False
    left, right = text.casefold(), condition.value.casefold()
    match condition.op:
        case "=":
            return left == right
        case "!=":
            return left != right
        case ">":
            return left > right
        case ">=":
            return left >= right
        case "<":
            return left < right
        case "<=":
            return left <= right
        case _:  # "~"
            return right in left


# --- the whole getAllCFDocuments query ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DocumentQuery:
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    sort: str | None = None
    order_by: str | None = None  # asc | desc
    filter: Filter | None = None
    fields: tuple[str, ...] | None = None


def parse_fields(values: Sequence[str]) -> tuple[str, ...] | None:
    """``fields=identifier,title`` (the parameter may be repeated). A blank name is refused."""
    if not values:
        return None
    names = [name.strip() for value in values for name in value.split(",")]
    if any(not name for name in names):
        raise InvalidSelection("fields", "fields lists CFDocument field names: one is blank")
    return tuple(names)


@dataclass(frozen=True, slots=True)
class Page:
    records: list[dict[str, Any]]
    total: int


def apply(query: DocumentQuery, documents: Sequence[Mapping[str, Any]]) -> Page:
    """Filter, then sort (a field outside the data model keeps the default order, binding §3.2),
    then page, then select fields (a field outside the data model selects every field, §3.4)."""
    rows = [d for d in documents if query.filter is None or query.filter.matches(d)]
    if query.sort is not None and query.sort.split(".")[0] in DOCUMENT_FIELDS:
        path = tuple(query.sort.split("."))
        present = [r for r in rows if _text(_lookup(r, path)) is not None]
        absent = [r for r in rows if _text(_lookup(r, path)) is None]
        present.sort(key=lambda r: (_text(_lookup(r, path)) or "").casefold())
        if query.order_by == "desc":
            present.reverse()
        rows = present + absent
    elif query.order_by == "desc":
        rows.reverse()
    total = len(rows)
    page = rows[query.offset : query.offset + query.limit]
    if query.fields is not None and all(f in DOCUMENT_FIELDS for f in query.fields):
        page = [{k: v for k, v in r.items() if k in query.fields} for r in page]
    return Page([dict(r) for r in page], total)


def page_links(url: str, query: Mapping[str, str], limit: int, offset: int, total: int) -> str:
    """The RFC 8288 ``Link`` header of binding §3.1: first, prev, next and last."""

    def link(rel: str, at: int) -> str:
        params = {**query, "limit": str(limit), "offset": str(at)}
        encoded = "&".join(f"{k}={_quote(v)}" for k, v in params.items())
        return f'<{url}?{encoded}>; rel="{rel}"'

    last = max(0, (total - 1) // limit * limit)
    links = [link("first", 0)]
    if offset > 0:
        links.append(link("prev", max(0, offset - limit)))
    if offset + limit < total:
        links.append(link("next", offset + limit))
    links.append(link("last", last))
    return ", ".join(links)


def _quote(value: str) -> str:
    return quote(value, safe="")


# --- imsx_StatusInfo (binding §2.4; information model §7.4.4-7.4.6) --------------------------

CODE_MINOR = {
    "invalid-selection-field": "invalid_selection_field",
    "invalid-uuid": "invalid_uuid",
    "not-found": "unknownobject",
    "unauthenticated": "unauthorised_request",
    "forbidden": "forbidden",
    "rate-limited": "server_busy",
    "internal-error": "internal_server_error",
}
CODE_MINOR_BY_STATUS = {
    400: "invalid_selection_field",
    401: "unauthorised_request",
    403: "forbidden",
    404: "unknownobject",
    429: "server_busy",
    500: "internal_server_error",
}


def status_info(status: int, code: str, detail: str, field: str | None = None) -> dict[str, Any]:
    """The ``imsx_StatusInfo`` body for an error: codeMajor ``failure`` (``unsupported`` for a
    method the service does not offer), severity ``error``, the description, and the codeMinor
    the binding gives for the status where it gives one."""
    body: dict[str, Any] = {
        "imsx_codeMajor": "unsupported" if status in (405, 501) else "failure",
        "imsx_severity": "error",
        "imsx_description": detail,
    }
    minor = CODE_MINOR.get(code) or CODE_MINOR_BY_STATUS.get(status)
    if minor is not None:
        body["imsx_codeMinor"] = {
            "imsx_codeMinorField": [
                {
                    "imsx_codeMinorFieldName": field or "TargetEndSystem",
                    "imsx_codeMinorFieldValue": minor,
                }
            ]
        }
    return body

"""What every REST request's input passes before a handler reads it: JSON bodies decoded by one
reader (a depth limit, no NUL characters, no lone surrogates), and path, query and header
values that are text the database can hold.

``InputRoute`` is the route class of every REST router: it screens the path, query and header
values of each request and, for the routes whose body FastAPI decodes, decodes it with
:func:`read_json` first. Bodies read by hand (bulk, merge patches) go through :func:`read_json`
(or :func:`screen_text` before a typed decoder) themselves.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Coroutine, Iterator, Sequence
from typing import Any
from urllib.parse import unquote_to_bytes
from weakref import WeakKeyDictionary

import orjson
from fastapi import Request, Response
from fastapi.routing import APIRoute, _get_scope_effective_route_context, iter_route_contexts
from starlette._utils import get_route_path
from starlette.routing import Match, compile_path
from starlette.types import ASGIApp, Scope

from app.domain.errors import BadRequest, FieldError, ValidationFailed, escape_pointer

MAX_JSON_DEPTH = 64
"""Arrays and objects nested deeper than this are refused (no body of this API needs 10)."""
MAX_REPORTED = 100
"""At most this many bad strings are listed in one answer."""

# JSON escapes that can decode to NUL or to a surrogate; a body without any holds neither
# (raw control characters and malformed UTF-8 are refused by the decoders themselves).
_SUSPECT_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F])")


_UNSHOWABLE = re.compile("[\x00\ud800-\udfff]")


class MalformedJson(BadRequest):
    code = "malformed-json"
    title = "Malformed JSON"


class JsonTooDeep(BadRequest):
    code = "json-too-deep"
    title = "JSON nested too deeply"


def _malformed(detail: str) -> MalformedJson:
    return MalformedJson(
        f"the request body is not valid JSON: {detail}",
        errors=[{"pointer": "", "rule": "json_invalid", "detail": detail}],
    )


def _too_deep(pointer: str = "") -> JsonTooDeep:
    detail = f"arrays and objects nest more than {MAX_JSON_DEPTH} levels deep"
    return JsonTooDeep(
        f"the request body {detail}",
        errors=[{"pointer": pointer, "rule": "max-depth", "detail": detail}],
    )


def text_problem(value: str) -> tuple[str, str] | None:
    """(rule, message) when ``value`` holds a character no stored text may hold."""
    if "\x00" in value:
        return "nul-character", "text may not contain the NUL character (U+0000)"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "lone-surrogate", "text may not contain a lone UTF-16 surrogate (U+D800-U+DFFF)"
    return None


def shown(text: str) -> str:
    """``text`` with NUL and lone surrogates written as ``\\uXXXX``, to be shown safely."""
    return _UNSHOWABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def screen_text(body: bytes | memoryview) -> bool:
    """True when no JSON string of ``body`` can decode to NUL or a lone surrogate (one search in
    C): a strict decoder may then decode it straight into typed values."""
    return _SUSPECT_ESCAPE.search(body) is None


def _walk(data: object) -> Iterator[FieldError]:
    """Every string (key or value) no stored text may hold, and nesting beyond the limit."""
    stack: list[tuple[object, str, int]] = [(data, "", 0)]
    while stack:
        node, pointer, depth = stack.pop()
        if isinstance(node, str):
            problem = text_problem(node)
            if problem is not None:
                yield FieldError(pointer, *problem)
        elif isinstance(node, dict | list):
            if depth >= MAX_JSON_DEPTH:
                raise _too_deep(pointer)
            if isinstance(node, list):
                items: list[tuple[str, object]] = [(str(i), v) for i, v in enumerate(node)]
            else:
                items = []
                for key, value in node.items():
                    problem = text_problem(key)
                    if problem is not None:
                        # the key itself cannot be shown; the pointer names its object
                        yield FieldError(pointer, problem[0], f"a member name: {problem[1]}")
                        key = shown(key)
                    items.append((key, value))
            for token, value in reversed(items):
                stack.append((value, f"{pointer}/{escape_pointer(token)}", depth + 1))


def check_json(data: object) -> object:
    """``data`` (decoded JSON) if it nests no deeper than the limit and holds only storable text;
    otherwise 400 (too deep) or 422 listing every bad string by its pointer."""
    problems: list[FieldError] = []
    for problem in _walk(data):
        problems.append(problem)
        if len(problems) == MAX_REPORTED:
            break
    if problems:
        raise ValidationFailed(problems)
    return data


def check_screened_json(data: object, texts: Sequence[bytes | memoryview]) -> object:
    """:func:`check_json` of ``data`` decoded by orjson (strict) from ``texts`` that
    :func:`screen_text` passed (the body, or each element of a top-level array): no string can
    then hold NUL or a lone surrogate, so only the nesting is in question, and a text with fewer
    opening brackets than the limit (counted in C; those within strings count too) cannot nest
    too deep. Otherwise the full walk, with its errors."""
    if all((text := bytes(t)).count(b"[") + text.count(b"{") < MAX_JSON_DEPTH for t in texts):
        return data
    return check_json(data)


def read_json(body: bytes | memoryview) -> object:
    """The one JSON reader of the REST API. Strict UTF-8; ``NaN`` and integers beyond 64 bits
    read as Python reads them (the schemas then refuse what they do not accept)."""
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        if str(exc).startswith("depth limit exceeded"):
            raise _too_deep() from None
        try:
            text = bytes(body).decode("utf-8")
        except UnicodeDecodeError as bad:
            raise _malformed(f"not UTF-8 at byte {bad.start}") from None
        try:
            data = json.loads(text)
        except RecursionError:
            raise _too_deep() from None
        except ValueError as bad:  # the standard library's message says where
            raise _malformed(str(bad)) from None
    return check_json(data)


# --- path, query and header values -------------------------------------------------------------


def _bad_text(raw: bytes) -> tuple[str, str] | None:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return "utf-8", "percent-encoded bytes that are not UTF-8 (or a lone surrogate)"
    return text_problem(text)


def parameter_problems(request: Request) -> list[FieldError]:
    """Each path, query or header value that is not storable text, named by its parameter."""
    problems: list[FieldError] = []
    raw_path: bytes = request.scope.get("raw_path") or request.scope["path"].encode()
    for segment in raw_path.split(b"?", 1)[0].split(b"/"):
        bad = _bad_text(unquote_to_bytes(segment))
        if bad is None:
            continue
        shown = unquote_to_bytes(segment).decode("utf-8", "replace")
        names = [n for n, v in request.path_params.items() if v == shown] or ["path"]
        problems.extend(FieldError.for_parameter(name, "path", *bad) for name in names)
    query: bytes = request.scope.get("query_string", b"")
    for pair in query.split(b"&") if query else ():
        raw_name, _, raw_value = pair.partition(b"=")
        name = unquote_to_bytes(raw_name.replace(b"+", b" ")).decode("utf-8", "replace")
        for raw in (raw_name, raw_value):
            bad = _bad_text(unquote_to_bytes(raw.replace(b"+", b" ")))
            if bad is not None:
                problems.append(FieldError.for_parameter(name, "query", *bad))
                break
    for key, value in request.scope.get("headers", ()):
        if b"\x00" in value:
            problems.append(
                FieldError.for_parameter(
                    key.decode("latin-1"),
                    "header",
                    "nul-character",
                    "a header value may not contain the NUL character",
                )
            )
    return problems


_JSON_MEDIA = re.compile(r"application/(?:[\w.+-]+\+)?json\s*(?:;|$)", re.IGNORECASE)


Template = tuple[re.Pattern[str], tuple[bool, ...], str]
_TEMPLATES: WeakKeyDictionary[Any, tuple[Template, ...]] = WeakKeyDictionary()
_MOST_SPECIFIC = "thaksa.most_specific_paths"


def _templates(app: ASGIApp) -> tuple[Template, ...]:
    """Every route's path as (regex, which segments are literal, path format)."""
    found = _TEMPLATES.get(app)
    if found is None:
        formats = [r.path_format for r in iter_route_contexts(getattr(app, "routes", []))]
        found = tuple(
            (compile_path(f)[0], tuple("{" not in part for part in f.split("/")), f)
            for f in formats
            if f is not None
        )
        _TEMPLATES[app] = found
    return found


def prepare_routes(app: ASGIApp) -> None:
    """Build now what routing otherwise builds on the first request that walks past each route
    (FastAPI's per-route request handling and the path templates above): about half a second for
    this API's routes, which a client's first request after a start would wait for."""
    _templates(app)


def most_specific_paths(scope: Scope) -> frozenset[str]:
    """The path formats of the routes a request path belongs to: of every route whose path
    matches it, whatever the method, those with a literal segment first where the others have a
    parameter (``/people/match`` before ``/people/{person_id}``, ``/people/{id}/plans/validate``
    before ``/people/{id}/plans/{fiscal_year}``)."""
    path = get_route_path(scope)
    cached = scope.get(_MOST_SPECIFIC)
    if cached is None or cached[0] != path:
        matching = [(lit, fmt) for regex, lit, fmt in _templates(scope["app"]) if regex.match(path)]
        best = max((lit for lit, _ in matching), default=())
        cached = (path, frozenset(fmt for lit, fmt in matching if lit == best))
        scope[_MOST_SPECIFIC] = cached
    return frozenset(cached[1])


class InputRoute(APIRoute):
    """A route whose request passes the checks above before FastAPI reads its parameters.

    A path parameter does not take a value that is a more specific route's literal segment: the
    path belongs to that route alone (``PUT /people/match`` is a 405 listing what
    ``/people/match`` allows, not ``PUT /people/{person_id}`` with ``person_id="match"``)."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child_scope = super().matches(scope)
        if match is Match.NONE or not self.param_convertors or "app" not in scope:
            return match, child_scope
        context = _get_scope_effective_route_context(scope)
        own = context.path_format if context and context.original_route is self else None
        if (own or self.path_format) not in most_specific_paths(scope):
            return Match.NONE, {}
        return match, child_scope

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        decodes_body = self.body_field is not None

        async def screened(request: Request) -> Response:
            problems = parameter_problems(request)
            if problems:
                raise ValidationFailed(problems)
            if decodes_body and _JSON_MEDIA.match(request.headers.get("content-type", "")):
                body = await request.body()
                if body:
                    # FastAPI reads the body through request.json(), which keeps what it decoded
                    request._json = read_json(body)
            return await handler(request)

        return screened

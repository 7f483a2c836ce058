"""Reading bulk bodies (a JSON array, or NDJSON: one JSON object a line) and running a write
under an ``Idempotency-Key``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import msgspec
import orjson
from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from app.api.rest.deps import get_runtime
from app.api.rest.inputs import JsonTooDeep, MalformedJson, read_json, screen_text
from app.domain.errors import FieldError, UnsupportedMediaType, ValidationFailed
from app.domain.principal import Principal
from app.services.people.sync import MAX_RECORDS, MalformedRecord, check_batch_size
from app.services.platform import idempotency, telemetry

JSON = "application/json"
MERGE_PATCH = "application/merge-patch+json"
NDJSON = "application/x-ndjson"


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def inline_schema(model: type[BaseModel]) -> dict[str, Any]:
    """A model's JSON schema with its local definitions substituted in place (for bodies that
    are documented but read by hand, so FastAPI does not list the model itself)."""
    schema = model.model_json_schema()
    defs = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return resolve(defs[ref.removeprefix("#/$defs/")])
            return {k: resolve(v) for k, v in node.items()}
        if isinstance(node, list):
            return [resolve(v) for v in node]
        return node

    resolved: dict[str, Any] = resolve(schema)
    return resolved


def merge_patch_doc(record: type[BaseModel]) -> dict[str, Any]:
    """A JSON Merge Patch body (RFC 7396) of ``record``: the record's members, none required,
    since a patch names only what changes (the merged record is then checked whole)."""

    def optional(node: Any) -> Any:
        if isinstance(node, dict):
            # the keyword (a list of names), not a member that happens to be called "required"
            return {
                k: optional(v)
                for k, v in node.items()
                if not (k == "required" and isinstance(v, list))
            }
        if isinstance(node, list):
            return [optional(v) for v in node]
        return node

    schema = optional(inline_schema(record))
    return {
        "requestBody": {
            "required": True,
            "content": {m: {"schema": schema} for m in (MERGE_PATCH, JSON)},
        }
    }


def bulk_body_doc(record: type[BaseModel]) -> dict[str, Any]:
    """OpenAPI: the two accepted forms of a bulk body."""
    items = inline_schema(record)
    return {
        "requestBody": {
            "required": True,
            "content": {
                JSON: {"schema": {"type": "array", "maxItems": MAX_RECORDS, "items": items}},
                NDJSON: {"schema": {"type": "string", "description": "one JSON record a line"}},
            },
        }
    }


def json_body_doc(record: type[BaseModel], *media_types: str) -> dict[str, Any]:
    ref = inline_schema(record)
    return {
        "requestBody": {
            "required": True,
            "content": {m: {"schema": ref} for m in media_types or (JSON,)},
        }
    }


@dataclass(frozen=True, slots=True)
class BulkBody:
    """A bulk body's records, decoded, and each record's JSON text exactly as sent (``None``
    when the body does not split into them: JSON only the lenient parser reads, e.g. ``NaN``)."""

    records: list[object]
    texts: list[bytes | memoryview] | None


@dataclass(frozen=True, slots=True)
class TypedReader:
    """Decodes records of a plain, typed shape straight from their JSON text (``None`` when a
    record, or a record of the list, is not of that shape): the others are decoded as JSON."""

    one: Callable[[bytes | memoryview], object | None]
    many: Callable[[bytes], list[Any] | None]


_split = msgspec.json.Decoder(list[msgspec.Raw]).decode


def _texts(body: bytes) -> list[bytes | memoryview] | None:
    """Each element's JSON text, in one pass in C (not decoded; ``None`` if not an array). The
    texts are ``msgspec.Raw`` views of the body: buffers, for hashing or decoding."""
    try:
        return list(_split(body))
    except (msgspec.DecodeError, msgspec.ValidationError, RecursionError):
        return None


def parse_bulk(media_type: str, body: bytes, typed: TypedReader | None = None) -> BulkBody:
    """The records of a JSON array or NDJSON body and their texts. With ``typed``, records of
    its shape come out typed (a body of them all in one call) and the rest as plain JSON.

    Every record is read by :func:`app.api.rest.inputs.read_json` (or, typed, only once the body
    is known to hold no NUL or lone surrogate): a string no stored text may hold is a 422 naming
    each by its pointer, whichever record it is in."""
    clean = screen_text(body)
    if media_type == NDJSON:
        lines = [(n, text) for n, line in enumerate(body.splitlines(), 1) if (text := line.strip())]
        check_batch_size(len(lines))
        records: list[object] = []
        problems: list[FieldError] = []
        for index, (number, text) in enumerate(lines):
            record = typed.one(text) if typed is not None and clean else None
            if record is None:
                try:
                    record = read_json(text)
                except (MalformedJson, JsonTooDeep) as exc:
                    record = MalformedRecord(number, str(exc.extensions["errors"][0]["detail"]))
                except ValidationFailed as exc:
                    problems += [_within(index, e) for e in exc.errors]
                    record = None
            records.append(record)
        if problems:
            raise ValidationFailed(problems)
        return BulkBody(records, [text for _, text in lines])
    if media_type != JSON:
        raise _unsupported()
    texts = _texts(body)
    if texts is not None:
        check_batch_size(len(texts))
        if typed is not None and clean and (plain := typed.many(body)) is not None:
            return BulkBody(plain, texts)
    records = _json_array(body)
    if texts is None or len(texts) != len(records):
        return BulkBody(records, None)
    if typed is not None:
        records = [
            record if (plain_one := typed.one(text)) is None else plain_one
            for record, text in zip(records, texts, strict=True)
        ]
    return BulkBody(records, texts)


def _within(index: int, error: FieldError) -> FieldError:
    """An error of one NDJSON line, pointed at within the batch."""
    return FieldError(f"/{index}{error.pointer}", error.rule, error.message, error.extra)


def _unsupported() -> UnsupportedMediaType:
    return UnsupportedMediaType(
        f"send {JSON} (an array of records) or {NDJSON} (one record a line)",
        accepted=[JSON, NDJSON],
    )


def _json_array(body: bytes) -> list[object]:
    """A JSON array body decoded as JSON (``NaN`` and big integers read as Python reads them)."""
    data = read_json(body)
    if not isinstance(data, list):
        raise ValidationFailed(
            [FieldError("", "type", "send a JSON array of records (or NDJSON, one a line)")]
        )
    check_batch_size(len(data))
    return data


async def read_object(request: Request, *media_types: str) -> object:
    """A JSON body for a single-record write."""
    accepted = media_types or (JSON,)
    if _media_type(request) not in accepted:
        raise UnsupportedMediaType(f"send {' or '.join(accepted)}", accepted=list(accepted))
    return read_json(await request.body())


async def run_bulk(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    *,
    idempotency_key: str | None,
    dry_run: bool,
    write: Callable[[BulkBody], Awaitable[dict[str, Any]]],
    typed: TypedReader | None = None,
) -> Response:
    """Parse the body, replay or run the write, and remember the answer under the key.

    A dry run writes nothing, so it ignores the key (it neither replays nor stores)."""
    media_type = _media_type(request)
    if media_type not in (JSON, NDJSON):
        raise _unsupported()
    body = await request.body()
    ttl = get_runtime(request).settings.idempotency_ttl_hours
    if dry_run:
        idempotency_key = None
    fingerprint = ""
    if idempotency_key is not None:
        # Only a keyed request is remembered: a bulk body is megabytes to hash.
        fingerprint = idempotency.request_hash(
            request.method, request.url.path, str(request.url.query), body
        )
        stored = await idempotency.claim(
            session, principal, idempotency_key, fingerprint, ttl_hours=ttl
        )
        if stored is not None:
            return Response(
                stored.body,
                stored.status_code,
                media_type=JSON,
                headers={"Idempotent-Replayed": "true"},
            )
    answer = await write(parse_bulk(media_type, body, typed))
    if not dry_run and isinstance(answer.get("counts"), dict):
        telemetry.note_synced(_kind(request), answer["counts"])
    raw = orjson.dumps(answer)
    if idempotency_key is not None:
        await idempotency.remember(
            session,
            principal,
            idempotency_key,
            fingerprint,
            idempotency.StoredAnswer(200, raw),
            ttl_hours=ttl,
        )
    return Response(raw, 200, media_type=JSON)


def _kind(request: Request) -> str:
    """What a bulk write syncs, for the metrics: ``people`` for ``/api/v1/people/bulk``."""
    path = str(getattr(request.scope.get("route"), "path", request.url.path))
    return path.removeprefix("/api/v1/").removesuffix("/bulk").strip("/") or "other"

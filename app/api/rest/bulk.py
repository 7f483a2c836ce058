"""Reading bulk bodies (a JSON array, or NDJSON: one JSON object a line) and running a write
under an ``Idempotency-Key``."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from app.api.rest.deps import get_runtime
from app.domain.errors import BadRequest, FieldError, UnsupportedMediaType, ValidationFailed
from app.domain.principal import Principal
from app.services import idempotency
from app.services.sync import MAX_RECORDS, MalformedRecord, check_batch_size

JSON = "application/json"
NDJSON = "application/x-ndjson"


class MalformedJson(BadRequest):
    code = "malformed-json"
    title = "Malformed JSON"


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


def parse_records(media_type: str, body: bytes) -> list[object]:
    if media_type == NDJSON:
        lines = [(n, line) for n, line in enumerate(body.splitlines(), 1) if line.strip()]
        check_batch_size(len(lines))
        records: list[object] = []
        for number, line in lines:
            try:
                records.append(json.loads(line))
            except ValueError as exc:
                records.append(MalformedRecord(number, str(exc)))
        return records
    if media_type != JSON:
        raise UnsupportedMediaType(
            f"send {JSON} (an array of records) or {NDJSON} (one record a line)",
            accepted=[JSON, NDJSON],
        )
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        try:  # the standard library's message says where the body is broken
            data = json.loads(body)
        except ValueError as exc:
            raise MalformedJson(f"the request body is not valid JSON: {exc}") from None
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
    try:
        return json.loads(await request.body())
    except ValueError as exc:
        raise MalformedJson(f"the request body is not valid JSON: {exc}") from None


async def run_bulk(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    *,
    idempotency_key: str | None,
    dry_run: bool,
    write: Callable[[list[object]], Awaitable[dict[str, Any]]],
) -> Response:
    """Parse the body, replay or run the write, and remember the answer under the key.

    A dry run writes nothing, so it ignores the key (it neither replays nor stores)."""
    media_type = _media_type(request)
    if media_type not in (JSON, NDJSON):
        parse_records(media_type, b"")  # raises 415
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
    answer = await write(parse_records(media_type, body))
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

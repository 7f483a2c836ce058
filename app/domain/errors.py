"""Errors the core and the use cases raise. The API layers map each class once to a status.

Every error has a stable ``code`` (used as the problem type and as GraphQL ``extensions.code``).
Validation errors carry a list of :class:`FieldError`, each naming the field (a JSON pointer),
the rule broken and a message.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class FieldError:
    pointer: str
    rule: str
    message: str
    extra: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"pointer": self.pointer, "rule": self.rule, "detail": self.message}
        data.update(self.extra)
        return data


class ThaksaError(Exception):
    code = "error"
    title = "Error"

    def __init__(self, detail: str | None = None, **extensions: Any) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.extensions = extensions


class BadRequest(ThaksaError):
    code = "bad-request"
    title = "Bad request"


class ValidationFailed(ThaksaError):
    code = "validation-failed"
    title = "The input is not valid"

    def __init__(
        self, errors: Iterable[FieldError], detail: str | None = None, **extensions: Any
    ) -> None:
        self.errors = list(errors)
        if detail is None:
            detail = "; ".join(f"{e.pointer or '/'}: {e.message}" for e in self.errors[:5])
        super().__init__(detail, **extensions)


class Unauthenticated(ThaksaError):
    code = "unauthenticated"
    title = "Authentication required"


class Forbidden(ThaksaError):
    code = "forbidden"
    title = "Not allowed"


class NotFound(ThaksaError):
    code = "not-found"
    title = "Not found"


class Conflict(ThaksaError):
    code = "conflict"
    title = "Conflict"


class ConcurrentWrite(Conflict):
    """Another request wrote conflicting data at the same moment; nothing of this one was
    written, and sending it again gets a precise answer."""

    code = "concurrent-write"
    title = "Concurrent write"


class PreconditionFailed(ThaksaError):
    code = "precondition-failed"
    title = "Precondition failed"


class PayloadTooLarge(ThaksaError):
    code = "payload-too-large"
    title = "Payload too large"


class UnsupportedMediaType(ThaksaError):
    code = "unsupported-media-type"
    title = "Unsupported media type"


class RateLimited(ThaksaError):
    code = "rate-limited"
    title = "Too many requests"

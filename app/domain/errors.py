"""Errors the core and the use cases raise. The API layers map each class once to a status.

Every error has a stable ``code`` (used as the problem type and as GraphQL ``extensions.code``).
Validation errors carry a list of :class:`FieldError`, each naming the field (a JSON pointer
into the body, or a query, path or header parameter), the rule broken and a message.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

PARAMETER_PLACES = frozenset({"query", "path", "header", "argument"})


def escape_pointer(token: str) -> str:
    """One reference token of a JSON pointer (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem with the input: in the body (``pointer``, a JSON pointer: ``""`` for the
    whole body, else ``/``-separated tokens) or in a request parameter (``parameter`` names it,
    ``location`` says where: query, path, header, or a GraphQL argument)."""

    pointer: str
    rule: str
    message: str
    extra: Mapping[str, Any] = field(default_factory=dict)
    parameter: str | None = None
    location: str | None = None

    def __post_init__(self) -> None:
        # A parameter's name in ``pointer`` would tell the client to look in the body.
        if self.pointer and not self.pointer.startswith("/"):
            raise ValueError(f"not a JSON pointer: {self.pointer!r} (name a parameter instead)")
        if (self.parameter is None) != (self.location is None) or (
            self.location is not None and self.location not in PARAMETER_PLACES
        ):
            raise ValueError(f"a parameter needs a location among {sorted(PARAMETER_PLACES)}")

    @classmethod
    def for_parameter(
        cls, name: str, location: str, rule: str, message: str, **extra: Any
    ) -> FieldError:
        return cls("", rule, message, extra, parameter=name, location=location)

    @property
    def place(self) -> str:
        """What the problem is about, for a one-line summary."""
        if self.parameter is not None:
            return f"{self.location} parameter {self.parameter}"
        return self.pointer or "/"

    def as_dict(self) -> dict[str, Any]:
        where: dict[str, Any] = (
            {"pointer": self.pointer}
            if self.parameter is None
            else {"parameter": self.parameter, "in": self.location}
        )
        data: dict[str, Any] = {**where, "rule": self.rule, "detail": self.message}
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
            detail = "; ".join(f"{e.place}: {e.message}" for e in self.errors[:5])
        super().__init__(detail, **extensions)


class Unauthenticated(ThaksaError):
    code = "unauthenticated"
    title = "Authentication required"


class Forbidden(ThaksaError):
    code = "forbidden"
    title = "Not allowed"


class OwnedByAnotherSource(Forbidden):
    """The record is kept by another agency's HR system (its source): only that source, or
    someone whose scope covers it, may change it."""

    code = "owned-by-another-source"
    title = "Owned by another source"


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


class Unavailable(ThaksaError):
    """Something the request needs is not available just now: the database cannot be reached or
    cannot write (stopped, restarting, read-only, out of disk: nothing of the request was written;
    ``retry_after`` says when to try again), or something is not installed here (e.g. the Thai
    font the printed documents use); the detail says what to do."""

    code = "unavailable"
    title = "Service unavailable"

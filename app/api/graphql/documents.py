"""Documents seen before: parsed, measured and validated once, and persisted queries.

Portals send the same few documents over and over; parsing and validating one costs more than
running ``{ me { subject } }``. So a document that passed the request guard (cost limits,
fragments, text in arguments) is kept, keyed by its text, in a bounded LRU
(:data:`DOCUMENTS`); the guard then only selects the operation and checks the variables. A
successful validation is kept beside it, per audience (callers who may introspect and those who
may not get different rules). A document that failed anything is not kept: it pays every time.

Automatic persisted queries (:data:`PERSISTED`): a client may send ``extensions.persistedQuery
= {"version": 1, "sha256Hash": "<hex>"}`` without ``query``; the server answers
``PERSISTED_QUERY_NOT_FOUND`` until the client sends the hash once with its ``query`` (the hash
is checked), after which the hash alone is enough. The store is per process and bounded; a
client whose hash was forgotten (a restart, another worker) sends the text again.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from graphql.language import DocumentNode, OperationDefinitionNode, OperationType

from app.api.graphql.limits import BadText

K = TypeVar("K")
V = TypeVar("V")

# Most agencies' portals send a few dozen documents; these bounds leave room for many clients.
MAX_DOCUMENTS = 1000
MAX_PERSISTED = 5000
# A document longer than this is neither cached nor persisted (the token limit bounds it anyway).
MAX_CACHED_CHARS = 100_000


class LRU(Generic[K, V]):
    """A dict bounded to ``size`` entries that forgets the least recently used."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def clear(self) -> None:
        self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


@dataclass(slots=True)
class Known:
    """A document that passed the guard's measurement: what it may not be asked again."""

    document: DocumentNode
    bad_text: list[BadText]
    # audience ("explore" or "plain") -> validated without error
    validated: set[str]


DOCUMENTS: LRU[str, Known] = LRU(MAX_DOCUMENTS)


def known(query: str | None) -> Known | None:
    return DOCUMENTS.get(query) if query else None


def remember(query: str | None, document: DocumentNode, bad_text: list[BadText]) -> Known | None:
    if not query or len(query) > MAX_CACHED_CHARS:
        return None
    entry = Known(document, bad_text, set())
    DOCUMENTS.put(query, entry)
    return entry


def operation_type(document: DocumentNode, name: str | None) -> OperationType | None:
    """The type of the operation ``name`` selects (or the only one)."""
    for d in document.definitions:
        if isinstance(d, OperationDefinitionNode) and (
            name is None or (d.name is not None and d.name.value == name)
        ):
            return d.operation
    return None


class PersistedQueryError(Exception):
    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message, self.code = message, code


PERSISTED: LRU[str, str] = LRU(MAX_PERSISTED)


def resolve_persisted(query: str | None, extensions: dict[str, Any] | None) -> str | None:
    """The document text to run: ``query`` itself, or the one a persisted-query hash names
    (registering ``query`` under its hash when both are sent)."""
    persisted = (extensions or {}).get("persistedQuery")
    if persisted is None:
        return query
    if not isinstance(persisted, dict) or persisted.get("version") != 1:
        raise PersistedQueryError(
            '`extensions.persistedQuery` must be {"version": 1, "sha256Hash": "..."}',
            "PERSISTED_QUERY_NOT_SUPPORTED",
        )
    digest = persisted.get("sha256Hash")
    if not isinstance(digest, str) or len(digest) != 64:
        raise PersistedQueryError(
            "`extensions.persistedQuery.sha256Hash` must be 64 hex digits", "BAD_REQUEST"
        )
    digest = digest.lower()
    if query is None:
        found = PERSISTED.get(digest)
        if found is None:
            raise PersistedQueryError("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND")
        return found
    if hashlib.sha256(query.encode("utf-8", "surrogatepass")).hexdigest() != digest:
        raise PersistedQueryError(
            "provided sha256Hash does not match the query", "PERSISTED_QUERY_HASH_MISMATCH"
        )
    if len(query) <= MAX_CACHED_CHARS:
        PERSISTED.put(digest, query)
    return query

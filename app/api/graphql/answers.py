"""Answers kept while they are current: a dashboard read again, with nothing changed, is not
computed again.

A person's dashboard (``myDashboard``, with every field: 20-odd statements and a thousand field
values) is read far more often than anything it is made of changes. So the answer of a query
whose root fields are only ``myDashboard`` (with ``me`` and ``__typename`` beside it) is kept,
as the bytes sent, under a key of: the document, the operation, the variables, the caller (every
claim of their credentials), and the **dashboard stamp**: two statements that read the versions of
everything the dashboard is computed from (the caller's person-owned rows, the reference data
counters, their review queue) and the day (``app/services/assessment/assessment_results.py``,
``dashboard_stamp``). The stamp is read on every request, from the database, so a write by any
worker or host, committed before the request, is seen: a kept answer is never older than what a
fresh computation would read. Only answers without errors are kept; a document is eligible only
once it has passed the request guard (it is in the document cache).

Per process and bounded (``THAKSA_GRAPHQL_ANSWER_CACHE`` entries, least recently used out;
``0`` turns it off). ``tests/api/test_graphql_answers_cache.py`` writes every kind of thing a
dashboard shows and checks the next read shows it.
"""

from __future__ import annotations

from typing import Any

import orjson
from graphql.language import FieldNode, OperationDefinitionNode, OperationType

from app.api.graphql import documents
from app.api.graphql.context import Context
from app.domain.principal import Principal, Role
from app.services.assessment import assessment_results

# Root fields whose answer the dashboard stamp covers; at least one of KEPT must be asked.
KEPT = frozenset({"myDashboard"})
BESIDE = frozenset({"me", "__typename"})

Key = tuple[str, str | None, bytes, Principal, str]


def eligible(query: str | None, operation_name: str | None) -> bool:
    """Whether the operation is a query of kept root fields only, in a document seen before."""
    known = documents.known(query)
    if known is None or not known.validated:
        return False
    operations = [
        d
        for d in known.document.definitions
        if isinstance(d, OperationDefinitionNode)
        and (operation_name is None or (d.name is not None and d.name.value == operation_name))
    ]
    if len(operations) != 1 or operations[0].operation != OperationType.QUERY:
        return False
    names = set()
    for selection in operations[0].selection_set.selections:
        if not isinstance(selection, FieldNode):
            return False
        names.add(selection.name.value)
    return bool(names & KEPT) and names <= KEPT | BESIDE


class Answers:
    """The kept answers of one process."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._lru: documents.LRU[Key, bytes] = documents.LRU(max(size, 1))

    async def key(
        self,
        context: Context,
        query: str,
        operation_name: str | None,
        variables: dict[str, Any] | None,
    ) -> Key | None:
        """The key of this request's answer, or None when it is not to be kept (a client, a
        caller who cannot be authenticated: the operation then runs and answers as usual)."""
        if self.size <= 0:
            return None
        try:
            principal = await context.principal()
            if principal.is_client:
                return None
            context.read_only = True  # a query: its session reads without a transaction
            if principal.has_role(Role.AGENCY_ADMIN, Role.CENTRAL_ADMIN):
                stamp = await context.use_db(assessment_results.dashboard_stamp)
            else:  # three reads: a pooled connection without a session's set-up and tear-down
                stamp = await context.use_driver(assessment_results.dashboard_stamp)
            if stamp is None:
                return None
            canonical = orjson.dumps(variables or {}, option=orjson.OPT_SORT_KEYS)
        except Exception:
            return None
        return (query, operation_name, canonical, principal, stamp)

    def get(self, key: Key) -> bytes | None:
        return self._lru.get(key)

    def put(self, key: Key, content: bytes) -> None:
        self._lru.put(key, content)

    def clear(self) -> None:
        self._lru.clear()

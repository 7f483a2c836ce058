"""Parameter types every router shares, so that what a parameter accepts is stated once, in the
OpenAPI document too (enums, ranges, patterns, formats), and is the same on every route."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated

from fastapi import Header, Path, Query
from pydantic import AwareDatetime, BeforeValidator

from app.domain.fiscal import MAX_BE, MIN_BE
from app.domain.roles import MaturityStage, StaffGroup
from app.services.platform.idempotency import MAX_KEY_LENGTH

# RFC 9110 §13.1.1 and §8.8.3: "*" or a list of entity tags, weak or strong, of visible ASCII.
ENTITY_TAGS = r'^(\*|(W/)?"[\x21\x23-\x7e]*"( *, *(W/)?"[\x21\x23-\x7e]*")*)$'
IfMatch = Annotated[
    str | None,
    Header(
        pattern=ENTITY_TAGS,
        description='The ETag you read (e.g. `"3"`), or `*`; a stale one gets 412',
    ),
]
IdempotencyKey = Annotated[
    str | None,
    Header(
        max_length=MAX_KEY_LENGTH,
        pattern=r"\S",
        description="Retries with the same key and body get the stored answer",
    ),
]

# The paging parameters of every list that pages (README "Lists").
Limit = Annotated[int, Query(ge=1, le=1000, description="items per page")]
Cursor = Annotated[
    str | None, Query(description="the `next_cursor` of the previous page; absent for the first")
]

# The parameters of every bulk write (docs/hris-sync.md).
DryRun = Annotated[bool, Query(description="Validate and report; write nothing")]
SyncSource = Annotated[
    str | None,
    Query(description="Agency whose HR system owns the external ids (default: yours)"),
]

Stage = Annotated[MaturityStage, Path(description="Agency maturity stage", examples=["mature"])]
StageQuery = Annotated[MaturityStage, Query(description="Agency maturity stage")]
Group = Annotated[StaffGroup, Path(description="Staff group", examples=["technologist"])]

FiscalYearBE = Annotated[
    int,
    Path(ge=MIN_BE, le=MAX_BE, description="Fiscal year in the Buddhist Era, e.g. 2568"),
]
FiscalYearQuery = Annotated[
    int | None,
    Query(ge=MIN_BE, le=MAX_BE, description="Only this fiscal year (Buddhist Era, e.g. 2568)"),
]

SearchText = Annotated[
    str,
    Query(
        min_length=1,
        max_length=200,
        # Something other than white space (and "|", which search ignores), in the terms of both
        # JSON Schema's regular expressions and Python's.
        pattern=r"[^\s|\x1c-\x1f\x85\ufeff]",
        description="Thai or English text, a code; no word breaks needed",
    ),
]


# RFC 3339 (what OpenAPI's `date-time` means): a date, a time and an offset, nothing looser
# (pydantic alone would also read `0.5` as seconds since 1970 and `2025-01-01` as midnight).
_RFC3339 = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})", re.ASCII
)


def _rfc3339(value: object) -> object:
    if isinstance(value, str) and _RFC3339.fullmatch(value):
        return value
    if isinstance(value, datetime):
        return value
    raise ValueError("give an RFC 3339 date-time with its offset, e.g. 2025-01-31T00:00:00+07:00")


UpdatedSince = Annotated[
    AwareDatetime | None,
    BeforeValidator(_rfc3339),
    Query(description="Only records changed since this RFC 3339 date-time"),
]

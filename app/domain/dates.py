"""The one rule for every calendar date a user sends or receives, over REST and GraphQL.

In: ``YYYY-MM-DD``. A year of 2400 or more is a Buddhist Era year (BE = CE + 543: 2568-10-01 is
1 October 2025); a smaller year is a Gregorian one. The day must exist once converted: BE 2567 is
CE 2024, so 2567-02-29 is a day, and 2568-02-29 (CE 2025) is not, though 2568 itself divides by
4. The converted day must lie before CE 2400 (BE 2943), so that every date the API gives out reads
back as the same day.

Out: ISO 8601 Gregorian dates (``YYYY-MM-DD``). Fiscal years are Buddhist Era integers
(:class:`app.domain.fiscal.FiscalYear`).

:data:`ThaiDate` is the type of every date field of a REST schema; the GraphQL ``Date`` scalar and
the record readers of the domain (people sync, plan documents) call :func:`parse_date`.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema
from pydantic_core import PydanticCustomError

BE_OFFSET = 543
BE_THRESHOLD = 2400  # a year from here on is a Buddhist Era year
LAST_DAY = date(BE_THRESHOLD - 1, 12, 31)  # the last day that reads back as itself
DATE_FORMAT_HINT = "a date YYYY-MM-DD (a year of 2400 or more is Buddhist Era)"
RULE = "date"  # the rule id of every problem with a date, in both APIs

_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def from_calendar(year: int, month: int, day: int) -> date | None:
    """The day written ``year-month-day`` (a Buddhist Era year from 2400 on), or ``None`` when
    there is no such day or it falls outside what the API keeps (after CE 2399)."""
    if year >= BE_THRESHOLD:
        year -= BE_OFFSET
    if not 1 <= year < BE_THRESHOLD:
        return None
    try:
        return date(year, month, day)
    except ValueError:  # 31 April, or 29 February of a year that is not a leap year
        return None


def normalise(day: date) -> date | None:
    """The text of a date that a decoder read as Gregorian (``msgspec``) read by the rule
    instead: its year of 2400 or more taken as Buddhist Era. ``None`` when there is no such day
    (``date(2568, 2, 29)`` is BE 2568 = CE 2025, which has no 29 February)."""
    if day.year < BE_THRESHOLD:
        return day
    return from_calendar(day.year, day.month, day.day)


def parse_date(text: str) -> date | None:
    """``YYYY-MM-DD`` (ASCII digits, surrounding whitespace ignored) by the rule, else ``None``."""
    if len(text) == 10 and text[4] == "-" == text[7] and text[:4] < "2400" and text.isascii():
        # the common case, a Gregorian date, in C (the dashes rule out ISO week dates)
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    match = _DAY.fullmatch(text.strip())
    if match is None:
        return None
    year, month, day = (int(g) for g in match.groups())
    return from_calendar(year, month, day)


def to_buddhist_era(day: date) -> str:
    """``day`` written with its Buddhist Era year (for Thai documents; the API answers ISO)."""
    return f"{day.year + BE_OFFSET:04d}-{day.month:02d}-{day.day:02d}"


def problem(value: object) -> str:
    """The message of a value that is not a date by the rule."""
    if not isinstance(value, str):
        return f"must be {DATE_FORMAT_HINT}"
    return f"{value[:40]!r} is not {DATE_FORMAT_HINT}, or there is no such day"


def _validate(value: Any) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value  # a day already (from the database or the domain), not text to read
    found = parse_date(value) if isinstance(value, str) else None
    if found is None:
        raise PydanticCustomError(RULE, problem(value))
    return found


ThaiDate = Annotated[
    date,
    BeforeValidator(_validate),
    PlainSerializer(date.isoformat, return_type=str, when_used="json"),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date",
            "description": (
                "YYYY-MM-DD. In: a year of 2400 or more is Buddhist Era (2568-10-01 = 2025-10-01), "
                "a smaller one Gregorian. Out: always Gregorian (ISO 8601)."
            ),
        }
    ),
]
"""A calendar date by the rule: Buddhist Era or Gregorian in, ISO 8601 Gregorian out."""

"""The plan model accepts any draft a person could write and rejects only what cannot be meant."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import pytest

from app.domain.planning.model import (
    Acknowledgement,
    Activity,
    DatePeriod,
    PlanState,
    QuarterPeriod,
    quarter_bounds,
)
from tests.unit.planning.builders import AT, FY, item, valid_plan


@pytest.mark.parametrize(
    ("start", "end", "months", "covered"),
    [
        (date(2024, 10, 1), date(2024, 12, 31), 3, True),
        (date(2024, 10, 1), date(2024, 12, 30), 3, False),
        (date(2024, 11, 15), date(2025, 2, 14), 3, True),
        (date(2024, 11, 15), date(2025, 2, 13), 3, False),
        (date(2025, 1, 31), date(2025, 4, 29), 3, True),  # 31 Jan + 3 months is 30 Apr
        (date(2024, 10, 1), date(2024, 10, 1), 0, True),
        (date(9999, 11, 1), date(9999, 12, 31), 3, False),
    ],
)
def test_a_dated_period_covers_whole_calendar_months(
    start: date, end: date, months: int, covered: bool
) -> None:
    assert DatePeriod(start, end).covers_months(months) is covered


def test_fiscal_quarters_run_october_to_september() -> None:
    assert [quarter_bounds(FY, q) for q in (1, 2, 3, 4)] == [
        (date(2024, 10, 1), date(2024, 12, 31)),
        (date(2025, 1, 1), date(2025, 3, 31)),
        (date(2025, 4, 1), date(2025, 6, 30)),
        (date(2025, 7, 1), date(2025, 9, 30)),
    ]
    assert QuarterPeriod(frozenset({2, 4})).bounds(FY) == (date(2025, 1, 1), date(2025, 9, 30))


REJECTED: list[tuple[str, Callable[[], object]]] = [
    ("quarters are one or more of 1, 2, 3, 4", lambda: QuarterPeriod(frozenset({5}))),
    ("quarters are one or more of 1, 2, 3, 4", lambda: QuarterPeriod(frozenset())),
    ("ends on or after its start", lambda: DatePeriod(date(2025, 2, 1), date(2025, 1, 31))),
    ("planned_hours is a number of hours", lambda: Activity("x", "coaching", Decimal(-1))),
    ("planned_hours is a number of hours", lambda: Activity("x", "coaching", Decimal("NaN"))),
    ("planned_hours is a number of hours", lambda: Activity("x", "coaching", Decimal(9000))),
    (
        "lecture_share is a percentage",
        lambda: Activity("x", "classroom_training", Decimal(1), Decimal(101)),
    ),
    ("priorities start at 1", lambda: item("x", 0)),
    ("carry a time zone", lambda: Acknowledgement("boss", datetime(2025, 1, 1, 9, 0))),
    ("ids are unique", lambda: valid_plan(items=(item("x", 1), item("x", 2)))),
    (
        "a draft carries no acknowledgement",
        lambda: valid_plan(state=PlanState.DRAFT, owner_ack=Acknowledgement("p", AT)),
    ),
    (
        "acknowledged by both",
        lambda: valid_plan(state=PlanState.ACKNOWLEDGED, owner_ack=Acknowledgement("p", AT)),
    ),
    ("numbered from 1", lambda: valid_plan(revision=0)),
]


@pytest.mark.parametrize(("message", "build"), REJECTED)
def test_values_that_cannot_be_meant_are_rejected(
    message: str, build: Callable[[], object]
) -> None:
    with pytest.raises(ValueError, match=message):
        build()


def test_text_is_nfc_normalised_and_trimmed() -> None:
    decomposed = unicodedata.normalize("NFD", " café สารบรรณ ")
    plan = valid_plan(unit=decomposed)
    first = replace(plan.items[0], topic=decomposed)
    assert plan.unit == "café สารบรรณ"
    assert first.topic == "café สารบรรณ"


def test_items_read_in_priority_order_whatever_order_they_were_given() -> None:
    plan = valid_plan(items=tuple(reversed(valid_plan().items)))
    assert [i.priority for i in plan.by_priority()] == [1, 2, 3, 4]
    assert plan.item("c") is plan.items[1]
    assert plan.item("zz") is None

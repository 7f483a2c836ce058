from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from app.domain.fiscal import FiscalYear


def test_fy2568_runs_from_october_2024_to_september_2025() -> None:
    fy = FiscalYear(2568)
    assert (fy.start, fy.end) == (date(2024, 10, 1), date(2025, 9, 30))
    assert FiscalYear.containing(date(2024, 10, 1)) == fy
    assert FiscalYear.containing(date(2024, 9, 30)) == FiscalYear(2567)
    assert str(fy) == "FY2568"


def test_quarters_follow_the_fiscal_calendar() -> None:
    fy = FiscalYear(2568)
    assert [
        fy.quarter_of(date(y, m, 15))
        for y, m in [(2024, 10), (2024, 12), (2025, 1), (2025, 4), (2025, 9)]
    ] == [1, 1, 2, 3, 4]


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2200, 12, 31)))
def test_every_day_belongs_to_exactly_the_year_that_contains_it(day: date) -> None:
    fy = FiscalYear.containing(day)
    assert fy.start <= day <= fy.end
    assert fy.end + timedelta(days=1) == fy.next().start
    assert 1 <= fy.quarter_of(day) <= 4

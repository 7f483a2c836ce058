"""The one date rule (app/domain/dates.py): YYYY-MM-DD in, a year of 2400 or more is Buddhist Era
(BE = CE + 543), anything else Gregorian; ISO 8601 Gregorian out."""

from __future__ import annotations

import calendar
import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from app.domain import dates
from app.domain.dates import ThaiDate, from_calendar, normalise, parse_date, to_buddhist_era

THAI_DATE = TypeAdapter(ThaiDate)
# every day the API keeps: each reads back as itself
KEPT = st.dates(min_value=date(1, 1, 1), max_value=dates.LAST_DAY)
# the days a BE year can name (BE 2400 = CE 1857)
BE_DAYS = st.dates(min_value=date(1857, 1, 1), max_value=dates.LAST_DAY)


@given(KEPT)
def test_a_gregorian_date_below_2400_reads_as_itself_and_goes_out_unchanged(day: date) -> None:
    text = day.isoformat()
    assert parse_date(text) == day
    assert THAI_DATE.validate_json(f'"{text}"') == day
    assert THAI_DATE.dump_json(day).decode() == f'"{text}"'


@given(BE_DAYS)
def test_the_same_day_in_buddhist_era_reads_as_that_day(day: date) -> None:
    be = to_buddhist_era(day)
    assert int(be[:4]) == day.year + 543 >= 2400
    assert parse_date(be) == day
    assert THAI_DATE.validate_python(be) == day


@given(KEPT)
def test_reading_what_the_api_writes_changes_nothing(day: date) -> None:
    out = THAI_DATE.dump_json(day)
    assert THAI_DATE.validate_json(out) == day
    assert parse_date(parse_date(day.isoformat()).isoformat()) == day  # type: ignore[union-attr]


def test_the_boundary_is_the_year_2400() -> None:
    assert parse_date("2399-12-31") == date(2399, 12, 31)  # Gregorian still
    assert parse_date("2400-01-01") == date(1857, 1, 1)  # Buddhist Era from here
    assert parse_date("2568-10-01") == date(2025, 10, 1)
    assert parse_date("2942-12-31") == date(2399, 12, 31)  # the last BE day the API keeps
    assert parse_date("2943-01-01") is None  # CE 2400: would read back as BE


@given(st.integers(min_value=2400, max_value=2942))
def test_29_february_exists_in_a_buddhist_era_year_exactly_when_it_does_in_its_gregorian_year(
    be_year: int,
) -> None:
    ce_year = be_year - 543
    found = parse_date(f"{be_year}-02-29")
    if calendar.isleap(ce_year):
        assert found == date(ce_year, 2, 29)
    else:
        assert found is None


def test_leap_days_follow_the_gregorian_year_not_the_buddhist_era_number() -> None:
    # BE 2567 = CE 2024, a leap year, though 2567 does not divide by 4
    assert parse_date("2567-02-29") == date(2024, 2, 29)
    # BE 2568 = CE 2025, not a leap year, though 2568 divides by 4
    assert parse_date("2568-02-29") is None
    # a decoder that read "2568-02-29" as Gregorian made a day that is no day by the rule
    assert normalise(date(2568, 2, 29)) is None
    assert normalise(date(2567, 3, 1)) == date(2024, 3, 1)
    assert normalise(date(2024, 2, 29)) == date(2024, 2, 29)


@given(st.integers(0, 9999), st.integers(0, 99), st.integers(0, 99))
def test_any_written_day_is_a_day_or_refused_never_an_error(
    year: int, month: int, day: int
) -> None:
    text = f"{year:04d}-{month:02d}-{day:02d}"
    found = parse_date(text)
    assert found == from_calendar(year, month, day)
    if found is None:
        with pytest.raises(ValidationError) as refused:
            THAI_DATE.validate_python(text)
        assert refused.value.errors()[0]["type"] == "date"
    else:
        assert found.year < 2400


@pytest.mark.parametrize(
    "text",
    ["01/10/2567", "2024-1-1", "2024-W01-1", "20241001", "2024-10-01T00:00:00", "๒๕๖๘-๑๐-๐๑", ""],
)
def test_other_spellings_are_refused(text: str) -> None:
    assert parse_date(text) is None
    with pytest.raises(ValidationError):
        THAI_DATE.validate_python(text)


@pytest.mark.parametrize("value", [20241001, 2024.5, True, None, ["2024-10-01"]])
def test_a_date_must_be_text(value: object) -> None:
    with pytest.raises(ValidationError) as refused:
        THAI_DATE.validate_python(value)
    assert refused.value.errors()[0]["type"] == "date"


@given(
    st.text(alphabet=st.sampled_from("0123456789-W+ :T๑٣"), max_size=12)
    | st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fullmatch=True)
)
def test_any_text_reads_as_the_written_rule_says_whatever_path_reads_it(text: str) -> None:
    match = re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", text.strip())
    expected = None if match is None else from_calendar(*(int(g) for g in match.groups()))
    assert parse_date(text) == expected

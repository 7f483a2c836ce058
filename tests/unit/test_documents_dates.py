"""The dates and numbers the printed forms and exports show: Buddhist Era, Thai month names."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from app.domain import dates
from app.domain.reporting.documents import THAI_MONTHS, thai_date, thai_digits
from app.domain.reporting.exports import be_date

ARABIC = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def test_a_known_day_prints_as_on_a_thai_form() -> None:
    assert thai_date(date(2026, 12, 6)) == "๖ ธันวาคม ๒๕๖๙"
    assert thai_date(date(2025, 10, 1), short=True) == "๑ ต.ค. ๒๕๖๘"
    # 20:00 UTC on 3 November is 03:00 on 4 November in Bangkok: the day the person signed
    assert thai_date(datetime(2024, 11, 3, 20, 0, tzinfo=UTC)) == "๔ พฤศจิกายน ๒๕๖๗"
    assert be_date(date(2025, 10, 1)) == "2568-10-01"


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2399, 12, 31)))
def test_every_day_reads_back_from_what_is_printed(day: date) -> None:
    number, month, year = thai_date(day).split(" ")
    assert int(number.translate(ARABIC)) == day.day
    assert THAI_MONTHS.index(month) + 1 == day.month
    assert int(year.translate(ARABIC)) - 543 == day.year
    assert dates.parse_date(be_date(day)) == day  # the CSV's text is the API's own date rule


@given(
    st.datetimes(
        timezones=st.just(UTC), min_value=datetime(2000, 1, 1), max_value=datetime(2300, 1, 1)
    )
)
def test_an_instant_is_dated_by_its_bangkok_day(moment: datetime) -> None:
    bangkok = (moment + timedelta(hours=7)).date()
    assert thai_date(moment) == thai_date(bangkok)


@given(st.integers(min_value=0, max_value=10**9))
def test_thai_digits_keep_the_number(value: int) -> None:
    assert int(thai_digits(value).translate(ARABIC)) == value

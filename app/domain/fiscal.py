"""Thai government fiscal years: 1 October to 30 September, named in the Buddhist Era.

FY2568 runs from 1 Oct 2024 to 30 Sep 2025 (BE = CE + 543).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from app.domain.dates import BE_OFFSET

# The Buddhist Era years a fiscal year may name: wide enough for any record, narrow enough that a
# common-era year (2025) or a stray number is refused rather than read as the distant past.
MIN_BE = 2400
MAX_BE = 2800
BANGKOK = timezone(timedelta(hours=7), "Asia/Bangkok")  # no daylight saving time


def bangkok_today() -> date:
    """Today's date in Thailand (a fiscal year and an end date are Thai dates, not UTC ones)."""
    return datetime.now(BANGKOK).date()


@dataclass(frozen=True, slots=True, order=True)
class FiscalYear:
    be: int

    def __post_init__(self) -> None:
        if not MIN_BE <= self.be <= MAX_BE:
            raise ValueError(f"fiscal year {self.be} is not a Buddhist Era year")

    @classmethod
    def containing(cls, day: date) -> FiscalYear:
        ce = day.year + 1 if day.month >= 10 else day.year
        return cls(ce + BE_OFFSET)

    @property
    def start(self) -> date:
        return date(self.be - BE_OFFSET - 1, 10, 1)

    @property
    def end(self) -> date:
        return date(self.be - BE_OFFSET, 9, 30)

    def quarter_of(self, day: date) -> int:
        """Fiscal quarter 1-4 (Q1 Oct-Dec ... Q4 Jul-Sep) of a day inside this year."""
        if not self.start <= day <= self.end:
            raise ValueError(f"{day} is outside FY{self.be}")
        return ((day.month - 10) % 12) // 3 + 1

    def next(self) -> FiscalYear:
        return FiscalYear(self.be + 1)

    def __str__(self) -> str:
        return f"FY{self.be}"

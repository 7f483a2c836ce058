"""Shares of effort: the 70:20:10 mix of buckets and the 70:30 present:future split.

Arithmetic is exact (``Fraction``), so shares of a positive total sum to exactly 100 and the
tolerance checks have no rounding edge cases; round only for display
(``rounded_percentages``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TypeVar

from app.domain.planning.methods import Bucket

K = TypeVar("K")

HUNDRED = Fraction(100)

Amount = Fraction | Decimal | int


def as_fraction(value: Amount) -> Fraction:
    return value if isinstance(value, Fraction) else Fraction(value)


def shares(amounts: Mapping[K, Amount]) -> dict[K, Fraction]:
    """Each key's percentage of the total. With a zero total every share is 0."""
    total = sum((as_fraction(v) for v in amounts.values()), Fraction(0))
    if total == 0:
        return dict.fromkeys(amounts, Fraction(0))
    return {key: as_fraction(value) * HUNDRED / total for key, value in amounts.items()}


def within(share: Fraction, target: Amount, tolerance: Amount) -> bool:
    """Whether a share lies within ``tolerance`` percentage points of ``target``."""
    return abs(share - as_fraction(target)) <= as_fraction(tolerance)


def rounded_percentages(values: Mapping[K, Fraction]) -> dict[K, int]:
    """Whole percentages that still sum to the rounded total (largest remainder method).

    Shares of a positive total become integers summing to exactly 100, as a report shows them.
    """
    floors = {key: int(value // 1) for key, value in values.items()}
    target_sum = round(sum(values.values(), Fraction(0)))
    missing = target_sum - sum(floors.values())
    by_remainder = sorted(values, key=lambda k: values[k] - floors[k], reverse=True)
    for key in by_remainder[: max(missing, 0)]:
        floors[key] += 1
    return floors


@dataclass(frozen=True, slots=True)
class BucketMix:
    """Hours per 70:20:10 bucket (every bucket present, possibly 0)."""

    hours: Mapping[Bucket, Fraction]

    @property
    def total(self) -> Fraction:
        return sum(self.hours.values(), Fraction(0))

    def shares(self) -> dict[Bucket, Fraction]:
        return shares(self.hours)

    def deviations(self, target: Mapping[Bucket, Amount]) -> dict[Bucket, Fraction]:
        """Percentage points above (+) or below (-) the target, per bucket."""
        current = self.shares()
        return {bucket: current[bucket] - as_fraction(target[bucket]) for bucket in Bucket}


def mix_of(efforts: Iterable[tuple[Bucket, Amount]]) -> BucketMix:
    """Sum hours per bucket."""
    hours = dict.fromkeys(Bucket, Fraction(0))
    for bucket, amount in efforts:
        hours[bucket] += as_fraction(amount)
    return BucketMix(hours)

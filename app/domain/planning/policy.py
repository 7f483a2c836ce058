"""An agency's planning policy: every number the plan rules use, with the seeds' defaults.

The seeds disagree with themselves in places (3 topics a year or 2, online courses in 10 or 70),
so each rule reads its numbers from here and an agency may choose.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from app.domain.errors import FieldError, ValidationFailed
from app.domain.planning.methods import Bucket


def _seed_mix() -> dict[Bucket, Decimal]:
    return {Bucket.DOING: Decimal(70), Bucket.OTHERS: Decimal(20), Bucket.TRAINING: Decimal(10)}


@dataclass(frozen=True, slots=True)
class PlanningPolicy:
    # E3: 2-4 items on IDP1, in priority order (004:1646, rows 1-4 at 004:1648-1651).
    min_items: int = 2
    max_items: int = 4
    # E7: each item's development period lasts at least 3 months (004:1646).
    min_period_months: int = 3
    # C1: 70:20:10 of planned effort (003:697; 004:863-865), within this many percentage
    # points per bucket. The seeds give no tolerance; 10 points lets a plan be 60:30:10 or
    # 80:15:5 while still recognisably 70:20:10.
    mix_target: Mapping[Bucket, Decimal] = field(default_factory=_seed_mix)
    mix_tolerance_points: Decimal = Decimal(10)
    # C7: lecture at most 60% of a training's time, other formats at least 40%
    # (003:705; 004:240, 882).
    max_lecture_percent: Decimal = Decimal(60)
    # D4: at least 10 development days per person per year (004:1438). The seeds do not say
    # how many hours make a development day; 6 hours of contact time is the usual count for
    # one training day in the Thai public service (a 7-hour working day less breaks).
    min_development_days: Decimal = Decimal(10)
    hours_per_development_day: Decimal = Decimal(6)
    # D4: at least 3 topics a year (004:1397); the appendix says 2 competencies a year
    # (004:1438), so an agency may set 2.
    min_topics: int = 3
    # C6: 70% of development time for present work, 30% for the future (003:606, 655),
    # reported as a warning when the present share is further than the tolerance from 70.
    present_percent_target: Decimal = Decimal(70)
    present_tolerance_points: Decimal = Decimal(10)
    # C5: an online training course counts as 10 on IDP1 and in the appendix (004:1425, 1610,
    # 1647); an agency following its curriculum headers (004:1152) may count it as 70.
    online_course_bucket: Bucket = Bucket.TRAINING

    def __post_init__(self) -> None:
        problems = _problems(self)
        if problems:
            raise ValidationFailed(problems)

    @property
    def min_development_hours(self) -> Decimal:
        return self.min_development_days * self.hours_per_development_day

    def with_overrides(self, overrides: Mapping[str, Any]) -> PlanningPolicy:
        """This policy with an agency's settings applied; every bad setting is reported."""
        return replace(self, **_parse(overrides))

    def as_json(self) -> dict[str, Any]:
        """Every setting as its real JSON type: numbers as numbers, the mix keyed by bucket."""
        data: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "mix_target":
                value = {str(int(b)): _number(v) for b, v in value.items()}
            elif isinstance(value, Bucket):
                value = int(value)
            elif isinstance(value, Decimal):
                value = _number(value)
            data[f.name] = value
        return data

    def as_dict(self) -> dict[str, Any]:
        """The stored form (decimals as exact strings)."""
        data: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "mix_target":
                value = {str(int(b)): str(v) for b, v in value.items()}
            elif isinstance(value, Bucket):
                value = int(value)
            elif isinstance(value, Decimal):
                value = str(value)
            data[f.name] = value
        return data


_INTS = ("min_items", "max_items", "min_period_months", "min_topics")
# Each number setting with its largest sensible value.
_DECIMALS = {
    "mix_tolerance_points": 100,
    "max_lecture_percent": 100,
    "min_development_days": 366,
    "hours_per_development_day": 24,
    "present_percent_target": 100,
    "present_tolerance_points": 100,
}


def _problems(p: PlanningPolicy) -> list[FieldError]:
    out: list[FieldError] = []

    def bad(name: str, message: str) -> None:
        out.append(FieldError(f"/{name}", "P-POLICY", message))

    if not 1 <= p.min_items <= 100:
        bad("min_items", "from 1 to 100")
    if not p.min_items <= p.max_items <= 100:
        bad("max_items", "from min_items to 100")
    if not 0 <= p.min_period_months <= 12:
        bad("min_period_months", "from 0 to 12")
    if not 0 <= p.min_topics <= 100:
        bad("min_topics", "from 0 to 100")
    for name, upper in _DECIMALS.items():
        value = getattr(p, name)
        if not (value.is_finite() and 0 <= value <= upper):
            bad(name, f"a number from 0 to {upper}")
    if p.hours_per_development_day == 0:
        bad("hours_per_development_day", "must be above 0")
    if set(p.mix_target) != set(Bucket):
        bad("mix_target", "must give a share for each of the buckets 70, 20 and 10")
    elif any(not v.is_finite() or v < 0 for v in p.mix_target.values()):
        bad("mix_target", "shares must be numbers not below 0")
    elif sum(p.mix_target.values()) != 100:
        bad("mix_target", "shares must sum to 100")
    return out


def _parse(overrides: Mapping[str, Any]) -> dict[str, Any]:
    known = {f.name for f in fields(PlanningPolicy)}
    values: dict[str, Any] = {}
    errors: list[FieldError] = []
    for name, raw in overrides.items():
        pointer = f"/{name}"
        try:
            if name not in known:
                raise ValueError("unknown policy setting")
            if name in _INTS:
                if isinstance(raw, bool) or not isinstance(raw, int):
                    raise ValueError("must be a whole number")
                values[name] = raw
            elif name in _DECIMALS:
                values[name] = _decimal(raw)
            elif name == "online_course_bucket":
                values[name] = Bucket(int(raw))
            else:
                values[name] = {Bucket(int(k)): _decimal(v) for k, v in dict(raw).items()}
        except (ValueError, TypeError, InvalidOperation) as exc:
            errors.append(FieldError(pointer, "P-POLICY", str(exc) or "not a valid value"))
    if errors:
        raise ValidationFailed(errors)
    return values


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _decimal(raw: Any) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
        raise ValueError("must be a number")
    value = Decimal(str(raw))
    if not value.is_finite():
        raise ValueError("must be a finite number")
    return value


# The seeds' defaults, for an agency that has set nothing.
SEED_POLICY = PlanningPolicy()

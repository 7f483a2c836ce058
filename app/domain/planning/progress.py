"""Progress of a plan: actual effort per activity and the actual 70:20:10 mix against the plan.

Effort is recorded by hand, or arrives from e-learning providers' completions (xAPI, see
docs/xapi.md) as entries with source ``completion``; both count the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from app.domain.errors import FieldError, ValidationFailed
from app.domain.planning.lifecycle import Action, Relation, require
from app.domain.planning.methods import Bucket, bucket_of, method_by_code
from app.domain.planning.mix import BucketMix, as_fraction, mix_of
from app.domain.planning.model import MAX_HOURS, DevelopmentPlan, PlanState
from app.domain.planning.policy import SEED_POLICY, PlanningPolicy
from app.domain.text import nfc


class EffortSource(StrEnum):
    MANUAL = "manual"
    COMPLETION = "completion"


@dataclass(frozen=True, slots=True)
class EffortEntry:
    activity_id: str
    hours: Decimal
    on: date | None = None
    source: EffortSource = EffortSource.MANUAL
    note: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "note", nfc(self.note))


@dataclass(frozen=True, slots=True)
class ActivityProgress:
    item_id: str
    activity_id: str
    method: str
    bucket: Bucket | None  # None for a method outside the vocabulary
    planned_hours: Decimal
    actual_hours: Decimal

    @property
    def percent_done(self) -> Fraction | None:
        """Actual as a percentage of planned (may exceed 100); None when nothing was planned."""
        if self.planned_hours == 0:
            return None
        return as_fraction(self.actual_hours) * 100 / as_fraction(self.planned_hours)


@dataclass(frozen=True, slots=True)
class PlanProgress:
    activities: tuple[ActivityProgress, ...]
    planned: BucketMix
    actual: BucketMix

    @property
    def planned_hours(self) -> Decimal:
        return sum((a.planned_hours for a in self.activities), Decimal(0))

    @property
    def actual_hours(self) -> Decimal:
        return sum((a.actual_hours for a in self.activities), Decimal(0))

    def mix_gap(self) -> dict[Bucket, Fraction]:
        """Percentage points by which the actual share of each bucket differs from the plan."""
        planned, actual = self.planned.shares(), self.actual.shares()
        return {bucket: actual[bucket] - planned[bucket] for bucket in Bucket}


def progress(
    plan: DevelopmentPlan,
    entries: Iterable[EffortEntry],
    policy: PlanningPolicy = SEED_POLICY,
) -> PlanProgress:
    """Planned against actual, per activity and per bucket; entries for other plans' activities
    are ignored."""
    actual: dict[str, Decimal] = {}
    for entry in entries:
        actual[entry.activity_id] = actual.get(entry.activity_id, Decimal(0)) + entry.hours
    rows: list[ActivityProgress] = []
    for item in plan.by_priority():
        for activity in item.activities:
            method = method_by_code(activity.method)
            bucket = None if method is None else bucket_of(method, policy.online_course_bucket)
            rows.append(
                ActivityProgress(
                    item_id=item.id,
                    activity_id=activity.id,
                    method=activity.method,
                    bucket=bucket,
                    planned_hours=activity.planned_hours,
                    actual_hours=actual.get(activity.id, Decimal(0)),
                )
            )
    return PlanProgress(
        activities=tuple(rows),
        planned=mix_of((r.bucket, r.planned_hours) for r in rows if r.bucket is not None),
        actual=mix_of((r.bucket, r.actual_hours) for r in rows if r.bucket is not None),
    )


def record_effort(
    plan: DevelopmentPlan, relation: Relation, entry: EffortEntry
) -> tuple[DevelopmentPlan, EffortEntry]:
    """Check an entry of actual effort; the first one starts an acknowledged plan."""
    require(Action.RECORD_PROGRESS, relation, plan.state)
    problems: list[FieldError] = []
    if not any(a.id == entry.activity_id for i in plan.items for a in i.activities):
        problems.append(
            FieldError("/activity_id", "P-PROGRESS-ACTIVITY", "no such activity in this plan")
        )
    if not (entry.hours.is_finite() and 0 < entry.hours <= MAX_HOURS):
        problems.append(
            FieldError("/hours", "P-PROGRESS-HOURS", f"hours are above 0 and at most {MAX_HOURS}")
        )
    if entry.on is not None and not plan.fiscal_year.start <= entry.on <= plan.fiscal_year.end:
        problems.append(
            FieldError("/on", "P-PROGRESS-DATE", f"the day is outside {plan.fiscal_year}")
        )
    if problems:
        raise ValidationFailed(problems)
    if plan.state is PlanState.ACKNOWLEDGED:
        plan = replace(plan, state=PlanState.IN_PROGRESS)
    return plan, entry

"""The individual development plan (IDP1, 004:1638-1655) and its evaluation (IDP2, 004:1657-1680).

Plain immutable values. A plan is one revision of one person's plan for one fiscal year; a change
to an acknowledged plan is a new revision (``lifecycle.revise``), so an old revision never
changes. Constructors reject only values that cannot be meant (negative hours, quarter 5, two
items with one id); everything a person can get wrong is a finding of ``validation.validate``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from app.domain.fiscal import FiscalYear
from app.domain.text import nfc


class Reason(StrEnum):
    """Why an item is developed (004:1391-1395, 1431-1436)."""

    GAP = "gap"  # a weakness found by the assessment
    STRENGTH = "strength"  # a strength worth extending
    POSITION_REQUIRED = "position_required"  # required by the position, maybe not assessed


class ProfileTarget(StrEnum):
    """Whether the item serves present work or prepares for the next stage (003:606, 655)."""

    PRESENT = "present"
    FUTURE = "future"


class Evaluator(StrEnum):
    """Who evaluates the development (IDP1 column 6, 004:1646-1647)."""

    SELF = "self"
    SUPERVISOR = "supervisor"
    PEER = "peer"


class PlanState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in_progress"
    EVALUATED = "evaluated"


class Outcome(StrEnum):
    """IDP2 status of an item (004:1667)."""

    AS_PLANNED = "as_planned"
    NOT_AS_PLANNED = "not_as_planned"


class NextStep(StrEnum):
    """IDP2 decision for an item (004:1667)."""

    CONTINUE = "continue"
    REVISE = "revise"


def quarter_bounds(fiscal_year: FiscalYear, quarter: int) -> tuple[date, date]:
    """First and last day of a fiscal quarter: Q1 Oct-Dec ... Q4 Jul-Sep (004:1647)."""
    if not 1 <= quarter <= 4:
        raise ValueError(f"quarter {quarter} is not 1-4")
    first = _add_months(fiscal_year.start, 3 * (quarter - 1))
    return first, _add_months(first, 3) - timedelta(days=1)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    next_month = date(year + (month == 12), month % 12 + 1, 1)
    last_day = (next_month - timedelta(days=1)).day
    return date(year, month, min(day.day, last_day))


@dataclass(frozen=True, slots=True)
class QuarterPeriod:
    """The quarters ticked on IDP1; each counts three months."""

    quarters: frozenset[int]

    def __post_init__(self) -> None:
        if not self.quarters or not all(1 <= q <= 4 for q in self.quarters):
            raise ValueError("quarters are one or more of 1, 2, 3, 4")

    def months(self) -> int:
        return 3 * len(self.quarters)

    def covers_months(self, months: int) -> bool:
        return self.months() >= months

    def bounds(self, fiscal_year: FiscalYear) -> tuple[date, date]:
        return (
            quarter_bounds(fiscal_year, min(self.quarters))[0],
            quarter_bounds(fiscal_year, max(self.quarters))[1],
        )


@dataclass(frozen=True, slots=True)
class DatePeriod:
    """A period given by its first and last day (both included)."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a period ends on or after its start")

    def covers_months(self, months: int) -> bool:
        """1 Oct - 31 Dec covers 3 months; 1 Oct - 30 Dec does not."""
        try:
            last_needed = _add_months(self.start, months) - timedelta(days=1)
        except (ValueError, OverflowError):  # beyond the calendar: cannot be covered
            return False
        return self.end >= last_needed

    def bounds(self, fiscal_year: FiscalYear) -> tuple[date, date]:
        return self.start, self.end


Period = QuarterPeriod | DatePeriod


# More hours than a leap year has cannot be meant for one activity.
MAX_HOURS = Decimal(366 * 24)


def _hours(value: Decimal, name: str) -> None:
    if not value.is_finite() or not 0 <= value <= MAX_HOURS:
        raise ValueError(f"{name} is a number of hours from 0 to {MAX_HOURS}")


@dataclass(frozen=True, slots=True)
class CourseRef:
    """A catalogue course, by its provider's code and its own (stable) code."""

    provider: str
    code: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "provider", nfc(self.provider).strip())
        object.__setattr__(self, "code", nfc(self.code).strip())
        if not self.provider or not self.code:
            raise ValueError("a course reference names a provider and a course code")

    def __str__(self) -> str:
        return f"{self.provider}/{self.code}"


@dataclass(frozen=True, slots=True)
class Activity:
    """One development method for an item (IDP1 column 3: one topic may use several methods)."""

    id: str
    method: str  # a code from methods.METHODS
    planned_hours: Decimal
    # Percentage (0-100) of this activity's time spent in lecture; stated for training (C7).
    lecture_share: Decimal | None = None
    description: str = ""
    # The catalogue course this activity takes, if any (its method is one the course serves).
    course: CourseRef | None = None

    def __post_init__(self) -> None:
        _hours(self.planned_hours, "planned_hours")
        if self.lecture_share is not None and not (
            self.lecture_share.is_finite() and 0 <= self.lecture_share <= 100
        ):
            raise ValueError("lecture_share is a percentage from 0 to 100")
        object.__setattr__(self, "description", nfc(self.description))


@dataclass(frozen=True, slots=True)
class PlanItem:
    """One row of IDP1: what is developed, why, how, for what work, when, evaluated by whom."""

    id: str
    priority: int  # 1 = most important (004:1648)
    framework_items: tuple[str, ...]  # framework item codes, e.g. "DLit100", "K-R3"
    reason: Reason
    reason_note: str = ""  # required for position_required (004:1436)
    target: ProfileTarget = ProfileTarget.PRESENT
    topic: str = ""  # free text (IDP1 column 2) ...
    course_ref: str | None = None  # ... or a catalogue course
    activities: tuple[Activity, ...] = ()
    application: str = ""  # the work it will improve (IDP1 column 4)
    period: Period | None = None
    evaluation_methods: frozenset[Evaluator] = frozenset()

    def __post_init__(self) -> None:
        if self.priority < 1:
            raise ValueError("priorities start at 1")
        for name in ("reason_note", "topic", "application"):
            object.__setattr__(self, name, nfc(getattr(self, name)))
        object.__setattr__(self, "framework_items", tuple(nfc(c) for c in self.framework_items))
        if self.course_ref is not None:
            object.__setattr__(self, "course_ref", nfc(self.course_ref) or None)

    @property
    def planned_hours(self) -> Decimal:
        return sum((a.planned_hours for a in self.activities), Decimal(0))


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    """A signature on the form: who, and when (004:1652-1655, 1672-1680)."""

    by: str
    at: datetime

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            raise ValueError("acknowledgement times carry a time zone")


@dataclass(frozen=True, slots=True)
class ItemEvaluation:
    """One row of IDP2 (004:1665-1670)."""

    item_id: str
    outcome: Outcome | None = None
    next_step: NextStep | None = None
    narrative: str = ""  # progress made, or what kept it from going to plan (004:1667)
    suggestions: str = ""  # further development suggested

    def __post_init__(self) -> None:
        object.__setattr__(self, "narrative", nfc(self.narrative))
        object.__setattr__(self, "suggestions", nfc(self.suggestions))


@dataclass(frozen=True, slots=True)
class PlanEvaluation:
    items: tuple[ItemEvaluation, ...] = ()
    owner_ack: Acknowledgement | None = None
    supervisor_ack: Acknowledgement | None = None

    @property
    def acknowledged(self) -> bool:
        return self.owner_ack is not None and self.supervisor_ack is not None

    def wants_revision(self) -> bool:
        return any(e.next_step is NextStep.REVISE for e in self.items)


_SIGNED = frozenset({PlanState.ACKNOWLEDGED, PlanState.IN_PROGRESS, PlanState.EVALUATED})


@dataclass(frozen=True, slots=True)
class DevelopmentPlan:
    """One revision of a person's IDP for a fiscal year, with the form's header (004:1642-1644)."""

    id: str  # the plan: the same for every revision
    person_id: str
    fiscal_year: FiscalYear
    person_name: str
    position: str
    unit: str
    baseline_assessment_id: str | None
    items: tuple[PlanItem, ...] = ()
    revision: int = 1
    revised_from: int | None = None
    state: PlanState = PlanState.DRAFT
    created_at: datetime | None = None
    submitted_at: datetime | None = None
    owner_ack: Acknowledgement | None = None
    supervisor_ack: Acknowledgement | None = None
    evaluation: PlanEvaluation | None = None

    def __post_init__(self) -> None:
        for name in ("person_name", "position", "unit"):
            object.__setattr__(self, name, nfc(getattr(self, name)))
        if self.revision < 1 or (self.revised_from is not None and self.revised_from < 1):
            raise ValueError("revisions are numbered from 1")
        item_ids = [i.id for i in self.items]
        activity_ids = [a.id for i in self.items for a in i.activities]
        if len(set(item_ids)) != len(item_ids) or len(set(activity_ids)) != len(activity_ids):
            raise ValueError("item ids and activity ids are unique within a plan")
        acks = (self.owner_ack, self.supervisor_ack)
        if self.state is PlanState.DRAFT and any(acks):
            raise ValueError("a draft carries no acknowledgement")
        if self.state in _SIGNED and not all(acks):
            raise ValueError(f"a plan {self.state.value} is acknowledged by both")
        if self.state is PlanState.EVALUATED and not (
            self.evaluation is not None and self.evaluation.acknowledged
        ):
            raise ValueError("an evaluated plan has an evaluation acknowledged by both")

    @property
    def in_force(self) -> bool:
        """Agreed by the person and the supervisor and not yet evaluated (E9)."""
        return self.state in (PlanState.ACKNOWLEDGED, PlanState.IN_PROGRESS)

    def item(self, item_id: str) -> PlanItem | None:
        return next((i for i in self.items if i.id == item_id), None)

    def by_priority(self) -> tuple[PlanItem, ...]:
        return tuple(sorted(self.items, key=lambda i: i.priority))

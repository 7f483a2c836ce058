"""Courses for a person's gaps: in the assessment's priority order (present before future), the
courses mapped to the gap's items for the person's staff groups, each with why."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class GapFacts:
    """A gap of the assessment as the catalogue needs it. ``codes`` are the requirement's code
    and its rated items not met (a unit's criteria), any of which a course may be mapped to."""

    code: str
    title: str
    target: str  # "present" or "future": the first target the requirement serves
    codes: tuple[str, ...]
    rank: int  # position in the assessment's priority order, 0 first


@dataclass(frozen=True, slots=True)
class CourseFacts:
    """A catalogue course as matching sees it."""

    id: str
    provider: str
    code: str
    title_th: str
    hours: Decimal | None
    items: frozenset[str]
    groups: frozenset[str]  # empty: for every staff group
    methods: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Reason:
    gap: str  # the requirement code of the gap
    item: str  # the framework item the course is mapped to
    target: str
    rank: int


@dataclass(frozen=True, slots=True)
class Recommendation:
    course: CourseFacts
    reasons: tuple[Reason, ...]

    @property
    def rank(self) -> int:
        return self.reasons[0].rank


def serves_groups(course: CourseFacts, groups: frozenset[str]) -> bool:
    return not course.groups or not groups or bool(course.groups & groups)


def recommend(
    gaps: Sequence[GapFacts], groups: frozenset[str], courses: Sequence[CourseFacts]
) -> list[Recommendation]:
    """Each course once, at its most urgent gap; then by provider and code. A course mapped to
    several gaps lists every one of them in its reasons, most urgent first."""
    found: dict[str, list[Reason]] = {}
    by_id = {c.id: c for c in courses}
    for gap in sorted(gaps, key=lambda g: g.rank):
        for course in courses:
            if not serves_groups(course, groups):
                continue
            for code in gap.codes:
                if code in course.items:
                    found.setdefault(course.id, []).append(
                        Reason(gap.code, code, gap.target, gap.rank)
                    )
                    break
    out = [Recommendation(by_id[i], tuple(reasons)) for i, reasons in found.items()]
    return sorted(out, key=lambda r: (r.rank, r.course.provider, r.course.code))

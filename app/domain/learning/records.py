"""Learning records: which xAPI verbs count as learning, what each one's outcome is, how many
hours it stands for, and which activity of a person's plan a completion counts towards.

Accepted verbs (docs/xapi.md "From statements to plans and evidence"):

* ADL's ``completed``, ``passed``, ``failed`` (the xAPI vocabulary and cmi5, which uses them for
  an assignable unit), and ``mastered`` (ADL: the highest level of accomplishment: a pass);
* cmi5's ``satisfied`` (``https://w3id.org/xapi/adl/verbs/satisfied``: the LMS says a block or
  course's move-on criteria are met: a completion) and ``waived`` (the learner need not take it:
  recorded, counted as nothing);
* Activity Streams' ``complete`` (``http://activitystrea.ms/schema/1.0/complete``, in the xAPI
  vocabulary, sent by LMSs that speak Activity Streams): a completion.

A ``completed`` whose ``result.completion`` is ``false`` is recorded as ``other``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from app.domain.learning.statements import duration_hours
from app.domain.planning.methods import Bucket, bucket_of, method_by_code
from app.domain.planning.model import MAX_HOURS, DevelopmentPlan


class Outcome(StrEnum):
    COMPLETED = "completed"
    PASSED = "passed"
    FAILED = "failed"
    OTHER = "other"

    @property
    def counts(self) -> bool:
        """Effort on a plan and evidence on framework items."""
        return self in (Outcome.COMPLETED, Outcome.PASSED)


ADL = "http://adlnet.gov/expapi/verbs/"
ACCEPTED_VERBS: Mapping[str, Outcome] = {
    ADL + "completed": Outcome.COMPLETED,
    ADL + "passed": Outcome.PASSED,
    ADL + "mastered": Outcome.PASSED,
    ADL + "failed": Outcome.FAILED,
    "https://w3id.org/xapi/adl/verbs/satisfied": Outcome.COMPLETED,
    "https://w3id.org/xapi/adl/verbs/waived": Outcome.OTHER,
    "http://activitystrea.ms/schema/1.0/complete": Outcome.COMPLETED,
}


def outcome_of(verb: str, statement: Mapping[str, Any]) -> Outcome | None:
    """The outcome of a statement with this verb, or None for a verb that is not learning."""
    found = ACCEPTED_VERBS.get(verb)
    if found is Outcome.COMPLETED:
        result = statement.get("result")
        if isinstance(result, dict) and result.get("completion") is False:
            return Outcome.OTHER
    return found


def hours_of(statement: Mapping[str, Any], course_hours: Decimal | None) -> Decimal | None:
    """``result.duration`` in hours (rounded to hundredths, at most a year's) where given and
    above zero, else the course's hours (None when neither is known)."""
    result = statement.get("result")
    if isinstance(result, dict):
        hours = duration_hours(result.get("duration"))
        if hours is not None and hours > 0:
            return min(hours, MAX_HOURS).quantize(Decimal("0.01"))
    return course_hours


@dataclass(frozen=True, slots=True)
class CourseFacts:
    provider: str
    code: str
    methods: tuple[str, ...]
    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PlanMatch:
    activity_id: str
    method: str
    bucket: Bucket | None


def _covers(plan_codes: Iterable[str], course_codes: Iterable[str]) -> bool:
    """A plan item's framework items and a course's share an item, or one holds the other
    (unit DLit400 holds criterion DLit400.1)."""
    courses = tuple(course_codes)
    for p in plan_codes:
        for c in courses:
            if p == c or c.startswith(p + ".") or p.startswith(c + "."):
                return True
    return False


def matching_activity(
    plan: DevelopmentPlan, course: CourseFacts, online_course_bucket: Bucket = Bucket.TRAINING
) -> PlanMatch | None:
    """The plan activity a completion of ``course`` counts towards, in the plan's priority order:
    first an activity that takes this very course (its course reference, or its item's); else an
    activity whose method is one the course serves, on an item whose framework items the course
    develops. None when no activity matches (the completion still counts as learning)."""
    ref = f"{course.provider}/{course.code}"
    items = plan.by_priority()
    chosen = None
    for item in items:
        for activity in item.activities:
            takes = activity.course is not None and str(activity.course) == ref
            if takes or (activity.course is None and item.course_ref == ref):
                chosen = activity
                break
        if chosen is not None:
            break
    if chosen is None:
        for item in items:
            if not _covers(item.framework_items, course.items):
                continue
            chosen = next((a for a in item.activities if a.method in course.methods), None)
            if chosen is not None:
                break
    if chosen is None:
        return None
    method = method_by_code(chosen.method)
    bucket = None if method is None else bucket_of(method, online_course_bucket)
    return PlanMatch(chosen.id, chosen.method, bucket)


def course_bucket(methods: Iterable[str], online_course_bucket: Bucket) -> Bucket | None:
    """The bucket of a completion no plan activity took: the course's first known method's."""
    for code in methods:
        method = method_by_code(code)
        if method is not None:
            return bucket_of(method, online_course_bucket)
    return None

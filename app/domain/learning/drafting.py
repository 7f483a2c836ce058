"""A whole IDP1 drafted from a finalised assessment, so that nobody starts from a blank form.

From the gaps in the assessment's priority order (present before future) it takes as many items
as the agency's policy asks (2-4 on the seed policy), keeps at least one future item when the
policy wants 70:30 and the assessment found a future gap, fills with strengths worth extending
when there are too few gaps, and gives each item a topic (the recommended course of the person's
staff group when the catalogue has one, else the requirement itself), activities in every bucket
the policy's 70:20:10 asks for (the course's own methods first), and hours split so that the
plan meets the policy's mix and present:future split and its minimum volume. The draft passes
``app.domain.planning.validation.validate`` with no error (warnings may remain: a course longer
than its share of hours, for instance); the person and their supervisor then edit it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_HALF_EVEN, Decimal
from math import ceil

from app.domain.errors import Conflict
from app.domain.learning.recommendations import GapFacts, Recommendation
from app.domain.planning.methods import METHODS, Bucket, bucket_of, method_by_code
from app.domain.planning.model import (
    Activity,
    CourseRef,
    Evaluator,
    PlanItem,
    ProfileTarget,
    QuarterPeriod,
    Reason,
)
from app.domain.planning.policy import PlanningPolicy
from app.domain.planning.validation import PlanContext
from app.domain.text import search_key

CENT = Decimal("0.01")
# Hours a draft plans at least, when the policy's minimum volume is lower (10 days of 6 hours).
BASE_HOURS = Decimal(60)
# What a method is when no catalogue course offers one for the bucket.
DEFAULT_METHODS: dict[Bucket, tuple[str, ...]] = {
    Bucket.DOING: ("on_the_job_training", "project_assignment", "self_learning_implementation"),
    Bucket.OTHERS: ("coaching", "mentoring_program", "consulting"),
    Bucket.TRAINING: ("classroom_training", "public_training", "meeting_seminar"),
}
APPLICATION_TH = "นำความรู้และทักษะด้าน{title}ไปใช้พัฒนางานในหน้าที่"
POSITION_NOTE_TH = "ผลการประเมินพบว่ายังไม่มีทักษะนี้ ซึ่งจำเป็นต่องานในตำแหน่ง"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A requirement the draft may develop: a gap, or a strength worth extending."""

    facts: GapFacts
    reason: Reason


@dataclass(frozen=True, slots=True)
class _Chosen:
    facts: GapFacts
    reason: Reason
    target: ProfileTarget
    note: str


def draft_items(
    gaps: Sequence[GapFacts],
    strengths: Sequence[GapFacts],
    recommendations: Sequence[Recommendation],
    context: PlanContext,
    policy: PlanningPolicy,
    new_id: Callable[[], str],
) -> tuple[PlanItem, ...]:
    """The draft's items; Conflict when the assessment gives too few requirements to plan."""
    chosen = _choose(gaps, strengths, context, policy)
    hours = _item_hours(chosen, policy)
    course_of = _course_per_gap(recommendations)
    items: list[PlanItem] = []
    topics: set[str] = set()
    for priority, (pick, item_hours) in enumerate(zip(chosen, hours, strict=True), 1):
        course = course_of.get(pick.facts.code)
        topic = _unique_topic(course.course.title_th if course else pick.facts.title, pick, topics)
        ref = CourseRef(course.course.provider, course.course.code) if course else None
        items.append(
            PlanItem(
                id=new_id(),
                priority=priority,
                framework_items=(pick.facts.code,),
                reason=pick.reason,
                reason_note=pick.note,
                target=pick.target,
                topic=topic,
                activities=_activities(
                    item_hours, policy, course.course.methods if course else (), ref, new_id
                ),
                application=APPLICATION_TH.format(title=pick.facts.title),
                period=_period(policy),
                evaluation_methods=frozenset({Evaluator.SELF, Evaluator.SUPERVISOR}),
            )
        )
    return tuple(items)


def _choose(
    gaps: Sequence[GapFacts],
    strengths: Sequence[GapFacts],
    context: PlanContext,
    policy: PlanningPolicy,
) -> list[_Chosen]:
    known = context.framework_items
    pool: list[_Chosen] = []
    outside: list[_Chosen] = []
    seen: set[str] = set()
    ordered = [(g, Reason.GAP) for g in sorted(gaps, key=lambda g: g.rank)]
    ordered += [(s, Reason.STRENGTH) for s in sorted(strengths, key=lambda s: s.rank)]
    for facts, reason in ordered:
        if facts.code in seen or (known is not None and facts.code not in known):
            continue
        seen.add(facts.code)
        wanted = ProfileTarget(facts.target)
        other = ProfileTarget.FUTURE if wanted is ProfileTarget.PRESENT else ProfileTarget.PRESENT
        if facts.code in context.allowed(wanted):
            pool.append(_Chosen(facts, reason, wanted, ""))
        elif facts.code in context.allowed(other):
            pool.append(_Chosen(facts, reason, other, ""))
        elif reason is Reason.GAP:
            outside.append(
                _Chosen(facts, Reason.POSITION_REQUIRED, ProfileTarget.PRESENT, POSITION_NOTE_TH)
            )
    pool += outside
    upper = policy.max_items
    lower = min(upper, max(policy.min_items, policy.min_topics, 2))
    count = max(lower, min(upper, 4, len(pool)))
    if len(pool) < count:
        raise Conflict(
            f"the assessment gives {len(pool)} requirement(s) to develop; the agency's policy"
            f" asks for at least {count} plan items",
            rule="E3",
        )
    present = [c for c in pool if c.target is ProfileTarget.PRESENT]
    future = [c for c in pool if c.target is ProfileTarget.FUTURE]
    share = policy.present_percent_target
    want_future = round(count * (100 - share) / 100)
    if share < 100 and future:
        want_future = max(want_future, 1)
    if share > 0 and present:
        want_future = min(want_future, count - 1)
    want_future = min(want_future, len(future))
    picked = future[:want_future] + present[: count - want_future]
    if len(picked) < count:  # too few present ones: more future
        picked += future[want_future : want_future + count - len(picked)]
    order = {id(c): i for i, c in enumerate(pool)}
    return sorted(picked, key=lambda c: order[id(c)])


def _item_hours(chosen: Sequence[_Chosen], policy: PlanningPolicy) -> list[Decimal]:
    """Hours per item: the policy's minimum volume (at least 60), present items sharing the
    policy's present share and future items the rest."""
    total = max(policy.min_development_hours, BASE_HOURS).quantize(CENT, ROUND_CEILING)
    present = [i for i, c in enumerate(chosen) if c.target is ProfileTarget.PRESENT]
    future = [i for i, c in enumerate(chosen) if c.target is ProfileTarget.FUTURE]
    share = policy.present_percent_target
    if present and future and 0 < share < 100:
        present_total = (total * share / 100).quantize(CENT, ROUND_HALF_EVEN)
        present_total = min(max(present_total, CENT * len(present)), total - CENT * len(future))
        groups = [(present, present_total), (future, total - present_total)]
    else:
        groups = [(list(range(len(chosen))), total)]
    hours = [Decimal(0)] * len(chosen)
    for members, amount in groups:
        each = (amount / len(members)).quantize(CENT, ROUND_DOWN)
        for k, index in enumerate(members):
            hours[index] = amount - each * (len(members) - 1) if k == 0 else each
    return hours


def _course_per_gap(recommendations: Sequence[Recommendation]) -> dict[str, Recommendation]:
    """The first recommended course for each gap (recommendations come most urgent first)."""
    found: dict[str, Recommendation] = {}
    for rec in recommendations:
        for reason in rec.reasons:
            found.setdefault(reason.gap, rec)
    return found


def _method_for(bucket: Bucket, policy: PlanningPolicy, offered: Sequence[str]) -> tuple[str, bool]:
    """A method of the bucket: one the course serves (True) or a default (False)."""
    for code in offered:
        method = method_by_code(code)
        if method is not None and bucket_of(method, policy.online_course_bucket) is bucket:
            return code, True
    for code in DEFAULT_METHODS[bucket]:
        method = method_by_code(code)
        if method is not None and bucket_of(method, policy.online_course_bucket) is bucket:
            return code, False
    for method in METHODS:  # the policy moved the defaults: any method of the bucket
        if bucket_of(method, policy.online_course_bucket) is bucket:
            return method.code, False
    raise AssertionError(f"no method counts in bucket {int(bucket)}")


def _activities(
    hours: Decimal,
    policy: PlanningPolicy,
    offered: Sequence[str],
    course: CourseRef | None,
    new_id: Callable[[], str],
) -> tuple[Activity, ...]:
    """The item's hours split over the buckets in the policy's proportions; the bucket with the
    largest share takes what rounding leaves, so the item's hours add up exactly."""
    buckets = sorted(
        (b for b in Bucket if policy.mix_target[b] > 0),
        key=lambda b: (policy.mix_target[b], int(b)),
    )
    largest = buckets.pop()
    split: list[tuple[Bucket, Decimal]] = []
    for bucket in buckets:
        part = (hours * policy.mix_target[bucket] / 100).quantize(CENT, ROUND_HALF_EVEN)
        if part > 0:
            split.append((bucket, part))
    rest = hours - sum((p for _, p in split), Decimal(0))
    if rest <= 0:  # tiny items: everything in the largest bucket
        split, rest = [], hours
    split.append((largest, rest))
    lecture = min(policy.max_lecture_percent, Decimal(50))
    out: list[Activity] = []
    for bucket, part in sorted(split, key=lambda s: -int(s[0])):
        code, from_course = _method_for(bucket, policy, offered)
        method = method_by_code(code)
        assert method is not None
        out.append(
            Activity(
                id=new_id(),
                method=code,
                planned_hours=part,
                lecture_share=lecture if method.has_lecture_share else None,
                description=method.name_th,
                course=course if from_course else None,
            )
        )
    return tuple(out)


def _period(policy: PlanningPolicy) -> QuarterPeriod:
    quarters = min(4, max(1, ceil(policy.min_period_months / 3)))
    return QuarterPeriod(frozenset(range(1, quarters + 1)))


def _unique_topic(title: str, pick: _Chosen, taken: set[str]) -> str:
    topic = title.strip() or pick.facts.code
    if search_key(topic) in taken:
        topic = f"{topic} ({pick.facts.code})"
    suffix = 2
    base = topic
    while search_key(topic) in taken:
        topic = f"{base} {suffix}"
        suffix += 1
    taken.add(search_key(topic))
    return topic

"""Validation of an IDP1 plan: every finding at once, each with its rule id and field.

``validate`` never raises on a plan the model accepted; errors block submission, warnings
inform. Rules, ids and seed references are listed in docs/planning.md.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from app.domain.planning.findings import Finding
from app.domain.planning.methods import BUCKET_NAMES, Bucket, bucket_of, method_by_code
from app.domain.planning.mix import BucketMix, as_fraction, mix_of, shares, within
from app.domain.planning.model import (
    Activity,
    CourseRef,
    DevelopmentPlan,
    PlanItem,
    ProfileTarget,
    Reason,
)
from app.domain.planning.policy import SEED_POLICY, PlanningPolicy
from app.domain.planning.rules import finding
from app.domain.text import search_key


@dataclass(frozen=True, slots=True)
class CourseFacts:
    """What the rules know of a catalogue course: the methods it can serve (so the bucket of an
    activity taking it) and its hours (None when the provider states none)."""

    methods: frozenset[str]
    hours: Decimal | None = None
    title: str = ""


@dataclass(frozen=True, slots=True)
class PlanContext:
    """What the rules need beyond the plan: the person's profiles and the framework's codes.

    ``present_items`` are the item codes of the profile of the agency's declared stage,
    ``future_items`` those of the next stage's profile (rules B2, C6, C9).
    ``framework_items``, when given, is every code of the framework, to catch unknown codes.
    """

    present_items: frozenset[str]
    future_items: frozenset[str] = frozenset()
    framework_items: frozenset[str] | None = None
    # The catalogue courses the plan's activities name (absent ones are unknown); None when
    # the catalogue was not consulted, and then no course rule applies.
    courses: Mapping[CourseRef, CourseFacts] | None = None

    def allowed(self, target: ProfileTarget) -> frozenset[str]:
        return self.present_items if target is ProfileTarget.PRESENT else self.future_items


_HEADER = {"person_name": "ชื่อ-สกุล", "position": "ตำแหน่ง", "unit": "สังกัด"}
_TARGET_TH = {ProfileTarget.PRESENT: "สำหรับงานปัจจุบัน", ProfileTarget.FUTURE: "สำหรับงานในอนาคต"}


def validate(
    plan: DevelopmentPlan, context: PlanContext, policy: PlanningPolicy = SEED_POLICY
) -> list[Finding]:
    """Every finding of the plan, in a stable order: header, items, then plan-wide rules."""
    findings: list[Finding] = []
    findings.extend(_header(plan))
    findings.extend(_item_count(plan, policy))
    findings.extend(_priorities(plan))
    for index, item in enumerate(plan.items):
        findings.extend(_item(plan, index, item, context, policy))
    findings.extend(_mix(planned_mix(plan, policy), policy))
    findings.extend(_volume(plan, policy))
    findings.extend(_present_future(plan, policy))
    return findings


def planned_mix(plan: DevelopmentPlan, policy: PlanningPolicy = SEED_POLICY) -> BucketMix:
    """Planned hours per bucket; activities with an unknown method count in none."""
    efforts: list[tuple[Bucket, Decimal]] = []
    for item in plan.items:
        for activity in item.activities:
            method = method_by_code(activity.method)
            if method is not None:
                efforts.append(
                    (bucket_of(method, policy.online_course_bucket), activity.planned_hours)
                )
    return mix_of(efforts)


def _header(plan: DevelopmentPlan) -> Iterator[Finding]:
    for name, name_th in _HEADER.items():
        if not getattr(plan, name):
            yield finding("E2", f"/{name}", field=name.replace("_", " "), field_th=name_th)
    if not (plan.baseline_assessment_id or "").strip():
        yield finding("D2", "/baseline_assessment_id")


def _item_count(plan: DevelopmentPlan, policy: PlanningPolicy) -> Iterator[Finding]:
    count = len(plan.items)
    if not policy.min_items <= count <= policy.max_items:
        yield finding("E3", "/items", min=policy.min_items, max=policy.max_items, count=count)


def _priorities(plan: DevelopmentPlan) -> Iterator[Finding]:
    seen: set[int] = set()
    for index, item in enumerate(plan.items):
        if item.priority in seen:
            yield finding("P-UNIQUE-PRIORITY", f"/items/{index}/priority", priority=item.priority)
        seen.add(item.priority)


def _item(
    plan: DevelopmentPlan,
    index: int,
    item: PlanItem,
    context: PlanContext,
    policy: PlanningPolicy,
) -> Iterator[Finding]:
    at = f"/items/{index}"
    yield from _framework_items(at, item, context)
    if not (item.topic or item.course_ref):
        yield finding("E4", f"{at}/topic")
    if not item.activities:
        yield finding("P-ACTIVITY-REQUIRED", f"{at}/activities")
    for a_index, activity in enumerate(item.activities):
        yield from _activity(f"{at}/activities/{a_index}", activity, policy)
        yield from _course(f"{at}/activities/{a_index}", activity, context)
    if not item.application:
        yield finding("E6", f"{at}/application")
    yield from _period(plan, at, item, policy)
    if not item.evaluation_methods:
        yield finding("E8", f"{at}/evaluation_methods")


def _framework_items(at: str, item: PlanItem, context: PlanContext) -> Iterator[Finding]:
    if not item.framework_items:
        yield finding("P-FRAMEWORK-ITEM-REQUIRED", f"{at}/framework_items")
    allowed = context.allowed(item.target)
    for k, code in enumerate(item.framework_items):
        pointer = f"{at}/framework_items/{k}"
        if context.framework_items is not None and code not in context.framework_items:
            yield finding("P-FRAMEWORK-ITEM-UNKNOWN", pointer, code=code)
        elif item.reason is not Reason.POSITION_REQUIRED and code not in allowed:
            yield finding(
                "C9",
                pointer,
                code=code,
                target=item.target.value,
                target_th=_TARGET_TH[item.target],
            )
    if item.reason is Reason.POSITION_REQUIRED and not item.reason_note:
        yield finding("D3", f"{at}/reason_note")


def _activity(at: str, activity: Activity, policy: PlanningPolicy) -> Iterator[Finding]:
    method = method_by_code(activity.method)
    if method is None:
        yield finding("P-METHOD-UNKNOWN", f"{at}/method", method=activity.method)
    if activity.planned_hours <= 0:
        yield finding("P-EFFORT-REQUIRED", f"{at}/planned_hours")
    if method is None:
        return
    share = activity.lecture_share
    if method.has_lecture_share:
        if share is None:
            yield finding("P-LECTURE-SHARE-REQUIRED", f"{at}/lecture_share")
        elif share > policy.max_lecture_percent:
            yield finding(
                "C7",
                f"{at}/lecture_share",
                max=_num(policy.max_lecture_percent),
                share=_num(share),
            )
    elif share is not None:
        yield finding(
            "P-LECTURE-SHARE-NOT-APPLICABLE",
            f"{at}/lecture_share",
            method=method.name_en,
            method_th=method.name_th,
        )


def _course(at: str, activity: Activity, context: PlanContext) -> Iterator[Finding]:
    """An activity taking a catalogue course: the course exists, serves the activity's method
    (so the activity counts in a bucket the course belongs to) and plans at least its hours."""
    ref = activity.course
    if ref is None or context.courses is None:
        return
    facts = context.courses.get(ref)
    if facts is None:
        yield finding("P-COURSE-UNKNOWN", f"{at}/course", course=str(ref))
        return
    if method_by_code(activity.method) is not None and activity.method not in facts.methods:
        yield finding(
            "P-COURSE-METHOD",
            f"{at}/method",
            course=str(ref),
            method=activity.method,
            methods=", ".join(sorted(facts.methods)),
        )
    if facts.hours is not None and 0 < activity.planned_hours < facts.hours:
        yield finding(
            "P-COURSE-HOURS",
            f"{at}/planned_hours",
            course=str(ref),
            hours=_num(facts.hours),
            planned=_num(activity.planned_hours),
        )


def _period(
    plan: DevelopmentPlan, at: str, item: PlanItem, policy: PlanningPolicy
) -> Iterator[Finding]:
    period = item.period
    if period is None:
        yield finding("E7", f"{at}/period", "missing")
        return
    if not period.covers_months(policy.min_period_months):
        yield finding("E7", f"{at}/period", min=policy.min_period_months)
    start, end = period.bounds(plan.fiscal_year)
    fy = plan.fiscal_year
    if start < fy.start or end > fy.end:
        yield finding(
            "P-PERIOD-IN-YEAR",
            f"{at}/period",
            fiscal_year=str(fy),
            be=fy.be,
            start=fy.start.isoformat(),
            end=fy.end.isoformat(),
        )


def _mix(mix: BucketMix, policy: PlanningPolicy) -> Iterator[Finding]:
    if mix.total == 0:
        return  # no effort planned: P-ACTIVITY-REQUIRED / P-EFFORT-REQUIRED / D4 say so
    tolerance = policy.mix_tolerance_points
    for bucket, share in mix.shares().items():
        target = policy.mix_target[bucket]
        names = {"bucket_th": BUCKET_NAMES[bucket][0], "bucket_en": _cap(BUCKET_NAMES[bucket][1])}
        if not within(share, target, tolerance):
            yield finding(
                "C1",
                "/items",
                bucket=int(bucket),
                share=_num(share),
                target=_num(target),
                tolerance=_num(tolerance),
                **names,
            )
        elif mix.hours[bucket] == 0 and target > 0:
            yield finding("P-BUCKET-EMPTY", "/items", bucket=int(bucket), **names)


def _volume(plan: DevelopmentPlan, policy: PlanningPolicy) -> Iterator[Finding]:
    hours = sum((item.planned_hours for item in plan.items), Decimal(0))
    if hours < policy.min_development_hours:
        yield finding(
            "D4",
            "/items",
            days=_num(as_fraction(hours) / as_fraction(policy.hours_per_development_day)),
            hours=_num(hours),
            per_day=_num(policy.hours_per_development_day),
            min=_num(policy.min_development_days),
        )
    topics = {_topic_key(item) for item in plan.items} - {""}
    if len(topics) < policy.min_topics:
        yield finding("D4", "/items", "topics", count=len(topics), min=policy.min_topics)


def _topic_key(item: PlanItem) -> str:
    if item.course_ref:
        return f"course:{item.course_ref}"
    return search_key(item.topic)


def _present_future(plan: DevelopmentPlan, policy: PlanningPolicy) -> Iterator[Finding]:
    hours = dict.fromkeys(ProfileTarget, Decimal(0))
    for item in plan.items:
        hours[item.target] += item.planned_hours
    if sum(hours.values()) == 0:
        return
    present = shares(hours)[ProfileTarget.PRESENT]
    if not within(present, policy.present_percent_target, policy.present_tolerance_points):
        yield finding(
            "C6",
            "/items",
            share=_num(present),
            target=_num(policy.present_percent_target),
            future=_num(100 - policy.present_percent_target),
            tolerance=_num(policy.present_tolerance_points),
        )


def _num(value: Fraction | Decimal | int) -> str:
    """A number for a message: rounded half up to one decimal, no trailing ".0"."""
    exact = as_fraction(value)
    n, d = abs(exact.numerator), exact.denominator
    tenths = (20 * n + d) // (2 * d)  # round(|value| * 10), halves up, in integers
    sign = "-" if exact < 0 and tenths else ""
    whole, tenth = divmod(tenths, 10)
    return f"{sign}{whole}.{tenth}" if tenth else f"{sign}{whole}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]

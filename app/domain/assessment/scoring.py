"""Scoring one assessment: final ratings by policy, roll-up, readiness, gaps and strengths.

The hot path of batch scoring: one pass over the plan's rated items with precomputed structures
(:class:`~app.domain.assessment.plan.ScoringPlan`), no validation and no per-item objects except
for what the result reports. See ``docs/assessment.md`` for the rules and ``docs/performance.md``
for the figures.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from itertools import product
from typing import Final

from app.domain.assessment.items import Rating
from app.domain.assessment.plan import BucketLayout, ScoringPlan
from app.domain.assessment.policy import (
    DEFAULT_POLICY,
    AgencyPolicy,
    FinalRatingRule,
    final_rating,
)
from app.domain.assessment.results import (
    AssessmentScore,
    Disagreement,
    Gap,
    Readiness,
    TargetReadiness,
)
from app.domain.assessment.vocabulary import RatingValue, Target

HAS: Final = RatingValue.HAS
_VALUES: Final = (None, RatingValue.HAS, RatingValue.HAS_NOT)

# Every rule as a lookup table over (self, supervisor), built from the reference function.
_Table = dict[tuple[RatingValue | None, RatingValue | None], RatingValue | None]
_RULE_TABLES: Final[dict[FinalRatingRule, _Table]] = {
    rule: {(s, v): final_rating(rule, s, v) for s, v in product(_VALUES, repeat=2)}
    for rule in FinalRatingRule
}
_NO_RATINGS: Final[Mapping[str, Rating]] = {}


def score(
    plan: ScoringPlan,
    self_ratings: Mapping[str, Rating],
    supervisor_ratings: Mapping[str, Rating] = _NO_RATINGS,
    policy: AgencyPolicy = DEFAULT_POLICY,
) -> AssessmentScore:
    """Score one assessment: ratings are keyed by item code; codes outside the set are ignored
    (and reported in ``ignored_codes``)."""
    table = _RULE_TABLES[policy.final_rating]
    self_get = self_ratings.get
    supervisor_get = supervisor_ratings.get
    finals: list[RatingValue | None] = []
    disagreements: list[Disagreement] = []
    unrated: list[str] = []
    self_matched = supervisor_matched = 0
    for code in plan.rated_codes:
        s = self_get(code)
        v = supervisor_get(code)
        sv = None if s is None else s.value
        vv = None if v is None else v.value
        final = table[sv, vv]
        finals.append(final)
        if sv is not None:
            self_matched += 1
            if vv is not None and vv is not sv:
                disagreements.append(Disagreement(code, sv, vv, final))
        if vv is not None:
            supervisor_matched += 1
        if final is None:
            unrated.append(code)

    # A unit is met only when all its elements are, an element only when all its criteria are
    # (001:114): with criteria as the only rated level below a unit, that is "every criterion has".
    has = [f is HAS for f in finals]
    met = [has[i] for i in plan.requirement_first]
    for r, members in plan.requirement_rollups:
        met[r] = all([has[i] for i in members])
    counts = [0] * len(plan.bucket_required)
    for ok, buckets in zip(met, plan.requirement_buckets, strict=True):
        if ok:
            for b in buckets:
                counts[b] += 1

    present = future = None
    for layout in plan.layouts:
        readiness = _target_readiness(layout, counts, plan.bucket_required)
        if layout.target is Target.PRESENT:
            present = readiness
        else:
            future = readiness

    requirements = plan.requirements
    order = plan.priority_order(policy)
    ignored: tuple[str, ...] = ()
    if self_matched != len(self_ratings) or supervisor_matched != len(supervisor_ratings):
        ignored = _ignored(plan, self_ratings, supervisor_ratings)
    return AssessmentScore(
        plan=plan,
        policy=policy,
        final=dict(zip(plan.rated_codes, finals, strict=True)),
        met=frozenset(requirements[i].code for i in order if met[i]),
        present=present,
        future=future,
        gaps=tuple(_gap(plan, i, finals) for i in order if not met[i]),
        strengths=tuple(requirements[i] for i in order if met[i]),
        disagreements=tuple(disagreements),
        unrated=tuple(unrated),
        ignored_codes=ignored,
    )


def score_many(
    plan: ScoringPlan,
    assessments: Iterable[tuple[Mapping[str, Rating], Mapping[str, Rating]]],
    policy: AgencyPolicy = DEFAULT_POLICY,
) -> Iterator[AssessmentScore]:
    """Score a batch of assessments of the same required set, lazily, in input order."""
    for self_ratings, supervisor_ratings in assessments:
        yield score(plan, self_ratings, supervisor_ratings, policy)


def _target_readiness(
    layout: BucketLayout, counts: list[int], required: tuple[int, ...]
) -> TargetReadiness:
    return TargetReadiness(
        target=layout.target,
        overall=Readiness(counts[layout.overall], required[layout.overall]),
        by_component={c: Readiness(counts[b], required[b]) for c, b in layout.by_component},
        by_domain={d: Readiness(counts[b], required[b]) for d, b in layout.by_domain},
        by_learning_dimension={
            n: Readiness(counts[b], required[b]) for n, b in layout.by_learning_dimension
        },
    )


def _gap(plan: ScoringPlan, index: int, finals: list[RatingValue | None]) -> Gap:
    requirement = plan.requirements[index]
    members = plan.requirement_members[index]
    if len(members) == 1:
        codes = requirement.item_codes
        return Gap(requirement, codes, codes if finals[members[0]] is None else ())
    not_met = tuple(plan.rated_codes[i] for i in members if finals[i] is not HAS)
    unrated = tuple(plan.rated_codes[i] for i in members if finals[i] is None)
    elements: tuple[str, ...] = ()
    if requirement.elements:
        missing = set(not_met)
        elements = tuple(
            e for e, criteria in requirement.elements if missing.intersection(criteria)
        )
    return Gap(requirement, not_met, unrated, elements)


def _ignored(
    plan: ScoringPlan, self_ratings: Mapping[str, Rating], supervisor_ratings: Mapping[str, Rating]
) -> tuple[str, ...]:
    known = plan.item_index
    return tuple(sorted({c for c in (*self_ratings, *supervisor_ratings) if c not in known}))

"""A required set compiled once for scoring many assessments.

Every assessment of the same resolved profiles (for example every Technologist of every developing
agency on one framework version) has the same required set, so everything that depends only on it
is computed once here: the requirements readiness counts, which rated items roll up into each, the
readiness buckets each requirement counts in, and the priority order per policy. Scoring one
assessment is then a single pass over plain tuples (see :mod:`app.domain.assessment.scoring`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.domain.assessment.items import RequiredItem, check_required_items
from app.domain.assessment.policy import AgencyPolicy, PriorityKey
from app.domain.assessment.vocabulary import (
    COMPONENT_ORDER,
    Component,
    ItemLevel,
    LocalText,
    Target,
)
from app.domain.errors import ValidationFailed


@dataclass(frozen=True, slots=True)
class Requirement:
    """What readiness counts, gaps and strengths list: a unit of capability (the "outcome" of
    001:99, met only when all its elements are met, an element only when all its criteria are met:
    001:114) or one knowledge, experience, attribute or competency item.

    ``item_codes`` are the rated items under it (itself for a unit without criteria or for a
    non-capability item); ``elements`` maps each element to its criteria, in framework order.
    """

    code: str
    component: Component
    title: LocalText
    targets: frozenset[Target]
    order: int
    domain_code: str | None
    learning_dimension: int | None
    item_codes: tuple[str, ...]
    elements: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True, slots=True)
class BucketLayout:
    """Where one target's readiness counters sit in the flat counter array of a plan."""

    target: Target
    overall: int
    by_component: tuple[tuple[Component, int], ...]
    by_domain: tuple[tuple[str, int], ...]
    by_learning_dimension: tuple[tuple[int, int], ...]


class ScoringPlan:
    """The compiled, immutable form of one required set. Build it with :meth:`compile`."""

    __slots__ = (
        "_order_cache",
        "bucket_required",
        "item_index",
        "items",
        "layouts",
        "parent_criteria",
        "rated_codes",
        "requirement_buckets",
        "requirement_first",
        "requirement_index",
        "requirement_members",
        "requirement_rollups",
        "requirements",
    )

    items: tuple[RequiredItem, ...]
    item_index: dict[str, int]
    rated_codes: tuple[str, ...]
    requirements: tuple[Requirement, ...]
    requirement_index: dict[str, int]
    requirement_members: tuple[tuple[int, ...], ...]
    requirement_first: tuple[int, ...]
    requirement_rollups: tuple[tuple[int, tuple[int, ...]], ...]
    requirement_buckets: tuple[tuple[int, ...], ...]
    bucket_required: tuple[int, ...]
    layouts: tuple[BucketLayout, ...]
    parent_criteria: dict[str, tuple[str, ...]]

    def __init__(self) -> None:  # use ScoringPlan.compile
        self._order_cache: dict[tuple[tuple[PriorityKey, ...], frozenset[str]], tuple[int, ...]]
        self._order_cache = {}

    @classmethod
    def compile(cls, items: Iterable[RequiredItem]) -> ScoringPlan:
        """Check and compile a required set; raises ValidationFailed listing every inconsistency."""
        given = list(items)
        errors = check_required_items(given)
        if errors:
            raise ValidationFailed(errors, detail="the required set is inconsistent")
        plan = cls()
        ordered = tuple(sorted(given, key=lambda it: (it.order, it.code)))
        plan.items = ordered
        plan.item_index = {it.code: i for i, it in enumerate(ordered)}
        plan.rated_codes = tuple(it.code for it in ordered)
        plan.requirements = _requirements(ordered)
        plan.requirement_index = {r.code: i for i, r in enumerate(plan.requirements)}
        plan.requirement_members = tuple(
            tuple(plan.item_index[c] for c in r.item_codes) for r in plan.requirements
        )
        plan.parent_criteria = {}
        for r in plan.requirements:
            if r.elements:
                plan.parent_criteria[r.code] = r.item_codes
                plan.parent_criteria.update(r.elements)
        # Most requirements are one rated item; only units with criteria need a roll-up.
        plan.requirement_first = tuple(m[0] for m in plan.requirement_members)
        plan.requirement_rollups = tuple(
            (r, m) for r, m in enumerate(plan.requirement_members) if len(m) > 1
        )
        _lay_out_buckets(plan)
        return plan

    @property
    def targets(self) -> tuple[Target, ...]:
        """The targets this set has items for, present first (a mature agency has no future)."""
        return tuple(layout.target for layout in self.layouts)

    def requirement_of(self, item_code: str) -> Requirement:
        item = self.items[self.item_index[item_code]]
        return self.requirements[self.requirement_index[item.requirement_code]]

    def priority_order(self, policy: AgencyPolicy) -> tuple[int, ...]:
        """Requirement indices in the policy's priority order, computed once per distinct policy
        (a race between threads only computes the same tuple twice)."""
        key = (policy.priority, policy.foundational_domains)
        order = self._order_cache.get(key)
        if order is None:
            order = self._order_cache[key] = _priority_order(self.requirements, *key)
        return order

    def __repr__(self) -> str:
        return f"ScoringPlan({len(self.items)} items, {len(self.requirements)} requirements)"


def _requirements(items: Sequence[RequiredItem]) -> tuple[Requirement, ...]:
    units: dict[str, list[RequiredItem]] = {}
    result: list[Requirement] = []
    for item in items:
        if item.level is ItemLevel.CRITERION:
            units.setdefault(item.requirement_code, []).append(item)
        else:
            result.append(_requirement(item, [item]))
    result.extend(_requirement(members[0], members) for members in units.values())
    return tuple(sorted(result, key=lambda r: (r.order, r.code)))


def _requirement(first: RequiredItem, members: list[RequiredItem]) -> Requirement:
    elements: dict[str, list[str]] = {}
    for item in members:
        if item.element_code is not None:
            elements.setdefault(item.element_code, []).append(item.code)
    title = (first.unit_title or first.title) if elements else first.title
    return Requirement(
        code=first.requirement_code,
        component=first.component,
        title=title,
        targets=first.targets,
        order=min(it.order for it in members),
        domain_code=first.domain_code,
        learning_dimension=first.learning_dimension,
        item_codes=tuple(it.code for it in members),
        elements=tuple((e, tuple(codes)) for e, codes in elements.items()),
    )


def _lay_out_buckets(plan: ScoringPlan) -> None:
    required: list[int] = []
    buckets: list[list[int]] = [[] for _ in plan.requirements]
    layouts: list[BucketLayout] = []

    def new_bucket(members: list[int]) -> int:
        required.append(len(members))
        for r in members:
            buckets[r].append(len(required) - 1)
        return len(required) - 1

    for target in Target:
        mine = [i for i, r in enumerate(plan.requirements) if target in r.targets]
        if not mine:
            continue
        reqs = plan.requirements
        components = [c for c in COMPONENT_ORDER if any(reqs[i].component is c for i in mine)]
        domains = sorted(
            {d for i in mine if (d := reqs[i].domain_code) is not None},
            key=lambda d: min(reqs[i].order for i in mine if reqs[i].domain_code == d),
        )
        dimensions = sorted({n for i in mine if (n := reqs[i].learning_dimension) is not None})
        layouts.append(
            BucketLayout(
                target=target,
                overall=new_bucket(mine),
                by_component=tuple(
                    (c, new_bucket([i for i in mine if reqs[i].component is c])) for c in components
                ),
                by_domain=tuple(
                    (d, new_bucket([i for i in mine if reqs[i].domain_code == d])) for d in domains
                ),
                by_learning_dimension=tuple(
                    (n, new_bucket([i for i in mine if reqs[i].learning_dimension == n]))
                    for n in dimensions
                ),
            )
        )
    plan.bucket_required = tuple(required)
    plan.requirement_buckets = tuple(tuple(b) for b in buckets)
    plan.layouts = tuple(layouts)


def _priority_order(
    requirements: Sequence[Requirement],
    priority: tuple[PriorityKey, ...],
    foundational_domains: frozenset[str],
) -> tuple[int, ...]:
    def key(i: int) -> tuple[int | str, ...]:
        r = requirements[i]
        parts: list[int | str] = []
        for k in priority:
            if k is PriorityKey.FOUNDATIONAL:
                parts.append(0 if r.domain_code in foundational_domains else 1)
            elif k is PriorityKey.TARGET:
                parts.append(0 if Target.PRESENT in r.targets else 1)
            elif k is PriorityKey.COMPONENT:
                parts.append(COMPONENT_ORDER.index(r.component))
            else:
                parts.append(r.learning_dimension or 99)
        return (*parts, r.order, r.code)

    return tuple(sorted(range(len(requirements)), key=key))

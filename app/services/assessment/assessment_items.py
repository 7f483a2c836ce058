"""From a person's targets to the required items of an assessment, and back from its snapshot.

The required items are the union of the resolved profiles of the present and the future target
(``targets.targets_for``): capability at performance-criterion level where the framework version
gives criteria under the unit's elements, else at unit level (001:114); knowledge, experience,
attributes and competencies item by item. They are stored with the assessment as JSON, so a later
framework version never changes it; ``plan_for`` compiles them into a ``ScoringPlan`` once per
process for each framework version and set of profiles.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import FrameworkItem, RoleProfileRequirement
from app.domain.assessment.items import RequiredItem, combine_targets
from app.domain.assessment.plan import ScoringPlan
from app.domain.assessment.vocabulary import (
    LEARNING_DIMENSION_OF_DOMAIN,
    Component,
    LocalText,
    Target,
)
from app.services.assessment.targets import PersonTargets

COMPONENT_OF = {
    "unit": Component.CAPABILITY,
    "knowledge": Component.KNOWLEDGE,
    "experience": Component.EXPERIENCE,
    "attribute": Component.ATTRIBUTE,
    "competency": Component.COMPETENCY,
}
CAPABILITY_KINDS = ("domain", "unit", "element", "criterion")
PLAN_CACHE_SIZE = 256


def _text(item: FrameworkItem | None) -> LocalText | None:
    return None if item is None else LocalText(item.name_th, item.name_en)


async def required_items(session: AsyncSession, targets: PersonTargets) -> list[RequiredItem]:
    """The required set of these targets, read from their framework version (one query)."""
    rows = targets.present_requirements + targets.future_requirements
    codes = {r.code for r in rows}
    wanted = select(FrameworkItem).where(
        FrameworkItem.version_id == targets.version_id,
        (FrameworkItem.code.in_(codes)) | (FrameworkItem.kind.in_(CAPABILITY_KINDS)),
    )
    items = {it.code: it for it in await session.scalars(wanted)}
    children: dict[str, list[FrameworkItem]] = {}
    for it in sorted(items.values(), key=lambda i: i.position):
        if it.parent_code is not None:
            children.setdefault(it.parent_code, []).append(it)
    by_target: dict[Target, list[RequiredItem]] = {}
    for target, reqs in (
        (Target.PRESENT, targets.present_requirements),
        (Target.FUTURE, targets.future_requirements),
    ):
        if reqs:
            by_target[target] = [r for row in reqs for r in _rated(row, items, children, target)]
    return combine_targets(by_target)


def _rated(
    row: RoleProfileRequirement,
    items: dict[str, FrameworkItem],
    children: dict[str, list[FrameworkItem]],
    target: Target,
) -> list[RequiredItem]:
    item = items[row.code]
    component = COMPONENT_OF[row.component]
    title = LocalText(item.name_th, item.name_en)
    if component is not Component.CAPABILITY:
        return [RequiredItem(item.code, component, title, item.position, frozenset({target}))]
    domain = items.get(item.parent_code or "")
    domain_code = domain.code if domain is not None else item.code.rstrip("0123456789")
    dimension = (domain.attrs or {}).get("dimension") if domain is not None else None
    common: dict[str, Any] = {
        "component": component,
        "targets": frozenset({target}),
        "domain_code": domain_code,
        "learning_dimension": dimension or LEARNING_DIMENSION_OF_DOMAIN.get(domain_code),
        "unit_code": item.code,
        "domain_title": _text(domain),
        "unit_title": title,
    }
    criteria = [
        (element, criterion)
        for element in children.get(item.code, [])
        if element.kind == "element"
        for criterion in children.get(element.code, [])
        if criterion.kind == "criterion"
    ]
    if not criteria:
        return [RequiredItem(item.code, title=title, order=item.position, **common)]
    return [
        RequiredItem(
            criterion.code,
            title=LocalText(criterion.name_th, criterion.name_en),
            order=criterion.position,
            element_code=element.code,
            element_title=_text(element),
            **common,
        )
        for element, criterion in criteria
    ]


# -- the snapshot stored with an assessment ------------------------------------------------------


def _text_json(t: LocalText | None) -> dict[str, Any] | None:
    return None if t is None else {"th": t.th, "en": t.en}


def _text_of(data: dict[str, Any] | None) -> LocalText | None:
    return None if data is None else LocalText(data["th"], data.get("en"))


def to_json(items: Sequence[RequiredItem]) -> list[dict[str, Any]]:
    return [
        {
            "code": it.code,
            "component": it.component.value,
            "title": _text_json(it.title),
            "order": it.order,
            "targets": sorted(t.value for t in it.targets),
            "domain_code": it.domain_code,
            "learning_dimension": it.learning_dimension,
            "unit_code": it.unit_code,
            "element_code": it.element_code,
            "domain_title": _text_json(it.domain_title),
            "unit_title": _text_json(it.unit_title),
            "element_title": _text_json(it.element_title),
        }
        for it in items
    ]


def from_json(data: Sequence[dict[str, Any]]) -> list[RequiredItem]:
    return [
        RequiredItem(
            code=d["code"],
            component=Component(d["component"]),
            title=LocalText(d["title"]["th"], d["title"].get("en")),
            order=d["order"],
            targets=frozenset(Target(t) for t in d["targets"]),
            domain_code=d.get("domain_code"),
            learning_dimension=d.get("learning_dimension"),
            unit_code=d.get("unit_code"),
            element_code=d.get("element_code"),
            domain_title=_text_of(d.get("domain_title")),
            unit_title=_text_of(d.get("unit_title")),
            element_title=_text_of(d.get("element_title")),
        )
        for d in data
    ]


# -- compiled plans, cached per framework version and profiles -----------------------------------

Choice = tuple[tuple[str, tuple[str, ...]], ...]
PlanKey = tuple[uuid.UUID, tuple[str, ...], tuple[str, ...], Choice]
_plans: OrderedDict[PlanKey, ScoringPlan] = OrderedDict()
_lock = threading.Lock()


def plan_key(version_id: uuid.UUID, targets: dict[str, Any]) -> PlanKey:
    """Published versions never change, so the profiles of one version, with the items chosen
    for partial groups, name one required set."""
    choice = tuple(
        (str(g["group"]), tuple(sorted(g["items"])))
        for g in targets.get("groups", ())
        if g.get("items") is not None
    )
    return (
        version_id,
        tuple(targets.get("present", ())),
        tuple(targets.get("future", ())),
        choice,
    )


def plan_for(key: PlanKey, snapshot: Sequence[dict[str, Any]]) -> ScoringPlan:
    """The compiled plan of an assessment's snapshot, compiled once per key in this process."""
    with _lock:
        plan = _plans.get(key)
        if plan is not None:
            _plans.move_to_end(key)
            return plan
    plan = ScoringPlan.compile(from_json(snapshot))
    with _lock:
        _plans[key] = plan
        while len(_plans) > PLAN_CACHE_SIZE:
            _plans.popitem(last=False)
    return plan


def cached_plans() -> int:
    return len(_plans)

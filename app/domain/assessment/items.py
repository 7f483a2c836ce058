"""What an assessment asks about (required items) and what a rater answers (ratings).

The framework integration fills these from the resolved role profiles: one :class:`RequiredItem` per
thing that is rated. Capability is rated per performance criterion where the framework gives
criteria, else per unit (001:114, DESIGN §4); knowledge, experience, attributes and competencies are
rated item by item. An item required by both the present and the future target appears once, with
both targets.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from app.domain.assessment.vocabulary import (
    Component,
    ItemLevel,
    LocalText,
    RatingValue,
    Target,
)
from app.domain.errors import FieldError, ValidationFailed


@dataclass(frozen=True, slots=True)
class RequiredItem:
    """One rated item of an assessment's required set.

    ``order`` is the item's position in the framework (used as the last priority key). For
    capability, ``domain_code`` (e.g. ``DS``), ``learning_dimension`` (1-5, 003:663) and
    ``unit_code`` are required; a performance criterion also names its ``element_code`` (DS101.1
    sits in DS101 in DS100, 001:103-112). A unit without criteria is rated itself: its code is
    its ``unit_code``. The titles of the ancestors are carried so the form can show them.
    """

    code: str
    component: Component
    title: LocalText
    order: int
    targets: frozenset[Target]
    domain_code: str | None = None
    learning_dimension: int | None = None
    unit_code: str | None = None
    element_code: str | None = None
    domain_title: LocalText | None = None
    unit_title: LocalText | None = None
    element_title: LocalText | None = None

    @property
    def level(self) -> ItemLevel:
        if self.component is not Component.CAPABILITY:
            return ItemLevel.ITEM
        return ItemLevel.CRITERION if self.element_code is not None else ItemLevel.UNIT

    @property
    def requirement_code(self) -> str:
        """The code readiness counts this item under: its unit for capability, else itself."""
        return self.unit_code if self.unit_code is not None else self.code


@dataclass(frozen=True, slots=True)
class Rating:
    """One rater's answer for one item (004:962), with an optional note and evidence link."""

    value: RatingValue
    note: str | None = None
    evidence_url: str | None = None


def _item_errors(i: int, item: RequiredItem) -> list[FieldError]:
    at = f"/items/{i}"
    errors: list[FieldError] = []
    if not item.code.strip():
        errors.append(FieldError(f"{at}/code", "required", "an item needs a code"))
    if not item.targets:
        errors.append(FieldError(f"{at}/targets", "required", f"{item.code} belongs to no target"))
    if item.component is Component.CAPABILITY:
        for name in ("domain_code", "learning_dimension", "unit_code"):
            if getattr(item, name) is None:
                errors.append(
                    FieldError(f"{at}/{name}", "required", f"capability {item.code} needs {name}")
                )
        dimension = item.learning_dimension
        if dimension is not None and not 1 <= dimension <= 5:
            errors.append(
                FieldError(
                    f"{at}/learning_dimension", "A10", "a learning dimension is 1 to 5 (003:663)"
                )
            )
        if item.element_code is None and item.unit_code not in (None, item.code):
            errors.append(
                FieldError(
                    f"{at}/element_code",
                    "required",
                    f"{item.code} is below unit {item.unit_code} but names no element",
                )
            )
        if item.element_code is not None and item.code in (item.unit_code, item.element_code):
            errors.append(
                FieldError(f"{at}/code", "hierarchy", f"criterion {item.code} repeats its parent")
            )
    else:
        for name in ("domain_code", "learning_dimension", "unit_code", "element_code"):
            if getattr(item, name) is not None:
                errors.append(
                    FieldError(
                        f"{at}/{name}",
                        "forbidden",
                        f"{item.component} item {item.code} has no {name}",
                    )
                )
    return errors


def check_required_items(items: Sequence[RequiredItem]) -> list[FieldError]:
    """Every inconsistency of a required set, each with a pointer into ``items``.

    Codes are unique; a unit is rated either itself or through its criteria, never both; the
    criteria of one unit share its domain, learning dimension and targets (a unit is required as a
    whole, 001:114); an element belongs to one unit.
    """
    errors: list[FieldError] = []
    seen: dict[str, int] = {}
    unit_shape: dict[str, tuple[int, RequiredItem]] = {}
    element_unit: dict[str, str] = {}
    units_with_criteria: set[str] = set()
    for i, item in enumerate(items):
        errors.extend(_item_errors(i, item))
        if item.code in seen:
            errors.append(
                FieldError(
                    f"/items/{i}/code",
                    "unique",
                    f"{item.code} is listed twice (first at /items/{seen[item.code]})",
                )
            )
            continue
        seen[item.code] = i
        if item.component is not Component.CAPABILITY or item.unit_code is None:
            continue
        first = unit_shape.setdefault(item.unit_code, (i, item))
        if first[0] != i:
            errors.extend(_unit_consistency(i, item, first[1]))
        if item.element_code is not None:
            units_with_criteria.add(item.unit_code)
            owner = element_unit.setdefault(item.element_code, item.unit_code)
            if owner != item.unit_code:
                errors.append(
                    FieldError(
                        f"/items/{i}/element_code",
                        "hierarchy",
                        f"element {item.element_code} is under both {owner} and {item.unit_code}",
                    )
                )
    for unit in sorted(units_with_criteria):
        rated_itself = seen.get(unit)
        if rated_itself is not None:
            errors.append(
                FieldError(
                    f"/items/{rated_itself}/code",
                    "A4",
                    f"unit {unit} is rated through its criteria, so it cannot be rated itself",
                )
            )
    return errors


def _unit_consistency(i: int, item: RequiredItem, first: RequiredItem) -> list[FieldError]:
    errors: list[FieldError] = []
    for name in ("domain_code", "learning_dimension", "targets"):
        if getattr(item, name) != getattr(first, name):
            errors.append(
                FieldError(
                    f"/items/{i}/{name}",
                    "A4",
                    f"{item.code} differs from {first.code} in {name}; a unit is required whole",
                )
            )
    return errors


def combine_targets(by_target: Mapping[Target, Iterable[RequiredItem]]) -> list[RequiredItem]:
    """The required set of an assessment: the union of the resolved profiles of each target.

    ``by_target`` holds, per target, the items of every profile resolved for it (a person in two
    staff groups brings two profiles, 003:659); an item's own ``targets`` is ignored and replaced by
    the targets that list it, so an item of both the present and the future profile appears once
    with both. A target with no items (the future of a mature agency) is simply absent. The same
    code described in two different ways is an error.
    """
    merged: dict[str, RequiredItem] = {}
    errors: list[FieldError] = []
    for target, items in by_target.items():
        for i, item in enumerate(items):
            seen = merged.get(item.code)
            if seen is None:
                merged[item.code] = replace(item, targets=frozenset({target}))
            elif replace(seen, targets=item.targets) != item:
                errors.append(
                    FieldError(
                        f"/{target.value}/{i}",
                        "conflict",
                        f"{item.code} is described differently by two profiles",
                        {"code": item.code},
                    )
                )
            else:
                merged[item.code] = replace(seen, targets=seen.targets | {target})
    if errors:
        raise ValidationFailed(errors)
    return sorted(merged.values(), key=lambda it: (it.order, it.code))

"""The role matrix (units x staff groups for a stage) and how a group's role grows by stage."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.domain.framework.model import Component, Item, StaffGroup, Stage
from app.domain.framework.profiles import ProfileKey, ResolvedProfile


@dataclass(frozen=True, slots=True)
class MatrixRow:
    code: str
    groups: tuple[str, ...]  # the groups whose resolved profile at the stage requires the item


@dataclass(frozen=True, slots=True)
class Matrix:
    stage: str
    component: Component
    groups: tuple[str, ...]
    rows: tuple[MatrixRow, ...]


def role_matrix(
    items: Sequence[Item],
    resolved: Mapping[ProfileKey, ResolvedProfile],
    stage: str,
    component: Component = Component.UNIT,
) -> Matrix:
    """Every item of the component's kind, in framework order, with the groups requiring it."""
    groups = tuple(g.value for g in StaffGroup if (stage, g.value) in resolved)
    required = {g: set(resolved[(stage, g)].codes(component)) for g in groups}
    rows = tuple(
        MatrixRow(it.code, tuple(g for g in groups if it.code in required[g]))
        for it in items
        if it.kind == component.item_kind.value
    )
    return Matrix(stage, component, groups, rows)


@dataclass(frozen=True, slots=True)
class StageStep:
    """What a group's profile gains and loses from one stage to the next."""

    from_stage: str
    to_stage: str
    added: dict[Component, tuple[str, ...]]
    removed: dict[Component, tuple[str, ...]]
    kept: dict[Component, tuple[str, ...]]


def stage_progression(
    resolved: Mapping[ProfileKey, ResolvedProfile], group: str
) -> list[StageStep]:
    stages = [s.value for s in Stage if (s.value, group) in resolved]
    steps = []
    for before, after in itertools.pairwise(stages):
        a, b = resolved[(before, group)], resolved[(after, group)]
        added, removed, kept = {}, {}, {}
        for c in Component:
            old, new = a.codes(c), b.codes(c)
            added[c] = tuple(x for x in new if x not in old)
            removed[c] = tuple(x for x in old if x not in new)
            kept[c] = tuple(x for x in new if x in old)
        steps.append(StageStep(before, after, added, removed, kept))
    return steps

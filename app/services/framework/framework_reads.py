"""Reading a framework version: units, any item, search, role profiles, the role matrix."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import FrameworkItem, RoleProfileRequirement, RoleProfileRow
from app.db.repositories.framework import framework_content as repo
from app.db.repositories.framework.framework_content import LinkView, SearchHit
from app.db.repositories.framework.framework_versions import item_dict
from app.domain.errors import FieldError, NotFound, ValidationFailed
from app.domain.framework.matrix import Matrix, StageStep, role_matrix, stage_progression
from app.domain.framework.model import Component, Item, ItemKind, StaffGroup, Stage
from app.domain.framework.profiles import Origin, ProfileKey, Requirement, ResolvedProfile
from app.domain.principal import Principal
from app.domain.text import nfc, search_key
from app.services.framework.framework_catalog import SelectedVersion, select_version

UNIT = ItemKind.UNIT.value


@dataclass(frozen=True, slots=True)
class ElementView:
    element: FrameworkItem
    criteria: list[FrameworkItem]


@dataclass(frozen=True, slots=True)
class UnitView:
    unit: FrameworkItem
    parent: FrameworkItem | None
    elements: list[ElementView]


@dataclass(frozen=True, slots=True)
class ItemView:
    item: FrameworkItem
    parent: FrameworkItem | None
    children: list[FrameworkItem]
    links: list[LinkView]
    required_by: list[RoleProfileRequirement]


@dataclass(frozen=True, slots=True)
class ProfileView:
    profile: RoleProfileRow
    requirements: list[tuple[RoleProfileRequirement, FrameworkItem]]


async def list_units(
    session: AsyncSession,
    actor: Principal,
    key: str,
    version: str | None = None,
    *,
    domain: str | None = None,
    dimension: int | None = None,
) -> tuple[SelectedVersion, list[FrameworkItem]]:
    selected = await select_version(session, actor, key, version)
    units = await repo.items_of_kind(session, selected.id, [UNIT])
    if domain is not None:
        parent = await _one(session, selected, nfc(domain))
        units = [u for u in units if u.parent_code == parent.code]
    if dimension is not None:
        domains = await repo.items_of_kind(session, selected.id, [ItemKind.DOMAIN.value])
        wanted = {d.code for d in domains if d.attrs.get("dimension") == dimension}
        if not wanted:
            raise NotFound(f"{key} {selected.version.label} has no learning dimension {dimension}")
        units = [u for u in units if u.parent_code in wanted]
    return selected, units


async def _one(session: AsyncSession, selected: SelectedVersion, code: str) -> FrameworkItem:
    found = await repo.items_by_code(session, [(selected.id, code)])
    if not found:
        raise NotFound(
            f"{selected.framework.key} {selected.version.label} has no item {code!r}",
            framework=selected.framework.key,
            version=selected.version.label,
        )
    return found[0]


async def get_unit(
    session: AsyncSession, actor: Principal, key: str, code: str, version: str | None = None
) -> tuple[SelectedVersion, UnitView]:
    selected = await select_version(session, actor, key, version)
    unit = await _one(session, selected, nfc(code))
    if unit.kind != UNIT:
        raise NotFound(f"{unit.code} is a {unit.kind}, not a unit of {key}")
    elements = await repo.children_of(session, [(selected.id, unit.code)])
    criteria = await repo.children_of(session, [(selected.id, e.code) for e in elements])
    parent = await _parent(session, selected, unit)
    views = [ElementView(e, [c for c in criteria if c.parent_code == e.code]) for e in elements]
    return selected, UnitView(unit, parent, views)


async def _parent(
    session: AsyncSession, selected: SelectedVersion, item: FrameworkItem
) -> FrameworkItem | None:
    if item.parent_code is None:
        return None
    found = await repo.items_by_code(session, [(selected.id, item.parent_code)])
    return found[0] if found else None


async def get_item(
    session: AsyncSession, actor: Principal, key: str, code: str, version: str | None = None
) -> tuple[SelectedVersion, ItemView]:
    selected = await select_version(session, actor, key, version)
    item = await _one(session, selected, nfc(code))
    children = await repo.children_of(session, [(selected.id, item.code)])
    links = await repo.links_of_item(session, selected.id, item.code)
    required_by = await repo.requirements_of_item(session, selected.id, item.code)
    parent = await _parent(session, selected, item)
    return selected, ItemView(item, parent, children, links, required_by)


async def search(
    session: AsyncSession,
    actor: Principal,
    key: str,
    q: str,
    version: str | None = None,
    *,
    kinds: Sequence[str] = (),
    limit: int = 50,
) -> tuple[SelectedVersion, list[SearchHit]]:
    """Thai and English names, aliases, codes and descriptions; Thai needs no word breaks."""
    selected = await select_version(session, actor, key, version)
    term = search_key(nfc(q)).replace("|", "")
    errors = []
    if not term:
        errors.append(
            FieldError.for_parameter("q", "query", "required", "give something to search for")
        )
    known = {k.value for k in ItemKind}
    errors += [
        FieldError.for_parameter("kind", "query", "enum", f"unknown kind {k!r}")
        for k in kinds
        if k not in known
    ]
    if errors:
        raise ValidationFailed(errors)
    return selected, await repo.search_items(session, selected.id, term, kinds=kinds, limit=limit)


def resolved_from_rows(rows: Sequence[RoleProfileRequirement]) -> dict[ProfileKey, ResolvedProfile]:
    grouped: dict[ProfileKey, list[Requirement]] = {}
    for r in rows:
        inherited = (
            (r.inherited_stage, r.inherited_group)
            if r.inherited_stage and r.inherited_group
            else None
        )
        grouped.setdefault((r.stage, r.staff_group), []).append(
            Requirement(
                Component(r.component),
                r.code,
                Origin(r.origin),
                r.source,
                printed_code=r.printed_code,
                inherited_from=inherited,
                note=r.note,
            )
        )
    return {k: ResolvedProfile(k[0], k[1], tuple(v)) for k, v in grouped.items()}


async def list_profiles(
    session: AsyncSession, actor: Principal, key: str, version: str | None = None
) -> tuple[SelectedVersion, list[ProfileView]]:
    selected = await select_version(session, actor, key, version)
    profiles = await repo.profiles_of(session, [selected.id])
    views = await _views(session, selected.id, profiles)
    return selected, views


async def get_profile(
    session: AsyncSession,
    actor: Principal,
    key: str,
    stage: str,
    group: str,
    version: str | None = None,
) -> tuple[SelectedVersion, ProfileView]:
    selected = await select_version(session, actor, key, version)
    _check_stage_group(stage, group)
    row = await repo.profile(session, selected.id, stage, group)
    if row is None:
        raise NotFound(f"{key} {selected.version.label} has no {stage}/{group} role profile")
    return selected, (await _views(session, selected.id, [row]))[0]


def _check_stage_group(
    stage: str | None, group: str | None, *, stage_in: str = "path", group_in: str = "path"
) -> None:
    errors = []
    if stage is not None and stage not in {s.value for s in Stage}:
        errors.append(
            FieldError.for_parameter("stage", stage_in, "enum", f"unknown stage {stage!r}")
        )
    if group is not None and group not in {g.value for g in StaffGroup}:
        errors.append(
            FieldError.for_parameter("group", group_in, "enum", f"unknown staff group {group!r}")
        )
    if errors:
        raise ValidationFailed(errors)


async def _views(
    session: AsyncSession, version_id: uuid.UUID, profiles: Sequence[RoleProfileRow]
) -> list[ProfileView]:
    reqs = await repo.requirements_of(
        session, [(version_id, p.stage, p.staff_group) for p in profiles]
    )
    codes = sorted({r.code for r in reqs})
    items = {i.code: i for i in await repo.items_by_code(session, [(version_id, c) for c in codes])}
    return [
        ProfileView(
            p,
            [
                (r, items[r.code])
                for r in reqs
                if (r.stage, r.staff_group) == (p.stage, p.staff_group)
            ],
        )
        for p in profiles
    ]


async def matrix(
    session: AsyncSession,
    actor: Principal,
    key: str,
    stage: str,
    version: str | None = None,
    component: str = Component.UNIT.value,
) -> tuple[SelectedVersion, Matrix, dict[str, FrameworkItem]]:
    """Items of one component x the six staff groups, for one stage (resolved profiles)."""
    _check_stage_group(stage, None, stage_in="query")
    if component not in {c.value for c in Component}:
        raise ValidationFailed(
            [
                FieldError.for_parameter(
                    "component", "query", "enum", f"unknown component {component!r}"
                )
            ]
        )
    selected = await select_version(session, actor, key, version)
    profiles = await repo.profiles_of(session, [selected.id])
    resolved = resolved_from_rows(
        await repo.requirements_of(
            session, [(selected.id, p.stage, p.staff_group) for p in profiles]
        )
    )
    items = await repo.items_of_kind(session, selected.id, [Component(component).item_kind.value])
    domain_items = await _domain_items(session, selected.id, items)
    result = role_matrix(items_as_domain(items), resolved, stage, Component(component))
    return selected, result, {**{i.code: i for i in items}, **domain_items}


async def _domain_items(
    session: AsyncSession, version_id: uuid.UUID, items: Sequence[FrameworkItem]
) -> dict[str, FrameworkItem]:
    parents = sorted({i.parent_code for i in items if i.parent_code})
    return {
        p.code: p for p in await repo.items_by_code(session, [(version_id, c) for c in parents])
    }


def items_as_domain(rows: Sequence[FrameworkItem]) -> list[Item]:
    return [Item.model_validate(item_dict(r)) for r in rows]


async def progression(
    session: AsyncSession, actor: Principal, key: str, group: str, version: str | None = None
) -> tuple[SelectedVersion, list[StageStep], dict[str, FrameworkItem]]:
    """What a staff group's role gains (and loses) from early to developing to mature."""
    _check_stage_group(None, group)
    selected = await select_version(session, actor, key, version)
    keys = [(selected.id, s.value, group) for s in Stage]
    resolved = resolved_from_rows(await repo.requirements_of(session, keys))
    if not resolved:
        raise NotFound(f"{key} {selected.version.label} has no role profiles for {group}")
    steps = stage_progression(resolved, group)
    codes = sorted(
        {c for s in steps for part in (s.added, s.removed) for cs in part.values() for c in cs}
    )
    items = await repo.items_by_code(session, [(selected.id, c) for c in codes])
    return selected, steps, {i.code: i for i in items}


# Batch reads for the GraphQL DataLoaders. The root field that hands out version ids has
# already checked that the caller may read that version.


async def items_by_keys(
    session: AsyncSession, keys: Sequence[tuple[uuid.UUID, str]]
) -> list[FrameworkItem]:
    return await repo.items_by_code(session, keys)


async def children_by_keys(
    session: AsyncSession, keys: Sequence[tuple[uuid.UUID, str]]
) -> list[FrameworkItem]:
    return await repo.children_of(session, keys)


async def requirements_by_keys(
    session: AsyncSession, keys: Sequence[tuple[uuid.UUID, str, str]]
) -> list[RoleProfileRequirement]:
    return await repo.requirements_of(session, keys)


async def items_of(
    session: AsyncSession,
    actor: Principal,
    key: str,
    kinds: Sequence[str],
    version: str | None = None,
) -> tuple[SelectedVersion, list[FrameworkItem]]:
    selected = await select_version(session, actor, key, version)
    return selected, await repo.items_of_kind(session, selected.id, kinds)


async def profile_rows(
    session: AsyncSession, actor: Principal, key: str, version: str | None = None
) -> tuple[SelectedVersion, list[RoleProfileRow]]:
    """The profiles alone (their requirements are loaded in batches by the caller)."""
    selected = await select_version(session, actor, key, version)
    return selected, await repo.profiles_of(session, [selected.id])

"""Per-request DataLoaders for framework content: one query per batch, never one per row.

GraphQL resolves sibling fields concurrently, but a request has one database session, which
allows one statement at a time: every read here goes through ``context.use_db``.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from strawberry.dataloader import DataLoader

from app.db.models import FrameworkItem, RoleProfileRequirement
from app.services.framework import framework_reads

ItemKey = tuple[uuid.UUID, str]
ProfileKey = tuple[uuid.UUID, str, str]


def items(context: Any) -> DataLoader[ItemKey, FrameworkItem | None]:
    async def load(keys: list[ItemKey]) -> Sequence[FrameworkItem | None]:
        rows = await context.use_db(lambda s, _: framework_reads.items_by_keys(s, keys))
        found = {(r.version_id, r.code): r for r in rows}
        return [found.get(k) for k in keys]

    return DataLoader(load_fn=load)


def children(context: Any) -> DataLoader[ItemKey, list[FrameworkItem]]:
    async def load(keys: list[ItemKey]) -> Sequence[list[FrameworkItem]]:
        rows = await context.use_db(lambda s, _: framework_reads.children_by_keys(s, keys))
        grouped: dict[ItemKey, list[FrameworkItem]] = {}
        for r in rows:
            assert r.parent_code is not None
            grouped.setdefault((r.version_id, r.parent_code), []).append(r)
        return [grouped.get(k, []) for k in keys]

    return DataLoader(load_fn=load)


def requirements(context: Any) -> DataLoader[ProfileKey, list[RoleProfileRequirement]]:
    async def load(keys: list[ProfileKey]) -> Sequence[list[RoleProfileRequirement]]:
        rows = await context.use_db(lambda s, _: framework_reads.requirements_by_keys(s, keys))
        grouped: dict[ProfileKey, list[RoleProfileRequirement]] = {}
        for r in rows:
            grouped.setdefault((r.version_id, r.stage, r.staff_group), []).append(r)
        return [grouped.get(k, []) for k in keys]

    return DataLoader(load_fn=load)


def item_loader(context: Any) -> DataLoader[ItemKey, FrameworkItem | None]:
    loader: DataLoader[ItemKey, FrameworkItem | None] = context.loader("framework_items", items)
    return loader


def children_loader(context: Any) -> DataLoader[ItemKey, list[FrameworkItem]]:
    loader: DataLoader[ItemKey, list[FrameworkItem]] = context.loader(
        "framework_children", children
    )
    return loader


def requirements_loader(context: Any) -> DataLoader[ProfileKey, list[RoleProfileRequirement]]:
    loader: DataLoader[ProfileKey, list[RoleProfileRequirement]] = context.loader(
        "profile_requirements", requirements
    )
    return loader

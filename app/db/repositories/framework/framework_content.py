"""Reading the content of a framework version: items, search, role profiles, crosswalk links."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Float, case, cast, func, literal, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.db.models import (
    CrosswalkLinkRow,
    Framework,
    FrameworkItem,
    FrameworkVersion,
    RoleProfileRequirement,
    RoleProfileRow,
)
from app.domain.framework.model import ItemKind

KIND_RANK = {kind.value: n for n, kind in enumerate(ItemKind)}


async def items_of_kind(
    session: AsyncSession, version_id: uuid.UUID, kinds: Sequence[str]
) -> list[FrameworkItem]:
    rows = await session.scalars(
        select(FrameworkItem)
        .where(FrameworkItem.version_id == version_id, FrameworkItem.kind.in_(kinds))
        .order_by(FrameworkItem.position)
    )
    return list(rows)


async def items_by_code(
    session: AsyncSession, keys: Sequence[tuple[uuid.UUID, str]]
) -> list[FrameworkItem]:
    if not keys:
        return []
    rows = await session.scalars(
        select(FrameworkItem).where(
            tuple_(FrameworkItem.version_id, FrameworkItem.code).in_(list(keys))
        )
    )
    return list(rows)


async def children_of(
    session: AsyncSession, keys: Sequence[tuple[uuid.UUID, str]]
) -> list[FrameworkItem]:
    """The children of many items at once, in framework order."""
    if not keys:
        return []
    rows = await session.scalars(
        select(FrameworkItem)
        .where(tuple_(FrameworkItem.version_id, FrameworkItem.parent_code).in_(list(keys)))
        .order_by(FrameworkItem.position)
    )
    return list(rows)


async def kind_counts(
    session: AsyncSession, version_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, dict[str, int]]:
    rows = await session.execute(
        select(FrameworkItem.version_id, FrameworkItem.kind, func.count())
        .where(FrameworkItem.version_id.in_(list(version_ids)))
        .group_by(FrameworkItem.version_id, FrameworkItem.kind)
    )
    out: dict[uuid.UUID, dict[str, int]] = {}
    for vid, kind, n in rows:
        out.setdefault(vid, {})[kind] = n
    return out


@dataclass(frozen=True, slots=True)
class SearchHit:
    item: FrameworkItem
    matched: str  # code | name | alias | text | similar
    similarity: float


def _like(key: str) -> str:
    escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


async def search_items(
    session: AsyncSession,
    version_id: uuid.UUID,
    key: str,
    *,
    kinds: Sequence[str] = (),
    limit: int = 50,
) -> list[SearchHit]:
    """Substring match on the search keys (whitespace-free, so Thai without word breaks works),
    trigram similarity as a fallback for near misses. Ranked: exact code, canonical name, alias,
    other text (descriptions, examples), similar; then units before knowledge etc.; then
    similarity; then framework order."""
    pattern = _like(key)
    tier = case(
        (FrameworkItem.search_code == key, 0),
        (FrameworkItem.search_name.like(pattern), 1),
        (FrameworkItem.search_alias.like(pattern), 2),
        (FrameworkItem.search_text.like(pattern), 3),
        else_=4,
    )
    kind_rank = case(
        *((FrameworkItem.kind == kind, rank) for kind, rank in KIND_RANK.items()), else_=99
    )
    similarity = cast(func.word_similarity(literal(key), FrameworkItem.search_text), Float)
    query = (
        select(FrameworkItem, tier.label("tier"), similarity.label("similarity"))
        .where(
            FrameworkItem.version_id == version_id,
            or_(
                FrameworkItem.search_text.like(pattern),
                FrameworkItem.search_text.op("%>")(literal(key)),
            ),
        )
        .order_by(tier, kind_rank, similarity.desc(), FrameworkItem.position)
        .limit(limit)
    )
    if kinds:
        query = query.where(FrameworkItem.kind.in_(list(kinds)))
    names = {0: "code", 1: "name", 2: "alias", 3: "text", 4: "similar"}
    rows = await session.execute(query)
    return [SearchHit(item, names[t], float(s)) for item, t, s in rows]


async def profiles_of(
    session: AsyncSession, version_ids: Sequence[uuid.UUID]
) -> list[RoleProfileRow]:
    rows = await session.scalars(
        select(RoleProfileRow)
        .where(RoleProfileRow.version_id.in_(list(version_ids)))
        .order_by(RoleProfileRow.version_id, RoleProfileRow.position)
    )
    return list(rows)


async def profile(
    session: AsyncSession, version_id: uuid.UUID, stage: str, group: str
) -> RoleProfileRow | None:
    return await session.get(RoleProfileRow, (version_id, stage, group))


async def requirements_of(
    session: AsyncSession, keys: Sequence[tuple[uuid.UUID, str, str]]
) -> list[RoleProfileRequirement]:
    """Resolved requirements of many profiles at once, in each profile's order."""
    if not keys:
        return []
    rows = await session.scalars(
        select(RoleProfileRequirement)
        .where(
            tuple_(
                RoleProfileRequirement.version_id,
                RoleProfileRequirement.stage,
                RoleProfileRequirement.staff_group,
            ).in_(list(keys))
        )
        .order_by(RoleProfileRequirement.position)
    )
    return list(rows)


async def unit_dimensions(session: AsyncSession, version_id: uuid.UUID) -> dict[str, int | None]:
    """Each unit of the version with the learning dimension of its domain (skill set)."""
    domain = aliased(FrameworkItem)
    rows = await session.execute(
        select(FrameworkItem.code, domain.attrs)
        .join(
            domain,
            (domain.version_id == FrameworkItem.version_id)
            & (domain.code == FrameworkItem.parent_code),
        )
        .where(FrameworkItem.version_id == version_id, FrameworkItem.kind == ItemKind.UNIT.value)
    )
    out: dict[str, int | None] = {}
    for code, attrs in rows:
        dimension = (attrs or {}).get("dimension")
        out[code] = dimension if isinstance(dimension, int) else None
    return out


async def requirements_of_item(
    session: AsyncSession, version_id: uuid.UUID, code: str
) -> list[RoleProfileRequirement]:
    """The profiles of the version that require an item (resolved), in matrix order."""
    rows = await session.scalars(
        select(RoleProfileRequirement)
        .join(
            RoleProfileRow,
            (RoleProfileRow.version_id == RoleProfileRequirement.version_id)
            & (RoleProfileRow.stage == RoleProfileRequirement.stage)
            & (RoleProfileRow.staff_group == RoleProfileRequirement.staff_group),
        )
        .where(RoleProfileRequirement.version_id == version_id, RoleProfileRequirement.code == code)
        .order_by(RoleProfileRow.position)
    )
    return list(rows)


@dataclass(frozen=True, slots=True)
class LinkView:
    direction: str  # "outgoing": this item -> other framework; "incoming": other -> this item
    relation: str
    framework: str
    version: str
    code: str
    note: str
    source: str | None


async def links_of_item(session: AsyncSession, version_id: uuid.UUID, code: str) -> list[LinkView]:
    out: list[LinkView] = []
    outgoing = await session.execute(
        select(CrosswalkLinkRow, Framework.key, FrameworkVersion.label)
        .join(FrameworkVersion, FrameworkVersion.id == CrosswalkLinkRow.target_version_id)
        .join(Framework, Framework.id == FrameworkVersion.framework_id)
        .where(CrosswalkLinkRow.version_id == version_id, CrosswalkLinkRow.from_code == code)
        .order_by(CrosswalkLinkRow.position)
    )
    for link, key, label in outgoing:
        out.append(
            LinkView("outgoing", link.relation, key, label, link.to_code, link.note, link.source)
        )
    incoming = await session.execute(
        select(CrosswalkLinkRow, Framework.key, FrameworkVersion.label)
        .join(FrameworkVersion, FrameworkVersion.id == CrosswalkLinkRow.version_id)
        .join(Framework, Framework.id == FrameworkVersion.framework_id)
        .where(
            CrosswalkLinkRow.target_version_id == version_id,
            CrosswalkLinkRow.to_code == code,
            FrameworkVersion.status != "draft",
        )
        .order_by(Framework.key, FrameworkVersion.label, CrosswalkLinkRow.position)
    )
    for link, key, label in incoming:
        out.append(
            LinkView("incoming", link.relation, key, label, link.from_code, link.note, link.source)
        )
    return out

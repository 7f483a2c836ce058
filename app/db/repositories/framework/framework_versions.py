"""Frameworks and versions: finding them, saving a version's content, reading it back whole."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import (
    CrosswalkLinkRow,
    Framework,
    FrameworkItem,
    FrameworkVersion,
    RoleProfileRequirement,
    RoleProfileRow,
)
from app.domain.framework.model import FrameworkContent, Item
from app.domain.framework.native import dump_item, dump_meta, dump_printed, dump_profile
from app.domain.framework.profiles import ResolvedProfile
from app.domain.text import search_key

# Serialises writers of framework versions (seed loading at start-up of several processes,
# concurrent imports): labels and the one-published-version rule are decided under it.
FRAMEWORK_WRITE_LOCK = 7_245_372_002


async def lock_for_writing(session: AsyncSession) -> None:
    await session.execute(select(func.pg_advisory_xact_lock(FRAMEWORK_WRITE_LOCK)))


async def framework_by_key(session: AsyncSession, key: str) -> Framework | None:
    return await session.scalar(select(Framework).where(Framework.key == key))


async def all_frameworks(session: AsyncSession) -> list[Framework]:
    return list(await session.scalars(select(Framework).order_by(Framework.key)))


async def versions_of(
    session: AsyncSession, framework_ids: Sequence[uuid.UUID]
) -> list[FrameworkVersion]:
    rows = await session.scalars(
        select(FrameworkVersion)
        .where(FrameworkVersion.framework_id.in_(framework_ids))
        .order_by(FrameworkVersion.created_at, FrameworkVersion.label)
    )
    return list(rows)


async def version_by_label(
    session: AsyncSession, framework_id: uuid.UUID, label: str
) -> FrameworkVersion | None:
    return await session.scalar(
        select(FrameworkVersion).where(
            FrameworkVersion.framework_id == framework_id, FrameworkVersion.label == label
        )
    )


async def published_version(
    session: AsyncSession, framework_id: uuid.UUID
) -> FrameworkVersion | None:
    return await session.scalar(
        select(FrameworkVersion).where(
            FrameworkVersion.framework_id == framework_id, FrameworkVersion.status == "published"
        )
    )


async def versions_with_hash(
    session: AsyncSession, framework_id: uuid.UUID, content_hash: str
) -> list[FrameworkVersion]:
    rows = await session.scalars(
        select(FrameworkVersion)
        .where(
            FrameworkVersion.framework_id == framework_id,
            FrameworkVersion.content_hash == content_hash,
        )
        .order_by(FrameworkVersion.created_at.desc())
    )
    return list(rows)


async def labels_of(session: AsyncSession, framework_id: uuid.UUID) -> set[str]:
    rows = await session.scalars(
        select(FrameworkVersion.label).where(FrameworkVersion.framework_id == framework_id)
    )
    return set(rows)


async def version_by_id(session: AsyncSession, version_id: uuid.UUID) -> FrameworkVersion | None:
    return await session.get(FrameworkVersion, version_id)


async def framework_by_id(session: AsyncSession, framework_id: uuid.UUID) -> Framework | None:
    return await session.get(Framework, framework_id)


def item_row(version_id: uuid.UUID, position: int, item: Item) -> dict[str, Any]:
    data = dump_item(item)
    names = [search_key(item.name_th), search_key(item.name_en or "")]
    aliases = [search_key(a.text) for a in item.aliases]
    rest = [search_key(item.description_th or "")] + [search_key(e.text) for e in item.examples]
    return {
        "version_id": version_id,
        "code": item.code,
        "position": position,
        "kind": item.kind,
        "parent_code": item.parent,
        "name_th": item.name_th,
        "name_en": item.name_en,
        "description_th": item.description_th,
        "attrs": item.attrs,
        "source": item.source,
        "aliases": data["aliases"],
        "examples": data["examples"],
        "resolutions": data["resolutions"],
        "search_code": search_key(item.code),
        "search_name": "|".join(names),
        "search_alias": "|".join(aliases),
        "search_text": "|".join([search_key(item.code), *names, *aliases, *rest]),
    }


async def insert_version(
    session: AsyncSession,
    *,
    framework: Framework,
    label: str,
    content: FrameworkContent,
    content_hash: str,
    created_by: str,
    based_on: uuid.UUID | None,
) -> FrameworkVersion:
    """A new draft version (its content is added by ``insert_content``)."""
    version = FrameworkVersion(
        id=uuid.uuid4(),
        framework_id=framework.id,
        label=label,
        status="draft",
        meta=dump_meta(content.meta.model_copy(update={"version": label})),
        content_hash=content_hash,
        created_by=created_by,
        based_on_id=based_on,
    )
    session.add(version)
    await session.flush()
    return version


async def replace_draft_meta(
    session: AsyncSession, version: FrameworkVersion, content: FrameworkContent, content_hash: str
) -> None:
    await session.execute(
        update(FrameworkVersion)
        .where(FrameworkVersion.id == version.id, FrameworkVersion.status == "draft")
        .values(
            meta=dump_meta(content.meta.model_copy(update={"version": version.label})),
            content_hash=content_hash,
        )
    )
    await session.refresh(version)


async def delete_content(session: AsyncSession, version_id: uuid.UUID) -> None:
    """Remove a draft's content (the triggers refuse it for any other version)."""
    for table in (RoleProfileRequirement, CrosswalkLinkRow, RoleProfileRow, FrameworkItem):
        await session.execute(delete(table).where(table.version_id == version_id))


async def insert_content(
    session: AsyncSession,
    version_id: uuid.UUID,
    content: FrameworkContent,
    resolved: dict[tuple[str, str], ResolvedProfile],
    target_versions: dict[tuple[str, str], uuid.UUID],
) -> None:
    """Bulk-insert a version's items, profiles, resolved requirements and crosswalk links."""
    vid = version_id
    if content.items:
        rows = [item_row(vid, n, it) for n, it in enumerate(content.items)]
        await session.execute(insert(FrameworkItem), rows)
    if content.role_profiles:
        profiles = []
        for n, p in enumerate(content.role_profiles):
            data = dump_profile(p)
            profiles.append(
                {
                    "version_id": vid,
                    "stage": p.stage,
                    "staff_group": p.group,
                    "position": n,
                    "role_title_th": p.role_title_th,
                    "role_title_en": p.role_title_en,
                    "description_th": p.description_th,
                    "source": p.source,
                    "description_source": p.description_source,
                    "title_aliases": data["title_aliases"],
                    "printed": dump_printed(p.printed),
                    "foundational": data["foundational"],
                    "inherits": data["inherits"],
                    "resolutions": data["resolutions"],
                }
            )
        await session.execute(insert(RoleProfileRow), profiles)
        requirements = [
            {
                "version_id": vid,
                "stage": r.stage,
                "staff_group": r.group,
                "component": req.component.value,
                "code": req.code,
                "position": n,
                "origin": req.origin.value,
                "source": req.source,
                "printed_code": req.printed_code,
                "inherited_stage": req.inherited_from[0] if req.inherited_from else None,
                "inherited_group": req.inherited_from[1] if req.inherited_from else None,
                "note": req.note,
            }
            for r in resolved.values()
            for n, req in enumerate(r.requirements)
        ]
        if requirements:
            await session.execute(insert(RoleProfileRequirement), requirements)
    links = [
        {
            "version_id": vid,
            "target_version_id": target_versions[(c.to.key, c.to.version)],
            "from_code": link.from_code,
            "to_code": link.to_code,
            "position": 0,
            "relation": link.relation,
            "note": link.note,
            "source": link.source,
        }
        for c in content.crosswalks
        for link in c.links
    ]
    for n, row in enumerate(links):
        row["position"] = n
    if links:
        await session.execute(insert(CrosswalkLinkRow), links)


async def set_status(
    session: AsyncSession, version: FrameworkVersion, status: str, actor: str, now: datetime
) -> None:
    values: dict[str, Any] = {"status": status}
    if status == "published":
        values.update(published_at=now, published_by=actor, retired_at=None)
    elif status == "retired":
        values["retired_at"] = now
    await session.execute(
        update(FrameworkVersion).where(FrameworkVersion.id == version.id).values(**values)
    )
    await session.refresh(version)


async def load_content(session: AsyncSession, version: FrameworkVersion) -> FrameworkContent:
    """The whole version as the domain sees it (the inverse of insert_version)."""
    items = await session.scalars(
        select(FrameworkItem)
        .where(FrameworkItem.version_id == version.id)
        .order_by(FrameworkItem.position)
    )
    profiles = await session.scalars(
        select(RoleProfileRow)
        .where(RoleProfileRow.version_id == version.id)
        .order_by(RoleProfileRow.position)
    )
    links = await session.execute(
        select(CrosswalkLinkRow, Framework.key, FrameworkVersion.label)
        .join(FrameworkVersion, FrameworkVersion.id == CrosswalkLinkRow.target_version_id)
        .join(Framework, Framework.id == FrameworkVersion.framework_id)
        .where(CrosswalkLinkRow.version_id == version.id)
        .order_by(CrosswalkLinkRow.position)
    )
    crosswalks: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for link, key, label in links:
        crosswalks.setdefault((key, label), []).append(
            {
                "from_code": link.from_code,
                "to_code": link.to_code,
                "relation": link.relation,
                "note": link.note,
                "source": link.source,
            }
        )
    return FrameworkContent.model_validate(
        {
            "meta": version.meta,
            "items": [item_dict(i) for i in items],
            "role_profiles": [profile_dict(p) for p in profiles],
            "crosswalks": [
                {"to": {"key": k, "version": v}, "links": rows}
                for (k, v), rows in crosswalks.items()
            ],
        }
    )


def item_dict(row: FrameworkItem) -> dict[str, Any]:
    return {
        "code": row.code,
        "kind": row.kind,
        "parent": row.parent_code,
        "name_th": row.name_th,
        "name_en": row.name_en,
        "description_th": row.description_th,
        "attrs": row.attrs,
        "source": row.source,
        "aliases": row.aliases,
        "examples": row.examples,
        "resolutions": row.resolutions,
    }


def profile_dict(row: RoleProfileRow) -> dict[str, Any]:
    return {
        "stage": row.stage,
        "group": row.staff_group,
        "role_title_th": row.role_title_th,
        "role_title_en": row.role_title_en,
        "description_th": row.description_th,
        "source": row.source,
        "description_source": row.description_source,
        "title_aliases": row.title_aliases,
        "printed": row.printed,
        "foundational": row.foundational,
        "inherits": row.inherits,
        "resolutions": row.resolutions,
    }


# Item codes of versions that are no longer drafts: their content never changes again (only a
# draft is edited), so they are read once per process.
_FROZEN_ITEM_CODES: dict[uuid.UUID, dict[str, str]] = {}
_MAX_FROZEN = 64


async def item_codes(session: AsyncSession, version_id: uuid.UUID) -> dict[str, str]:
    """Every item code of the version, with its kind (do not modify the answer)."""
    frozen = _FROZEN_ITEM_CODES.get(version_id)
    if frozen is not None:
        return frozen
    rows = await session.execute(
        select(FrameworkItem.code, FrameworkItem.kind, FrameworkVersion.status)
        .join(FrameworkVersion, FrameworkVersion.id == FrameworkItem.version_id)
        .where(FrameworkItem.version_id == version_id)
    )
    codes: dict[str, str] = {}
    drafted = False
    for code, kind, status in rows:
        codes[code] = kind
        drafted = drafted or status == "draft"
    if codes and not drafted:
        if len(_FROZEN_ITEM_CODES) >= _MAX_FROZEN:
            _FROZEN_ITEM_CODES.clear()
        _FROZEN_ITEM_CODES[version_id] = codes
    return codes


async def delete_version(session: AsyncSession, version: FrameworkVersion) -> None:
    await session.delete(version)
    await session.flush()

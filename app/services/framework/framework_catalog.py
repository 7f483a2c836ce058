"""Frameworks and their versions: who may read them, which version a request means, diffs."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Framework, FrameworkVersion
from app.db.repositories.framework import framework_content as content_repo
from app.db.repositories.framework import framework_versions as repo
from app.domain.errors import NotFound
from app.domain.framework.diff import VersionDiff, diff_versions
from app.domain.principal import Principal, Role
from app.domain.text import nfc
from app.services.platform.access import require, require_user_role

READ_SCOPE = "frameworks:read"


def require_reader(actor: Principal) -> None:
    """Any person (whatever their roles) or a client granted ``frameworks:read``."""
    require(actor, scope=READ_SCOPE)


def require_framework_admin(actor: Principal) -> None:
    require_user_role(actor, Role.CENTRAL_ADMIN)


def see_drafts(actor: Principal) -> bool:
    return not actor.is_client and actor.has_role(Role.CENTRAL_ADMIN)


@dataclass(frozen=True, slots=True)
class SelectedVersion:
    framework: Framework
    version: FrameworkVersion

    @property
    def id(self) -> uuid.UUID:
        return self.version.id


@dataclass(frozen=True, slots=True)
class FrameworkSummary:
    framework: Framework
    current: FrameworkVersion | None
    versions: list[FrameworkVersion]
    counts: dict[uuid.UUID, dict[str, int]]


async def list_frameworks(session: AsyncSession, actor: Principal) -> list[FrameworkSummary]:
    require_reader(actor)
    frameworks = await repo.all_frameworks(session)
    return await _summaries(session, actor, frameworks)


async def get_framework(session: AsyncSession, actor: Principal, key: str) -> FrameworkSummary:
    require_reader(actor)
    framework = await _framework(session, key)
    return (await _summaries(session, actor, [framework]))[0]


async def _summaries(
    session: AsyncSession, actor: Principal, frameworks: list[Framework]
) -> list[FrameworkSummary]:
    versions = await repo.versions_of(session, [f.id for f in frameworks])
    if not see_drafts(actor):
        versions = [v for v in versions if v.status != "draft"]
    counts = await content_repo.kind_counts(session, [v.id for v in versions])
    out = []
    for f in frameworks:
        mine = [v for v in versions if v.framework_id == f.id]
        current = next((v for v in mine if v.status == "published"), None)
        out.append(FrameworkSummary(f, current, mine, counts))
    return out


async def _framework(session: AsyncSession, key: str) -> Framework:
    framework = await repo.framework_by_key(session, nfc(key))
    if framework is None:
        raise NotFound(f"no framework {key!r}")
    return framework


async def select_version(
    session: AsyncSession, actor: Principal, key: str, label: str | None = None
) -> SelectedVersion:
    """The version a request means: ``label`` if given, else the current published one. Drafts
    are visible to central administrators only (to anyone else they do not exist)."""
    require_reader(actor)
    framework = await _framework(session, key)
    if label:
        version = await repo.version_by_label(session, framework.id, nfc(label))
        if version is None or (version.status == "draft" and not see_drafts(actor)):
            raise NotFound(f"framework {key} has no version {label!r}")
    else:
        version = await repo.published_version(session, framework.id)
        if version is None:
            raise NotFound(f"framework {key} has no published version yet")
    return SelectedVersion(framework, version)


async def diff(
    session: AsyncSession, actor: Principal, key: str, before: str, after: str | None
) -> tuple[SelectedVersion, SelectedVersion, VersionDiff]:
    """Added, removed and changed items, profiles and links from ``before`` to ``after``
    (default: the current published version)."""
    old = await select_version(session, actor, key, before)
    new = await select_version(session, actor, key, after)
    result = diff_versions(
        await repo.load_content(session, old.version), await repo.load_content(session, new.version)
    )
    return old, new, result

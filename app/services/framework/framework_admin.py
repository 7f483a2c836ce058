"""Writing frameworks (central administrators): save a version, publish, retire, drafts.

A published version is never changed: different content is always a new version. Saving content
identical to an existing version (same content digest) changes nothing. Every write is audited.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Framework, FrameworkVersion
from app.db.repositories.framework import framework_versions as repo
from app.domain.errors import Conflict, FieldError, NotFound, ValidationFailed
from app.domain.framework.diff import VersionDiff, diff_versions
from app.domain.framework.model import FrameworkContent, valid_label
from app.domain.framework.native import content_hash
from app.domain.framework.profiles import resolve_profiles
from app.domain.framework.validation import validate_content
from app.domain.principal import Principal
from app.domain.text import nfc
from app.services.framework.framework_catalog import require_framework_admin
from app.services.platform import audit

ENTITY = "framework_version"


@dataclass(frozen=True, slots=True)
class SaveOutcome:
    status: str  # created | unchanged | republished
    framework: Framework
    version: FrameworkVersion
    previous: FrameworkVersion | None  # the version that was current before
    diff: VersionDiff | None  # from ``previous`` to ``version`` when a version was created


def invalid(errors: list[FieldError], what: str = "import") -> ValidationFailed:
    return ValidationFailed(
        errors,
        detail=f"{len(errors)} problem(s) found; nothing was saved"
        + (f" ({what})" if what else ""),
    )


async def check_references(
    session: AsyncSession, content: FrameworkContent
) -> tuple[list[FieldError], dict[tuple[str, str], uuid.UUID]]:
    """Crosswalk targets must be existing versions of other frameworks, their codes existing
    items there."""
    errors: list[FieldError] = []
    targets: dict[tuple[str, str], uuid.UUID] = {}
    for c, crosswalk in enumerate(content.crosswalks):
        ref = (crosswalk.to.key, crosswalk.to.version)
        if crosswalk.to.key == content.meta.key:
            errors.append(
                FieldError(
                    f"/crosswalks/{c}/to", "dangling-reference", "a crosswalk links two frameworks"
                )
            )
            continue
        framework = await repo.framework_by_key(session, crosswalk.to.key)
        version = (
            await repo.version_by_label(session, framework.id, crosswalk.to.version)
            if framework
            else None
        )
        if version is None:
            errors.append(
                FieldError(
                    f"/crosswalks/{c}/to",
                    "dangling-reference",
                    f"no framework version {crosswalk.to.key} {crosswalk.to.version}",
                )
            )
            continue
        targets[ref] = version.id
        codes = await repo.item_codes(session, version.id)
        for n, link in enumerate(crosswalk.links):
            if link.to_code not in codes:
                errors.append(
                    FieldError(
                        f"/crosswalks/{c}/links/{n}/to_code",
                        "dangling-reference",
                        f"{link.to_code!r} is not an item of"
                        f" {crosswalk.to.key} {crosswalk.to.version}",
                    )
                )
    return errors, targets


async def save_content(
    session: AsyncSession,
    actor: Principal,
    content: FrameworkContent,
    *,
    publish: bool,
    reinstate: bool = True,
    errors: list[FieldError] | None = None,
) -> SaveOutcome:
    """Check everything, then save ``content`` as a new version of its framework unless an
    existing version already holds exactly it. ``errors`` found earlier (while parsing) are
    reported together with the rest; with any error nothing is written.

    With ``publish`` the new version becomes the current one. When the content matches an
    existing version that is not current, ``reinstate`` publishes that version again (an import
    asking for it); without it nothing changes (the seed at start-up must not undo what an
    administrator published since)."""
    require_framework_admin(actor)
    problems = list(errors or []) + validate_content(content)
    reference_errors, targets = await check_references(session, content)
    problems += reference_errors
    if problems:
        raise invalid(problems)
    await repo.lock_for_writing(session)
    framework = await repo.framework_by_key(session, content.meta.key)
    if framework is None:
        framework = Framework(
            key=content.meta.key, title_th=content.meta.title_th, title_en=content.meta.title_en
        )
        session.add(framework)
        await session.flush()
        audit.record(
            session,
            actor,
            entity="framework",
            entity_id=framework.key,
            action="create",
            about=audit.NATIONAL,
        )
    current = await repo.published_version(session, framework.id)
    digest = content_hash(content)
    same = await repo.versions_with_hash(session, framework.id, digest)
    if same:
        chosen = current if current is not None and current.content_hash == digest else same[0]
        if publish and reinstate and chosen.status != "published":
            await _publish(session, actor, framework, chosen, current)
            return SaveOutcome("republished", framework, chosen, current, None)
        return SaveOutcome("unchanged", framework, chosen, current, None)
    version = await repo.insert_version(
        session,
        framework=framework,
        label=await _free_label(session, framework.id, content.meta.version),
        content=content,
        content_hash=digest,
        created_by=actor.subject,
        based_on=current.id if current else None,
    )
    resolved = resolve_profiles(content.items, content.role_profiles)
    await repo.insert_content(session, version.id, content, resolved, targets)
    change = diff_versions(await repo.load_content(session, current), content) if current else None
    audit.record(
        session,
        actor,
        entity=ENTITY,
        entity_id=version.id,
        action="create",
        about=audit.NATIONAL,
        details={
            "framework": framework.key,
            "version": version.label,
            "content_hash": digest,
            "based_on": current.label if current else None,
            "changes": change.counts if change else None,
        },
    )
    if publish:
        await _publish(session, actor, framework, version, current)
    return SaveOutcome("created", framework, version, current, change)


async def _free_label(session: AsyncSession, framework_id: uuid.UUID, wanted: str) -> str:
    taken = await repo.labels_of(session, framework_id)
    if wanted not in taken:
        return wanted
    n = 1
    while f"{wanted}.{n}" in taken:
        n += 1
    return f"{wanted}.{n}"


async def _publish(
    session: AsyncSession,
    actor: Principal,
    framework: Framework,
    version: FrameworkVersion,
    current: FrameworkVersion | None,
) -> None:
    now = datetime.now(UTC)
    if current is not None and current.id != version.id:
        await repo.set_status(session, current, "retired", actor.subject, now)
        audit.record(
            session,
            actor,
            entity=ENTITY,
            entity_id=current.id,
            action="retire",
            about=audit.NATIONAL,
            details={
                "framework": framework.key,
                "version": current.label,
                "replaced_by": version.label,
            },
        )
    await repo.set_status(session, version, "published", actor.subject, now)
    framework.title_th = version.meta["title_th"]
    framework.title_en = version.meta.get("title_en")
    audit.record(
        session,
        actor,
        entity=ENTITY,
        entity_id=version.id,
        action="publish",
        about=audit.NATIONAL,
        details={
            "framework": framework.key,
            "version": version.label,
            "content_hash": version.content_hash,
        },
    )


async def _version(
    session: AsyncSession, key: str, label: str
) -> tuple[Framework, FrameworkVersion]:
    framework = await repo.framework_by_key(session, nfc(key))
    version = await repo.version_by_label(session, framework.id, nfc(label)) if framework else None
    if framework is None or version is None:
        raise NotFound(f"no framework version {key} {label}")
    return framework, version


async def publish_version(
    session: AsyncSession, actor: Principal, key: str, label: str
) -> FrameworkVersion:
    """Make a draft (or a retired version) the current one; the current one is retired."""
    require_framework_admin(actor)
    await repo.lock_for_writing(session)
    framework, version = await _version(session, key, label)
    if version.status == "published":
        return version
    await _publish(
        session, actor, framework, version, await repo.published_version(session, framework.id)
    )
    return version


async def retire_version(
    session: AsyncSession, actor: Principal, key: str, label: str
) -> FrameworkVersion:
    require_framework_admin(actor)
    await repo.lock_for_writing(session)
    _, version = await _version(session, key, label)
    if version.status != "published":
        raise Conflict(
            f"{key} {label} is {version.status}; only a published version can be retired"
        )
    await repo.set_status(session, version, "retired", actor.subject, datetime.now(UTC))
    audit.record(
        session,
        actor,
        entity=ENTITY,
        entity_id=version.id,
        action="retire",
        about=audit.NATIONAL,
        details={"framework": key, "version": version.label},
    )
    return version


async def create_draft(
    session: AsyncSession, actor: Principal, key: str, *, based_on: str | None, label: str | None
) -> FrameworkVersion:
    """A new draft holding a copy of a version (default: the current published one), to edit
    with ``replace_draft`` and then publish."""
    require_framework_admin(actor)
    await repo.lock_for_writing(session)
    framework = await repo.framework_by_key(session, nfc(key))
    if framework is None:
        raise NotFound(f"no framework {key!r}")
    if based_on:
        _, source = await _version(session, key, based_on)
    else:
        found = await repo.published_version(session, framework.id)
        if found is None:
            raise NotFound(f"{key} has no published version to start from; name one")
        source = found
    content = await repo.load_content(session, source)
    if label is not None:
        label = nfc(label)
        if label in await repo.labels_of(session, framework.id):
            raise Conflict(f"{key} already has a version {label}")
        content = content.with_version(label)
    if label is not None and not valid_label(label):
        raise invalid([FieldError("/version", "pattern", f"{label!r} is not a version label")], "")
    version = await repo.insert_version(
        session,
        framework=framework,
        label=label or await _free_label(session, framework.id, source.label),
        content=content,
        content_hash=source.content_hash,
        created_by=actor.subject,
        based_on=source.id,
    )
    _, targets = await check_references(session, content)
    await repo.insert_content(
        session,
        version.id,
        content,
        resolve_profiles(content.items, content.role_profiles),
        targets,
    )
    audit.record(
        session,
        actor,
        entity=ENTITY,
        entity_id=version.id,
        action="create",
        about=audit.NATIONAL,
        details={"framework": key, "version": version.label, "based_on": source.label},
    )
    return version


async def replace_draft(
    session: AsyncSession,
    actor: Principal,
    key: str,
    label: str,
    content: FrameworkContent,
    errors: list[FieldError] | None = None,
) -> FrameworkVersion:
    """Replace the whole content of a draft; a published or retired version answers 409."""
    require_framework_admin(actor)
    framework, version = await _version(session, key, label)
    if version.status != "draft":
        raise Conflict(
            f"{key} {label} is {version.status} and immutable; create a new version instead",
            version_status=version.status,
        )
    problems = list(errors or [])
    if content.meta.key != framework.key:
        problems.append(
            FieldError("/framework/key", "const", f"this is a version of {framework.key}")
        )
    problems += validate_content(content)
    reference_errors, targets = await check_references(session, content)
    if problems + reference_errors:
        raise invalid(problems + reference_errors, "")
    await repo.delete_content(session, version.id)
    digest = content_hash(content)
    await repo.replace_draft_meta(session, version, content, digest)
    await repo.insert_content(
        session,
        version.id,
        content,
        resolve_profiles(content.items, content.role_profiles),
        targets,
    )
    audit.record(
        session,
        actor,
        entity=ENTITY,
        entity_id=version.id,
        action="update",
        about=audit.NATIONAL,
        details={"framework": key, "version": label, "content_hash": digest},
    )
    return version


async def delete_draft(session: AsyncSession, actor: Principal, key: str, label: str) -> None:
    require_framework_admin(actor)
    _, version = await _version(session, key, label)
    if version.status != "draft":
        raise Conflict(f"{key} {label} is {version.status}; only drafts can be deleted")
    await repo.delete_content(session, version.id)
    await repo.delete_version(session, version)
    audit.record(
        session,
        actor,
        entity=ENTITY,
        entity_id=version.id,
        action="delete",
        about=audit.NATIONAL,
        details={"framework": key, "version": label},
    )

"""Agencies: reads in scope, change feed, single-record writes with versions, history."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Agency, AgencyVersion
from app.db.raw import advisory_xact_lock
from app.db.repositories.people import agencies as repo
from app.db.repositories.people.agencies import AgencyView
from app.domain.errors import FieldError, NotFound, ValidationFailed
from app.domain.merge_patch import merge_patch
from app.domain.principal import Principal
from app.services.people.agency_sync import TREE_LOCK, sync_agencies
from app.services.people.sync import Outcome
from app.services.platform.changes import decode_position, encode_position
from app.services.platform.scope import agency_scope
from app.services.platform.versioning import check_if_match

WRITABLE = ("code", "name_th", "name_en", "kind", "parent", "active")


@dataclass(frozen=True)
class Page:
    items: list[AgencyView]
    next_cursor: str
    has_more: bool


def representation(view: AgencyView) -> dict[str, Any]:
    """The writable fields of an agency, as a PUT body would give them."""
    a = view.agency
    return {
        "code": a.code,
        "name_th": a.name_th,
        "name_en": a.name_en,
        "kind": a.kind,
        "parent": view.parent_code,
        "active": a.active,
    }


async def get_agency(session: AsyncSession, actor: Principal, code: str) -> AgencyView:
    scope = await agency_scope(session, actor, write=False)
    found = await repo.view(session, code)
    if found is None or not scope.covers(found.agency.path):
        raise NotFound(f"no agency {code!r}")
    return found


async def list_changes(
    session: AsyncSession,
    actor: Principal,
    *,
    cursor: str | None,
    updated_since: datetime | None,
    limit: int,
) -> Page:
    """Agencies in change order: resume with ``next_cursor``; nothing is skipped or repeated."""
    scope = await agency_scope(session, actor, write=False)
    position = decode_position("agency", cursor)
    rows = await repo.page(
        session,
        prefixes=scope.prefixes,
        position=position,
        updated_since=updated_since,
        limit=limit + 1,
    )
    items = rows[:limit]
    if items:
        last = items[-1].agency
        next_cursor = encode_position("agency", last.change_xid, last.change_seq)
    else:
        next_cursor = cursor or encode_position("agency", 0, 0)
    return Page(items, next_cursor, len(rows) > limit)


async def put_agency(
    session: AsyncSession, actor: Principal, code: str, body: object, *, if_match: str | None
) -> tuple[AgencyView, bool]:
    """Create or replace one agency; True when it was created."""
    if isinstance(body, dict):
        body = {"code": code, **body}
    await advisory_xact_lock(session, TREE_LOCK)
    current = await repo.view(session, code)
    scope = await agency_scope(session, actor, write=True)
    if current is not None and not scope.covers(current.agency.path):
        raise NotFound(f"no agency {code!r}")
    check_if_match(if_match, current.agency.change_seq if current else None)
    return await _write_one(session, actor, code, body)


async def patch_agency(
    session: AsyncSession, actor: Principal, code: str, patch: object, *, if_match: str | None
) -> AgencyView:
    if not isinstance(patch, dict):
        raise ValidationFailed([FieldError("", "type", "a merge patch must be a JSON object")])
    await advisory_xact_lock(session, TREE_LOCK)
    scope = await agency_scope(session, actor, write=True)
    current = await repo.view(session, code)
    if current is None or not scope.covers(current.agency.path):
        raise NotFound(f"no agency {code!r}")
    check_if_match(if_match, current.agency.change_seq)
    view, _ = await _write_one(session, actor, code, merge_patch(representation(current), patch))
    return view


async def _write_one(
    session: AsyncSession, actor: Principal, code: str, body: object
) -> tuple[AgencyView, bool]:
    if isinstance(body, dict) and body.get("code") != code:
        raise ValidationFailed(
            [FieldError("/code", "immutable", "the code in the body differs from the URL's")]
        )
    report = await sync_agencies(session, actor, [body], dry_run=False)
    result = report.results[0]
    if result.outcome is Outcome.REJECTED:
        raise ValidationFailed([_unindexed(e) for e in result.errors])
    await session.flush()
    session.expire_all()
    found = await repo.view(session, code)
    assert found is not None
    return found, result.outcome is Outcome.CREATED


def _unindexed(error: FieldError) -> FieldError:
    pointer = error.pointer.removeprefix("/0")
    return FieldError(pointer, error.rule, error.message, error.extra)


async def history(session: AsyncSession, actor: Principal, code: str) -> list[AgencyVersion]:
    view = await get_agency(session, actor, code)
    return await repo.versions(session, view.agency.id)


async def tree_roots(session: AsyncSession, actor: Principal) -> list[Agency]:
    """The top of the tree the caller may see: every root, or the agency their scope hangs from."""
    scope = await agency_scope(session, actor, write=False)
    if scope.everything:
        return await repo.roots(session)
    found = await repo.by_ids(session, [repo.path_ids(p)[-1] for p in scope.agency_paths])
    return sorted(found.values(), key=lambda a: a.code)


async def children(
    session: AsyncSession, parent_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[Agency]]:
    """Children of agencies the caller already sees (a subtree is seen whole)."""
    return await repo.children_of(session, parent_ids)


async def by_ids_in_scope(
    session: AsyncSession, actor: Principal, ids: list[uuid.UUID]
) -> dict[uuid.UUID, Agency]:
    scope = await agency_scope(session, actor, write=False)
    found = await repo.by_ids(session, ids)
    return {i: a for i, a in found.items() if scope.covers(a.path)}

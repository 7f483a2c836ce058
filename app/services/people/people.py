"""People: reads in scope (delta feed, single records), single-record writes, deactivation,
PDPA erasure, matching by national id."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Person, StaffGroupAssignment
from app.db.models.agency import CURRENT_XID
from app.db.models.person import ASSIGNMENT_CHANGE_SEQ, PERSON_CHANGE_SEQ
from app.db.raw import advisory_xact_lock
from app.db.repositories.people import agencies as agency_repo
from app.db.repositories.people import people as repo
from app.db.repositories.people.people import PersonView
from app.domain.errors import (
    Conflict,
    FieldError,
    NotFound,
    OwnedByAnotherSource,
    ValidationFailed,
)
from app.domain.fiscal import bangkok_today
from app.domain.merge_patch import merge_patch
from app.domain.people import national_id
from app.domain.principal import Principal, Role
from app.services.people import hooks
from app.services.people.people_sync import source_lock, sync_people
from app.services.people.sync import Outcome
from app.services.platform import audit
from app.services.platform.access import require_user_role
from app.services.platform.changes import decode_position, encode_position
from app.services.platform.scope import Scope, linked_person, people_scope
from app.services.platform.versioning import check_if_match

PERSONAL_FIELDS = (
    "external_id",
    "employee_number",
    "first_name_th",
    "last_name_th",
    "first_name_en",
    "last_name_en",
    "email",
    "position_title",
    "start_date",
    "end_date",
    "national_id_hash",
    "subject",
)


@dataclass(frozen=True)
class Page:
    items: list[PersonView]
    next_cursor: str
    has_more: bool


def visible_to(scope: Scope) -> Any:
    return repo.visible(
        everything=scope.everything,
        prefixes=scope.agency_paths,
        self_person=scope.self_person,
        reports_of_person=scope.reports_of,
    )


def representation(view: PersonView) -> dict[str, Any]:
    """The writable fields, as a PUT body gives them (the national id is never shown)."""
    p = view.person
    fields: dict[str, Any] = {
        "external_id": p.external_id,
        "employee_number": p.employee_number,
        "first_name_th": p.first_name_th,
        "last_name_th": p.last_name_th,
        "first_name_en": p.first_name_en,
        "last_name_en": p.last_name_en,
        "email": p.email,
        "position_title": p.position_title,
        "position_type": p.position_type,
        "position_level": p.position_level,
        "agency": view.agency_code,
        "supervisor": view.supervisor_external_id,
        "active": p.active,
        "start_date": p.start_date.isoformat() if p.start_date else None,
        "end_date": p.end_date.isoformat() if p.end_date else None,
        "subject": p.subject,
        "employment_category": p.employment_category,
    }
    return {k: v for k, v in fields.items() if v is not None}


async def get_person(session: AsyncSession, actor: Principal, person_id: uuid.UUID) -> PersonView:
    scope = await people_scope(session, actor, write=False)
    found = await repo.view(session, person_id, visible_to(scope))
    if found is None:
        raise NotFound(f"no person {person_id}")
    return found


async def list_changes(
    session: AsyncSession,
    actor: Principal,
    *,
    cursor: str | None,
    updated_since: datetime | None,
    limit: int,
    agency: str | None = None,
) -> Page:
    """People in change order (app/db/repositories/platform/changes.py); resume with next_cursor."""
    scope = await people_scope(session, actor, write=False)
    position = decode_position("person", cursor)
    prefix = None
    if agency is not None:
        found = await agency_repo.by_code(session, agency)
        if found is None:
            return Page([], cursor or encode_position("person", 0, 0), False)
        prefix = found.path
    rows = await repo.page(
        session,
        visible_to(scope),
        position=position,
        updated_since=updated_since,
        limit=limit + 1,
        agency_prefix=prefix,
    )
    items = rows[:limit]
    if items:
        last = items[-1].person
        next_cursor = encode_position("person", last.change_xid, last.change_seq)
    else:
        next_cursor = cursor or encode_position("person", 0, 0)
    return Page(items, next_cursor, len(rows) > limit)


async def _current_for_write(
    session: AsyncSession, actor: Principal, person_id: uuid.UUID, if_match: str | None
) -> PersonView:
    scope = await people_scope(session, actor, write=True)
    current = await repo.view(session, person_id, visible_to(scope))
    if current is None:
        raise NotFound(f"no person {person_id}")
    # A write goes through the record's source (its HR system's feed): say so when that source
    # is beyond the caller, rather than let the sync refuse the source as out of scope.
    source = await agency_repo.by_code(session, current.source_code)
    if source is None or not scope.covers(source.path):
        raise OwnedByAnotherSource(
            f"this person's record is kept by the HR system of {current.source_code} (its "
            f"source), which is beyond your agency; change it there",
            source=current.source_code,
        )
    await advisory_xact_lock(session, source_lock(current.person.source_agency_id))
    locked = await repo.lock(session, person_id)
    assert locked is not None
    if locked.erased_at is not None:
        raise Conflict("this person's record was erased; it cannot be changed")
    check_if_match(if_match, locked.change_seq)
    return current


async def put_person(
    session: AsyncSession,
    actor: Principal,
    person_id: uuid.UUID,
    body: object,
    *,
    if_match: str | None,
    pii_key: bytes,
) -> PersonView:
    """Replace one person's record (every field; an absent field becomes empty)."""
    current = await _current_for_write(session, actor, person_id, if_match)
    return await _write_one(session, actor, current, body, pii_key=pii_key, keep=False)


async def patch_person(
    session: AsyncSession,
    actor: Principal,
    person_id: uuid.UUID,
    patch: object,
    *,
    if_match: str | None,
    pii_key: bytes,
) -> PersonView:
    """Change some fields (JSON merge patch); the stored national id hash stays unless sent."""
    if not isinstance(patch, dict):
        raise ValidationFailed([FieldError("", "type", "a merge patch must be a JSON object")])
    current = await _current_for_write(session, actor, person_id, if_match)
    merged = merge_patch(representation(current), patch)
    return await _write_one(
        session, actor, current, merged, pii_key=pii_key, keep="national_id" not in patch
    )


async def deactivate_person(
    session: AsyncSession,
    actor: Principal,
    person_id: uuid.UUID,
    *,
    end_date: date | None,
    if_match: str | None,
    pii_key: bytes,
) -> PersonView:
    """People are never deleted: they stop being active, from ``end_date`` (default today)."""
    day = end_date or bangkok_today()
    return await patch_person(
        session,
        actor,
        person_id,
        {"active": False, "end_date": day.isoformat()},
        if_match=if_match,
        pii_key=pii_key,
    )


async def _write_one(
    session: AsyncSession,
    actor: Principal,
    current: PersonView,
    body: object,
    *,
    pii_key: bytes,
    keep: bool,
) -> PersonView:
    if isinstance(body, dict):
        given = body.get("external_id", current.person.external_id)
        if given != current.person.external_id:
            raise ValidationFailed(
                [FieldError("/external_id", "immutable", "external_id cannot be changed")]
            )
        body = {**body, "external_id": current.person.external_id}
    external_id = current.person.external_id
    person_id = current.person.id
    current_fields = PersonView(
        _snapshot(current.person),
        current.source_code,
        current.agency_code,
        current.supervisor_external_id,
    )
    report = await sync_people(
        session,
        actor,
        [body],
        source=current.source_code,
        dry_run=False,
        pii_key=pii_key,
        keep_national_id={external_id: current.person.national_id_hash} if keep else None,
    )
    result = report.results[0]
    if result.outcome is Outcome.REJECTED:
        raise ValidationFailed(
            [
                FieldError(e.pointer.removeprefix("/0"), e.rule, e.message, e.extra)
                for e in result.errors
            ]
        )
    session.expire_all()
    found = await repo.view(
        session,
        person_id,
        repo.visible(everything=True, prefixes=(), self_person=None, reports_of_person=None),
    )
    assert found is not None
    if result.outcome is Outcome.UPDATED:
        before, after = representation(current_fields), representation(found)
        changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        audit.record(
            session,
            actor,
            entity="person",
            entity_id=person_id,
            action="update",
            about=audit.about_person(person_id),
            details={"fields": changed},
        )
    return found


def _snapshot(person: Person) -> Person:
    """A detached copy of the fields a representation shows (before a write changes them)."""
    copy = Person()
    for name in representation_fields():
        setattr(copy, name, getattr(person, name))
    return copy


def representation_fields() -> tuple[str, ...]:
    return (
        "external_id", "employee_number", "first_name_th", "last_name_th", "first_name_en",
        "last_name_en", "email", "position_title", "position_type", "position_level", "active",
        "start_date", "end_date", "subject", "national_id_hash", "employment_category",
    )  # fmt: skip


async def erase_person(session: AsyncSession, actor: Principal, person_id: uuid.UUID) -> PersonView:
    """PDPA erasure (central administrators): the personal fields are emptied for good; the row,
    its agency, position type and level, its place in reporting lines and its staff-group history
    stay, so anonymous aggregates still add up. Audited; idempotent."""
    require_user_role(actor, Role.CENTRAL_ADMIN)
    everyone = repo.visible(everything=True, prefixes=(), self_person=None, reports_of_person=None)
    current = await repo.view(session, person_id, everyone)
    if current is None:
        raise NotFound(f"no person {person_id}")
    if current.person.erased_at is None:
        subject = current.person.subject
        await session.execute(
            update(Person)
            .where(Person.id == person_id)
            .values(
                {name: None for name in PERSONAL_FIELDS if name != "external_id"}
                | {
                    "external_id": f"erased:{person_id}",
                    "active": False,
                    "content_hash": None,
                    "source_hash": None,
                    "erased_at": datetime.now().astimezone(),
                    "erased_by": actor.subject,
                    "change_seq": PERSON_CHANGE_SEQ.next_value(),
                    "change_xid": CURRENT_XID,
                    "updated_at": datetime.now().astimezone(),
                }
            )
            .execution_options(synchronize_session=False)
        )
        if subject:
            # The rows change, so they come back in the staff-group change feed: a copy kept
            # by an HR system loses the subject too.
            for column in ("proposed_by", "agreed_by", "approved_by", "rejected_by"):
                await session.execute(
                    update(StaffGroupAssignment)
                    .where(getattr(StaffGroupAssignment, column) == subject)
                    .values(
                        {
                            column: "erased",
                            "change_seq": ASSIGNMENT_CHANGE_SEQ.next_value(),
                            "change_xid": CURRENT_XID,
                            "updated_at": datetime.now().astimezone(),
                        }
                    )
                    .execution_options(synchronize_session=False)
                )
        await hooks.person_erased(session, person_id)
        audit.record(
            session,
            actor,
            entity="person",
            entity_id=person_id,
            action="erase",
            about=audit.about_person(person_id),
            details={"fields": list(PERSONAL_FIELDS)},
        )
    session.expire_all()
    found = await repo.view(session, person_id, everyone)
    assert found is not None
    return found


async def match_national_id(
    session: AsyncSession, actor: Principal, raw: str, *, pii_key: bytes
) -> list[PersonView]:
    """People in scope whose stored keyed hash matches this national id."""
    if not actor.is_client:
        require_user_role(actor, Role.AGENCY_ADMIN, Role.CENTRAL_ADMIN)
    scope = await people_scope(session, actor, write=False)  # clients: people:read or :write
    digits = national_id.normalise(raw)
    if digits is None or not national_id.is_valid(digits):
        raise ValidationFailed(
            [FieldError("/national_id", "checksum", "not a valid 13-digit national id")]
        )
    return await repo.by_national_id_hash(
        session, national_id.keyed_hash(digits, pii_key), visible_to(scope)
    )


async def reports(
    session: AsyncSession, actor: Principal, *, direct: bool, limit: int = 500
) -> list[PersonView]:
    """The caller's reports (direct only, or the whole line below them)."""
    me = await linked_person(session, actor)
    if me is None:
        return []
    if direct:
        condition = Person.supervisor_id == me.id
    else:
        condition = repo.visible(
            everything=False, prefixes=(), self_person=None, reports_of_person=me.id
        )
    return await repo.views_where(session, condition, limit=limit)


async def me(session: AsyncSession, actor: Principal) -> PersonView | None:
    person = await linked_person(session, actor)
    if person is None:
        return None
    return await repo.view(session, person.id, Person.id == person.id)


async def views_by_ids(
    session: AsyncSession, actor: Principal, ids: list[uuid.UUID]
) -> dict[uuid.UUID, PersonView]:
    """The people among ``ids`` the caller may see."""
    scope = await people_scope(session, actor, write=False)
    found = await repo.views_where(session, Person.id.in_(ids) & visible_to(scope), limit=len(ids))
    return {v.person.id: v for v in found}


async def supervisors_by_ids(
    session: AsyncSession, actor: Principal, ids: list[uuid.UUID]
) -> dict[uuid.UUID, PersonView]:
    """The first-line supervisor of each person among ``ids`` the caller may see, by that
    person's id: shown when the caller may see the supervisor too, and always for the caller's
    own supervisor (everyone may know who they report to, 003:657)."""
    scope = await people_scope(session, actor, write=False)
    people = await repo.views_where(session, Person.id.in_(ids) & visible_to(scope), limit=len(ids))
    supervisor_of = {
        v.person.id: v.person.supervisor_id for v in people if v.person.supervisor_id is not None
    }
    if not supervisor_of:
        return {}
    wanted = set(supervisor_of.values())
    own = supervisor_of.get(scope.self_person) if scope.self_person is not None else None
    may_see = visible_to(scope) if own is None else or_(visible_to(scope), Person.id == own)
    found = await repo.views_where(session, Person.id.in_(wanted) & may_see, limit=len(wanted))
    by_id = {v.person.id: v for v in found}
    return {pid: by_id[s] for pid, s in supervisor_of.items() if s in by_id}

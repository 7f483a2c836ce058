"""Providers keep their courses by bulk upsert (the people sync's conventions: JSON or NDJSON,
one outcome per record, dry run that predicts the write) or one at a time.

Under the provider's lock, one query reads the batch's stored courses; records are parsed by the
domain (every problem at once), their framework items checked against the framework version they
name (the published one by default) and their xAPI activity ids against every other course's
(an activity id identifies one course). A record equal to the stored course is ``unchanged`` and
not touched; each other valid record is written with a new revision kept in ``course_revision``.
"""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Course, CourseProvider
from app.db.raw import advisory_xact_lock
from app.db.repositories.framework import framework_versions as versions_repo
from app.db.repositories.learning import catalogue as repo
from app.domain.errors import FieldError, ValidationFailed
from app.domain.learning.catalogue import CourseRecord, FrameworkRef, parse_course
from app.domain.principal import Principal
from app.services.learning.catalogue import CourseView, views_of, writable_provider
from app.services.people.sync import (
    Outcome,
    RecordResult,
    SyncReport,
    check_batch_size,
    duplicates,
    reject_malformed,
)
from app.services.platform import audit


def provider_lock(provider_id: uuid.UUID) -> str:
    return f"course-sync:{provider_id}"


async def _versions(
    session: AsyncSession, refs: set[FrameworkRef]
) -> dict[FrameworkRef, tuple[uuid.UUID, set[str]] | None]:
    found: dict[FrameworkRef, tuple[uuid.UUID, set[str]] | None] = {}
    for ref in refs:
        framework = await versions_repo.framework_by_key(session, ref.key)
        version = None
        if framework is not None:
            version = (
                await versions_repo.version_by_label(session, framework.id, ref.version)
                if ref.version
                else await versions_repo.published_version(session, framework.id)
            )
        found[ref] = (
            None
            if version is None
            else (version.id, set(await versions_repo.item_codes(session, version.id)))
        )
    return found


def _key(raw: object) -> str | None:
    value = raw.get("code") if isinstance(raw, dict) else None
    return value.strip() if isinstance(value, str) else None


async def sync_courses(
    session: AsyncSession,
    actor: Principal,
    provider_code: str,
    raw_records: list[object],
    *,
    dry_run: bool,
    provider: CourseProvider | None = None,
) -> SyncReport:
    """Create or update a provider's courses keyed by code; one outcome per record."""
    check_batch_size(len(raw_records))
    provider = provider or await writable_provider(session, actor, provider_code)
    keys = [_key(raw) for raw in raw_records]
    report = SyncReport("code", dry_run, [RecordResult(i, k) for i, k in enumerate(keys)])
    if not dry_run:
        await advisory_xact_lock(session, provider_lock(provider.id))
    reject_malformed(report, raw_records)
    parsed: dict[int, CourseRecord] = {}
    for index, raw in enumerate(raw_records):
        if report.is_rejected(index):
            continue
        record, errors = parse_course(raw, f"/{index}")
        if record is None:
            report.reject(index, *errors)
        else:
            parsed[index] = record
    for index, error in duplicates({i: r.code for i, r in parsed.items()}, "code").items():
        report.reject(index, error)
        parsed.pop(index, None)
    versions = await _versions(session, {r.framework for r in parsed.values()})
    version_of: dict[int, uuid.UUID] = {}
    for index, record in list(parsed.items()):
        found = versions[record.framework]
        problems: list[FieldError] = []
        if found is None:
            problems.append(
                FieldError(f"/{index}/framework", "framework-unknown", "no such framework version")
            )
        else:
            version_of[index] = found[0]
            problems += [
                FieldError(
                    f"/{index}/items/{k}",
                    "item-unknown",
                    f"{code} is not an item of the framework version",
                )
                for k, code in enumerate(record.items)
                if code not in found[1]
            ]
        if problems:
            report.reject(index, *problems)
            parsed.pop(index)
    _activities_once(report, parsed)
    stored = await repo.stored_courses(
        session, provider.id, {r.code for r in parsed.values()}, lock=not dry_run
    )
    owners = await repo.activity_owners(
        session, {a for r in parsed.values() for a in r.activity_ids}
    )
    for index, record in list(parsed.items()):
        mine = stored.get(record.code)
        taken = [
            FieldError(
                f"/{index}/activity_ids/{k}",
                "activity-taken",
                "this xAPI activity id identifies another course",
            )
            for k, a in enumerate(record.activity_ids)
            if a in owners and (mine is None or owners[a] != mine.id)
        ]
        if taken:
            report.reject(index, *taken)
            parsed.pop(index)
    writes: list[tuple[int, CourseRecord, Course | None]] = []
    for index, record in parsed.items():
        result = report.results[index]
        mine = stored.get(record.code)
        document = record.as_json()
        if (
            mine is not None
            and mine.document == document
            and mine.framework_version_id == version_of[index]
        ):
            result.outcome, result.id = Outcome.UNCHANGED, mine.id
            continue
        result.outcome = Outcome.CREATED if mine is None else Outcome.UPDATED
        result.id = mine.id if mine is not None else None
        writes.append((index, record, mine))
    if dry_run or not writes:
        return report
    await _write(session, actor, provider, report, writes, version_of)
    return report


def _activities_once(report: SyncReport, parsed: dict[int, CourseRecord]) -> None:
    """An activity id named by two records of the batch: both are refused."""
    counted = Counter(a for r in parsed.values() for a in r.activity_ids)
    for index, record in list(parsed.items()):
        clashes = [
            FieldError(
                f"/{index}/activity_ids/{k}",
                "duplicate-in-batch",
                "another record of this batch names this activity id",
            )
            for k, a in enumerate(record.activity_ids)
            if counted[a] > 1
        ]
        if clashes:
            report.reject(index, *clashes)
            parsed.pop(index)


def _columns(record: CourseRecord, version_id: uuid.UUID) -> dict[str, Any]:
    return {
        "title_th": record.title_th,
        "title_en": record.title_en,
        "scope_th": record.scope_th,
        "hours": record.hours,
        "delivery_mode": None if record.delivery_mode is None else record.delivery_mode.value,
        "language": record.language,
        "url": record.url,
        "framework_version_id": version_id,
        "items": list(record.items),
        "groups": [g.value for g in record.groups],
        "methods": list(record.methods),
        "source": record.source,
        "active": record.active,
        "document": record.as_json(),
        "search_text": record.search_text(),
    }


async def _write(
    session: AsyncSession,
    actor: Principal,
    provider: CourseProvider,
    report: SyncReport,
    writes: list[tuple[int, CourseRecord, Course | None]],
    version_of: dict[int, uuid.UUID],
) -> None:
    links: list[tuple[uuid.UUID, uuid.UUID, list[str], list[str]]] = []
    revisions: list[dict[str, Any]] = []
    for index, record, mine in writes:
        columns = _columns(record, version_of[index])
        if mine is None:
            row = Course(
                id=uuid.uuid4(),
                provider_id=provider.id,
                code=record.code,
                revision=1,
                updated_by=actor.subject,
                **columns,
            )
            session.add(row)
            action = "create"
        else:
            row = mine
            for name, value in columns.items():
                setattr(row, name, value)
            row.revision += 1
            row.updated_by = actor.subject
            action = "update"
        report.results[index].id = row.id
        links.append((row.id, version_of[index], list(record.items), list(record.activity_ids)))
        revisions.append(
            {
                "course_id": row.id,
                "revision": row.revision,
                "recorded_by": actor.subject,
                "action": action,
                "document": columns["document"],
            }
        )
    await session.flush()
    await repo.replace_links(session, links)
    await repo.add_revisions(session, revisions)
    audit.record(
        session,
        actor,
        entity="course_provider",
        entity_id=provider.id,
        action="courses.sync",
        about=audit.NATIONAL
        if provider.agency_id is None
        else audit.about_agency(provider.agency_id),
        details={
            "provider": provider.code,
            "counts": report.counts(),
            "courses": [str(report.results[i].id) for i, _, _ in writes],
        },
    )


async def put_course(
    session: AsyncSession, actor: Principal, provider_code: str, code: str, body: object
) -> tuple[CourseView, bool]:
    """Create or replace one course (an agency adding its own); True when created."""
    if not isinstance(body, dict):
        raise ValidationFailed([FieldError("", "type", "send a JSON object")])
    if "code" in body and body["code"] != code:
        raise ValidationFailed([FieldError("/code", "code-mismatch", "differs from the path")])
    record = {**body, "code": code}
    report = await sync_courses(session, actor, provider_code, [record], dry_run=False)
    result = report.results[0]
    if result.outcome is Outcome.REJECTED:
        raise ValidationFailed(
            [
                FieldError(
                    e.pointer.removeprefix("/0") if e.parameter is None else "",
                    e.rule,
                    e.message,
                    e.extra,
                    e.parameter,
                    e.location,
                )
                for e in result.errors
            ]
        )
    provider = await writable_provider(session, actor, provider_code)
    stored = await repo.stored_courses(session, provider.id, [code])
    view = (await views_of(session, [(stored[code], provider.code)]))[0]
    return view, result.outcome is Outcome.CREATED

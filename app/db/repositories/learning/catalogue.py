"""Reading and writing the course catalogue.

The look-ups other features use:

* :func:`course_for_activity` / :func:`courses_for_activities`: an xAPI activity id (IRI) to
  its course, with the course's hours, methods and framework items (one indexed look-up on
  ``course_activity``'s primary key);
* :func:`providers_for_home_page`: the providers that registered an xAPI ``account.homePage``;
* :func:`course_facts`: what plan validation needs of the courses a plan's activities take.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, literal, or_, select, true, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from app.db.models import (
    Agency,
    Course,
    CourseActivity,
    CourseItem,
    CourseProvider,
    CourseRevision,
)


@dataclass(frozen=True, slots=True)
class ActivityCourse:
    """The course an xAPI activity id identifies, with what a completion of it means."""

    activity_id: str
    course_id: uuid.UUID
    provider_id: uuid.UUID
    provider_code: str
    provider_agency_id: uuid.UUID | None  # None for a national provider
    course_code: str
    title_th: str
    hours: Decimal | None
    methods: tuple[str, ...]  # development-method codes (app.domain.planning.methods)
    items: tuple[str, ...]  # framework item codes of ``framework_version_id``
    framework_version_id: uuid.UUID
    active: bool


_ACTIVITY_COLUMNS = (
    CourseActivity.activity_id,
    Course.id,
    CourseProvider.id,
    CourseProvider.code,
    CourseProvider.agency_id,
    Course.code,
    Course.title_th,
    Course.hours,
    Course.methods,
    Course.items,
    Course.framework_version_id,
    Course.active,
)


def _activity_query() -> Any:
    return (
        select(*_ACTIVITY_COLUMNS)
        .join(Course, Course.id == CourseActivity.course_id)
        .join(CourseProvider, CourseProvider.id == Course.provider_id)
    )


def _activity_course(row: Any) -> ActivityCourse:
    return ActivityCourse(
        activity_id=row[0],
        course_id=row[1],
        provider_id=row[2],
        provider_code=row[3],
        provider_agency_id=row[4],
        course_code=row[5],
        title_th=row[6],
        hours=row[7],
        methods=tuple(row[8]),
        items=tuple(row[9]),
        framework_version_id=row[10],
        active=row[11],
    )


async def course_for_activity(session: AsyncSession, activity_id: str) -> ActivityCourse | None:
    """The course an xAPI activity id identifies, or None."""
    row = (
        await session.execute(_activity_query().where(CourseActivity.activity_id == activity_id))
    ).first()
    return None if row is None else _activity_course(row)


async def courses_for_activities(
    session: AsyncSession, activity_ids: Collection[str]
) -> dict[str, ActivityCourse]:
    """The courses of many activity ids at once (ids of no course are absent)."""
    if not activity_ids:
        return {}
    rows = await session.execute(
        _activity_query().where(CourseActivity.activity_id.in_(list(activity_ids)))
    )
    return {row[0]: _activity_course(row) for row in rows}


async def providers_for_home_page(session: AsyncSession, home_page: str) -> list[CourseProvider]:
    """Providers that registered this xAPI ``account.homePage``."""
    rows = await session.scalars(
        select(CourseProvider)
        .where(CourseProvider.home_pages.any(home_page))  # type: ignore[arg-type]
        .order_by(CourseProvider.code)
    )
    return list(rows)


async def course_facts(
    session: AsyncSession, refs: Collection[tuple[str, str]]
) -> dict[tuple[str, str], tuple[tuple[str, ...], Decimal | None, str]]:
    """(provider code, course code) -> (methods, hours, Thai title) for active courses."""
    if not refs:
        return {}
    rows = await session.execute(
        select(CourseProvider.code, Course.code, Course.methods, Course.hours, Course.title_th)
        .join(CourseProvider, CourseProvider.id == Course.provider_id)
        .where(tuple_(CourseProvider.code, Course.code).in_(list(refs)), Course.active)
    )
    return {(p, c): (tuple(m), h, t) for p, c, m, h, t in rows}


# --- providers ---------------------------------------------------------------------------


async def provider_by_code(session: AsyncSession, code: str) -> CourseProvider | None:
    return await session.scalar(select(CourseProvider).where(CourseProvider.code == code))


async def providers(session: AsyncSession) -> list[CourseProvider]:
    return list(await session.scalars(select(CourseProvider).order_by(CourseProvider.code)))


async def provider_agency_paths(
    session: AsyncSession, agency_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, tuple[str, str]]:
    """agency id -> (code, path)."""
    if not agency_ids:
        return {}
    rows = await session.execute(
        select(Agency.id, Agency.code, Agency.path).where(Agency.id.in_(list(agency_ids)))
    )
    return {i: (c, p) for i, c, p in rows}


# --- visibility ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Visibility:
    """Which providers' courses a reader sees: national and ministry ones always (and an
    agency provider that no agency owns yet); an agency's own when the reader's agency lies in
    the agency's subtree (``within``: the reader's agency path) or the reader's scope covers
    the agency (``prefixes``)."""

    everything: bool = False
    within: str | None = None
    prefixes: tuple[str, ...] = ()


def _ancestors(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: k + 1]) + "/" for k in range(len(parts))]


def _visible(v: Visibility) -> ColumnElement[bool]:
    if v.everything:
        return true()
    conditions: list[ColumnElement[bool]] = [
        CourseProvider.kind != "agency",
        CourseProvider.agency_id.is_(None),
    ]
    if v.within:
        conditions.append(Agency.path.in_(_ancestors(v.within)))
    conditions.extend(Agency.path.startswith(p, autoescape=True) for p in v.prefixes)
    return or_(*conditions)


def _from_visible(v: Visibility) -> Any:
    return (
        select(Course, CourseProvider.code)
        .join(CourseProvider, CourseProvider.id == Course.provider_id)
        .outerjoin(Agency, Agency.id == CourseProvider.agency_id)
        .where(_visible(v))
    )


def _like(key: str) -> str:
    escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


async def search(
    session: AsyncSession,
    visible: Visibility,
    *,
    key: str | None = None,
    items: Sequence[str] = (),
    group: str | None = None,
    method: str | None = None,
    provider: str | None = None,
    include_inactive: bool = False,
    after: tuple[str, str] | None = None,
    limit: int = 50,
) -> list[tuple[Course, str]]:
    """Courses in (provider code, course code) order, after the keyset ``after``. ``key`` is a
    search key (``app.domain.text.search_key``) matched as a substring of the titles and scope
    (Thai needs no word breaks), or by trigram similarity for near misses."""
    query = _from_visible(visible)
    if key:
        query = query.where(
            or_(Course.search_text.like(_like(key)), Course.search_text.op("%>")(literal(key)))
        )
    if items:
        query = query.where(
            Course.id.in_(select(CourseItem.course_id).where(CourseItem.item_code.in_(items)))
        )
    if group:
        query = query.where(
            or_(Course.groups.contains([group]), func.cardinality(Course.groups) == 0)
        )
    if method:
        query = query.where(Course.methods.contains([method]))
    if provider:
        query = query.where(CourseProvider.code == provider)
    if not include_inactive:
        query = query.where(Course.active)
    if after is not None:
        query = query.where(tuple_(CourseProvider.code, Course.code) > tuple_(*after))
    query = query.order_by(CourseProvider.code, Course.code).limit(limit)
    return [(c, p) for c, p in (await session.execute(query)).all()]


async def courses_for_items(
    session: AsyncSession, visible: Visibility, item_codes: Collection[str]
) -> list[tuple[Course, str]]:
    """Active courses mapped to any of the items, in (provider, code) order."""
    if not item_codes:
        return []
    query = (
        _from_visible(visible)
        .where(
            Course.active,
            Course.id.in_(
                select(CourseItem.course_id).where(CourseItem.item_code.in_(list(item_codes)))
            ),
        )
        .order_by(CourseProvider.code, Course.code)
    )
    return [(c, p) for c, p in (await session.execute(query)).all()]


async def course_by_code(
    session: AsyncSession, visible: Visibility, provider_code: str, code: str
) -> tuple[Course, str] | None:
    row = (
        await session.execute(
            _from_visible(visible).where(CourseProvider.code == provider_code, Course.code == code)
        )
    ).first()
    return None if row is None else (row[0], row[1])


async def activity_ids_of(
    session: AsyncSession, course_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, list[str]]:
    if not course_ids:
        return {}
    rows = await session.execute(
        select(CourseActivity.course_id, CourseActivity.activity_id)
        .where(CourseActivity.course_id.in_(list(course_ids)))
        .order_by(CourseActivity.activity_id)
    )
    found: dict[uuid.UUID, list[str]] = {}
    for course_id, activity_id in rows:
        found.setdefault(course_id, []).append(activity_id)
    return found


async def history(session: AsyncSession, course_id: uuid.UUID) -> list[CourseRevision]:
    rows = await session.scalars(
        select(CourseRevision)
        .where(CourseRevision.course_id == course_id)
        .order_by(CourseRevision.revision.desc())
    )
    return list(rows)


# --- writes --------------------------------------------------------------------------------


async def stored_courses(
    session: AsyncSession, provider_id: uuid.UUID, codes: Collection[str], *, lock: bool = False
) -> dict[str, Course]:
    if not codes:
        return {}
    query = select(Course).where(Course.provider_id == provider_id, Course.code.in_(list(codes)))
    if lock:
        query = query.with_for_update()
    return {c.code: c for c in await session.scalars(query)}


async def activity_owners(
    session: AsyncSession, activity_ids: Collection[str]
) -> dict[str, uuid.UUID]:
    """activity id -> the course that holds it now."""
    if not activity_ids:
        return {}
    rows = await session.execute(
        select(CourseActivity.activity_id, CourseActivity.course_id).where(
            CourseActivity.activity_id.in_(list(activity_ids))
        )
    )
    return {a: c for a, c in rows}


async def replace_links(
    session: AsyncSession,
    rows: Sequence[tuple[uuid.UUID, uuid.UUID, Sequence[str], Sequence[str]]],
) -> None:
    """For each (course, framework version, items, activity ids): its links, replaced."""
    if not rows:
        return
    ids = [r[0] for r in rows]
    await session.execute(delete(CourseItem).where(CourseItem.course_id.in_(ids)))
    await session.execute(delete(CourseActivity).where(CourseActivity.course_id.in_(ids)))
    item_rows = [
        {"course_id": c, "item_code": code, "version_id": v}
        for c, v, items, _ in rows
        for code in items
    ]
    activity_rows = [
        {"course_id": c, "activity_id": a} for c, _, _, activities in rows for a in activities
    ]
    if item_rows:
        await session.execute(insert(CourseItem), item_rows)
    if activity_rows:
        await session.execute(insert(CourseActivity), activity_rows)


async def add_revisions(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        await session.execute(insert(CourseRevision), list(rows))

"""The course catalogue: who may read and write it, providers, and reading courses.

Reading: every user, and clients with ``courses:read`` or ``courses:write``. National and
ministry providers' courses are seen by everyone; an agency provider's courses by the agency's
own subtree (its people and their agencies below it) and by those whose scope covers the agency.

Writing: a national provider's catalogue by a central administrator or a national client with
``courses:write``; a ministry's or an agency's by an agency administrator or a client with
``courses:write`` whose agency subtree holds the provider's agency (so one ministry academy
serves every agency below the ministry, and each agency may keep its own courses).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Course, CourseProvider, CourseRevision, Person
from app.db.repositories.learning import catalogue as repo
from app.db.repositories.learning.catalogue import Visibility
from app.db.repositories.people import agencies as agency_repo
from app.domain.errors import FieldError, Forbidden, NotFound, ValidationFailed
from app.domain.learning.catalogue import CODE, ProviderKind
from app.domain.planning.model import CourseRef
from app.domain.planning.validation import CourseFacts
from app.domain.principal import Principal, Role
from app.domain.text import nfc, search_key
from app.services.platform import audit
from app.services.platform.access import require
from app.services.platform.pagination import decode_cursor, encode_cursor
from app.services.platform.scope import Scope, client_scope, linked_person

READ_SCOPES = ("courses:read", "courses:write")


async def plan_course_facts(
    session: AsyncSession, refs: frozenset[CourseRef]
) -> Mapping[CourseRef, CourseFacts]:
    """What plan validation knows of the courses a plan's activities take."""
    found = await repo.course_facts(session, {(r.provider, r.code) for r in refs})
    return {
        CourseRef(p, c): CourseFacts(frozenset(methods), hours, title)
        for (p, c), (methods, hours, title) in found.items()
    }


# --- who ----------------------------------------------------------------------------------


async def reader_visibility(session: AsyncSession, actor: Principal) -> Visibility:
    if actor.is_client:
        if not any(actor.has_scope(s) for s in READ_SCOPES):
            raise Forbidden(
                "this client's key does not carry the scope 'courses:read'",
                required_scope="courses:read",
            )
        scope = await client_scope(session, actor)
        return Visibility(scope.everything, None, scope.agency_paths)
    if actor.has_role(Role.CENTRAL_ADMIN):
        return Visibility(everything=True)
    within: str | None = None
    prefixes: tuple[str, ...] = ()
    agency = await agency_repo.by_code(session, actor.agency) if actor.agency else None
    if agency is not None:
        within = agency.path
        if actor.has_role(Role.AGENCY_ADMIN):
            prefixes = (agency.path,)
    else:
        me = await linked_person(session, actor)
        if me is not None:
            within = await _agency_path(session, me.agency_id)
    return Visibility(False, within, prefixes)


async def person_visibility(session: AsyncSession, person: Person) -> Visibility:
    """The courses a person may take: national, ministry, and their own agencies' ones."""
    return Visibility(False, await _agency_path(session, person.agency_id), ())


async def _agency_path(session: AsyncSession, agency_id: uuid.UUID) -> str | None:
    found = await agency_repo.by_ids(session, [agency_id])
    agency = found.get(agency_id)
    return None if agency is None else agency.path


async def writer_scope(session: AsyncSession, actor: Principal) -> Scope:
    require(actor, roles=(Role.AGENCY_ADMIN, Role.CENTRAL_ADMIN), scope="courses:write")
    if actor.is_client:
        return await client_scope(session, actor)
    if actor.has_role(Role.CENTRAL_ADMIN):
        return Scope(everything=True)
    agency = await agency_repo.by_code(session, actor.agency) if actor.agency else None
    if agency is None:
        return Scope()
    return Scope(agency_paths=(agency.path,), root_code=agency.code)


async def writable_provider(session: AsyncSession, actor: Principal, code: str) -> CourseProvider:
    """A provider whose catalogue the caller may change (404 when out of reach)."""
    scope = await writer_scope(session, actor)
    provider = await repo.provider_by_code(session, code)
    if provider is None:
        raise NotFound(f"no course provider {code!r}")
    if provider.agency_id is None:
        if not scope.everything:
            raise Forbidden(
                "a national provider's catalogue is kept by a central administrator or a"
                " national client"
            )
        return provider
    path = await _agency_path(session, provider.agency_id)
    if not scope.covers(path):
        raise NotFound(f"no course provider {code!r}")
    return provider


# --- providers ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProviderView:
    provider: CourseProvider
    agency_code: str | None


async def _views(session: AsyncSession, rows: list[CourseProvider]) -> list[ProviderView]:
    agencies = await repo.provider_agency_paths(
        session, {r.agency_id for r in rows if r.agency_id is not None}
    )
    return [
        ProviderView(r, agencies[r.agency_id][0] if r.agency_id in agencies else None) for r in rows
    ]


def _provider_visible(v: Visibility, kind: str, path: str | None) -> bool:
    if v.everything or kind != ProviderKind.AGENCY.value or path is None:
        return True
    return bool(
        (v.within and v.within.startswith(path)) or any(path.startswith(p) for p in v.prefixes)
    )


async def list_providers(session: AsyncSession, actor: Principal) -> list[ProviderView]:
    visible = await reader_visibility(session, actor)
    rows = await repo.providers(session)
    paths = await repo.provider_agency_paths(
        session, {r.agency_id for r in rows if r.agency_id is not None}
    )
    shown = [
        r
        for r in rows
        if _provider_visible(
            visible, r.kind, paths[r.agency_id][1] if r.agency_id in paths else None
        )
    ]
    return await _views(session, shown)


async def get_provider(session: AsyncSession, actor: Principal, code: str) -> ProviderView:
    for view in await list_providers(session, actor):
        if view.provider.code == code:
            return view
    raise NotFound(f"no course provider {code!r}")


PROVIDER_FIELDS = ("name_th", "name_en", "kind", "agency", "home_pages", "source")


def _provider_problems(code: str, body: Mapping[str, Any]) -> list[FieldError]:
    errors: list[FieldError] = []
    if not CODE.match(code) or len(code) > 32:
        errors.append(
            FieldError.for_parameter(
                "provider_code", "path", "pattern", "letters, digits, '.', '_', ':' or '-'"
            )
        )
    for key in body:
        if key not in PROVIDER_FIELDS:
            errors.append(FieldError(f"/{key}", "unknown-field", "unknown field"))
    name = body.get("name_th")
    if not isinstance(name, str) or not nfc(name).strip() or len(name) > 300:
        errors.append(FieldError("/name_th", "required", "the Thai name, 1 to 300 characters"))
    name_en = body.get("name_en")
    if name_en is not None and (not isinstance(name_en, str) or len(name_en) > 300):
        errors.append(FieldError("/name_en", "type", "text of at most 300 characters"))
    kind = body.get("kind")
    if kind not in {k.value for k in ProviderKind}:
        errors.append(FieldError("/kind", "enum", "one of: national, ministry, agency"))
    agency = body.get("agency")
    if kind == "national" and agency is not None:
        errors.append(FieldError("/agency", "owner", "a national provider belongs to no agency"))
    if agency is not None and not isinstance(agency, str):
        errors.append(FieldError("/agency", "owner", "the code of the agency that owns it"))
    pages = body.get("home_pages", [])
    if not isinstance(pages, list) or not all(
        isinstance(p, str) and p.startswith(("http://", "https://")) and len(p) <= 2000
        for p in pages
    ):
        errors.append(
            FieldError("/home_pages", "type", "a list of http(s) addresses (xAPI account homePage)")
        )
    source = body.get("source")
    if source is not None and (not isinstance(source, str) or len(source) > 200):
        errors.append(FieldError("/source", "type", "text of at most 200 characters"))
    return errors


async def put_provider(
    session: AsyncSession, actor: Principal, code: str, body: object
) -> tuple[ProviderView, bool]:
    """Create or replace a provider; True when created."""
    if not isinstance(body, Mapping):
        raise ValidationFailed([FieldError("", "type", "send a JSON object")])
    code = nfc(code).strip()
    errors = _provider_problems(code, body)
    if errors:
        raise ValidationFailed(errors)
    scope = await writer_scope(session, actor)
    existing = await repo.provider_by_code(session, code)
    if existing is not None:
        await writable_provider(session, actor, code)
    agency = None
    if body.get("agency") is not None:
        agency = await agency_repo.by_code(session, str(body["agency"]))
        if agency is None or not scope.covers(agency.path):
            raise ValidationFailed(
                [FieldError("/agency", "agency-unknown", "no agency with this code in your scope")]
            )
    elif not scope.everything:
        raise Forbidden(
            "a national provider (or one owned by no agency yet) is registered by a central"
            " administrator"
        )
    values = {
        "name_th": nfc(str(body["name_th"])).strip(),
        "name_en": nfc(str(body["name_en"])).strip() if body.get("name_en") else None,
        "kind": str(body["kind"]),
        "agency_id": agency.id if agency else None,
        "home_pages": sorted({nfc(p).strip() for p in body.get("home_pages", [])}),
        "source": body.get("source"),
    }
    created = existing is None
    if existing is None:
        row = CourseProvider(code=code, version=1, updated_by=actor.subject, **values)
        session.add(row)
    else:
        row = existing
        if any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            row.version += 1
            row.updated_by = actor.subject
    await session.flush()
    audit.record(
        session,
        actor,
        entity="course_provider",
        entity_id=row.id,
        action="create" if created else "update",
        about=audit.about_agency(agency.id) if agency else audit.NATIONAL,
        details={"code": code, "version": row.version},
    )
    return ProviderView(row, agency.code if agency else None), created


# --- courses ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CourseView:
    course: Course
    provider_code: str
    activity_ids: list[str]


@dataclass(frozen=True, slots=True)
class CoursePage:
    items: list[CourseView]
    next_cursor: str | None


async def views_of(session: AsyncSession, rows: list[tuple[Course, str]]) -> list[CourseView]:
    ids = await repo.activity_ids_of(session, [c.id for c, _ in rows])
    return [CourseView(c, p, ids.get(c.id, [])) for c, p in rows]


async def search_courses(
    session: AsyncSession,
    actor: Principal,
    *,
    q: str | None = None,
    unit: str | None = None,
    group: str | None = None,
    method: str | None = None,
    provider: str | None = None,
    include_inactive: bool = False,
    limit: int = 50,
    cursor: str | None = None,
) -> CoursePage:
    """Courses by filters, in (provider, code) order; ``q`` searches Thai and English titles
    and the scope without word breaks (``search_key``, pg_trgm)."""
    visible = await reader_visibility(session, actor)
    after = decode_cursor(cursor, p=str, c=str)
    key = search_key(nfc(q)).replace("|", "") if q else None
    if q is not None and not key:
        raise ValidationFailed(
            [FieldError.for_parameter("q", "query", "required", "give something to search for")]
        )
    rows = await repo.search(
        session,
        visible,
        key=key,
        items=[nfc(unit).strip()] if unit else [],
        group=group,
        method=method,
        provider=provider,
        include_inactive=include_inactive,
        after=(after["p"], after["c"]) if after else None,
        limit=limit + 1,
    )
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = (
        encode_cursor({"p": rows[-1][1], "c": rows[-1][0].code}) if more and rows else None
    )
    return CoursePage(await views_of(session, rows), next_cursor)


async def get_course(
    session: AsyncSession, actor: Principal, provider_code: str, code: str
) -> CourseView:
    visible = await reader_visibility(session, actor)
    found = await repo.course_by_code(session, visible, provider_code, code)
    if found is None:
        raise NotFound(f"no course {provider_code}/{code}")
    return (await views_of(session, [found]))[0]


async def course_history(
    session: AsyncSession, actor: Principal, provider_code: str, code: str
) -> list[CourseRevision]:
    view = await get_course(session, actor, provider_code, code)
    return await repo.history(session, view.course.id)

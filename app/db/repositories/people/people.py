"""People queries. The sync path is set-based: a few array queries, a COPY and an upsert."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, bindparam, false, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.db.models import Agency, Person
from app.db.raw import driver_connection, reader, text_list
from app.db.repositories.platform.changes import after, settled
from app.db.repositories.platform.subtrees import in_subtrees


class StoredPerson(NamedTuple):
    """What a sync needs of a stored person (a named tuple: read by the thousand a request, and
    built in C where a frozen dataclass runs a Python ``__init__`` for each)."""

    id: uuid.UUID
    content_hash: bytes | None
    source_hash: bytes | None
    agency_path: str
    supervisor: str | None  # the supervisor's external id


_new_tuple = tuple.__new__


@dataclass(frozen=True, slots=True)
class PersonView:
    """A person with the codes and external ids the API shows next to its ids."""

    person: Person
    source_code: str
    agency_code: str
    supervisor_external_id: str | None


async def stored_for_sync(
    session: AsyncSession, source_id: uuid.UUID, external_ids: Collection[str]
) -> dict[str, StoredPerson]:
    conn = await driver_connection(session)
    rows = await conn.fetch(
        """
        SELECT p.external_id, p.id, p.content_hash, p.source_hash, a.path,
               s.external_id AS supervisor
        FROM person p
        JOIN agency a ON a.id = p.agency_id
        LEFT JOIN person s ON s.id = p.supervisor_id
        WHERE p.source_agency_id = $1
          AND p.external_id = ANY(ARRAY(SELECT json_array_elements_text($2::json)))
        """,
        source_id,
        text_list(external_ids),
    )
    return {r[0]: _new_tuple(StoredPerson, r[1:]) for r in rows}


async def supervisor_chains(
    session: AsyncSession, source_id: uuid.UUID, external_ids: Collection[str]
) -> dict[str, str | None]:
    """``external id -> supervisor's external id`` for these people and everyone above them."""
    if not external_ids:
        return {}
    conn = await driver_connection(session)
    rows = await conn.fetch(
        """
        WITH RECURSIVE chain(id, external_id, supervisor_id) AS (
            SELECT id, external_id, supervisor_id FROM person
            WHERE source_agency_id = $1
              AND external_id = ANY(ARRAY(SELECT json_array_elements_text($2::json)))
          UNION
            SELECT p.id, p.external_id, p.supervisor_id
            FROM person p JOIN chain c ON p.id = c.supervisor_id
        )
        SELECT c.external_id, s.external_id
        FROM chain c LEFT JOIN person s ON s.id = c.supervisor_id
        """,
        source_id,
        text_list(external_ids),
    )
    return {r[0]: r[1] for r in rows}


async def subject_owners(
    session: AsyncSession, source_agency_id: uuid.UUID, subjects: Collection[str]
) -> dict[str, uuid.UUID]:
    """The people of one source holding these subjects (a subject is unique per source)."""
    if not subjects:
        return {}
    conn = await driver_connection(session)
    rows = await conn.fetch(
        "SELECT subject, id FROM person WHERE source_agency_id = $1"
        " AND subject = ANY(ARRAY(SELECT json_array_elements_text($2::json)))",
        source_agency_id,
        text_list(subjects),
    )
    return {r[0]: r[1] for r in rows}


def _holders_statements() -> tuple[Any, Any]:
    """The two statements of :func:`subject_holders`, built once: building an aliased join
    costs more than running it, and a prebuilt statement keeps its cache key."""
    anywhere = select(Person, true()).where(Person.subject == bindparam("subject")).limit(2)
    claimed = aliased(Agency)
    at_claimed = Agency.id == claimed.id
    within = (
        select(Person, at_claimed)
        .join(Agency, Agency.id == Person.agency_id)
        .join(claimed, claimed.code == bindparam("within"))
        .where(Person.subject == bindparam("subject"), Agency.path.startswith(claimed.path))
        .order_by(at_claimed.desc())
        .limit(2)
    )
    return anywhere, within


_HOLDERS_ANYWHERE, _HOLDERS_WITHIN = _holders_statements()


async def subject_holders(
    session: AsyncSession, subject: str, *, within: str | None = None
) -> list[tuple[Person, bool]]:
    """Up to two people holding ``subject`` (two say "more than one"), service-wide or in the
    subtree of the agency coded ``within`` (none when no agency has that code), each with
    whether it belongs to that agency itself, those first. One statement."""
    if within is None:
        rows = await session.execute(_HOLDERS_ANYWHERE, {"subject": subject})
    else:
        rows = await session.execute(_HOLDERS_WITHIN, {"subject": subject, "within": within})
    return [(row[0], bool(row[1])) for row in rows.all()]


# The same two statements as _holders_statements, for the ids alone.
_HOLDER_IDS_ANYWHERE = "SELECT id, true FROM person WHERE subject = $1 LIMIT 2"
_HOLDER_IDS_WITHIN = """
SELECT p.id, a.id = c.id AS at_claimed
FROM person p JOIN agency a ON a.id = p.agency_id JOIN agency c ON c.code = $2
WHERE p.subject = $1 AND a.path LIKE c.path || '%'
ORDER BY at_claimed DESC LIMIT 2"""


async def subject_holder_ids(
    db: AsyncSession | Any, subject: str, *, within: str | None = None
) -> list[tuple[uuid.UUID, bool]]:
    """:func:`subject_holders`' ids and flags, sent to the driver as they stand (for a path
    that needs only who holds the subject, on every request). ``db``: a session or a driver
    connection (``app.db.raw.reader``)."""
    raw = await reader(db)
    if within is None:
        rows = await raw.fetch(_HOLDER_IDS_ANYWHERE, subject)
    else:
        rows = await raw.fetch(_HOLDER_IDS_WITHIN, subject, within)
    return [(row[0], bool(row[1])) for row in rows]


INSERT = """
INSERT INTO person AS p (
    id, source_agency_id, external_id, employee_number, first_name_th, last_name_th,
    first_name_en, last_name_en, email, position_title, position_type, position_level,
    agency_id, supervisor_id, active, start_date, end_date, national_id_hash, subject,
    employment_category, content_hash, source_hash)
SELECT u.id, $1::uuid, u.external_id, u.employee_number, u.first_name_th, u.last_name_th,
    u.first_name_en, u.last_name_en, u.email, u.position_title, u.position_type,
    u.position_level, u.agency_id, u.supervisor_id, u.active, u.start_date, u.end_date,
    u.national_id_hash, u.subject, u.employment_category, u.content_hash, u.source_hash
FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
    $9::text[], $10::text[], $11::text[], $12::text[], $13::uuid[], $14::uuid[], $15::bool[],
    $16::date[], $17::date[], $18::text[], $19::text[], $20::text[], $21::bytea[], $22::bytea[])
    AS u(id, external_id, employee_number, first_name_th, last_name_th, first_name_en,
         last_name_en, email, position_title, position_type, position_level, agency_id,
         supervisor_id, active, start_date, end_date, national_id_hash, subject,
         employment_category, content_hash, source_hash)
"""
# The same rows, updating those of a (source, external id) already stored.
UPSERT = (
    INSERT
    + """ON CONFLICT (source_agency_id, external_id) DO UPDATE SET
    employee_number = excluded.employee_number,
    first_name_th = excluded.first_name_th,
    last_name_th = excluded.last_name_th,
    first_name_en = excluded.first_name_en,
    last_name_en = excluded.last_name_en,
    email = excluded.email,
    position_title = excluded.position_title,
    position_type = excluded.position_type,
    position_level = excluded.position_level,
    agency_id = excluded.agency_id,
    supervisor_id = excluded.supervisor_id,
    active = excluded.active,
    start_date = excluded.start_date,
    end_date = excluded.end_date,
    national_id_hash = excluded.national_id_hash,
    subject = excluded.subject,
    employment_category = excluded.employment_category,
    content_hash = excluded.content_hash,
    source_hash = excluded.source_hash,
    change_seq = nextval('person_change_seq'),
    change_xid = pg_current_xact_id()::text::bigint,
    updated_at = now()
WHERE p.content_hash IS DISTINCT FROM excluded.content_hash
"""
)

UPSERT_COLUMNS = (
    "id",
    "external_id",
    "employee_number",
    "first_name_th",
    "last_name_th",
    "first_name_en",
    "last_name_en",
    "email",
    "position_title",
    "position_type",
    "position_level",
    "agency_id",
    "supervisor_id",
    "active",
    "start_date",
    "end_date",
    "national_id_hash",
    "subject",
    "employment_category",
    "content_hash",
    "source_hash",
)


# The columns a sync writes, in the order of a row given to ``copy_new`` and ``upsert``.
SYNC_COLUMNS = ("id", "source_agency_id", *UPSERT_COLUMNS[1:])


async def upsert(session: AsyncSession, rows: Sequence[tuple[Any, ...]]) -> None:
    """One statement for rows of one source, in ``SYNC_COLUMNS`` order: new rows inserted,
    changed rows updated in place."""
    conn = await driver_connection(session)
    columns = list(zip(*rows, strict=True))
    await conn.execute(UPSERT, columns[1][0], columns[0], *columns[2:])


async def copy_new(session: AsyncSession, rows: Iterable[tuple[Any, ...]]) -> None:
    """Rows known to be new (looked up under the source's lock), in ``SYNC_COLUMNS`` order,
    sent with COPY as they come (the driver sends every 512 KB): about half the server time of
    an insert from arrays, and none of the driver's per-value array checks. Defaults,
    constraints and the statement's triggers apply as for an INSERT."""
    conn = await driver_connection(session)
    await conn.copy_records_to_table("person", records=rows, columns=SYNC_COLUMNS)


async def renew_source_hashes(
    session: AsyncSession, renewed: Sequence[tuple[uuid.UUID, bytes]]
) -> None:
    """Store another source hash for people whose content is unchanged: not a change (the
    change sequence and ``updated_at`` stay)."""
    conn = await driver_connection(session)
    ids, hashes = zip(*renewed, strict=True)
    await conn.execute(
        "UPDATE person p SET source_hash = u.source_hash"
        " FROM unnest($1::uuid[], $2::bytea[]) AS u(id, source_hash) WHERE p.id = u.id",
        list(ids),
        list(hashes),
    )


def visible(
    *,
    everything: bool,
    prefixes: Sequence[str],
    self_person: uuid.UUID | None,
    reports_of_person: uuid.UUID | None,
) -> ColumnElement[bool]:
    if everything:
        return true()
    conditions: list[ColumnElement[bool]] = []
    if prefixes:
        subtree = select(Agency.id).where(in_subtrees(Agency.path, prefixes))
        conditions.append(Person.agency_id.in_(subtree))
    if self_person is not None:
        conditions.append(Person.id == self_person)
    if reports_of_person is not None:
        direct = (
            select(Person.id.label("id"))
            .where(Person.supervisor_id == reports_of_person)
            .cte("reports", recursive=True)
        )
        below = aliased(Person)
        chain = direct.union(select(below.id).where(below.supervisor_id == direct.c.id))
        conditions.append(Person.id.in_(select(chain.c.id)))
    return or_(*conditions) if conditions else false()


def _view_query() -> Any:
    source = aliased(Agency)
    home = aliased(Agency)
    boss = aliased(Person)
    return (
        select(Person, source.code, home.code, boss.external_id)
        .join(source, source.id == Person.source_agency_id)
        .join(home, home.id == Person.agency_id)
        .outerjoin(boss, boss.id == Person.supervisor_id)
    )


def _views(rows: Sequence[Any]) -> list[PersonView]:
    return [PersonView(p, s, a, b) for p, s, a, b in rows]


async def views_where(
    session: AsyncSession, condition: ColumnElement[bool], *, limit: int = 1000
) -> list[PersonView]:
    query = _view_query().where(condition).order_by(Person.last_name_th, Person.id).limit(limit)
    return _views((await session.execute(query)).all())


async def view(
    session: AsyncSession, person_id: uuid.UUID, condition: ColumnElement[bool]
) -> PersonView | None:
    rows = (await session.execute(_view_query().where(Person.id == person_id, condition))).all()
    found = _views(rows)
    return found[0] if found else None


async def page(
    session: AsyncSession,
    condition: ColumnElement[bool],
    *,
    position: tuple[int, int] | None,
    updated_since: datetime | None,
    limit: int,
    agency_prefix: str | None = None,
) -> list[PersonView]:
    query = (
        _view_query()
        .where(condition, settled(Person.change_xid))
        .order_by(Person.change_xid, Person.change_seq)
        .limit(limit)
    )
    moved = after(Person.change_xid, Person.change_seq, position)
    if moved is not None:
        query = query.where(moved)
    if updated_since is not None:
        query = query.where(Person.updated_at >= updated_since)
    if agency_prefix is not None:
        query = query.where(
            Person.agency_id.in_(select(Agency.id).where(Agency.path.startswith(agency_prefix)))
        )
    return _views((await session.execute(query)).all())


async def lock(session: AsyncSession, person_id: uuid.UUID) -> Person | None:
    return await session.scalar(
        select(Person)
        .where(Person.id == person_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


async def by_national_id_hash(
    session: AsyncSession, id_hash: str, condition: ColumnElement[bool]
) -> list[PersonView]:
    query = _view_query().where(Person.national_id_hash == id_hash, condition)
    return _views((await session.execute(query)).all())

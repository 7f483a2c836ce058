"""xAPI statements: set-based writes (unnest, ``ON CONFLICT DO NOTHING``), keyset reads over
``(stored, id)``, actor matching, linking and erasure.

Writers take one transaction-scoped lock (``WRITE_LOCK``) just before they insert, and stamp
``stored`` after they hold it: statements become visible in the order of their ``stored``, so a
page that ends at ``(stored, id)`` never misses a statement committed later (it sorts after), and
``X-Experience-API-Consistent-Through`` is exact.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.raw import advisory_xact_lock, driver_connection, text_list

WRITE_LOCK = "xapi-statements"


@dataclass(slots=True)  # not frozen: built by the thousand, and a frozen init costs a third more
class NewStatement:
    id: str  # a UUID's text, lower case
    body: bytes  # JSON text, as stored
    content_hash: bytes
    source_hash: bytes | None
    verb: str
    actor_key: str | None
    actor_keys: list[str]
    related_agents: list[str]
    activity: str | None
    related_activities: list[str]
    registration: str | None  # a UUID's text
    voids: str | None  # a UUID's text, lower case
    person_id: uuid.UUID | None
    agency_path: str
    client_id: uuid.UUID | None


@dataclass(frozen=True, slots=True)
class Known:
    id: uuid.UUID
    content_hash: bytes
    voids: uuid.UUID | None
    source_hash: bytes | None = None


async def known(session: AsyncSession, ids: Iterable[str]) -> dict[str, Known]:
    """The statements stored with these ids, by id (a UUID's text in lower case)."""
    conn = await driver_connection(session)
    rows = await conn.fetch(
        "SELECT id, content_hash, voids, source_hash FROM xapi_statement"
        " WHERE id = ANY(ARRAY(SELECT json_array_elements_text($1::json)::uuid))",
        text_list(ids),
    )
    return {
        str(r["id"]): Known(
            r["id"],
            bytes(r["content_hash"]),
            r["voids"],
            None if r["source_hash"] is None else bytes(r["source_hash"]),
        )
        for r in rows
    }


@dataclass(frozen=True, slots=True)
class Stamp:
    stored: datetime
    targeted: list[uuid.UUID]  # of the ids asked about, those a stored voiding statement voids


async def lock_and_stamp(session: AsyncSession, ids: Iterable[uuid.UUID | str]) -> Stamp:
    """Take the writers' lock and the ``stored`` time of what is written next (now, or just
    after the latest stored statement should the clock have gone back), and which of ``ids``
    (the statements about to be written) a stored voiding statement voids: read under the lock,
    so no voiding statement can be committed between this read and the writer's commit."""
    await advisory_xact_lock(session, WRITE_LOCK)
    conn = await driver_connection(session)
    stored: datetime = await conn.fetchval(
        "SELECT greatest(clock_timestamp(),"
        " (SELECT max(stored) FROM xapi_statement) + interval '1 microsecond')"
    )
    targeted = await conn.fetch(
        "SELECT voids FROM xapi_statement"
        " WHERE voids = ANY(ARRAY(SELECT json_array_elements_text($1::json)::uuid))",
        text_list(str(i) for i in ids),
    )
    return Stamp(stored, [r["voids"] for r in targeted])


# Each column comes as one JSON array (the bodies as the JSON objects they are), zipped back
# into rows by ROWS FROM: the driver then encodes sixteen texts, not sixteen arrays of a
# thousand elements each checked and encoded one by one (a sixth of a batch's CPU time).
INSERT = """
INSERT INTO xapi_statement (id, stored, body, content_hash, verb, actor_key, actor_keys,
    related_agents, activity, related_activities, registration, voids, person_id, agency_path,
    client_id, source_hash)
SELECT s.id::uuid, $1, s.body::jsonb, decode(s.content_hash, 'hex'), s.verb, s.actor_key,
    ARRAY(SELECT json_array_elements_text(s.actor_keys)),
    ARRAY(SELECT json_array_elements_text(s.related_agents)),
    s.activity,
    ARRAY(SELECT json_array_elements_text(s.related_activities)),
    s.registration::uuid, s.voids::uuid, s.person_id::uuid, s.agency_path, s.client_id::uuid,
    decode(s.source_hash, 'hex')
FROM ROWS FROM (
    json_array_elements_text($2::json), json_array_elements($3::json),
    json_array_elements_text($4::json), json_array_elements_text($5::json),
    json_array_elements_text($6::json), json_array_elements($7::json),
    json_array_elements($8::json), json_array_elements_text($9::json),
    json_array_elements($10::json), json_array_elements_text($11::json),
    json_array_elements_text($12::json), json_array_elements_text($13::json),
    json_array_elements_text($14::json), json_array_elements_text($15::json),
    json_array_elements_text($16::json)
) AS s(id, body, content_hash, verb, actor_key, actor_keys, related_agents, activity,
       related_activities, registration, voids, person_id, agency_path, client_id, source_hash)
ON CONFLICT (id) DO NOTHING
RETURNING id
"""


def _column(values: list[Any]) -> str:
    # ``str``: the UUIDs read by the driver (its own type), which orjson does not know
    return orjson.dumps(values, default=str).decode()


async def insert(session: AsyncSession, stored: datetime, rows: Sequence[NewStatement]) -> set[str]:
    """Insert the statements; the ids actually written (another writer may have won some)."""
    conn = await driver_connection(session)
    written = await conn.fetch(
        INSERT,
        stored,
        _column([r.id for r in rows]),
        (b"[" + b",".join(r.body for r in rows) + b"]").decode(),
        _column([r.content_hash.hex() for r in rows]),
        _column([r.verb for r in rows]),
        _column([r.actor_key for r in rows]),
        _column([r.actor_keys for r in rows]),
        _column([r.related_agents for r in rows]),
        _column([r.activity for r in rows]),
        _column([r.related_activities for r in rows]),
        _column([r.registration for r in rows]),
        _column([r.voids for r in rows]),
        _column([r.person_id for r in rows]),
        _column([r.agency_path for r in rows]),
        _column([r.client_id for r in rows]),
        _column([None if r.source_hash is None else r.source_hash.hex() for r in rows]),
    )
    return {str(r["id"]) for r in written}


async def apply_voiding(session: AsyncSession, targets: Iterable[uuid.UUID]) -> list[uuid.UUID]:
    """Mark voided the statements ``targets`` (what the new voiding statements void, and the new
    statements that a stored voiding statement voids: ``Stamp.targeted``). A voiding statement is
    never voided. The ids newly voided (nothing is updated when there is no target)."""
    targets = set(targets)
    if not targets:
        return []
    conn = await driver_connection(session)
    rows = await conn.fetch(
        """
        UPDATE xapi_statement t SET voided = true
        WHERE NOT t.voided AND t.voids IS NULL AND t.id = ANY($1::uuid[])
        RETURNING t.id
        """,
        list(targets),
    )
    return [r["id"] for r in rows]


# --- reads --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reach:
    """Whose statements a reader sees: every one, those whose reach lies under one of
    ``prefixes``, and/or those of one person."""

    everything: bool = False
    prefixes: tuple[str, ...] = ()
    person_id: uuid.UUID | None = None


def _reach_sql(reach: Reach, args: list[Any], t: str = "xapi_statement") -> str:
    if reach.everything:
        return "true"
    parts = []
    for prefix in reach.prefixes:
        args.append(prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
        parts.append(f"{t}.agency_path LIKE ${len(args)}")
    if reach.person_id is not None:
        args.append(reach.person_id)
        parts.append(f"{t}.person_id = ${len(args)}")
    return "(" + " OR ".join(parts) + ")" if parts else "false"


@dataclass(frozen=True, slots=True)
class Row:
    id: uuid.UUID
    stored: datetime
    body: str


async def one(
    session: AsyncSession, statement_id: uuid.UUID, *, voided: bool, reach: Reach
) -> Row | None:
    args: list[Any] = [statement_id, voided]
    where = _reach_sql(reach, args)
    conn = await driver_connection(session)
    found = await conn.fetchrow(
        # fixed fragments and numbered parameters only
        f"SELECT id, stored, body::text AS body FROM xapi_statement"  # noqa: S608
        f" WHERE id = $1 AND voided = $2 AND {where}",
        *args,
    )
    return None if found is None else Row(found["id"], found["stored"], found["body"])


@dataclass(frozen=True, slots=True)
class Query:
    agent: str | None = None
    related_agents: bool = False
    verb: str | None = None
    activity: str | None = None
    related_activities: bool = False
    registration: uuid.UUID | None = None
    since: datetime | None = None
    until: datetime | None = None
    ascending: bool = False
    after: tuple[datetime, uuid.UUID] | None = None  # the keyset position of the last page


def _filters(query: Query, arg: Callable[[Any], str], t: str) -> list[str]:
    """The conditions of the filters that are not time or sequence based, on the row ``t``."""
    where = []
    if query.agent is not None:
        column = "related_agents" if query.related_agents else "actor_keys"
        where.append(f"{t}.{column} @> ARRAY[{arg(query.agent)}::text]")
    if query.verb is not None:
        where.append(f"{t}.verb = {arg(query.verb)}")
    if query.activity is not None:
        if query.related_activities:
            where.append(f"{t}.related_activities @> ARRAY[{arg(query.activity)}::text]")
        else:
            where.append(f"{t}.activity = {arg(query.activity)}")
    if query.registration is not None:
        where.append(f"{t}.registration = {arg(query.registration)}")
    return where


# A statement whose object is a StatementRef (its ``activity`` is null: the index on
# ``(activity, stored)`` finds them) and the statement it targets (a voiding one's ``voids``).
_REF = "{t}.activity IS NULL AND {t}.body->'object'->>'objectType' = 'StatementRef'"
_TARGET = "COALESCE({t}.voids, ({t}.body->'object'->>'id')::uuid)"
MAX_REF_DEPTH = 32


def query_sql(query: Query, reach: Reach, limit: int) -> tuple[str, list[Any]]:
    """The page's SQL and its arguments (also what the benchmark's raw baseline runs).

    With filters other than time and sequence, a statement whose object is a StatementRef also
    matches when the statement it targets (recursively; voided or not) matches them and is
    within the reader's reach (xAPI-Communication §2.1.3, "Filter Conditions for
    StatementRefs"); time, sequence and voiding apply to the targeting statement itself."""
    args: list[Any] = []

    def arg(value: Any) -> str:
        args.append(value)
        return f"${len(args)}"

    def window(t: str) -> list[str]:
        where = [f"NOT {t}.voided"]
        if query.since is not None:
            where.append(f"{t}.stored > {arg(query.since)}")
        if query.until is not None:
            where.append(f"{t}.stored <= {arg(query.until)}")
        if query.after is not None:
            stored, last = query.after
            op = ">" if query.ascending else "<"
            where.append(f"({t}.stored, {t}.id) {op} ({arg(stored)}, {arg(last)})")
        where.append(_reach_sql(reach, args, t))
        return where

    order = "ASC" if query.ascending else "DESC"
    tail = f" ORDER BY stored {order}, id {order} LIMIT {arg(limit)}"
    filters = _filters(query, arg, "s")
    direct = (
        "SELECT s.id, s.stored, s.body::text AS body FROM xapi_statement s WHERE "  # noqa: S608
        + " AND ".join(window("s") + filters)
    )
    if not filters:
        return direct + tail, args
    targeted = " AND ".join([*_filters(query, arg, "t"), _reach_sql(reach, args, "t")])
    refs = (
        "WITH RECURSIVE chain(origin, target, depth) AS ("  # noqa: S608
        f"SELECT s.id, {_TARGET.format(t='s')}, 1 FROM xapi_statement s WHERE "
        + " AND ".join([*window("s"), _REF.format(t="s")])
        + f" UNION SELECT c.origin, {_TARGET.format(t='t')}, c.depth + 1"  # noqa: S608
        " FROM chain c JOIN xapi_statement t ON t.id = c.target"
        f" WHERE {_REF.format(t='t')} AND c.depth < {MAX_REF_DEPTH}) "
    )
    sql = (
        refs + f"SELECT id, stored, body FROM (({direct}{tail}) UNION ("  # noqa: S608
        "SELECT s.id, s.stored, s.body::text AS body FROM xapi_statement s WHERE s.id IN ("
        "SELECT c.origin FROM chain c JOIN xapi_statement t ON t.id = c.target"
        f" WHERE {targeted}){tail})) page{tail}"
    )
    return sql, args


async def page(session: AsyncSession, query: Query, reach: Reach, limit: int) -> list[Row]:
    sql, args = query_sql(query, reach, limit)
    conn = await driver_connection(session)
    rows = await conn.fetch(sql, *args)
    return [Row(r["id"], r["stored"], r["body"]) for r in rows]


async def actor_names(
    session: AsyncSession, key: str, primary: str, reach: Reach, limit: int = 10
) -> list[str]:
    """The names the newest statements within ``reach`` give the actor with identifier
    ``key`` (``primary``: the same as ``actor_key`` keeps it)."""
    args: list[Any] = [primary, key]
    where = _reach_sql(reach, args)
    args.append(limit)
    conn = await driver_connection(session)
    rows = await conn.fetch(
        "SELECT name FROM (SELECT body->'actor'->>'name' AS name, max(stored) AS latest"  # noqa: S608
        " FROM xapi_statement WHERE actor_keys @> ARRAY[$2::text] AND actor_key = $1"
        f" AND NOT voided AND {where}"
        " AND body->'actor' ? 'name' GROUP BY 1) named"
        f" WHERE name IS NOT NULL ORDER BY latest DESC LIMIT ${len(args)}",
        *args,
    )
    return [r["name"] for r in rows]


async def about_activity(
    session: AsyncSession, activity_id: str, reach: Reach, limit: int = 20
) -> list[str]:
    """The newest statements within ``reach`` that name the activity (object, context or a
    SubStatement's), as JSON text."""
    args: list[Any] = [activity_id]
    where = _reach_sql(reach, args)
    args.append(limit)
    conn = await driver_connection(session)
    rows = await conn.fetch(
        "SELECT body::text AS body FROM xapi_statement"  # noqa: S608
        f" WHERE related_activities @> ARRAY[$1::text] AND NOT voided AND {where}"
        f" ORDER BY stored DESC LIMIT ${len(args)}",
        *args,
    )
    return [r["body"] for r in rows]


async def consistent_through(session: AsyncSession) -> datetime:
    """A time before which every statement that has or will have that ``stored`` is readable:
    now when no writer holds the lock (and none can take it before this reader's transaction
    ends), else the latest visible ``stored`` (a writer in flight stamps later than that)."""
    conn = await driver_connection(session)
    moment: datetime = await conn.fetchval(
        "SELECT CASE WHEN pg_try_advisory_xact_lock_shared(hashtextextended($1, 0))"
        " THEN clock_timestamp()"
        " ELSE coalesce((SELECT max(stored) FROM xapi_statement), clock_timestamp()) END",
        WRITE_LOCK,
    )
    return moment


# --- actors and people -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Candidate:
    person_id: uuid.UUID
    agency_path: str


async def people_by_email(
    session: AsyncSession, emails: Iterable[str]
) -> dict[str, list[Candidate]]:
    """People (not erased) by e-mail, lower-cased."""
    conn = await driver_connection(session)
    rows = await conn.fetch(
        "SELECT lower(p.email) AS email, p.id, a.path FROM person p"
        " JOIN agency a ON a.id = p.agency_id"
        " WHERE lower(p.email) = ANY(ARRAY(SELECT json_array_elements_text($1::json)))"
        " AND p.erased_at IS NULL",
        text_list(emails),
    )
    found: dict[str, list[Candidate]] = {}
    for r in rows:
        found.setdefault(r["email"], []).append(Candidate(r["id"], r["path"]))
    return found


async def emails_under(
    session: AsyncSession, prefixes: tuple[str, ...] | None
) -> list[tuple[str, Candidate]]:
    """Every e-mail of the people (not erased) under ``prefixes`` (None: everyone)."""
    conn = await driver_connection(session)
    args: list[Any] = []
    where = ""
    if prefixes is not None:
        args.append(list(prefixes))
        where = " AND a.path LIKE ANY(ARRAY(SELECT unnest($1::text[]) || '%'))"
    rows = await conn.fetch(
        "SELECT p.email, p.id, a.path FROM person p JOIN agency a ON a.id = p.agency_id"  # noqa: S608
        " WHERE p.email IS NOT NULL AND p.erased_at IS NULL" + where,
        *args,
    )
    return [(r["email"], Candidate(r["id"], r["path"])) for r in rows]


async def home_pages(session: AsyncSession, pages: Iterable[str]) -> dict[str, uuid.UUID | None]:
    """Registered account home pages among ``pages``, with their agency (None: national)."""
    conn = await driver_connection(session)
    rows = await conn.fetch(
        "SELECT home_page, agency_id FROM xapi_account_home"
        " WHERE home_page = ANY(ARRAY(SELECT json_array_elements_text($1::json)))",
        text_list(pages),
    )
    return {r["home_page"]: r["agency_id"] for r in rows}


async def all_home_pages(session: AsyncSession) -> dict[str, uuid.UUID | None]:
    conn = await driver_connection(session)
    rows = await conn.fetch("SELECT home_page, agency_id FROM xapi_account_home")
    return {r["home_page"]: r["agency_id"] for r in rows}


async def people_by_account(
    session: AsyncSession, wanted: Iterable[tuple[uuid.UUID | None, str]]
) -> dict[tuple[uuid.UUID | None, str], list[Candidate]]:
    """People by (home page's agency, account name): the name is a token subject, or, with an
    agency, the external id of a person that agency's HR system sent."""
    pairs = list(wanted)
    if not pairs:
        return {}
    conn = await driver_connection(session)
    rows = await conn.fetch(
        """
        SELECT w.agency_id, w.name, p.id, a.path
        FROM unnest($1::uuid[], $2::text[]) AS w(agency_id, name)
        JOIN person p ON (p.subject = w.name
                          OR (w.agency_id IS NOT NULL AND p.source_agency_id = w.agency_id
                              AND p.external_id = w.name))
        JOIN agency a ON a.id = p.agency_id
        WHERE p.erased_at IS NULL
        """,
        [p[0] for p in pairs],
        [p[1] for p in pairs],
    )
    found: dict[tuple[uuid.UUID | None, str], list[Candidate]] = {}
    for r in rows:
        found.setdefault((r["agency_id"], r["name"]), []).append(Candidate(r["id"], r["path"]))
    return found


@dataclass(frozen=True, slots=True)
class PersonKeys:
    person_id: uuid.UUID
    agency_path: str
    email: str | None
    subject: str | None
    external_id: str
    source_agency_id: uuid.UUID


async def people_keys(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[PersonKeys]:
    conn = await driver_connection(session)
    rows = await conn.fetch(
        "SELECT p.id, a.path, p.email, p.subject, p.external_id, p.source_agency_id"
        " FROM person p JOIN agency a ON a.id = p.agency_id"
        " WHERE p.id = ANY($1::uuid[]) AND p.erased_at IS NULL",
        list(ids),
    )
    return [PersonKeys(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows]


async def link(
    session: AsyncSession, keys: Sequence[str], people: Sequence[uuid.UUID], paths: Sequence[str]
) -> int:
    """Link unlinked statements whose actor has one of ``keys`` to its person, when the person
    lies in the statement's reach (the posting client's subtree). How many were linked."""
    if not keys:
        return 0
    conn = await driver_connection(session)
    status: str = await conn.execute(
        """
        UPDATE xapi_statement s SET person_id = k.person_id, agency_path = k.path
        FROM unnest($1::text[], $2::uuid[], $3::text[]) AS k(key, person_id, path)
        WHERE s.person_id IS NULL AND s.actor_key = k.key
          AND starts_with(k.path, s.agency_path)
        """,
        list(keys),
        list(people),
        list(paths),
    )
    return int(status.split()[-1])


async def actor_keys_of(session: AsyncSession, person_id: uuid.UUID) -> list[str]:
    """Every identifier the person's linked statements name them by (``mbox:…``, ``account:…``)."""
    conn = await driver_connection(session)
    rows = await conn.fetch(
        "SELECT DISTINCT unnest(actor_keys) FROM xapi_statement WHERE person_id = $1", person_id
    )
    return [r[0] for r in rows]


async def erase_person(session: AsyncSession, person_id: uuid.UUID, home_page: str) -> int:
    """PDPA: the person's statements keep no identifying data: the actor becomes an account of
    ``home_page`` named by the person's id (no name, no e-mail), and the identifiers the filters
    matched are replaced the same way."""
    conn = await driver_connection(session)
    key = f"account:{home_page} {person_id}"
    status: str = await conn.execute(
        """
        UPDATE xapi_statement SET
            body = jsonb_set(body, '{actor}', jsonb_build_object(
                'objectType', 'Agent',
                'account', jsonb_build_object('homePage', $2::text, 'name', $3::text))),
            actor_key = $4, actor_keys = ARRAY[$4], related_agents = ARRAY[$4]
        WHERE person_id = $1
        """,
        person_id,
        home_page,
        str(person_id),
        key,
    )
    return int(status.split()[-1])


async def add_home_page(
    session: AsyncSession, home_page: str, agency_id: uuid.UUID | None, by: str
) -> None:
    conn = await driver_connection(session)
    await conn.execute(
        "INSERT INTO xapi_account_home (home_page, agency_id, created_by) VALUES ($1, $2, $3)"
        " ON CONFLICT (home_page) DO UPDATE SET agency_id = excluded.agency_id",
        home_page,
        agency_id,
        by,
    )


async def link_accounts(
    session: AsyncSession, home_page: str, agency_id: uuid.UUID | None
) -> list[uuid.UUID]:
    """Link unlinked statements whose actor is an account of ``home_page`` named by a token
    subject or (with an agency) an external id of that agency's HR system. The person of each
    statement linked."""
    conn = await driver_connection(session)
    rows = await conn.fetch(
        """
        UPDATE xapi_statement s SET person_id = p.id, agency_path = a.path
        FROM person p JOIN agency a ON a.id = p.agency_id
        WHERE s.person_id IS NULL AND p.erased_at IS NULL
          AND s.actor_key IN ('account:' || $1 || ' ' || p.subject,
                              CASE WHEN p.source_agency_id = $2
                                   THEN 'account:' || $1 || ' ' || p.external_id END)
          AND starts_with(a.path, s.agency_path)
          AND starts_with(s.actor_key, 'account:' || $1 || ' ')
        RETURNING s.person_id
        """,
        home_page,
        agency_id,
    )
    return [r["person_id"] for r in rows]

"""The xAPI Statement resource's use cases: store (one or a batch, all or nothing), read one,
query, and what happens to statements when people are synced or erased (docs/xapi.md).

Who may do what:

* write: an integration client with ``statements:write`` (or a central administrator). Each
  statement's actor is matched to a person of the client's agency subtree only (a national
  client: anyone); a statement whose actor matches nobody there is kept, unlinked, within the
  client's reach, and linked when the HR sync brings the person into that reach;
* read: a client with ``statements:read`` (its subtree), a central administrator (everything),
  an agency administrator (their agency's subtree), anyone else their own statements.

A statement is out of reach exactly as a record of another agency is: not found.
"""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.repositories.learning import documents as documents_repo
from app.db.repositories.learning import statements as repo
from app.db.repositories.learning.statements import Candidate, NewStatement, Query, Reach, Row
from app.db.repositories.people import agencies as agency_repo
from app.domain.errors import BadRequest, Conflict, FieldError, Forbidden, ValidationFailed
from app.domain.learning import statements as xapi
from app.domain.learning.records import ACCEPTED_VERBS
from app.domain.principal import Principal, Role
from app.services.learning import learning_records
from app.services.people import hooks
from app.services.platform import audit
from app.services.platform.access import require_user_role
from app.services.platform.scope import Scope, client_scope, linked_person, people_scope

ERASED_HOME_PAGE = "https://erased.invalid/person"
MAX_BATCH = 1000
MAX_PAGE = 500


class InvalidStatements(BadRequest):
    """xAPI answers every refused statement with 400 (not 422)."""

    code = "invalid-statement"
    title = "The statements are not valid xAPI 1.0.3"


# Statements per insert: a part is checked and built while the one before is inserted. The
# first part is smaller, so that PostgreSQL has something to insert early.
FIRST_PART = 50
INSERT_PART = 250


def _parts(count: int) -> list[tuple[int, int]]:
    """The parts of a batch of ``count`` statements, as (start, end)."""
    parts = []
    start, size = 0, min(FIRST_PART, INSERT_PART)
    while start < count:
        parts.append((start, min(start + size, count)))
        start, size = start + size, INSERT_PART
    return parts


def _invalid(errors: list[FieldError]) -> InvalidStatements:
    shown = "; ".join(f"{e.place}: {e.message}" for e in errors[:5])
    return InvalidStatements(shown, errors=[e.as_dict() for e in errors])


# --- who may ------------------------------------------------------------------------------------


async def write_scope(session: AsyncSession, actor: Principal) -> Scope:
    if actor.is_client:
        if not actor.has_scope("statements:write"):
            raise Forbidden(
                "this client's key does not carry the scope 'statements:write'",
                required_scope="statements:write",
            )
        return await client_scope(session, actor)
    if actor.has_role(Role.CENTRAL_ADMIN):
        return Scope(everything=True)
    raise Forbidden(
        "statements are sent by e-learning providers' clients (statements:write)",
        required_scope="statements:write",
    )


async def read_reach(session: AsyncSession, actor: Principal) -> Reach:
    if actor.is_client:
        if not actor.has_scope("statements:read"):
            raise Forbidden(
                "this client's key does not carry the scope 'statements:read'",
                required_scope="statements:read",
            )
        scope = await client_scope(session, actor)
        return Reach(everything=scope.everything, prefixes=scope.agency_paths)
    if actor.has_role(Role.CENTRAL_ADMIN):
        return Reach(everything=True)
    prefixes: tuple[str, ...] = ()
    if actor.has_role(Role.AGENCY_ADMIN):
        prefixes = (await people_scope(session, actor, write=False)).agency_paths
    me = await linked_person(session, actor)
    return Reach(prefixes=prefixes, person_id=me.id if me else None)


# --- store --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Stored:
    ids: list[str]
    written: int
    at: datetime | None


def authority_of(actor: Principal, home_page: str) -> dict[str, Any]:
    """The ``authority`` the LRS puts on what a caller stores: the client (or user) as an
    account of the service's home page."""
    return {
        "objectType": "Agent",
        "name": actor.name or actor.subject,
        "account": {"homePage": home_page, "name": actor.subject},
    }


def _items(raw: object, put_id: str | None) -> tuple[list[object], bool]:
    """The statements of a body (one or an array) as sent, and whether it was an array."""
    many = isinstance(raw, list)
    if put_id is not None and many:
        raise _invalid([FieldError("", "type", "PUT stores one statement, not an array")])
    items: list[object] = list(raw) if isinstance(raw, list) else [raw]
    if not items:
        raise _invalid([FieldError("", "required", "no statement to store")])
    if len(items) > MAX_BATCH:
        raise _invalid([FieldError("", "batch-size", f"at most {MAX_BATCH} statements a request")])
    return items, many


def _named_ids(items: Sequence[object], put_id: str | None) -> set[str]:
    """The ids a body names that are UUIDs (in lower case): its statements' own, and what its
    voiding statements void. They are looked up once, before anything else (what is stored
    already, and the resend check)."""
    named: set[str] = set()
    for item in items:
        if isinstance(item, dict):
            for found in (item.get("id", put_id), xapi.voided_target(item)):
                if isinstance(found, str) and xapi.is_uuid(found):
                    named.add(found.lower())
    return named


def source_hashes(texts: Sequence[bytes | memoryview] | None) -> list[bytes | None] | None:
    return None if texts is None else [hashlib.sha256(t).digest() for t in texts]


def _resent(
    items: Sequence[object],
    hashes: Sequence[bytes | None] | None,
    known: Mapping[str, repo.Known],
) -> bool:
    """Whether every statement of a body is stored already, byte for byte as received then (so
    valid then and now, and the same): then there is nothing to validate again or to write."""
    if hashes is None or len(hashes) != len(items):
        return False
    seen: set[str] = set()
    for item, source in zip(items, hashes, strict=True):
        if not isinstance(item, dict) or not xapi.is_uuid(item.get("id")):
            return False
        statement_id = item["id"].lower()
        stored = known.get(statement_id)
        if stored is None or stored.source_hash != source or statement_id in seen:
            return False
        seen.add(statement_id)
    return True


async def store_statements(
    session: AsyncSession,
    actor: Principal,
    raw: object,
    *,
    home_page: str,
    put_id: str | None = None,
    texts: Sequence[bytes | memoryview] | None = None,
    finite: bool = False,
) -> Stored:
    """Store one statement or a batch: all or nothing. A statement whose id is stored already
    with the same content (xAPI's comparison rules) changes nothing; with other content, 409.
    ``texts``: each statement's JSON text as received, when known (kept as its hash; a batch
    whose every statement is a byte-for-byte resend is answered from the ids alone).
    ``finite``: decoded by a strict JSON reader (no NaN or infinity to look for).

    The batch is checked, built and inserted a part (``INSERT_PART``) at a time: each part's
    insert runs in PostgreSQL while the next part is checked and built, in one transaction. Every
    part is checked whatever an earlier one held, so the answer is the one a check of the whole
    batch gives (every invalid statement named, then duplicate ids, then 409); once anything is
    refused, nothing more is built, and the refusal rolls back what was inserted."""
    scope = await write_scope(session, actor)
    items, many = _items(raw, put_id)
    named = _named_ids(items, put_id)
    known = await repo.known(session, named)
    sources = source_hashes(texts)
    if put_id is None and _resent(items, sources, known):
        return Stored([str(item["id"]) for item in items if isinstance(item, dict)], 0, None)
    if sources is not None and len(sources) != len(items):
        sources = None
    # the actors' people are looked up while the first part is checked (its result is needed
    # only once that part is built)
    primaries = [_primary_key(item) if isinstance(item, dict) else None for item in items]
    matching = asyncio.ensure_future(_match(session, scope, {k for k in primaries if k}))
    await asyncio.sleep(0)  # let the lookup be sent
    people: dict[str, Candidate] = {}
    reach = scope.agency_paths[0] if scope.agency_paths else ""
    authority = authority_of(actor, home_page)
    client_id = _client_id(actor)
    stamp: repo.Stamp | None = None
    stored_text = ""

    def row(
        statement: dict[str, Any],
        fact: xapi.StatementFacts,
        source: bytes | None,
        primary: str | None,
    ) -> NewStatement:
        body = xapi.with_context_activity_lists(statement)
        body["stored"] = stored_text
        body.setdefault("timestamp", stored_text)
        body["authority"] = authority
        body.setdefault("version", "1.0.0")
        person = people.get(primary) if primary else None
        return NewStatement(
            id=fact.id,
            body=xapi.dump_json(body),
            content_hash=xapi.content_hash(statement),
            source_hash=source,
            verb=fact.verb,
            actor_key=primary,
            actor_keys=fact.actor_keys,
            related_agents=fact.related_agents,
            activity=fact.activity,
            related_activities=fact.related_activities,
            registration=fact.registration,
            voids=fact.voids,
            person_id=person.person_id if person else None,
            agency_path=person.agency_path if person else reach,
            client_id=client_id,
        )

    invalid: list[FieldError] = []
    duplicates: list[FieldError] = []
    seen: dict[str, int] = {}
    answer: list[str] = []
    facts: list[xapi.StatementFacts] = []
    compared: dict[str, bytes] = {}  # the content hash of each id stored already
    rows: list[NewStatement] = []
    written: set[str] = set()
    inserting: asyncio.Future[set[str]] | None = None
    try:
        for start, end in _parts(len(items)):
            part = items[start:end]
            for n, item in enumerate(part, start):
                invalid.extend(xapi.check_statement(item, f"/{n}" if many else "", finite=finite))
            first = part[0]
            if (
                put_id is not None
                and isinstance(first, dict)
                and str(first.get("id", put_id)).lower() != put_id.lower()
            ):
                invalid.append(FieldError("/id", "id-mismatch", "the id differs from statementId"))
            if invalid:
                continue  # only checked from now on
            statements = [dict(item) for item in part if isinstance(item, dict)]
            for n, statement in enumerate(statements, start):
                if put_id is not None:
                    statement.setdefault("id", put_id)
                if "id" not in statement:
                    statement["id"] = str(uuid.uuid4())
                key = statement["id"].lower()
                if key in seen:
                    duplicates.append(
                        FieldError(
                            f"/{n}/id", "duplicate-id", f"the same id as statement {seen[key]}"
                        )
                    )
                seen.setdefault(key, n)
                answer.append(statement["id"])
            if duplicates:
                continue
            new = []
            for n, statement in enumerate(statements, start):
                fact = xapi.facts(statement, hashed=False)
                facts.append(fact)
                if fact.id in known:
                    compared[fact.id] = xapi.content_hash(statement)
                else:
                    source = sources[n] if sources else None
                    new.append((statement, fact, source, primaries[n]))
            if not new or _clashes(facts, known, compared):
                continue  # nothing to insert, or a 409 coming
            if stamp is None:
                people.update(await matching)
                # (the statements given no id cannot be the target of a stored voiding statement)
                stamp = await repo.lock_and_stamp(session, named)
                stored_text = stamp.stored.isoformat()
            built = [row(*one) for one in new]
            rows.extend(built)
            if inserting is not None:
                written |= await inserting
            inserting = asyncio.ensure_future(repo.insert(session, stamp.stored, built))
            await asyncio.sleep(0)  # let the insert be sent before the next part is checked
        if inserting is not None:
            written |= await inserting
    finally:
        # nothing left running on the connection, whatever was refused (a refusal found before
        # the lookup was needed leaves its outcome unread: the transaction is rolled back)
        await asyncio.gather(
            matching, *([inserting] if inserting is not None else []), return_exceptions=True
        )
    if invalid:
        raise _invalid(invalid)
    if duplicates:
        raise _invalid(duplicates)
    _refuse_conflicts(facts, known, compared)
    _refuse_voiding_voids(facts, known)
    if stamp is None:
        return Stored(answer, 0, None)
    if len(written) < len(rows):
        # Another writer stored some of these ids first: the same content is fine, other is not.
        raced = await repo.known(session, [r.id for r in rows if r.id not in written])
        _refuse_conflicts(facts, raced, {r.id: r.content_hash for r in rows})
    voided = await repo.apply_voiding(
        session,
        [
            *stamp.targeted,
            *(uuid.UUID(r.voids) for r in rows if r.id in written and r.voids is not None),
        ],
    )
    # only a linked statement of an accepted verb on an activity can become a learning record
    # (the repository checks it again, with what the voiding above changed)
    candidates = [
        uuid.UUID(r.id)
        for r in rows
        if r.id in written
        and r.person_id is not None
        and r.activity is not None
        and r.voids is None
        and r.verb in ACCEPTED_VERBS
    ]
    learned = await learning_records.record_statements(session, candidates, voided)
    if written:
        audit.record(
            session,
            actor,
            entity="xapi_statement",
            entity_id=str(rows[0].id),
            action="store",
            about=audit.about_agency_code(scope.root_code),
            details={
                "count": len(written),
                "voided": [str(v) for v in voided],
                "linked": sum(1 for r in rows if r.id in written and r.person_id is not None),
                "learning_records": learned,
            },
        )
    return Stored(answer, len(written), stamp.stored)


def _client_id(actor: Principal) -> uuid.UUID | None:
    if actor.is_client and actor.subject.startswith("client:"):
        return uuid.UUID(actor.subject.removeprefix("client:"))
    return None


def _primary_key(statement: Mapping[str, Any]) -> str | None:
    """The actor's own identifier (an agent's, or an identified group's), an e-mail address in
    lower case: people are matched by e-mail whatever its case."""
    found = statement.get("actor")
    key = xapi.ifi_key(found) if isinstance(found, dict) else None
    return key.lower() if key is not None and key.startswith("mbox:") else key


def _clashes(
    facts: Sequence[xapi.StatementFacts],
    known: Mapping[str, repo.Known],
    hashes: Mapping[str, bytes],
) -> list[str]:
    """The ids stored (``known``) with other content: ``hashes`` holds the content hash of each
    such id."""
    return [
        f.id for f in facts if (k := known.get(f.id)) is not None and k.content_hash != hashes[f.id]
    ]


def _refuse_conflicts(
    facts: Sequence[xapi.StatementFacts],
    known: Mapping[str, repo.Known],
    hashes: Mapping[str, bytes],
) -> None:
    """409 when a statement's id is stored (``known``) with other content."""
    clashes = _clashes(facts, known, hashes)
    if clashes:
        raise Conflict(
            f"statement {clashes[0]} is stored already with other content (statements are"
            " immutable); nothing of this request was stored",
            statement_ids=clashes,
        )


def _refuse_voiding_voids(
    facts: Sequence[xapi.StatementFacts], known: Mapping[str, repo.Known]
) -> None:
    batch = {f.id: f for f in facts}
    errors = []
    for i, f in enumerate(facts):
        if f.voids is None:
            continue
        target = known.get(f.voids)
        if (target is not None and target.voids is not None) or (
            f.voids in batch and batch[f.voids].voids is not None
        ):
            errors.append(
                FieldError(
                    f"/{i}/object/id" if len(facts) > 1 else "/object/id",
                    "voiding-voiding",
                    "a voiding statement cannot itself be voided",
                )
            )
    if errors:
        raise _invalid(errors)


async def _match(session: AsyncSession, scope: Scope, keys: set[str]) -> dict[str, Candidate]:
    """The person of each actor identifier (``_primary_key``), among the people in ``scope``
    (an identifier that names no one there, or several, is left unmatched)."""
    found: dict[str, list[Candidate]] = {}
    # e-mail addresses in lower case, as ``_primary_key`` keys them
    emails = {k.removeprefix("mbox:mailto:").lower() for k in keys if k.startswith("mbox:")}
    if emails:
        for email, people in (await repo.people_by_email(session, emails)).items():
            found.setdefault(f"mbox:mailto:{email}", []).extend(people)
    sums = {k.removeprefix("sha1:") for k in keys if k.startswith("sha1:")}
    if sums:
        prefixes = None if scope.everything else scope.agency_paths
        for email, person in await repo.emails_under(session, prefixes):
            for variant in {email, email.lower(), xapi.lower_mbox("mailto:" + email)[7:]}:
                digest = hashlib.sha1(f"mailto:{variant}".encode()).hexdigest()  # noqa: S324
                if digest in sums:
                    found.setdefault(f"sha1:{digest}", []).append(person)
    accounts = [k.removeprefix("account:") for k in keys if k.startswith("account:")]
    if accounts:
        split = [tuple(a.split(" ", 1)) for a in accounts]
        pages = await repo.home_pages(session, {page for page, _ in split})
        wanted = {(pages[page], name) for page, name in split if page in pages}
        by_account = await repo.people_by_account(session, wanted)
        for page, name in split:
            if page in pages:
                found.setdefault(f"account:{page} {name}", []).extend(
                    by_account.get((pages[page], name), [])
                )
    matched: dict[str, Candidate] = {}
    for key, people in found.items():
        reachable = {p.person_id: p for p in people if scope.covers(p.agency_path)}
        if len(reachable) == 1:
            matched[key] = next(iter(reachable.values()))
    return matched


# --- read ---------------------------------------------------------------------------------------


async def read_one(
    session: AsyncSession, actor: Principal, statement_id: uuid.UUID, *, voided: bool
) -> Row | None:
    reach = await read_reach(session, actor)
    return await repo.one(session, statement_id, voided=voided, reach=reach)


@dataclass(frozen=True, slots=True)
class Page:
    rows: list[Row]
    more: tuple[datetime, uuid.UUID] | None


async def query(session: AsyncSession, actor: Principal, q: Query, limit: int) -> Page:
    reach = await read_reach(session, actor)
    limit = MAX_PAGE if limit == 0 else min(limit, MAX_PAGE)
    rows = await repo.page(session, q, reach, limit + 1)
    if len(rows) > limit:
        rows = rows[:limit]
        return Page(rows, (rows[-1].stored, rows[-1].id))
    return Page(rows, None)


async def consistent_through(session: AsyncSession) -> datetime:
    return await repo.consistent_through(session)


# --- people hooks -------------------------------------------------------------------------------


def person_keys(person: repo.PersonKeys, pages: Mapping[str, uuid.UUID | None]) -> list[str]:
    """Every actor identifier that names ``person``."""
    keys = []
    if person.email:
        mbox = xapi.lower_mbox("mailto:" + person.email)
        keys.append("mbox:" + mbox.lower())
        keys.append("sha1:" + xapi.mbox_sha1("mailto:" + person.email))
        keys.append("sha1:" + xapi.mbox_sha1(mbox))
    for page, agency_id in pages.items():
        if person.subject:
            keys.append(f"account:{page} {person.subject}")
        if agency_id is not None and agency_id == person.source_agency_id:
            keys.append(f"account:{page} {person.external_id}")
    return sorted(set(keys))


@hooks.on_people_written
async def link_people(session: AsyncSession, ids: Sequence[uuid.UUID]) -> None:
    """Statements kept for actors unknown when posted are linked to the people now written."""
    people = await repo.people_keys(session, ids)
    if not people:
        return
    pages = await repo.all_home_pages(session)
    keys: list[str] = []
    owners: list[uuid.UUID] = []
    paths: list[str] = []
    for person in people:
        for key in person_keys(person, pages):
            keys.append(key)
            owners.append(person.person_id)
            paths.append(person.agency_path)
    await repo.link(session, keys, owners, paths)
    await learning_records.record_people(session, [p.person_id for p in people])


@hooks.on_person_erased
async def erase_statements(session: AsyncSession, person_id: uuid.UUID) -> None:
    """PDPA: the person's statements keep no identifying data, and the documents (State, Agent
    Profile) filed under any identifier their statements named them by are deleted."""
    await documents_repo.erase_agents(session, await repo.actor_keys_of(session, person_id))
    await repo.erase_person(session, person_id, ERASED_HOME_PAGE)


# --- account home pages ------------------------------------------------------------------------


async def register_home_page(
    session: AsyncSession, actor: Principal, home_page: str, agency: str | None
) -> dict[str, Any]:
    """Register an account ``homePage`` (central administrators): with an agency, account names
    there are that agency's HRIS external ids or token subjects; without, token subjects. Unlinked
    statements whose actor is such an account are linked now. Idempotent."""
    require_user_role(actor, Role.CENTRAL_ADMIN)
    errors = []
    if not xapi.is_iri(home_page):
        errors.append(FieldError("/home_page", "iri", "a home page is an absolute IRL"))
    agency_id = None
    if agency is not None:
        found = await agency_repo.by_code(session, agency)
        if found is None:
            errors.append(FieldError("/agency", "agency-unknown", f"no agency {agency!r}"))
        else:
            agency_id = found.id
    if errors:
        raise ValidationFailed(errors)
    await repo.add_home_page(session, home_page, agency_id, actor.subject)
    audit.record(
        session,
        actor,
        entity="xapi_account_home",
        entity_id=home_page,
        action="register",
        about=audit.about_agency_code(agency),
        details={"agency": agency},
    )
    linked = await repo.link_accounts(session, home_page, agency_id)
    await learning_records.record_people(session, sorted(set(linked)))
    return {"home_page": home_page, "agency": agency, "linked": len(linked)}

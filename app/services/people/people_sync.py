"""Bulk upsert of people from an agency's HR system, keyed by (source agency, external id).

Set-based from end to end: under the source's lock, one query reads what is stored under the
batch's keys; records are validated in Python (pure domain code), a few array queries check
supervisors and token subjects, and the batch is written with one COPY of the new rows and one
``INSERT ... ON CONFLICT`` of the changed ones. A record sent exactly as last time, or whose
content fingerprint equals the stored one, is reported unchanged and its row is not touched. A
rejected record is reported with its problems and never written; the valid ones are written in
the caller's transaction, each row in full or not at all.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter, itemgetter
from typing import Any

import orjson
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.ids import time_ordered_ids
from app.db.models import Agency
from app.db.raw import advisory_xact_lock
from app.db.repositories.people import agencies as agency_repo
from app.db.repositories.people import people as repo
from app.db.repositories.people.people import StoredPerson
from app.domain.errors import FieldError, ValidationFailed
from app.domain.people.fast_path import PlainPerson, fast_people
from app.domain.people.graph import nodes_in_cycles
from app.domain.people.person import (
    EmploymentCategory,
    PersonRecord,
    PositionType,
    parse_person,
    source_fingerprinter,
)
from app.domain.principal import Principal
from app.services.people import hooks
from app.services.people.sync import (
    Outcome,
    RecordResult,
    SyncReport,
    check_batch_size,
    duplicates,
    reject_malformed,
)
from app.services.platform import audit
from app.services.platform.scope import Scope, people_scope

# Records parsed between two turns of the event loop (about 10 ms of work).
_SLICE = 1000


def source_lock(source_id: uuid.UUID) -> str:
    """Writes of one source are serialised, so two batches never race on the same new person."""
    return f"people-sync:{source_id}"


@dataclass
class _Batch:
    report: SyncReport
    source: Agency
    valid: dict[str, tuple[int, PersonRecord]]
    stored: dict[str, StoredPerson]
    agency_ids: dict[str, uuid.UUID]
    agency_paths: dict[str, str]
    sources: dict[int, bytes]  # keyed hash of each record as sent
    # Problems found so far, by external id: a record keeps being checked after its first, so
    # that the answer (a dry run's as much as a real write's) lists every one; ``settle``
    # rejects them all at the end.
    problems: dict[str, list[FieldError]]

    @property
    def all_new(self) -> bool:
        """Nobody in the batch is stored yet (a first sync): the short ways below apply."""
        return self.stored.keys().isdisjoint(self.valid)

    def reject(self, external_id: str, field: str, rule: str, message: str, **extra: Any) -> None:
        index, _ = self.valid[external_id]
        error = FieldError(f"/{index}/{field}", rule, message, extra)
        self.problems.setdefault(external_id, []).append(error)

    def writable(self) -> set[str]:
        """The records with no problem (so far): those a real write would write."""
        return self.valid.keys() - self.problems.keys()

    def settle(self) -> None:
        for external_id, errors in self.problems.items():
            index, _ = self.valid.pop(external_id)
            self.report.reject(index, *errors)
        self.problems = {}


def _key(raw: object) -> str | None:
    if type(raw) is PlainPerson:
        return raw.external_id
    value = raw.get("external_id") if isinstance(raw, dict) else None
    return value if isinstance(value, str) else None


async def resolve_source(
    session: AsyncSession, actor: Principal, scope: Scope, code: str | None
) -> Agency:
    """The agency whose HR system the external ids belong to: ``source``, else the caller's."""
    code = code or actor.agency
    if code is None:
        raise ValidationFailed(
            [
                FieldError.for_parameter(
                    "source", "query", "required", "name the source agency: ?source=<agency code>"
                )
            ]
        )
    agency = await agency_repo.by_code(session, code)
    if agency is None or not scope.covers(agency.path):
        raise ValidationFailed(
            [
                FieldError.for_parameter(
                    "source",
                    "query",
                    "source-unknown",
                    f"no agency {code!r} in your scope; register it first (POST /agencies/bulk)",
                )
            ]
        )
    return agency


async def sync_people(
    session: AsyncSession,
    actor: Principal,
    raw_records: list[object],
    *,
    texts: Sequence[bytes | memoryview] | None = None,
    source: str | None,
    dry_run: bool,
    pii_key: bytes,
    keep_national_id: Mapping[str, str | None] | None = None,
) -> SyncReport:
    """Validate, resolve and write a batch; one outcome per record, in the order sent.

    ``raw_records`` are decoded JSON values, or :class:`PlainPerson` records already typed by
    the fast path's decoder; ``texts``, when given, are their JSON texts as sent.

    1. under the source's lock (a dry run takes none), what is stored under the batch's keys is
       read in one query; records whose text is exactly the one accepted last time (same keyed
       source hash) are unchanged without being parsed;
    2. the others are parsed (pure domain code) and checked: duplicates, agency in scope;
    3. supervisors (batch or stored, no cycles) and token subjects are checked;
    4. new records are copied in and changed ones upserted, all named in one audit event; a
       record unchanged in content but sent as another text has its source hash renewed, so
       the next sync of that text skips it again.

    ``keep_national_id`` (PATCH) keeps a stored national-id hash for records that do not send one.
    """
    check_batch_size(len(raw_records))
    scope = await people_scope(session, actor, write=True)
    source_agency = await resolve_source(session, actor, scope, source)
    record_keys = [_key(raw) for raw in raw_records]
    report = SyncReport(
        "external_id", dry_run, [RecordResult(i, key) for i, key in enumerate(record_keys)]
    )
    sources = _source_fingerprints(texts, pii_key)
    if not dry_run:
        # One writer per source at a time: what is looked up next stays true until the commit.
        await advisory_xact_lock(session, source_lock(source_agency.id))
    keys = {i: key for i, key in enumerate(record_keys) if key is not None}
    stored = await repo.stored_for_sync(session, source_agency.id, set(keys.values()))
    same = _same_as_stored(keys, sources, stored)
    parsed = await _parse(report, raw_records, texts, pii_key, keep_national_id or {}, skip=same)
    valid, agencies, problems = await _place(session, scope, parsed)
    agency_ids = {code: agency_id for code, (agency_id, _) in agencies.items()}
    agency_paths = {code: path for code, (_, path) in agencies.items()}
    # Supervisors named by the batch but not in it: stored earlier, or unknown.
    elsewhere = set(filter(None, _supervisors(valid))) - stored.keys()
    if elsewhere:
        stored.update(await repo.stored_for_sync(session, source_agency.id, elsewhere))
    batch = _Batch(
        report, source_agency, valid, stored, agency_ids, agency_paths, sources, problems
    )
    for index, external_id in same.items():
        unchanged = stored[external_id]
        if not scope.covers(unchanged.agency_path):
            report.reject(
                index,
                FieldError(
                    f"/{index}/external_id", "out-of-scope", "this person is not in your scope"
                ),
            )
        else:
            result = report.results[index]
            result.outcome, result.id = Outcome.UNCHANGED, unchanged.id
    for external_id in batch.valid.keys() & stored.keys():
        if not scope.covers(stored[external_id].agency_path):
            batch.reject(
                external_id, "external_id", "out-of-scope", "this person is not in your scope"
            )
    # New, or stored with other content (all of them when none is stored yet: a first sync).
    to_write = (
        list(batch.valid)
        if batch.all_new
        else [
            e
            for e, (_, record) in batch.valid.items()
            if (known := stored.get(e)) is None or known.content_hash != record.fingerprint
        ]
    )
    # Subjects before supervisors: a supervisor refused for its subject is not written, so the
    # people reporting to it are refused in turn (a real write would fail on them otherwise).
    await _check_subjects(session, batch, to_write)
    await _resolve_supervisors(session, batch)
    batch.settle()
    to_write = [e for e in to_write if e in batch.valid]
    results = report.results
    writing = set(to_write)
    for external_id, (index, _) in batch.valid.items():
        known = stored.get(external_id)
        result = results[index]
        if known is None:
            result.outcome = Outcome.CREATED
        else:
            result.outcome = Outcome.UPDATED if external_id in writing else Outcome.UNCHANGED
            result.id = known.id
    if not dry_run and to_write:
        await _write(session, actor, batch, to_write)
        written = (results[batch.valid[e][0]].id for e in to_write)
        await hooks.people_written(session, [i for i in written if i is not None])
    if not dry_run and sources and not batch.all_new:
        await _renew_source_hashes(session, batch, writing)
    return report


def _source_fingerprints(
    texts: Sequence[bytes | memoryview] | None, pii_key: bytes
) -> dict[int, bytes]:
    if texts is None:
        return {}
    source_fingerprint = source_fingerprinter(pii_key)
    return dict(enumerate(map(source_fingerprint, texts)))


async def _renew_source_hashes(session: AsyncSession, batch: _Batch, writing: set[str]) -> None:
    """Records unchanged in content but sent as another text than last time (keys in another
    order, other spacing, or stored before by a single-record write): their stored source hash
    becomes this text's, so that the next sync sending it again skips them unparsed. Not a
    change: the change sequence, ``updated_at`` and the audit trail stay as they are."""
    renewed = [
        (known.id, source_hash)
        for external_id, (index, _) in batch.valid.items()
        if external_id not in writing
        and (known := batch.stored.get(external_id)) is not None
        and (source_hash := batch.sources.get(index)) is not None
        and known.source_hash != source_hash
    ]
    if renewed:
        await repo.renew_source_hashes(session, renewed)


def _same_as_stored(
    keys: dict[int, str], sources: dict[int, bytes], stored: Mapping[str, StoredPerson]
) -> dict[int, str]:
    """Records sent exactly as they were accepted last time (index -> external id): they are
    unchanged without being parsed again. A key sent twice in the batch never qualifies."""
    if not stored:  # a first sync: nothing to compare (and no need to count the keys)
        return {}
    counted = Counter(keys.values())
    return {
        i: key
        for i, key in keys.items()
        if counted[key] == 1
        and (known := stored.get(key)) is not None
        and known.source_hash is not None
        and known.source_hash == sources.get(i)
    }


async def _parse(
    report: SyncReport,
    raw_records: list[object],
    texts: Sequence[bytes | memoryview] | None,
    pii_key: bytes,
    keep_national_id: Mapping[str, str | None],
    *,
    skip: Mapping[int, str],
) -> dict[int, PersonRecord]:
    parsed: dict[int, PersonRecord] = {}
    reject_malformed(report, raw_records)
    wanted = [
        index
        for index in range(len(raw_records))
        if index not in skip and not report.is_rejected(index)
    ]
    # The fast path settles plainly valid records; the full checks decide the rest and alone
    # write the error reports (on the record as JSON decodes it, not its typed form).
    fast: list[PersonRecord | None] = []
    for start in range(0, len(wanted), _SLICE):
        if start:
            # Let the other requests' replies from the database be taken up meanwhile, so that
            # the database has their next statements instead of waiting for this batch.
            await asyncio.sleep(0)
        part = wanted[start : start + _SLICE]
        fast.extend(fast_people([raw_records[i] for i in part], pii_key=pii_key))
    for index, record in zip(wanted, fast, strict=True):
        if record is None:
            raw = raw_records[index]
            if type(raw) is PlainPerson:
                assert texts is not None  # (typed records come from their texts)
                raw = orjson.loads(memoryview(texts[index]))  # (any buffer)
            record, errors = parse_person(raw, f"/{index}", pii_key=pii_key)
            if errors:
                report.reject(index, *errors)
                continue
            assert record is not None
        if record.external_id in keep_national_id:
            record = record.with_national_id_hash(keep_national_id[record.external_id])
        parsed[index] = record
    for index, error in duplicates(
        {i: r.external_id for i, r in parsed.items()}, "external_id"
    ).items():
        report.reject(index, error)
        parsed.pop(index)
    return parsed


async def _place(
    session: AsyncSession, scope: Scope, parsed: dict[int, PersonRecord]
) -> tuple[
    dict[str, tuple[int, PersonRecord]],
    dict[str, tuple[uuid.UUID, str]],
    dict[str, list[FieldError]],
]:
    """The records by external id, the agencies' ids and paths, and the records whose agency is
    unknown or beyond the caller's scope (checked further all the same)."""
    agencies = await agency_repo.ids_and_paths(session, {r.agency for r in parsed.values()})
    placeable = {code for code, (_, path) in agencies.items() if scope.covers(path)}
    valid: dict[str, tuple[int, PersonRecord]] = {}
    problems: dict[str, list[FieldError]] = {}
    for index, record in parsed.items():
        valid[record.external_id] = (index, record)
        if record.agency not in placeable:
            problems[record.external_id] = [
                FieldError(
                    f"/{index}/agency",
                    "agency-unknown",
                    f"no agency {record.agency!r} in your scope",
                )
            ]
    return valid, agencies, problems


async def _resolve_supervisors(session: AsyncSession, batch: _Batch) -> None:
    """A supervisor must be in this batch (earlier or later) or stored for the same source; an
    unknown one rejects the record, and so does a chain that loops. Repeated while rejections
    cascade (a record whose supervisor was rejected and is not stored is rejected in turn)."""
    stored, valid = batch.stored, batch.valid
    chains: dict[str, str | None] = {}
    if batch.all_new:
        # Nobody here is stored yet (a first sync): every record is new, and a loop can only run
        # through the batch (the stored people above it report to stored people only).
        changed = set(valid)
    else:
        changed = {
            e
            for e, (_, record) in valid.items()
            if (known := stored.get(e)) is None or known.supervisor != record.supervisor
        }
        start = changed | {s for e in changed if (s := valid[e][1].supervisor)}
        # The stored reporting line above them (people not stored yet have none to look up).
        start &= stored.keys()
        if changed:
            chains = await repo.supervisor_chains(session, batch.source.id, start)
    flagged: set[str] = set()  # records whose supervisor is already refused
    looped: set[str] = set()
    while True:
        rejected = False
        # Supervisors not written by this batch (unknown, or in it but refused) and not stored,
        # found with set operations in C; the records naming one are then looked for (and
        # rejections may cascade).
        writable = batch.writable()
        missing = set(_supervisors(valid))
        missing.discard(None)
        missing.difference_update(writable, stored)
        for external_id, (_, record) in list(valid.items()) if missing else ():
            boss = record.supervisor
            if boss not in missing or external_id in flagged:
                continue
            flagged.add(external_id)
            if boss in valid:
                batch.reject(
                    external_id,
                    "supervisor",
                    "supervisor-rejected",
                    f"the supervisor {boss!r} is refused in this batch (see its record)",
                )
            else:
                batch.reject(
                    external_id,
                    "supervisor",
                    "supervisor-unknown",
                    f"no person {boss!r} from {batch.source.code} in this batch or stored",
                )
            rejected = True
        if changed and not looped:
            edges = dict(chains)
            edges.update(zip(valid, _supervisors(valid), strict=True))
            looped = nodes_in_cycles(edges) & changed & valid.keys()
            flagged |= looped  # (a supervisor's refusal is the same loop)
            for external_id in looped:
                batch.reject(
                    external_id,
                    "supervisor",
                    "supervisor-cycle",
                    "this supervisor makes a cycle in the reporting line",
                )
            rejected = rejected or bool(looped)
        if not rejected:
            return


def _supervisors(valid: dict[str, tuple[int, PersonRecord]]) -> Iterator[str | None]:
    """Each valid record's supervisor, in the batch's order (mapped in C, no Python loop)."""
    return map(_SUPERVISOR, map(_RECORD, valid.values()))


_RECORD = itemgetter(1)
_SUPERVISOR = attrgetter("supervisor")
_SUBJECT = attrgetter("subject")


async def _check_subjects(session: AsyncSession, batch: _Batch, to_write: list[str]) -> None:
    """A token subject links one person of a source only (its holders elsewhere are not the
    caller's to know: a token links within its own agency, see ``scope.linked_person``)."""
    valid = batch.valid
    subjects = list(map(_SUBJECT, map(_RECORD, map(valid.__getitem__, to_write))))
    holders = dict(zip(subjects, to_write, strict=True))  # (in C; the last holder of each)
    holders.pop(None, None)
    if len(holders) < len(subjects) - subjects.count(None):  # a subject given twice
        by_subject: dict[str, list[str]] = {}
        for external_id, subject in zip(to_write, subjects, strict=True):
            if subject:
                by_subject.setdefault(subject, []).append(external_id)
        for subject, given in by_subject.items():
            if len(given) > 1:
                del holders[subject]
                for external_id in given:
                    batch.reject(
                        external_id,
                        "subject",
                        "duplicate-in-batch",
                        f"subject {subject!r} is given to more than one record in this batch",
                    )
    owners = await repo.subject_owners(session, batch.source.id, list(holders))
    for subject, owner in owners.items():
        external_id = holders[subject]
        known = batch.stored.get(external_id)
        if external_id in valid and (known is None or known.id != owner):
            batch.reject(
                external_id, "subject", "subject-taken", "this subject is linked to another person"
            )


async def _write(
    session: AsyncSession, actor: Principal, batch: _Batch, to_write: list[str]
) -> None:
    stored = batch.stored
    if batch.all_new:  # the ids in one go
        ids = dict(zip(batch.valid, time_ordered_ids(len(batch.valid)), strict=True))
    else:
        new = iter(time_ordered_ids(sum(1 for e in batch.valid if e not in stored)))
        ids = {e: (stored[e].id if e in stored else next(new)) for e in batch.valid}
    rows = [batch.valid[e] for e in to_write]
    created: list[str] = []
    updated: list[str] = []
    for index, record in rows:
        person_id = ids[record.external_id]
        batch.report.results[index].id = person_id
        (updated if record.external_id in stored else created).append(str(person_id))
    # Rows new to the source are copied in (no other writer of this source runs meanwhile: the
    # lock); the changed ones an upsert. New first: a changed row may name a new supervisor.
    new_rows = [row for row in rows if row[1].external_id not in stored]
    if new_rows:
        await repo.copy_new(session, _rows(batch, new_rows, ids))
    if len(new_rows) < len(rows):
        changed = [row for row in rows if row[1].external_id in stored]
        await repo.upsert(session, list(_rows(batch, changed, ids)))
    # One event per request names every person written (a per-row event would double the cost
    # of the bulk path); single-record writes and erasures are recorded one by one. It belongs
    # to the smallest subtree holding the source and every agency written into, so that only a
    # reader who may see all of those people reads it.
    paths = {batch.source.path, *(batch.agency_paths[record.agency] for _, record in rows)}
    owner = agency_repo.common_ancestor(paths)
    audit.record(
        session,
        actor,
        entity="person_sync",
        entity_id=batch.source.code,
        action="sync",
        about=audit.NATIONAL if owner is None else audit.about_agency(owner),
        details={"source": batch.source.code, "created": created, "updated": updated},
    )


# A dict look-up per row rather than the enum's ``.value`` property.
_POSITION_TYPE_VALUES: dict[PositionType | None, str | None] = {
    None: None,
    **{t: t.value for t in PositionType},
}


_CATEGORY_VALUES: dict[EmploymentCategory | None, str | None] = {
    None: None,
    **{c: c.value for c in EmploymentCategory},
}


def _rows(
    batch: _Batch, rows: list[tuple[int, PersonRecord]], ids: dict[str, uuid.UUID]
) -> Iterator[tuple[Any, ...]]:
    """The rows to write, in ``repo.SYNC_COLUMNS`` order (which follows ``PersonRecord``'s),
    made as they are sent: the database starts on the first rows of a COPY while the next are
    made."""
    source_id = batch.source.id
    agency_ids = batch.agency_ids
    stored = batch.stored
    sources = batch.sources
    for index, r in rows:
        boss = r.supervisor
        yield (
            ids[r.external_id],
            source_id,
            *r[:8],  # external_id .. position_title
            _POSITION_TYPE_VALUES[r.position_type],
            r.position_level,
            agency_ids[r.agency],
            None if boss is None else ids.get(boss) or stored[boss].id,
            *r[12:17],  # active, start_date, end_date, national_id_hash, subject
            _CATEGORY_VALUES[r.employment_category],
            r.fingerprint,
            sources.get(index),
        )

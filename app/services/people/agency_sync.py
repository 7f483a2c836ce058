"""Bulk upsert of agencies, keyed by official code (HRIS sync and single-record writes).

Records are validated one by one; parents may be earlier or later in the batch or already stored;
an unknown parent, a parent out of the caller's scope or a cycle rejects that record only. Valid
records are written parents first, each as one statement, in the caller's transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Agency
from app.db.raw import advisory_xact_lock
from app.db.repositories.people import agencies as repo
from app.domain.errors import FieldError
from app.domain.people.agency import AgencyRecord, parse_agency
from app.domain.people.graph import nodes_in_cycles, parents_first
from app.domain.principal import Principal
from app.services.people.sync import (
    Outcome,
    RecordResult,
    SyncReport,
    check_batch_size,
    duplicates,
    reject_malformed,
)
from app.services.platform import audit
from app.services.platform.scope import Scope, agency_scope

TREE_LOCK = "agency-tree"


@dataclass
class _Batch:
    report: SyncReport
    scope: Scope
    valid: dict[str, tuple[int, AgencyRecord]]
    stored: dict[str, Agency]  # by code: batch records and referenced parents, with ancestors
    stored_parent: dict[str, str | None]
    # Problems found so far, by code: a record keeps being checked after its first, so that the
    # answer (a dry run's as much as a real write's) lists every one; ``settle`` rejects them.
    problems: dict[str, list[FieldError]] = field(default_factory=dict)

    def reject(self, code: str, field: str, rule: str, message: str) -> None:
        index, _ = self.valid[code]
        self.problems.setdefault(code, []).append(FieldError(f"/{index}/{field}", rule, message))

    def writable(self) -> set[str]:
        return self.valid.keys() - self.problems.keys()

    def settle(self) -> None:
        for code, errors in self.problems.items():
            index, _ = self.valid.pop(code)
            self.report.reject(index, *errors)
        self.problems = {}

    def is_scope_root(self, code: str) -> bool:
        return not self.scope.everything and code == self.scope.root_code

    def parent_changes(self, code: str, record: AgencyRecord) -> bool:
        return code not in self.stored or self.stored_parent.get(code) != record.parent


def _key(raw: object) -> str | None:
    value = raw.get("code") if isinstance(raw, dict) else None
    return value if isinstance(value, str) else None


async def sync_agencies(
    session: AsyncSession, actor: Principal, raw_records: list[object], *, dry_run: bool
) -> SyncReport:
    check_batch_size(len(raw_records))
    scope = await agency_scope(session, actor, write=True)
    if not dry_run:
        await advisory_xact_lock(session, TREE_LOCK)
    report = SyncReport(
        "code", dry_run, [RecordResult(i, _key(raw)) for i, raw in enumerate(raw_records)]
    )
    parsed: dict[int, AgencyRecord] = {}
    reject_malformed(report, raw_records)
    for index, raw in enumerate(raw_records):
        if report.is_rejected(index):
            continue
        record, errors = parse_agency(raw, f"/{index}")
        if errors:
            report.reject(index, *errors)
        else:
            assert record is not None
            parsed[index] = record
    for index, error in duplicates({i: r.code for i, r in parsed.items()}, "code").items():
        report.reject(index, error)
        parsed.pop(index)

    batch = await _load(session, report, scope, parsed)
    _check_scope(batch)
    _resolve_parents(batch)
    batch.settle()
    await _write(session, actor, batch)
    return report


async def _load(
    session: AsyncSession, report: SyncReport, scope: Scope, parsed: dict[int, AgencyRecord]
) -> _Batch:
    wanted = {r.code for r in parsed.values()} | {r.parent for r in parsed.values() if r.parent}
    stored = await repo.by_codes(session, wanted)
    ancestor_ids = {i for a in stored.values() for i in repo.path_ids(a.path)}
    ancestors = await repo.by_ids(session, ancestor_ids - {a.id for a in stored.values()})
    known = {**{a.code: a for a in ancestors.values()}, **stored}
    code_of = {a.id: a.code for a in known.values()}
    stored_parent = {
        a.code: code_of.get(a.parent_id) if a.parent_id else None for a in known.values()
    }
    valid = {r.code: (i, r) for i, r in parsed.items()}
    return _Batch(report, scope, valid, known, stored_parent)


def _check_scope(batch: _Batch) -> None:
    scope = batch.scope
    if scope.everything:
        return
    for code, (_, record) in list(batch.valid.items()):
        current = batch.stored.get(code)
        if current is not None and not scope.covers(current.path):
            batch.reject(code, "code", "out-of-scope", f"no agency {code!r} in your scope")
        elif batch.is_scope_root(code):
            if current is not None and batch.parent_changes(code, record):
                batch.reject(
                    code, "parent", "root-move", "the agency your access hangs from cannot be moved"
                )
        elif record.parent is None and batch.parent_changes(code, record):
            batch.reject(
                code,
                "parent",
                "out-of-scope",
                "only a central administrator may place an agency at the top of the tree",
            )


def _resolve_parents(batch: _Batch) -> None:
    """Unknown, out-of-scope or refused parents, then cycles; repeated while refusals cascade
    (a parent refused in this batch and not stored refuses its children)."""
    flagged: set[str] = set()  # records whose parent is already refused
    cycles_checked = False
    while True:
        changed = False
        writable = batch.writable()
        for code, (_, record) in batch.valid.items():
            parent = record.parent
            if parent is None or parent in writable or code in flagged:
                continue
            stored = batch.stored.get(parent)
            reachable = stored is not None and (
                batch.scope.covers(stored.path) or not batch.parent_changes(code, record)
            )
            if reachable:
                continue
            flagged.add(code)
            if parent in batch.valid and (stored is None or batch.scope.covers(stored.path)):
                batch.reject(
                    code,
                    "parent",
                    "parent-rejected",
                    f"the parent {parent!r} is refused in this batch (see its record)",
                )
            else:
                batch.reject(
                    code, "parent", "parent-unknown", f"no agency {parent!r} in your scope"
                )
            changed = True
        if not cycles_checked:
            cycles_checked = True
            edges = dict(batch.stored_parent)
            edges.update({code: record.parent for code, (_, record) in batch.valid.items()})
            for code in nodes_in_cycles(edges) & set(batch.valid):
                batch.reject(code, "parent", "parent-cycle", "this parent would make a cycle")
                flagged.add(code)  # (its parent's refusal is the same loop)
                changed = True
        if not changed:
            return


async def _write(session: AsyncSession, actor: Principal, batch: _Batch) -> None:
    order = parents_first({code: r.parent for code, (_, r) in batch.valid.items()})
    placed: dict[str, tuple[uuid.UUID, str, int]] = {}  # code -> id, path, depth after writing
    moved = False
    for code in order:
        index, record = batch.valid[code]
        result = batch.report.results[index]
        current = batch.stored.get(code)
        if current is not None and current.content_hash == record.fingerprint:
            result.outcome, result.id = Outcome.UNCHANGED, current.id
            continue
        parent = await _parent_place(session, batch, placed, record.parent, fresh=moved)
        agency_id = current.id if current is not None else uuid.uuid4()
        path = repo.child_path(parent[1] if parent else None, agency_id)
        depth = parent[2] + 1 if parent else 0
        placed[code] = (agency_id, path, depth)
        result.outcome = Outcome.CREATED if current is None else Outcome.UPDATED
        result.id = None if batch.report.dry_run and current is None else agency_id
        if batch.report.dry_run:
            continue
        values: dict[str, object] = {
            "code": record.code,
            "name_th": record.name_th,
            "name_en": record.name_en,
            "kind": record.kind.value,
            "parent_id": parent[0] if parent else None,
            "active": record.active,
            "content_hash": record.fingerprint,
            "path": path,
            "depth": depth,
        }
        if current is None:
            await repo.insert_agency(session, agency_id=agency_id, values=values)
            details: dict[str, object] = {"code": code, "parent": record.parent}
        else:
            old_path, old_depth = (
                await session.execute(
                    select(Agency.path, Agency.depth).where(Agency.id == current.id)
                )
            ).one()
            if old_path != path:
                await repo.move_descendants(
                    session, old_path=old_path, new_path=path, depth_delta=depth - old_depth
                )
                moved = True
            details = {"code": code, "changes": _changes(batch, current, record)}
            await repo.update_agency(session, agency_id, values)
        await repo.add_version(
            session,
            agency_id=agency_id,
            recorded_by=actor.subject,
            values={
                "code": record.code,
                "name_th": record.name_th,
                "name_en": record.name_en,
                "kind": record.kind.value,
                "parent_code": record.parent,
                "active": record.active,
            },
        )
        audit.record(
            session,
            actor,
            entity="agency",
            entity_id=agency_id,
            action="create" if current is None else "update",
            about=audit.about_agency(agency_id),
            details=details,
        )


async def _parent_place(
    session: AsyncSession,
    batch: _Batch,
    placed: dict[str, tuple[uuid.UUID, str, int]],
    parent: str | None,
    *,
    fresh: bool,
) -> tuple[uuid.UUID, str, int] | None:
    if parent is None:
        return None
    if parent in placed:
        return placed[parent]
    stored = batch.stored.get(parent)
    if stored is not None and not fresh:
        return stored.id, stored.path, stored.depth
    # An earlier move in this batch may have re-rooted this parent: read its place again.
    row = (
        await session.execute(
            select(Agency.id, Agency.path, Agency.depth).where(Agency.code == parent)
        )
    ).one()
    return row[0], row[1], row[2]


def _changes(batch: _Batch, current: Agency, record: AgencyRecord) -> dict[str, list[object]]:
    before = {
        "name_th": current.name_th,
        "name_en": current.name_en,
        "kind": current.kind,
        "parent": batch.stored_parent.get(current.code),
        "active": current.active,
    }
    after = {
        "name_th": record.name_th,
        "name_en": record.name_en,
        "kind": record.kind.value,
        "parent": record.parent,
        "active": record.active,
    }
    return {k: [before[k], after[k]] for k in before if before[k] != after[k]}

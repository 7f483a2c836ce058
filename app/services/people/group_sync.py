"""Bulk proposal of staff groups from an agency's HR system (``POST /group-assignments/bulk``).

An HRIS knows each person's position, and BMA classifies positions into the six groups
(004:509-536), so it can *propose* a person's groups for a fiscal year, keyed by the person's
external id in the source agency. A proposal is only a proposal: the first-line supervisor
agrees and, for more than one group, the supervisor one level higher approves (003:657-659,
rules B3-B4), exactly as for a proposal made by hand. Per record, in the order sent:

* ``created``: a new pending proposal;
* ``unchanged``: the person's newest proposal of that year (pending, approved or rejected)
  already names the same groups, scopes and choices, so nothing is written (a nightly run does
  not propose again what a supervisor is deciding, has approved, or refused);
* ``rejected``: with every problem and its JSON pointer; nothing of it is written.

Records are validated first (pure domain code), then checked against the stored people, the
agency's stage and the profiles; the valid ones are written together in the caller's
transaction under the source's lock.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.raw import advisory_xact_lock
from app.db.repositories.people import group_assignments as repo
from app.domain.errors import FieldError
from app.domain.people.group_assignment import (
    ApprovalStep,
    AssignmentRecord,
    AssignmentState,
    GroupShare,
    parse_record,
    same_groups,
    start,
)
from app.domain.principal import Principal
from app.services.people.group_assignments import (
    ChoiceCheck,
    may_take,
    new_row,
    record_proposal,
)
from app.services.people.people_sync import resolve_source
from app.services.people.sync import (
    Outcome,
    RecordResult,
    SyncReport,
    check_batch_size,
    duplicates,
    reject_malformed,
)
from app.services.platform.scope import group_scope, linked_person, people_scope


def _key(raw: object) -> str | None:
    value = raw.get("external_id") if isinstance(raw, dict) else None
    return value if isinstance(value, str) else None


async def sync_group_assignments(
    session: AsyncSession,
    actor: Principal,
    raw_records: list[object],
    *,
    source: str | None,
    dry_run: bool,
    choices: ChoiceCheck,
) -> SyncReport:
    """Validate, check and propose a batch; one outcome per record, in the order sent."""
    check_batch_size(len(raw_records))
    # Users who may propose in bulk are those who may write people in bulk (administrators).
    scope = (
        await group_scope(session, actor, write=True)
        if actor.is_client
        else await people_scope(session, actor, write=True)
    )
    source_agency = await resolve_source(session, actor, scope, source)
    report = SyncReport(
        "external_id", dry_run, [RecordResult(i, _key(raw)) for i, raw in enumerate(raw_records)]
    )
    reject_malformed(report, raw_records)
    if not dry_run:
        await advisory_xact_lock(session, f"group-sync:{source_agency.id}")
    records: dict[int, AssignmentRecord] = {}
    for index, raw in enumerate(raw_records):
        if report.is_rejected(index):
            continue
        parsed = parse_record(raw, index)
        if isinstance(parsed, list):
            report.reject(index, *parsed)
        else:
            records[index] = parsed
    twice = duplicates(
        {i: f"{r.external_id} (FY{r.fiscal_year})" for i, r in records.items()}, "external_id"
    )
    for index, error in twice.items():
        report.reject(index, error)
        records.pop(index)
    people = await repo.people_by_external_id(
        session, source_agency.id, {r.external_id for r in records.values()}
    )
    for index, record in list(records.items()):
        found = people.get(record.external_id)
        if found is None or found[0].erased_at is not None or not scope.covers(found[1]):
            report.reject(
                index,
                FieldError(
                    f"/{index}/external_id",
                    "person-unknown",
                    f"no person {record.external_id!r} from {source_agency.code} in your scope",
                ),
            )
            records.pop(index)
            continue
        problems = await choices.check(
            session, found[0].agency_id, record.fiscal_year, record.groups, f"/{index}/groups"
        )
        if problems:
            report.reject(index, *problems)
            records.pop(index)
    newest = await repo.latest(
        session,
        {people[r.external_id][0].id for r in records.values()},
        {r.fiscal_year for r in records.values()},
    )
    now = datetime.now(UTC)
    me = await linked_person(session, actor)
    rows = []
    for index, record in records.items():
        person = people[record.external_id][0]
        result = report.results[index]
        last = newest.get((person.id, record.fiscal_year))
        if last is not None and same_groups(
            [GroupShare.of_json(g) for g in last.groups], record.groups
        ):
            result.outcome, result.id = Outcome.UNCHANGED, last.id
            continue
        if last is not None and last.state == AssignmentState.PENDING.value:
            report.reject(
                index,
                FieldError(
                    f"/{index}/groups",
                    "proposal-pending",
                    f"another proposal for FY{record.fiscal_year} awaits the "
                    f"{last.awaiting} step: it must be approved or rejected first",
                    {"pending_id": str(last.id)},
                ),
            )
            continue
        # As by hand: an HRIS never agrees; an administrator standing in for a missing
        # first-line supervisor agrees by proposing.
        agrees = await may_take(session, actor, me, person, ApprovalStep.SUPERVISOR)
        workflow = start(record.groups, agreed_at_proposal=agrees)
        row = new_row(actor, person, record.fiscal_year, workflow, record.note, now)
        result.outcome = Outcome.CREATED
        if not dry_run:
            result.id = row.id
            rows.append(row)
    if rows:
        session.add_all(rows)
        await session.flush()
        for row in rows:
            record_proposal(session, actor, row, bulk=True)
    return report

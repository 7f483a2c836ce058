"""Individual development plans: create, change, validate, submit, acknowledge, record progress,
evaluate (IDP2) and revise. The rules are the domain's (app/domain/planning); this module loads,
decides who the caller is to the plan, saves and audits. See docs/planning.md."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import DevelopmentPlan as PlanRow
from app.db.models import PlanEffort
from app.db.repositories.planning import plans as repo
from app.domain.errors import Conflict, FieldError, ValidationFailed
from app.domain.merge_patch import merge_patch
from app.domain.planning import document, lifecycle
from app.domain.planning.evaluation import validate_evaluation
from app.domain.planning.findings import Finding
from app.domain.planning.lifecycle import Action, Relation
from app.domain.planning.model import DevelopmentPlan, PlanState
from app.domain.planning.progress import EffortEntry, EffortSource, record_effort
from app.domain.planning.validation import validate
from app.domain.principal import Principal
from app.domain.text import nfc
from app.services.people.stages import fiscal_year as parse_fiscal_year
from app.services.planning import plan_context
from app.services.planning.plan_records import (
    Loaded,
    load,
    new_id,
    new_revision_row,
    now,
    parse_uuid,
)
from app.services.planning.plan_records import party as party_of
from app.services.planning.plan_records import save as save_plan
from app.services.platform import audit
from app.services.platform.versioning import check_if_match


@dataclass(frozen=True)
class PlanResult:
    """A plan revision as the caller sees it, with what the rules say about it."""

    loaded: Loaded
    findings: list[Finding] | None  # IDP1 findings; None when the person has no profile yet
    evaluation_findings: list[Finding]

    @property
    def plan(self) -> DevelopmentPlan:
        return self.loaded.plan

    @property
    def relation(self) -> Relation:
        return self.loaded.party.relation

    @property
    def etag_version(self) -> int:
        return self.loaded.row.lock_version


async def findings_of(
    session: AsyncSession, loaded: Loaded, *, strict: bool = False
) -> list[Finding] | None:
    """Every IDP1 finding of the revision under the person's profile and agency policy."""
    person = loaded.party.person
    try:
        rules = await plan_context.rule_context(
            session, person, loaded.row.fiscal_year, loaded.plan
        )
    except Conflict:
        if strict:
            raise
        return None
    policy = await plan_context.policy_for(session, person)
    return validate(loaded.plan, rules.context, policy)


async def result(session: AsyncSession, loaded: Loaded, *, strict: bool = False) -> PlanResult:
    evaluation = loaded.plan.evaluation
    rows = validate_evaluation(loaded.plan, evaluation.items) if evaluation else []
    return PlanResult(loaded, await findings_of(session, loaded, strict=strict), rows)


async def _baseline(
    session: AsyncSession, person_id: uuid.UUID, raw: str | uuid.UUID | None
) -> str | None:
    assessment = parse_uuid(raw, "/baseline_assessment_id")
    if assessment is not None and not await plan_context.baseline_of(
        session, person_id, assessment
    ):
        raise ValidationFailed(
            [
                FieldError(
                    "/baseline_assessment_id",
                    "D2",
                    "no self-assessment of this person has this id",
                )
            ]
        )
    return None if assessment is None else str(assessment)


async def create_plan(
    session: AsyncSession,
    actor: Principal,
    person_id: uuid.UUID,
    *,
    fiscal_year: int,
    items: Any = (),
    baseline_assessment_id: str | uuid.UUID | None = None,
) -> PlanResult:
    """A new draft for a fiscal year, by the person or their first-line supervisor; its
    findings are returned (a draft may have errors). One plan per person and year."""
    who = await party_of(session, actor, person_id)
    lifecycle.require(Action.EDIT, who.relation, PlanState.DRAFT)
    year = parse_fiscal_year(fiscal_year, "/fiscal_year")
    existing = await repo.plan_for_year(session, person_id, year.be)
    if existing is not None:
        raise Conflict(
            f"the person already has a plan for FY{year.be}: change it instead",
            plan_id=str(existing.id),
        )
    parsed = document.items_from_json(list(items), new_id)
    baseline = await _baseline(session, person_id, baseline_assessment_id)
    rules = await plan_context.rule_context(session, who.person, year.be)
    header = await plan_context.header_of(session, who.person)
    at = now()
    row = PlanRow(
        person_id=person_id,
        id=uuid.uuid4(),
        fiscal_year=year.be,
        current_revision=1,
        lock_version=1,
        created_by=actor.subject,
        created_at=at,
        updated_at=at,
    )
    plan = lifecycle.new_plan(
        plan_id=str(row.id),
        person_id=str(person_id),
        fiscal_year=year,
        person_name=header.person_name,
        position=header.position,
        unit=header.unit,
        baseline_assessment_id=baseline,
        items=parsed,
        at=at,
    )
    session.add(row)
    await session.flush()
    rev = new_revision_row(row, plan, actor, at, rules.framework_version_id)
    session.add(rev)
    await session.flush()
    audit.record(
        session,
        actor,
        entity="development_plan",
        entity_id=row.id,
        action="create",
        about=audit.about_person(person_id),
        details={
            "person_id": str(person_id),
            "fiscal_year": year.be,
            "revision": 1,
            "state": "draft",
        },
    )
    return await result(session, Loaded(who, row, rev, plan))


def _document_body(plan: DevelopmentPlan) -> dict[str, Any]:
    return {
        "baseline_assessment_id": plan.baseline_assessment_id,
        "items": document.items_to_json(plan.items),
    }


async def _changed(
    session: AsyncSession, actor: Principal, loaded: Loaded, body: dict[str, Any]
) -> DevelopmentPlan:
    unknown = set(body) - {"items", "baseline_assessment_id"}
    if unknown:
        raise ValidationFailed(
            [FieldError(f"/{k}", "P-DOCUMENT", "unknown field") for k in sorted(unknown)]
        )
    items = document.items_from_json(body.get("items", []), new_id)
    baseline = await _baseline(session, loaded.party.person.id, body.get("baseline_assessment_id"))
    header = await plan_context.header_of(session, loaded.party.person)
    changed = lifecycle.change(
        loaded.plan,
        loaded.party.relation,
        at=now(),
        items=items,
        person_name=header.person_name,
        position=header.position,
        unit=header.unit,
    )
    # a change may also unlink the baseline: take it as given
    return replace(changed, baseline_assessment_id=baseline)


async def update_plan(
    session: AsyncSession,
    actor: Principal,
    person_id: uuid.UUID,
    plan_id: uuid.UUID,
    body: dict[str, Any],
    *,
    merge: bool = False,
    if_match: str | None = None,
) -> PlanResult:
    """Replace (or, with ``merge``, merge-patch) the items and baseline. A draft changes in
    place; an acknowledged or running plan gets a new draft revision and the old one stays."""
    loaded = await load(session, actor, person_id, plan_id, for_update=True)
    check_if_match(if_match, loaded.row.lock_version)
    if merge:
        body = merge_patch(_document_body(loaded.plan), body)
    after = await _changed(session, actor, loaded, body)
    action = "edit" if after.revision == loaded.plan.revision else "revise"
    saved = await save_plan(session, actor, loaded, after, action=action)
    return await result(session, saved)


async def validate_plan(
    session: AsyncSession,
    actor: Principal,
    person_id: uuid.UUID,
    plan_id: uuid.UUID,
    body: dict[str, Any] | None = None,
) -> list[Finding]:
    """The findings of the plan as stored, or as it would be with ``body``; nothing is saved."""
    loaded = await load(session, actor, person_id, plan_id)
    plan = loaded.plan
    if body is not None:
        items = document.items_from_json(body.get("items", []), new_id)
        baseline = parse_uuid(body.get("baseline_assessment_id"), "/baseline_assessment_id")
        plan = replace(
            plan, items=items, baseline_assessment_id=None if baseline is None else str(baseline)
        )
    found = await findings_of(session, replace_plan(loaded, plan), strict=True)
    assert found is not None
    return found


async def validate_new_plan(
    session: AsyncSession,
    actor: Principal,
    person_id: uuid.UUID,
    *,
    fiscal_year: int,
    items: Any = (),
    baseline_assessment_id: str | uuid.UUID | None = None,
) -> list[Finding]:
    """The findings a plan with these items would have; nothing is saved."""
    who = await party_of(session, actor, person_id)
    lifecycle.require(Action.EDIT, who.relation, PlanState.DRAFT)
    year = parse_fiscal_year(fiscal_year, "/fiscal_year")
    header = await plan_context.header_of(session, who.person)
    baseline = parse_uuid(baseline_assessment_id, "/baseline_assessment_id")
    plan = lifecycle.new_plan(
        plan_id="new",
        person_id=str(person_id),
        fiscal_year=year,
        person_name=header.person_name,
        position=header.position,
        unit=header.unit,
        baseline_assessment_id=None if baseline is None else str(baseline),
        items=document.items_from_json(list(items), new_id),
        at=now(),
    )
    rules = await plan_context.rule_context(session, who.person, year.be, plan)
    policy = await plan_context.policy_for(session, who.person)
    return validate(plan, rules.context, policy)


def replace_plan(loaded: Loaded, plan: DevelopmentPlan) -> Loaded:
    return Loaded(loaded.party, loaded.row, loaded.rev, plan)


async def _transition(
    session: AsyncSession,
    actor: Principal,
    person_id: uuid.UUID,
    plan_id: uuid.UUID,
    if_match: str | None,
    action: str,
    step: Any,
) -> PlanResult:
    loaded = await load(session, actor, person_id, plan_id, for_update=True)
    check_if_match(if_match, loaded.row.lock_version)
    after = step(loaded)
    saved = await save_plan(session, actor, loaded, after, action=action)
    return await result(session, saved)


async def submit_plan(
    session: AsyncSession,
    actor: Principal,
    person_id: uuid.UUID,
    plan_id: uuid.UUID,
    *,
    if_match: str | None = None,
) -> PlanResult:
    """The person submits; refused (every error finding listed) while any error remains."""
    loaded = await load(session, actor, person_id, plan_id, for_update=True)
    check_if_match(if_match, loaded.row.lock_version)
    lifecycle.require(Action.SUBMIT, loaded.party.relation, loaded.plan.state)
    person = loaded.party.person
    rules = await plan_context.rule_context(session, person, loaded.row.fiscal_year, loaded.plan)
    policy = await plan_context.policy_for(session, person)
    after = lifecycle.submit(
        loaded.plan, loaded.party.relation, context=rules.context, policy=policy, at=now()
    )
    saved = await save_plan(session, actor, loaded, after, action="submit")
    return await result(session, saved)


async def withdraw_plan(
    session: AsyncSession, actor: Principal, person_id: uuid.UUID, plan_id: uuid.UUID
) -> PlanResult:
    return await _transition(
        session,
        actor,
        person_id,
        plan_id,
        None,
        "withdraw",
        lambda d: lifecycle.withdraw(d.plan, d.party.relation),
    )


async def return_plan(
    session: AsyncSession, actor: Principal, person_id: uuid.UUID, plan_id: uuid.UUID
) -> PlanResult:
    return await _transition(
        session,
        actor,
        person_id,
        plan_id,
        None,
        "return",
        lambda d: lifecycle.return_for_changes(d.plan, d.party.relation),
    )


async def acknowledge_plan(
    session: AsyncSession, actor: Principal, person_id: uuid.UUID, plan_id: uuid.UUID
) -> PlanResult:
    """Sign as the person or as the first-line supervisor; in force once both have."""
    return await _transition(
        session,
        actor,
        person_id,
        plan_id,
        None,
        "acknowledge",
        lambda d: lifecycle.acknowledge(d.plan, d.party.relation, by=actor.subject, at=now()),
    )


async def start_plan(
    session: AsyncSession, actor: Principal, person_id: uuid.UUID, plan_id: uuid.UUID
) -> PlanResult:
    return await _transition(
        session,
        actor,
        person_id,
        plan_id,
        None,
        "start",
        lambda d: lifecycle.start(d.plan, d.party.relation),
    )


async def revise_plan(
    session: AsyncSession, actor: Principal, person_id: uuid.UUID, plan_id: uuid.UUID
) -> PlanResult:
    """A new draft revision prefilled from the current one, which stays as it was."""
    return await _transition(
        session,
        actor,
        person_id,
        plan_id,
        None,
        "revise",
        lambda d: lifecycle.revise(d.plan, d.party.relation, at=now()),
    )


async def evaluate_plan(
    session: AsyncSession,
    actor: Principal,
    person_id: uuid.UUID,
    plan_id: uuid.UUID,
    rows: Any,
) -> PlanResult:
    """Write (or rewrite) the IDP2 rows; a rewrite clears both signatures. The evaluation's
    findings come back with the plan."""
    parsed = document.evaluation_rows_from_json(rows)
    return await _transition(
        session,
        actor,
        person_id,
        plan_id,
        None,
        "evaluate",
        lambda d: lifecycle.evaluate(d.plan, d.party.relation, parsed),
    )


async def acknowledge_evaluation(
    session: AsyncSession, actor: Principal, person_id: uuid.UUID, plan_id: uuid.UUID
) -> PlanResult:
    """Sign the IDP2. With both signatures the plan is evaluated, and when the evaluation says
    "revise the plan" for some item a new draft revision is opened from it (F6)."""
    loaded = await load(session, actor, person_id, plan_id, for_update=True)
    after = lifecycle.acknowledge_evaluation(
        loaded.plan, loaded.party.relation, by=actor.subject, at=now()
    )
    saved = await save_plan(session, actor, loaded, after, action="acknowledge-evaluation")
    evaluation = after.evaluation
    if after.state is PlanState.EVALUATED and evaluation and evaluation.wants_revision():
        revised = lifecycle.revise(after, saved.party.relation, at=now())
        saved = await save_plan(
            session, actor, saved, revised, action="revise", details={"reason": "F6"}
        )
    return await result(session, saved)


async def record_plan_effort(
    session: AsyncSession,
    actor: Principal,
    person_id: uuid.UUID,
    plan_id: uuid.UUID,
    *,
    activity_id: str,
    hours: Decimal,
    on: date | None = None,
    note: str | None = None,
) -> tuple[PlanResult, PlanEffort]:
    """Actual effort on one activity; the first entry on an acknowledged plan starts it."""
    loaded = await load(session, actor, person_id, plan_id, for_update=True)
    entry = EffortEntry(activity_id, hours, on, EffortSource.MANUAL, nfc(note or ""))
    after, entry = record_effort(loaded.plan, loaded.party.relation, entry)
    row = PlanEffort(
        person_id=person_id,
        plan_id=plan_id,
        activity_id=entry.activity_id,
        id=uuid.uuid4(),
        revision=after.revision,
        hours=entry.hours,
        on=entry.on,
        source=entry.source.value,
        note=entry.note or None,
        recorded_by=actor.subject,
        recorded_at=now(),
    )
    session.add(row)
    saved = await save_plan(
        session,
        actor,
        loaded,
        after,
        action="record-effort",
        details={"activity_id": entry.activity_id, "hours": str(entry.hours)},
    )
    return await result(session, saved), row

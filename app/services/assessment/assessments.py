"""Self and supervisor assessment: open, rate in batches, submit, review, finalise, reopen.

Workflow (docs/assessment.md): ``draft`` (the person rates themself and submits) -> ``submitted``
(their first-line supervisor rates and finalises) -> ``final`` (locked). Only an agency
administrator (or a central one) reopens a submitted or final assessment, with a reason; it is
then a draft again. Who may do what:

* open: the person, their first-line supervisor, an administrator over the person;
* self ratings and submission: the person only;
* supervisor ratings and finalisation: the first-line supervisor recorded at submission (where
  the person has none, an administrator over the person);
* reads: anyone who may see the person (docs/agencies-and-people.md). Someone who may not see
  the person gets 404, someone who may see them but not act 403.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Assessment, Person
from app.db.repositories.assessment import assessments as repo
from app.db.repositories.assessment import stored_results
from app.domain.assessment.form import (
    RatingEntry,
    check_review,
    check_submission,
    parse_rating_batch,
)
from app.domain.assessment.plan import ScoringPlan
from app.domain.assessment.policy import AgencyPolicy
from app.domain.assessment.scoring import score
from app.domain.assessment.stored import stored_result
from app.domain.assessment.vocabulary import Rater
from app.domain.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from app.domain.principal import Principal, Role
from app.domain.text import nfc
from app.services.assessment import assessment_items, targets
from app.services.assessment.assessment_policies import (
    policy_json,
    policy_of_json,
    resolve_for_agency,
)
from app.services.people.people import visible_to
from app.services.people.stages import fiscal_year
from app.services.platform import audit
from app.services.platform.access import require_user_role
from app.services.platform.scope import agency_path, people_scope
from app.services.platform.versioning import check_if_match

KINDS = ("baseline", "reflection")
REASON_MAX_LENGTH = 2000


@dataclass(frozen=True, slots=True)
class Actors:
    """The caller's relation to the person assessed."""

    me: uuid.UUID | None  # the person linked to the caller's token
    person: Person

    @property
    def is_self(self) -> bool:
        return self.me is not None and self.me == self.person.id


async def _visible(session: AsyncSession, actor: Principal, person_id: uuid.UUID) -> Actors:
    scope = await people_scope(session, actor, write=False)
    found = await session.scalar(
        select(Person).where(Person.id == person_id, Person.erased_at.is_(None), visible_to(scope))
    )
    if found is None:
        raise NotFound(f"no person {person_id}")
    return Actors(scope.self_person, found)


async def visible_person(session: AsyncSession, actor: Principal, person_id: uuid.UUID) -> Person:
    return (await _visible(session, actor, person_id)).person


async def admin_over(session: AsyncSession, actor: Principal, agency_id: uuid.UUID) -> bool:
    if actor.is_client:
        return False
    if actor.has_role(Role.CENTRAL_ADMIN):
        return True
    if not actor.has_role(Role.AGENCY_ADMIN):
        return False
    scope = await people_scope(session, actor, write=True)
    return scope.covers(await agency_path(session, agency_id))


async def _load(
    session: AsyncSession,
    actor: Principal,
    person_id: uuid.UUID,
    assessment_id: uuid.UUID,
    *,
    lock: bool = False,
) -> tuple[Actors, Assessment]:
    who = await _visible(session, actor, person_id)
    found = await repo.get(session, person_id, assessment_id, lock=lock)
    if found is None:
        raise NotFound(f"no assessment {assessment_id} of person {person_id}")
    return who, found


def plan_of(a: Assessment) -> ScoringPlan:
    key = assessment_items.plan_key(a.framework_version_id, a.targets)
    return assessment_items.plan_for(key, a.required_items)


async def policy_of(session: AsyncSession, a: Assessment) -> AgencyPolicy:
    """The policy a final assessment was scored with; before that, its agency's current one."""
    if a.policy is not None:
        return policy_of_json(a.policy)
    return (await resolve_for_agency(session, a.agency_id)).policy


# -- opening -------------------------------------------------------------------------------------


async def open_assessment(
    session: AsyncSession,
    actor: Principal,
    person_id: uuid.UUID,
    *,
    fiscal_year_be: int,
    kind: str,
) -> tuple[Assessment, bool]:
    """Open the person's assessment of a year and kind; opening it again returns the same one
    (``created`` False). Its targets and required items are fixed now (see assessment_items)."""
    require_user_role(actor, Role.EMPLOYEE, Role.SUPERVISOR, Role.AGENCY_ADMIN, Role.CENTRAL_ADMIN)
    errors = []
    if kind not in KINDS:
        errors.append(FieldError("/kind", "enum", f"{kind!r} is not one of {', '.join(KINDS)}"))
    try:
        year = fiscal_year(fiscal_year_be, "/fiscal_year").be
    except ValidationFailed as exc:
        errors.extend(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    who = await _visible(session, actor, person_id)
    person = who.person
    first_line = who.me is not None and who.me == person.supervisor_id
    if not (who.is_self or first_line or await admin_over(session, actor, person.agency_id)):
        raise Forbidden(
            "only the person, their first-line supervisor or an agency administrator may open "
            "an assessment"
        )
    existing = await repo.find(session, person.id, year, kind)
    if existing is not None:
        return existing, False
    found = await targets.targets_for(session, person, year)
    items = await assessment_items.required_items(session, found)
    snapshot = {
        "framework": found.framework_key,
        "version_label": found.version_label,
        "stage": found.stage.value,
        "stage_declared_by": found.stage_declared_by,
        "groups": [t.share.as_json() for t in found.present],
        "present": [f"{t.stage.value}/{t.group.value}" for t in found.present],
        "future": [f"{t.stage.value}/{t.group.value}" for t in found.future],
    }
    new_id = uuid.uuid4()
    await repo.insert_if_absent(
        session,
        {
            "person_id": person.id,
            "id": new_id,
            "fiscal_year": year,
            "kind": kind,
            "status": "draft",
            "agency_id": person.agency_id,
            "framework_version_id": found.version_id,
            "targets": snapshot,
            "required_items": assessment_items.to_json(items),
            "supervisor_id": person.supervisor_id,
            "opened_by": actor.subject,
            "row_version": 1,
        },
    )
    opened = await repo.find(session, person.id, year, kind)
    assert opened is not None
    created = opened.id == new_id
    if created:
        audit.record(
            session,
            actor,
            entity="assessment",
            entity_id=opened.id,
            action="open",
            about=audit.about_person(person.id),
            details={
                "person_id": str(person.id),
                "fiscal_year": year,
                "kind": kind,
                "framework_version": found.version_label,
                "items": len(items),
            },
        )
    return opened, created


async def list_assessments(
    session: AsyncSession, actor: Principal, person_id: uuid.UUID
) -> list[Assessment]:
    """Every assessment of a person the caller can see (404 when they cannot see the person)."""
    await visible_person(session, actor, person_id)
    return await repo.of_person(session, person_id)


async def get_assessment(
    session: AsyncSession, actor: Principal, person_id: uuid.UUID, assessment_id: uuid.UUID
) -> Assessment:
    return (await _load(session, actor, person_id, assessment_id))[1]


# -- rating and the workflow ---------------------------------------------------------------------


def _in_status(a: Assessment, *wanted: str, doing: str) -> None:
    if a.status not in wanted:
        state = "locked: it is final" if a.status == "final" else f"{a.status}"
        raise Conflict(
            f"cannot {doing}: the assessment is {state}",
            assessment_status=a.status,
            rule="workflow",
        )


async def _for_write(
    session: AsyncSession,
    actor: Principal,
    person_id: uuid.UUID,
    assessment_id: uuid.UUID,
    if_match: str | None,
) -> tuple[Actors, Assessment]:
    require_user_role(actor, Role.EMPLOYEE, Role.SUPERVISOR, Role.AGENCY_ADMIN, Role.CENTRAL_ADMIN)
    who, locked = await _load(session, actor, person_id, assessment_id, lock=True)
    check_if_match(if_match, locked.row_version)
    return who, locked


def _require_self(who: Actors, doing: str) -> None:
    if not who.is_self:
        raise Forbidden(f"only the person assessed may {doing}")


async def _require_reviewer(
    session: AsyncSession, actor: Principal, who: Actors, a: Assessment
) -> None:
    if a.supervisor_id is not None:
        if who.me is not None and who.me == a.supervisor_id:
            return
        raise Forbidden("only the person's first-line supervisor reviews this assessment")
    if not await admin_over(session, actor, a.agency_id):
        raise Forbidden("the person has no supervisor: an agency administrator reviews it")


async def rate(
    session: AsyncSession,
    actor: Principal,
    person_id: uuid.UUID,
    assessment_id: uuid.UUID,
    entries: Sequence[RatingEntry],
    *,
    if_match: str | None = None,
) -> Assessment:
    """Save a batch of the person's own ratings (a draft only); all or nothing."""
    who, a = await _for_write(session, actor, person_id, assessment_id, if_match)
    _require_self(who, "give self ratings")
    _in_status(a, "draft", doing="rate")
    return await _save(session, actor, a, Rater.SELF, entries)


async def review(
    session: AsyncSession,
    actor: Principal,
    person_id: uuid.UUID,
    assessment_id: uuid.UUID,
    entries: Sequence[RatingEntry],
    *,
    if_match: str | None = None,
) -> Assessment:
    """Save a batch of the supervisor's ratings (a submitted assessment only); all or nothing."""
    who, a = await _for_write(session, actor, person_id, assessment_id, if_match)
    await _require_reviewer(session, actor, who, a)
    _in_status(a, "submitted", doing="review")
    return await _save(session, actor, a, Rater.SUPERVISOR, entries)


async def _save(
    session: AsyncSession,
    actor: Principal,
    a: Assessment,
    rater: Rater,
    entries: Sequence[RatingEntry],
) -> Assessment:
    ratings = parse_rating_batch(plan_of(a), entries)
    await repo.save_ratings(session, a, rater, ratings, actor.subject)
    await repo.touch(session, a)
    audit.record(
        session,
        actor,
        entity="assessment",
        entity_id=a.id,
        action=f"rate:{rater.value}",
        about=audit.about_person(a.person_id),
        details={"person_id": str(a.person_id), "codes": sorted(ratings)},
    )
    return a


async def submit(
    session: AsyncSession,
    actor: Principal,
    person_id: uuid.UUID,
    assessment_id: uuid.UUID,
    *,
    if_match: str | None = None,
) -> Assessment:
    """The person submits when every required item is rated (422 lists the missing codes)."""
    who, a = await _for_write(session, actor, person_id, assessment_id, if_match)
    _require_self(who, "submit their assessment")
    _in_status(a, "draft", doing="submit")
    own, _ = await repo.ratings_of(session, a)
    missing = check_submission(plan_of(a), own)
    if missing:
        codes = [e.extra["code"] for e in missing]
        raise ValidationFailed(
            missing,
            detail=f"{len(codes)} item(s) are not rated yet: {', '.join(codes[:20])}",
            missing=codes,
        )
    now = datetime.now(UTC)
    await repo.touch(
        session,
        a,
        status="submitted",
        submitted_at=now,
        submitted_by=actor.subject,
        supervisor_id=who.person.supervisor_id,
    )
    _audit(session, actor, a, "submit")
    return a


async def finalize(
    session: AsyncSession,
    actor: Principal,
    person_id: uuid.UUID,
    assessment_id: uuid.UUID,
    *,
    if_match: str | None = None,
) -> Assessment:
    """The supervisor ends the review: every item needs a final rating under the agency's policy,
    which is recorded with the assessment; it is locked from now on."""
    who, a = await _for_write(session, actor, person_id, assessment_id, if_match)
    await _require_reviewer(session, actor, who, a)
    _in_status(a, "submitted", doing="finalise")
    own, boss = await repo.ratings_of(session, a)
    policy = await policy_of(session, a)
    missing = check_review(plan_of(a), own, boss, policy)
    if missing:
        raise ValidationFailed(missing, missing=[e.extra["code"] for e in missing])
    now = datetime.now(UTC)
    await repo.touch(
        session,
        a,
        status="final",
        finalized_at=now,
        finalized_by=actor.subject,
        policy=policy_json(policy),
    )
    # Reports read this stored result; nothing re-scores a final assessment on read.
    await stored_results.store(session, a, stored_result(score(plan_of(a), own, boss, policy)), now)
    _audit(session, actor, a, "finalize", policy=policy_json(policy))
    return a


async def reopen(
    session: AsyncSession,
    actor: Principal,
    person_id: uuid.UUID,
    assessment_id: uuid.UUID,
    *,
    reason: str,
    if_match: str | None = None,
) -> Assessment:
    """An agency administrator over the person reopens a submitted or final assessment, with a
    reason (audited); it becomes a draft again and its recorded policy is dropped."""
    who, a = await _for_write(session, actor, person_id, assessment_id, if_match)
    if not await admin_over(session, actor, who.person.agency_id):
        raise Forbidden("only an agency administrator over the person may reopen an assessment")
    text = nfc(reason or "").strip()
    if not text or len(text) > REASON_MAX_LENGTH:
        raise ValidationFailed(
            [FieldError("/reason", "required", f"give a reason (1 to {REASON_MAX_LENGTH} chars)")]
        )
    _in_status(a, "submitted", "final", doing="reopen")
    before = a.status
    await stored_results.remove(session, a)
    await repo.touch(
        session,
        a,
        status="draft",
        reopened_at=datetime.now(UTC),
        reopened_by=actor.subject,
        reopen_reason=text,
        policy=None,
        finalized_at=None,
        finalized_by=None,
    )
    _audit(session, actor, a, "reopen", reason=text, previous_status=before)
    return a


def _audit(
    session: AsyncSession, actor: Principal, a: Assessment, action: str, **details: object
) -> None:
    audit.record(
        session,
        actor,
        entity="assessment",
        entity_id=a.id,
        action=action,
        about=audit.about_person(a.person_id),
        details={"person_id": str(a.person_id), **details},
    )

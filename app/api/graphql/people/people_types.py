"""GraphQL types of agencies, people and staff-group assignments."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from app.api.graphql.context import Context
from app.api.graphql.people import people_loaders as loaders
from app.db.models import Agency as AgencyModel
from app.db.models import StaffGroupAssignment as AssignmentModel
from app.db.repositories.people.people import PersonView
from app.domain.people.group_assignment import (
    ApprovalStep as ApprovalStepEnum,
)
from app.domain.people.group_assignment import (
    AssignmentState as AssignmentStateEnum,
)
from app.domain.people.group_assignment import (
    GroupScope as GroupScopeEnum,
)
from app.domain.people.group_assignment import (
    GroupShare as GroupShareModel,
)
from app.domain.people.stage import EffectiveStage
from app.domain.roles import MaturityStage as MaturityStageEnum
from app.domain.roles import StaffGroup as StaffGroupEnum

# The domain's enums are used as they are; Strawberry names them after their classes.
StaffGroup = StaffGroupEnum
MaturityStage = MaturityStageEnum
GroupScope = GroupScopeEnum
AssignmentState = AssignmentStateEnum
ApprovalStep = ApprovalStepEnum


@strawberry.type(description="The stage in force for an agency's staff in a fiscal year.")
class StageInForce:
    fiscal_year: int
    stage: MaturityStage | None
    declared_by_agency: str | None
    inherited: bool
    present_target: MaturityStage | None
    future_target: MaturityStage | None


@strawberry.type(description="A stage an agency declared and announced for a fiscal year.")
class StageDeclaration:
    agency_code: str
    fiscal_year: int
    stage: MaturityStage
    announced_on: date
    declared_by: str
    declared_at: datetime
    note: str | None


@strawberry.type(description="A unit of the agency tree.")
class Agency:
    id: strawberry.ID
    code: str
    name_th: str
    name_en: str | None
    kind: str
    active: bool
    depth: int
    _parent_id: strawberry.Private[uuid.UUID | None]
    _uuid: strawberry.Private[uuid.UUID]

    @classmethod
    def of(cls, a: AgencyModel) -> Agency:
        return cls(
            id=strawberry.ID(str(a.id)),
            code=a.code,
            name_th=a.name_th,
            name_en=a.name_en,
            kind=a.kind,
            active=a.active,
            depth=a.depth,
            _parent_id=a.parent_id,
            _uuid=a.id,
        )

    @strawberry.field(description="Null at the top of the tree, or above what you may see.")
    async def parent(self, info: Info[Context, None]) -> Agency | None:
        if self._parent_id is None:
            return None
        found = await loaders.agency(info).load(self._parent_id)
        return Agency.of(found) if found else None

    @strawberry.field
    async def children(self, info: Info[Context, None]) -> list[Agency]:
        return [Agency.of(a) for a in await loaders.children(info).load(self._uuid)]

    @strawberry.field(description="The stage in force that year: own declaration or inherited.")
    async def stage(self, info: Info[Context, None], fiscal_year: int) -> StageInForce:
        from app.services.people import stages

        found = await info.context.use_db(
            lambda s, p: stages.stage_in_force(s, p, self.code, fiscal_year)
        )
        e = found.effective
        return StageInForce(
            fiscal_year=found.fiscal_year,
            stage=MaturityStage(e.stage) if e else None,
            declared_by_agency=e.declared_by if e else None,
            inherited=e.inherited if e else False,
            present_target=MaturityStage(e.present_target) if e else None,
            future_target=MaturityStage(e.future_target) if e and e.future_target else None,
        )


@strawberry.type
class GroupShare:
    group: StaffGroup
    scope: GroupScope
    items: list[str] | None = strawberry.field(
        default=None, description="A partial group's chosen items; null for a whole group"
    )


@strawberry.input
class GroupShareInput:
    group: StaffGroup
    scope: GroupScope = GroupScopeEnum.WHOLE
    items: list[str] | None = strawberry.field(
        default=None,
        description="PARTIAL only: the codes chosen from the group's profile at the agency's "
        "stage or the next one (foundational knowledge and experience, DLit and DG units and "
        "the attributes always apply)",
    )


@strawberry.type(description="A person's staff group(s) for a fiscal year and its approvals.")
class StaffGroupAssignment:
    id: strawberry.ID
    person_id: strawberry.ID
    fiscal_year: int
    groups: list[GroupShare]
    state: AssignmentState
    awaiting: ApprovalStep | None
    note: str | None
    proposed_by: str
    proposed_at: datetime
    agreed_by: str | None
    agreed_at: datetime | None
    approved_by: str | None = strawberry.field(
        description="The supervisor one level higher (needed for more than one group)"
    )
    approved_at: datetime | None
    rejected_by: str | None
    rejected_at: datetime | None
    rejection_note: str | None

    @strawberry.field(description="Only an approved assignment is in force.")
    def effective(self) -> bool:
        return self.state is AssignmentStateEnum.APPROVED

    @classmethod
    def of(cls, a: AssignmentModel) -> StaffGroupAssignment:
        return cls(
            id=strawberry.ID(str(a.id)),
            person_id=strawberry.ID(str(a.person_id)),
            fiscal_year=a.fiscal_year,
            groups=[
                GroupShare(
                    group=share.group,
                    scope=share.scope,
                    items=None if share.items is None else list(share.items),
                )
                for share in (GroupShareModel.of_json(g) for g in a.groups)
            ],
            state=AssignmentStateEnum(a.state),
            awaiting=ApprovalStepEnum(a.awaiting) if a.awaiting else None,
            note=a.note,
            proposed_by=a.proposed_by,
            proposed_at=a.proposed_at,
            agreed_by=a.agreed_by,
            agreed_at=a.agreed_at,
            approved_by=a.approved_by,
            approved_at=a.approved_at,
            rejected_by=a.rejected_by,
            rejected_at=a.rejected_at,
            rejection_note=a.rejection_note,
        )


@strawberry.type(description="A role the person is developed towards (group x stage).")
class RoleTarget:
    group: StaffGroup
    scope: GroupScope
    items: list[str] | None = strawberry.field(
        description="A partial group's chosen items (the foundational ones apply as well)"
    )
    present: MaturityStage | None = strawberry.field(description="The declared stage (70%)")
    future: MaturityStage | None = strawberry.field(description="The next stage (30%)")


@strawberry.type(description="A person as their agency's HR system describes them.")
class Person:
    id: strawberry.ID
    external_id: str
    source: str
    employee_number: str | None
    first_name_th: str | None
    last_name_th: str | None
    first_name_en: str | None
    last_name_en: str | None
    email: str | None
    position_title: str | None
    position_type: str | None
    position_level: str | None
    employment_category: str | None
    agency_code: str
    active: bool
    start_date: date | None
    end_date: date | None
    erased: bool
    _uuid: strawberry.Private[uuid.UUID]
    _agency_id: strawberry.Private[uuid.UUID]
    _supervisor_id: strawberry.Private[uuid.UUID | None]

    @classmethod
    def of(cls, v: PersonView) -> Person:
        p = v.person
        return cls(
            id=strawberry.ID(str(p.id)),
            external_id=p.external_id,
            source=v.source_code,
            employee_number=p.employee_number,
            first_name_th=p.first_name_th,
            last_name_th=p.last_name_th,
            first_name_en=p.first_name_en,
            last_name_en=p.last_name_en,
            email=p.email,
            position_title=p.position_title,
            position_type=p.position_type,
            position_level=p.position_level,
            employment_category=p.employment_category,
            agency_code=v.agency_code,
            active=p.active,
            start_date=p.start_date,
            end_date=p.end_date,
            erased=p.erased_at is not None,
            _uuid=p.id,
            _agency_id=p.agency_id,
            _supervisor_id=p.supervisor_id,
        )

    @strawberry.field
    async def agency(self, info: Info[Context, None]) -> Agency | None:
        found = await loaders.agency(info).load(self._agency_id)
        return Agency.of(found) if found else None

    @strawberry.field(
        description="The first-line supervisor: always yours; someone else's when you may see "
        "the supervisor too (null otherwise, or when none is set)."
    )
    async def supervisor(self, info: Info[Context, None]) -> Person | None:
        if self._supervisor_id is None:
            return None
        found = await loaders.supervisor(info).load(self._uuid)
        return Person.of(found) if found else None

    @strawberry.field(description="Every assignment, newest first (history included).")
    async def group_assignments(
        self, info: Info[Context, None], fiscal_year: int | None = None
    ) -> list[StaffGroupAssignment]:
        rows = await loaders.assignments(info).load((self._uuid, fiscal_year))
        return [StaffGroupAssignment.of(a) for a in rows]

    @strawberry.field(description="The approved assignment in force for the year, if any.")
    async def staff_groups(
        self, info: Info[Context, None], fiscal_year: int
    ) -> StaffGroupAssignment | None:
        found = await loaders.effective_assignment(info).load((self._uuid, fiscal_year))
        return StaffGroupAssignment.of(found) if found else None

    @strawberry.field(
        description="Present and future targets: each approved group at the agency's declared "
        "stage and at the next stage (003:655)."
    )
    async def targets(self, info: Info[Context, None], fiscal_year: int) -> list[RoleTarget]:
        from app.services.people import stages

        assignment = await loaders.effective_assignment(info).load((self._uuid, fiscal_year))
        if assignment is None:
            return []

        async def stage_of_home_agency(
            session: AsyncSession, _: object
        ) -> EffectiveStage[str] | None:
            # The person's own agency, seen or not by the caller: the stage is not a secret.
            home = await session.get(AgencyModel, self._agency_id)
            return (
                None
                if home is None
                else (await stages.resolve(session, home, fiscal_year)).effective
            )

        effective = await info.context.use_db(stage_of_home_agency)
        return [
            RoleTarget(
                group=share.group,
                scope=share.scope,
                items=None if share.items is None else list(share.items),
                present=MaturityStage(effective.present_target) if effective else None,
                future=MaturityStage(effective.future_target)
                if effective and effective.future_target
                else None,
            )
            for share in (GroupShareModel.of_json(g) for g in assignment.groups)
        ]

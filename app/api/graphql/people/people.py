"""GraphQL queries and mutations: the agency tree, people (me, my reports), stage declarations
and the staff-group assignment workflow. Errors are coded (``extensions.code``)."""

from __future__ import annotations

import uuid
from datetime import date

import strawberry
from strawberry.types import Info

from app.api.graphql.context import Context
from app.api.graphql.people.people_types import (
    Agency,
    GroupShareInput,
    MaturityStage,
    Person,
    StaffGroupAssignment,
    StageDeclaration,
)
from app.domain.errors import FieldError, ValidationFailed
from app.domain.people.group_assignment import GroupShare
from app.services.assessment.targets import ProfileChoices
from app.services.people import agencies, group_assignments, people, stages


def _uuid(value: strawberry.ID, name: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise ValidationFailed(
            [FieldError.for_parameter(name, "argument", "format", f"{value!r} is not an id")]
        ) from None


@strawberry.type
class PeopleQuery:
    @strawberry.field(description="The top of the agency tree you may see.")
    async def agencies(self, info: Info[Context, None]) -> list[Agency]:
        roots = await info.context.use_db(agencies.tree_roots)
        return [Agency.of(a) for a in roots]

    @strawberry.field(description="One agency by code (null when not in your scope).")
    async def agency(self, info: Info[Context, None], code: str) -> Agency | None:
        from app.domain.errors import NotFound

        try:
            view = await info.context.use_db(lambda s, p: agencies.get_agency(s, p, code))
        except NotFound:
            return None
        return Agency.of(view.agency)

    @strawberry.field(description="An agency's own stage declarations, one per fiscal year.")
    async def stage_declarations(
        self, info: Info[Context, None], agency_code: str
    ) -> list[StageDeclaration]:
        agency, rows = await info.context.use_db(
            lambda s, p: stages.declarations(s, p, agency_code)
        )
        return [
            StageDeclaration(
                agency_code=agency.code,
                fiscal_year=d.fiscal_year,
                stage=MaturityStage(d.stage),
                announced_on=d.announced_on,
                declared_by=d.declared_by,
                declared_at=d.declared_at,
                note=d.note,
            )
            for d in rows
        ]

    @strawberry.field(description="The person linked to your token's subject, if any.")
    async def my_person(self, info: Info[Context, None]) -> Person | None:
        found = await info.context.use_db(people.me)
        return Person.of(found) if found else None

    @strawberry.field(description="The people who report to you: directly, or the whole line.")
    async def my_reports(self, info: Info[Context, None], direct: bool = False) -> list[Person]:
        found = await info.context.use_db(lambda s, p: people.reports(s, p, direct=direct))
        return [Person.of(v) for v in found]

    @strawberry.field(description="One person you may see (null otherwise).")
    async def person(self, info: Info[Context, None], id: strawberry.ID) -> Person | None:
        from app.api.graphql.people import people_loaders

        found = await people_loaders.person(info).load(_uuid(id, "id"))
        return Person.of(found) if found else None

    @strawberry.field(description="Staff-group assignments whose next step is yours.")
    async def group_assignments_awaiting_me(
        self, info: Info[Context, None]
    ) -> list[StaffGroupAssignment]:
        rows = await info.context.use_db(group_assignments.awaiting_me)
        return [StaffGroupAssignment.of(r) for r in rows]


@strawberry.type
class PeopleMutation:
    @strawberry.mutation(description="Declare an agency's maturity stage for a fiscal year (BE).")
    async def declare_stage(
        self,
        info: Info[Context, None],
        agency_code: str,
        fiscal_year: int,
        stage: MaturityStage,
        announced_on: date,
        note: str | None = None,
    ) -> StageDeclaration:
        d = await info.context.use_db(
            lambda s, p: stages.declare_stage(
                s,
                p,
                agency_code,
                fiscal_year_be=fiscal_year,
                stage=stage,
                announced_on=announced_on,
                note=note,
            )
        )
        return StageDeclaration(
            agency_code=agency_code,
            fiscal_year=d.fiscal_year,
            stage=MaturityStage(d.stage),
            announced_on=d.announced_on,
            declared_by=d.declared_by,
            declared_at=d.declared_at,
            note=d.note,
        )

    @strawberry.mutation(
        description="Propose a person's staff group(s) for a fiscal year. One group needs the "
        "first-line supervisor's agreement; more than one also the next supervisor's approval. "
        "A PARTIAL group names the items chosen from its profile."
    )
    async def propose_group_assignment(
        self,
        info: Info[Context, None],
        person_id: strawberry.ID,
        fiscal_year: int,
        groups: list[GroupShareInput],
        note: str | None = None,
    ) -> StaffGroupAssignment:
        shares = [
            GroupShare(g.group, g.scope, None if g.items is None else tuple(g.items))
            for g in groups
        ]
        row = await info.context.use_db(
            lambda s, p: group_assignments.propose(
                s,
                p,
                _uuid(person_id, "personId"),
                fiscal_year_be=fiscal_year,
                groups=shares,
                note=note,
                choices=ProfileChoices(),
            )
        )
        return StaffGroupAssignment.of(row)

    @strawberry.mutation(description="Take the step the assignment awaits (yours to take).")
    async def approve_group_assignment(
        self, info: Info[Context, None], id: strawberry.ID
    ) -> StaffGroupAssignment:
        row = await info.context.use_db(
            lambda s, p: group_assignments.decide(s, p, _uuid(id, "id"), approve=True)
        )
        return StaffGroupAssignment.of(row)

    @strawberry.mutation(description="Refuse the step the assignment awaits; it ends rejected.")
    async def reject_group_assignment(
        self, info: Info[Context, None], id: strawberry.ID, note: str | None = None
    ) -> StaffGroupAssignment:
        row = await info.context.use_db(
            lambda s, p: group_assignments.decide(s, p, _uuid(id, "id"), approve=False, note=note)
        )
        return StaffGroupAssignment.of(row)

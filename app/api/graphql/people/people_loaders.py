"""Per-request DataLoaders for agencies, people and assignments (one query per kind and level)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from app.api.graphql.context import Context
from app.db.models import Agency, StaffGroupAssignment
from app.db.repositories.people import group_assignments as assignment_repo
from app.db.repositories.people.people import PersonView
from app.services.people import agencies, people


def agency(info: Info[Context, Any]) -> DataLoader[uuid.UUID, Agency | None]:
    """Agencies by id, only those in the caller's scope."""

    def factory(ctx: Context) -> DataLoader[uuid.UUID, Agency | None]:
        async def load(keys: list[uuid.UUID]) -> list[Agency | None]:
            found = await ctx.use_db(lambda s, p: agencies.by_ids_in_scope(s, p, keys))
            return [found.get(k) for k in keys]

        return DataLoader(load_fn=load)

    loader: DataLoader[uuid.UUID, Agency | None] = info.context.loader("agency", factory)
    return loader


def children(info: Info[Context, Any]) -> DataLoader[uuid.UUID, list[Agency]]:
    def factory(ctx: Context) -> DataLoader[uuid.UUID, list[Agency]]:
        async def load(keys: list[uuid.UUID]) -> list[list[Agency]]:
            found = await ctx.use_db(lambda s, _: agencies.children(s, keys))
            return [found.get(k, []) for k in keys]

        return DataLoader(load_fn=load)

    loader: DataLoader[uuid.UUID, list[Agency]] = info.context.loader("agency_children", factory)
    return loader


def person(info: Info[Context, Any]) -> DataLoader[uuid.UUID, PersonView | None]:
    """People by id, only those the caller may see."""

    def factory(ctx: Context) -> DataLoader[uuid.UUID, PersonView | None]:
        async def load(keys: list[uuid.UUID]) -> list[PersonView | None]:
            found = await ctx.use_db(lambda s, p: people.views_by_ids(s, p, keys))
            return [found.get(k) for k in keys]

        return DataLoader(load_fn=load)

    loader: DataLoader[uuid.UUID, PersonView | None] = info.context.loader("person", factory)
    return loader


def supervisor(info: Info[Context, Any]) -> DataLoader[uuid.UUID, PersonView | None]:
    """The first-line supervisor of people by their id (your own always; others' when you may
    see the supervisor)."""

    def factory(ctx: Context) -> DataLoader[uuid.UUID, PersonView | None]:
        async def load(keys: list[uuid.UUID]) -> list[PersonView | None]:
            found = await ctx.use_db(lambda s, p: people.supervisors_by_ids(s, p, keys))
            return [found.get(k) for k in keys]

        return DataLoader(load_fn=load)

    loader: DataLoader[uuid.UUID, PersonView | None] = info.context.loader("supervisor", factory)
    return loader


Year = tuple[uuid.UUID, int | None]


def assignments(info: Info[Context, Any]) -> DataLoader[Year, list[StaffGroupAssignment]]:
    def factory(ctx: Context) -> DataLoader[Year, list[StaffGroupAssignment]]:
        async def load(keys: list[Year]) -> list[list[StaffGroupAssignment]]:
            rows = await ctx.use_db(
                lambda s, _: assignment_repo.of_people(s, {k[0] for k in keys}, None)
            )
            by_person: dict[uuid.UUID, list[StaffGroupAssignment]] = defaultdict(list)
            for row in rows:
                by_person[row.person_id].append(row)
            return [
                [r for r in by_person[p] if year is None or r.fiscal_year == year]
                for p, year in keys
            ]

        return DataLoader(load_fn=load)

    loader: DataLoader[Year, list[StaffGroupAssignment]] = info.context.loader(
        "assignments", factory
    )
    return loader


def effective_assignment(
    info: Info[Context, Any],
) -> DataLoader[tuple[uuid.UUID, int], StaffGroupAssignment | None]:
    def factory(ctx: Context) -> DataLoader[tuple[uuid.UUID, int], StaffGroupAssignment | None]:
        async def load(keys: list[tuple[uuid.UUID, int]]) -> list[StaffGroupAssignment | None]:
            years: dict[int, set[uuid.UUID]] = defaultdict(set)
            for person_id, year in keys:
                years[year].add(person_id)

            async def each_year(
                session: AsyncSession, _: object
            ) -> dict[tuple[uuid.UUID, int], StaffGroupAssignment]:
                found = {}
                for year, ids in years.items():
                    rows = await assignment_repo.effective(session, ids, year)
                    found.update({(person_id, year): row for person_id, row in rows.items()})
                return found

            found = await ctx.use_db(each_year)
            return [found.get(k) for k in keys]

        return DataLoader(load_fn=load)

    loader: DataLoader[tuple[uuid.UUID, int], StaffGroupAssignment | None] = info.context.loader(
        "effective_assignment", factory
    )
    return loader

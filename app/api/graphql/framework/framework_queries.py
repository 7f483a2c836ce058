"""Framework query fields, merged into ``Query`` (schema.py). ``version`` defaults to the current
published version of the framework."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar, cast

import strawberry
from strawberry.types import Info

from app.api.graphql.context import Context
from app.api.graphql.framework.frameworks import (
    Component,
    Domain,
    Entry,
    Framework,
    Matrix,
    MatrixRow,
    MaturityStage,
    RoleProfile,
    SearchHit,
    StaffGroup,
    Unit,
    entry,
)
from app.domain.framework import model as m
from app.services.framework import framework_catalog, framework_reads

T = TypeVar("T")


async def _read(
    info: Info[Context, None], use_case: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any
) -> T:
    """Run a read use case as the caller, one statement at a time on the request's session."""
    return await info.context.use_db(
        lambda session, actor: use_case(session, actor, *args, **kwargs)
    )


@strawberry.type
class FrameworkQueries:
    @strawberry.field(description="Every framework with its versions.")
    async def frameworks(self, info: Info[Context, None]) -> list[Framework]:
        summaries = await _read(info, framework_catalog.list_frameworks)
        return [Framework.of(s) for s in summaries]

    @strawberry.field(description="One framework by key (ocsc, tpqi-it-exec).")
    async def framework(self, info: Info[Context, None], key: str) -> Framework:
        return Framework.of(await _read(info, framework_catalog.get_framework, key))

    @strawberry.field(description="The domains (skill sets) of a framework version.")
    async def domains(
        self, info: Info[Context, None], framework: str, version: str | None = None
    ) -> list[Domain]:
        selected, rows = await _read(
            info, framework_reads.items_of, framework, [m.ItemKind.DOMAIN.value], version
        )
        return [cast(Domain, entry(selected, r)) for r in rows]

    @strawberry.field(description="Units of capability, optionally of one domain or dimension.")
    async def units(
        self,
        info: Info[Context, None],
        framework: str,
        version: str | None = None,
        domain: str | None = None,
        dimension: int | None = None,
    ) -> list[Unit]:
        selected, rows = await _read(
            info, framework_reads.list_units, framework, version, domain=domain, dimension=dimension
        )
        return [cast(Unit, entry(selected, r)) for r in rows]

    @strawberry.field(description="Any item by code, whatever its kind.")
    async def item(
        self, info: Info[Context, None], framework: str, code: str, version: str | None = None
    ) -> Entry:
        selected, view = await _read(info, framework_reads.get_item, framework, code, version)
        return entry(selected, view.item)

    @strawberry.field(description="The role profiles of a framework version (18 for OCSC).")
    async def role_profiles(
        self, info: Info[Context, None], framework: str, version: str | None = None
    ) -> list[RoleProfile]:
        selected, rows = await _read(info, framework_reads.profile_rows, framework, version)
        return [RoleProfile.of(selected, r) for r in rows]

    @strawberry.field(description="One role profile.")
    async def role_profile(
        self,
        info: Info[Context, None],
        framework: str,
        stage: MaturityStage,
        group: StaffGroup,
        version: str | None = None,
    ) -> RoleProfile:
        selected, view = await _read(
            info, framework_reads.get_profile, framework, stage.value, group.value, version
        )
        return RoleProfile.of(selected, view.profile)

    @strawberry.field(description="The role matrix at a stage: items x staff groups.")
    async def matrix(
        self,
        info: Info[Context, None],
        framework: str,
        stage: MaturityStage,
        version: str | None = None,
        component: Component = m.Component.UNIT,
    ) -> Matrix:
        selected, result, items = await _read(
            info, framework_reads.matrix, framework, stage.value, version, component.value
        )
        return Matrix(
            framework=selected.framework.key,
            version=selected.version.label,
            stage=m.Stage(result.stage),
            component=result.component,
            groups=[m.StaffGroup(g) for g in result.groups],
            rows=[
                MatrixRow(
                    item=entry(selected, items[r.code]), groups=[m.StaffGroup(g) for g in r.groups]
                )
                for r in result.rows
            ],
        )

    @strawberry.field(description="Thai or English search over names, aliases, codes.")
    async def search(
        self,
        info: Info[Context, None],
        framework: str,
        q: str,
        version: str | None = None,
        kinds: list[str] | None = None,
        limit: int = 50,
    ) -> list[SearchHit]:
        selected, hits = await _read(
            info,
            framework_reads.search,
            framework,
            q,
            version,
            kinds=kinds or [],
            limit=min(limit, 200),
        )
        return [
            SearchHit(matched=h.matched, similarity=h.similarity, item=entry(selected, h.item))
            for h in hits
        ]


def types() -> list[Any]:
    """Concrete types reachable only through the Entry interface."""
    from app.api.graphql.framework.frameworks import Criterion, Element, FrameworkItem

    return [Domain, Unit, Element, Criterion, FrameworkItem]

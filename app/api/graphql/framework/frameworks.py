"""GraphQL for portals: frameworks, domains, units with elements and criteria, role profiles,
the role matrix and search. Nested lists go through per-request DataLoaders."""

from __future__ import annotations

import uuid
from typing import Any, cast

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from app.api.graphql.context import Context
from app.api.graphql.framework.framework_loaders import (
    children_loader,
    item_loader,
    requirements_loader,
)
from app.db.models import FrameworkItem as ItemRow
from app.db.models import RoleProfileRequirement, RoleProfileRow
from app.domain.framework import model as m
from app.services.framework import framework_catalog
from app.services.framework.framework_catalog import SelectedVersion

# The domain enums are registered with GraphQL names (strawberry marks the classes in place).
strawberry.enum(m.Stage, name="MaturityStage", description="Agency digital maturity stage")
strawberry.enum(m.StaffGroup, name="StaffGroup", description="Staff group of the role matrix")
strawberry.enum(m.Component, name="ProfileComponent", description="A list of a role profile")
MaturityStage = m.Stage
StaffGroup = m.StaffGroup
Component = m.Component


@strawberry.type(description="A wording or example, with the seed line it is printed on.")
class Citation:
    text: str
    source: str | None
    note: str | None


@strawberry.type(description="A transcription defect resolved, with why and where.")
class Resolution:
    defect: str
    printed: str
    resolved: str
    note: str
    source: str | None


@strawberry.interface(description="Anything in a framework version, identified by its code.")
class Entry:
    framework: str
    version: str
    code: str
    kind: str
    name_th: str
    name_en: str | None
    description_th: str | None
    source: str | None = strawberry.field(description="seed line, FILE:LINE")
    attrs: JSON
    aliases: list[Citation]
    examples: list[Citation]
    resolutions: list[Resolution]
    version_id: strawberry.Private[uuid.UUID]
    parent_code: strawberry.Private[str | None]

    @classmethod
    def fields(cls, v: SelectedVersion | Entry, row: ItemRow) -> dict[str, Any]:
        key, label = (
            (v.framework.key, v.version.label)
            if isinstance(v, SelectedVersion)
            else (v.framework, v.version)
        )
        return {
            "framework": key,
            "version": label,
            "code": row.code,
            "kind": row.kind,
            "name_th": row.name_th,
            "name_en": row.name_en,
            "description_th": row.description_th,
            "source": row.source,
            "attrs": row.attrs,
            "aliases": [
                Citation(text=a["text"], source=a["source"], note=a.get("note"))
                for a in row.aliases
            ],
            "examples": [
                Citation(text=a["text"], source=a["source"], note=a.get("note"))
                for a in row.examples
            ],
            "resolutions": [Resolution(**r) for r in row.resolutions],
            "version_id": row.version_id,
            "parent_code": row.parent_code,
        }


def entry(v: SelectedVersion | Entry, row: ItemRow) -> Entry:
    kinds: dict[str, type[Entry]] = {
        "domain": Domain,
        "unit": Unit,
        "element": Element,
        "criterion": Criterion,
    }
    return kinds.get(row.kind, FrameworkItem)(**Entry.fields(v, row))


async def _children(info: Info[Context, None], node: Entry, kind: str) -> list[Any]:
    rows = await children_loader(info.context).load((node.version_id, node.code))
    return [entry(node, r) for r in rows if r.kind == kind]


async def _parent(info: Info[Context, None], node: Entry) -> Entry | None:
    if node.parent_code is None:
        return None
    row = await item_loader(info.context).load((node.version_id, node.parent_code))
    return entry(node, row) if row is not None else None


@strawberry.type(description="Any other item: knowledge, experience, attribute, competency, ...")
class FrameworkItem(Entry):
    @strawberry.field(description="The item it belongs to.")
    async def parent(self, info: Info[Context, None]) -> Entry | None:
        return await _parent(info, self)

    @strawberry.field(description="Items under it, in framework order.")
    async def children(self, info: Info[Context, None]) -> list[Entry]:
        rows = await children_loader(info.context).load((self.version_id, self.code))
        return [entry(self, r) for r in rows]


@strawberry.type(description="A skill set (OCSC domain), grouped in a learning dimension.")
class Domain(Entry):
    @strawberry.field(description="Learning dimension 1-5 (003:663-683).")
    def dimension(self) -> int | None:
        value = self.attrs.get("dimension") if isinstance(self.attrs, dict) else None
        return value if isinstance(value, int) else None

    @strawberry.field(description="Its units of capability, in framework order.")
    async def units(self, info: Info[Context, None]) -> list[Unit]:
        return await _children(info, self, "unit")


@strawberry.type(description="A unit of capability (UoC).")
class Unit(Entry):
    @strawberry.field(description="Its domain (null when it sits elsewhere, e.g. TPQI).")
    async def domain(self, info: Info[Context, None]) -> Domain | None:
        parent = await _parent(info, self)
        return parent if isinstance(parent, Domain) else None

    @strawberry.field(description="Its parent, whatever its kind (domain or key function).")
    async def parent(self, info: Info[Context, None]) -> Entry | None:
        return await _parent(info, self)

    @strawberry.field(description="Elements of capability (EoC), where the seeds give them.")
    async def elements(self, info: Info[Context, None]) -> list[Element]:
        return await _children(info, self, "element")


@strawberry.type(description="An element of capability (EoC).")
class Element(Entry):
    @strawberry.field(description="Its performance criteria (PC).")
    async def criteria(self, info: Info[Context, None]) -> list[Criterion]:
        return await _children(info, self, "criterion")


@strawberry.type(description="A performance criterion (PC).")
class Criterion(Entry):
    pass


@strawberry.type(description="One resolved requirement of a role profile.")
class Requirement:
    component: Component
    code: str
    origin: str = strawberry.field(description="printed, foundational or inherited")
    source: str | None
    printed_code: str | None = strawberry.field(description="set when the page printed another")
    inherited_from: str | None = strawberry.field(description="stage/group it comes from")
    note: str | None
    version: strawberry.Private[SelectedVersion]

    @strawberry.field
    async def item(self, info: Info[Context, None]) -> Entry | None:
        row = await item_loader(info.context).load((self.version.id, self.code))
        return entry(self.version, row) if row is not None else None


@strawberry.type(description="The role expected of a staff group at an agency stage.")
class RoleProfile:
    framework: str
    version: str
    stage: MaturityStage
    group: StaffGroup
    role_title_th: str
    role_title_en: str | None
    description_th: str | None
    source: str | None
    title_aliases: list[Citation]
    printed: JSON = strawberry.field(description="The lists exactly as printed.")
    resolutions: list[Resolution]
    selected: strawberry.Private[SelectedVersion]

    @classmethod
    def of(cls, selected: SelectedVersion, row: RoleProfileRow) -> RoleProfile:
        return cls(
            framework=selected.framework.key,
            version=selected.version.label,
            stage=m.Stage(row.stage),
            group=m.StaffGroup(row.staff_group),
            role_title_th=row.role_title_th,
            role_title_en=row.role_title_en,
            description_th=row.description_th,
            source=row.source,
            title_aliases=[
                Citation(text=a["text"], source=a["source"], note=a.get("note"))
                for a in row.title_aliases
            ],
            printed=cast(JSON, row.printed),
            resolutions=[Resolution(**r) for r in row.resolutions],
            selected=selected,
        )

    async def _requirements(self, info: Info[Context, None]) -> list[RoleProfileRequirement]:
        key = (self.selected.id, self.stage.value, self.group.value)
        return await requirements_loader(info.context).load(key)

    @strawberry.field(description="Resolved requirements (all, or of one component).")
    async def requirements(
        self, info: Info[Context, None], component: Component | None = None
    ) -> list[Requirement]:
        rows = await self._requirements(info)
        return [
            Requirement(
                component=m.Component(r.component),
                code=r.code,
                origin=r.origin,
                source=r.source,
                printed_code=r.printed_code,
                inherited_from=f"{r.inherited_stage}/{r.inherited_group}"
                if r.inherited_stage
                else None,
                note=r.note,
                version=self.selected,
            )
            for r in rows
            if component is None or r.component == component.value
        ]

    async def _items(self, info: Info[Context, None], component: m.Component) -> list[Any]:
        codes = [r.code for r in await self._requirements(info) if r.component == component.value]
        rows = await item_loader(info.context).load_many([(self.selected.id, c) for c in codes])
        return [entry(self.selected, r) for r in rows if r is not None]

    @strawberry.field(description="Required units of capability (resolved).")
    async def units(self, info: Info[Context, None]) -> list[Unit]:
        return await self._items(info, m.Component.UNIT)

    @strawberry.field(description="Required knowledge (foundational, inherited, printed).")
    async def knowledge(self, info: Info[Context, None]) -> list[FrameworkItem]:
        return await self._items(info, m.Component.KNOWLEDGE)

    @strawberry.field(description="Required experience (foundational, inherited, printed).")
    async def experience(self, info: Info[Context, None]) -> list[FrameworkItem]:
        return await self._items(info, m.Component.EXPERIENCE)

    @strawberry.field(description="Required attributes.")
    async def attributes(self, info: Info[Context, None]) -> list[FrameworkItem]:
        return await self._items(info, m.Component.ATTRIBUTE)

    @strawberry.field(description="Required managerial competencies.")
    async def competencies(self, info: Info[Context, None]) -> list[FrameworkItem]:
        return await self._items(info, m.Component.COMPETENCY)


@strawberry.type
class FrameworkVersion:
    version: str
    status: str
    content_hash: str
    published_at: str | None


@strawberry.type(description="A competency framework and its versions.")
class Framework:
    key: str
    title_th: str
    title_en: str | None
    current_version: FrameworkVersion | None
    versions: list[FrameworkVersion]

    @classmethod
    def of(cls, s: framework_catalog.FrameworkSummary) -> Framework:
        def version(v: Any) -> FrameworkVersion:
            published = v.published_at.isoformat() if v.published_at else None
            return FrameworkVersion(
                version=v.label,
                status=v.status,
                content_hash=v.content_hash,
                published_at=published,
            )

        return cls(
            key=s.framework.key,
            title_th=s.framework.title_th,
            title_en=s.framework.title_en,
            current_version=version(s.current) if s.current else None,
            versions=[version(v) for v in s.versions],
        )


@strawberry.type
class MatrixRow:
    item: Entry
    groups: list[StaffGroup]


@strawberry.type(description="Items of one component x the six staff groups, at one stage.")
class Matrix:
    framework: str
    version: str
    stage: MaturityStage
    component: Component
    groups: list[StaffGroup]
    rows: list[MatrixRow]


@strawberry.type
class SearchHit:
    matched: str = strawberry.field(description="code, name, alias, text or similar")
    similarity: float
    item: Entry

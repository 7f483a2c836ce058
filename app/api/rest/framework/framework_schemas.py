"""REST shapes of frameworks, versions, items, role profiles, the matrix and diffs."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.api.rest.bulk import inline_schema
from app.api.rest.schemas import ApiModel, Page
from app.db.models import FrameworkItem, FrameworkVersion, RoleProfileRequirement
from app.domain.framework.model import Crosswalk, FrameworkMeta, Item, RoleProfile
from app.services.framework.framework_catalog import FrameworkSummary, SelectedVersion


class VersionOut(ApiModel):
    version: str = Field(examples=["2561"])
    status: str = Field(description="draft, published or retired")
    content_hash: str = Field(description="SHA-256 of the content (the label aside)")
    created_at: datetime
    created_by: str
    published_at: datetime | None
    retired_at: datetime | None
    counts: dict[str, int] = Field(description="items per kind")

    @classmethod
    def of(cls, v: FrameworkVersion, counts: dict[str, int]) -> VersionOut:
        return cls(
            version=v.label,
            status=v.status,
            content_hash=v.content_hash,
            created_at=v.created_at,
            created_by=v.created_by,
            published_at=v.published_at,
            retired_at=v.retired_at,
            counts=counts,
        )


class FrameworkOut(ApiModel):
    key: str = Field(examples=["ocsc"])
    title_th: str
    title_en: str | None
    current_version: str | None = Field(description="the published version reads default to")
    versions: list[VersionOut]

    @classmethod
    def of(cls, s: FrameworkSummary) -> FrameworkOut:
        return cls(
            key=s.framework.key,
            title_th=s.framework.title_th,
            title_en=s.framework.title_en,
            current_version=s.current.label if s.current else None,
            versions=[VersionOut.of(v, s.counts.get(v.id, {})) for v in s.versions],
        )


class Citation(ApiModel):
    text: str
    source: str | None = Field(description="seed line, FILE:LINE")
    note: str | None = None


class Resolution(ApiModel):
    defect: str
    printed: str
    resolved: str
    note: str
    source: str | None


class ItemRef(ApiModel):
    code: str
    kind: str
    name_th: str
    name_en: str | None

    @classmethod
    def of(cls, row: FrameworkItem) -> ItemRef:
        return cls(code=row.code, kind=row.kind, name_th=row.name_th, name_en=row.name_en)


class ItemOut(ApiModel):
    framework: str
    version: str
    code: str = Field(examples=["DS100"])
    kind: str
    parent: str | None
    name_th: str
    name_en: str | None
    description_th: str | None
    attrs: dict[str, Any]
    source: str | None
    aliases: list[Citation]
    examples: list[Citation]
    resolutions: list[Resolution]

    @classmethod
    def fields_of(cls, selected: SelectedVersion, row: FrameworkItem) -> dict[str, Any]:
        return {
            "framework": selected.framework.key,
            "version": selected.version.label,
            "code": row.code,
            "kind": row.kind,
            "parent": row.parent_code,
            "name_th": row.name_th,
            "name_en": row.name_en,
            "description_th": row.description_th,
            "attrs": row.attrs,
            "source": row.source,
            "aliases": row.aliases,
            "examples": row.examples,
            "resolutions": row.resolutions,
        }

    @classmethod
    def of(cls, selected: SelectedVersion, row: FrameworkItem) -> ItemOut:
        return cls(**cls.fields_of(selected, row))


class ElementOut(ItemOut):
    criteria: list[ItemOut]


class UnitOut(ItemOut):
    parent_item: ItemRef | None = Field(description="the domain (or key function)")
    elements: list[ElementOut]


class LinkOut(ApiModel):
    direction: str = Field(description="outgoing: this item -> other; incoming: other -> this")
    relation: str = Field(description="exactMatchOf or isRelatedTo")
    framework: str
    version: str
    code: str
    note: str
    source: str | None


class RequiredByOut(ApiModel):
    stage: str
    group: str
    origin: str

    @classmethod
    def of(cls, r: RoleProfileRequirement) -> RequiredByOut:
        return cls(stage=r.stage, group=r.staff_group, origin=r.origin)


class ItemDetailOut(ItemOut):
    parent_item: ItemRef | None
    children: list[ItemRef]
    crosswalk: list[LinkOut]
    required_by: list[RequiredByOut] = Field(description="role profiles that require it")


class SearchHitOut(ApiModel):
    code: str
    kind: str
    name_th: str
    name_en: str | None
    parent: str | None
    matched: str = Field(description="code, name, alias, text (description, example) or similar")
    similarity: float


class SearchOut(Page[SearchHitOut]):
    """The best hits, best first (`limit` of them: `next_cursor` is always null)."""

    framework: str
    version: str
    q: str


class RequirementOut(ApiModel):
    code: str
    name_th: str
    name_en: str | None
    origin: str = Field(description="printed, foundational (footnotes 2-3) or inherited")
    source: str | None
    printed_code: str | None = Field(description="the code printed, when it was resolved")
    inherited_from: str | None = Field(description="stage/group whose list it comes from")
    note: str | None

    @classmethod
    def of(cls, r: RoleProfileRequirement, item: FrameworkItem) -> RequirementOut:
        inherited = f"{r.inherited_stage}/{r.inherited_group}" if r.inherited_stage else None
        return cls(
            code=r.code,
            name_th=item.name_th,
            name_en=item.name_en,
            origin=r.origin,
            source=r.source,
            printed_code=r.printed_code,
            inherited_from=inherited,
            note=r.note,
        )


class ResolvedLists(ApiModel):
    unit: list[RequirementOut]
    knowledge: list[RequirementOut]
    experience: list[RequirementOut]
    attribute: list[RequirementOut]
    competency: list[RequirementOut]


class RoleProfileOut(ApiModel):
    framework: str
    version: str
    stage: str
    group: str
    role_title_th: str
    role_title_en: str | None
    description_th: str | None
    source: str | None
    description_source: str | None
    title_aliases: list[Citation]
    printed: dict[str, Any] = Field(description="the lists exactly as printed, with printed codes")
    foundational: dict[str, Any]
    inherits: list[dict[str, Any]]
    resolutions: list[Resolution]
    resolved: ResolvedLists = Field(description="what the profile requires")


class MatrixRowOut(ApiModel):
    code: str
    name_th: str
    name_en: str | None
    parent: str | None
    groups: list[str]
    cells: dict[str, bool]


class MatrixOut(ApiModel):
    framework: str
    version: str
    stage: str
    component: str
    groups: list[str]
    rows: list[MatrixRowOut]


class StageStepOut(ApiModel):
    from_stage: str
    to_stage: str
    added: dict[str, list[ItemRef]]
    removed: dict[str, list[ItemRef]]
    kept: dict[str, int] = Field(description="how many items stay, per component")


class ProgressionOut(ApiModel):
    framework: str
    version: str
    group: str
    steps: list[StageStepOut]


class ChangeOut(ApiModel):
    key: str
    fields: list[str]
    before: dict[str, Any]
    after: dict[str, Any]


class SectionOut(ApiModel):
    added: list[str]
    removed: list[str]
    changed: list[ChangeOut]


class DiffOut(ApiModel):
    framework: str
    from_version: str
    to_version: str
    framework_fields: list[str] = Field(description="members of the framework record that differ")
    items: SectionOut
    role_profiles: SectionOut
    crosswalk_links: SectionOut
    counts: dict[str, int]


class ImportOut(ApiModel):
    status: str = Field(description="created, unchanged (identical content) or republished")
    framework: str
    version: str
    version_status: str
    previous: str | None = Field(description="the version current before the import")
    changes: dict[str, int] | None


class NewVersionIn(ApiModel):
    based_on: str | None = Field(default=None, description="version to copy (default: current)")
    version: str | None = Field(default=None, description="label of the new draft")


class FrameworkPage(Page[FrameworkOut]):
    """The frameworks."""


class ItemPage(Page[ItemOut]):
    """A framework's units."""


class RoleProfilePage(Page[RoleProfileOut]):
    """A framework's role profiles."""


class NativeDocument(BaseModel):
    """The native framework document, as ``GET .../export`` gives it (read by
    ``app.domain.framework.native.parse_document``; this model only documents it)."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["thaksa-framework/1"]
    framework: FrameworkMeta
    items: list[Item]
    role_profiles: list[RoleProfile] = []
    crosswalks: list[Crosswalk] = []


# A CASE 1.1 CFPackage: its documents and items are checked item by item on import.
CASE_PACKAGE: dict[str, Any] = {
    "title": "CFPackage",
    "type": "object",
    "required": ["CFDocument"],
    "properties": {
        "CFDocument": {"type": "object"},
        "CFItems": {"type": "array", "items": {"type": "object"}},
        "CFAssociations": {"type": "array", "items": {"type": "object"}},
    },
}
IMPORT_DOCUMENT: dict[str, Any] = {"anyOf": [inline_schema(NativeDocument), CASE_PACKAGE]}

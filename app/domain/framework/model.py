"""The content of a competency framework version, as the seed files and the native format hold it.

A framework (``ocsc``, ``tpqi-it-exec``) has versions; a version holds items of several kinds
(domain, unit, element, criterion, knowledge, ...), role profiles (OCSC only) and crosswalk links
to units of other frameworks. Identity is always framework + version + code: codes collide across
frameworks (OCSC DL100 is not TPQI DL100).

Every text and every correction cites the seed line it comes from (``"001:123"``), so a reviewer
can audit it; see ``seed/FORMAT.md``.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.domain.roles import MaturityStage
from app.domain.roles import StaffGroup as StaffGroup


class ItemKind(StrEnum):
    DIMENSION = "dimension"
    DOMAIN = "domain"
    UNIT = "unit"
    ELEMENT = "element"
    CRITERION = "criterion"
    KNOWLEDGE = "knowledge"
    EXPERIENCE = "experience"
    ATTRIBUTE = "attribute"
    COMPETENCY = "competency"
    KEY_ROLE = "key_role"
    KEY_FUNCTION = "key_function"


# The kinds an item's parent may have (None: the item may sit at the top).
PARENT_KINDS: dict[ItemKind, frozenset[ItemKind | None]] = {
    ItemKind.DIMENSION: frozenset({None}),
    ItemKind.DOMAIN: frozenset({None}),
    # OCSC units sit under a domain (001:16-97); TPQI units under a key function (000:156-168).
    ItemKind.UNIT: frozenset({ItemKind.DOMAIN, ItemKind.KEY_FUNCTION, None}),
    ItemKind.ELEMENT: frozenset({ItemKind.UNIT}),
    ItemKind.CRITERION: frozenset({ItemKind.ELEMENT}),
    ItemKind.KNOWLEDGE: frozenset({None}),
    ItemKind.EXPERIENCE: frozenset({None}),
    ItemKind.ATTRIBUTE: frozenset({None}),
    ItemKind.COMPETENCY: frozenset({None}),
    ItemKind.KEY_ROLE: frozenset({None}),
    ItemKind.KEY_FUNCTION: frozenset({ItemKind.KEY_ROLE}),
}


# The role matrix's axes are shared with agencies and people (app/domain/roles.py).
Stage = MaturityStage


class Component(StrEnum):
    """What a role profile requires: one list per component, each of one item kind."""

    UNIT = "unit"
    KNOWLEDGE = "knowledge"
    EXPERIENCE = "experience"
    ATTRIBUTE = "attribute"
    COMPETENCY = "competency"

    @property
    def item_kind(self) -> ItemKind:
        return ItemKind(self.value)


class VersionStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    RETIRED = "retired"


class Relation(StrEnum):
    """Crosswalk relations, named as CASE association types."""

    EXACT_MATCH = "exactMatchOf"
    RELATED = "isRelatedTo"


class _Data(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Citation(_Data):
    """A wording (alias) or a footnote example, with where it is printed."""

    text: str = Field(min_length=1)
    source: str | None
    note: str | None = None


class Resolution(_Data):
    """One transcription defect resolved: what was printed, what it means, why, where."""

    defect: str = Field(min_length=1)
    printed: str
    resolved: str
    note: str
    source: str | None


class Item(_Data):
    code: str = Field(min_length=1, max_length=64)
    kind: str  # an ItemKind; checked by validation so that an unknown one is reported by name
    parent: str | None
    name_th: str = Field(min_length=1)
    name_en: str | None
    description_th: str | None
    attrs: dict[str, Any]
    source: str | None
    aliases: tuple[Citation, ...] = ()
    examples: tuple[Citation, ...] = ()
    resolutions: tuple[Resolution, ...] = ()

    @property
    def item_kind(self) -> ItemKind | None:
        try:
            return ItemKind(self.kind)
        except ValueError:
            return None


class PrintedUnit(_Data):
    code: str | None  # resolved code (matched by name); None when no unit matches
    printed_code: str
    printed_text: str
    source: str | None


class PrintedEntry(_Data):
    code: str | None
    printed_text: str
    source: str | None


class Printed(_Data):
    """A profile's lists exactly as printed, in printed order."""

    unit: tuple[PrintedUnit, ...] = ()
    knowledge: tuple[PrintedEntry, ...] = ()
    experience: tuple[PrintedEntry, ...] = ()
    attribute: tuple[PrintedEntry, ...] = ()
    competency: tuple[PrintedEntry, ...] = ()

    def codes(self, component: Component) -> list[str]:
        entries: tuple[PrintedUnit | PrintedEntry, ...] = getattr(self, component.value)
        return [e.code for e in entries if e.code is not None]


class Heading(_Data):
    printed_text: str
    source: str | None


class Foundational(_Data):
    """The footnote headings through which a profile points at the foundational lists."""

    knowledge: Heading | None = None
    experience: Heading | None = None


class Inheritance(_Data):
    """A printed reference to an earlier-stage profile's knowledge or experience (001:621)."""

    component: str
    stage: str
    group: str
    printed_text: str
    source: str | None


class RoleProfile(_Data):
    stage: str
    group: str
    role_title_th: str = Field(min_length=1)
    role_title_en: str | None
    description_th: str | None
    source: str | None
    description_source: str | None
    title_aliases: tuple[Citation, ...] = ()
    printed: Printed = Printed()
    foundational: Foundational = Foundational()
    inherits: tuple[Inheritance, ...] = ()
    resolutions: tuple[Resolution, ...] = ()

    @property
    def key(self) -> tuple[str, str]:
        return (self.stage, self.group)


class ComponentDefinition(_Data):
    code: str
    name_th: str
    name_en: str | None
    description_th: str | None = None
    source: str | None


class Note(_Data):
    text: str
    source: str | None


KEY_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"
LABEL_PATTERN = r"^[0-9A-Za-z][0-9A-Za-z.+-]{0,39}$"


def valid_label(label: str) -> bool:
    return re.fullmatch(LABEL_PATTERN, label) is not None


class FrameworkMeta(_Data):
    key: str = Field(pattern=KEY_PATTERN)
    version: str = Field(pattern=LABEL_PATTERN)
    title_th: str = Field(min_length=1)
    title_en: str | None
    publisher: str | None
    issued: str | None
    source: str | None
    components: tuple[ComponentDefinition, ...] = ()
    notes: tuple[Note, ...] = ()


class FrameworkRef(_Data):
    key: str
    version: str


class CrosswalkLink(_Data):
    from_code: str
    to_code: str
    relation: str  # a Relation; checked by validation
    note: str
    source: str | None


class Crosswalk(_Data):
    """Links from units of this version to units of one version of another framework."""

    to: FrameworkRef
    links: tuple[CrosswalkLink, ...] = ()


class FrameworkContent(_Data):
    """Everything one framework version holds."""

    meta: FrameworkMeta
    items: tuple[Item, ...] = ()
    role_profiles: tuple[RoleProfile, ...] = ()
    crosswalks: tuple[Crosswalk, ...] = ()

    def item(self, code: str) -> Item | None:
        for it in self.items:
            if it.code == code:
                return it
        return None

    def of_kind(self, kind: ItemKind) -> list[Item]:
        return [it for it in self.items if it.kind == kind.value]

    def with_version(self, version: str) -> FrameworkContent:
        return self.model_copy(update={"meta": self.meta.model_copy(update={"version": version})})

"""Role profiles resolved: what each of the 18 profiles really requires.

The printed profiles are incomplete on purpose: they point at the foundational knowledge and
experience through footnote headings (001:1300, 001:1308; RULES A8), and later stages refer to the
earlier stage's knowledge and experience instead of repeating it (001:621; RULES A13). Unit codes
misprinted on the page are resolved by name in the data (``printed.unit[].code``), keeping the
printed code. The resolved profile is: foundational items, then the profile's own printed items,
then what it inherits, each code once, each entry saying where it comes from.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from app.domain.framework.model import (
    Component,
    Item,
    PrintedEntry,
    PrintedUnit,
    RoleProfile,
)

ProfileKey = tuple[str, str]


class Origin(StrEnum):
    FOUNDATIONAL = "foundational"  # added to every profile (footnotes 2 and 3)
    PRINTED = "printed"  # printed in the profile itself
    INHERITED = "inherited"  # printed in an earlier-stage profile the profile refers to


@dataclass(frozen=True, slots=True)
class Requirement:
    component: Component
    code: str
    origin: Origin
    source: str | None  # the seed line that puts the code in this profile
    printed_code: str | None = None  # set when the page printed another code
    inherited_from: ProfileKey | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class ResolvedProfile:
    stage: str
    group: str
    requirements: tuple[Requirement, ...]

    @property
    def key(self) -> ProfileKey:
        return (self.stage, self.group)

    def codes(self, component: Component) -> list[str]:
        return [r.code for r in self.requirements if r.component is component]

    def of(self, component: Component) -> list[Requirement]:
        return [r for r in self.requirements if r.component is component]


FOUNDATIONAL_NOTE = {
    Component.KNOWLEDGE: "foundational knowledge applies to every profile"
    " (001:122; footnote 2 at 001:1300)",
    Component.EXPERIENCE: "foundational experience applies to every profile"
    " (001:165; footnote 3 at 001:1308)",
}


def foundational_codes(items: Iterable[Item], component: Component) -> list[str]:
    return [
        it.code
        for it in items
        if it.kind == component.item_kind.value and it.attrs.get("group") == "foundational"
    ]


def resolve_profiles(
    items: Sequence[Item], profiles: Sequence[RoleProfile]
) -> dict[ProfileKey, ResolvedProfile]:
    """Resolve every profile of a version (profiles refer to each other, so all at once)."""
    by_key = {p.key: p for p in profiles}
    foundational = {
        c: foundational_codes(items, c) for c in (Component.KNOWLEDGE, Component.EXPERIENCE)
    }
    done: dict[ProfileKey, ResolvedProfile] = {}

    def resolve(key: ProfileKey, visiting: frozenset[ProfileKey]) -> ResolvedProfile:
        if key in done:
            return done[key]
        profile = by_key[key]
        result: list[Requirement] = []
        seen: set[tuple[Component, str]] = set()

        def add(req: Requirement) -> None:
            if (req.component, req.code) not in seen:
                seen.add((req.component, req.code))
                result.append(req)

        for component in Component:
            heading = getattr(profile.foundational, component.value, None)
            for code in foundational.get(component, []):
                add(
                    Requirement(
                        component,
                        code,
                        Origin.FOUNDATIONAL,
                        heading.source if heading is not None else None,
                        note=FOUNDATIONAL_NOTE[component],
                    )
                )
            for entry in getattr(profile.printed, component.value):
                if entry.code is not None:
                    add(_printed(component, entry, profile))
            for ref in profile.inherits:
                earlier = (ref.stage, ref.group)
                if ref.component != component.value or earlier not in by_key or earlier in visiting:
                    continue
                for req in resolve(earlier, visiting | {key}).of(component):
                    if req.origin is Origin.FOUNDATIONAL:
                        continue
                    add(
                        Requirement(
                            component,
                            req.code,
                            Origin.INHERITED,
                            req.source,
                            printed_code=req.printed_code,
                            inherited_from=req.inherited_from or earlier,
                            note=f"inherited from {earlier[0]}/{earlier[1]}"
                            f" by the reference at {ref.source}",
                        )
                    )
        resolved = ResolvedProfile(profile.stage, profile.group, tuple(result))
        done[key] = resolved
        return resolved

    for key in by_key:
        resolve(key, frozenset())
    return {p.key: done[p.key] for p in profiles}


def _printed(
    component: Component, entry: PrintedUnit | PrintedEntry, profile: RoleProfile
) -> Requirement:
    assert entry.code is not None
    printed_code = entry.printed_code if isinstance(entry, PrintedUnit) else None
    if printed_code is None or printed_code == entry.code:
        return Requirement(component, entry.code, Origin.PRINTED, entry.source)
    note = next(
        (
            r.note
            for r in profile.resolutions
            if r.source == entry.source and r.resolved == entry.code
        ),
        f"printed {printed_code}; resolved to {entry.code} by its name",
    )
    return Requirement(
        component, entry.code, Origin.PRINTED, entry.source, printed_code=printed_code, note=note
    )

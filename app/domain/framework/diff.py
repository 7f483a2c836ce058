"""What changed between two versions of a framework: items, role profiles, crosswalk links."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from app.domain.framework.model import FrameworkContent
from app.domain.framework.native import dump_crosswalk, dump_item, dump_meta, dump_profile

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Change:
    key: str
    fields: tuple[str, ...]  # the members whose value differs
    before: dict[str, Any]
    after: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Section:
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[Change, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


@dataclass(frozen=True, slots=True)
class VersionDiff:
    framework: tuple[str, ...]  # members of framework.json that differ (version label aside)
    items: Section
    role_profiles: Section
    crosswalk_links: Section
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.framework and all(
            s.empty for s in (self.items, self.role_profiles, self.crosswalk_links)
        )


def _section(
    before: Iterable[T],
    after: Iterable[T],
    key: Callable[[T], str],
    dump: Callable[[T], dict[str, Any]],
) -> Section:
    old = {key(x): dump(x) for x in before}
    new = {key(x): dump(x) for x in after}
    changed = []
    for k in new:
        if k in old and old[k] != new[k]:
            fields = tuple(f for f in new[k] if old[k].get(f) != new[k].get(f))
            changed.append(
                Change(
                    k, fields, {f: old[k].get(f) for f in fields}, {f: new[k][f] for f in fields}
                )
            )
    return Section(
        added=tuple(k for k in new if k not in old),
        removed=tuple(k for k in old if k not in new),
        changed=tuple(changed),
    )


def _links(content: FrameworkContent) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for crosswalk in content.crosswalks:
        target = f"{crosswalk.to.key}@{crosswalk.to.version}"
        for link in dump_crosswalk(crosswalk)["links"]:
            out.append((f"{link['from_code']} -> {target}:{link['to_code']}", link))
    return out


def diff_versions(before: FrameworkContent, after: FrameworkContent) -> VersionDiff:
    old_meta, new_meta = dump_meta(before.meta), dump_meta(after.meta)
    meta_fields = tuple(f for f in new_meta if f != "version" and old_meta.get(f) != new_meta[f])
    items = _section(before.items, after.items, lambda i: i.code, dump_item)
    profiles = _section(
        before.role_profiles, after.role_profiles, lambda p: f"{p.stage}/{p.group}", dump_profile
    )
    links = _section(_links(before), _links(after), lambda x: x[0], lambda x: x[1])
    return VersionDiff(meta_fields, items, profiles, links, counts=_counts(items, profiles, links))


def _counts(*sections: Section) -> dict[str, int]:
    names = ("items", "role_profiles", "crosswalk_links")
    out: dict[str, int] = {}
    for name, s in zip(names, sections, strict=True):
        out[f"{name}_added"] = len(s.added)
        out[f"{name}_removed"] = len(s.removed)
        out[f"{name}_changed"] = len(s.changed)
    return out

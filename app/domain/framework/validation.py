"""Whole-version checks run before anything is imported: every problem is reported at once.

Rule ids (``rule`` of each FieldError): ``duplicate-code``, ``duplicate-profile``,
``duplicate-link``, ``unknown-type``, ``dangling-reference``, ``hierarchy-cycle``, ``parent-kind``,
``inheritance-order``, ``wrong-kind``. Pointers are JSON pointers into the native document.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.domain.errors import FieldError
from app.domain.framework.model import (
    PARENT_KINDS,
    Component,
    FrameworkContent,
    Item,
    ItemKind,
    Relation,
    RoleProfile,
    StaffGroup,
    Stage,
)
from app.domain.framework.native import Parsed, parse_document

KINDS = ", ".join(k.value for k in ItemKind)


def validate_content(content: FrameworkContent) -> list[FieldError]:
    """Every structural problem of one version (not the references to other frameworks, which
    need the database: see the services)."""
    errors: list[FieldError] = []
    by_code = _check_codes(content.items, errors)
    _check_parents(content.items, by_code, errors)
    _check_cycles(content.items, by_code, errors)
    _check_dimensions(content.items, by_code, errors)
    _check_profiles(content.role_profiles, by_code, errors)
    _check_crosswalks(content, by_code, errors)
    return errors


def _check_codes(items: Iterable[Item], errors: list[FieldError]) -> dict[str, Item]:
    by_code: dict[str, Item] = {}
    first: dict[str, int] = {}
    for i, item in enumerate(items):
        if item.item_kind is None:
            errors.append(
                FieldError(
                    f"/items/{i}/kind",
                    "unknown-type",
                    f"{item.code}: unknown kind {item.kind!r}; known: {KINDS}",
                )
            )
        if item.code in first:
            errors.append(
                FieldError(
                    f"/items/{i}/code",
                    "duplicate-code",
                    f"code {item.code!r} is already used by /items/{first[item.code]}",
                )
            )
            continue
        first[item.code] = i
        by_code[item.code] = item
    return by_code


def _check_parents(
    items: Iterable[Item], by_code: dict[str, Item], errors: list[FieldError]
) -> None:
    for i, item in enumerate(items):
        kind = item.item_kind
        if item.parent is None:
            if kind is not None and None not in PARENT_KINDS[kind]:
                errors.append(
                    FieldError(
                        f"/items/{i}/parent", "parent-kind", f"{item.code}: a {kind} needs a parent"
                    )
                )
            continue
        parent = by_code.get(item.parent)
        if parent is None:
            errors.append(
                FieldError(
                    f"/items/{i}/parent",
                    "dangling-reference",
                    f"{item.code}: parent {item.parent!r} is not an item of this version",
                )
            )
        elif (
            kind is not None
            and parent.item_kind is not None
            and parent.item_kind not in PARENT_KINDS[kind]
        ):
            allowed = sorted(k.value for k in PARENT_KINDS[kind] if k is not None) or ["none"]
            errors.append(
                FieldError(
                    f"/items/{i}/parent",
                    "parent-kind",
                    f"{item.code}: a {kind} cannot sit under the {parent.kind} {parent.code}"
                    f" (allowed: {', '.join(allowed)})",
                )
            )


def _check_cycles(
    items: Iterable[Item], by_code: dict[str, Item], errors: list[FieldError]
) -> None:
    index = {item.code: i for i, item in reversed(list(enumerate(items)))}
    reported: set[str] = set()
    for item in by_code.values():
        path: list[str] = []
        seen: set[str] = set()
        code: str | None = item.code
        while code is not None and code in by_code and code not in seen:
            seen.add(code)
            path.append(code)
            code = by_code[code].parent
        if code is None or code not in seen:
            continue
        cycle = path[path.index(code) :]
        if reported.intersection(cycle):
            continue
        reported.update(cycle)
        start = min(cycle, key=lambda c: index[c])
        errors.append(
            FieldError(
                f"/items/{index[start]}/parent",
                "hierarchy-cycle",
                "the parents form a cycle: " + " -> ".join([*cycle, cycle[0]]),
                {"codes": cycle},
            )
        )


def _check_dimensions(
    items: Iterable[Item], by_code: dict[str, Item], errors: list[FieldError]
) -> None:
    for i, item in enumerate(items):
        if item.kind != ItemKind.DIMENSION:
            continue
        domains = item.attrs.get("domains", [])
        if not isinstance(domains, list):
            errors.append(
                FieldError(f"/items/{i}/attrs/domains", "list_type", "a list of domain codes")
            )
            continue
        for j, code in enumerate(domains):
            target = by_code.get(code) if isinstance(code, str) else None
            if target is None or target.kind != ItemKind.DOMAIN:
                errors.append(
                    FieldError(
                        f"/items/{i}/attrs/domains/{j}",
                        "dangling-reference",
                        f"{item.code}: {code!r} is not a domain of this version",
                    )
                )


def _check_profiles(
    profiles: Iterable[RoleProfile], by_code: dict[str, Item], errors: list[FieldError]
) -> None:
    profiles = list(profiles)
    keys: dict[tuple[str, str], int] = {}
    for p, profile in enumerate(profiles):
        at = f"/role_profiles/{p}"
        stage_ok = _known(profile.stage, Stage, f"{at}/stage", "stage", errors)
        group_ok = _known(profile.group, StaffGroup, f"{at}/group", "staff group", errors)
        if profile.key in keys:
            errors.append(
                FieldError(
                    f"{at}/stage",
                    "duplicate-profile",
                    f"{profile.stage}/{profile.group} is already"
                    f" /role_profiles/{keys[profile.key]}",
                )
            )
        keys.setdefault(profile.key, p)
        for component in Component:
            entries = getattr(profile.printed, component.value)
            for e, entry in enumerate(entries):
                if entry.code is None:
                    continue
                target = by_code.get(entry.code)
                where = f"{at}/printed/{component.value}/{e}/code"
                if target is None:
                    errors.append(
                        FieldError(
                            where,
                            "dangling-reference",
                            f"{entry.code!r} is not an item of this version",
                        )
                    )
                elif target.kind != component.item_kind:
                    errors.append(
                        FieldError(
                            where,
                            "wrong-kind",
                            f"{entry.code} is a {target.kind}, listed as {component.value}",
                        )
                    )
        for n, ref in enumerate(profile.inherits):
            where = f"{at}/inherits/{n}"
            if ref.component not in (Component.KNOWLEDGE, Component.EXPERIENCE):
                errors.append(
                    FieldError(
                        f"{where}/component",
                        "unknown-type",
                        f"only knowledge and experience are inherited, not {ref.component!r}",
                    )
                )
            if (ref.stage, ref.group) not in {q.key for q in profiles}:
                errors.append(
                    FieldError(
                        where,
                        "dangling-reference",
                        f"no profile {ref.stage}/{ref.group} in this version",
                    )
                )
            elif (
                stage_ok
                and group_ok
                and (
                    Stage(ref.stage).rank >= Stage(profile.stage).rank or ref.group != profile.group
                )
            ):
                errors.append(
                    FieldError(
                        where,
                        "inheritance-order",
                        "a profile inherits only from an earlier stage of its own group",
                    )
                )


def _known(
    value: str,
    enum: type[Stage] | type[StaffGroup],
    where: str,
    what: str,
    errors: list[FieldError],
) -> bool:
    if value in {m.value for m in enum}:
        return True
    known = ", ".join(m.value for m in enum)
    errors.append(FieldError(where, "unknown-type", f"unknown {what} {value!r}; known: {known}"))
    return False


def _check_crosswalks(
    content: FrameworkContent, by_code: dict[str, Item], errors: list[FieldError]
) -> None:
    targets: dict[tuple[str, str], int] = {}
    for c, crosswalk in enumerate(content.crosswalks):
        at = f"/crosswalks/{c}"
        target = (crosswalk.to.key, crosswalk.to.version)
        if target in targets:
            errors.append(
                FieldError(
                    f"{at}/to",
                    "duplicate-link",
                    f"/crosswalks/{targets[target]} has the same target",
                )
            )
        targets.setdefault(target, c)
        seen: dict[tuple[str, str], int] = {}
        for n, link in enumerate(crosswalk.links):
            where = f"{at}/links/{n}"
            if link.relation not in {r.value for r in Relation}:
                errors.append(
                    FieldError(
                        f"{where}/relation",
                        "unknown-type",
                        f"unknown relation {link.relation!r}; known: exactMatchOf, isRelatedTo",
                    )
                )
            if link.from_code not in by_code:
                errors.append(
                    FieldError(
                        f"{where}/from_code",
                        "dangling-reference",
                        f"{link.from_code!r} is not an item of this version",
                    )
                )
            pair = (link.from_code, link.to_code)
            if pair in seen:
                errors.append(
                    FieldError(where, "duplicate-link", f"same link as {at}/links/{seen[pair]}")
                )
            seen.setdefault(pair, n)


def read_document(document: object) -> Parsed:
    """A native document read and checked: its content and every problem found."""
    parsed = parse_document(document)
    parsed.errors.extend(validate_content(parsed.content))
    return parsed

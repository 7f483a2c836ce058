"""The native JSON format: one document per framework version, round-tripping exactly.

```json
{"format": "thaksa-framework/1",
 "framework": {... seed/<key>/framework.json ...},
 "items": [... seed/<key>/items.json ...],
 "role_profiles": [... seed/ocsc/role_profiles.json ...],
 "crosswalks": [{"to": {"key": "ocsc", "version": "2561"}, "links": [...]}]}
```

Each part keeps the key order of ``seed/FORMAT.md``, so ``dump(parse(d)) == d`` for a document in
canonical form (optional ``note`` keys present only when set).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from app.domain.errors import FieldError
from app.domain.framework.model import (
    Citation,
    ComponentDefinition,
    Crosswalk,
    FrameworkContent,
    FrameworkMeta,
    Item,
    Printed,
    Resolution,
    RoleProfile,
)

FORMAT = "thaksa-framework/1"
M = TypeVar("M", bound=BaseModel)


@dataclass
class Parsed:
    """What could be read, and every problem met on the way (pointers into the document)."""

    content: FrameworkContent
    errors: list[FieldError] = field(default_factory=list)
    meta_ok: bool = True


def pointer(*parts: object) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def shape_errors(exc: ValidationError, *prefix: object) -> list[FieldError]:
    return [
        FieldError(pointer(*prefix, *err["loc"]), err["type"], err["msg"]) for err in exc.errors()
    ]


def _parse_one(model: type[M], value: Any, errors: list[FieldError], *where: object) -> M | None:
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        errors.extend(shape_errors(exc, *where))
        return None


def _parse_list(
    model: type[M], value: Any, errors: list[FieldError], name: str, *, required: bool
) -> list[M]:
    if value is None and not required:
        return []
    if not isinstance(value, list):
        errors.append(FieldError(pointer(name), "list_type", f"{name} must be a list"))
        return []
    parsed = [_parse_one(model, v, errors, name, i) for i, v in enumerate(value)]
    return [p for p in parsed if p is not None]


PLACEHOLDER_META = FrameworkMeta(
    key="invalid",
    version="0",
    title_th="-",
    title_en=None,
    publisher=None,
    issued=None,
    source=None,
)


def parse_document(document: Any) -> Parsed:
    """Read a native document; never raises. Parts that fail to parse are left out of
    ``content`` (so that the semantic checks can still run on the rest) and reported."""
    errors: list[FieldError] = []
    if not isinstance(document, Mapping):
        errors.append(FieldError("", "type", "the document must be a JSON object"))
        return Parsed(PLACEHOLDER_META_CONTENT, errors, meta_ok=False)
    if document.get("format") != FORMAT:
        errors.append(
            FieldError(
                "/format", "format", f"expected format {FORMAT!r}, got {document.get('format')!r}"
            )
        )
    unknown = sorted(
        set(document) - {"format", "framework", "items", "role_profiles", "crosswalks"}
    )
    errors.extend(FieldError(pointer(k), "extra_forbidden", "unknown member") for k in unknown)
    meta = _parse_one(FrameworkMeta, document.get("framework"), errors, "framework")
    items = _parse_list(Item, document.get("items"), errors, "items", required=True)
    profiles = _parse_list(
        RoleProfile, document.get("role_profiles"), errors, "role_profiles", required=False
    )
    crosswalks = _parse_list(
        Crosswalk, document.get("crosswalks"), errors, "crosswalks", required=False
    )
    content = FrameworkContent(
        meta=meta or PLACEHOLDER_META,
        items=tuple(items),
        role_profiles=tuple(profiles),
        crosswalks=tuple(crosswalks),
    )
    return Parsed(content, errors, meta_ok=meta is not None)


PLACEHOLDER_META_CONTENT = FrameworkContent(meta=PLACEHOLDER_META)


def dump_citation(c: Citation) -> dict[str, Any]:
    out: dict[str, Any] = {"text": c.text, "source": c.source}
    if c.note is not None:
        out["note"] = c.note
    return out


def _resolution(r: Resolution) -> dict[str, Any]:
    return {
        "defect": r.defect,
        "printed": r.printed,
        "resolved": r.resolved,
        "note": r.note,
        "source": r.source,
    }


def _component(c: ComponentDefinition) -> dict[str, Any]:
    out: dict[str, Any] = {"code": c.code, "name_th": c.name_th, "name_en": c.name_en}
    if c.description_th is not None:
        out["description_th"] = c.description_th
    out["source"] = c.source
    return out


def dump_meta(meta: FrameworkMeta) -> dict[str, Any]:
    return {
        "key": meta.key,
        "version": meta.version,
        "title_th": meta.title_th,
        "title_en": meta.title_en,
        "publisher": meta.publisher,
        "issued": meta.issued,
        "source": meta.source,
        "components": [_component(c) for c in meta.components],
        "notes": [{"text": n.text, "source": n.source} for n in meta.notes],
    }


def dump_item(item: Item) -> dict[str, Any]:
    return {
        "code": item.code,
        "kind": item.kind,
        "parent": item.parent,
        "name_th": item.name_th,
        "name_en": item.name_en,
        "description_th": item.description_th,
        "attrs": item.attrs,
        "source": item.source,
        "aliases": [dump_citation(a) for a in item.aliases],
        "examples": [dump_citation(e) for e in item.examples],
        "resolutions": [_resolution(r) for r in item.resolutions],
    }


def dump_printed(printed: Printed) -> dict[str, Any]:
    return {
        "unit": [e.model_dump() for e in printed.unit],
        "knowledge": [e.model_dump() for e in printed.knowledge],
        "experience": [e.model_dump() for e in printed.experience],
        "attribute": [e.model_dump() for e in printed.attribute],
        "competency": [e.model_dump() for e in printed.competency],
    }


def dump_profile(profile: RoleProfile) -> dict[str, Any]:
    foundational = {
        name: heading.model_dump()
        for name, heading in (
            ("knowledge", profile.foundational.knowledge),
            ("experience", profile.foundational.experience),
        )
        if heading is not None
    }
    return {
        "stage": profile.stage,
        "group": profile.group,
        "role_title_th": profile.role_title_th,
        "role_title_en": profile.role_title_en,
        "description_th": profile.description_th,
        "source": profile.source,
        "description_source": profile.description_source,
        "title_aliases": [dump_citation(a) for a in profile.title_aliases],
        "printed": dump_printed(profile.printed),
        "foundational": foundational,
        "inherits": [i.model_dump() for i in profile.inherits],
        "resolutions": [_resolution(r) for r in profile.resolutions],
    }


def dump_crosswalk(crosswalk: Crosswalk) -> dict[str, Any]:
    return {
        "to": crosswalk.to.model_dump(),
        "links": [link.model_dump() for link in crosswalk.links],
    }


def dump_document(content: FrameworkContent) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "framework": dump_meta(content.meta),
        "items": [dump_item(i) for i in content.items],
        "role_profiles": [dump_profile(p) for p in content.role_profiles],
        "crosswalks": [dump_crosswalk(c) for c in content.crosswalks],
    }


def content_hash(content: FrameworkContent) -> str:
    """A digest of the content, the version label aside: two versions with the same digest hold
    the same framework."""
    document = dump_document(content)
    document["framework"].pop("version")
    canonical = json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def seed_document(
    framework: Mapping[str, Any],
    items: Sequence[Any],
    role_profiles: Sequence[Any] = (),
    crosswalks: Sequence[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """The native document for the files of one seed folder (``seed/<key>/``) and the crosswalk
    files whose ``from`` is this framework (their ``from`` member is implied and dropped)."""
    return {
        "format": FORMAT,
        "framework": dict(framework),
        "items": list(items),
        "role_profiles": list(role_profiles),
        "crosswalks": [{"to": c.get("to"), "links": c.get("links", [])} for c in crosswalks],
    }


def map_errors(errors: Sequence[FieldError], rewrite: Callable[[str], str]) -> list[FieldError]:
    return [FieldError(rewrite(e.pointer), e.rule, e.message, e.extra) for e in errors]

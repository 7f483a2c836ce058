"""Reading a CASE 1.1 CFPackage back into a framework version, reporting every problem at once.

A package exported by Thaksa carries ``extensions.thaksa`` and comes back exactly. A package from
elsewhere is read from the standard fields: ``humanCodingScheme`` is the code, ``CFItemType`` the
kind (by its title, see ``case_export.ITEM_TYPES``), ``fullStatement`` the Thai name,
``alternativeLabel`` the English name, ``notes`` the description, ``isChildOf`` the parent.
Problems are reported with JSON pointers into the package.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from app.domain.errors import FieldError
from app.domain.framework.case_export import (
    CROSSWALK_GROUPING,
    EXT,
    KIND_BY_TYPE,
    PROFILE_TYPE,
    REQUIREMENT_GROUPING,
)
from app.domain.framework.model import (
    Crosswalk,
    FrameworkContent,
    FrameworkMeta,
    Item,
    Relation,
    RoleProfile,
)
from app.domain.framework.native import PLACEHOLDER_META, Parsed, pointer, shape_errors
from app.domain.framework.validation import validate_content

CASE_FIELD = {
    "code": "humanCodingScheme",
    "kind": "CFItemType",
    "name_th": "fullStatement",
    "name_en": "alternativeLabel",
    "description_th": "notes",
}
KNOWN_ASSOCIATIONS = {"isChildOf", *(r.value for r in Relation)}


def _ext(obj: Any) -> dict[str, Any]:
    if isinstance(obj, Mapping):
        ext = obj.get("extensions")
        if isinstance(ext, Mapping) and isinstance(ext.get(EXT), Mapping):
            return dict(ext[EXT])
    return {}


def _node(assoc: Mapping[str, Any], end: str) -> str | None:
    node = assoc.get(end)
    if isinstance(node, Mapping) and isinstance(node.get("identifier"), str):
        return str(node["identifier"])
    return None


@dataclass
class _Reader:
    package: Mapping[str, Any]
    key: str | None
    errors: list[FieldError] = field(default_factory=list)
    item_rows: list[tuple[int, dict[str, Any]]] = field(
        default_factory=list
    )  # (CFItems index, native)
    profile_rows: list[tuple[int, Any]] = field(default_factory=list)
    code_by_id: dict[str, str] = field(default_factory=dict)
    profile_ids: dict[str, int] = field(default_factory=dict)
    parent_of: dict[str, tuple[str | None, int]] = field(
        default_factory=dict
    )  # id -> (parent, assoc)
    crosswalks: dict[tuple[str, str], list[tuple[int, dict[str, Any]]]] = field(
        default_factory=dict
    )

    def fail(self, where: str, rule: str, message: str) -> None:
        self.errors.append(FieldError(where, rule, message))

    def read(self) -> Parsed:
        document = self.package.get("CFDocument")
        if not isinstance(document, Mapping):
            self.fail("/CFDocument", "missing", "a CFPackage needs a CFDocument")
            document = {}
        meta = self._meta(document)
        items = self.package.get("CFItems", [])
        associations = self.package.get("CFAssociations", [])
        for name, value in (("CFItems", items), ("CFAssociations", associations)):
            if not isinstance(value, list):
                self.fail(f"/{name}", "list_type", f"{name} must be a list")
        self._items(items if isinstance(items, list) else [])
        doc_id = document.get("identifier")
        self._associations(associations if isinstance(associations, list) else [], doc_id)
        return self._content(meta)

    def _meta(self, document: Mapping[str, Any]) -> FrameworkMeta | None:
        given = _ext(document).get("framework")
        where: tuple[object, ...] = ("CFDocument", "extensions", EXT, "framework")
        if isinstance(given, Mapping):
            data = dict(given)
        else:
            where = ("CFDocument",)
            data = {
                "key": self.key,
                "version": document.get("version") or "1",
                "title_th": document.get("title"),
                "title_en": document.get("description"),
                "publisher": document.get("publisher"),
                "issued": None,
                "source": None,
            }
            if self.key is None:
                # a rule across the body and the `key` parameter, not the body's shape
                self.fail(
                    "/CFDocument",
                    "framework-key-required",
                    "the package does not say which framework it is: give the framework key",
                )
                return None
        if self.key is not None:
            data["key"] = self.key
        try:
            return FrameworkMeta.model_validate(data)
        except ValidationError as exc:
            self.errors.extend(shape_errors(exc, *where))
            return None

    def _items(self, cf_items: list[Any]) -> None:
        seen: dict[str, int] = {}
        for j, cf in enumerate(cf_items):
            if not isinstance(cf, Mapping):
                self.fail(f"/CFItems/{j}", "type", "a CFItem must be an object")
                continue
            identifier = cf.get("identifier")
            if not isinstance(identifier, str) or not identifier:
                self.fail(f"/CFItems/{j}/identifier", "missing", "a CFItem needs an identifier")
                continue
            if identifier in seen:
                self.fail(
                    f"/CFItems/{j}/identifier",
                    "duplicate-code",
                    f"identifier {identifier} is already /CFItems/{seen[identifier]}",
                )
                continue
            seen[identifier] = j
            ext = _ext(cf)
            if cf.get("CFItemType") == PROFILE_TYPE:
                self.profile_ids[identifier] = j
                self.profile_rows.append((j, ext.get("role_profile") or self._bare_profile(cf)))
                continue
            code = cf.get("humanCodingScheme")
            if not isinstance(code, str) or not code:
                self.fail(f"/CFItems/{j}/humanCodingScheme", "missing", "an item needs a code")
                continue
            self.code_by_id[identifier] = code
            item_type = cf.get("CFItemType")
            kind = ext.get("kind") or KIND_BY_TYPE.get(str(item_type), str(item_type))
            self.item_rows.append(
                (
                    j,
                    {
                        "code": code,
                        "kind": kind,
                        "parent": None,
                        "name_th": cf.get("fullStatement"),
                        "name_en": cf.get("alternativeLabel"),
                        "description_th": cf.get("notes"),
                        "attrs": ext.get("attrs", {}),
                        "source": ext.get("source"),
                        "aliases": ext.get("aliases", []),
                        "examples": ext.get("examples", []),
                        "resolutions": ext.get("resolutions", []),
                        "_id": identifier,
                    },
                )
            )

    @staticmethod
    def _bare_profile(cf: Mapping[str, Any]) -> dict[str, Any]:
        stage, _, group = str(cf.get("humanCodingScheme", "")).partition("-")
        return {
            "stage": stage,
            "group": group,
            "role_title_th": cf.get("fullStatement"),
            "role_title_en": cf.get("alternativeLabel"),
            "description_th": cf.get("notes"),
            "source": None,
            "description_source": None,
        }

    def _associations(self, associations: list[Any], doc_id: Any) -> None:
        for k, assoc in enumerate(associations):
            at = f"/CFAssociations/{k}"
            if not isinstance(assoc, Mapping):
                self.fail(at, "type", "a CFAssociation must be an object")
                continue
            kind = assoc.get("associationType")
            origin, destination = _node(assoc, "originNodeURI"), _node(assoc, "destinationNodeURI")
            grouping = assoc.get("CFAssociationGroupingURI")
            grouping_title = grouping.get("title") if isinstance(grouping, Mapping) else None
            if kind not in KNOWN_ASSOCIATIONS:
                self.fail(
                    f"{at}/associationType",
                    "unknown-type",
                    f"unsupported association type {kind!r}",
                )
                continue
            known_origin = origin in self.code_by_id or origin in self.profile_ids
            if not known_origin:
                self.fail(
                    f"{at}/originNodeURI",
                    "dangling-reference",
                    f"origin {origin} is not a CFItem of this package",
                )
                continue
            if kind == "isChildOf":
                self._child_of(at, k, origin, destination, doc_id)
            elif grouping_title == REQUIREMENT_GROUPING:
                if destination not in self.code_by_id:
                    self.fail(
                        f"{at}/destinationNodeURI",
                        "dangling-reference",
                        f"requirement {destination} is not a CFItem of this package",
                    )
            elif grouping_title == CROSSWALK_GROUPING or destination not in self.code_by_id:
                self._crosswalk(at, k, assoc, origin)

    def _child_of(
        self, at: str, k: int, origin: str | None, destination: str | None, doc_id: Any
    ) -> None:
        assert origin is not None
        if destination == doc_id:
            parent = None
        elif destination in self.code_by_id:
            parent = self.code_by_id[destination]
        else:
            self.fail(
                f"{at}/destinationNodeURI",
                "dangling-reference",
                f"parent {destination} is neither the CFDocument nor a CFItem of this package",
            )
            return
        if origin in self.parent_of:
            self.fail(
                at,
                "multiple-parents",
                f"{self.code_by_id.get(origin, origin)} already has a parent"
                f" (/CFAssociations/{self.parent_of[origin][1]})",
            )
            return
        self.parent_of[origin] = (parent, k)

    def _crosswalk(self, at: str, k: int, assoc: Mapping[str, Any], origin: str | None) -> None:
        ext = _ext(assoc)
        target = ext.get("target")
        if origin not in self.code_by_id or not isinstance(target, Mapping) or "to_code" not in ext:
            self.fail(
                f"{at}/destinationNodeURI",
                "dangling-reference",
                "the destination is not in this package and the association does not say"
                " which framework version and code it points to",
            )
            return
        assert origin is not None
        link = {
            "from_code": self.code_by_id[origin],
            "to_code": ext["to_code"],
            "relation": assoc.get("associationType"),
            "note": assoc.get("notes", ""),
            "source": ext.get("source"),
        }
        ref = (str(target.get("key")), str(target.get("version")))
        self.crosswalks.setdefault(ref, []).append((k, link))

    def _content(self, meta: FrameworkMeta | None) -> Parsed:
        items: list[Item] = []
        item_at: list[int] = []  # CFItems index of items[i]
        parent_assoc: dict[int, int] = {}
        for j, row in self.item_rows:
            identifier = row.pop("_id")
            parent, k = self.parent_of.get(identifier, (None, -1))
            row["parent"] = parent
            try:
                items.append(Item.model_validate(row))
            except ValidationError as exc:
                for e in shape_errors(exc):
                    first, *rest = e.pointer.strip("/").split("/")
                    where = CASE_FIELD.get(first) or "/".join(["extensions", EXT, first])
                    self.errors.append(
                        FieldError(pointer("CFItems", j, where, *rest), e.rule, e.message)
                    )
                continue
            if k >= 0:
                parent_assoc[len(items) - 1] = k
            item_at.append(j)
        profiles: list[RoleProfile] = []
        profile_at: list[int] = []
        for j, data in self.profile_rows:
            try:
                profiles.append(RoleProfile.model_validate(data))
                profile_at.append(j)
            except ValidationError as exc:
                self.errors.extend(
                    shape_errors(exc, "CFItems", j, "extensions", EXT, "role_profile")
                )
        crosswalks, link_at = [], []
        for (tkey, tversion), rows in self.crosswalks.items():
            try:
                crosswalks.append(
                    Crosswalk.model_validate(
                        {"to": {"key": tkey, "version": tversion}, "links": [r for _, r in rows]}
                    )
                )
                link_at.append([k for k, _ in rows])
            except ValidationError as exc:
                self.errors.extend(shape_errors(exc, "CFAssociations", rows[0][0]))
        content = FrameworkContent(
            meta=meta or PLACEHOLDER_META,
            items=tuple(items),
            role_profiles=tuple(profiles),
            crosswalks=tuple(crosswalks),
        )

        def locate(native: str) -> str:
            parts = native.strip("/").split("/")
            if parts[0] == "items":
                i = int(parts[1])
                rest = parts[2:]
                if rest[:1] == ["parent"] and i in parent_assoc:
                    return pointer("CFAssociations", parent_assoc[i])
                name = CASE_FIELD.get(rest[0]) if rest else None
                tail = [name] if name else ["extensions", EXT, *rest] if rest else []
                return pointer("CFItems", item_at[i], *tail)
            if parts[0] == "role_profiles":
                return pointer(
                    "CFItems",
                    profile_at[int(parts[1])],
                    "extensions",
                    EXT,
                    "role_profile",
                    *parts[2:],
                )
            if parts[0] == "crosswalks":
                c = int(parts[1])
                n = int(parts[3]) if len(parts) > 3 else 0
                return pointer("CFAssociations", link_at[c][n])
            return native

        for e in validate_content(content):
            self.errors.append(FieldError(locate(e.pointer), e.rule, e.message, e.extra))
        return Parsed(content, self.errors, meta_ok=meta is not None)


def read_case_package(package: Any, *, key: str | None = None) -> Parsed:
    """The version a CFPackage describes, with every problem found (structure and content)."""
    if not isinstance(package, Mapping):
        return Parsed(
            FrameworkContent(meta=PLACEHOLDER_META),
            [FieldError("", "type", "a CFPackage must be a JSON object")],
            meta_ok=False,
        )
    return _Reader(package, key).read()

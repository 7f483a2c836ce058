"""1EdTech CASE 1.1 (Competencies and Academic Standards Exchange): a version as a CFPackage.

Mapping:
* the version is a CFDocument; every item and every role profile is a CFItem whose CFItemType
  names its kind (``Domain``, ``Unit``, ``Performance Criterion``, ``Role Profile``, ...);
* the hierarchy is ``isChildOf`` associations (an item to its parent, top-level items and profiles
  to the document);
* a role profile's resolved requirements are ``isRelatedTo`` associations grouped under
  "Role profile requirement";
* crosswalk links are ``exactMatchOf`` / ``isRelatedTo`` associations to items of the other
  framework's document, grouped under "Crosswalk".

Identifiers are UUIDv5 derived from the framework key and the code (items), the key and version
(documents), so they are the same in every export. What CASE has no field for (provenance,
aliases, examples, resolutions, printed profiles) travels in ``extensions.thaksa``, so that an
export imported again reproduces the version exactly.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from app.domain.framework.model import FrameworkContent, ItemKind, RoleProfile, VersionStatus
from app.domain.framework.native import FORMAT, dump_citation, dump_meta, dump_profile
from app.domain.framework.profiles import resolve_profiles

CASE_NAMESPACE = uuid.UUID("6f1f8a52-3c1e-5a8e-9d0b-7468616b7361")  # fixed for ever
CASE_VERSION = "1.1"
EXT = "thaksa"

ITEM_TYPES: dict[str, str] = {
    ItemKind.DIMENSION: "Learning Dimension",
    ItemKind.DOMAIN: "Domain",
    ItemKind.UNIT: "Unit",
    ItemKind.ELEMENT: "Element",
    ItemKind.CRITERION: "Performance Criterion",
    ItemKind.KNOWLEDGE: "Knowledge",
    ItemKind.EXPERIENCE: "Experience",
    ItemKind.ATTRIBUTE: "Attribute",
    ItemKind.COMPETENCY: "Competency",
    ItemKind.KEY_ROLE: "Key Role",
    ItemKind.KEY_FUNCTION: "Key Function",
}
PROFILE_TYPE = "Role Profile"
KIND_BY_TYPE: dict[str, str] = {v: str(k) for k, v in ITEM_TYPES.items()}
REQUIREMENT_GROUPING = "Role profile requirement"
CROSSWALK_GROUPING = "Crosswalk"
ADOPTION_STATUS = {
    VersionStatus.DRAFT: "Draft",
    VersionStatus.PUBLISHED: "Adopted",
    VersionStatus.RETIRED: "Deprecated",
}


def case_timestamp(moment: dt.datetime) -> str:
    """A ``lastChangeDateTime``: RFC 3339 in UTC (``2025-01-01T00:00:00Z``). A time without a
    zone says no instant and is refused."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a CASE timestamp needs a time zone")
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _id(*parts: str) -> str:
    return str(uuid.uuid5(CASE_NAMESPACE, "\x1f".join(parts)))


def document_id(key: str, version: str) -> str:
    return _id("document", key, version)


def item_id(key: str, code: str) -> str:
    return _id("item", key, code)


def profile_code(stage: str, group: str) -> str:
    return f"{stage}-{group}"


def profile_id(key: str, stage: str, group: str) -> str:
    return _id("profile", key, stage, group)


def association_id(key: str, origin: str, kind: str, destination: str) -> str:
    return _id("association", key, origin, kind, destination)


def item_type_id(title: str) -> str:
    return _id("item-type", title)


def grouping_id(title: str) -> str:
    return _id("grouping", title)


class _Links:
    def __init__(self, base_uri: str) -> None:
        self.base = base_uri.rstrip("/") + "/"

    def link(self, collection: str, identifier: str, title: str) -> dict[str, str]:
        return {
            "title": title,
            "identifier": identifier,
            "uri": f"{self.base}{collection}/{identifier}",
        }


def to_case_package(
    content: FrameworkContent, *, status: VersionStatus, changed_at: str, base_uri: str
) -> dict[str, Any]:
    """The whole version as a CFPackage (``base_uri`` ends in ``/ims/case/v1p1/``)."""
    key, version = content.meta.key, content.meta.version
    links = _Links(base_uri)
    doc_id = document_id(key, version)
    doc_link = links.link("CFDocuments", doc_id, content.meta.title_th)
    item_links = {
        it.code: links.link("CFItems", item_id(key, it.code), it.code) for it in content.items
    }
    items: list[dict[str, Any]] = []
    associations: list[dict[str, Any]] = []
    used_types: list[str] = []

    def associate(
        origin: dict[str, str],
        kind: str,
        destination: dict[str, str],
        sequence: int,
        grouping: str | None = None,
        notes: str | None = None,
        ext: dict[str, Any] | None = None,
    ) -> None:
        assoc: dict[str, Any] = {
            "identifier": association_id(
                key, origin["identifier"], kind, destination["identifier"]
            ),
            "uri": "",
            "associationType": kind,
            "sequenceNumber": sequence,
            "originNodeURI": origin,
            "destinationNodeURI": destination,
            "lastChangeDateTime": changed_at,
        }
        assoc["uri"] = links.link("CFAssociations", assoc["identifier"], kind)["uri"]
        if grouping is not None:
            assoc["CFAssociationGroupingURI"] = links.link(
                "CFAssociationGroupings", grouping_id(grouping), grouping
            )
        if notes is not None:
            assoc["notes"] = notes
        if ext:
            assoc["extensions"] = {EXT: ext}
        associations.append(assoc)

    siblings: dict[str | None, int] = {}
    for position, it in enumerate(content.items, start=1):
        type_title = ITEM_TYPES.get(ItemKind(it.kind), it.kind) if it.item_kind else it.kind
        if type_title not in used_types:
            used_types.append(type_title)
        cf_item: dict[str, Any] = {
            "identifier": item_links[it.code]["identifier"],
            "uri": item_links[it.code]["uri"],
            "fullStatement": it.name_th,
            "humanCodingScheme": it.code,
            "listEnumeration": str(position),
            "CFItemType": type_title,
            "CFItemTypeURI": links.link("CFItemTypes", item_type_id(type_title), type_title),
            "language": "th",
            "lastChangeDateTime": changed_at,
        }
        if it.name_en is not None:
            cf_item["alternativeLabel"] = it.name_en
        if it.description_th is not None:
            cf_item["notes"] = it.description_th
        cf_item["extensions"] = {
            EXT: {
                "kind": it.kind,
                "attrs": it.attrs,
                "source": it.source,
                "aliases": [dump_citation(a) for a in it.aliases],
                "examples": [dump_citation(e) for e in it.examples],
                "resolutions": [r.model_dump() for r in it.resolutions],
            }
        }
        items.append(cf_item)
        siblings[it.parent] = siblings.get(it.parent, 0) + 1
        parent = item_links.get(it.parent, doc_link) if it.parent is not None else doc_link
        associate(item_links[it.code], "isChildOf", parent, siblings[it.parent])

    _profiles(content, links, doc_link, item_links, items, associate, changed_at, used_types)
    for crosswalk in content.crosswalks:
        target = {"key": crosswalk.to.key, "version": crosswalk.to.version}
        for n, link in enumerate(crosswalk.links, start=1):
            destination = links.link(
                "CFItems", item_id(crosswalk.to.key, link.to_code), link.to_code
            )
            associate(
                item_links.get(link.from_code)
                or links.link("CFItems", item_id(key, link.from_code), link.from_code),
                link.relation,
                destination,
                n,
                CROSSWALK_GROUPING,
                notes=link.note,
                ext={"target": target, "to_code": link.to_code, "source": link.source},
            )

    document: dict[str, Any] = {
        "identifier": doc_id,
        "uri": doc_link["uri"],
        "creator": content.meta.publisher or content.meta.key,
        "title": content.meta.title_th,
        "lastChangeDateTime": changed_at,
        "publisher": content.meta.publisher,
        "description": content.meta.title_en,
        "language": "th",
        "version": version,
        "adoptionStatus": ADOPTION_STATUS[status],
        "caseVersion": CASE_VERSION,
        "extensions": {EXT: {"format": FORMAT, "framework": dump_meta(content.meta)}},
    }
    document = {k: v for k, v in document.items() if v is not None}
    return {
        "CFDocument": document,
        "CFItems": items,
        "CFAssociations": associations,
        "CFDefinitions": {
            "CFConcepts": [],
            "CFSubjects": [],
            "CFLicenses": [],
            "CFItemTypes": [_item_type(links, t, changed_at) for t in used_types],
            "CFAssociationGroupings": [
                _grouping(links, g, changed_at) for g in (REQUIREMENT_GROUPING, CROSSWALK_GROUPING)
            ],
        },
        "CFRubrics": [],
    }


def _profiles(
    content: FrameworkContent,
    links: _Links,
    doc_link: dict[str, str],
    item_links: dict[str, dict[str, str]],
    items: list[dict[str, Any]],
    associate: Any,
    changed_at: str,
    used_types: list[str],
) -> None:
    if not content.role_profiles:
        return
    used_types.append(PROFILE_TYPE)
    key = content.meta.key
    resolved = resolve_profiles(content.items, content.role_profiles)
    for n, profile in enumerate(content.role_profiles, start=1):
        items.append(_profile_item(key, profile, links, n, changed_at))
        own = links.link(
            "CFItems", profile_id(key, profile.stage, profile.group), profile.role_title_th
        )
        associate(own, "isChildOf", doc_link, len(content.items) + n)
        for seq, req in enumerate(resolved[profile.key].requirements, start=1):
            extra: dict[str, Any] = {"component": req.component.value, "origin": req.origin.value}
            if req.inherited_from is not None:
                extra["inherited_from"] = "/".join(req.inherited_from)
            if req.printed_code is not None:
                extra["printed_code"] = req.printed_code
            destination = item_links.get(req.code) or links.link(
                "CFItems", item_id(key, req.code), req.code
            )
            associate(own, "isRelatedTo", destination, seq, REQUIREMENT_GROUPING, ext=extra)


def _profile_item(
    key: str, profile: RoleProfile, links: _Links, position: int, changed_at: str
) -> dict[str, Any]:
    identifier = profile_id(key, profile.stage, profile.group)
    item: dict[str, Any] = {
        "identifier": identifier,
        "uri": links.link("CFItems", identifier, profile.role_title_th)["uri"],
        "fullStatement": profile.role_title_th,
        "humanCodingScheme": profile_code(profile.stage, profile.group),
        "listEnumeration": str(position),
        "CFItemType": PROFILE_TYPE,
        "CFItemTypeURI": links.link("CFItemTypes", item_type_id(PROFILE_TYPE), PROFILE_TYPE),
        "language": "th",
        "lastChangeDateTime": changed_at,
    }
    if profile.role_title_en is not None:
        item["alternativeLabel"] = profile.role_title_en
    if profile.description_th is not None:
        item["notes"] = profile.description_th
    item["extensions"] = {EXT: {"role_profile": dump_profile(profile)}}
    return item


def _item_type(links: _Links, title: str, changed_at: str) -> dict[str, Any]:
    identifier = item_type_id(title)
    return {
        "identifier": identifier,
        "uri": links.link("CFItemTypes", identifier, title)["uri"],
        "title": title,
        "description": f"Thaksa framework item of kind {KIND_BY_TYPE.get(title, 'role profile')}",
        "hierarchyCode": KIND_BY_TYPE.get(title, "role_profile"),
        "lastChangeDateTime": changed_at,
    }


def _grouping(links: _Links, title: str, changed_at: str) -> dict[str, Any]:
    identifier = grouping_id(title)
    return {
        "identifier": identifier,
        "uri": links.link("CFAssociationGroupings", identifier, title)["uri"],
        "title": title,
        "lastChangeDateTime": changed_at,
    }


# --- the nodes the CASE REST binding serves one by one ---------------------------------------

DEFINITIONS = ("CFConcepts", "CFSubjects", "CFLicenses", "CFItemTypes", "CFAssociationGroupings")


def document_link(package: dict[str, Any]) -> dict[str, str]:
    document = package["CFDocument"]
    return {k: document[k] for k in ("title", "identifier", "uri")}


def served_document(package: dict[str, Any]) -> dict[str, Any]:
    """The CFDocument as getCFDocument and getAllCFDocuments serve it: with its CFPackageURI
    (which the CFDocument inside a CFPackage must not carry)."""
    document = package["CFDocument"]
    identifier = document["identifier"]
    base = document["uri"].removesuffix(f"CFDocuments/{identifier}")
    link = {"title": document["title"], "identifier": identifier}
    return {**document, "CFPackageURI": {**link, "uri": f"{base}CFPackages/{identifier}"}}


def served_node(package: dict[str, Any], collection: str, identifier: str) -> dict[str, Any] | None:
    """A CFItem or CFAssociation of the package with its CFDocumentURI, or None."""
    for node in package[collection]:
        if node["identifier"] == identifier:
            return {**node, "CFDocumentURI": document_link(package)}
    return None


def item_associations(package: dict[str, Any], identifier: str) -> dict[str, Any] | None:
    """getCFItemAssociations: the CFItem and every association of the package it is an end of."""
    item = served_node(package, "CFItems", identifier)
    if item is None:
        return None
    associations = [
        a
        for a in package["CFAssociations"]
        if identifier in (a["originNodeURI"]["identifier"], a["destinationNodeURI"]["identifier"])
    ]
    return {"CFItem": item, "CFAssociations": associations}


def definition(package: dict[str, Any], collection: str, identifier: str) -> dict[str, Any] | None:
    """A CFDefinitions member (CFItemTypes, CFConcepts, ...) or a CFRubric by identifier."""
    nodes = (
        package.get("CFRubrics", [])
        if collection == "CFRubrics"
        else package.get("CFDefinitions", {}).get(collection, [])
    )
    return next((dict(n) for n in nodes if n["identifier"] == identifier), None)

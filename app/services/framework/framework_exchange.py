"""Export and import of framework versions: the native JSON format and 1EdTech CASE 1.1.

Imports check the whole file first (shape, duplicate codes, dangling references, hierarchy
cycles, unknown types, references to other frameworks) and report every problem at once; with
any problem nothing is written.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Framework, FrameworkVersion
from app.db.repositories.framework import framework_versions as repo
from app.domain.errors import FieldError, NotFound
from app.domain.framework.case_export import (
    case_timestamp,
    definition,
    document_id,
    item_associations,
    served_document,
    served_node,
    to_case_package,
)
from app.domain.framework.case_import import read_case_package
from app.domain.framework.model import VersionStatus
from app.domain.framework.native import dump_document, parse_document
from app.domain.framework.validation import validate_content
from app.domain.principal import Principal
from app.services.framework.framework_admin import (
    SaveOutcome,
    check_references,
    invalid,
    save_content,
)
from app.services.framework.framework_catalog import (
    SelectedVersion,
    require_framework_admin,
    require_reader,
    see_drafts,
    select_version,
)


async def export_native(
    session: AsyncSession, actor: Principal, key: str, version: str | None = None
) -> tuple[SelectedVersion, dict[str, Any]]:
    selected = await select_version(session, actor, key, version)
    return selected, dump_document(await repo.load_content(session, selected.version))


# Published and retired versions never change, so their packages can be kept (drafts are keyed
# by their content digest, which changes with them).
_PACKAGES: OrderedDict[tuple[Any, ...], dict[str, Any]] = OrderedDict()
_PACKAGES_KEPT = 32


async def case_package(
    session: AsyncSession, version: FrameworkVersion, base_uri: str
) -> dict[str, Any]:
    cache_key = (version.id, version.content_hash, version.status, version.published_at, base_uri)
    if cache_key in _PACKAGES:
        _PACKAGES.move_to_end(cache_key)
        return _PACKAGES[cache_key]
    content = await repo.load_content(session, version)
    package = to_case_package(
        content,
        status=VersionStatus(version.status),
        changed_at=case_timestamp(version.published_at or version.created_at),
        base_uri=base_uri,
    )
    _PACKAGES[cache_key] = package
    while len(_PACKAGES) > _PACKAGES_KEPT:
        _PACKAGES.popitem(last=False)
    return package


async def export_case(
    session: AsyncSession, actor: Principal, key: str, version: str | None, base_uri: str
) -> tuple[SelectedVersion, dict[str, Any]]:
    selected = await select_version(session, actor, key, version)
    return selected, await case_package(session, selected.version, base_uri)


def is_case_package(document: Any) -> bool:
    return isinstance(document, Mapping) and "CFDocument" in document


async def import_framework(
    session: AsyncSession,
    actor: Principal,
    document: Any,
    *,
    publish: bool = False,
    key: str | None = None,
) -> SaveOutcome:
    """Import a native document or a CASE CFPackage as a new version (a draft unless
    ``publish``). Content identical to an existing version imports nothing."""
    require_framework_admin(actor)
    if is_case_package(document):
        parsed = read_case_package(document, key=key)
        errors, content = parsed.errors, parsed.content
        if not parsed.meta_ok or errors:
            # Structure and content were both checked while reading; add the references to
            # other frameworks and report everything.
            raise invalid(errors + await _reference_errors(session, parsed.content), "")
        return await save_content(session, actor, content, publish=publish)
    parsed = parse_document(document)
    if key is not None and parsed.meta_ok and parsed.content.meta.key != key:
        parsed.errors.append(
            FieldError(
                "/framework/key", "const", f"the document is framework {parsed.content.meta.key}"
            )
        )
    if not parsed.meta_ok:
        raise invalid(parsed.errors + validate_content(parsed.content), "")
    return await save_content(session, actor, parsed.content, publish=publish, errors=parsed.errors)


async def _reference_errors(session: AsyncSession, content: Any) -> list[FieldError]:
    errors, _ = await check_references(session, content)
    return errors


# --- CASE read service (/ims/case/v1p1) --------------------------------------------------


@dataclass(frozen=True, slots=True)
class CaseVersion:
    framework: Framework
    version: FrameworkVersion

    @property
    def document_id(self) -> str:
        return document_id(self.framework.key, self.version.label)


async def _visible_versions(session: AsyncSession, actor: Principal) -> list[CaseVersion]:
    """Every version the caller may read, current ones first."""
    require_reader(actor)
    frameworks = await repo.all_frameworks(session)
    by_id = {f.id: f for f in frameworks}
    versions = await repo.versions_of(session, list(by_id))
    order = {"published": 0, "retired": 1, "draft": 2}
    visible = [v for v in versions if v.status != "draft" or see_drafts(actor)]
    visible.sort(key=lambda v: (order[v.status], -(v.created_at.timestamp())))
    return [CaseVersion(by_id[v.framework_id], v) for v in visible]


async def case_documents(
    session: AsyncSession, actor: Principal, base_uri: str
) -> list[dict[str, Any]]:
    """Every version the caller may read as a CFDocument with its CFPackageURI."""
    out = []
    for cv in await _visible_versions(session, actor):
        out.append(served_document(await case_package(session, cv.version, base_uri)))
    return out


async def case_document_by_id(
    session: AsyncSession, actor: Principal, identifier: str, base_uri: str
) -> dict[str, Any]:
    for cv in await _visible_versions(session, actor):
        if cv.document_id == identifier:
            return served_document(await case_package(session, cv.version, base_uri))
    raise NotFound(f"no CFDocument {identifier}")


async def case_package_by_id(
    session: AsyncSession, actor: Principal, identifier: str, base_uri: str
) -> dict[str, Any]:
    for cv in await _visible_versions(session, actor):
        if cv.document_id == identifier:
            return await case_package(session, cv.version, base_uri)
    raise NotFound(f"no CFPackage {identifier}")


async def _first(
    session: AsyncSession,
    actor: Principal,
    base_uri: str,
    lookup: Callable[[dict[str, Any]], dict[str, Any] | None],
    missing: str,
) -> dict[str, Any]:
    """What ``lookup`` finds in the most current version that holds it."""
    for cv in await _visible_versions(session, actor):
        found = lookup(await case_package(session, cv.version, base_uri))
        if found is not None:
            return found
    raise NotFound(missing)


async def case_node(
    session: AsyncSession, actor: Principal, collection: str, identifier: str, base_uri: str
) -> dict[str, Any]:
    """A CFItem or CFAssociation by identifier, from the most current version holding it, with
    its CFDocumentURI."""
    kind = "CFItem" if collection == "CFItems" else "CFAssociation"
    return await _first(
        session,
        actor,
        base_uri,
        lambda package: served_node(package, collection, identifier),
        f"no {kind} {identifier}",
    )


async def case_item_associations(
    session: AsyncSession, actor: Principal, identifier: str, base_uri: str
) -> dict[str, Any]:
    """A CFItem and the associations it is an end of, in the most current version holding it."""
    return await _first(
        session,
        actor,
        base_uri,
        lambda package: item_associations(package, identifier),
        f"no CFItem {identifier}",
    )


async def case_definition(
    session: AsyncSession, actor: Principal, collection: str, identifier: str, base_uri: str
) -> dict[str, Any]:
    """A CFItemType, CFConcept, CFSubject, CFLicense, CFAssociationGrouping or CFRubric."""
    return await _first(
        session,
        actor,
        base_uri,
        lambda package: definition(package, collection, identifier),
        f"no {collection.removesuffix('s')} {identifier}",
    )

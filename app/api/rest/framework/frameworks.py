"""Reading frameworks: versions, units, items, search, role profiles, the role matrix, diffs.

Every read takes ``?version=`` (default: the current published version). Any authenticated
person may read; integration clients need the ``frameworks:read`` scope.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from app.api.rest.deps import CurrentPrincipal, DbSession
from app.api.rest.framework import framework_schemas as s
from app.api.rest.inputs import InputRoute
from app.api.rest.params import Group, SearchText, Stage, StageQuery
from app.api.rest.problems import problem_responses
from app.db.models import FrameworkItem
from app.domain.framework.case_binding import without_extensions
from app.domain.framework.model import Component, ItemKind
from app.services.framework import framework_catalog, framework_exchange, framework_reads

router = APIRouter(prefix="/frameworks", tags=["frameworks"], route_class=InputRoute)

Version = Annotated[
    str | None,
    Query(description="Version label, e.g. 2561 (default: the current published version)"),
]
Key = Annotated[str, Path(description="Framework key", examples=["ocsc", "tpqi-it-exec"])]
READ = problem_responses(401, 403, 404, 422)


@router.get("", response_model=s.FrameworkPage, responses=problem_responses(401, 403))
async def list_frameworks(principal: CurrentPrincipal, session: DbSession) -> s.FrameworkPage:
    """Every framework with its versions (drafts only for central administrators), on one page."""
    found = await framework_catalog.list_frameworks(session, principal)
    return s.FrameworkPage(items=[s.FrameworkOut.of(f) for f in found], next_cursor=None)


@router.get("/{key}", response_model=s.FrameworkOut, responses=READ)
async def get_framework(
    key: Key, principal: CurrentPrincipal, session: DbSession
) -> s.FrameworkOut:
    """A framework and its versions."""
    return s.FrameworkOut.of(await framework_catalog.get_framework(session, principal, key))


@router.get("/{key}/units", response_model=s.ItemPage, responses=READ)
async def list_units(
    key: Key,
    principal: CurrentPrincipal,
    session: DbSession,
    version: Version = None,
    domain: Annotated[str | None, Query(description="Domain code, e.g. DT")] = None,
    dimension: Annotated[
        int | None, Query(ge=1, le=9, description="Learning dimension 1-5")
    ] = None,
) -> s.ItemPage:
    """Units of capability in framework order, optionally of one domain or learning dimension
    (a framework's units, on one page)."""
    selected, units = await framework_reads.list_units(
        session, principal, key, version, domain=domain, dimension=dimension
    )
    return s.ItemPage(items=[s.ItemOut.of(selected, u) for u in units], next_cursor=None)


@router.get("/{key}/units/{code}", response_model=s.UnitOut, responses=READ)
async def get_unit(
    key: Key, code: str, principal: CurrentPrincipal, session: DbSession, version: Version = None
) -> s.UnitOut:
    """A unit with its elements and their performance criteria."""
    selected, view = await framework_reads.get_unit(session, principal, key, code, version)
    return s.UnitOut(
        **s.ItemOut.fields_of(selected, view.unit),
        parent_item=s.ItemRef.of(view.parent) if view.parent else None,
        elements=[
            s.ElementOut(
                **s.ItemOut.fields_of(selected, e.element),
                criteria=[s.ItemOut.of(selected, c) for c in e.criteria],
            )
            for e in view.elements
        ],
    )


@router.get("/{key}/items/{code}", response_model=s.ItemDetailOut, responses=READ)
async def get_item(
    key: Key, code: str, principal: CurrentPrincipal, session: DbSession, version: Version = None
) -> s.ItemDetailOut:
    """Any item (domain, unit, element, criterion, knowledge, ...), its children, crosswalk
    links and the role profiles that require it."""
    selected, view = await framework_reads.get_item(session, principal, key, code, version)
    return s.ItemDetailOut(
        **s.ItemOut.fields_of(selected, view.item),
        parent_item=s.ItemRef.of(view.parent) if view.parent else None,
        children=[s.ItemRef.of(c) for c in view.children],
        crosswalk=[s.LinkOut(**vars_of(link)) for link in view.links],
        required_by=[s.RequiredByOut.of(r) for r in view.required_by],
    )


def vars_of(obj: Any) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in obj.__slots__}


@router.get("/{key}/search", response_model=s.SearchOut, responses=READ)
async def search(
    key: Key,
    principal: CurrentPrincipal,
    session: DbSession,
    q: SearchText,
    version: Version = None,
    kind: Annotated[list[ItemKind] | None, Query(description="Only these kinds")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> s.SearchOut:
    """Search names, aliases (every other wording in the seeds), codes and descriptions."""
    selected, hits = await framework_reads.search(
        session, principal, key, q, version, kinds=kind or [], limit=limit
    )
    return s.SearchOut(
        framework=selected.framework.key,
        version=selected.version.label,
        q=q,
        next_cursor=None,
        items=[
            s.SearchHitOut(
                code=h.item.code,
                kind=h.item.kind,
                name_th=h.item.name_th,
                name_en=h.item.name_en,
                parent=h.item.parent_code,
                matched=h.matched,
                similarity=round(h.similarity, 3),
            )
            for h in hits
        ],
    )


def _profile_out(selected: Any, view: framework_reads.ProfileView) -> s.RoleProfileOut:
    p = view.profile
    lists: dict[str, list[s.RequirementOut]] = {c.value: [] for c in Component}
    for req, item in view.requirements:
        lists[req.component].append(s.RequirementOut.of(req, item))
    return s.RoleProfileOut(
        framework=selected.framework.key,
        version=selected.version.label,
        stage=p.stage,
        group=p.staff_group,
        role_title_th=p.role_title_th,
        role_title_en=p.role_title_en,
        description_th=p.description_th,
        source=p.source,
        description_source=p.description_source,
        title_aliases=p.title_aliases,
        printed=p.printed,
        foundational=p.foundational,
        inherits=p.inherits,
        resolutions=p.resolutions,
        resolved=s.ResolvedLists(**lists),
    )


@router.get("/{key}/role-profiles", response_model=s.RoleProfilePage, responses=READ)
async def list_role_profiles(
    key: Key, principal: CurrentPrincipal, session: DbSession, version: Version = None
) -> s.RoleProfilePage:
    """The role profiles (stages x staff groups), printed and resolved, on one page."""
    selected, views = await framework_reads.list_profiles(session, principal, key, version)
    return s.RoleProfilePage(items=[_profile_out(selected, v) for v in views], next_cursor=None)


@router.get("/{key}/role-profiles/{stage}/{group}", response_model=s.RoleProfileOut, responses=READ)
async def get_role_profile(
    key: Key,
    stage: Stage,
    group: Group,
    principal: CurrentPrincipal,
    session: DbSession,
    version: Version = None,
) -> s.RoleProfileOut:
    """One role profile: the lists as printed, and resolved (foundational knowledge and
    experience added, earlier stages inherited, misprinted codes resolved, with notes)."""
    selected, view = await framework_reads.get_profile(
        session, principal, key, stage, group, version
    )
    return _profile_out(selected, view)


def _ref(items: dict[str, FrameworkItem], code: str) -> s.ItemRef:
    return s.ItemRef.of(items[code])


@router.get("/{key}/matrix", response_model=s.MatrixOut, responses=READ)
async def get_matrix(
    key: Key,
    principal: CurrentPrincipal,
    session: DbSession,
    stage: StageQuery,
    version: Version = None,
    component: Annotated[Component, Query(description="Which component's items")] = Component.UNIT,
) -> s.MatrixOut:
    """The role matrix: every unit (or other component) x the six staff groups at one stage."""
    selected, matrix, items = await framework_reads.matrix(
        session, principal, key, stage, version, component
    )
    return s.MatrixOut(
        framework=selected.framework.key,
        version=selected.version.label,
        stage=matrix.stage,
        component=matrix.component.value,
        groups=list(matrix.groups),
        rows=[
            s.MatrixRowOut(
                code=row.code,
                name_th=items[row.code].name_th,
                name_en=items[row.code].name_en,
                parent=items[row.code].parent_code,
                groups=list(row.groups),
                cells={g: g in row.groups for g in matrix.groups},
            )
            for row in matrix.rows
        ],
    )


@router.get("/{key}/groups/{group}/stages", response_model=s.ProgressionOut, responses=READ)
async def get_stage_progression(
    key: Key,
    group: Group,
    principal: CurrentPrincipal,
    session: DbSession,
    version: Version = None,
) -> s.ProgressionOut:
    """What a staff group's role gains and loses from early to developing to mature."""
    selected, steps, items = await framework_reads.progression(
        session, principal, key, group, version
    )
    return s.ProgressionOut(
        framework=selected.framework.key,
        version=selected.version.label,
        group=group,
        steps=[
            s.StageStepOut(
                from_stage=step.from_stage,
                to_stage=step.to_stage,
                added={c.value: [_ref(items, x) for x in codes] for c, codes in step.added.items()},
                removed={
                    c.value: [_ref(items, x) for x in codes] for c, codes in step.removed.items()
                },
                kept={c.value: len(codes) for c, codes in step.kept.items()},
            )
            for step in steps
        ],
    )


@router.get("/{key}/diff", response_model=s.DiffOut, responses=READ)
async def get_diff(
    key: Key,
    principal: CurrentPrincipal,
    session: DbSession,
    from_version: Annotated[str, Query(alias="from", description="the older version")],
    to_version: Annotated[
        str | None, Query(alias="to", description="the newer version (default: current)")
    ] = None,
) -> s.DiffOut:
    """Items, role profiles and crosswalk links added, removed and changed between versions."""
    old, new, diff = await framework_catalog.diff(session, principal, key, from_version, to_version)

    def section(sec: Any) -> s.SectionOut:
        return s.SectionOut(
            added=list(sec.added),
            removed=list(sec.removed),
            changed=[
                s.ChangeOut(key=c.key, fields=list(c.fields), before=c.before, after=c.after)
                for c in sec.changed
            ],
        )

    return s.DiffOut(
        framework=key,
        from_version=old.version.label,
        to_version=new.version.label,
        framework_fields=list(diff.framework),
        items=section(diff.items),
        role_profiles=section(diff.role_profiles),
        crosswalk_links=section(diff.crosswalk_links),
        counts=diff.counts,
    )


@router.get("/{key}/export", responses=READ)
async def export_framework(
    key: Key,
    request: Request,
    principal: CurrentPrincipal,
    session: DbSession,
    version: Version = None,
    format: Annotated[
        str, Query(pattern="^(native|case)$", description="native or case")
    ] = "native",
    extensions: Annotated[
        bool, Query(description="case only: false leaves out Thaksa's `extensions` (pure CASE)")
    ] = True,
) -> dict[str, Any]:
    """The whole version: the native document (``POST /frameworks/import`` reads it back
    exactly) or a CASE 1.1 CFPackage."""
    if format == "case":
        _, package = await framework_exchange.export_case(
            session, principal, key, version, case_base_uri(request)
        )
        return package if extensions else dict(without_extensions(package))
    _, document = await framework_exchange.export_native(session, principal, key, version)
    return document


def case_base_uri(request: Request) -> str:
    return str(request.base_url) + "ims/case/v1p1/"

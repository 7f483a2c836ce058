"""Agency KPIs and the funnel, per fiscal year, up the agency tree, with drill-down and trend.

Public functions (also the entry points for exports and printable reports):

* ``kpi_report(session, actor, code, year) -> KpiReport``: the agency's own staff and its
  subtree, each child agency's subtree (the drill-down), the funnel, targets and snapshot date;
  figures suppressed for this viewer as docs/reporting.md "Privacy" describes.
* ``kpi_trend(session, actor, code, years) -> list[KpiReport]``: the same, one per year.
* ``kpi_people(session, actor, code, year, ...) -> list[PersonFlags]``: the people behind the
  figures (only for viewers who may see them individually).
* ``team_report(session, actor, year) -> TeamReport``: a supervisor's team.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Agency
from app.db.repositories.people import agencies as agency_repo
from app.db.repositories.reporting import figures
from app.db.repositories.reporting.figures import AgencyNode, PersonFlags
from app.domain.errors import FieldError, Forbidden, NotFound, ValidationFailed
from app.domain.fiscal import FiscalYear, bangkok_today
from app.domain.principal import Principal, Role
from app.domain.reporting.kpi import KPIS, percent, snapshot_date
from app.domain.reporting.policy import ReportingPolicy
from app.domain.reporting.suppression import Cell, equations, suppress
from app.services.platform.scope import agency_scope, linked_person, people_scope
from app.services.reporting.reporting_policies import effective

FUNNEL_STEPS = ("started", "self_assessed", "finalised", "plan_agreed", "plan_evaluated")
MEASURES = {"G1": "g1_den", "G2": "g2_den", "G3": "g3_den", "funnel": "staff"}
MAX_TREND_YEARS = 10


@dataclass(frozen=True, slots=True)
class KpiFigure:
    code: str
    numerator: int | None
    denominator: int | None
    percent: object  # Decimal | None
    target_percent: int
    meets_target: bool | None
    seed_lines: str
    suppressed: bool


@dataclass(frozen=True, slots=True)
class Funnel:
    staff: int | None
    not_started: int | None
    self_assessed: int | None
    finalised: int | None
    plan_agreed: int | None
    plan_evaluated: int | None
    suppressed: bool


@dataclass(frozen=True, slots=True)
class AgencyFigures:
    code: str
    name_th: str
    kind: str
    depth: int
    kpis: tuple[KpiFigure, ...]
    funnel: Funnel


@dataclass(frozen=True, slots=True)
class KpiReport:
    agency: Agency
    fiscal_year: int
    g3_plan_year: int
    snapshot_date: date
    policy: ReportingPolicy
    individual: bool  # the viewer may see the people behind the figures (nothing is suppressed)
    subtree: AgencyFigures  # the agency and everything under it
    own: AgencyFigures  # its own staff only
    children: tuple[AgencyFigures, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Viewer:
    agency: Agency
    individual: bool
    base_prefix: str  # the tree suppression is computed over (the same for every request)


async def viewer_of(session: AsyncSession, actor: Principal, code: str) -> Viewer:
    """The agency (404 when out of the caller's read reach) and what the caller may see of it."""
    scope = await agency_scope(session, actor, write=False)
    agency = await agency_repo.by_code(session, code)
    if agency is None or not scope.covers(agency.path):
        raise NotFound(f"no agency {code!r}")
    people = await people_scope(session, actor, write=False) if _may_read_people(actor) else None
    individual = people is not None and people.covers(agency.path)
    if scope.everything:
        root = agency_repo.path_ids(agency.path)[0]
        base = f"/{root}/"
    else:
        base = next(p for p in scope.agency_paths if agency.path.startswith(p))
    return Viewer(agency, individual, agency.path if individual else base)


def _may_read_people(actor: Principal) -> bool:
    return not actor.is_client or actor.has_scope("people:read") or actor.has_scope("people:write")


def _sum(rows: Iterable[dict[str, int]]) -> dict[str, int]:
    total = dict.fromkeys(figures.COUNT_COLUMNS, 0)
    for row in rows:
        for name, value in row.items():
            total[name] += value
    return total


@dataclass
class _Tree:
    nodes: dict[uuid.UUID, AgencyNode]
    children: dict[uuid.UUID, list[uuid.UUID]]
    own: dict[uuid.UUID, dict[str, int]]
    tree: dict[uuid.UUID, dict[str, int]]


def _roll_up(nodes: Sequence[AgencyNode], own: dict[uuid.UUID, dict[str, int]]) -> _Tree:
    by_id = {n.id: n for n in nodes}
    children: dict[uuid.UUID, list[uuid.UUID]] = {n.id: [] for n in nodes}
    for n in nodes:
        if n.parent_id in children:
            children[n.parent_id].append(n.id)
    empty = dict.fromkeys(figures.COUNT_COLUMNS, 0)
    tree: dict[uuid.UUID, dict[str, int]] = {}
    for n in sorted(nodes, key=lambda x: -x.depth):  # deepest first
        tree[n.id] = _sum([own.get(n.id, empty), *(tree[c] for c in children[n.id])])
    return _Tree(by_id, children, {n.id: own.get(n.id, empty) for n in nodes}, tree)


def _hidden(t: _Tree, k: int) -> dict[str, frozenset[Cell]]:
    eqs = equations({str(a): [str(c) for c in kids] for a, kids in t.children.items()})
    found = {}
    for measure, size in MEASURES.items():
        sizes: dict[Cell, int] = {}
        for a in t.nodes:
            sizes["tree", str(a)] = t.tree[a][size]
            if t.children[a]:
                sizes["own", str(a)] = t.own[a][size]
        found[measure] = suppress(sizes, eqs, k)
    return found


def _figures(
    node: AgencyNode,
    counts: dict[str, int],
    cell: Cell,
    hidden: dict[str, frozenset[Cell]],
    policy: ReportingPolicy,
) -> AgencyFigures:
    kpis = []
    for k in KPIS:
        off = cell in hidden[k.code]
        num, den = counts[k.numerator], counts[k.denominator]
        share = None if off else percent(num, den)
        target = policy.target_percent(k.code)
        kpis.append(
            KpiFigure(
                k.code,
                None if off else num,
                None if off else den,
                share,
                target,
                None if share is None else share >= target,
                k.seed_lines,
                off,
            )
        )
    off = cell in hidden["funnel"]
    funnel = (
        Funnel(None, None, None, None, None, None, True)
        if off
        else Funnel(
            counts["staff"],
            counts["staff"] - counts["started"],
            counts["self_assessed"],
            counts["finalised"],
            counts["plan_agreed"],
            counts["plan_evaluated"],
            False,
        )
    )
    return AgencyFigures(node.code, node.name_th, node.kind, node.depth, tuple(kpis), funnel)


def _year(value: int, name: str = "fiscal_year") -> FiscalYear:
    try:
        return FiscalYear(value)
    except ValueError:
        raise ValidationFailed(
            [
                FieldError.for_parameter(
                    name, "query", "fiscal-year", f"{value} is not a Buddhist Era fiscal year"
                )
            ]
        ) from None


async def _report(
    session: AsyncSession, viewer: Viewer, year: FiscalYear, policy: ReportingPolicy
) -> KpiReport:
    g3_year = year.be - policy.g3_plan_year_offset
    nodes = await figures.subtree(session, viewer.base_prefix)
    own = await figures.counts_by_agency(session, viewer.base_prefix, year.be, g3_year)
    t = _roll_up(nodes, own)
    no_hiding: dict[str, frozenset[Cell]] = {m: frozenset() for m in MEASURES}
    hidden = no_hiding if viewer.individual else _hidden(t, policy.min_group_size)
    me = t.nodes[viewer.agency.id]
    own_cell: Cell = ("own", str(me.id)) if t.children[me.id] else ("tree", str(me.id))
    return KpiReport(
        agency=viewer.agency,
        fiscal_year=year.be,
        g3_plan_year=g3_year,
        snapshot_date=snapshot_date(year, bangkok_today()),
        policy=policy,
        individual=viewer.individual,
        subtree=_figures(me, t.tree[me.id], ("tree", str(me.id)), hidden, policy),
        own=_figures(me, t.own[me.id], own_cell, hidden, policy),
        children=tuple(
            _figures(t.nodes[c], t.tree[c], ("tree", str(c)), hidden, policy)
            for c in sorted(t.children[me.id], key=lambda c: t.nodes[c].code)
        ),
    )


async def kpi_report(session: AsyncSession, actor: Principal, code: str, year: int) -> KpiReport:
    """G1-G3 and the funnel for an agency in a fiscal year (BE); see the module docstring."""
    fy = _year(year)
    viewer = await viewer_of(session, actor, code)
    policy = (await effective(session, viewer.agency)).policy
    return await _report(session, viewer, fy, policy)


async def kpi_trend(
    session: AsyncSession, actor: Principal, code: str, first: int, last: int
) -> list[KpiReport]:
    """One report per fiscal year from ``first`` to ``last`` (at most 10 years)."""
    a, b = _year(first, "from_year"), _year(last, "to_year")
    if b < a or b.be - a.be >= MAX_TREND_YEARS:
        raise ValidationFailed(
            [
                FieldError.for_parameter(
                    "to_year",
                    "query",
                    "range",
                    f"to_year is from from_year to {MAX_TREND_YEARS - 1} years after it",
                )
            ]
        )
    viewer = await viewer_of(session, actor, code)
    policy = (await effective(session, viewer.agency)).policy
    return [await _report(session, viewer, FiscalYear(y), policy) for y in range(a.be, b.be + 1)]


async def kpi_people(
    session: AsyncSession,
    actor: Principal,
    code: str,
    year: int,
    *,
    own_only: bool = False,
    after: uuid.UUID | None = None,
    limit: int = 100,
) -> list[PersonFlags]:
    """The people behind an agency's figures with each flag; only for a viewer who may see
    them individually (an administrator over the agency, a central administrator)."""
    fy = _year(year)
    viewer = await viewer_of(session, actor, code)
    if not viewer.individual:
        raise Forbidden("the people behind these figures are not yours to see")
    policy = (await effective(session, viewer.agency)).policy
    return await figures.people_flags(
        session,
        viewer.agency.path,
        fy.be,
        fy.be - policy.g3_plan_year_offset,
        own_agency=viewer.agency.id if own_only else None,
        after=after,
        limit=limit,
    )


@dataclass(frozen=True, slots=True)
class TeamReport:
    fiscal_year: int
    kpis: tuple[KpiFigure, ...]
    funnel: Funnel
    people: tuple[PersonFlags, ...]


async def team_report(session: AsyncSession, actor: Principal, year: int) -> TeamReport:
    """A supervisor's team (everyone reporting to them, directly or not): the KPIs, the funnel
    and the people, all of whom the supervisor may see."""
    fy = _year(year)
    if actor.is_client or not actor.has_role(Role.SUPERVISOR):
        raise Forbidden("this needs the role: supervisor", required_roles=["supervisor"])
    me = await linked_person(session, actor)
    if me is None:
        raise Forbidden("your account is not linked to a person")
    agency = await session.get(Agency, me.agency_id)
    assert agency is not None
    policy = (await effective(session, agency)).policy
    g3 = fy.be - policy.g3_plan_year_offset
    counts = await figures.team_counts(session, me.id, fy.be, g3)
    people = await figures.people_flags(session, "/", fy.be, g3, supervisor=me.id, limit=10_000)
    node = AgencyNode(agency.id, agency.code, agency.name_th, agency.kind, None, agency.depth)
    no_hiding: dict[str, frozenset[Cell]] = {m: frozenset() for m in MEASURES}
    f = _figures(node, counts, ("tree", "team"), no_hiding, policy)
    return TeamReport(fy.be, f.kpis, f.funnel, tuple(people))

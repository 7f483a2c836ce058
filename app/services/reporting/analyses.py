"""Analyses of an agency's subtree in a fiscal year, read from stored results (never re-scored).

Public functions (entry points for exports and printable reports too):

* ``heat_map(session, actor, code, year, target) -> HeatMap``: domain x staff group, the share
  and count of required capability units not met;
* ``readiness(session, actor, code, year, target) -> list[ReadinessBand]``: people per staff
  group, stage and readiness band;
* ``top_requirements(session, actor, code, year, target, limit) -> TopRequirements``: the most
  often unmet requirements (gaps) and the most often met (strengths);
* ``effort_mix(session, actor, code, year) -> EffortMix``: actual 70:20:10 hours and hours per
  person;
* ``completions(session, actor, code, year) -> Completions``: completions and passes from
  learning records (voided left out) and the people behind them.

For a viewer who may not see the agency's people, a cell over fewer people than the policy's
threshold is suppressed, with complementary suppression over the agency tree per cell key (see
app/domain/reporting/suppression.py), so a parent's figure minus its children's never reveals it.
"""

from __future__ import annotations

import uuid
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.repositories.reporting import figures
from app.db.repositories.reporting.figures import AgencyNode
from app.domain.errors import FieldError, ValidationFailed
from app.domain.planning.methods import METHODS, bucket_of
from app.domain.principal import Principal
from app.domain.reporting.kpi import percent
from app.domain.reporting.suppression import Cell, equations, suppress
from app.services.planning.planning_policies import effective as planning_policy
from app.services.reporting.kpis import Viewer, _year, viewer_of
from app.services.reporting.reporting_policies import effective

TARGETS = ("present", "future")


def _target(value: str) -> str:
    if value not in TARGETS:
        raise ValidationFailed(
            [FieldError.for_parameter("target", "query", "enum", "target is present or future")]
        )
    return value


def hidden_keys(
    nodes: Sequence[AgencyNode],
    sizes: Mapping[Hashable, Mapping[uuid.UUID, int]],
    agency: uuid.UUID,
    k: int,
) -> set[Hashable]:
    """The keys whose figure over ``agency``'s subtree is hidden: per key, the agencies' own
    sizes are rolled up the tree and suppressed with complementary suppression."""
    children: dict[uuid.UUID, list[uuid.UUID]] = {n.id: [] for n in nodes}
    for n in nodes:
        if n.parent_id in children:
            children[n.parent_id].append(n.id)
    eqs = equations({str(a): [str(c) for c in kids] for a, kids in children.items()})
    order = sorted(nodes, key=lambda x: -x.depth)
    found: set[Hashable] = set()
    for key, own in sizes.items():
        tree: dict[uuid.UUID, int] = {}
        cells: dict[Cell, int] = {}
        for n in order:
            tree[n.id] = own.get(n.id, 0) + sum(tree[c] for c in children[n.id])
            cells["tree", str(n.id)] = tree[n.id]
            if children[n.id]:
                cells["own", str(n.id)] = own.get(n.id, 0)
        if ("tree", str(agency)) in suppress(cells, eqs, k):
            found.add(key)
    return found


async def _context(
    session: AsyncSession, actor: Principal, code: str
) -> tuple[Viewer, list[AgencyNode], set[uuid.UUID], int]:
    viewer = await viewer_of(session, actor, code)
    policy = (await effective(session, viewer.agency)).policy
    nodes = await figures.subtree(session, viewer.base_prefix)
    under = {n.id for n in await figures.subtree(session, viewer.agency.path)}
    return viewer, nodes, under, policy.min_group_size


@dataclass(frozen=True, slots=True)
class HeatCell:
    staff_group: str
    domain_code: str
    required: int | None
    not_met: int | None
    not_met_percent: Decimal | None
    people: int | None
    suppressed: bool


@dataclass(frozen=True, slots=True)
class HeatMap:
    agency_code: str
    fiscal_year: int
    target: str
    cells: tuple[HeatCell, ...]


async def heat_map(
    session: AsyncSession, actor: Principal, code: str, year: int, target: str = "present"
) -> HeatMap:
    fy, target = _year(year), _target(target)
    viewer, nodes, under, k = await _context(session, actor, code)
    rows = await figures.heat_map(session, viewer.base_prefix, fy.be, target)
    totals: dict[tuple[str, str], list[int]] = {}
    sizes: dict[Hashable, dict[uuid.UUID, int]] = {}
    for r in rows:
        key = (r.staff_group, r.domain_code)
        sizes.setdefault(key, {})[r.agency_id] = r.people
        if r.agency_id in under:
            t = totals.setdefault(key, [0, 0, 0])
            t[0] += r.required
            t[1] += r.not_met
            t[2] += r.people
    hidden = set() if viewer.individual else hidden_keys(nodes, sizes, viewer.agency.id, k)
    cells = []
    for (group, domain), (required, not_met, people) in sorted(totals.items()):
        off = (group, domain) in hidden
        cells.append(
            HeatCell(
                group,
                domain,
                None if off else required,
                None if off else not_met,
                None if off else percent(not_met, required),
                None if off else people,
                off,
            )
        )
    return HeatMap(viewer.agency.code, fy.be, target, tuple(cells))


@dataclass(frozen=True, slots=True)
class ReadinessBand:
    staff_group: str
    stage: str | None
    band: int  # 0: below 25%, 1: 25-50%, 2: 50-75%, 3: 75-100%, 4: 100%
    people: int | None
    suppressed: bool


BAND_LABELS = ("0-25", "25-50", "50-75", "75-100", "100")


async def readiness(
    session: AsyncSession, actor: Principal, code: str, year: int, target: str = "present"
) -> list[ReadinessBand]:
    fy, target = _year(year), _target(target)
    viewer, nodes, under, k = await _context(session, actor, code)
    rows = await figures.readiness_distribution(session, viewer.base_prefix, fy.be, target)
    sizes: dict[tuple[str, str | None, int], dict[uuid.UUID, int]] = {}
    totals: dict[tuple[str, str | None, int], int] = {}
    for r in rows:
        key = (r.staff_group, r.stage, r.band)
        own = sizes.setdefault(key, {})
        own[r.agency_id] = own.get(r.agency_id, 0) + r.people
        if r.agency_id in under:
            totals[key] = totals.get(key, 0) + r.people
    # A band of fewer than k people names them as well as any cell: suppressed per group and
    # stage as a whole (the bands of one group add up to the group's total).
    groups: dict[Hashable, dict[uuid.UUID, int]] = {}
    for (group, stage, _), own in sizes.items():
        g = groups.setdefault((group, stage), {})
        for a, n in own.items():
            g[a] = g.get(a, 0) + n
    hidden = set() if viewer.individual else hidden_keys(nodes, groups, viewer.agency.id, k)
    return [
        ReadinessBand(
            group, stage, band, None if (group, stage) in hidden else n, (group, stage) in hidden
        )
        for (group, stage, band), n in sorted(
            totals.items(), key=lambda i: (i[0][0], str(i[0][1]), i[0][2])
        )
    ]


@dataclass(frozen=True, slots=True)
class RequirementFigure:
    code: str
    component: str
    domain_code: str | None
    required: int
    met: int
    not_met_percent: Decimal | None


@dataclass(frozen=True, slots=True)
class TopRequirements:
    gaps: tuple[RequirementFigure, ...]
    strengths: tuple[RequirementFigure, ...]
    suppressed: bool


async def top_requirements(
    session: AsyncSession,
    actor: Principal,
    code: str,
    year: int,
    target: str = "present",
    limit: int = 10,
) -> TopRequirements:
    """The ``limit`` requirements most often not met and most often met. For an outside viewer
    the list is withheld when the subtree's results cover fewer people than the threshold (or
    when its people count is itself suppressed in the tree)."""
    fy, target = _year(year), _target(target)
    viewer, nodes, _, k = await _context(session, actor, code)
    if not viewer.individual:
        people = await figures.result_people(session, viewer.base_prefix, fy.be)
        if hidden_keys(nodes, {"all": people}, viewer.agency.id, k):
            return TopRequirements((), (), True)
    found = await figures.requirement_totals(session, viewer.agency.path, fy.be, target)
    figs = [
        RequirementFigure(
            r.code,
            r.component,
            r.domain_code,
            r.required,
            r.met,
            percent(r.required - r.met, r.required),
        )
        for r in found
    ]
    gaps = sorted(figs, key=lambda f: (-(f.required - f.met) / f.required, f.code))[:limit]
    strengths = sorted(figs, key=lambda f: (-f.met / f.required, f.code))[:limit]
    return TopRequirements(tuple(gaps), tuple(strengths), False)


@dataclass(frozen=True, slots=True)
class EffortMix:
    hours_by_bucket: dict[int, Decimal] | None  # 70 / 20 / 10
    percent_by_bucket: dict[int, Decimal | None] | None
    total_hours: Decimal | None
    staff: int | None
    hours_per_person: Decimal | None
    suppressed: bool


async def effort_mix(session: AsyncSession, actor: Principal, code: str, year: int) -> EffortMix:
    """Actual hours recorded on the year's plans by 70:20:10 bucket, and per active person."""
    fy = _year(year)
    viewer, nodes, under, k = await _context(session, actor, code)
    online = (await planning_policy(session, viewer.agency)).policy.online_course_bucket
    buckets = [(m.code, int(bucket_of(m, online))) for m in METHODS]
    hours = await figures.effort_by_agency(session, viewer.base_prefix, fy.be, buckets)
    staff = await figures.staff_by_agency(session, viewer.base_prefix)
    if not viewer.individual and hidden_keys(nodes, {"staff": staff}, viewer.agency.id, k):
        return EffortMix(None, None, None, None, None, True)
    total: dict[int, Decimal] = {70: Decimal(0), 20: Decimal(0), 10: Decimal(0)}
    for agency_id, by_bucket in hours.items():
        if agency_id in under:
            for b, h in by_bucket.items():
                total[b] = total.get(b, Decimal(0)) + h
    people = sum(n for a, n in staff.items() if a in under)
    all_hours = sum(total.values(), Decimal(0))
    shares = {
        b: (None if not all_hours else (100 * h / all_hours).quantize(Decimal("0.1")))
        for b, h in total.items()
    }
    per_person = (all_hours / people).quantize(Decimal("0.01")) if people else None
    return EffortMix(total, shares, all_hours, people, per_person, False)


@dataclass(frozen=True, slots=True)
class Completions:
    available: bool
    completions: int | None
    people: int | None


async def completions(session: AsyncSession, actor: Principal, code: str, year: int) -> Completions:
    """Completions and passes from learning records (xAPI statements of e-learning providers,
    voided ones left out) on days of the fiscal year, by people of the subtree, and how many
    people completed something; suppressed as ``effort_mix`` is. ``available: false`` only in
    a database without the learning-records table."""
    fy = _year(year)
    if not await figures.learning_records_present(session):
        await viewer_of(session, actor, code)
        return Completions(False, None, None)
    viewer, nodes, under, k = await _context(session, actor, code)
    found = await figures.completions_by_agency(session, viewer.base_prefix, fy.start, fy.end)
    staff = await figures.staff_by_agency(session, viewer.base_prefix)
    if not viewer.individual and hidden_keys(nodes, {"staff": staff}, viewer.agency.id, k):
        return Completions(True, None, None)
    count = sum(n for a, (n, _) in found.items() if a in under)
    people = sum(p for a, (_, p) in found.items() if a in under)
    return Completions(True, count, people)

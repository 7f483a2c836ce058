"""Set-based reads behind every report. Each query takes an agency subtree (a materialised path
prefix) and a fiscal year (Buddhist Era), reads stored rows only (assessment statuses, stored
results, plan revisions, effort) and groups by the person's agency, so that the service rolls
the figures up the tree itself (one scan, whatever the depth).

The per-person flags (``FLAGS``) are the definitions of docs/reporting.md, in one place:

* ``g1_population``: active, category ordinary civil servant or teacher/education personnel;
* ``g2_population``: active, another category, designated a digital-skill target for the year;
* ``self_assessed``: a baseline assessment of the year submitted or final;
* ``finalised``: that assessment final (the supervisor ended the review);
* ``plan_agreed``: a revision of the year's plan signed by the person and the supervisor;
* ``plan_evaluated``: the year's plan has an IDP2 acknowledged by both;
* ``g3_holder`` / ``g3_as_planned``: the plan of the G3 plan year agreed / its acknowledged
  IDP2 says "as planned" for every item.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

G1_CATEGORIES = ("ordinary_civil_servant", "teacher_education")
OTHER_CATEGORIES = ("permanent_employee", "government_employee", "other")

FLAGS = """
WITH scope AS (
    SELECT id FROM agency WHERE path LIKE :prefix || '%%'
), people AS (
    SELECT p.id, p.agency_id, p.employment_category, p.first_name_th, p.last_name_th
    FROM person p JOIN scope s ON s.id = p.agency_id
    WHERE p.active AND p.erased_at IS NULL {person_filter}
), flags AS (
    SELECT p.id, p.agency_id, p.first_name_th, p.last_name_th, p.employment_category,
        coalesce(p.employment_category IN ('ordinary_civil_servant', 'teacher_education'), false)
            AS g1_population,
        coalesce(p.employment_category IN ('permanent_employee', 'government_employee', 'other')
            AND d.designated, false) AS g2_population,
        a.status IS NOT NULL AS started,
        coalesce(a.status IN ('submitted', 'final'), false) AS self_assessed,
        coalesce(a.status = 'final', false) AS finalised,
        EXISTS (
            SELECT 1 FROM plan_revision r
            WHERE r.person_id = p.id AND r.plan_id = dp.id
              AND r.owner_ack_at IS NOT NULL AND r.supervisor_ack_at IS NOT NULL
        ) AS plan_agreed,
        EXISTS (
            SELECT 1 FROM plan_revision r
            WHERE r.person_id = p.id AND r.plan_id = dp.id
              AND (r.evaluation ->> 'acknowledged')::boolean
        ) AS plan_evaluated,
        EXISTS (
            SELECT 1 FROM plan_revision r
            WHERE r.person_id = p.id AND r.plan_id = g3.id
              AND r.owner_ack_at IS NOT NULL AND r.supervisor_ack_at IS NOT NULL
        ) AS g3_holder,
        EXISTS (
            SELECT 1 FROM plan_revision r
            WHERE r.person_id = p.id AND r.plan_id = g3.id
              AND (r.evaluation ->> 'acknowledged')::boolean
              AND jsonb_array_length(r.evaluation -> 'items') > 0
              AND NOT EXISTS (
                  SELECT 1 FROM jsonb_array_elements(r.evaluation -> 'items') e
                  WHERE e ->> 'outcome' IS DISTINCT FROM 'as_planned'
              )
        ) AS g3_as_planned
    FROM people p
    LEFT JOIN digital_target_designation d ON d.person_id = p.id AND d.fiscal_year = :year
    LEFT JOIN assessment a
        ON a.person_id = p.id AND a.fiscal_year = :year AND a.kind = 'baseline'
    LEFT JOIN development_plan dp ON dp.person_id = p.id AND dp.fiscal_year = :year
    LEFT JOIN development_plan g3 ON g3.person_id = p.id AND g3.fiscal_year = :g3_year
)
"""

COUNTS = (
    FLAGS
    + """
SELECT agency_id,
    count(*) AS staff,
    count(*) FILTER (WHERE g1_population) AS g1_den,
    count(*) FILTER (WHERE g1_population AND self_assessed AND plan_agreed) AS g1_num,
    count(*) FILTER (WHERE g2_population) AS g2_den,
    count(*) FILTER (WHERE g2_population AND self_assessed AND plan_agreed) AS g2_num,
    count(*) FILTER (WHERE (g1_population OR g2_population) AND g3_holder) AS g3_den,
    count(*) FILTER (WHERE (g1_population OR g2_population) AND g3_holder AND g3_as_planned)
        AS g3_num,
    count(*) FILTER (WHERE started) AS started,
    count(*) FILTER (WHERE self_assessed) AS self_assessed,
    count(*) FILTER (WHERE finalised) AS finalised,
    count(*) FILTER (WHERE plan_agreed) AS plan_agreed,
    count(*) FILTER (WHERE plan_evaluated) AS plan_evaluated
FROM flags GROUP BY agency_id
"""
)

COUNT_COLUMNS = (
    "staff",
    "g1_den",
    "g1_num",
    "g2_den",
    "g2_num",
    "g3_den",
    "g3_num",
    "started",
    "self_assessed",
    "finalised",
    "plan_agreed",
    "plan_evaluated",
)


@dataclass(frozen=True, slots=True)
class AgencyNode:
    id: uuid.UUID
    code: str
    name_th: str
    kind: str
    parent_id: uuid.UUID | None
    depth: int


async def subtree(session: AsyncSession, prefix: str) -> list[AgencyNode]:
    """Every agency under ``prefix``, parents before children."""
    rows = await session.execute(
        text(
            "SELECT id, code, name_th, kind, parent_id, depth FROM agency"
            " WHERE path LIKE :prefix || '%' ORDER BY depth, code"
        ),
        {"prefix": prefix},
    )
    return [AgencyNode(*r) for r in rows]


async def counts_by_agency(
    session: AsyncSession, prefix: str, year: int, g3_year: int
) -> dict[uuid.UUID, dict[str, int]]:
    """Per agency (its own staff only), every KPI numerator and denominator and funnel step."""
    sql = COUNTS.format(person_filter="").replace("%%", "%")
    rows = await session.execute(text(sql), {"prefix": prefix, "year": year, "g3_year": g3_year})
    return {r[0]: dict(zip(COUNT_COLUMNS, r[1:], strict=True)) for r in rows}


@dataclass(frozen=True, slots=True)
class PersonFlags:
    id: uuid.UUID
    agency_id: uuid.UUID
    first_name_th: str | None
    last_name_th: str | None
    employment_category: str | None
    g1_population: bool
    g2_population: bool
    started: bool
    self_assessed: bool
    finalised: bool
    plan_agreed: bool
    plan_evaluated: bool
    g3_holder: bool
    g3_as_planned: bool


async def people_flags(
    session: AsyncSession,
    prefix: str,
    year: int,
    g3_year: int,
    *,
    own_agency: uuid.UUID | None = None,
    supervisor: uuid.UUID | None = None,
    after: uuid.UUID | None = None,
    limit: int = 100,
) -> list[PersonFlags]:
    """The people behind the figures, with each flag, by id (keyset ``after``). ``own_agency``
    keeps one agency's own staff; ``supervisor`` the people reporting to them, at any depth."""
    conditions = []
    params: dict[str, object] = {"prefix": prefix, "year": year, "g3_year": g3_year}
    if own_agency is not None:
        conditions.append("AND p.agency_id = :own_agency")
        params["own_agency"] = own_agency
    if supervisor is not None:
        conditions.append(
            "AND p.id IN (WITH RECURSIVE team AS (SELECT id FROM person WHERE supervisor_id ="
            " :supervisor UNION SELECT x.id FROM person x JOIN team t ON x.supervisor_id = t.id)"
            " SELECT id FROM team)"
        )
        params["supervisor"] = supervisor
    if after is not None:
        conditions.append("AND p.id > :after")
        params["after"] = after
    params["limit"] = limit
    sql = (
        FLAGS.format(person_filter=" ".join(conditions)).replace("%%", "%")
        + """
SELECT id, agency_id, first_name_th, last_name_th, employment_category, g1_population,
    g2_population, started, self_assessed, finalised, plan_agreed, plan_evaluated, g3_holder,
    g3_as_planned
FROM flags ORDER BY id LIMIT :limit
"""
    )
    return [PersonFlags(*r) for r in await session.execute(text(sql), params)]


async def team_counts(
    session: AsyncSession, supervisor: uuid.UUID, year: int, g3_year: int
) -> dict[str, int]:
    """A supervisor's team (everyone reporting to them, at any depth): the same counts."""
    filter_ = (
        "AND p.id IN (WITH RECURSIVE team AS (SELECT id FROM person WHERE supervisor_id ="
        " :supervisor UNION SELECT x.id FROM person x JOIN team t ON x.supervisor_id = t.id)"
        " SELECT id FROM team)"
    )
    sql = COUNTS.format(person_filter=filter_).replace("%%", "%")
    totals = dict.fromkeys(COUNT_COLUMNS, 0)
    rows = await session.execute(
        text(sql), {"prefix": "/", "year": year, "g3_year": g3_year, "supervisor": supervisor}
    )
    for r in rows:
        for name, value in zip(COUNT_COLUMNS, r[1:], strict=True):
            totals[name] += value
    return totals


HEAT_MAP = """
SELECT ar.agency_id, g.grp AS staff_group, r.domain_code,
    count(*) AS required, count(*) FILTER (WHERE NOT r.met) AS not_met,
    count(DISTINCT r.person_id) AS people
FROM assessment_result_requirement r
JOIN assessment_result ar ON ar.person_id = r.person_id AND ar.assessment_id = r.assessment_id
CROSS JOIN LATERAL unnest(ar.groups) AS g(grp)
WHERE r.fiscal_year = :year AND r.kind = 'baseline'
  AND r.agency_id IN (SELECT id FROM agency WHERE path LIKE :prefix || '%')
  AND r.component = 'capability' AND r.domain_code IS NOT NULL AND {target} = true
GROUP BY ar.agency_id, g.grp, r.domain_code
"""


@dataclass(frozen=True, slots=True)
class HeatRow:
    agency_id: uuid.UUID
    staff_group: str
    domain_code: str
    required: int
    not_met: int
    people: int


async def heat_map(session: AsyncSession, prefix: str, year: int, target: str) -> list[HeatRow]:
    """Per agency, staff group and domain: required capability units and those not met in the
    year's final baseline results (``target``: ``present`` or ``future``)."""
    column = "r.present" if target == "present" else "r.future"
    rows = await session.execute(
        text(HEAT_MAP.format(target=column)), {"prefix": prefix, "year": year}
    )
    return [HeatRow(*r) for r in rows]


@dataclass(frozen=True, slots=True)
class ReadinessRow:
    agency_id: uuid.UUID
    staff_group: str
    stage: str | None
    band: int  # 0..4: below 25%, 25-50, 50-75, 75-100, 100%
    people: int


async def readiness_distribution(
    session: AsyncSession, prefix: str, year: int, target: str
) -> list[ReadinessRow]:
    """People per agency, staff group, stage and readiness band of the year's final baselines."""
    met, required = (
        ("present_met", "present_required")
        if target == "present"
        else (
            "future_met",
            "future_required",
        )
    )
    sql = f"""
SELECT ar.agency_id, g.grp, ar.stage,
    CASE WHEN ar.{met} = ar.{required} THEN 4
         ELSE least(3, floor(4.0 * ar.{met} / ar.{required}))::int END AS band,
    count(*)
FROM assessment_result ar CROSS JOIN LATERAL unnest(ar.groups) AS g(grp)
WHERE ar.fiscal_year = :year AND ar.kind = 'baseline' AND ar.{required} > 0
  AND ar.agency_id IN (SELECT id FROM agency WHERE path LIKE :prefix || '%')
GROUP BY 1, 2, 3, 4
"""  # noqa: S608 (column names from a fixed pair, never from input)
    rows = await session.execute(text(sql), {"prefix": prefix, "year": year})
    return [ReadinessRow(*r) for r in rows]


@dataclass(frozen=True, slots=True)
class RequirementRow:
    code: str
    component: str
    domain_code: str | None
    required: int
    met: int


async def requirement_totals(
    session: AsyncSession, prefix: str, year: int, target: str
) -> list[RequirementRow]:
    """Per requirement: how many final baselines of the year require it and how many met it."""
    column = "present" if target == "present" else "future"
    sql = f"""
SELECT code, component, domain_code, count(*), count(*) FILTER (WHERE met)
FROM assessment_result_requirement
WHERE fiscal_year = :year AND kind = 'baseline' AND {column}
  AND agency_id IN (SELECT id FROM agency WHERE path LIKE :prefix || '%')
GROUP BY code, component, domain_code
"""  # noqa: S608 (a fixed column name)
    rows = await session.execute(text(sql), {"prefix": prefix, "year": year})
    return [RequirementRow(*r) for r in rows]


async def effort_by_agency(
    session: AsyncSession, prefix: str, year: int, buckets: Sequence[tuple[str, int]]
) -> dict[uuid.UUID, dict[int, Decimal]]:
    """Actual hours recorded on the year's plans, per agency and 70:20:10 bucket (the bucket of
    each activity's method, ``buckets`` giving method code -> bucket)."""
    sql = """
WITH method(code, bucket) AS (
    SELECT * FROM unnest(CAST(:codes AS text[]), CAST(:buckets AS int[]))
)
SELECT p.agency_id, m.bucket, sum(e.hours)
FROM plan_effort e
JOIN development_plan dp ON dp.person_id = e.person_id AND dp.id = e.plan_id
JOIN person p ON p.id = e.person_id
JOIN plan_revision r
    ON r.person_id = e.person_id AND r.plan_id = e.plan_id AND r.revision = e.revision
CROSS JOIN LATERAL jsonb_array_elements(r.document -> 'items') it
CROSS JOIN LATERAL jsonb_array_elements(it -> 'activities') act
JOIN method m ON m.code = act ->> 'method'
WHERE dp.fiscal_year = :year AND act ->> 'id' = e.activity_id
  AND p.agency_id IN (SELECT id FROM agency WHERE path LIKE :prefix || '%')
GROUP BY p.agency_id, m.bucket
"""
    rows = await session.execute(
        text(sql),
        {
            "prefix": prefix,
            "year": year,
            "codes": [c for c, _ in buckets],
            "buckets": [b for _, b in buckets],
        },
    )
    found: dict[uuid.UUID, dict[int, Decimal]] = {}
    for agency_id, bucket, hours in rows:
        found.setdefault(agency_id, {})[bucket] = hours
    return found


async def learning_records_present(session: AsyncSession) -> bool:
    """Whether the learning-records table exists in this database (built by another feature)."""
    return bool(await session.scalar(text("SELECT to_regclass('learning_record') IS NOT NULL")))


async def completions_by_agency(
    session: AsyncSession, prefix: str, start: date, end: date
) -> dict[uuid.UUID, tuple[int, int]]:
    """Completions and passes from learning records (not voided) on days from ``start`` to
    ``end``, per agency of the person: (completions, people who completed something)."""
    rows = await session.execute(
        text(
            "SELECT p.agency_id, count(*), count(DISTINCT r.person_id)"
            " FROM learning_record r JOIN person p ON p.id = r.person_id"
            " WHERE NOT r.voided AND r.outcome IN ('completed', 'passed')"
            ' AND r."on" BETWEEN :start AND :end'
            " AND p.agency_id IN (SELECT id FROM agency WHERE path LIKE :prefix || '%')"
            " GROUP BY p.agency_id"
        ),
        {"prefix": prefix, "start": start, "end": end},
    )
    return {agency_id: (int(n), int(people)) for agency_id, n, people in rows}


async def staff_by_agency(session: AsyncSession, prefix: str) -> dict[uuid.UUID, int]:
    """Active people per agency (own staff)."""
    rows = await session.execute(
        text(
            "SELECT p.agency_id, count(*) FROM person p JOIN agency a ON a.id = p.agency_id"
            " WHERE a.path LIKE :prefix || '%' AND p.active AND p.erased_at IS NULL"
            " GROUP BY p.agency_id"
        ),
        {"prefix": prefix},
    )
    return {r[0]: r[1] for r in rows}


async def result_people(session: AsyncSession, prefix: str, year: int) -> dict[uuid.UUID, int]:
    """People with a final baseline result of the year, per agency."""
    rows = await session.execute(
        text(
            "SELECT agency_id, count(*) FROM assessment_result"
            " WHERE fiscal_year = :year AND kind = 'baseline'"
            " AND agency_id IN (SELECT id FROM agency WHERE path LIKE :prefix || '%')"
            " GROUP BY agency_id"
        ),
        {"prefix": prefix, "year": year},
    )
    return {r[0]: r[1] for r in rows}

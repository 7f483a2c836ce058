"""Agency tree queries: lookups, subtrees (materialised path), moves, versions, stages."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Boolean, func, insert, literal_column, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.db.models import Agency, AgencyVersion, StageDeclaration
from app.db.models.agency import AGENCY_CHANGE_SEQ, CURRENT_XID
from app.db.raw import driver_connection, text_list
from app.db.repositories.platform.changes import after, settled
from app.db.repositories.platform.subtrees import in_subtrees


def path_ids(path: str) -> list[uuid.UUID]:
    """Root first, the agency itself last."""
    return [uuid.UUID(part) for part in path.strip("/").split("/") if part]


def common_ancestor(paths: Collection[str]) -> uuid.UUID | None:
    """The deepest agency whose subtree holds every one of ``paths`` (None: none does)."""
    chains = [p.strip("/").split("/") for p in paths]
    shared = None
    for parts in zip(*chains, strict=False):
        if any(part != parts[0] for part in parts):
            break
        shared = parts[0]
    return uuid.UUID(shared) if shared else None


def child_path(parent_path: str | None, agency_id: uuid.UUID) -> str:
    return f"{parent_path or '/'}{agency_id}/"


@dataclass(frozen=True, slots=True)
class AgencyView:
    """An agency with its parent's code, as the API shows it."""

    agency: Agency
    parent_code: str | None


async def by_codes(session: AsyncSession, codes: Collection[str]) -> dict[str, Agency]:
    if not codes:
        return {}
    rows = await session.scalars(select(Agency).where(Agency.code.in_(list(codes))))
    return {a.code: a for a in rows}


async def ids_and_paths(
    session: AsyncSession, codes: Collection[str]
) -> dict[str, tuple[uuid.UUID, str]]:
    """``code -> (id, path)`` of these agencies: one array query on the driver, no ORM objects
    (a bulk sync places records in a hundred agencies or more per batch)."""
    if not codes:
        return {}
    conn = await driver_connection(session)
    rows = await conn.fetch(
        "SELECT code, id, path FROM agency"
        " WHERE code = ANY(ARRAY(SELECT json_array_elements_text($1::json)))",
        text_list(codes),
    )
    return {r[0]: (r[1], r[2]) for r in rows}


async def by_code(session: AsyncSession, code: str) -> Agency | None:
    return await session.scalar(select(Agency).where(Agency.code == code))


async def by_ids(session: AsyncSession, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, Agency]:
    if not ids:
        return {}
    rows = await session.scalars(select(Agency).where(Agency.id.in_(list(ids))))
    return {a.id: a for a in rows}


async def view(session: AsyncSession, code: str) -> AgencyView | None:
    parent = aliased(Agency)
    row = (
        await session.execute(
            select(Agency, parent.code)
            .outerjoin(parent, parent.id == Agency.parent_id)
            .where(Agency.code == code)
        )
    ).first()
    return AgencyView(row[0], row[1]) if row else None


async def page(
    session: AsyncSession,
    *,
    prefixes: Sequence[str] | None,
    position: tuple[int, int] | None,
    updated_since: datetime | None,
    limit: int,
) -> list[AgencyView]:
    """Agencies in change order (see changes.py); ``prefixes`` None means every agency."""
    parent = aliased(Agency)
    query = (
        select(Agency, parent.code)
        .outerjoin(parent, parent.id == Agency.parent_id)
        .where(settled(Agency.change_xid))
        .order_by(Agency.change_xid, Agency.change_seq)
        .limit(limit)
    )
    query = query.where(in_subtrees(Agency.path, prefixes))
    condition = after(Agency.change_xid, Agency.change_seq, position)
    if condition is not None:
        query = query.where(condition)
    if updated_since is not None:
        query = query.where(Agency.updated_at >= updated_since)
    return [AgencyView(a, code) for a, code in (await session.execute(query)).all()]


async def children_of(
    session: AsyncSession, parent_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, list[Agency]]:
    rows = await session.scalars(
        select(Agency).where(Agency.parent_id.in_(list(parent_ids))).order_by(Agency.code)
    )
    found: dict[uuid.UUID, list[Agency]] = {i: [] for i in parent_ids}
    for agency in rows:
        assert agency.parent_id is not None
        found[agency.parent_id].append(agency)
    return found


async def roots(session: AsyncSession) -> list[Agency]:
    rows = await session.scalars(
        select(Agency).where(Agency.parent_id.is_(None)).order_by(Agency.code)
    )
    return list(rows)


async def insert_agency(
    session: AsyncSession,
    *,
    agency_id: uuid.UUID,
    values: dict[str, object],
) -> None:
    await session.execute(insert(Agency).values(id=agency_id, **values))


async def update_agency(
    session: AsyncSession, agency_id: uuid.UUID, values: dict[str, object]
) -> None:
    await session.execute(
        update(Agency)
        .where(Agency.id == agency_id)
        .values(
            **values,
            change_seq=AGENCY_CHANGE_SEQ.next_value(),
            change_xid=CURRENT_XID,
            updated_at=func.now(),
        )
        .execution_options(synchronize_session=False)
    )


async def move_descendants(
    session: AsyncSession, *, old_path: str, new_path: str, depth_delta: int
) -> None:
    """Re-root every descendant of the agency at ``old_path`` (its own row is written apart)."""
    await session.execute(
        text(
            "UPDATE agency SET path = :new || substr(path, length(:old) + 1),"
            " depth = depth + :delta WHERE path LIKE :old || '%' AND path <> :old"
        ),
        {"new": new_path, "old": old_path, "delta": depth_delta},
    )


async def add_version(
    session: AsyncSession, *, agency_id: uuid.UUID, recorded_by: str, values: dict[str, object]
) -> None:
    next_version = (
        select(func.coalesce(func.max(AgencyVersion.version), 0) + 1)
        .where(AgencyVersion.agency_id == agency_id)
        .scalar_subquery()
    )
    await session.execute(
        insert(AgencyVersion).values(
            agency_id=agency_id, version=next_version, recorded_by=recorded_by, **values
        )
    )


async def versions(session: AsyncSession, agency_id: uuid.UUID) -> list[AgencyVersion]:
    rows = await session.scalars(
        select(AgencyVersion)
        .where(AgencyVersion.agency_id == agency_id)
        .order_by(AgencyVersion.version)
    )
    return list(rows)


async def declarations_for(
    session: AsyncSession, agency_ids: Collection[uuid.UUID], fiscal_year: int
) -> dict[uuid.UUID, StageDeclaration]:
    rows = await session.scalars(
        select(StageDeclaration).where(
            StageDeclaration.agency_id.in_(list(agency_ids)),
            StageDeclaration.fiscal_year == fiscal_year,
        )
    )
    return {d.agency_id: d for d in rows}


async def declarations_of(session: AsyncSession, agency_id: uuid.UUID) -> list[StageDeclaration]:
    rows = await session.scalars(
        select(StageDeclaration)
        .where(StageDeclaration.agency_id == agency_id)
        .order_by(StageDeclaration.fiscal_year)
    )
    return list(rows)


async def upsert_declaration(
    session: AsyncSession,
    *,
    agency_id: uuid.UUID,
    fiscal_year: int,
    stage: str,
    announced_on: date,
    declared_by: str,
    note: str | None,
) -> tuple[StageDeclaration, bool]:
    """The agency's declaration for the year, inserted or replaced; and whether it is new."""
    from sqlalchemy.dialects.postgresql import insert as pg_insert

    values = {
        "stage": stage,
        "announced_on": announced_on,
        "declared_by": declared_by,
        "note": note,
        "declared_at": func.now(),
    }
    statement = (
        pg_insert(StageDeclaration)
        .values(agency_id=agency_id, fiscal_year=fiscal_year, **values)
        .on_conflict_do_update(index_elements=["agency_id", "fiscal_year"], set_=values)
        # a row the statement inserted has no deleting transaction (xmax 0); an updated one has
        .returning(StageDeclaration, literal_column("xmax = 0", Boolean))
        .execution_options(populate_existing=True)
    )
    declaration, created = (await session.execute(statement)).one()
    return declaration, bool(created)

"""The database itself keeps the reporting line whole: a supervisor reference names a stored
person, and a person who supervises somebody cannot be removed (checked once per statement)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from tests.api.people.conftest import outcomes, person, sync

pytestmark = pytest.mark.usefixtures("tree")


@pytest.fixture
async def hris(api_key: Any) -> dict[str, str]:
    headers: dict[str, str] = await api_key("RD", "people:write")
    return headers


async def _fails(session: AsyncSession, statement: str, **params: Any) -> DBAPIError:
    with pytest.raises(DBAPIError) as caught:
        async with session.begin_nested():
            await session.execute(text(statement), params)
    return caught.value


async def test_a_supervisor_that_does_not_exist_is_refused_on_insert_and_update(
    client: httpx.AsyncClient, hris: dict[str, str], session: AsyncSession
) -> None:
    assert outcomes(await sync(client, [person("E2", supervisor="E1"), person("E1")], hris)) == [
        "created",
        "created",
    ]
    ghost = uuid.uuid4()
    error = await _fails(
        session,
        "UPDATE person SET supervisor_id = :ghost WHERE external_id = 'E2'",
        ghost=ghost,
    )
    assert getattr(error.orig, "sqlstate", None) == "23503"
    error = await _fails(
        session,
        "INSERT INTO person (id, source_agency_id, external_id, agency_id, supervisor_id, active)"
        " SELECT :id, source_agency_id, 'E9', agency_id, :ghost, true FROM person"
        " WHERE external_id = 'E1'",
        id=uuid.uuid4(),
        ghost=ghost,
    )
    assert getattr(error.orig, "sqlstate", None) == "23503"


async def test_a_person_who_supervises_somebody_cannot_be_deleted(
    client: httpx.AsyncClient, hris: dict[str, str], session: AsyncSession
) -> None:
    await sync(client, [person("E1"), person("E2", supervisor="E1")], hris)
    error = await _fails(session, "DELETE FROM person WHERE external_id = 'E1'")
    assert getattr(error.orig, "sqlstate", None) == "23503"
    async with session.begin_nested():
        await session.execute(text("DELETE FROM person WHERE external_id = 'E2'"))
        await session.execute(text("DELETE FROM person WHERE external_id = 'E1'"))
        left = await session.scalar(text("SELECT count(*) FROM person"))
    assert left == 0


async def test_rows_copied_in_by_a_bulk_sync_get_the_same_check(
    client: httpx.AsyncClient, hris: dict[str, str], session: AsyncSession
) -> None:
    """New people of a bulk sync are written with COPY; the statement's check applies to it as
    to an INSERT."""
    from app.db.raw import driver_connection
    from app.db.repositories.people import people as people_repo

    await sync(client, [person("E1")], hris)
    stored = (
        await session.execute(
            text("SELECT source_agency_id, agency_id FROM person WHERE external_id = 'E1'")
        )
    ).one()
    row = dict.fromkeys(people_repo.SYNC_COLUMNS)
    row.update(
        id=uuid.uuid4(),
        source_agency_id=stored[0],
        external_id="E9",
        first_name_th="สมชาย",
        last_name_th="ใจดี",
        agency_id=stored[1],
        supervisor_id=uuid.uuid4(),  # nobody
        active=True,
    )
    conn = await driver_connection(session)
    with pytest.raises(Exception) as caught:  # the driver's own error class  # noqa: PT011
        async with conn.transaction():
            await people_repo.copy_new(session, [tuple(row.values())])
    assert getattr(caught.value, "sqlstate", None) == "23503"

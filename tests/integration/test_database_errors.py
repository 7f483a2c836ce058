"""Database refusals caused by another writer are recognised however they are wrapped."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.errors import concurrent_write
from app.db.raw import driver_connection
from app.domain.errors import ConcurrentWrite

INSERT = text(
    "INSERT INTO person (id, source_agency_id, external_id, first_name_th, last_name_th,"
    " agency_id, active) VALUES (:id, :source, 'E1', 'ก', 'ข', :agency, true)"
)


async def test_a_duplicate_key_through_sqlalchemy_is_a_concurrent_write(
    session: AsyncSession,
) -> None:
    source, agency = uuid.uuid4(), uuid.uuid4()
    await session.execute(INSERT, {"id": uuid.uuid4(), "source": source, "agency": agency})
    with pytest.raises(DBAPIError) as caught:
        async with session.begin_nested():
            await session.execute(INSERT, {"id": uuid.uuid4(), "source": source, "agency": agency})
    conflict = concurrent_write(caught.value)
    assert isinstance(conflict, ConcurrentWrite)
    assert conflict.extensions == {
        "retry": True,
        "constraint": "uq_person_source_agency_id_external_id",
    }


async def test_a_duplicate_key_from_the_driver_is_a_concurrent_write(
    session: AsyncSession,
) -> None:
    source, agency = uuid.uuid4(), uuid.uuid4()
    await session.execute(INSERT, {"id": uuid.uuid4(), "source": source, "agency": agency})
    conn = await driver_connection(session)
    with pytest.raises(Exception) as caught:  # the driver's own class  # noqa: PT011
        async with conn.transaction():  # a savepoint
            await conn.execute(
                "INSERT INTO person (id, source_agency_id, external_id, first_name_th,"
                " last_name_th, agency_id, active) VALUES ($1, $2, 'E1', 'ก', 'ข', $3, true)",
                uuid.uuid4(),
                source,
                agency,
            )
    conflict = concurrent_write(caught.value)
    assert conflict is not None
    assert conflict.extensions["constraint"] == "uq_person_source_agency_id_external_id"


async def test_other_database_errors_are_not_conflicts(session: AsyncSession) -> None:
    with pytest.raises(DBAPIError) as caught:
        async with session.begin_nested():
            await session.execute(text("SELECT 1 / 0"))
    assert concurrent_write(caught.value) is None
    assert concurrent_write(ValueError("not from the database")) is None

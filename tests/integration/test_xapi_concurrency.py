"""Statements stored by writers at the same moment: one copy each, conflicts refused whole."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from app.db.engine import create_engine, create_session_factory, ensure_database
from app.db.migrate import upgrade_to_head
from app.domain.errors import Conflict
from app.services.learning import statements as service
from tests.conftest import operator_principal


def _statement(verb: str = "http://adlnet.gov/expapi/verbs/completed") -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "actor": {"mbox": f"mailto:{uuid.uuid4().hex}@race.go.th"},
        "verb": {"id": verb},
        "object": {"id": "https://learn.example/course/1"},
    }


async def test_identical_batches_posted_at_once_are_stored_once(database_url: str) -> None:
    url = (
        make_url(database_url)
        .set(database="thaksa_test_xapi_race")
        .render_as_string(hide_password=False)
    )
    await ensure_database(url, recreate=True)
    await asyncio.to_thread(upgrade_to_head, url)
    engine = create_engine(url, pool_size=4)
    factory = create_session_factory(engine)
    batch = [_statement() for _ in range(50)]
    other = [dict(s) for s in batch]
    other[7] = {**other[7], "verb": {"id": "http://adlnet.gov/expapi/verbs/failed"}}

    async def post(body: list[dict[str, Any]]) -> int:
        async with factory() as session, session.begin():
            stored = await service.store_statements(
                session, operator_principal(), body, home_page="https://thaksa.test"
            )
            return stored.written

    try:
        written = await asyncio.gather(*(post(batch) for _ in range(3)))
        with pytest.raises(Conflict):
            await post(other)
        async with engine.connect() as conn:
            count = (await conn.execute(text("SELECT count(*) FROM xapi_statement"))).scalar_one()
    finally:
        await engine.dispose()
    assert sorted(written) == [0, 0, 50]
    assert count == 50

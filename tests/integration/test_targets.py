"""A person's present and future targets: approved groups x the agency's declared stage (B1-B4)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Person
from app.domain.errors import Conflict
from app.domain.roles import MaturityStage, StaffGroup
from app.services.assessment.targets import targets_for


async def _targets(session: AsyncSession, line: dict[str, Any]) -> Any:
    person = await session.get(Person, uuid.UUID(line["officer_id"]))
    assert person is not None
    return await targets_for(session, person, line["year"])


async def test_a_technologist_in_a_developing_agency_targets_developing_now_and_mature_next(
    make_workforce: Any, session: AsyncSession
) -> None:
    targets = await _targets(session, await make_workforce(stage="developing"))
    assert [(t.stage, t.group) for t in targets.present] == [
        (MaturityStage.DEVELOPING, StaffGroup.TECHNOLOGIST)
    ]
    assert [(t.stage, t.group) for t in targets.future] == [
        (MaturityStage.MATURE, StaffGroup.TECHNOLOGIST)
    ]
    future_units = targets.codes("future")["unit"]
    assert {"DTr200", "DTr300"} <= set(future_units)  # printed DT200/DT300, resolved by name
    present = targets.codes("present")
    assert {f"K-F{i}" for i in range(1, 6)} <= set(present["knowledge"])
    assert {"DLit400", "DG100"} <= set(present["unit"])


async def test_a_mature_agency_has_no_future_target(
    make_workforce: Any, session: AsyncSession
) -> None:
    targets = await _targets(session, await make_workforce(stage="mature"))
    assert targets.future == ()
    assert targets.future_requirements == ()
    assert targets.present[0].stage is MaturityStage.MATURE


async def test_two_groups_give_the_union_of_both_profiles_once(
    make_workforce: Any, session: AsyncSession
) -> None:
    targets = await _targets(
        session, await make_workforce(stage="early", groups=("ACADEMIC", "SERVICE"))
    )
    assert {t.group for t in targets.present} == {StaffGroup.ACADEMIC, StaffGroup.SERVICE}
    keys = [(r.component, r.code) for r in targets.present_requirements]
    assert len(keys) == len(set(keys))


async def test_no_targets_without_an_approved_group(
    make_workforce: Any, session: AsyncSession
) -> None:
    line = await make_workforce()
    person = await session.get(Person, uuid.UUID(line["head_id"]))
    assert person is not None
    with pytest.raises(Conflict) as caught:
        await targets_for(session, person, line["year"])
    assert caught.value.extensions["rule"] == "B3"


async def test_no_targets_without_a_declared_stage(
    make_workforce: Any, session: AsyncSession
) -> None:
    line = await make_workforce()
    person = await session.get(Person, uuid.UUID(line["officer_id"]))
    assert person is not None
    with pytest.raises(Conflict) as caught:
        await targets_for(session, person, line["year"] + 1)
    assert caught.value.extensions["rule"] == "B1"

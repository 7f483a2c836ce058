"""`thaksa demo generate` and the demo loader."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession
from typer.testing import CliRunner

from app.cli import cli
from app.domain.people.synthetic import generate
from app.domain.principal import Principal, PrincipalKind, Role
from app.services.people import demo

runner = CliRunner()
OPERATOR = Principal(
    kind=PrincipalKind.USER, subject="cli:test", roles=frozenset({Role.CENTRAL_ADMIN})
)


def test_demo_generate_has_help_and_writes_the_same_file_for_the_same_seed(tmp_path: Path) -> None:
    assert runner.invoke(cli, ["demo", "generate", "--help"]).exit_code == 0
    paths = [tmp_path / "a.json", tmp_path / "b.json"]
    for path in paths:
        result = runner.invoke(
            cli, ["demo", "generate", "--people", "120", "--seed", "5", "--output", str(path)]
        )
        assert result.exit_code == 0, result.output
    assert paths[0].read_text() == paths[1].read_text()
    document = json.loads(paths[0].read_text())
    assert sum(len(p) for p in document["people"].values()) == 120
    first = next(iter(document["people"].values()))[0]
    assert first["first_name_th"]
    assert first["position_title"] == "ปลัดกระทรวง"


async def test_loading_the_demo_twice_changes_nothing_the_second_time(
    session: AsyncSession,
) -> None:
    org = generate(200, 11)
    today = date(2025, 1, 15)  # FY2568
    first = await demo.load(session, OPERATOR, org, pii_key=b"k", today=today)
    assert first["people"]["created"] == 200
    assert first["group_assignments"] == 200
    assert first["stages"] >= 1
    second = await demo.load(session, OPERATOR, org, pii_key=b"k", today=today)
    assert second["people"] == {"created": 0, "updated": 0, "unchanged": 200, "rejected": 0}
    assert (second["stages"], second["group_assignments"]) == (0, 0)
    approved = await session.scalar(
        text(
            "SELECT count(*) FROM staff_group_assignment"
            " WHERE state = 'approved' AND fiscal_year = 2568"
        )
    )
    assert approved == 200

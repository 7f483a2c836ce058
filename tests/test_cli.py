from __future__ import annotations

from pathlib import Path

import jwt
import pytest
from typer.testing import CliRunner

from app.cli import cli
from app.db.migrate import upgrade_to_head
from app.settings import get_settings

runner = CliRunner()


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["serve"],
        ["db", "upgrade"],
        ["token", "mint"],
        ["client", "create"],
        ["client", "revoke"],
        ["contract", "export"],
        ["seed", "load"],
        ["report", "export"],
        ["fonts", "install"],
    ],
)
def test_every_command_has_help(command: list[str]) -> None:
    result = runner.invoke(cli, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


def test_token_mint_prints_a_verifiable_token() -> None:
    result = runner.invoke(
        cli, ["token", "mint", "somsri", "-r", "supervisor", "--agency", "MOI", "--ttl", "120"]
    )
    assert result.exit_code == 0, result.output
    s = get_settings()
    claims = jwt.decode(
        result.output.strip(),
        s.jwt_secret.get_secret_value(),
        algorithms=["HS256"],
        audience=s.jwt_audience,
    )
    assert (claims["sub"], claims["roles"], claims["agency"]) == ("somsri", ["supervisor"], "MOI")
    assert claims["exp"] - claims["iat"] == 120


def test_token_mint_refuses_an_unknown_role() -> None:
    result = runner.invoke(cli, ["token", "mint", "x", "-r", "king"])
    assert result.exit_code == 2


def test_seed_load_loads_once_then_reports_that_nothing_changed(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio
    import json

    from sqlalchemy.engine import make_url

    from app.db.engine import ensure_database

    url = (
        make_url(database_url)
        .set(database="thaksa_test_cli_seed")
        .render_as_string(hide_password=False)
    )
    asyncio.run(ensure_database(url, recreate=True))
    upgrade_to_head(url)  # seed load uses the server's database as it is: it migrates nothing
    monkeypatch.setenv("THAKSA_DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        first = runner.invoke(cli, ["seed", "load"])
        second = runner.invoke(cli, ["seed", "load"])
    finally:
        get_settings.cache_clear()
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)["message"] == (
        "loaded: ocsc 2561 (created), tpqi-it-exec 2563 (created)"
    )
    report = json.loads(second.stdout)
    assert report["changed"] is False
    assert [f["status"] for f in report["frameworks"]] == ["unchanged", "unchanged"]


def test_seed_load_refuses_a_broken_seed_and_lists_the_problems(
    database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import asyncio
    import json
    import shutil

    from sqlalchemy.engine import make_url

    from app.db.engine import ensure_database
    from app.settings import REPO_ROOT

    shutil.copytree(REPO_ROOT / "seed", tmp_path / "seed")
    items_path = tmp_path / "seed" / "ocsc" / "items.json"
    items = json.loads(items_path.read_text(encoding="utf-8"))
    items[20]["parent"] = "NOWHERE"
    items_path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    url = (
        make_url(database_url)
        .set(database="thaksa_test_cli_bad")
        .render_as_string(hide_password=False)
    )
    asyncio.run(ensure_database(url, recreate=True))
    upgrade_to_head(url)
    monkeypatch.setenv("THAKSA_DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        result = runner.invoke(cli, ["seed", "load", "--dir", str(tmp_path / "seed")])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2
    assert "/ocsc/items/20/parent: [dangling-reference]" in result.output


def test_client_create_refuses_an_agency_that_does_not_exist(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio

    from sqlalchemy.engine import make_url

    from app.db.engine import ensure_database
    from app.db.migrate import upgrade_to_head

    url = (
        make_url(database_url)
        .set(database="thaksa_test_cli_client")
        .render_as_string(hide_password=False)
    )
    asyncio.run(ensure_database(url, recreate=True))
    upgrade_to_head(url)  # operator commands use a migrated database and never migrate it
    monkeypatch.setenv("THAKSA_DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        refused = runner.invoke(cli, ["client", "create", "HRIS", "--agency", "NOWHERE"])
        national = runner.invoke(cli, ["client", "create", "Central HR", "-s", "people:read"])
        listed = runner.invoke(cli, ["client", "list"])
    finally:
        get_settings.cache_clear()
    assert refused.exit_code == 2
    assert "/agency: [agency-unknown] no agency 'NOWHERE': register it first" in refused.output
    assert national.exit_code == 0, national.output
    assert "HRIS" not in listed.output
    assert "Central HR" in listed.output


def test_report_export_writes_every_person_of_the_subtree_with_a_progress_bar(
    database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import asyncio
    import csv
    import zipfile

    from sqlalchemy.engine import make_url

    from app.db.engine import ensure_database
    from app.domain.people.synthetic import generate
    from app.domain.reporting.exports import COLUMNS, ExportKind

    url = (
        make_url(database_url)
        .set(database="thaksa_test_cli_export")
        .render_as_string(hide_password=False)
    )
    asyncio.run(ensure_database(url, recreate=True))
    upgrade_to_head(url)
    monkeypatch.setenv("THAKSA_DATABASE_URL", url)
    get_settings.cache_clear()
    org = generate(40, 7)
    root = next(a["code"] for a in org.agencies if not a.get("parent"))
    out_csv, out_xlsx = tmp_path / "people.csv", tmp_path / "people.xlsx"
    try:
        loaded = runner.invoke(cli, ["demo", "generate", "--people", "40", "--seed", "7"])
        assert loaded.exit_code == 0, loaded.output
        base = ["report", "export", "people_readiness", "--agency", root, "--fiscal-year", "2569"]
        made_csv = runner.invoke(cli, [*base, "-o", str(out_csv)])
        made_xlsx = runner.invoke(cli, [*base, "-o", str(out_xlsx)])
        refused = runner.invoke(
            cli,
            [
                *base[:3],
                "--agency",
                "NO-SUCH",
                "--fiscal-year",
                "2569",
                "-o",
                str(tmp_path / "x.csv"),
            ],
        )
    finally:
        get_settings.cache_clear()
    assert made_csv.exit_code == 0, made_csv.output
    rows = list(csv.reader(out_csv.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0] == [c.header_th for c in COLUMNS[ExportKind.PEOPLE_READINESS]]
    assert len(rows) - 1 == org.people_count
    assert f"wrote {org.people_count} rows" in made_csv.stdout
    assert made_xlsx.exit_code == 0, made_xlsx.output
    assert "xl/worksheets/sheet1.xml" in zipfile.ZipFile(out_xlsx).namelist()
    assert refused.exit_code == 1
    assert "no agency" in refused.output

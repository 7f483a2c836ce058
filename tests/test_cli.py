from __future__ import annotations

import jwt
import pytest
from typer.testing import CliRunner

from app.cli import cli
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

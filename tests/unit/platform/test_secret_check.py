"""Start-up refuses the public development secrets wherever others can reach the service, and
says which setting to give and how; development on loopback needs no setting."""

from __future__ import annotations

import secrets

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from app.cli import cli
from app.main import create_app
from app.secret_check import GENERATE, InsecureSettings, insecure_settings, refuse_insecure
from app.settings import Settings, get_settings

DEFAULT_JWT = Settings.model_fields["jwt_secret"].get_default().get_secret_value()
DEFAULT_PII = Settings.model_fields["pii_hash_key"].get_default().get_secret_value()

LOOPBACK_HOSTS = ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]", "LocalHost"]
LOOPBACK = st.sampled_from(LOOPBACK_HOSTS)
ANY_INTERFACE = "0.0.0.0"  # noqa: S104
REACHABLE = st.sampled_from(
    [ANY_INTERFACE, "::", "10.0.0.5", "192.168.1.20", "203.0.113.7", "thaksa.go.th", "2001:db8::1"]
)
ENVS = st.sampled_from(["development", "production"])
WEAK = st.one_of(
    st.sampled_from(
        [DEFAULT_JWT, DEFAULT_PII, "secret", "change-me", "CHANGEME", "password", "Secret-Key"]
    ),
    st.text(min_size=1, max_size=31),  # too short
    st.sampled_from("ab01").flatmap(lambda c: st.just(c * 40)),  # one character repeated
)
STRONG = st.builds(lambda n: secrets.token_urlsafe(n), st.integers(32, 64))


def settings(**values: object) -> Settings:
    return Settings(**values)  # type: ignore[arg-type]


@given(host=LOOPBACK)
def test_development_on_loopback_starts_with_no_secret_given(host: str) -> None:
    assert insecure_settings(settings(host=host)) == []
    refuse_insecure(settings(host=host))


@given(host=st.one_of(LOOPBACK, REACHABLE), env=ENVS, jwt=WEAK, pii=STRONG)
def test_a_weak_jwt_secret_is_refused_outside_loopback_development(
    host: str, env: str, jwt: str, pii: str
) -> None:
    s = settings(host=host, env=env, jwt_secret=jwt, pii_hash_key=pii)
    problems = insecure_settings(s)
    if env == "development" and host in LOOPBACK_HOSTS:
        assert problems == []
        return
    assert len(problems) == 1
    assert problems[0].startswith("THAKSA_JWT_SECRET")
    with pytest.raises(InsecureSettings) as refused:
        refuse_insecure(s)
    assert GENERATE in str(refused.value)


@given(host=REACHABLE, env=ENVS, jwt=STRONG, pii=WEAK)
def test_a_weak_national_id_hash_key_is_refused_where_others_can_reach_it(
    host: str, env: str, jwt: str, pii: str
) -> None:
    problems = insecure_settings(settings(host=host, env=env, jwt_secret=jwt, pii_hash_key=pii))
    assert [p.split(":")[0] for p in problems] == ["THAKSA_PII_HASH_KEY"]


@given(host=LOOPBACK, jwt=WEAK, pii=WEAK)
def test_production_refuses_both_defaults_even_on_loopback(host: str, jwt: str, pii: str) -> None:
    problems = insecure_settings(
        settings(host=host, env="production", jwt_secret=jwt, pii_hash_key=pii)
    )
    assert [p.split(":")[0] for p in problems] == ["THAKSA_JWT_SECRET", "THAKSA_PII_HASH_KEY"]


@given(host=st.one_of(LOOPBACK, REACHABLE), env=ENVS, jwt=STRONG, pii=STRONG)
def test_strong_secrets_start_anywhere(host: str, env: str, jwt: str, pii: str) -> None:
    assert insecure_settings(settings(host=host, env=env, jwt_secret=jwt, pii_hash_key=pii)) == []


@given(host=REACHABLE, pii=STRONG)
def test_an_identity_provider_makes_the_jwt_secret_unused(host: str, pii: str) -> None:
    s = settings(host=host, jwt_jwks_url="https://idp.example/jwks", pii_hash_key=pii)
    assert insecure_settings(s) == []


def test_thaksa_serve_refuses_to_start_and_says_what_to_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("THAKSA_JWT_SECRET", "THAKSA_PII_HASH_KEY", "THAKSA_ENV"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("THAKSA_HOST", ANY_INTERFACE)
    # Nothing may start (not even the database): point it at a server that does not exist.
    monkeypatch.setenv("THAKSA_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli, ["serve"])
        elsewhere = CliRunner().invoke(cli, ["serve", "--host", "10.1.2.3"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2, result.output
    assert "THAKSA_JWT_SECRET" in result.output
    assert "THAKSA_PII_HASH_KEY" in result.output
    assert "listening on 0.0.0.0" in result.output
    assert GENERATE in result.output
    assert elsewhere.exit_code == 2
    assert "listening on 10.1.2.3" in elsewhere.output


async def test_the_app_itself_refuses_to_start_under_any_server() -> None:
    app = create_app(settings(env="production"), database_url="postgresql+asyncpg://x@h/db")
    with pytest.raises(InsecureSettings, match="THAKSA_ENV=production"):
        async with app.router.lifespan_context(app):
            pass

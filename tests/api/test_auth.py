"""Who is calling: user tokens (HS256, RS256 via JWKS) and integration API keys."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from app.main import create_app
from tests.conftest import build_runtime, make_settings
from tests.helpers import problem_of


async def test_me_without_credentials_is_401_problem(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/me")
    body = problem_of(response, 401)
    assert body["code"] == "unauthenticated"
    assert response.headers["www-authenticate"].startswith("Bearer")


async def test_me_with_a_minted_token_gives_the_principal(
    client: httpx.AsyncClient, auth: Callable[..., dict[str, str]]
) -> None:
    response = await client.get(
        "/api/v1/me", headers=auth("somchai", "employee", "supervisor", agency="MOF")
    )
    assert response.status_code == 200, response.text
    assert response.json() == {
        "kind": "user",
        "subject": "somchai",
        "name": None,
        "roles": ["employee", "supervisor"],
        "agency": "MOF",
        "scopes": [],
    }


def _token(secret: str, **overrides: object) -> str:
    now = int(time.time())
    claims: dict[str, object] = {
        "sub": "x",
        "iss": "thaksa",
        "aud": "thaksa",
        "iat": now,
        "exp": now + 60,
    }
    claims.update(overrides)
    return jwt.encode(claims, secret, algorithm="HS256")


@pytest.mark.parametrize(
    ("case", "overrides", "secret"),
    [
        ("expired", {"exp": int(time.time()) - 3600}, None),
        ("wrong signature", {}, "another-secret-another-secret-another!"),
        ("wrong audience", {"aud": "someone-else"}, None),
        ("wrong issuer", {"iss": "someone-else"}, None),
        ("no expiry", {"exp": None}, None),
    ],
)
async def test_bad_tokens_are_401(
    client: httpx.AsyncClient, settings, case: str, overrides: dict[str, object], secret: str | None
) -> None:
    claims = {k: v for k, v in overrides.items() if v is not None}
    token = _token(secret or settings.jwt_secret.get_secret_value(), **claims)
    if overrides.get("exp", 0) is None:
        token = jwt.encode(
            {"sub": "x", "iss": "thaksa", "aud": "thaksa"},
            settings.jwt_secret.get_secret_value(),
            algorithm="HS256",
        )
    response = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    body = problem_of(response, 401)
    assert body["reason"] in {"token-expired", "token-invalid"}, case


async def test_garbage_and_wrong_scheme_are_401(client: httpx.AsyncClient) -> None:
    problem_of(await client.get("/api/v1/me", headers={"Authorization": "Bearer not.a.jwt"}), 401)
    problem_of(await client.get("/api/v1/me", headers={"Authorization": "Basic dXNlcjpwdw=="}), 401)


@pytest.fixture
def jwks_server() -> Iterator[tuple[str, rsa.RSAPrivateKey]]:
    """An identity provider's JWKS endpoint on loopback."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    jwk.update({"kid": "k1", "use": "sig", "alg": "RS256"})
    payload = json.dumps({"keys": [jwk]}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/.well-known/jwks.json", key
    finally:
        server.shutdown()


async def test_rs256_tokens_are_verified_through_a_jwks_url(
    engine, session_factory, jwks_server
) -> None:
    url, key = jwks_server
    settings = make_settings(
        jwt_jwks_url=url, jwt_issuer="https://idp.example", jwt_audience="thaksa-api"
    )
    app = create_app(settings, runtime=build_runtime(settings, engine, session_factory))
    now = int(time.time())
    claims = {
        "sub": "u1",
        "iss": "https://idp.example",
        "aud": "thaksa-api",
        "exp": now + 60,
        "roles": ["supervisor"],
        "agency": "DOPA",
    }
    good = jwt.encode(claims, key, algorithm="RS256", headers={"kid": "k1"})
    hs = jwt.encode(claims, "a-shared-secret-a-shared-secret-a-shared", algorithm="HS256")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        ok = await c.get("/api/v1/me", headers={"Authorization": f"Bearer {good}"})
        assert ok.status_code == 200, ok.text
        assert ok.json()["roles"] == ["supervisor"]
        assert ok.json()["agency"] == "DOPA"
        # an HS256 token is refused once an identity provider is configured
        problem_of(await c.get("/api/v1/me", headers={"Authorization": f"Bearer {hs}"}), 401)


async def _create_client(
    client: httpx.AsyncClient, admin_headers: dict[str, str], scopes: list[str]
) -> dict:
    rd = {"code": "RD", "name_th": "กรมสรรพากร", "kind": "department"}
    registered = await client.post("/api/v1/agencies/bulk", headers=admin_headers, json=[rd])
    assert registered.status_code == 200, registered.text
    response = await client.post(
        "/api/v1/clients",
        headers=admin_headers,
        json={"name": "HRIS กรมสรรพากร", "agency": "RD", "scopes": scopes},
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_client_for_an_agency_that_does_not_exist_is_refused(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    for agency in ("NOWHERE", ""):
        response = await client.post(
            "/api/v1/clients",
            headers=admin_headers,
            json={"name": "HRIS", "agency": agency, "scopes": ["people:read"]},
        )
        error = problem_of(response, 422)["errors"][0]
        assert (error["pointer"], error["rule"]) == ("/agency", "agency-unknown")
        assert "register it first" in error["detail"]
    listed = await client.get("/api/v1/clients", headers=admin_headers)
    assert listed.json()["items"] == []


async def test_api_key_authenticates_as_its_client(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    created = await _create_client(client, admin_headers, ["people:write"])
    assert created["api_key"].startswith("thk_")
    for headers in (
        {"Authorization": f"Bearer {created['api_key']}"},
        {"X-API-Key": created["api_key"]},
    ):
        me = await client.get("/api/v1/me", headers=headers)
        assert me.status_code == 200, me.text
        assert me.json()["kind"] == "client"
        assert me.json()["agency"] == "RD"
        assert me.json()["scopes"] == ["people:write"]


async def test_the_key_is_shown_once_and_stored_only_as_a_hash(
    client: httpx.AsyncClient, admin_headers: dict[str, str], session
) -> None:
    from sqlalchemy import text

    created = await _create_client(client, admin_headers, [])
    listed = await client.get("/api/v1/clients", headers=admin_headers)
    assert all("api_key" not in c for c in listed.json()["items"])
    secret = created["api_key"].split("_", 2)[2]
    stored = (
        await session.execute(
            text("SELECT key_hash FROM integration_client WHERE id = :i"), {"i": created["id"]}
        )
    ).scalar_one()
    assert secret not in stored
    assert len(stored) == 64


async def test_revoked_key_is_401(client: httpx.AsyncClient, admin_headers: dict[str, str]) -> None:
    created = await _create_client(client, admin_headers, ["audit:read"])
    revoke = await client.post(f"/api/v1/clients/{created['id']}/revoke", headers=admin_headers)
    assert revoke.status_code == 200
    assert revoke.json()["revoked_at"]
    body = problem_of(
        await client.get("/api/v1/me", headers={"X-API-Key": created["api_key"]}), 401
    )
    assert body["reason"] == "key-revoked"


async def test_tampered_key_is_401(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    created = await _create_client(client, admin_headers, [])
    problem_of(
        await client.get("/api/v1/me", headers={"X-API-Key": created["api_key"][:-2] + "xx"}), 401
    )
    problem_of(await client.get("/api/v1/me", headers={"X-API-Key": "thk_nounderscore"}), 401)


async def test_key_used_outside_its_scope_is_403(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    created = await _create_client(client, admin_headers, ["people:write"])
    body = problem_of(
        await client.get("/api/v1/audit-events", headers={"X-API-Key": created["api_key"]}), 403
    )
    assert body["required_scope"] == "audit:read"
    reader = await _create_client(client, admin_headers, ["audit:read"])
    assert (
        await client.get("/api/v1/audit-events", headers={"X-API-Key": reader["api_key"]})
    ).status_code == 200


async def test_roles_gate_user_actions(
    client: httpx.AsyncClient, auth: Callable[..., dict[str, str]]
) -> None:
    body = problem_of(
        await client.post(
            "/api/v1/clients", headers=auth("e1", "agency_admin", agency="RD"), json={"name": "x"}
        ),
        403,
    )
    assert body["required_roles"] == ["central_admin"]
    problem_of(await client.get("/api/v1/audit-events", headers=auth("e1", "employee")), 403)


async def test_clients_cannot_manage_clients(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    created = await _create_client(client, admin_headers, ["people:write", "audit:read"])
    problem_of(
        await client.post(
            "/api/v1/clients", headers={"X-API-Key": created["api_key"]}, json={"name": "y"}
        ),
        403,
    )


async def test_unknown_scope_is_refused_with_a_pointer(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    response = await client.post(
        "/api/v1/clients",
        headers=admin_headers,
        json={"name": "x", "scopes": ["people:write", "root"]},
    )
    body = problem_of(response, 422)
    assert [e["pointer"] for e in body["errors"]] == ["/scopes/1"]

"""Runtime configuration, read from the environment (prefix ``THAKSA_``) and an optional ``.env``.

Every setting is listed with its default in the README; keep the two in step.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[1]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="THAKSA_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # Database. Unset means: start (or reuse) an embedded PostgreSQL in ``data_dir``.
    database_url: str | None = None
    data_dir: Path = REPO_ROOT / ".data"
    database_name: str = "thaksa"
    db_pool_size: int = 10
    db_echo: bool = False

    # Where this runs. ``production`` (or listening on anything but loopback) makes start-up refuse
    # the development secrets below: see app/secret_check.py.
    env: Literal["development", "production"] = "development"

    # HTTP
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    max_body_bytes: int = 10 * 1024 * 1024
    rate_limit_per_minute: int = Field(
        default=1200, description="Requests a minute per credential; 0 turns the limit off."
    )
    graphiql: bool = False
    graphql_public_introspection: bool = Field(
        default=False,
        description="Introspection and 'Did you mean' hints for callers without credentials too.",
    )
    graphql_timeout_seconds: float = Field(
        default=10.0, description="A GraphQL operation still running after this is stopped."
    )
    graphql_answer_cache: int = Field(
        default=2000,
        ge=0,
        description="Dashboard answers kept per process while current (0: none kept).",
    )
    cors_origins: list[str] = []

    # User tokens (JWT). HS256 with a shared secret for development; RS256 from a JWKS URL
    # (an OIDC provider) in production. When jwks_url is set, only RS256 tokens are accepted.
    # The default is public: it serves development on loopback only (app/secret_check.py).
    jwt_secret: SecretStr = SecretStr("dev-only-change-me-dev-only-change-me")
    jwt_issuer: str = "thaksa"
    jwt_audience: str = "thaksa"
    jwt_jwks_url: str | None = None
    jwt_leeway_seconds: int = 30
    jwt_default_ttl_seconds: int = 3600

    # The portal (portal/, served at /portal). Sign-in is OpenID Connect (authorization code with
    # PKCE) against this issuer and public client; its tokens must be the ones jwt_jwks_url
    # verifies. dev_signin adds a page that signs in as any person of the data (development only:
    # start-up refuses it elsewhere, app/secret_check.py).
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_scope: str = "openid profile"
    dev_signin: bool = False
    portal_dir: Path = REPO_ROOT / "portal" / "dist"

    # Personal data: national ids are kept only as HMAC-SHA256 under this key (matching works,
    # reversal does not). Changing it makes stored hashes unmatchable until the HRIS re-syncs.
    pii_hash_key: SecretStr = SecretStr("dev-only-pii-hash-key-change-me")

    # HRIS sync: how long a stored Idempotency-Key answer is replayed.
    idempotency_ttl_hours: int = 24

    # Start-up behaviour of ``thaksa serve``
    migrate_on_start: bool = True
    load_seed_on_start: bool = True
    seed_dir: Path = REPO_ROOT / "seed"
    migrations_dir: Path | None = None
    demo_people: int = Field(
        default=0, description="Load a synthetic demo organisation of this many people (0 = none)."
    )

    # Running as a production service (README "Operations", docs/operations.md).
    workers: int = Field(default=1, ge=1, description="Worker processes of `thaksa serve`.")
    shutdown_timeout_seconds: float = Field(
        default=30.0, ge=0, description="On SIGTERM, how long requests in flight may finish."
    )
    log_format: Literal["json", "text"] = "json"
    metrics_token: SecretStr | None = Field(
        default=None,
        description="Bearer token for /metrics; unset: /metrics answers loopback callers only.",
    )
    otlp_endpoint: str | None = Field(
        default=None, description="OTLP/HTTP collector for traces (unset: no tracing at all)."
    )
    otlp_service_name: str = "thaksa"
    trace_sample_ratio: float = Field(default=1.0, ge=0.0, le=1.0)
    # Printed documents: the folder holding the Thai font (``thaksa fonts install`` fills it).
    fonts_dir: Path = REPO_ROOT / ".data" / "fonts"
    # Exports: a request for more rows than this runs as a job (202 + status) instead of streaming.
    export_stream_max_rows: int = Field(
        default=50_000, description="Larger exports run as jobs (POST /exports)."
    )
    export_dir: Path = REPO_ROOT / ".data" / "exports"

    @property
    def uses_embedded_database(self) -> bool:
        return not self.database_url

    def resolved_migrations_dir(self) -> Path:
        if self.migrations_dir is not None:
            return self.migrations_dir
        for candidate in (REPO_ROOT / "migrations", Path.cwd() / "migrations"):
            if (candidate / "env.py").exists():
                return candidate
        raise RuntimeError("migrations folder not found; set THAKSA_MIGRATIONS_DIR")


@lru_cache
def get_settings() -> Settings:
    return Settings()

"""Start-up refuses the public development secrets wherever others can reach the service.

The defaults of ``THAKSA_JWT_SECRET`` and ``THAKSA_PII_HASH_KEY`` are in the source: with them
anyone can mint a central administrator's token or reverse the national-id hashes by brute force.
They are accepted only in development on a loopback interface; a production setting
(``THAKSA_ENV=production``) or any other interface (``0.0.0.0``, a public address, a host name other
than ``localhost``) needs real secrets.
"""

from __future__ import annotations

import ipaddress

from app.settings import Settings

MIN_SECRET_LENGTH = 32
GENERATE = "python -c 'import secrets; print(secrets.token_urlsafe(48))'"

# Values found in examples, tutorials and leaked configurations; compared case-insensitively,
# ignoring punctuation.
_KNOWN_WEAK = {
    "secret",
    "changeme",
    "password",
    "jwtsecret",
    "secretkey",
    "mysecret",
    "supersecret",
    "development",
    "test",
    "thaksa",
}
_WEAK_MARKERS = ("changeme", "devonly", "example", "notsecret", "insecure")


class InsecureSettings(RuntimeError):
    """The service must not start with these settings; the message says what to set and how."""

    def __init__(self, problems: list[str], where: str) -> None:
        self.problems = problems
        super().__init__(
            f"refusing to start with development or weak secrets ({where}):\n"
            + "\n".join(f"  - {p}" for p in problems)
            + f"\nGenerate each secret with: {GENERATE}"
        )


def is_loopback(host: str) -> bool:
    name = host.strip().strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def is_development(settings: Settings, host: str | None = None) -> bool:
    """Development on loopback: the only place the public defaults are accepted."""
    return settings.env == "development" and is_loopback(host or settings.host)


def weakness(value: str) -> str | None:
    """Why a secret is weak (a default, a known value, too short, too repetitive), or None."""
    folded = "".join(c for c in value.lower() if c.isalnum())
    default_values = {
        Settings.model_fields[name].get_default().get_secret_value()
        for name in ("jwt_secret", "pii_hash_key")
    }
    if value in default_values:
        return "it is the public development default"
    if folded in _KNOWN_WEAK or any(m in folded for m in _WEAK_MARKERS):
        return "it is a well-known placeholder"
    if len(value) < MIN_SECRET_LENGTH:
        return f"it is shorter than {MIN_SECRET_LENGTH} characters"
    if len(set(value)) < 10:
        return "it repeats too few distinct characters"
    return None


def insecure_settings(settings: Settings, host: str | None = None) -> list[str]:
    """What must change before the service may listen on ``host`` (default the setting)."""
    if is_development(settings, host):
        return []
    problems: list[str] = []
    if settings.dev_signin:
        problems.append(
            "THAKSA_DEV_SIGNIN: the development sign-in lets anyone act as anyone; turn it off"
            " (sign in through THAKSA_OIDC_ISSUER)"
        )
    if settings.jwt_jwks_url is None:
        why = weakness(settings.jwt_secret.get_secret_value())
        if why:
            problems.append(
                f"THAKSA_JWT_SECRET: {why}; give a random secret of at least"
                f" {MIN_SECRET_LENGTH} characters (or THAKSA_JWT_JWKS_URL for your identity"
                " provider)"
            )
    why = weakness(settings.pii_hash_key.get_secret_value())
    if why:
        problems.append(
            f"THAKSA_PII_HASH_KEY: {why}; give a random key of at least {MIN_SECRET_LENGTH}"
            " characters and keep it (changing it later makes stored national-id hashes"
            " unmatchable)"
        )
    return problems


def refuse_insecure(settings: Settings, host: str | None = None) -> None:
    """Raise :class:`InsecureSettings` unless the secrets are fit for where the service runs."""
    problems = insecure_settings(settings, host)
    if problems:
        host = host or settings.host
        where = (
            "THAKSA_ENV=production"
            if settings.env != "development"
            else f"listening on {host}, not a loopback interface"
        )
        raise InsecureSettings(problems, where)

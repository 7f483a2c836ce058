"""Authorisation decisions, in one place. Routers and resolvers never decide who may do what."""

from __future__ import annotations

from app.domain.errors import Forbidden
from app.domain.principal import Principal, Role


def require_user_role(principal: Principal, *roles: Role) -> None:
    """Only a person holding one of ``roles`` (clients never pass)."""
    if principal.is_client or not principal.has_role(*roles):
        wanted = ", ".join(r.value for r in roles)
        raise Forbidden(
            f"this needs one of the roles: {wanted}", required_roles=[r.value for r in roles]
        )


def require(
    principal: Principal, *, roles: tuple[Role, ...] = (), scope: str | None = None
) -> None:
    """A person with one of ``roles``, or a client granted ``scope``."""
    if principal.is_client:
        if scope is None or not principal.has_scope(scope):
            raise Forbidden(
                f"this client's key does not carry the scope {scope!r}"
                if scope
                else "integration clients may not do this",
                required_scope=scope,
            )
        return
    if roles and not principal.has_role(*roles):
        wanted = ", ".join(r.value for r in roles)
        raise Forbidden(
            f"this needs one of the roles: {wanted}", required_roles=[r.value for r in roles]
        )

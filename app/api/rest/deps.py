"""Request-scoped dependencies: the unit of work and the calling principal."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.principal import Principal
from app.runtime import Runtime
from app.services.platform import auth


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One transaction per request: committed when the handler returns, rolled back on error.

    ``scope="function"`` below makes the commit happen before the response is sent, so a
    client never sees success for a write that did not land.
    """
    runtime = get_runtime(request)
    async with runtime.session_factory() as session, session.begin():
        yield session


DbSession = Annotated[AsyncSession, Depends(get_session, scope="function")]


async def get_principal(
    request: Request,
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
    x_api_key: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Principal:
    """The caller. A bearer token needs no database; an API key is looked up in a short session
    of its own (a read), so a route that never reads the database never opens a session."""
    runtime = get_runtime(request)
    opened: list[AsyncSession] = []

    def session() -> AsyncSession:
        opened.append(runtime.session_factory())
        return opened[-1]

    try:
        return await auth.authenticate(
            session, runtime.tokens, runtime.limiter, authorization=authorization, api_key=x_api_key
        )
    finally:
        for s in opened:
            await s.close()


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]

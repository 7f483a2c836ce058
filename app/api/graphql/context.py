"""Per-request GraphQL context: one session (one transaction), the principal, DataLoaders."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, TypeVar

from fastapi import Header, Request
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.fastapi import BaseContext

from app.domain.errors import Unauthenticated
from app.domain.principal import Principal
from app.runtime import Runtime
from app.services.platform import auth

T = TypeVar("T")


@dataclass
class Context(BaseContext):
    runtime: Runtime
    session: AsyncSession
    authorization: str | None
    api_key: str | None
    loaders: dict[str, Any] = field(default_factory=dict)
    _principal: Principal | None = None
    _auth_error: Exception | None = None
    # GraphQL resolves sibling fields concurrently, but one session runs one statement at a time.
    db_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def __post_init__(self) -> None:
        super().__init__()

    async def principal(self) -> Principal:
        """The caller, authenticated once per request; Unauthenticated without credentials."""
        if self._principal is None:
            async with self.db_lock:
                if self._auth_error is not None:
                    raise self._auth_error
                if self._principal is None:
                    try:
                        self._principal = await auth.authenticate(
                            self.session,
                            self.runtime.tokens,
                            self.runtime.limiter,
                            authorization=self.authorization,
                            api_key=self.api_key,
                        )
                    except Unauthenticated as exc:
                        self._auth_error = exc
                        raise
        return self._principal

    async def use_db(self, work: Callable[[AsyncSession, Principal], Awaitable[T]]) -> T:
        """Run ``work(session, principal)`` alone on the request's session (resolvers and
        DataLoaders run concurrently; never await a DataLoader inside ``work``)."""
        principal = await self.principal()
        async with self.db_lock:
            return await work(self.session, principal)

    def loader(self, name: str, factory: Any) -> Any:
        """One DataLoader of each kind per request (created on first use)."""
        if name not in self.loaders:
            self.loaders[name] = factory(self)
        return self.loaders[name]


async def get_context(
    request: Request,
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
    x_api_key: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> AsyncIterator[Context]:
    runtime: Runtime = request.app.state.runtime
    # The transaction is committed (or rolled back) by CodedErrors at the end of the operation,
    # before the response is written; closing here only returns the connection.
    async with runtime.session_factory() as session:
        yield Context(
            runtime=runtime, session=session, authorization=authorization, api_key=x_api_key
        )

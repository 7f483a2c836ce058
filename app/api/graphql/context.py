"""Per-request GraphQL context: one session (one transaction), the principal, DataLoaders."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Header, Request
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.fastapi import BaseContext

from app.domain.errors import Unauthenticated
from app.domain.principal import Principal
from app.runtime import Runtime
from app.services import auth


@dataclass
class Context(BaseContext):
    runtime: Runtime
    session: AsyncSession
    authorization: str | None
    api_key: str | None
    loaders: dict[str, Any] = field(default_factory=dict)
    # Sibling fields resolve concurrently but share one session (one transaction): every use of
    # the session in a resolver or DataLoader holds this lock.
    db_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _principal: Principal | None = None
    _auth_error: Exception | None = None

    def __post_init__(self) -> None:
        super().__init__()

    async def principal(self) -> Principal:
        """The caller, authenticated once per request; Unauthenticated without credentials."""
        async with self.db_lock:
            return await self._authenticate()

    async def _authenticate(self) -> Principal:
        if self._principal is None:
            if self._auth_error is not None:
                raise self._auth_error
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

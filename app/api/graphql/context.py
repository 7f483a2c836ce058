"""Per-request GraphQL context: one session (one transaction), the principal, DataLoaders.

GraphQL resolves sibling fields concurrently, and graphql-core cancels the siblings of a field
whose error reaches the top; one ``AsyncSession`` allows one operation at a time and is left
unusable when a statement is cancelled half-way. So the session is private to this class and
reached only through :meth:`Context.use_db`, which runs each piece of work alone (one lock) and
to its end (a cancelled caller stops waiting; the work does not stop). The operation ends with
:meth:`Context.finish`, which waits for work in flight before it commits or rolls back; work
asked for after that is refused without touching the session.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.util import greenlet_spawn

from app.domain.errors import Unauthenticated
from app.domain.principal import Principal
from app.runtime import Runtime
from app.services.platform import auth

T = TypeVar("T")


class OperationEnded(RuntimeError):
    """Database work asked for after the operation's transaction ended (never reaches a
    client: only work whose result nobody waits for any more can ask that late)."""


class Context:
    def __init__(
        self,
        *,
        runtime: Runtime,
        session: AsyncSession | None = None,
        authorization: str | None,
        api_key: str | None,
    ) -> None:
        self.runtime = runtime
        self.authorization = authorization
        self.api_key = api_key
        self.loaders: dict[str, Any] = {}
        # Set during validation: an anonymous caller gets no "Did you mean …?" hints.
        self.hide_suggestions = False
        # Set by the guard when the operation is a query: its session reads without a
        # transaction of its own (no BEGIN and COMMIT round trips; see docs/graphql.md).
        self.read_only = False
        self.__session = session
        self.__driver: Any = None  # a pooled connection without a session (use_driver)
        self.__lock = asyncio.Lock()
        self.__ended = False
        self.__in_flight: set[asyncio.Future[Any]] = set()
        self.__principal: Principal | None = None
        self.__auth_error: Unauthenticated | None = None

    async def _serialised(self, work: Callable[[], Awaitable[T]]) -> T:
        """Run ``work()`` alone on the session and to its end, even when the caller is
        cancelled (the lock is held until the work is done, so nothing overlaps it); ``work``
        opens the session with :meth:`_session` when it needs it."""

        async def alone() -> T:
            async with self.__lock:
                if self.__ended:
                    raise OperationEnded("the GraphQL operation's transaction has ended")
                return await work()

        task = asyncio.ensure_future(alone())
        self.__in_flight.add(task)
        task.add_done_callback(self.__settled)
        return await asyncio.shield(task)

    def _session(self) -> AsyncSession:
        """The operation's session, opened on first use (an operation that never reaches the
        database never takes a connection)."""
        if self.__session is None:
            factory = (self.read_only and self.runtime.read_session_factory) or (
                self.runtime.session_factory
            )
            self.__session = factory()
        return self.__session

    async def close(self) -> None:
        """Return the connections (after :meth:`finish` or :meth:`abort`)."""
        if self.__session is not None:
            with contextlib.suppress(Exception):  # an aborted session was invalidated already
                await self.__session.close()
        if self.__driver is not None:
            driver, self.__driver = self.__driver, None
            with contextlib.suppress(Exception):
                await greenlet_spawn(driver.close)

    def __settled(self, task: asyncio.Future[Any]) -> None:
        self.__in_flight.discard(task)
        # A caller that was cancelled never reads the outcome; read it so it is not reported.
        if not task.cancelled():
            task.exception()

    async def principal(self) -> Principal:
        """The caller, authenticated once per request; Unauthenticated without credentials."""
        if self.__principal is not None:
            return self.__principal

        async def authenticate() -> Principal:
            if self.__principal is not None:
                return self.__principal
            if self.__auth_error is not None:
                raise self.__auth_error
            try:
                self.__principal = await auth.authenticate(
                    self._session,
                    self.runtime.tokens,
                    self.runtime.limiter,
                    authorization=self.authorization,
                    api_key=self.api_key,
                )
            except Unauthenticated as exc:
                self.__auth_error = exc
                raise
            return self.__principal

        return await self._serialised(authenticate)

    async def use_db(self, work: Callable[[AsyncSession, Principal], Awaitable[T]]) -> T:
        """Run ``work(session, principal)`` alone on the request's session (resolvers and
        DataLoaders run concurrently; never await a DataLoader inside ``work``)."""
        principal = await self.principal()
        return await self._serialised(lambda: work(self._session(), principal))

    async def use_driver(self, work: Callable[[Any, Principal], Awaitable[T]]) -> T:
        """Run ``work(connection, principal)`` on an asyncpg connection taken from the pool
        without a session (no transaction: for a few reads sent as they stand, on a path where
        a session's set-up and tear-down would cost more than the reads)."""
        principal = await self.principal()

        async def run() -> T:
            bind = self.runtime.session_factory.kw.get("bind")
            if isinstance(bind, AsyncConnection):  # sessions share one connection: use it too
                shared = (await bind.get_raw_connection()).driver_connection
                return await work(shared, principal)
            if self.__driver is None:
                self.__driver = await self.runtime.engine.raw_connection()
            return await work(self.__driver.driver_connection, principal)

        return await self._serialised(run)

    async def finish(self, *, commit: bool) -> None:
        """End the operation's transaction once the work in flight is done: commit, or roll
        back. Later work is refused; a second call does nothing."""
        async with self.__lock:
            if self.__ended:
                return
            self.__ended = True
            session = self.__session
            if session is None:
                return
            if not commit:
                if not session.info.get("reads_only"):
                    await session.rollback()
                # (a session that only reads runs without a transaction: nothing to roll back;
                # closing it returns the connection)
                return
            try:
                await session.commit()
            except BaseException:
                with contextlib.suppress(Exception):
                    await session.rollback()
                raise

    async def abort(self) -> None:
        """End the operation now (it ran out of time, or the client went away): stop the work
        in flight and discard the session's connection rather than wait for it."""
        self.__ended = True
        in_flight = list(self.__in_flight)
        for task in in_flight:
            task.cancel()
        await asyncio.gather(*in_flight, return_exceptions=True)
        if self.__session is not None:
            with contextlib.suppress(Exception):
                await self.__session.invalidate()
        if self.__driver is not None:
            driver, self.__driver = self.__driver, None
            with contextlib.suppress(Exception):
                await greenlet_spawn(driver.invalidate)

    def loader(self, name: str, factory: Any) -> Any:
        """One DataLoader of each kind per request (created on first use)."""
        if name not in self.loaders:
            self.loaders[name] = factory(self)
        return self.loaders[name]


@contextlib.asynccontextmanager
async def operation_context(
    runtime: Runtime, *, authorization: str | None, api_key: str | None
) -> AsyncIterator[Context]:
    """The context of one operation. The transaction is committed (or rolled back) by
    CodedErrors at the end of the operation, before the response is written; here, a request
    that never reached execution is rolled back, and closing returns the connection once no
    work is in flight."""
    context = Context(runtime=runtime, authorization=authorization, api_key=api_key)
    try:
        yield context
    finally:
        await context.finish(commit=False)
        await context.close()

"""What features above ``people`` do when people change, without ``people`` importing them:
they register here (at import) and the people services call them in the same transaction.

* ``people_written``: after a sync or a single-record write created or changed people (xAPI
  statements about an actor not known when posted are linked to the person then);
* ``person_erased``: after a PDPA erasure (statements lose the person's identifying data).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

PeopleWritten = Callable[[AsyncSession, Sequence[uuid.UUID]], Awaitable[None]]
PersonErased = Callable[[AsyncSession, uuid.UUID], Awaitable[None]]

_written: list[PeopleWritten] = []
_erased: list[PersonErased] = []


def on_people_written(hook: PeopleWritten) -> PeopleWritten:
    if hook not in _written:
        _written.append(hook)
    return hook


def on_person_erased(hook: PersonErased) -> PersonErased:
    if hook not in _erased:
        _erased.append(hook)
    return hook


async def people_written(session: AsyncSession, ids: Sequence[uuid.UUID]) -> None:
    if ids:
        for hook in _written:
            await hook(session, ids)


async def person_erased(session: AsyncSession, person_id: uuid.UUID) -> None:
    for hook in _erased:
        await hook(session, person_id)

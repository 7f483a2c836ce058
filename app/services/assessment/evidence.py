"""Evidence on framework items that features above ``assessment`` know of (completions of
courses from e-learning providers), shown beside the items of the assessment form without
``assessment`` importing them: a feature registers a source here at import."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.assessment.form import FormEvidence

EvidenceSource = Callable[
    [AsyncSession, uuid.UUID, uuid.UUID | None], Awaitable[dict[str, list[FormEvidence]]]
]

_sources: list[EvidenceSource] = []


def source(found: EvidenceSource) -> EvidenceSource:
    if found not in _sources:
        _sources.append(found)
    return found


async def evidence_of(
    session: AsyncSession, person_id: uuid.UUID, version_id: uuid.UUID | None
) -> dict[str, list[FormEvidence]]:
    """Framework item code -> evidence on it, from every registered source."""
    found: dict[str, list[FormEvidence]] = {}
    for each in _sources:
        for code, shown in (await each(session, person_id, version_id)).items():
            found.setdefault(code, []).extend(shown)
    return found

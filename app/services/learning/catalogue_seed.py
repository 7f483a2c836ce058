"""Loading the seed's course catalogue (``seed/catalogue/``) at ``thaksa seed load`` and start.

Idempotent: providers are put as they are, courses upserted by the providers' bulk path, so a
second load reports every course unchanged. An agency provider is owned by the agency of the
same code (upper case) when it is registered, else stays unowned until an administrator sets
its agency (``PUT /api/v1/course-providers/{code}``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.repositories.learning import catalogue as repo
from app.db.repositories.people import agencies as agency_repo
from app.domain.errors import FieldError, ValidationFailed
from app.domain.learning.catalogue_seed import seed_catalogue
from app.domain.principal import Principal
from app.services.learning.catalogue import put_provider
from app.services.learning.courses import sync_courses

FILES = ("providers.json", "capabilities.json", "curricula.json")


def read_catalogue(folder: Path) -> list[Any] | None:
    """The three files, or None when the seed has no catalogue."""
    if not all((folder / name).is_file() for name in FILES):
        return None
    return [json.loads((folder / name).read_text(encoding="utf-8")) for name in FILES]


async def load_catalogue(session: AsyncSession, seed_dir: Path, actor: Principal) -> dict[str, Any]:
    files = read_catalogue(Path(seed_dir) / "catalogue")
    if files is None:
        return {"status": "absent"}
    seed = seed_catalogue(*files)
    counts: dict[str, dict[str, int]] = {}
    for body in seed.providers:
        code = body.pop("code")
        existing = await repo.provider_by_code(session, code)
        owner = await agency_repo.by_code(session, code.upper())
        if body["kind"] != "national":
            body["agency"] = (
                owner.code
                if owner is not None
                else await _agency_code(session, existing.agency_id if existing else None)
            )
        await put_provider(session, actor, code, body)
        report = await sync_courses(session, actor, code, list(seed.courses[code]), dry_run=False)
        rejected = [r for r in report.results if r.errors]
        if rejected:
            errors = [
                FieldError(f"/catalogue/{code}{e.pointer}", e.rule, e.message)
                for r in rejected
                for e in r.errors
            ]
            raise ValidationFailed(errors, detail=f"seed catalogue {code}: rejected courses")
        counts[code] = report.counts()
    return {"status": "loaded", "courses": counts}


async def _agency_code(session: AsyncSession, agency_id: Any) -> str | None:
    if agency_id is None:
        return None
    found = await agency_repo.by_ids(session, [agency_id])
    return found[agency_id].code if agency_id in found else None

"""The answer stamp: a short text that changes whenever anything a person's dashboard is computed
from changes, read in two statements.

* **Person-owned rows** (every table ``app/db/distribution.py`` places as person-owned, the
  person's own row included): each row's ``xmin`` (the transaction that wrote this version) and
  ``ctid`` (where the version lies) change on every insert, update or delete, so the list of them
  over the person's rows, in ``ctid`` order, is different after any write. Each part is a lookup
  by the distribution column, as every query of a person's data is.
* **Reference data** (frameworks, the catalogue, agencies and their policies): the counters of
  ``reference_change``, bumped by a statement-level trigger on every reference table (migration
  0018).
* **The review queue**: the same versions of the assessments awaiting the caller's review and of
  their people, so a report who submits, or whose name the HR system changes, changes their
  supervisor's stamp. The condition is the queue's (``assessments.awaiting``): submitted, and
  either the caller is the recorded supervisor or, for an administrator, nobody is and the
  assessment's agency lies in the administrator's reach.

Two statements, sent to the driver as they stand (prepared once per connection): the caller's
rows with the reference counters (every part a lookup by the caller's person), then the review
queue (the reports' rows), so that no statement reads two people's rows (``docs/scaling.md``).
They run on every dashboard request, hit or not, and cost a fraction of a millisecond each.

A stamp says nothing about the day: callers add it (a dashboard defaults to the fiscal year of
today).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.distribution import TABLES
from app.db.raw import reader

PERSON_OWNED: tuple[tuple[str, str], ...] = tuple(
    (name, placement.column or "person_id")
    for name, placement in sorted(TABLES.items())
    if placement.kind == "person"
)


def _versions(*tables: str) -> str:
    return " || ':' || ".join(f"{t}.xmin::text || ':' || {t}.ctid::text" for t in tables)


# table and column names come from the placement table, never from input
# (each part in its place, "-" for a table without the person's rows: concat_ws would skip a
# NULL, and two tables' parts must never stand in for each other)
_PERSON = [
    f"coalesce((SELECT md5(string_agg({_versions(name)}, ',' ORDER BY ctid)) FROM {name}"  # noqa: S608
    f" WHERE {key} = $1), '-')"
    for name, key in PERSON_OWNED
]
_REFERENCE = (
    "(SELECT md5(string_agg(table_name || ':' || n, ',' ORDER BY table_name))"
    " FROM reference_change)"
)
_QUEUE_VERSIONS = _versions("assessment", "person")
_QUEUE = f"""(SELECT md5(string_agg({_QUEUE_VERSIONS}, ',' ORDER BY assessment.id))
    FROM assessment JOIN person ON person.id = assessment.person_id
    WHERE assessment.status = 'submitted'
      AND (assessment.supervisor_id = $1
           OR (assessment.supervisor_id IS NULL AND assessment.agency_id IN (
               SELECT agency.id FROM agency
               WHERE agency.path LIKE ANY (
                   SELECT prefix || '%' FROM unnest($2::text[]) prefix)))))"""  # noqa: S608
# Two statements: the caller's own rows (one shard, were people distributed: docs/scaling.md)
# with the reference counters, and the review queue (the reports' rows, found by supervisor).
OWN = "SELECT concat_ws('|', " + ", ".join([*_PERSON, _REFERENCE]) + ")"
QUEUE = "SELECT " + _QUEUE


async def answer_stamp(
    db: AsyncSession | Any, person_id: uuid.UUID | None, admin_paths: Sequence[str]
) -> str:
    """The stamp of the person's rows (none when ``person_id`` is None), of reference data and
    of the review queue of that person as supervisor and, for an administrator, of the agencies
    under ``admin_paths`` (``"/"``: every agency)."""
    raw = await reader(db)
    own = await raw.fetchval(OWN, person_id)
    queue = await raw.fetchval(QUEUE, person_id, list(admin_paths))
    return f"{own or ''}|{queue or ''}"

"""How each table would be laid out on Citus (distributed PostgreSQL), declared in one place.

Thaksa runs on one PostgreSQL; this is the plan for when a workforce outgrows it (see
``docs/scaling.md``). ``tests/unit/test_distribution.py`` holds the schema to Citus's rules:

* a **person-owned** table is distributed by ``person_id`` (``person`` itself by ``id``), all of
  them co-located, so that everything about one person lives on one node: its primary key and
  every unique constraint or index include the distribution column, and a foreign key to
  another person-owned table includes it on both sides;
* a **reference** table (frameworks, the catalogue, agencies, their policies, clients) is copied
  to every node: it never refers to a distributed table;
* a table distributed **on its own key** (append-only logs) is spread by that key, co-located
  with nothing and joined with nothing;
* a **local** table stays on the coordinator and has no foreign key to or from a distributed
  table.

A new table that is not classified here fails that test. A rule a table cannot keep is written
in ``exceptions`` below with the reason and what Citus would do instead.

A column that names a row on another shard (a person's supervisor, a statement's person) is a
**link**, declared in ``links`` with the reason: a statement that joins through it
leaves one shard. ``tests/api/test_colocated_joins.py`` reads every statement the request paths
run and fails on any join of two distributed rows that is neither on the distribution column nor
through a declared link.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["person", "reference", "own-key", "local"]


@dataclass(frozen=True)
class Placement:
    kind: Kind
    column: str | None = None  # the distribution column (person, own-key)
    why: str = ""
    # Constraint or index names (or "person_id": a table that links a person without being
    # owned by one) that break a rule on purpose, with the reason.
    exceptions: dict[str, str] = field(default_factory=dict)
    # Columns that name a row on another shard: column -> (the distributed table whose
    # distribution column it holds, why).
    links: dict[str, tuple[str, str]] = field(default_factory=dict)


PERSON = "person_id"

TABLES: dict[str, Placement] = {
    # Everything about one person: distributed by person, co-located with ``person``.
    "person": Placement(
        "person",
        "id",
        why="the person: the distribution key of everything person-owned",
        exceptions={
            "uq_person_source_agency_id_external_id": (
                "an HRIS's key (source agency, external id) names one person across all of"
                " them; on Citus it becomes a lookup table distributed by source agency"
                " (person_key: source_agency_id, external_id -> person_id) written in the same"
                " transaction, which the sync reads first to find each record's person"
            ),
            "uq_person_source_subject": (
                "a login (token subject) names one person of a source across all of them; on"
                " Citus it becomes a lookup table distributed by subject (person_subject:"
                " subject, source_agency_id -> person_id, agency path), read once per request"
                " to find the caller's person"
            ),
        },
        links={
            "supervisor_id": (
                "person",
                "the first-line supervisor is another person, on another shard: a person read"
                " shows the supervisor's external id, and supervisor lines (myReports, team"
                " reports, the queues' approvers) are walked through it; on Citus a multi-shard"
                " join (repartitioned), or the supervisor's key kept on the person's row",
            )
        },
    ),
    "staff_group_assignment": Placement("person", PERSON),
    "assessment": Placement("person", PERSON),
    "assessment_rating": Placement("person", PERSON),
    "development_plan": Placement("person", PERSON),
    "plan_revision": Placement("person", PERSON),
    "plan_effort": Placement("person", PERSON),
    "learning_record": Placement("person", PERSON),
    "assessment_result": Placement("person", PERSON),
    "assessment_result_requirement": Placement("person", PERSON),
    "digital_target_designation": Placement("person", PERSON),
    # Small, read everywhere, joined with person-owned rows: a copy on every node.
    "agency": Placement("reference", why="the agency tree: thousands of rows at most"),
    "reporting_policy": Placement("reference", why="one row an agency"),
    "course_provider": Placement("reference", why="the catalogue's providers: a handful"),
    "course": Placement("reference", why="the catalogue: thousands of courses, read everywhere"),
    "course_activity": Placement("reference", why="a course's xAPI activity ids"),
    "course_item": Placement("reference", why="a course's framework items"),
    "course_revision": Placement("reference", why="the catalogue's history"),
    "xapi_account_home": Placement("reference", why="registered xAPI account home pages"),
    "agency_version": Placement("reference", why="agency history, read with the tree"),
    "stage_declaration": Placement("reference", why="one row an agency a year"),
    "assessment_policy": Placement("reference", why="one row an agency"),
    "planning_policy": Placement("reference", why="one row an agency"),
    "framework": Placement("reference", why="the catalogue of frameworks"),
    "framework_version": Placement("reference", why="the catalogue"),
    "framework_item": Placement("reference", why="the catalogue: hundreds of items a version"),
    "crosswalk_link": Placement("reference", why="the catalogue"),
    "role_profile": Placement("reference", why="the catalogue: 18 profiles a version"),
    "role_profile_requirement": Placement("reference", why="the catalogue"),
    "integration_client": Placement("reference", why="the API keys: read on every request"),
    "reference_change": Placement(
        "reference",
        why=(
            "one write counter a reference table, read by every dashboard's stamp; on Citus"
            " the statement triggers that bump it (migration 0018) stay on the coordinator,"
            " where writes to reference tables are planned"
        ),
    ),
    # Append-only, large, read by time and scope: spread by its own key.
    "audit_event": Placement(
        "own-key", "id", why="append-only trail; reads page over every shard by id"
    ),
    "idempotency_key": Placement(
        "own-key",
        "principal",
        why="one caller's stored answers; looked up by (principal, key) only",
    ),
    "xapi_statement": Placement(
        "own-key",
        "id",
        why=(
            "statements as received, immutable; many concern no known person yet (an actor is"
            " linked later), so they cannot live with a person; queries by agent or activity"
            " run on every shard"
        ),
        exceptions={
            "person_id": (
                "the person the actor was matched to, null until the person is known: a link,"
                " not an owner; what a statement does to a person (effort, evidence) is kept in"
                " person-owned rows; the ingestion asks which statements have no learning"
                " record yet through it (a repartition join on Citus, run per batch)"
            )
        },
        links={
            "person_id": (
                "person",
                "the matched person: learning records are derived from statements by it",
            ),
        },
    ),
    "xapi_document": Placement(
        "own-key",
        "agency_path",
        why=(
            "e-learning providers' documents (state, profiles), written and read by one client"
            " in its own reach only: every request names the reach, so it goes to one shard;"
            " joined with nothing"
        ),
    ),
    # Coordinator only.
    "export_job": Placement("local", why="a few export jobs and their progress"),
    "rate_limit_bucket": Placement(
        "local", why="unlogged counters of the rate limiter, one row a credential"
    ),
}

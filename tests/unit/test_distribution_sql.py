"""The checker behind tests/api/test_colocated_joins.py, on statements written for it: a join of
two people's rows is found wherever it hides, and a join on the person is never taken for one."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.db.distribution import TABLES
from tests.unit.distribution_sql import COLUMNS, crossings

PERSON_OWNED = [
    ("person", "id"),
    ("assessment", "person_id"),
    ("assessment_rating", "person_id"),
    ("development_plan", "person_id"),
    ("plan_revision", "person_id"),
    ("plan_effort", "person_id"),
    ("learning_record", "person_id"),
    ("staff_group_assignment", "person_id"),
]

ON_ONE_SHARD = [
    "SELECT * FROM assessment a JOIN assessment_rating r"
    " ON r.person_id = a.person_id AND r.assessment_id = a.id WHERE a.person_id = $1",
    "SELECT * FROM assessment a, person p WHERE a.person_id = $1 AND p.id = $1",
    "SELECT * FROM person p JOIN development_plan d USING (id)"
    " JOIN plan_revision r ON r.person_id = d.person_id WHERE p.id = d.person_id",
    "SELECT * FROM assessment a WHERE EXISTS"
    " (SELECT 1 FROM plan_revision r WHERE r.person_id = a.person_id AND r.revision > 1)",
    "SELECT * FROM assessment a WHERE a.status = 'final' OR a.person_id IN"
    " (SELECT id FROM person WHERE supervisor_id = $1)",
    "SELECT a.*, (SELECT count(*) FROM plan_effort e WHERE e.person_id = a.person_id)"
    " FROM assessment a",
    "WITH x AS (SELECT person_id FROM assessment WHERE id = $1)"
    " SELECT * FROM x JOIN development_plan d ON d.person_id = x.person_id",
    "SELECT * FROM (SELECT person_id AS pid FROM assessment) s JOIN person p ON p.id = s.pid",
    "SELECT * FROM person p JOIN (SELECT person_id FROM assessment UNION ALL"
    " SELECT person_id FROM development_plan) u ON u.person_id = p.id",
    "INSERT INTO assessment_rating (person_id, assessment_id)"
    " SELECT a.person_id, a.id FROM assessment a WHERE a.id = $1",
    "UPDATE assessment SET status = 'final' FROM person p WHERE p.id = assessment.person_id",
    "DELETE FROM plan_effort e USING development_plan d WHERE d.person_id = e.person_id",
    "WITH src AS (SELECT * FROM unnest($1::uuid[], $2::uuid[]) AS t(person_id, statement_id)),"
    " added AS (INSERT INTO learning_record (person_id, statement_id)"
    " SELECT person_id, statement_id FROM src RETURNING person_id)"
    " INSERT INTO plan_effort (person_id) SELECT person_id FROM added",
    "SELECT * FROM assessment a JOIN agency g ON g.id = a.agency_id"
    " JOIN framework_item i ON i.id = $2 WHERE a.person_id = $1",
    "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
]

ACROSS_SHARDS = [
    # another person's rows, through a column that is not the distribution column
    "SELECT * FROM assessment a JOIN assessment a2 ON a2.supervisor_id = a.person_id",
    "SELECT * FROM assessment a JOIN person s ON s.id = a.supervisor_id WHERE a.person_id = $1",
    "SELECT * FROM assessment a WHERE a.supervisor_id IN"
    " (SELECT id FROM person WHERE subject = $1)",
    "SELECT * FROM assessment a WHERE EXISTS (SELECT 1 FROM assessment b"
    " WHERE b.supervisor_id = a.person_id)",
    # an equality under OR or NOT holds for some rows only
    "SELECT * FROM assessment a, person p WHERE a.person_id = $1 OR p.id = a.person_id",
    "SELECT * FROM assessment a JOIN person p ON NOT (p.id <> a.person_id OR true)",
    # two people's keys, or none
    "SELECT * FROM assessment a, development_plan d WHERE a.person_id = $1 AND d.person_id = $2",
    "SELECT * FROM assessment a, development_plan d"
    " WHERE a.person_id = ANY($1) AND d.person_id = ANY($1)",
    "SELECT * FROM person a CROSS JOIN person b",
    # hidden in a CTE, a subquery or an INSERT ... SELECT
    "WITH reviewer AS (SELECT supervisor_id AS id FROM assessment WHERE id = $1)"
    " SELECT * FROM reviewer JOIN development_plan d ON d.person_id = reviewer.id",
    "SELECT * FROM (SELECT supervisor_id FROM assessment) s JOIN development_plan d"
    " ON d.person_id = s.supervisor_id",
    "INSERT INTO assessment_rating (person_id, assessment_id)"
    " SELECT a.supervisor_id, a.id FROM assessment a",
    # a table distributed by its own key joins nothing on the person
    "SELECT * FROM audit_event e JOIN person p ON p.id = e.id",
]

THROUGH_LINKS = [
    (
        "WITH boss AS (SELECT supervisor_id AS id FROM person WHERE id = $1)"
        " SELECT * FROM boss JOIN assessment a ON a.person_id = boss.id",
        "person.supervisor_id",
    ),
    (
        "SELECT * FROM person p LEFT JOIN person s ON s.id = p.supervisor_id WHERE p.id = $1",
        "person.supervisor_id",
    ),
    (
        "SELECT * FROM staff_group_assignment g JOIN person p ON p.id = g.person_id"
        " LEFT JOIN person b ON b.id = p.supervisor_id",
        "person.supervisor_id",
    ),
    (
        "SELECT * FROM person p WHERE p.id IN (WITH RECURSIVE team AS (SELECT id FROM person"
        " WHERE supervisor_id = $1 UNION SELECT x.id FROM person x JOIN team t"
        " ON x.supervisor_id = t.id) SELECT id FROM team)",
        "person.supervisor_id",
    ),
    (
        "SELECT * FROM xapi_statement s WHERE NOT EXISTS (SELECT 1 FROM learning_record r"
        " WHERE r.person_id = s.person_id AND r.statement_id = s.id)",
        "xapi_statement.person_id",
    ),
]


@pytest.mark.parametrize("sql", ON_ONE_SHARD)
def test_a_join_on_the_person_stays_on_one_shard(sql: str) -> None:
    assert crossings(sql) == []


@pytest.mark.parametrize("sql", ACROSS_SHARDS)
def test_a_join_of_two_peoples_rows_is_found(sql: str) -> None:
    found = crossings(sql)
    assert found, sql
    assert all(c.via is None for c in found), found


@pytest.mark.parametrize(("sql", "link"), THROUGH_LINKS)
def test_a_join_through_a_declared_link_is_named_by_it(sql: str, link: str) -> None:
    found = crossings(sql)
    assert found
    assert {c.via for c in found} == {link}


def test_a_recursive_supervisor_line_crosses_shards_at_each_step() -> None:
    sql = (
        "WITH RECURSIVE chain(id, sup) AS (SELECT id, supervisor_id FROM person WHERE id = $1"
        " UNION SELECT p.id, p.supervisor_id FROM person p JOIN chain c ON p.id = c.sup)"
        " SELECT * FROM chain"
    )
    assert [str(c) for c in crossings(sql)] == ["person x person p (via person.supervisor_id)"]


def test_every_statement_of_a_batch_is_read() -> None:
    assert [str(c) for c in crossings("SELECT 1; SELECT * FROM person a, person b")] == [
        "person a x person b"
    ]


tables = st.sampled_from(PERSON_OWNED)


@given(left=tables, right=tables, key=st.sampled_from(["$1", "'x'"]))
def test_any_two_person_owned_tables_on_their_person_stay_together(
    left: tuple[str, str], right: tuple[str, str], key: str
) -> None:
    # statements built here are only parsed, never sent
    joined = f"SELECT * FROM {left[0]} l JOIN {right[0]} r ON r.{right[1]} = l.{left[1]}"  # noqa: S608
    pinned = f"SELECT * FROM {left[0]} l, {right[0]} r WHERE l.{left[1]} = {key}"  # noqa: S608
    pinned += f" AND {key} = r.{right[1]}"
    assert crossings(joined) == []
    assert crossings(pinned) == []


@given(left=tables, right=tables, data=st.data())
def test_any_two_person_owned_tables_on_anything_else_are_apart(
    left: tuple[str, str], right: tuple[str, str], data: st.DataObject
) -> None:
    declared = set(TABLES[right[0]].links)
    others = sorted(COLUMNS[right[0]] - {right[1]} - declared)
    column = data.draw(st.sampled_from(others))
    sql = f"SELECT * FROM {left[0]} l JOIN {right[0]} r ON r.{column} = l.{left[1]}"  # noqa: S608
    found = crossings(sql)
    assert len(found) == 1
    assert found[0].via is None

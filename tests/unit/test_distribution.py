"""The schema keeps Citus's rules (``app/db/distribution.py``), so that it can be distributed
by person when one PostgreSQL is no longer enough (docs/scaling.md)."""

from __future__ import annotations

import pytest
from sqlalchemy import Index, Table, UniqueConstraint

from app.db import models  # noqa: F401  (registers every table)
from app.db.base import Base
from app.db.distribution import TABLES, Placement

ALL = {t.name: t for t in Base.metadata.sorted_tables}
DISTRIBUTED = ("person", "own-key")


def _placement(table: Table) -> Placement:
    return TABLES[table.name]


def _uniques(table: Table) -> list[tuple[str, set[str]]]:
    found: list[tuple[str, set[str]]] = []
    for c in table.constraints:
        if isinstance(c, UniqueConstraint):
            found.append((str(c.name), {col.name for col in c.columns}))
    for index in table.indexes:
        if isinstance(index, Index) and index.unique:
            found.append((str(index.name), {col.name for col in index.columns}))
    return found


def test_every_table_is_classified_and_every_classified_table_exists() -> None:
    assert sorted(set(ALL) - set(TABLES)) == [], "classify the new table in distribution.py"
    assert sorted(set(TABLES) - set(ALL)) == []


@pytest.mark.parametrize("name", sorted(n for n, p in TABLES.items() if p.kind in DISTRIBUTED))
def test_a_distributed_table_has_its_column_in_its_keys(name: str) -> None:
    table, placement = ALL[name], TABLES[name]
    assert placement.column in table.c, f"{name} has no {placement.column}"
    assert placement.column in {c.name for c in table.primary_key.columns}
    for constraint, columns in _uniques(table):
        if constraint in placement.exceptions:
            continue
        assert placement.column in columns, (
            f"{name}.{constraint} ({sorted(columns)}) leaves out {placement.column}: a unique"
            " key Citus cannot enforce across nodes"
        )


def test_every_person_owned_table_is_keyed_by_person() -> None:
    for name, placement in TABLES.items():
        if placement.kind == "person":
            assert placement.column == ("id" if name == "person" else "person_id"), name
        else:
            assert "person_id" not in ALL[name].c or "person_id" in placement.exceptions, (
                f"{name} has a person_id: is it person-owned?"
            )


@pytest.mark.parametrize("name", sorted(TABLES))
def test_foreign_keys_follow_the_placement(name: str) -> None:
    table, placement = ALL[name], TABLES[name]
    for fk in table.foreign_key_constraints:
        target = TABLES[fk.referred_table.name]
        pairs = {(e.parent.name, e.column.name) for e in fk.elements}
        if target.kind == "reference":
            assert placement.kind != "local", f"{name} -> {fk.referred_table.name}"
            continue  # any table may refer to a copy that is on every node
        assert placement.kind == "person" == target.kind, (
            f"{name} ({placement.kind}) -> {fk.referred_table.name} ({target.kind}):"
            " only co-located person-owned tables refer to each other"
        )
        assert (placement.column, target.column) in pairs, (
            f"{name}.{fk.name} does not include the person on both sides: {sorted(pairs)}"
        )


def test_every_exception_names_a_real_constraint_and_says_why() -> None:
    for name, placement in TABLES.items():
        names = {c for c, _ in _uniques(ALL[name])} | {"person_id"} & set(ALL[name].c.keys())
        for constraint, why in placement.exceptions.items():
            assert constraint in names, f"{name}: no {constraint}"
            assert len(why) > 40, f"{name}.{constraint}: say why, and what Citus would do"


def test_every_link_names_a_column_and_a_distributed_table_and_says_why() -> None:
    for name, placement in TABLES.items():
        for column, (target, why) in placement.links.items():
            assert column in ALL[name].c, f"{name}: no {column}"
            assert placement.kind in DISTRIBUTED, f"{name} is not distributed: no shard to leave"
            assert TABLES[target].kind in DISTRIBUTED, f"{name}.{column} -> {target}"
            assert len(why) > 40, f"{name}.{column}: say why it crosses shards"

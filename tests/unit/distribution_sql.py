"""Which joins in a SQL statement would leave one Citus shard, read with PostgreSQL's own parser.

``app/db/distribution.py`` places every table; a person-owned table is distributed by the person
(``person`` by ``id``, the others by ``person_id``), all co-located. Two distributed rows in one
statement stay on one node only when the statement equates their distribution columns, directly
or through a chain (``a.person_id = r.person_id``, ``a.person_id = $1 AND r.person_id = $1``,
``a.person_id IN (SELECT person_id FROM ...)``, a correlated ``EXISTS``, a CTE's or a subquery's
output column). ``crossings`` names every pair of distributed table occurrences in a statement that
no such chain links: ``JOIN person s ON s.id = p.supervisor_id`` is one (two people's rows), and so
is any join of a person-owned row with a table distributed by its own key.

Only equalities that hold for every pair of rows joined count: the top-level ``AND`` terms of a
``WHERE``, a ``JOIN ... ON`` or ``USING``, and ``x IN (SELECT y ...)`` / ``x = ANY (SELECT y
...)`` wherever it stands (it pairs rows only where ``x = y``); an equality under ``OR`` or
``NOT`` links nothing. A table occurrence the checker cannot tie to the others is reported, never
assumed to be co-located.

A join through a column that ``app/db/distribution.py`` declares a link (``person.supervisor_id``:
another person's row) is reported with ``via`` naming the links that join the two occurrences;
the caller decides whether that crossing is one the placement accepts.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pglast import ast, parse_sql
from pglast.enums import A_Expr_Kind, BoolExprType, SetOperation, SubLinkType

from app.db import models  # noqa: F401  (registers every table)
from app.db.base import Base
from app.db.distribution import TABLES, Placement

Term = tuple[Any, ...]

COLUMNS: dict[str, frozenset[str]] = {
    t.name: frozenset(c.name for c in t.columns) for t in Base.metadata.sorted_tables
}


@dataclass(frozen=True)
class Crossing:
    """Two distributed table occurrences of one statement that no distribution-column equality
    links: Citus would join rows of two shards (or could not plan it)."""

    left: str  # "person p"
    right: str  # "person s"
    via: str | None = None  # "person.supervisor_id": only through declared links

    def __str__(self) -> str:
        return f"{self.left} x {self.right}" + (f" (via {self.via})" if self.via else "")


@dataclass
class _Rel:
    """A name visible in a FROM list: a table occurrence, or a derived table (subquery, CTE)."""

    name: str
    table: str | None = None
    uid: int = 0
    outputs: dict[str, list[Term]] = field(default_factory=dict)  # derived: column -> terms
    star: _Scope | None = None  # derived with ``SELECT *``: unknown names resolve inside it

    def column(self, name: str) -> list[Term] | None:
        if self.table is not None:
            known = COLUMNS.get(self.table)
            return [("col", self.uid, name)] if known is None or name in known else None
        if name in self.outputs:
            return self.outputs[name]
        if self.star is not None:
            return self.star.resolve((name,), here_only=True)
        return None


@dataclass
class _Scope:
    parent: _Scope | None
    rels: list[_Rel] = field(default_factory=list)
    ctes: dict[str, ast.CommonTableExpr] = field(default_factory=dict)
    building: dict[str, dict[str, list[Term]]] = field(default_factory=dict)  # recursive CTEs
    returned: dict[str, dict[str, list[Term]]] = field(default_factory=dict)  # DML CTEs

    def resolve(self, fields: tuple[str, ...], *, here_only: bool = False) -> list[Term]:
        scope: _Scope | None = self
        while scope is not None:
            if len(fields) == 1:
                for rel in scope.rels:
                    found = rel.column(fields[0])
                    if found is not None:
                        return found
            else:
                relname, column = fields[-2], fields[-1]
                for rel in scope.rels:
                    if rel.name == relname:
                        return rel.column(column) or []
            scope = None if here_only else scope.parent
        return []

    def returning(self, name: str) -> dict[str, list[Term]] | None:
        scope: _Scope | None = self
        while scope is not None:
            if name in scope.returned:
                return scope.returned[name]
            scope = scope.parent
        return None

    def cte(self, name: str) -> tuple[_Scope, ast.CommonTableExpr] | None:
        scope: _Scope | None = self
        while scope is not None:
            if name in scope.ctes:
                return scope, scope.ctes[name]
            scope = scope.parent
        return None


class _Statement:
    def __init__(self, placement: dict[str, Placement]) -> None:
        self.placement = placement
        self.parent: dict[Term, Term] = {}
        self.occurrences: list[tuple[int, str, str]] = []  # uid, table, shown as
        self.tables: dict[int, str] = {}  # uid -> table
        self.links: list[tuple[Term, Term, str]] = []  # equalities through a declared link
        self.recursed: set[str] = set()  # recursive CTEs that referred to themselves
        self.counter = itertools.count(1)

    # --- union-find over terms (columns of table occurrences, parameters, constants) ---------

    def find(self, term: Term) -> Term:
        root = term
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        self.parent[term] = root
        return root

    def equate(self, left: Iterable[Term], right: Iterable[Term]) -> None:
        for a in left:
            for b in right:
                link = self.link(a, b) or self.link(b, a)
                if link is not None:  # another row's key: links two shards, co-locates nothing
                    self.links.append((a, b, link))
                    continue
                ra, rb = self.find(a), self.find(b)
                if ra != rb:
                    self.parent[ra] = rb

    def link(self, a: Term, b: Term) -> str | None:
        """``table.column`` when ``a`` is a declared link column and ``b`` the distribution
        column of a row of the table it names (or of one co-located with it)."""
        if a[0] != "col" or b[0] != "col" or a[1] not in self.tables or b[1] not in self.tables:
            return None
        table_a, table_b = self.tables[a[1]], self.tables[b[1]]
        declared = self.placement[table_a].links.get(a[2])
        if declared is None or b[2] != self.placement[table_b].column:
            return None
        if _group(declared[0], self.placement) != _group(table_b, self.placement):
            return None
        return f"{table_a}.{a[2]}"

    def opaque(self) -> list[Term]:
        return [("opaque", next(self.counter))]

    # --- statements ------------------------------------------------------------------------

    def statement(self, node: ast.Node, scope: _Scope | None = None) -> dict[str, list[Term]]:
        """Walk one statement; what it returns (its rows, or its RETURNING), by column."""
        scope = scope or _Scope(None)
        if isinstance(node, ast.SelectStmt):
            return self.select(node, scope)
        if isinstance(node, ast.InsertStmt):
            self.with_clause(node.withClause, scope)
            target = self.table(node.relation, scope)
            if node.selectStmt is not None:
                columns = [c.name for c in node.cols or ()] or sorted(
                    COLUMNS.get(node.relation.relname, ())
                )
                outputs = self.select(node.selectStmt, _Scope(scope))
                for name, terms in zip(columns, outputs.values(), strict=False):
                    self.equate(target.column(name) or [], terms)
        elif isinstance(node, ast.UpdateStmt):
            self.with_clause(node.withClause, scope)
            self.table(node.relation, scope)
            for item in node.fromClause or ():
                self.from_item(item, scope)
            for target in node.targetList or ():
                self.expression(target.val, scope)
            self.condition(node.whereClause, scope)
        elif isinstance(node, ast.DeleteStmt):
            self.with_clause(node.withClause, scope)
            self.table(node.relation, scope)
            for item in node.usingClause or ():
                self.from_item(item, scope)
            self.condition(node.whereClause, scope)
        else:
            return {}  # SET, advisory locks, DDL: no table rows
        returning = node.returningClause
        return self.target_list(returning.exprs if returning else None, scope)

    def with_clause(self, clause: ast.WithClause | None, scope: _Scope) -> None:
        for cte in (clause.ctes if clause else None) or ():
            if isinstance(cte.ctequery, ast.SelectStmt):
                scope.ctes[cte.ctename] = cte
            else:  # a data-modifying CTE runs once, referenced or not
                scope.returned[cte.ctename] = self.statement(cte.ctequery, _Scope(scope))

    def select(self, node: ast.SelectStmt, scope: _Scope) -> dict[str, list[Term]]:
        """Walk one SELECT in ``scope``; its output columns, by name, as terms."""
        self.with_clause(node.withClause, scope)
        if node.op != SetOperation.SETOP_NONE:
            return self.set_operation(node, scope)
        if node.valuesLists:
            return {
                f"column{i + 1}": self.terms(value, scope)
                for i, value in enumerate(node.valuesLists[0])
            }
        for item in node.fromClause or ():
            self.from_item(item, scope)
        self.condition(node.whereClause, scope)
        for clause in (node.havingClause, node.groupClause, node.sortClause, node.limitCount):
            self.expression(clause, scope)
        return self.target_list(node.targetList, scope)

    def target_list(self, targets: Any, scope: _Scope) -> dict[str, list[Term]]:
        outputs: dict[str, list[Term]] = {}
        for i, target in enumerate(targets or ()):
            self.expression(target.val, scope)
            value = target.val
            if isinstance(value, ast.ColumnRef) and isinstance(value.fields[-1], ast.A_Star):
                continue
            name = target.name or _default_name(value) or f"?column{i}?"
            outputs[name] = self.terms(value, scope)
        return outputs

    def set_operation(self, node: ast.SelectStmt, scope: _Scope) -> dict[str, list[Term]]:
        # Each branch in a scope of its own; an output column is any branch's column.
        left = self.select(node.larg, _Scope(scope))
        right = self.select(node.rarg, _Scope(scope))
        return _either(left, right)

    # --- FROM ------------------------------------------------------------------------------

    def from_item(self, item: ast.Node, scope: _Scope) -> list[_Rel]:
        if isinstance(item, ast.RangeVar):
            found = scope.cte(item.relname) if item.schemaname is None else None
            if found is not None:
                return [self.cte_reference(item, *found, scope)]
            returned = scope.returning(item.relname) if item.schemaname is None else None
            if returned is not None:
                rel = _Rel(item.alias.aliasname if item.alias else item.relname, outputs=returned)
                scope.rels.append(rel)
                return [rel]
            return [self.table(item, scope)]
        if isinstance(item, ast.JoinExpr):
            left = self.from_item(item.larg, scope)
            right = self.from_item(item.rarg, scope)
            for name in item.usingClause or ():
                self.equate(_column_of(left, name.sval), _column_of(right, name.sval))
            self.condition(item.quals, scope)
            return left + right
        if isinstance(item, ast.RangeSubselect):
            inner = _Scope(scope)
            outputs = self.select(item.subquery, inner)
            rel = _Rel(item.alias.aliasname if item.alias else "", outputs=outputs, star=inner)
            _rename(rel, item.alias)
            scope.rels.append(rel)
            return [rel]
        if isinstance(item, ast.RangeFunction):
            for function in item.functions or ():
                self.expression(function, scope)
            alias = item.alias
            rel = _Rel(alias.aliasname if alias else "")
            names = [c.sval for c in (alias.colnames or ())] if alias else []
            # a set-returning function's column is one value however often a CTE around it
            # is read: its rows are the same rows, not rows of another shard
            rel.outputs = {n: [("function", id(item), n)] for n in names or [rel.name]}
            scope.rels.append(rel)
            return [rel]
        self.expression(item, scope)
        return []

    def table(self, item: ast.RangeVar, scope: _Scope) -> _Rel:
        uid = next(self.counter)
        name = item.alias.aliasname if item.alias else item.relname
        rel = _Rel(name, table=item.relname, uid=uid)
        scope.rels.append(rel)
        placement = self.placement.get(item.relname)
        if placement is not None and placement.kind in ("person", "own-key"):
            self.tables[uid] = item.relname
            shown = item.relname if name == item.relname else f"{item.relname} {name}"
            self.occurrences.append((uid, item.relname, shown))
        return rel

    def cte_reference(
        self, item: ast.RangeVar, home: _Scope, cte: ast.CommonTableExpr, scope: _Scope
    ) -> _Rel:
        name = item.alias.aliasname if item.alias else item.relname
        names = [c.sval for c in cte.aliascolnames or ()]
        query = cte.ctequery
        if cte.ctename in home.building:  # the recursive term refers to its own CTE
            self.recursed.add(cte.ctename)
            outputs = dict(home.building[cte.ctename])
            star = None
        elif query.op != SetOperation.SETOP_NONE:
            # WITH RECURSIVE: the recursive term sees the first branch's rows as the CTE's
            inner = _Scope(home)
            self.with_clause(query.withClause, inner)
            left = _renamed(self.select(query.larg, _Scope(inner)), names)
            home.building[cte.ctename] = left
            right = self.select(query.rarg, _Scope(inner))
            del home.building[cte.ctename]
            # A recursive term's rows come from the first branch's through its own join (checked
            # in it): the CTE's columns are the first branch's.
            outputs = left if cte.ctename in self.recursed else _either(left, right)
            star = None
        else:
            star = _Scope(home)
            outputs = _renamed(self.select(query, star), names)
        rel = _Rel(name, outputs=outputs, star=star)
        _rename(rel, item.alias)
        scope.rels.append(rel)
        return rel

    # --- conditions and expressions ----------------------------------------------------------

    def condition(self, node: ast.Node | None, scope: _Scope) -> None:
        """A condition every row meets: its AND terms link, anything under OR or NOT does not."""
        if node is None:
            return
        if isinstance(node, ast.BoolExpr) and node.boolop == BoolExprType.AND_EXPR:
            for arg in node.args:
                self.condition(arg, scope)
            return
        if isinstance(node, ast.A_Expr) and _is_equality(node):
            self.expression(node.lexpr, scope)
            self.expression(node.rexpr, scope)
            self.equate(self.terms(node.lexpr, scope), self.terms(node.rexpr, scope))
            return
        self.expression(node, scope)

    def expression(self, node: Any, scope: _Scope) -> None:
        """Walk an expression for the subqueries in it (each in a scope of its own)."""
        if node is None:
            return
        if isinstance(node, tuple | list):
            for child in node:
                self.expression(child, scope)
            return
        if not isinstance(node, ast.Node):
            return
        if isinstance(node, ast.SubLink):
            self.expression(node.testexpr, scope)
            outputs = self.select(node.subselect, _Scope(scope))
            if node.subLinkType == SubLinkType.ANY_SUBLINK and _operator(node.operName) in (
                "=",
                None,
            ):
                # x IN (SELECT y ...) pairs a row only with rows where x = y, under OR or NOT too
                first = next(iter(outputs.values()), [])
                self.equate(self.terms(node.testexpr, scope), first)
            return
        for child in _children(node):
            self.expression(child, scope)

    def terms(self, node: Any, scope: _Scope) -> list[Term]:
        """What a value is, for equating: a column of an occurrence, a parameter, a constant."""
        while isinstance(node, ast.TypeCast | ast.CollateClause):
            node = node.arg
        if isinstance(node, ast.ColumnRef):
            names = tuple(f.sval for f in node.fields if isinstance(f, ast.String))
            return scope.resolve(names) or self.opaque()
        if isinstance(node, ast.ParamRef):
            return [("param", node.number)]
        if isinstance(node, ast.A_Const) and not node.isnull:
            return [("const", repr(node.val))]
        return self.opaque()

    # --- verdict ---------------------------------------------------------------------------

    def crossings(self) -> list[Crossing]:
        """Pairs of occurrences not on one shard; ``via`` the links when only they join them."""
        shard = {
            uid: (
                _group(table, self.placement),
                self.find(("col", uid, self.placement[table].column)),
            )
            for uid, table, _ in self.occurrences
        }
        bridges: dict[Any, set[tuple[Any, str]]] = defaultdict(set)  # shard -> (shard, link)
        for a, b, name in self.links:
            one, other = shard[a[1]], shard[b[1]]
            bridges[one].add((other, name))
            bridges[other].add((one, name))
        found: list[Crossing] = []
        seen: set[tuple[str, str]] = set()
        for (u1, _, s1), (u2, _, s2) in itertools.combinations(self.occurrences, 2):
            if shard[u1] == shard[u2] or (s1, s2) in seen:
                continue
            seen.add((s1, s2))
            via = _links_between(bridges, shard[u1], shard[u2])
            found.append(Crossing(s1, s2, ", ".join(sorted(via)) if via else None))
        return found


def _group(table: str, placement: dict[str, Placement]) -> str:
    """What a table is co-located with: ``person`` for person-owned tables, else itself."""
    return "person" if placement[table].kind == "person" else table


def _links_between(edges: dict[Any, set[tuple[Any, str]]], start: Any, goal: Any) -> set[str]:
    """The links of the part of the link graph that joins ``start`` to ``goal`` (none if not)."""
    seen, todo, used = {start}, [start], set()
    while todo:
        node = todo.pop()
        for nxt, name in edges[node]:
            used.add(name)
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return used if goal in seen else set()


def _children(node: ast.Node) -> Iterator[Any]:
    for attribute in type(node).__slots__:
        yield getattr(node, attribute, None)


def _is_equality(node: ast.A_Expr) -> bool:
    if node.kind == A_Expr_Kind.AEXPR_NOT_DISTINCT:
        return True
    return node.kind == A_Expr_Kind.AEXPR_OP and _operator(node.name) == "="


def _operator(name: Any) -> str | None:
    if not name:
        return None
    last = name[-1]
    return str(last.sval) if isinstance(last, ast.String) else None


def _default_name(value: Any) -> str | None:
    while isinstance(value, ast.TypeCast):
        value = value.arg
    if isinstance(value, ast.ColumnRef) and isinstance(value.fields[-1], ast.String):
        return str(value.fields[-1].sval)
    return None


def _column_of(rels: list[_Rel], name: str) -> list[Term]:
    for rel in rels:
        found = rel.column(name)
        if found is not None:
            return found
    return []


def _rename(rel: _Rel, alias: ast.Alias | None) -> None:
    if alias is not None and alias.colnames:
        rel.outputs = _renamed(rel.outputs, [c.sval for c in alias.colnames])


def _renamed(outputs: dict[str, list[Term]], names: list[str]) -> dict[str, list[Term]]:
    if not names:
        return outputs
    return dict(zip(names, outputs.values(), strict=False))


def _either(left: dict[str, list[Term]], right: dict[str, list[Term]]) -> dict[str, list[Term]]:
    """A set operation's columns (named by its first branch): a row comes from either branch."""
    return {
        name: terms + other
        for (name, terms), other in zip(left.items(), right.values(), strict=False)
    }


def crossings(sql: str, placement: dict[str, Placement] | None = None) -> list[Crossing]:
    """Every pair of distributed table occurrences of ``sql`` that would meet across shards."""
    found: list[Crossing] = []
    for raw in parse_sql(sql):
        statement = _Statement(placement or TABLES)
        statement.statement(raw.stmt)
        found.extend(statement.crossings())
    return found

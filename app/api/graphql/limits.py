"""What a GraphQL document may cost, measured in one pass before any validator runs.

The validators of graphql-core (and any rule that expands fragments) walk every fragment spread
again wherever it is spread, so a few hundred bytes of fragments that spread each other three
ways cost millions of visits. Here each fragment's cost is computed once and reused (memoised),
so the pass is linear in the size of the document, however the fragments fan out; a cycle or
an unknown fragment is refused on the way. Every operation and every fragment of the document is
measured, since the validators walk them all, used or not.

The same pass finds text that no field accepts: a NUL character or a lone surrogate in a string
argument (a GraphQL escape such as ``\\u0000`` can write one); :func:`bad_text_in_variables`
does the same for the variables.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from graphql.language import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    ValueNode,
)


@dataclass(frozen=True, slots=True)
class Budget:
    """The most a document may ask for (see docs/graphql.md)."""

    max_tokens: int = 4000
    max_depth: int = 12
    max_aliases: int = 30
    max_fields: int = 1000
    max_fragment_nesting: int = 16
    # One response name selected this often in one selection set (fragments expanded): the
    # validator that checks overlapping fields compares such fields pairwise.
    max_repeats: int = 20


@dataclass(frozen=True, slots=True)
class Cost:
    """Of one selection set with its fragments expanded: the deepest field nesting, and how
    many fields and aliases a validator or the executor would visit."""

    depth: int = 0
    fields: int = 0
    aliases: int = 0


class OverBudget(Exception):
    """The document asks for more than the budget allows (``limit`` names which)."""

    def __init__(self, limit: str, maximum: int, actual: int, definition: str) -> None:
        self.limit, self.maximum, self.actual, self.definition = limit, maximum, actual, definition
        super().__init__(self.message)

    @property
    def message(self) -> str:
        what = {
            "depth": "fields nested",
            "aliases": "aliases",
            "fields": "fields (fragments expanded)",
            "fragmentNesting": "fragments spread inside each other",
            "repeats": "selections of one field (fragments expanded) in one selection set",
        }[self.limit]
        return (
            f"the document is too complex: {self.actual} {what} in {self.definition}, "
            f"at most {self.maximum}"
        )


class BadFragment(Exception):
    """A fragment that is spread but not defined, or that spreads itself (a cycle)."""


@dataclass(frozen=True, slots=True)
class BadText:
    """A NUL character or lone surrogate in a string argument or variable: ``pointer`` is a
    JSON pointer into the request (``/variables/...``) or ``field(argument)``."""

    pointer: str
    label: str
    what: str

    @property
    def message(self) -> str:
        return f"{self.label} contains {self.what}, which no text accepts"


def bad_character(text: str) -> str | None:
    """What makes ``text`` unacceptable, if anything: a NUL character or a lone surrogate."""
    if "\x00" in text:
        return "a NUL character (U+0000)"
    for ch in text:
        if "\ud800" <= ch <= "\udfff":
            return f"a lone surrogate (U+{ord(ch):04X})"
    return None


@dataclass
class Meter:
    """Measures a document once. ``walked`` lists the fragments whose bodies were walked, in
    order: each at most once, however often it is spread."""

    budget: Budget
    fragments: dict[str, FragmentDefinitionNode]
    walked: list[str] = field(default_factory=list)
    bad_text: list[BadText] = field(default_factory=list)
    _done: dict[str, tuple[Cost, Counter[str]]] = field(default_factory=dict)
    _open: list[str] = field(default_factory=list)

    def fragment(self, name: str) -> tuple[Cost, Counter[str]]:
        """The cost of a fragment's body and how often it selects each response name."""
        done = self._done.get(name)
        if done is not None:
            return done
        if name in self._open:
            cycle = " → ".join([*self._open[self._open.index(name) :], name])
            raise BadFragment(f"fragments spread each other in a cycle: {cycle}")
        definition = self.fragments.get(name)
        if definition is None:
            raise BadFragment(f"unknown fragment {name!r}")
        if len(self._open) >= self.budget.max_fragment_nesting:
            raise OverBudget(
                "fragmentNesting",
                self.budget.max_fragment_nesting,
                len(self._open) + 1,
                f"fragment {self._open[0]}",
            )
        self._open.append(name)
        self.walked.append(name)
        measured = self._selections(definition.selection_set, f"fragment {name}", 0)
        self._open.pop()
        self._done[name] = measured
        return measured

    def selections(self, selection_set: SelectionSetNode, where: str, depth: int) -> Cost:
        """The cost of ``selection_set`` at nesting ``depth`` within ``where``; a nesting over
        the budget is refused as soon as it is seen (the walk never goes deeper)."""
        return self._selections(selection_set, where, depth)[0]

    def _selections(
        self, selection_set: SelectionSetNode, where: str, depth: int
    ) -> tuple[Cost, Counter[str]]:
        deepest = fields = aliases = 0
        names: Counter[str] = Counter()
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                self._arguments(selection, where)
                if depth + 1 > self.budget.max_depth:
                    raise OverBudget("depth", self.budget.max_depth, depth + 1, where)
                sub = (
                    self.selections(selection.selection_set, where, depth + 1)
                    if selection.selection_set
                    else Cost()
                )
                deepest = max(deepest, sub.depth + 1)
                fields += 1 + sub.fields
                aliases += (1 if selection.alias else 0) + sub.aliases
                names[(selection.alias or selection.name).value] += 1
                continue
            if isinstance(selection, InlineFragmentNode):
                sub, spread = self._selections(selection.selection_set, where, depth)
            elif isinstance(selection, FragmentSpreadNode):
                sub, spread = self.fragment(selection.name.value)
                if depth + sub.depth > self.budget.max_depth:
                    raise OverBudget("depth", self.budget.max_depth, depth + sub.depth, where)
            else:  # pragma: no cover - the grammar has no other selection
                continue
            deepest = max(deepest, sub.depth)
            fields += sub.fields
            aliases += sub.aliases
            names.update(spread)
        if names:
            name, repeats = names.most_common(1)[0]
            if repeats > self.budget.max_repeats:
                raise OverBudget("repeats", self.budget.max_repeats, repeats, f"{where} ({name})")
        return Cost(deepest, fields, aliases), names

    def _arguments(self, node: FieldNode, where: str) -> None:
        for argument in node.arguments or ():
            pointer = f"{node.name.value}({argument.name.value})"
            label = f"argument {argument.name.value!r} of {node.name.value!r}"
            for text in _strings(argument.value):
                what = bad_character(text)
                if what is not None:
                    self.bad_text.append(BadText(pointer, label, what))
                    break


def _strings(value: ValueNode) -> Iterator[str]:
    stack: list[ValueNode] = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, StringValueNode):
            yield node.value
        elif isinstance(node, ListValueNode):
            stack.extend(node.values)
        elif isinstance(node, ObjectValueNode):
            stack.extend(f.value for f in node.fields)


def measure(document: DocumentNode, budget: Budget) -> Meter:
    """Measure every operation and fragment of ``document``; raise :class:`OverBudget` or
    :class:`BadFragment` for the first one found. Returns the meter (``bad_text`` lists the
    arguments with unacceptable text)."""
    fragments: dict[str, FragmentDefinitionNode] = {}
    for d in document.definitions:
        if isinstance(d, FragmentDefinitionNode):
            if d.name.value in fragments:
                raise BadFragment(f"fragment {d.name.value!r} is defined more than once")
            fragments[d.name.value] = d
    meter = Meter(budget, fragments)
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            name = definition.name.value if definition.name else "the anonymous operation"
            where = f"operation {definition.name.value}" if definition.name else name
            cost = meter.selections(definition.selection_set, where, 0)
        elif isinstance(definition, FragmentDefinitionNode):
            where = f"fragment {definition.name.value}"
            cost = meter.fragment(definition.name.value)[0]
        else:
            continue
        if cost.fields > budget.max_fields:
            raise OverBudget("fields", budget.max_fields, cost.fields, where)
        if cost.aliases > budget.max_aliases:
            raise OverBudget("aliases", budget.max_aliases, cost.aliases, where)
    return meter


def bad_text_in_variables(variables: dict[str, Any] | None) -> list[BadText]:
    """Every variable (and key) holding a NUL character or lone surrogate, by JSON pointer."""
    found: list[BadText] = []
    stack: list[tuple[str, Any]] = [
        (f"/variables/{_escape(k)}", v) for k, v in (variables or {}).items()
    ]
    for key in variables or {}:
        if (what := bad_character(key)) is not None:
            found.append(BadText("/variables", "a variable name", what))
    while stack:
        pointer, value = stack.pop()
        if isinstance(value, str):
            if (what := bad_character(value)) is not None:
                found.append(
                    BadText(pointer, f"variable ${pointer.removeprefix('/variables/')}", what)
                )
        elif isinstance(value, list):
            stack.extend((f"{pointer}/{i}", v) for i, v in enumerate(value))
        elif isinstance(value, dict):
            for k, v in value.items():
                if (what := bad_character(str(k))) is not None:
                    found.append(BadText(pointer, f"a key in {pointer}", what))
                stack.append((f"{pointer}/{_escape(str(k))}", v))
    return sorted(found, key=lambda b: b.pointer)


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")

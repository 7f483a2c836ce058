"""The assessment form (component > domain > unit > element > criterion) and its input rules.

The form is what a person and their supervisor fill in: every rated item of the required set,
grouped as the framework groups it, with Thai and English text and the ratings given so far. The
rules here are pure validators returning :class:`~app.domain.errors.FieldError` lists, so the use
case can report every problem at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from app.domain.assessment.items import Rating, RequiredItem
from app.domain.assessment.plan import ScoringPlan
from app.domain.assessment.policy import DEFAULT_POLICY, AgencyPolicy, final_rating
from app.domain.assessment.vocabulary import (
    COMPONENT_ORDER,
    Component,
    ItemLevel,
    LocalText,
    RatingValue,
    Target,
)
from app.domain.errors import FieldError, ValidationFailed
from app.domain.text import nfc

NOTE_MAX_LENGTH = 2000
EVIDENCE_URL_MAX_LENGTH = 2048
BATCH_MAX_ITEMS = 1000

_NO_RATINGS: Mapping[str, Rating] = {}


@dataclass(frozen=True, slots=True)
class FormEvidence:
    """A completed (or passed) course that develops an item, shown beside it read-only: the
    person and supervisor still rate the item themselves."""

    course: str  # provider/code
    title: str
    on: date
    statement_id: str
    outcome: str = "completed"


_NO_EVIDENCE: Mapping[str, Sequence[FormEvidence]] = {}


@dataclass(frozen=True, slots=True)
class FormItem:
    """A rated item: a performance criterion, a unit without criteria, or a non-capability item."""

    code: str
    level: ItemLevel
    title: LocalText
    targets: frozenset[Target]
    self_rating: Rating | None = None
    supervisor_rating: Rating | None = None
    evidence: tuple[FormEvidence, ...] = ()


@dataclass(frozen=True, slots=True)
class FormElement:
    code: str
    title: LocalText | None
    criteria: tuple[FormItem, ...]


@dataclass(frozen=True, slots=True)
class FormUnit:
    """A unit of capability: rated itself (``item``) or through its elements' criteria."""

    code: str
    title: LocalText | None
    targets: frozenset[Target]
    item: FormItem | None
    elements: tuple[FormElement, ...] = ()


@dataclass(frozen=True, slots=True)
class FormDomain:
    code: str
    title: LocalText | None
    learning_dimension: int | None
    units: tuple[FormUnit, ...]


@dataclass(frozen=True, slots=True)
class FormSection:
    """One component: capability holds ``domains``, the other components hold ``items``."""

    component: Component
    domains: tuple[FormDomain, ...] = ()
    items: tuple[FormItem, ...] = ()


@dataclass(frozen=True, slots=True)
class AssessmentForm:
    sections: tuple[FormSection, ...]
    item_count: int
    self_rated: int
    supervisor_rated: int


_Leaf = Callable[[RequiredItem], FormItem]


def build_form(
    required: ScoringPlan | Iterable[RequiredItem],
    self_ratings: Mapping[str, Rating] = _NO_RATINGS,
    supervisor_ratings: Mapping[str, Rating] = _NO_RATINGS,
    evidence: Mapping[str, Sequence[FormEvidence]] = _NO_EVIDENCE,
) -> AssessmentForm:
    """The form of a required set in framework order, with the ratings given so far and the
    evidence on each item (on the item itself, its element or its unit), once per statement."""
    plan = required if isinstance(required, ScoringPlan) else ScoringPlan.compile(required)
    by_component: dict[Component, list[RequiredItem]] = {}
    for item in plan.items:
        by_component.setdefault(item.component, []).append(item)

    def shown(item: RequiredItem) -> tuple[FormEvidence, ...]:
        seen: dict[str, FormEvidence] = {}
        for code in dict.fromkeys((item.code, item.element_code, item.unit_code)):
            for e in evidence.get(code, ()) if code else ():
                seen.setdefault(e.statement_id, e)
        return tuple(sorted(seen.values(), key=lambda e: (e.on, e.statement_id)))

    def leaf(item: RequiredItem) -> FormItem:
        return FormItem(
            item.code,
            item.level,
            item.title,
            item.targets,
            self_ratings.get(item.code),
            supervisor_ratings.get(item.code),
            shown(item) if evidence else (),
        )

    sections = []
    for component in COMPONENT_ORDER:
        items = by_component.get(component)
        if not items:
            continue
        if component is Component.CAPABILITY:
            sections.append(FormSection(component, domains=_domains(items, leaf)))
        else:
            sections.append(FormSection(component, items=tuple(leaf(it) for it in items)))
    codes = plan.item_index
    return AssessmentForm(
        sections=tuple(sections),
        item_count=len(plan.items),
        self_rated=sum(1 for c in self_ratings if c in codes),
        supervisor_rated=sum(1 for c in supervisor_ratings if c in codes),
    )


def _domains(items: list[RequiredItem], leaf: _Leaf) -> tuple[FormDomain, ...]:
    domains: dict[str, dict[str, list[RequiredItem]]] = {}
    for item in items:
        assert item.domain_code is not None  # checked when the plan was compiled
        assert item.unit_code is not None
        domains.setdefault(item.domain_code, {}).setdefault(item.unit_code, []).append(item)
    result = []
    for domain, units in domains.items():
        first = next(iter(units.values()))[0]
        result.append(
            FormDomain(
                domain,
                first.domain_title,
                first.learning_dimension,
                tuple(_unit(members, leaf) for members in units.values()),
            )
        )
    return tuple(result)


def _unit(members: list[RequiredItem], leaf: _Leaf) -> FormUnit:
    first = members[0]
    assert first.unit_code is not None
    if first.level is ItemLevel.UNIT:
        return FormUnit(first.code, first.title, first.targets, leaf(first))
    elements: dict[str, list[RequiredItem]] = {}
    for item in members:
        assert item.element_code is not None
        elements.setdefault(item.element_code, []).append(item)
    return FormUnit(
        first.unit_code,
        first.unit_title,
        first.targets,
        None,
        tuple(
            FormElement(code, criteria[0].element_title, tuple(leaf(c) for c in criteria))
            for code, criteria in elements.items()
        ),
    )


# -- input rules ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RatingEntry:
    """One rating as received in a batch, before it is checked."""

    code: str
    value: str
    note: str | None = None
    evidence_url: str | None = None


def pointer_token(code: str) -> str:
    """A code as one JSON pointer reference token (RFC 6901)."""
    return code.replace("~", "~0").replace("/", "~1")


def check_submission(plan: ScoringPlan, ratings: Mapping[str, Rating]) -> list[FieldError]:
    """The submission rule: every required item is rated "has" or "has not" (004:962).

    One error per unrated item, in framework order, each carrying the item's ``code``.
    """
    return [
        FieldError(
            f"/items/{pointer_token(code)}",
            "D1",
            f"{code} is not rated yet",
            {"code": code},
        )
        for code in plan.rated_codes
        if code not in ratings
    ]


def check_review(
    plan: ScoringPlan,
    self_ratings: Mapping[str, Rating],
    supervisor_ratings: Mapping[str, Rating],
    policy: AgencyPolicy = DEFAULT_POLICY,
) -> list[FieldError]:
    """The review rule: after the supervisor's review every item has a final rating under the
    agency's policy (under ``supervisor_only`` or ``both_must_agree`` the supervisor rates all)."""
    rule = policy.final_rating
    errors = []
    for code in plan.rated_codes:
        s, v = self_ratings.get(code), supervisor_ratings.get(code)
        self_value = None if s is None else s.value
        supervisor_value = None if v is None else v.value
        if final_rating(rule, self_value, supervisor_value) is None:
            errors.append(
                FieldError(
                    f"/items/{pointer_token(code)}",
                    "D1",
                    f"{code} has no final rating under the {rule.value} policy",
                    {"code": code, "policy": rule.value},
                )
            )
    return errors


def check_rating_batch(
    plan: ScoringPlan, entries: Sequence[RatingEntry], at: str = "/ratings"
) -> list[FieldError]:
    """The rating-batch rule: each entry rates an item of this assessment, once, on the seed's
    scale; notes and evidence links are bounded. Every problem is reported with its pointer."""
    if not entries:
        return [FieldError(at, "min-items", "a batch rates at least one item")]
    if len(entries) > BATCH_MAX_ITEMS:
        return [FieldError(at, "max-items", f"a batch rates at most {BATCH_MAX_ITEMS} items")]
    errors: list[FieldError] = []
    first_at: dict[str, int] = {}
    for i, entry in enumerate(entries):
        errors.extend(_entry_errors(plan, f"{at}/{i}", entry))
        if entry.code in first_at:
            errors.append(
                FieldError(
                    f"{at}/{i}/code",
                    "unique",
                    f"{entry.code} is rated twice (first at {at}/{first_at[entry.code]})",
                    {"code": entry.code},
                )
            )
        first_at.setdefault(entry.code, i)
    return errors


def _entry_errors(plan: ScoringPlan, at: str, entry: RatingEntry) -> list[FieldError]:
    errors: list[FieldError] = []
    if entry.code not in plan.item_index:
        criteria = plan.parent_criteria.get(entry.code)
        if criteria is not None:
            errors.append(
                FieldError(
                    f"{at}/code",
                    "A4",
                    f"{entry.code} is rated through its criteria: {', '.join(criteria)}",
                    {"code": entry.code, "criteria": list(criteria)},
                )
            )
        else:
            errors.append(
                FieldError(
                    f"{at}/code",
                    "not-in-assessment",
                    f"{entry.code} is not an item of this assessment",
                    {"code": entry.code},
                )
            )
    if entry.value not in _VALUES:
        errors.append(
            FieldError(
                f"{at}/value",
                "enum",
                f"{entry.value!r} is not a rating; use one of {', '.join(_VALUES)}",
            )
        )
    if entry.note is not None and len(nfc(entry.note)) > NOTE_MAX_LENGTH:
        errors.append(
            FieldError(
                f"{at}/note", "max-length", f"a note has at most {NOTE_MAX_LENGTH} characters"
            )
        )
    link = (entry.evidence_url or "").strip()
    if link and not _is_web_link(link):
        errors.append(
            FieldError(
                f"{at}/evidence_url",
                "url",
                f"an evidence link is an http(s) URL, {EVIDENCE_URL_MAX_LENGTH} characters at most",
            )
        )
    return errors


_VALUES = tuple(v.value for v in RatingValue)


def _is_web_link(text: str) -> bool:
    if len(text) > EVIDENCE_URL_MAX_LENGTH or any(c.isspace() for c in text):
        return False
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def parse_rating_batch(
    plan: ScoringPlan, entries: Sequence[RatingEntry], at: str = "/ratings"
) -> dict[str, Rating]:
    """Check a batch and turn it into ratings by code (notes NFC-normalised, blank notes and links
    dropped); raises ValidationFailed listing every problem, so nothing is half-saved."""
    errors = check_rating_batch(plan, entries, at)
    if errors:
        raise ValidationFailed(errors)
    ratings: dict[str, Rating] = {}
    for entry in entries:
        note = nfc(entry.note) if entry.note is not None else ""
        link = entry.evidence_url.strip() if entry.evidence_url is not None else ""
        ratings[entry.code] = Rating(RatingValue(entry.value), note or None, link or None)
    return ratings

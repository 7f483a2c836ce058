"""Agency policy for assessments: how self and supervisor ratings become the final rating, and the
order gaps and strengths are listed in. Each agency may override any field; a child agency inherits
every field it does not set from its parent, up to the defaults (DESIGN §5: every rule is agency
policy with seed defaults).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from typing import Any, Final

from app.domain.assessment.vocabulary import FOUNDATIONAL_DOMAINS, RatingValue
from app.domain.errors import FieldError, ValidationFailed

HAS: Final = RatingValue.HAS
HAS_NOT: Final = RatingValue.HAS_NOT


class FinalRatingRule(StrEnum):
    """How the self rating and the first-line supervisor's rating (004:956) make the final one."""

    SUPERVISOR_PREVAILS = "supervisor_prevails"  # supervisor where given, else self (default)
    SELF_PREVAILS = "self_prevails"  # self where given, else supervisor
    SELF_ONLY = "self_only"  # the supervisor's rating is advice only
    SUPERVISOR_ONLY = "supervisor_only"  # only a supervisor's rating counts
    BOTH_MUST_AGREE = "both_must_agree"  # "has" only when both say has
    EITHER_SUFFICES = "either_suffices"  # "has" when either says has


def final_rating(
    rule: FinalRatingRule, self_value: RatingValue | None, supervisor_value: RatingValue | None
) -> RatingValue | None:
    """The final rating of one item; None when the rule cannot decide yet (the item is unrated)."""
    if rule is FinalRatingRule.SUPERVISOR_PREVAILS:
        return supervisor_value if supervisor_value is not None else self_value
    if rule is FinalRatingRule.SELF_PREVAILS:
        return self_value if self_value is not None else supervisor_value
    if rule is FinalRatingRule.SELF_ONLY:
        return self_value
    if rule is FinalRatingRule.SUPERVISOR_ONLY:
        return supervisor_value
    given = {v for v in (self_value, supervisor_value) if v is not None}
    if rule is FinalRatingRule.BOTH_MUST_AGREE:
        if HAS_NOT in given:
            return HAS_NOT
        return HAS if self_value is HAS and supervisor_value is HAS else None
    # EITHER_SUFFICES
    if HAS in given:
        return HAS
    return HAS_NOT if given else None


class PriorityKey(StrEnum):
    """Keys that order gaps and strengths, applied in the order the policy lists them; framework
    order always breaks the remaining ties."""

    FOUNDATIONAL = "foundational"  # the foundational skill sets (DLit, DG: 003:685) first
    TARGET = "target"  # present before future (70:30, 003:606); an item of both counts as present
    COMPONENT = "component"  # capability, knowledge, experience, attribute, competency
    LEARNING_DIMENSION = "learning_dimension"  # dimension 1 to 5 (003:663); other components last


@dataclass(frozen=True, slots=True)
class AgencyPolicy:
    """A complete, resolved policy. The defaults are the documented product defaults."""

    final_rating: FinalRatingRule = FinalRatingRule.SUPERVISOR_PREVAILS
    priority: tuple[PriorityKey, ...] = (PriorityKey.FOUNDATIONAL, PriorityKey.TARGET)
    foundational_domains: frozenset[str] = FOUNDATIONAL_DOMAINS


DEFAULT_POLICY: Final = AgencyPolicy()
POLICY_FIELDS: Final[tuple[str, ...]] = tuple(f.name for f in fields(AgencyPolicy))


@dataclass(frozen=True, slots=True)
class PolicyOverride:
    """What one agency sets; None means "inherit from the parent agency"."""

    final_rating: FinalRatingRule | None = None
    priority: tuple[PriorityKey, ...] | None = None
    foundational_domains: frozenset[str] | None = None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form holding only the fields this agency sets."""
        data: dict[str, Any] = {}
        if self.final_rating is not None:
            data["final_rating"] = self.final_rating.value
        if self.priority is not None:
            data["priority"] = [k.value for k in self.priority]
        if self.foundational_domains is not None:
            data["foundational_domains"] = sorted(self.foundational_domains)
        return data


def merge_policy(parent: AgencyPolicy, child: PolicyOverride) -> AgencyPolicy:
    """The child's fields where it sets them, the parent's elsewhere."""
    changes = {name: getattr(child, name) for name in POLICY_FIELDS}
    return replace(parent, **{k: v for k, v in changes.items() if v is not None})


@dataclass(frozen=True, slots=True)
class ResolvedPolicy:
    """A policy with, per field, the agency that set it (None: the product default)."""

    policy: AgencyPolicy
    sources: Mapping[str, str | None] = field(default_factory=dict)


def resolve_policy(chain: Sequence[tuple[str, PolicyOverride]]) -> ResolvedPolicy:
    """The policy of the last agency of ``chain``: ``(agency, override)`` pairs, root first."""
    policy = DEFAULT_POLICY
    sources: dict[str, str | None] = dict.fromkeys(POLICY_FIELDS)
    for agency, override in chain:
        policy = merge_policy(policy, override)
        for name in POLICY_FIELDS:
            if getattr(override, name) is not None:
                sources[name] = agency
    return ResolvedPolicy(policy, sources)


def parse_policy_override(data: Mapping[str, Any]) -> PolicyOverride:
    """Read an override from JSON-like input, reporting every problem at once."""
    errors: list[FieldError] = [
        FieldError(f"/{key}", "unknown-field", f"{key!r} is not a policy field")
        for key in data
        if key not in POLICY_FIELDS
    ]
    rule: FinalRatingRule | None = None
    raw_rule = data.get("final_rating")
    if raw_rule is not None:
        try:
            rule = FinalRatingRule(raw_rule)
        except ValueError:
            known = ", ".join(r.value for r in FinalRatingRule)
            errors.append(
                FieldError("/final_rating", "enum", f"{raw_rule!r} is not one of {known}")
            )
    priority = _parse_priority(data.get("priority"), errors)
    domains = _parse_domains(data.get("foundational_domains"), errors)
    if errors:
        raise ValidationFailed(errors)
    return PolicyOverride(final_rating=rule, priority=priority, foundational_domains=domains)


def _parse_priority(raw: Any, errors: list[FieldError]) -> tuple[PriorityKey, ...] | None:
    if raw is None:
        return None
    if not isinstance(raw, list | tuple):
        errors.append(FieldError("/priority", "type", "priority is a list of keys"))
        return None
    keys: list[PriorityKey] = []
    for i, value in enumerate(raw):
        try:
            key = PriorityKey(value)
        except ValueError:
            known = ", ".join(k.value for k in PriorityKey)
            errors.append(FieldError(f"/priority/{i}", "enum", f"{value!r} is not one of {known}"))
            continue
        if key in keys:
            errors.append(FieldError(f"/priority/{i}", "unique", f"{key.value} is listed twice"))
            continue
        keys.append(key)
    return tuple(keys)


def _parse_domains(raw: Any, errors: list[FieldError]) -> frozenset[str] | None:
    if raw is None:
        return None
    if not isinstance(raw, list | tuple) or not all(isinstance(d, str) and d for d in raw):
        errors.append(
            FieldError("/foundational_domains", "type", "a list of domain codes, e.g. DLit")
        )
        return None
    return frozenset(raw)

"""Staff-group assignment per person per fiscal year, and who must agree (003:657-659).

Rule B3: a person's group, and whether the group's expected role applies in whole or in part, is
agreed with the *first-line supervisor*. Rule B4: work spanning more than one group also needs the
approval of the supervisor *one level higher*. An assignment is pending until every required step
is taken, approved after the last one, rejected as soon as a step is refused; only an approved
assignment is effective.

A ``partial`` group names the items chosen from its profile (unit, knowledge, experience,
attribute or competency codes): only those, and the items every profile keeps, are the person's
targets from that group. What is always kept (``always_kept``): foundational knowledge and
experience (rule A8), the units of the foundational skill sets DLit and DG, learning dimensions 1
and 2 (rule A9), and the five attributes, which apply to every group (rule A6).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from app.domain.errors import Conflict, FieldError, ValidationFailed
from app.domain.fiscal import FiscalYear
from app.domain.roles import StaffGroup
from app.domain.text import nfc


class GroupScope(StrEnum):
    WHOLE = "whole"  # ทั้งหมด
    PARTIAL = "partial"  # บางส่วน


class AssignmentState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class ApprovalStep(StrEnum):
    SUPERVISOR = "supervisor"  # ผู้บังคับบัญชาชั้นต้น (B3)
    SECOND_LEVEL = "second_level_supervisor"  # ผู้บังคับบัญชาเหนือขึ้นไปอีกระดับหนึ่ง (B4)


ITEM_CODE_MAX_LENGTH = 64
# The learning dimensions whose skill sets everyone is developed in (003:685, rule A9).
FOUNDATIONAL_DIMENSIONS = frozenset({1, 2})


@dataclass(frozen=True, slots=True)
class GroupShare:
    """One staff group of an assignment. ``items`` is the choice of a ``partial`` group (codes
    from the group's profile); ``None`` for a ``whole`` group, or for a ``partial`` one approved
    before choices were recorded (it applies in whole)."""

    group: StaffGroup
    scope: GroupScope = GroupScope.WHOLE
    items: tuple[str, ...] | None = field(default=None)

    def applies(self, code: str, *, always: bool) -> bool:
        """Whether a requirement of this group's profile is one of the person's targets."""
        return self.items is None or always or code in self.items

    def as_json(self) -> dict[str, object]:
        data: dict[str, object] = {"group": self.group.value, "scope": self.scope.value}
        if self.items is not None:
            data["items"] = list(self.items)
        return data

    @classmethod
    def of_json(cls, data: Mapping[str, object]) -> GroupShare:
        items = data.get("items")
        return cls(
            StaffGroup(str(data["group"])),
            GroupScope(str(data.get("scope", "whole"))),
            tuple(str(c) for c in items) if isinstance(items, list) else None,
        )


def always_kept(component: str, *, origin: str, dimension: int | None) -> str | None:
    """The rule that keeps a profile's requirement in every partial choice, if any: foundational
    knowledge and experience (A8), units of learning dimensions 1-2 (A9), attributes (A6)."""
    if component in ("knowledge", "experience") and origin == "foundational":
        return "A8"
    if component == "unit" and dimension in FOUNDATIONAL_DIMENSIONS:
        return "A9"
    if component == "attribute":
        return "A6"
    return None


def validate_groups(groups: Sequence[GroupShare], pointer: str = "/groups") -> None:
    """One to six distinct groups; a partial group names its chosen items, each code once; a
    whole group names none (its whole profile applies)."""
    errors: list[FieldError] = []
    if not groups:
        errors.append(FieldError(pointer, "required", "name at least one staff group"))
    seen: set[StaffGroup] = set()
    for i, share in enumerate(groups):
        at = f"{pointer}/{i}"
        if share.group in seen:
            errors.append(FieldError(f"{at}/group", "duplicate", f"{share.group} is named twice"))
        seen.add(share.group)
        if share.scope is GroupScope.WHOLE and share.items is not None:
            errors.append(
                FieldError(
                    f"{at}/items",
                    "whole-with-items",
                    "a whole group takes its whole profile: choose items only with scope partial",
                )
            )
        if share.scope is GroupScope.PARTIAL and not share.items:
            errors.append(
                FieldError(
                    f"{at}/items",
                    "required",
                    "a partial group names the items chosen from its profile, agreed with the "
                    "first-line supervisor (003:657, rule B3)",
                    {"source": "003:657"},
                )
            )
        chosen: set[str] = set()
        for j, code in enumerate(share.items or ()):
            if not code.strip() or len(code) > ITEM_CODE_MAX_LENGTH:
                errors.append(
                    FieldError(
                        f"{at}/items/{j}",
                        "format",
                        f"an item code has 1-{ITEM_CODE_MAX_LENGTH} characters",
                    )
                )
            elif code in chosen:
                errors.append(FieldError(f"{at}/items/{j}", "duplicate", f"{code} is chosen twice"))
            chosen.add(code)
    if errors:
        raise ValidationFailed(errors)


def check_choice(
    groups: Sequence[GroupShare],
    profiles: Mapping[StaffGroup, Collection[str]],
    known: Collection[str],
    *,
    stage: str,
    pointer: str = "/groups",
) -> list[FieldError]:
    """Every problem of the partial groups' choices against the framework: a code the framework
    version does not have (``item-unknown``), or one the group's profile at the agency's stage (or
    the next stage, the future target) does not require (``not-in-profile``)."""
    errors: list[FieldError] = []
    for i, share in enumerate(groups):
        profile = profiles.get(share.group, ())
        for j, code in enumerate(share.items or ()):
            at = f"{pointer}/{i}/items/{j}"
            if code not in known:
                errors.append(FieldError(at, "item-unknown", f"the framework has no item {code!r}"))
            elif code not in profile:
                errors.append(
                    FieldError(
                        at,
                        "not-in-profile",
                        f"{code} is not required by the {share.group.value} profile at the "
                        f"{stage} stage or the next one: a partial role is chosen from the "
                        "group's expected role (003:657, rule B3)",
                        {"group": share.group.value, "stage": stage},
                    )
                )
    return errors


def required_steps(groups: Sequence[GroupShare]) -> tuple[ApprovalStep, ...]:
    if len(groups) > 1:
        return (ApprovalStep.SUPERVISOR, ApprovalStep.SECOND_LEVEL)
    return (ApprovalStep.SUPERVISOR,)


@dataclass(frozen=True, slots=True)
class Workflow:
    """Where an assignment stands: the steps it needs and the ones already taken."""

    groups: tuple[GroupShare, ...]
    done: tuple[ApprovalStep, ...] = ()
    state: AssignmentState = AssignmentState.PENDING

    @property
    def steps(self) -> tuple[ApprovalStep, ...]:
        return required_steps(self.groups)

    @property
    def awaiting(self) -> ApprovalStep | None:
        if self.state is not AssignmentState.PENDING:
            return None
        for step in self.steps:
            if step not in self.done:
                return step
        return None

    @property
    def is_effective(self) -> bool:
        return self.state is AssignmentState.APPROVED

    def approve(self, step: ApprovalStep) -> Workflow:
        self._expect(step)
        done = (*self.done, step)
        finished = all(s in done for s in self.steps)
        return replace(
            self, done=done, state=AssignmentState.APPROVED if finished else AssignmentState.PENDING
        )

    def reject(self, step: ApprovalStep) -> Workflow:
        self._expect(step)
        return replace(self, state=AssignmentState.REJECTED)

    def _expect(self, step: ApprovalStep) -> None:
        if self.state is not AssignmentState.PENDING:
            raise Conflict(f"the assignment is already {self.state.value}", state=self.state.value)
        if self.awaiting is not step:
            raise Conflict(
                f"the assignment awaits the {self.awaiting} step, not {step}",
                awaiting=self.awaiting.value if self.awaiting else None,
            )


def same_groups(a: Sequence[GroupShare], b: Sequence[GroupShare]) -> bool:
    """The same groups, scopes and choices, whatever the order they were named in."""

    def canonical(groups: Sequence[GroupShare]) -> set[tuple[str, str, frozenset[str] | None]]:
        return {
            (g.group.value, g.scope.value, None if g.items is None else frozenset(g.items))
            for g in groups
        }

    return len(a) == len(b) and canonical(a) == canonical(b)


def start(groups: Sequence[GroupShare], *, agreed_at_proposal: bool) -> Workflow:
    """A new proposal. When the first-line supervisor (or whoever stands in for a missing one)
    proposes it, their agreement is given by proposing."""
    validate_groups(groups)
    workflow = Workflow(groups=tuple(groups))
    return workflow.approve(ApprovalStep.SUPERVISOR) if agreed_at_proposal else workflow


# -- records of a bulk proposal (HRIS) -----------------------------------------------------------

NOTE_MAX_LENGTH = 2000
EXTERNAL_ID_MAX_LENGTH = 80
RECORD_FIELDS = frozenset({"external_id", "fiscal_year", "groups", "note"})
SHARE_FIELDS = frozenset({"group", "scope", "items"})


@dataclass(frozen=True, slots=True)
class AssignmentRecord:
    """One record of ``POST /group-assignments/bulk``: a person (by the HRIS's external id), a
    fiscal year (Buddhist Era) and the proposed groups."""

    external_id: str
    fiscal_year: int
    groups: tuple[GroupShare, ...]
    note: str | None = None


def _share(raw: object, at: str, errors: list[FieldError]) -> GroupShare | None:
    if not isinstance(raw, dict):
        errors.append(FieldError(at, "type", "a group is an object: {group, scope, items}"))
        return None
    errors.extend(
        FieldError(f"{at}/{k}", "unknown-field", f"no field {k!r}")
        for k in raw
        if k not in SHARE_FIELDS
    )
    group = raw.get("group")
    scope = raw.get("scope", GroupScope.WHOLE.value)
    items = raw.get("items")
    ok = True
    if group not in {g.value for g in StaffGroup}:
        errors.append(
            FieldError(
                f"{at}/group",
                "required" if group is None else "enum",
                f"one of {', '.join(g.value for g in StaffGroup)}",
            )
        )
        ok = False
    if scope not in {s.value for s in GroupScope}:
        errors.append(FieldError(f"{at}/scope", "enum", "whole or partial"))
        ok = False
    if items is not None and not (
        isinstance(items, list) and all(isinstance(c, str) for c in items)
    ):
        errors.append(FieldError(f"{at}/items", "type", "a list of item codes (strings)"))
        ok = False
    if not ok:
        return None
    assert isinstance(group, str)
    assert isinstance(scope, str)
    return GroupShare(
        StaffGroup(group),
        GroupScope(scope),
        None if items is None else tuple(nfc(c) for c in items),
    )


def parse_record(raw: object, index: int) -> AssignmentRecord | list[FieldError]:
    """A record, or every problem it has (pointers into the request body: ``/<index>/...``)."""
    at = f"/{index}"
    if not isinstance(raw, dict):
        return [FieldError(at, "type", "a record is a JSON object")]
    errors = [
        FieldError(f"{at}/{k}", "unknown-field", f"no field {k!r}")
        for k in raw
        if k not in RECORD_FIELDS
    ]
    external_id = raw.get("external_id")
    if not isinstance(external_id, str) or not nfc(external_id):
        errors.append(
            FieldError(
                f"{at}/external_id",
                "type"
                if external_id is not None and not isinstance(external_id, str)
                else "required",
                "the person's external id in the source HR system",
            )
        )
    elif len(nfc(external_id)) > EXTERNAL_ID_MAX_LENGTH:
        errors.append(
            FieldError(
                f"{at}/external_id", "max-length", f"at most {EXTERNAL_ID_MAX_LENGTH} characters"
            )
        )
    year = raw.get("fiscal_year")
    if not isinstance(year, int) or isinstance(year, bool):
        errors.append(
            FieldError(
                f"{at}/fiscal_year",
                "required" if year is None else "type",
                "the fiscal year in Buddhist Era, e.g. 2568",
            )
        )
    else:
        try:
            FiscalYear(year)
        except ValueError:
            errors.append(
                FieldError(
                    f"{at}/fiscal_year", "fiscal-year", f"{year} is not a Buddhist Era fiscal year"
                )
            )
    note = raw.get("note")
    if note is not None and not isinstance(note, str):
        errors.append(FieldError(f"{at}/note", "type", "text"))
    elif isinstance(note, str) and len(nfc(note)) > NOTE_MAX_LENGTH:
        errors.append(
            FieldError(f"{at}/note", "max-length", f"at most {NOTE_MAX_LENGTH} characters")
        )
    raw_groups = raw.get("groups")
    shares: list[GroupShare] = []
    if not isinstance(raw_groups, list):
        errors.append(
            FieldError(
                f"{at}/groups",
                "required" if raw_groups is None else "type",
                "a list of staff groups: [{group, scope, items}]",
            )
        )
    else:
        parsed = [_share(g, f"{at}/groups/{i}", errors) for i, g in enumerate(raw_groups)]
        if all(s is not None for s in parsed):
            shares = [s for s in parsed if s is not None]
            try:
                validate_groups(shares, f"{at}/groups")
            except ValidationFailed as exc:
                errors.extend(exc.errors)
    if errors:
        return errors
    assert isinstance(external_id, str)
    assert isinstance(year, int)
    return AssignmentRecord(
        nfc(external_id), year, tuple(shares), nfc(note) if isinstance(note, str) else None
    )

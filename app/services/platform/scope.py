"""What a caller may see and change, as agency subtrees and people.

* a central administrator: everything;
* an integration client: its agency's subtree (a client created without an agency is national);
* an agency administrator: the subtree of the agency in their token's ``agency`` claim;
* a client's agency or a token's ``agency`` claim that names no agency (or a token without the
  claim): no agency at all, never everything;
* a supervisor: the people who report to them, directly or indirectly;
* everyone: themself, when their token's subject is linked to a person (``person.subject``, see
  ``linked_person``).

Out-of-scope records are reported as not found, never as forbidden (their existence stays hidden).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Agency, Person
from app.db.repositories.people import agencies as agency_repo
from app.db.repositories.people import people as people_repo
from app.domain.errors import Forbidden
from app.domain.principal import Principal, Role


@dataclass(frozen=True, slots=True)
class Scope:
    everything: bool = False
    agency_paths: tuple[str, ...] = ()
    # The code of the (existing) agency the subtree hangs from: it may not be moved by the caller.
    root_code: str | None = None
    self_person: uuid.UUID | None = None
    reports_of: uuid.UUID | None = None

    def covers(self, path: str | None) -> bool:
        """Whether an agency at ``path`` lies in one of the subtrees."""
        if self.everything:
            return True
        return path is not None and any(path.startswith(p) for p in self.agency_paths)

    @property
    def prefixes(self) -> tuple[str, ...] | None:
        """None when every agency is in scope; empty when none is (see ``in_subtrees``)."""
        return None if self.everything else self.agency_paths


async def linked_person(session: AsyncSession, actor: Principal) -> Person | None:
    """The person a user's token stands for: the holder of the token's subject.

    A subject is unique within a source agency (migration 0010), so several agencies' HR systems
    may each give it to a person of theirs. The token's ``agency`` claim, set by the identity
    provider, decides: the holder in the claimed agency's subtree, the one in the claimed agency
    itself when there are several (else none: an ambiguous link is no link). A token without the
    claim links only when exactly one person in the service holds its subject; one naming an
    unknown agency links nobody. So one agency setting another agency's login on a person of its
    own can neither take over nor unlink that login's person.
    """
    if actor.is_client:
        return None
    # A session that only reads (a GraphQL query) asks once, however many fields need it.
    memo: dict[object, object] | None = (
        session.info.setdefault("memo", {}) if session.info.get("reads_only") else None
    )
    key = ("linked_person", actor.subject, actor.agency)
    if memo is not None and key in memo:
        return memo[key]  # type: ignore[return-value]
    person = await _holder(session, actor)
    if memo is not None:
        memo[key] = person
    return person


H = TypeVar("H")


def _chosen(actor: Principal, holders: Sequence[tuple[H, bool]]) -> H | None:
    """The rule of :func:`linked_person` over the (at most two) holders of the subject, each
    with whether it belongs to the claimed agency itself (those first)."""
    if len(holders) == 1:
        return holders[0][0]
    if len(holders) == 2 and actor.agency is not None and holders[0][1] and not holders[1][1]:
        return holders[0][0]  # several in the claimed subtree: the one in the agency itself
    return None


async def _holder(session: AsyncSession, actor: Principal) -> Person | None:
    holders = await people_repo.subject_holders(session, actor.subject, within=actor.agency)
    return _chosen(actor, holders)


async def linked_person_id(db: AsyncSession | Any, actor: Principal) -> uuid.UUID | None:
    """The id of :func:`linked_person`, by the same rule, without loading the person (one
    statement sent to the driver as it stands: for paths that need only who it is). ``db``: a
    session or a driver connection (``app.db.raw.reader``)."""
    if actor.is_client:
        return None
    reads_only = isinstance(db, AsyncSession) and db.info.get("reads_only")
    memo = db.info.get("memo") if reads_only else None
    key = ("linked_person", actor.subject, actor.agency)
    if memo is not None and key in memo:
        person = memo[key]
        return person.id if person is not None else None
    holders = await people_repo.subject_holder_ids(db, actor.subject, within=actor.agency)
    return _chosen(actor, holders)


async def _subtree(session: AsyncSession, code: str | None) -> Scope:
    if code is None:
        return Scope()
    agency = await agency_repo.by_code(session, code)
    if agency is None:  # an unknown agency reaches nothing
        return Scope()
    return Scope(agency_paths=(agency.path,), root_code=agency.code)


async def client_scope(session: AsyncSession, actor: Principal) -> Scope:
    """An integration client's reach: its agency's subtree, or everything for a national one."""
    assert actor.is_client
    return Scope(everything=True) if actor.agency is None else await _subtree(session, actor.agency)


async def agency_scope(session: AsyncSession, actor: Principal, *, write: bool) -> Scope:
    """Agencies a caller may read (or, with ``write``, change)."""
    if actor.is_client:
        needed = (
            ("agencies:write",)
            if write
            else ("agencies:read", "agencies:write", "people:read", "people:write")
        )
        if not any(actor.has_scope(s) for s in needed):
            raise Forbidden(
                f"this client's key does not carry the scope {needed[0]!r}",
                required_scope=needed[0],
            )
        return await client_scope(session, actor)
    if actor.has_role(Role.CENTRAL_ADMIN):
        return Scope(everything=True)
    if write and not actor.has_role(Role.AGENCY_ADMIN):
        raise Forbidden(
            "this needs one of the roles: agency_admin, central_admin",
            required_roles=["agency_admin", "central_admin"],
        )
    # Everyone else reads the subtree of the agency their token names.
    return await _subtree(session, actor.agency)


async def people_scope(session: AsyncSession, actor: Principal, *, write: bool) -> Scope:
    """People a caller may read (or, with ``write``, create and change as their HRIS would)."""
    if actor.is_client:
        needed = ("people:write",) if write else ("people:read", "people:write")
        if not any(actor.has_scope(s) for s in needed):
            raise Forbidden(
                f"this client's key does not carry the scope {needed[0]!r}",
                required_scope=needed[0],
            )
        return await client_scope(session, actor)
    if actor.has_role(Role.CENTRAL_ADMIN):
        return Scope(everything=True)
    if write:
        if not actor.has_role(Role.AGENCY_ADMIN):
            raise Forbidden(
                "this needs one of the roles: agency_admin, central_admin",
                required_roles=["agency_admin", "central_admin"],
            )
        return await _subtree(session, actor.agency)
    base = await _subtree(session, actor.agency) if actor.has_role(Role.AGENCY_ADMIN) else Scope()
    me = await linked_person(session, actor)
    if me is None:
        return base
    return Scope(
        agency_paths=base.agency_paths,
        root_code=base.root_code,
        self_person=me.id,
        reports_of=me.id if actor.has_role(Role.SUPERVISOR) else None,
    )


async def group_scope(session: AsyncSession, actor: Principal, *, write: bool) -> Scope:
    """People whose staff-group assignments a caller may read (or, with ``write``, propose).
    Clients need ``groups:read`` or ``groups:write`` (``groups:write`` to propose) and reach their
    agency's subtree; users reach the people they may read (who may act is decided per step)."""
    if not actor.is_client:
        return await people_scope(session, actor, write=False)
    needed = ("groups:write",) if write else ("groups:read", "groups:write")
    if not any(actor.has_scope(s) for s in needed):
        raise Forbidden(
            f"this client's key does not carry the scope {needed[0]!r}",
            required_scope=needed[0],
        )
    return Scope(everything=True) if actor.agency is None else await _subtree(session, actor.agency)


async def agency_path(session: AsyncSession, agency_id: uuid.UUID) -> str | None:
    return await session.scalar(select(Agency.path).where(Agency.id == agency_id))

"""Which maturity stage applies to an agency's staff in a fiscal year (003:653-655, rules B1-B2).

An agency declares its stage for itself as a whole and announces it. A unit without its own
declaration for the year takes the nearest ancestor's. The declared stage's roles are the staff's
*present* target, the next stage's roles their *future* target (none after mature).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from app.domain.roles import MaturityStage

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class EffectiveStage(Generic[K]):
    stage: MaturityStage
    declared_by: K  # the agency whose declaration applies
    inherited: bool

    @property
    def present_target(self) -> MaturityStage:
        return self.stage

    @property
    def future_target(self) -> MaturityStage | None:
        return self.stage.next()


def effective_stage(
    lineage: Sequence[K], declarations: Mapping[K, MaturityStage]
) -> EffectiveStage[K] | None:
    """``lineage`` is the agency first, then its parent, up to the root; ``declarations`` maps
    agencies to the stage they declared for the year in question."""
    for position, agency in enumerate(lineage):
        stage = declarations.get(agency)
        if stage is not None:
            return EffectiveStage(stage=stage, declared_by=agency, inherited=position > 0)
    return None

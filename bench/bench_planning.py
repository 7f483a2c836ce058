"""Plan validation at agency scale: validating every plan of a large agency in one batch.

Prints plans validated per second and the cost of full validation relative to two baselines
measured in the same run: summing each plan's planned hours (the least any check must do) and
computing its 70:20:10 mix.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from app.domain.fiscal import FiscalYear
from app.domain.planning.methods import METHODS
from app.domain.planning.model import (
    Activity,
    DatePeriod,
    DevelopmentPlan,
    Evaluator,
    PlanItem,
    ProfileTarget,
    QuarterPeriod,
    Reason,
)
from app.domain.planning.validation import PlanContext, planned_mix, validate

PLANS = 20_000
CODES = [f"DLit{n}00" for n in range(1, 8)] + [f"DT{n}00" for n in range(1, 8)]
CONTEXT = PlanContext(
    present_items=frozenset(CODES[:7]), future_items=frozenset(CODES[7:]), framework_items=None
)


def _plans(rng: random.Random) -> list[DevelopmentPlan]:
    fy = FiscalYear(2568)
    plans = []
    for p in range(PLANS):
        items = []
        for i in range(rng.randint(2, 4)):
            activities = tuple(
                Activity(
                    f"{p}-{i}-{k}",
                    rng.choice(METHODS).code,
                    Decimal(rng.randint(1, 40)),
                    Decimal(rng.randint(0, 80)),
                )
                for k in range(rng.randint(1, 4))
            )
            period = (
                QuarterPeriod(frozenset({rng.randint(1, 4)}))
                if rng.random() < 0.5
                else DatePeriod(date(2024, 10, 1), date(2025, rng.randint(1, 9), 28))
            )
            items.append(
                PlanItem(
                    id=f"{p}-{i}",
                    priority=i + 1,
                    framework_items=(rng.choice(CODES),),
                    reason=Reason.GAP,
                    target=rng.choice(list(ProfileTarget)),
                    topic=f"หัวข้อ {rng.randint(1, 30)}",
                    activities=activities,
                    application="งานบริการ",
                    period=period,
                    evaluation_methods=frozenset({Evaluator.SELF}),
                )
            )
        plans.append(
            DevelopmentPlan(
                id=str(p),
                person_id=str(p),
                fiscal_year=fy,
                person_name="ชื่อ",
                position="ตำแหน่ง",
                unit="หน่วย",
                baseline_assessment_id="a",
                items=tuple(items),
            )
        )
    return plans


def _time(fn: Callable[[DevelopmentPlan], object], plans: list[DevelopmentPlan]) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for plan in plans:
            fn(plan)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    plans = _plans(random.Random(6))
    hours = _time(lambda p: sum(i.planned_hours for i in p.items), plans)
    mix = _time(planned_mix, plans)
    full = _time(lambda p: validate(p, CONTEXT), plans)
    findings = sum(len(validate(p, CONTEXT)) for p in plans[:1000])
    print(f"planning: {PLANS} plans, about {findings / 1000:.1f} findings each")
    print(f"  sum planned hours (baseline)   {PLANS / hours:>10,.0f} plans/s   1.0x")
    print(f"  70:20:10 mix                    {PLANS / mix:>10,.0f} plans/s   {mix / hours:.1f}x")
    print(f"  validate (every rule)           {PLANS / full:>10,.0f} plans/s   {full / hours:.1f}x")

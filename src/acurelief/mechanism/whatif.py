"""Schedule what-ifs: how headache days per 28 would evolve under different courses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from acurelief.errors import InvalidInput
from acurelief.mechanism.cohort import Model, simulate_cohort
from acurelief.mechanism.profiles import HeadacheType, NonSpecific
from acurelief.mechanism.schedule import Schedule
from acurelief.mechanism.trial import Blinding, nonspecific_effect

WINDOW = 28


@dataclass(frozen=True, slots=True)
class WindowMean:
    start: int
    mean: float
    low: float
    high: float
    n: int


def schedule_course(
    schedules: Mapping[str, Schedule | None],
    *,
    n: int,
    follow_days: int,
    rng: np.random.Generator,
    headache_type: HeadacheType = HeadacheType.MIGRAINE_WITHOUT_AURA,
    model: Model | None = None,
) -> dict[str, list[WindowMean]]:
    """Mean headache days per 28 (95% interval, n) in each 28-day window, per schedule.

    Every schedule sees the same virtual patients (common random numbers), so differences
    between schedules are not noise between cohorts. ``None`` is no treatment.
    """
    if follow_days < WINDOW:
        raise InvalidInput.single("days", f"follow at least {WINDOW} days")
    seed = int(rng.integers(2**63))
    placebo = NonSpecific(effect=nonspecific_effect(headache_type)[Blinding.OPEN])
    out: dict[str, list[WindowMean]] = {}
    for name, schedule in schedules.items():
        cohort = simulate_cohort(
            n,
            rng=np.random.default_rng(seed),
            schedule=schedule,
            follow_days=follow_days,
            types=headache_type,
            nonspecific=placebo if schedule else None,
            model=model,
        )
        rows = []
        for start in range(-cohort.baseline_days, follow_days - WINDOW + 1, WINDOW):
            values = cohort.per_28(cohort.headache, start, start + WINDOW)
            values = values[~np.isnan(values)]
            half = 1.96 * values.std(ddof=1) / np.sqrt(len(values)) if len(values) > 1 else np.nan
            mean = float(values.mean()) if len(values) else float("nan")
            rows.append(WindowMean(start, mean, mean - half, mean + half, len(values)))
        out[name] = rows
    return out

"""Known-truth validation of the carry-over half-life and booking date (issue #9, goal 1).

Virtual chronic-migraine patients from the mechanism model, each with a single true
serotonergic half-life h (no slow component) and the non-specific response of
known_truth.py (27% of the hazard, starting with the first session and fading after the
last). Scenarios: no specific effect at all (the half-life may be identified in at most 5%,
binomial tolerance), and h = 10, 21 and 40 days (coverage of the half-life interval where
identified, target ≥ 90%, and the share identified). Two courses: the standard 12 sessions
over 8 weeks, and one with an 8-week break before 4 booster sessions — a schedule in which
session-bound carry-over can be told apart from a response to being treated at all.
A last scenario gives the break-and-boosters course a specific effect ``STRONG`` times the
calibrated one, so that identification is genuine and the interval's coverage can be judged.
The evenly spread course is expected to identify (almost) no one: the fitter refuses a
half-life where the schedule cannot separate carry-over from the non-specific response.

At the calibrated effect about 1 patient in 400 is identified, so the break-and-boosters
course is run on ``booster_n`` patients (20,000 in ``make validate``): enough hits for the
coverage to rest on more than a handful. Every coverage carries its Wilson 95% interval and
the number of hits it rests on. Cells run side by side, one process per core.

Run: .venv/bin/python validation/half_life.py --n 500 --booster-n 5000 (called by
known_truth.py, which writes validation/results.json).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np
from scipy.stats import binomtest

from acurelief.analysis.carryover import CarryOverFitter
from acurelief.errors import InsufficientData
from acurelief.mechanism.cohort import Model, simulate_cohort
from acurelief.mechanism.parameters import Kinetics
from acurelief.mechanism.profiles import HeadacheType, NonSpecific, Population
from acurelief.mechanism.schedule import Schedule

SCHEDULES = {
    "12 sessions over 8 weeks": (Schedule.evenly(12, 8), 168),
    "6 weekly, 8-week break, 4 weekly boosters": (
        Schedule(session_days=(0, 7, 14, 21, 28, 35, 91, 98, 105, 112)),
        224,
    ),
}
HALF_LIVES: tuple[float | None, ...] = (None, 10.0, 21.0, 40.0)
# A specific effect this many times the calibrated one: where the sessions' own protection is
# strong enough to be seen, is the interval right? (At the calibrated size identification is
# no more frequent than with no effect at all, so coverage there measures chance hits.)
STRONG = 10.0
BOOSTED = "6 weekly, 8-week break, 4 weekly boosters"


def scenario(
    half_life: float | None,
    schedule: Schedule,
    follow_days: int,
    n: int,
    seed: int,
    strength: float = 1.0,
) -> dict[str, object]:
    """Share identified, coverage where identified and median estimate for one scenario;
    ``half_life`` None: no specific effect; ``strength`` scales the specific effect."""
    mean = Population().specific_response_mean * strength
    population = Population(specific_response_mean=0.0 if half_life is None else mean)
    kinetics = Kinetics(serotonergic_half_life_days=half_life or 21.0, serotonergic_slow_share=0.0)
    cohort = simulate_cohort(
        n,
        rng=np.random.default_rng(seed),
        schedule=schedule,
        follow_days=follow_days,
        types=HeadacheType.CHRONIC_MIGRAINE,
        nonspecific=NonSpecific(effect=0.27),
        model=Model(kinetics=kinetics, population=population),
    )
    sessions = list(cohort.session_days + cohort.baseline_days)
    fitted = identified = covered = 0
    estimates = []
    for i in range(cohort.n):
        try:
            fit = CarryOverFitter().fit(cohort.headache[i], cohort.recorded[i], sessions)
        except InsufficientData:
            continue
        fitted += 1
        if fit.identified_:
            identified += 1
            estimates.append(fit.half_life_)
            low, high = fit.half_life_interval_
            covered += half_life is not None and low <= half_life <= high
    return {
        "true_half_life_days": half_life if half_life is not None else "no specific effect",
        "patients": n,
        "fitted": fitted,
        "identified": identified,
        "share_identified": round(identified / fitted, 4) if fitted else "n/a",
        "coverage_when_identified": (
            round(covered / identified, 4) if identified and half_life is not None else "n/a"
        ),
        "coverage_95ci": _wilson(covered, identified) if half_life is not None else "n/a",
        "median_estimate_days": round(float(np.median(estimates)), 2) if estimates else "n/a",
    }


def _wilson(k: int, n: int) -> list[float] | str:
    if n == 0:
        return "n/a"
    ci = binomtest(k, n).proportion_ci(method="wilson")
    return [round(ci.low, 4), round(ci.high, 4)]


Cell = tuple[str, str, float | None, int, int, float]


def _cells(n: int, booster_n: int, seed: int) -> list[Cell]:
    """(course, scenario name, true h, patients, seed, strength) of every scenario."""
    cells: list[Cell] = []
    for name in SCHEDULES:
        size = booster_n if name == BOOSTED else n
        for k, h in enumerate(HALF_LIVES):
            cells.append((name, "no_effect" if h is None else f"h={h:g}", h, size, seed + k, 1.0))
    strong = f"6 weekly, 8-week break, 4 boosters; specific effect x{STRONG:g}"
    for k, h in enumerate(HALF_LIVES[1:]):
        cells.append((strong, f"h={h:g}", h, n, seed + 10 + k, STRONG))
    return cells


def _run(cell: Cell) -> dict[str, object]:
    course, _, h, size, seed, strength = cell
    schedule, follow = SCHEDULES[course if course in SCHEDULES else BOOSTED]
    return scenario(h, schedule, follow, size, seed, strength)


def half_life_scenarios(n: int, seed: int, booster_n: int | None = None) -> dict[str, object]:
    """Every schedule × true half-life, for validation/results.json; the break-and-boosters
    course at the calibrated effect on ``booster_n`` patients (default ``n``)."""
    booster_n = booster_n or n
    record: dict[str, object] = {"seed": seed, "type": HeadacheType.CHRONIC_MIGRAINE.value}
    cells = _cells(n, booster_n, seed)
    courses: dict[str, dict[str, object]] = {}
    started = time.monotonic()
    with ProcessPoolExecutor(max_workers=min(len(cells), os.cpu_count() or 1)) as pool:
        for (course, name, _, size, _, _), result in zip(cells, pool.map(_run, cells), strict=True):
            courses.setdefault(course, {})[name] = result
            print(
                f"half-life, {course}, {name}: {size:,} patients, {result['identified']} "
                f"identified ({time.monotonic() - started:.0f} s)",
                file=sys.stderr,
                flush=True,
            )
    record.update(courses)
    record["tolerance_no_effect"] = round(0.05 + 3 * math.sqrt(0.05 * 0.95 / n), 4)
    record["tolerance_no_effect_boosters"] = round(0.05 + 3 * math.sqrt(0.05 * 0.95 / booster_n), 4)
    return record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--booster-n", type=int, default=None)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    if args.booster_n is not None and args.booster_n < 1:
        parser.error("--booster-n: give at least 1 patient")
    print(json.dumps(half_life_scenarios(args.n, args.seed, args.booster_n), indent=2))


if __name__ == "__main__":
    main()

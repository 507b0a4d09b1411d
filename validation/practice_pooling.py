"""Known-truth validation of the practice's pooled rate ratio (issue #9, goal 2).

For each headache type, virtual practices of 10, 30 and 100 patients are drawn from one large
cohort of the mechanism's patients (12 sessions over 8 weeks, the non-specific response of
known_truth.py). Each patient contributes headache days and recorded days in the 28-day
baseline and in weeks 1–12; the practice's pooled interval (analysis.practice.pool) is checked
against the truth it targets: the ratio of the population's headache-day rates, weeks 1–12
against baseline — the ratio of the mean true daily headache probabilities over all the
cohort's patients (missing days are independent of headache in the simulator, so weighting by
recorded days changes nothing in expectation). Target coverage 92.5–97.5%.

The no-effect scenario has no specific effect, no non-specific response and no regression to
the mean (patients do not start in a bad spell): the true ratio is exactly 1 and the interval
may exclude it in at most 5% of practices (binomial tolerance).

Run: .venv/bin/python validation/practice_pooling.py --practices 300 (called by
known_truth.py, which writes validation/results.json).
"""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Sequence

import numpy as np

from acurelief.analysis.practice import PatientResult, pool
from acurelief.mechanism.cohort import Cohort, Model, simulate_cohort
from acurelief.mechanism.profiles import HeadacheType, NonSpecific, Population
from acurelief.mechanism.schedule import Schedule

WINDOW = 84
SIZES = (10, 30, 100)


def patient_results(cohort: Cohort, window: int = WINDOW) -> list[PatientResult]:
    """Each virtual patient's counts in baseline and the first ``window`` treatment days."""
    b0 = cohort.baseline_days
    base_rec, win_rec = cohort.recorded[:, :b0], cohort.recorded[:, b0 : b0 + window]
    base_events = (cohort.headache[:, :b0] & base_rec).sum(axis=1)
    win_events = (cohort.headache[:, b0 : b0 + window] & win_rec).sum(axis=1)
    base_days, win_days = base_rec.sum(axis=1), win_rec.sum(axis=1)
    return [
        PatientResult(
            i,
            None,
            "virtual",
            None,
            math.nan,
            math.nan,
            int(base_events[i]),
            int(base_days[i]),
            int(win_events[i]),
            int(win_days[i]),
        )
        for i in range(cohort.n)
    ]


def true_ratio(cohort: Cohort, window: int = WINDOW) -> float:
    """The population's rate ratio: mean true daily probability, window against baseline."""
    b0 = cohort.baseline_days
    chance = cohort.chance.astype(np.float64)
    return float(chance[:, b0 : b0 + window].mean() / chance[:, :b0].mean())


def _cohort(kind: HeadacheType, n: int, seed: int, no_effect: bool) -> Cohort:
    model = (
        Model(population=Population(specific_response_mean=0.0, bad_spell_shift=0.0))
        if no_effect
        else Model()
    )
    return simulate_cohort(
        n,
        rng=np.random.default_rng(seed),
        schedule=Schedule.evenly(12, 8),
        follow_days=WINDOW,
        types=kind,
        nonspecific=None if no_effect else NonSpecific(effect=0.27),
        model=model,
    )


def coverage(
    kind: HeadacheType,
    practices: int,
    seed: int,
    sizes: Sequence[int] = SIZES,
    *,
    no_effect: bool = False,
) -> dict[str, object]:
    """Coverage of the pooled interval for practices of each size, drawn from one cohort."""
    cohort = _cohort(kind, practices * sum(sizes), seed, no_effect)
    truth = 1.0 if no_effect else true_ratio(cohort)
    patients = patient_results(cohort)
    record: dict[str, object] = {"true_rate_ratio": round(truth, 4)}
    offset = 0
    for size in sizes:
        covered = missing = zero_days = 0
        for _ in range(practices):
            pooled = pool(patients[offset : offset + size])
            offset += size
            if pooled is None:
                missing += 1
                continue
            zero_days += pooled.zero_day_patients
            covered += math.exp(pooled.low) <= truth <= math.exp(pooled.high)
        with_interval = practices - missing
        record[str(size)] = {
            "practices": practices,
            "without_interval": missing,
            "coverage": round(covered / with_interval, 4) if with_interval else "n/a",
            "zero_day_patients_kept": zero_days,
        }
    return record


def practice_pooling(practices: int, seed: int) -> dict[str, object]:
    """Every headache type and the no-effect scenario, for validation/results.json."""
    by_type = {k.value: coverage(k, practices, seed) for k in HeadacheType}
    return {
        "seed": seed,
        "patients_per_practice": list(SIZES),
        "target_coverage": [0.925, 0.975],
        "estimand": "ratio of the population's headache-day rates, weeks 1–12 vs baseline",
        "by_type": by_type,
        "no_effect_migraine_without_aura": coverage(
            HeadacheType.MIGRAINE_WITHOUT_AURA, practices, seed + 1, no_effect=True
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--practices", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    print(json.dumps(practice_pooling(args.practices, args.seed), indent=2))


if __name__ == "__main__":
    main()

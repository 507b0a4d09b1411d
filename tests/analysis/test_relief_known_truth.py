"""Relief in sessions that started with a headache, on virtual patients with a known truth.

Each virtual patient has sessions on headache-free days (pain 0–2 before) and during a
headache (pain 4–8 before). Pain after = pain before − the patient's true drop + noise, so
the truth is known: with no relief the pooled interval may exclude 0 only as often as its
5% error rate allows; with a true mean drop of 1.5 points over patients it covers 1.5 about
95% of the time. The pain before is the selection variable and carries no error here, so
there is no regression to the mean to find (the caveat names it for real data).
"""

from __future__ import annotations

import numpy as np
import pytest

from acurelief.analysis.relief import Relief, pooled_report, report_of

Float = np.typing.NDArray[np.float64]
COHORTS = 200
PATIENTS = 20
SESSIONS = 10
NOISE_SD = 1.2
# With p = 0.05 and 200 cohorts the share is Binomial(200, 0.05)/200: SD 1.5 points, so 8%
# is two SDs above the nominal rate, and coverage should fall within 95% ± 3 points.
MAX_FALSE_SHARE = 0.08


def patient(
    rng: np.random.Generator, true_drop: float, headache_share: float = 0.4
) -> tuple[Float, Float]:
    aching = rng.random(SESSIONS) < headache_share
    before = np.where(aching, rng.integers(4, 9, SESSIONS), rng.integers(0, 3, SESSIONS))
    after = before - true_drop * aching + rng.normal(0, NOISE_SD, SESSIONS)
    return before.astype(np.float64), after


def cohort(rng: np.random.Generator, mean_drop: float, between_sd: float) -> Relief:
    drops = rng.normal(mean_drop, between_sd, PATIENTS)
    pooled = pooled_report([patient(rng, d) for d in drops])
    assert pooled.with_headache is not None
    return pooled.with_headache


def test_with_no_relief_the_pooled_interval_excludes_zero_no_more_than_5_percent() -> None:
    rng = np.random.default_rng(20260901)
    results = [cohort(rng, 0.0, 0.0) for _ in range(COHORTS)]
    excludes = np.mean([r.mean_drop.low > 0 or r.mean_drop.high < 0 for r in results])
    wilcoxon = np.mean([r.wilcoxon_p < 0.05 for r in results])
    assert excludes <= MAX_FALSE_SHARE
    assert wilcoxon <= MAX_FALSE_SHARE
    assert excludes >= 0.02  # not so wide that it never could find anything


def test_with_no_relief_one_patients_interval_excludes_zero_no_more_than_5_percent() -> None:
    rng = np.random.default_rng(20260902)
    excludes = 0
    for _ in range(COHORTS):
        before, after = patient(rng, 0.0, headache_share=0.8)
        r = report_of(before, after).with_headache
        if r is None or r.n_sessions < 2:
            continue
        excludes += r.mean_drop.low > 0 or r.mean_drop.high < 0
    assert excludes / COHORTS <= MAX_FALSE_SHARE


def test_with_a_known_relief_the_pooled_interval_covers_it() -> None:
    rng = np.random.default_rng(20260903)
    results = [cohort(rng, 1.5, 0.6) for _ in range(COHORTS)]
    covered = np.mean([r.mean_drop.low <= 1.5 <= r.mean_drop.high for r in results])
    assert 0.92 <= covered <= 0.98
    estimates = np.array([r.mean_drop.estimate for r in results])
    assert estimates.mean() == pytest.approx(1.5, abs=0.05)
    # Pooled with the headache-free sessions, the same relief is diluted to well under half.
    rng = np.random.default_rng(20260903)
    diluted = [
        pooled_report([patient(rng, d) for d in rng.normal(1.5, 0.6, PATIENTS)]).all_sessions
        for _ in range(20)
    ]
    assert np.mean([r.mean_drop.estimate for r in diluted]) < 0.75

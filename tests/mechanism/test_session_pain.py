"""Virtual patients' pain before a session follows their diary that day (issue 9, goal 7)."""

from __future__ import annotations

import numpy as np

from acurelief.mechanism.cohort import (
    HEADACHE_FREE_TRACE_SHARE,
    SESSION_SHARE_OF_PEAK,
    Cohort,
    simulate_cohort,
)
from acurelief.mechanism.profiles import HeadacheType
from acurelief.mechanism.schedule import Schedule

COURSE = Schedule.evenly(12, 8)


def _cohort(seed: int, types: HeadacheType, n: int = 600) -> Cohort:
    return simulate_cohort(
        n, rng=np.random.default_rng(seed), schedule=COURSE, follow_days=112, types=types
    )


def _session_days(c: Cohort) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    cols = c.baseline_days + c.session_days
    return c.headache[:, cols], c.peak_pain[:, cols].astype(int), c.pain_before.astype(int)


def test_a_session_on_a_headache_day_starts_near_that_days_peak_pain() -> None:
    headache, peak, before = _session_days(_cohort(31, HeadacheType.CHRONIC_MIGRAINE))
    low, _ = SESSION_SHARE_OF_PEAK
    assert headache.sum() > 1000  # enough headache-day sessions to see the rule
    assert (before[headache] <= peak[headache]).all()  # never above the diary's peak
    assert (before[headache] >= np.maximum(np.floor(low * peak[headache]), 1)).all()
    assert np.mean(before[headache] == peak[headache]) > 0.2  # often at the peak itself


def test_a_session_on_a_headache_free_day_starts_low() -> None:
    headache, _, before = _session_days(_cohort(32, HeadacheType.MIGRAINE_WITHOUT_AURA))
    free = before[~headache]
    assert set(np.unique(free).tolist()) == {0, 1}
    n = free.size
    share = np.mean(free == 1)
    tolerance = 4 * np.sqrt(HEADACHE_FREE_TRACE_SHARE * (1 - HEADACHE_FREE_TRACE_SHARE) / n)
    assert abs(share - HEADACHE_FREE_TRACE_SHARE) < tolerance


def test_sessions_start_with_a_headache_as_often_as_session_days_are_headache_days() -> None:
    for seed, kind in ((33, HeadacheType.MIGRAINE_WITHOUT_AURA), (34, HeadacheType.TENSION_TYPE)):
        headache, peak, before = _session_days(_cohort(seed, kind))
        # Pain ≥ 4 before a session happens on headache days only, and on most of those
        # whose peak reaches 5 or more.
        assert not (before[~headache] >= 4).any()
        strong = headache & (peak >= 5)
        assert np.mean(before[strong] >= 4) > 0.9

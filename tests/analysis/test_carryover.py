"""The carry-over model against statsmodels and against data simulated from its own equation."""

from __future__ import annotations

import math

import numpy as np
import pytest
import statsmodels.api as sm

from acurelief.analysis import carryover
from acurelief.analysis.carryover import CarryOverFitter, fit_logistic, protection
from acurelief.errors import InsufficientData

SESSIONS = [28 + k * 5 for k in range(12)]  # twelve sessions over eight weeks after a baseline
DAYS = 28 + 140


def simulate(
    rng: np.random.Generator, alpha: float, beta: float, half_life: float
) -> tuple[np.ndarray, np.ndarray]:
    days = np.arange(DAYS, dtype=float)
    p = 1 / (1 + np.exp(-(alpha + beta * protection(days, np.array(SESSIONS, float), half_life))))
    return rng.random(DAYS) < p, rng.random(DAYS) > 0.1


def test_the_logistic_fit_matches_statsmodels_to_1e_6() -> None:
    rng = np.random.default_rng(3)
    headache, recorded = simulate(rng, 0.4, -0.5, 10.0)
    days = np.flatnonzero(recorded).astype(float)
    x = protection(days, np.array(SESSIONS, float), 10.0)
    y = headache[recorded].astype(float)
    a, b, loglik, cov = fit_logistic(x, y)
    ref = sm.Logit(y, sm.add_constant(x)).fit(disp=0, tol=1e-12)
    assert a == pytest.approx(ref.params[0], abs=1e-6)
    assert b == pytest.approx(ref.params[1], abs=1e-6)
    assert loglik == pytest.approx(ref.llf, abs=1e-6)
    assert math.sqrt(cov[1, 1]) == pytest.approx(ref.bse[1], abs=1e-6)


def test_known_half_life_and_effect_are_recovered() -> None:
    rng = np.random.default_rng(8)
    truth_h, truth_b = 14.0, -0.8
    covered_h = covered_b = identified = 0
    estimates = []
    for _ in range(200):
        headache, recorded = simulate(rng, 0.8, truth_b, truth_h)
        fit = CarryOverFitter().fit(headache, recorded, SESSIONS)
        if not fit.identified_:
            continue
        identified += 1
        low, high = fit.half_life_interval_
        covered_h += low <= truth_h <= high
        covered_b += fit.effect_interval_[0] <= truth_b <= fit.effect_interval_[1]
        estimates.append(math.log(fit.half_life_))
    assert identified >= 120
    assert covered_h / identified >= 0.85
    assert covered_b / identified >= 0.85
    assert abs(np.median(estimates) - math.log(truth_h)) < 0.25


def test_without_an_effect_the_half_life_is_not_identified() -> None:
    rng = np.random.default_rng(1)
    headache, recorded = rng.random(DAYS) < 0.3, np.ones(DAYS, dtype=bool)
    fit = CarryOverFitter().fit(headache, recorded, SESSIONS)
    assert not fit.identified_
    assert any("not distinguishable from none" in w or "not identified" in w for w in fit.warnings_)
    assert all(math.isnan(v) for v in fit.book_by(0.5))


def test_book_by_follows_the_half_life() -> None:
    rng = np.random.default_rng(8)
    headache, recorded = simulate(rng, 0.8, -1.2, 14.0)
    fit = CarryOverFitter().fit(headache, recorded, SESSIONS)
    assert fit.identified_
    estimate, low, high = fit.book_by(0.25)
    assert estimate == pytest.approx(2 * fit.half_life_)
    assert low <= estimate <= high
    with pytest.raises(ValueError, match="share"):
        fit.book_by(1.5)


def test_too_little_data_is_insufficient() -> None:
    with pytest.raises(InsufficientData, match="56 recorded days"):
        CarryOverFitter().fit(np.zeros(30, bool), np.ones(30, bool), [5, 10])
    with pytest.raises(InsufficientData, match="same"):
        CarryOverFitter().fit(np.zeros(100, bool), np.ones(100, bool), [5, 10])


def test_the_recursion_equals_the_direct_sum_of_exponentials() -> None:
    """P_t by the first-order recursion (the fitter's path) against the sum as written."""
    rng = np.random.default_rng(7)
    days = np.sort(rng.choice(np.arange(400), size=300, replace=False)).astype(np.float64)
    sessions = np.sort(rng.choice(np.arange(-20, 420), size=25, replace=False)).astype(np.float64)
    grid = (1.0, 7.3, 21.0, 365.0)
    for h, fast in zip(grid, carryover._exposures(days, sessions, grid), strict=True):
        np.testing.assert_allclose(fast, carryover.protection(days, sessions, h), rtol=1e-12)

"""The cohort's rate ratio and pooled rates against independent computations and known truth.

Independent computations: statsmodels ``GLM`` (Poisson) on one row per *day* with
cluster-robust covariance by patient (no small-sample correction) for the sandwich; the
Mancl–DeRouen bias-reduced sandwich written out in numpy. Known truth: virtual cohorts from
``validation/cohort_diary.py`` with no effect (the interval may exclude 1 in at most 5% of
cohorts, binomial tolerance) and with a 30% reduction (coverage).
"""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
import statsmodels.api as sm
from numpy.typing import NDArray
from scipy import stats

from acurelief.analysis.cohort import MIN_PATIENTS, cohort_rate_ratio, pooled_rate
from acurelief.errors import InvalidInput

TOL = 1e-6
COHORTS = 150
MAX_MISSES = int(stats.binom.ppf(0.999, COHORTS, 0.05))


def _validation() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "validation" / "cohort_diary.py"
    spec = importlib.util.spec_from_file_location("cohort_diary", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


VALIDATION = _validation()


def _cohort(seed: int, n: int = 25, ratio: float = 0.7) -> tuple[NDArray[np.int64], ...]:
    rng = np.random.default_rng(seed)
    counts: tuple[NDArray[np.int64], ...] = VALIDATION.cohort_counts(
        *VALIDATION.simulate_cohort(rng, n, ratio)
    )
    return counts


def _day_rows(counts: tuple[NDArray[np.int64], ...]) -> tuple[NDArray[np.float64], ...]:
    """One row per recorded day: (headache 0/1, treated 0/1, patient)."""
    be, bd, te, td = counts
    y: list[float] = []
    x: list[float] = []
    g: list[int] = []
    for i in range(len(be)):
        for events, days, treated in ((be[i], bd[i], 0.0), (te[i], td[i], 1.0)):
            y += [1.0] * int(events) + [0.0] * int(days - events)
            x += [treated] * int(days)
            g += [i] * int(days)
    return np.array(y), np.array(x), np.array(g, dtype=float)


def test_the_rate_ratio_matches_a_day_level_glm_with_cluster_robust_errors() -> None:
    counts = _cohort(1)
    result = cohort_rate_ratio(*counts, covariance="robust")
    y, x, g = _day_rows(counts)
    # statsmodels GLM, Poisson, one row per day, cov_type="cluster" by patient, no correction
    glm = sm.GLM(y, sm.add_constant(x), family=sm.families.Poisson()).fit(
        cov_type="cluster", cov_kwds={"groups": g.astype(int), "use_correction": False}
    )
    beta, se = glm.params[1], glm.bse[1]
    q = stats.t.ppf(0.975, len(counts[0]) - 1)
    assert math.log(result.estimate) == pytest.approx(beta, abs=TOL)
    assert math.log(result.low) == pytest.approx(beta - q * se, abs=TOL)
    assert math.log(result.high) == pytest.approx(beta + q * se, abs=TOL)
    assert result.patients == len(counts[0])
    assert result.patient_days == int(counts[1].sum() + counts[3].sum())


def _mancl_derouen(counts: tuple[NDArray[np.int64], ...]) -> tuple[float, float]:
    """log RR and its bias-reduced sandwich SE, by hand (Mancl & DeRouen 2001)."""
    be, bd, te, td = (np.asarray(c, dtype=float) for c in counts)
    beta0 = math.log(be.sum() / bd.sum())
    beta1 = math.log(te.sum() / td.sum()) - beta0  # the Poisson score equations' solution
    x = np.array([[1.0, 0.0], [1.0, 1.0]])
    bread = np.zeros((2, 2))
    mus = []
    for i in range(len(be)):
        mu = np.array([bd[i] * math.exp(beta0), td[i] * math.exp(beta0 + beta1)])
        mus.append(mu)
        bread += x.T @ np.diag(mu) @ x
    inv = np.linalg.inv(bread)
    meat = np.zeros((2, 2))
    for i, mu in enumerate(mus):
        r = np.array([be[i], te[i]]) - mu
        h = np.diag(mu) @ x @ inv @ x.T
        u = x.T @ np.linalg.solve(np.eye(2) - h, r)
        meat += np.outer(u, u)
    cov = inv @ meat @ inv
    return beta1, math.sqrt(cov[1, 1])


def test_the_bias_reduced_interval_matches_the_mancl_derouen_formula() -> None:
    counts = _cohort(2, n=12)
    result = cohort_rate_ratio(*counts)
    beta, se = _mancl_derouen(counts)
    q = stats.t.ppf(0.975, 11)
    assert math.log(result.estimate) == pytest.approx(beta, abs=TOL)
    assert math.log(result.low) == pytest.approx(beta - q * se, abs=TOL)
    assert result.p_value == pytest.approx(2 * stats.t.sf(abs(beta / se), 11), abs=TOL)


def test_the_pooled_rate_is_the_ratio_of_sums_with_a_cluster_robust_interval() -> None:
    be, bd, _, _ = _cohort(3)
    result = pooled_rate("baseline", be, bd, covariance="robust")
    assert result.per_28 == pytest.approx(28 * be.sum() / bd.sum(), rel=TOL)
    # statsmodels GLM, intercept only, offset log days, cluster-robust by patient
    model = sm.GLM(
        be.astype(float),
        np.ones((len(be), 1)),
        family=sm.families.Poisson(),
        offset=np.log(bd.astype(float)),
    )
    glm = model.fit(
        cov_type="cluster", cov_kwds={"groups": np.arange(len(be)), "use_correction": False}
    )
    q = stats.t.ppf(0.975, len(be) - 1)
    assert result.low == pytest.approx(28 * math.exp(glm.params[0] - q * glm.bse[0]), rel=TOL)
    assert result.high == pytest.approx(28 * math.exp(glm.params[0] + q * glm.bse[0]), rel=TOL)
    assert (result.patients, result.patient_days) == (len(be), int(bd.sum()))


def test_with_no_effect_the_interval_excludes_one_at_most_at_its_error_rate() -> None:
    rng = np.random.default_rng(20260509)
    excluded = 0
    for _ in range(COHORTS):
        diaries = VALIDATION.simulate_cohort(rng, 15, 1.0, sigma=0.0)
        rr = cohort_rate_ratio(*VALIDATION.cohort_counts(*diaries))
        excluded += not rr.low <= 1 <= rr.high
    assert excluded <= MAX_MISSES


def test_a_known_reduction_is_covered_and_found() -> None:
    rng = np.random.default_rng(11)
    missed = found = 0
    for _ in range(COHORTS):
        rr = cohort_rate_ratio(*VALIDATION.cohort_counts(*VALIDATION.simulate_cohort(rng, 30, 0.7)))
        missed += not rr.low <= 0.7 <= rr.high
        found += rr.high < 1
    assert missed <= MAX_MISSES
    assert found >= COHORTS // 2  # a 30% reduction in 30 patients is usually seen


def test_patients_without_headache_days_are_kept() -> None:
    be, bd, te, td = _cohort(4)
    te = te.copy()
    te[:3] = 0  # three patients became headache-free
    result = cohort_rate_ratio(be, bd, te, td)
    assert result.patients == len(be)
    assert result.treatment_headache_days == int(te.sum())


def test_the_conclusion_says_no_evidence_when_the_interval_includes_one() -> None:
    be, bd, te, td = _cohort(5, ratio=1.0)
    result = cohort_rate_ratio(be, bd, te, td, period="weeks 1–12")
    assert result.low <= 1 <= result.high
    assert result.conclusion.startswith("No evidence of prevention: the rate ratio")
    assert "includes 1" in result.conclusion
    assert f"n = {len(be)} patients" in result.conclusion
    fell = cohort_rate_ratio(be, bd, te * 0 + be // 3, bd, period="weeks 1–12")
    assert fell.high < 1
    assert fell.conclusion.startswith("Headache days fell by")
    assert "regression to the mean" in fell.conclusion


def test_too_few_patients_or_no_headache_days_are_said_not_computed() -> None:
    few = cohort_rate_ratio([3] * 4, [28] * 4, [2] * 4, [84] * 4)
    assert not few.evaluable
    assert f"at least {MIN_PATIENTS} needed" in few.conclusion
    none = cohort_rate_ratio([0] * 6, [28] * 6, [2] * 6, [84] * 6)
    assert "no headache day in the baseline" in none.caveats[0]
    assert none.as_dict()["estimate"] is None


def test_impossible_counts_are_refused_naming_the_period() -> None:
    with pytest.raises(InvalidInput, match="treatment: each patient needs recorded days > 0"):
        cohort_rate_ratio([3] * 6, [28] * 6, [90] * 6, [84] * 6)
    with pytest.raises(InvalidInput, match="covariance"):
        pooled_rate("baseline", [3] * 6, [28] * 6, covariance="naive")

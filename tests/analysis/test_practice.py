"""Practice benchmarks: Wilson rates, the pooled rate ratio (Poisson GEE) against a hand
computation and against known truth, DerSimonian–Laird shrinkage by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import t as student_t
from statsmodels.stats.proportion import proportion_confint

from acurelief.analysis.practice import PatientResult, pool, pooled_log_ratio, practice_report

LOG_RR = [0.1, -0.5, -0.2, -0.9, -0.4, -0.3]
SE = [0.2, 0.3, 0.15, 0.5, 0.25, 0.3]
# (baseline headache days, baseline recorded days, treatment headache days, recorded days)
COUNTS = [
    (10, 28, 25, 80),
    (8, 27, 12, 84),
    (14, 28, 30, 82),
    (5, 25, 0, 70),
    (9, 28, 20, 84),
    (7, 28, 15, 84),
]


def _patients() -> list[PatientResult]:
    groups = [
        "episodic migraine",
        "episodic migraine",
        "tension-type headache",
        "unknown",
        "episodic migraine",
        "tension-type headache",
    ]
    responders = [False, True, None, True, True, False]
    return [
        PatientResult(i + 1, 10 if i % 2 else 11, g, r, y, s, *c)
        for i, (g, r, y, s, c) in enumerate(
            zip(groups, responders, LOG_RR, SE, COUNTS, strict=True)
        )
    ]


def _mancl_derouen(counts: list[tuple[int, int, int, int]]) -> tuple[float, float]:
    """μ and its bias-reduced robust SE, written out: μ is the log ratio of the summed rates;
    the sandwich B⁻¹ [Σ Xᵢ'(I − Hᵢ)⁻¹ rᵢ rᵢ'(I − Hᵢ)⁻ᵀ Xᵢ] B⁻¹ with Hᵢ = diag(mᵢ) Xᵢ B⁻¹ Xᵢ'
    (Mancl & DeRouen 2001), B = Σ Xᵢ' diag(mᵢ) Xᵢ."""
    c = np.array(counts, dtype=float)
    rate_b, rate_w = c[:, 0].sum() / c[:, 1].sum(), c[:, 2].sum() / c[:, 3].sum()
    x = np.array([[1.0, 0.0], [1.0, 1.0]])
    fitted = [np.array([rate_b * b_days, rate_w * w_days]) for _, b_days, _, w_days in c]
    bread = np.linalg.inv(sum(x.T @ np.diag(m) @ x for m in fitted))
    meat = np.zeros((2, 2))
    for (b, _, w, _), m in zip(c, fitted, strict=True):
        h = np.diag(m) @ x @ bread @ x.T
        u = x.T @ np.linalg.solve(np.eye(2) - h, np.array([b, w]) - m)
        meat += np.outer(u, u)
    return math.log(rate_w / rate_b), math.sqrt((bread @ meat @ bread)[1, 1])


def test_the_pooled_ratio_is_the_ratio_of_summed_rates_with_a_bias_reduced_t_interval() -> None:
    mu, se = _mancl_derouen(COUNTS)
    found = pooled_log_ratio(_patients())
    assert found is not None
    q = float(student_t.ppf(0.975, len(COUNTS) - 1))
    assert found[0] == pytest.approx(mu, abs=1e-6)
    assert found[1] == pytest.approx(mu - q * se, abs=1e-6)
    assert found[2] == pytest.approx(mu + q * se, abs=1e-6)


def test_patients_with_no_headache_day_in_a_window_are_kept() -> None:
    pooled = pool(_patients())
    without = pool([p for p in _patients() if p.window_events > 0])
    assert pooled is not None
    assert without is not None
    assert (pooled.n, pooled.zero_day_patients, without.n) == (6, 1, 5)
    # Dropping the best responder (no headache day while treated) makes the practice look worse.
    assert pooled.mean_log_rr < without.mean_log_rr


def test_shrinkage_uses_the_dersimonian_laird_variance_floored_at_zero() -> None:
    y, v = np.array(LOG_RR), np.array(SE) ** 2
    w = 1 / v
    fixed = (w * y).sum() / w.sum()
    q = (w * (y - fixed) ** 2).sum()
    tau2 = max(0.0, (q - (len(y) - 1)) / (w.sum() - (w**2).sum() / w.sum()))
    pooled = pool(_patients())
    assert pooled is not None
    assert pooled.tau2 == pytest.approx(tau2, abs=1e-6)
    mu = pooled.mean_log_rr
    expected = (y[0] / v[0] + mu / tau2) / (1 / v[0] + 1 / tau2)
    assert pooled.shrunken[1] == pytest.approx(expected, abs=1e-9)


def test_homogeneous_patients_shrink_all_the_way_and_tau2_is_never_negative() -> None:
    same = [
        PatientResult(i, None, "unknown", None, -0.3 + 0.01 * (i % 2), 0.4, 10 + i, 28, 20, 84)
        for i in range(6)
    ]
    pooled = pool(same)
    assert pooled is not None
    assert pooled.tau2 == 0.0
    assert set(pooled.shrunken.values()) == {pooled.mean_log_rr}


CAP = 0.95  # the highest daily chance of a headache


def _chances(
    rng: np.random.Generator, size: int, log_ratio_mean: float, log_ratio_sd: float
) -> tuple[np.typing.NDArray[np.float64], np.typing.NDArray[np.float64]]:
    rate = np.minimum(rng.gamma(2.0, 0.15, size), CAP)
    return rate, np.exp(rng.normal(log_ratio_mean, log_ratio_sd, size))


def _true_ratio(log_ratio_mean: float, log_ratio_sd: float) -> float:
    """E[chance while treated] / E[chance at baseline] over the population, by simulation
    (10⁶ patients: the Monte Carlo error, ~0.1%, is far below an interval's width)."""
    rate, ratio = _chances(np.random.default_rng(0), 1_000_000, log_ratio_mean, log_ratio_sd)
    return float(np.minimum(rate * ratio, CAP).mean() / rate.mean())


def _virtual_practice(
    rng: np.random.Generator, size: int, log_ratio_mean: float, log_ratio_sd: float
) -> list[PatientResult]:
    """Patients with gamma-distributed daily chances and lognormal own ratios (both capped
    below 1: a day has a headache or not), binomial headache days."""
    rate, ratio = _chances(rng, size, log_ratio_mean, log_ratio_sd)
    b_days, w_days = rng.integers(20, 29, size), rng.integers(60, 85, size)
    b, w = rng.binomial(b_days, rate), rng.binomial(w_days, np.minimum(rate * ratio, CAP))
    return [
        PatientResult(i, None, "unknown", None, math.nan, math.nan, *map(int, row))
        for i, row in enumerate(zip(b, b_days, w, w_days, strict=True))
    ]


@pytest.mark.parametrize("size", [10, 40])
def test_the_pooled_interval_covers_the_known_ratio(size: int) -> None:
    """Truth: the population's ratio of mean daily chances (``_true_ratio``). 200 practices:
    coverage 0.95 ± 3 binomial SDs (0.015) holds unless the interval is wrong."""
    rng = np.random.default_rng(size)
    m, s = -0.5, 0.4
    truth = _true_ratio(m, s)
    covered = 0
    for _ in range(200):
        found = pooled_log_ratio(_virtual_practice(rng, size, m, s))
        assert found is not None
        covered += math.exp(found[1]) <= truth <= math.exp(found[2])
    assert 0.90 <= covered / 200 <= 0.995


def test_without_an_effect_the_interval_excludes_1_at_most_at_its_error_rate() -> None:
    """No change at all: the 95% interval may exclude 1 in 5% of practices (+3 binomial SDs)."""
    rng = np.random.default_rng(5)
    excluded = 0
    for _ in range(200):
        found = pooled_log_ratio(_virtual_practice(rng, 10, 0.0, 0.0))
        assert found is not None
        excluded += not found[1] <= 0 <= found[2]
    assert excluded / 200 <= 0.05 + 3 * math.sqrt(0.05 * 0.95 / 200)


def test_shrinkage_pulls_uncertain_patients_furthest() -> None:
    pooled = pool(_patients())
    assert pooled is not None
    mu = pooled.mean_log_rr
    moved = {
        i + 1: abs(pooled.shrunken[i + 1] - LOG_RR[i]) / abs(LOG_RR[i] - mu)
        for i in range(5)
        if LOG_RR[i] != mu
    }
    # Patient 4 (SE 0.5) is pulled toward the mean more, relatively, than patient 3 (SE 0.15).
    assert moved[4] > moved[3]
    for i in range(5):  # every shrunken estimate lies between the patient's own and the mean
        lo, hi = sorted((LOG_RR[i], mu))
        assert lo - 1e-12 <= pooled.shrunken[i + 1] <= hi + 1e-12


def test_responder_rates_by_diagnosis_carry_wilson_intervals_and_the_published_arms() -> None:
    report = practice_report(_patients())
    assert (report.overall.responders, report.overall.evaluable) == (3, 5)
    low, high = proportion_confint(3, 5, method="wilson")
    assert report.overall.rate.low == pytest.approx(low, abs=1e-6)
    assert report.overall.rate.high == pytest.approx(high, abs=1e-6)
    migraine = next(s for s in report.by_group if s.label == "episodic migraine")
    assert (migraine.responders, migraine.evaluable) == (2, 3)
    assert [a.low for a in migraine.anchors] == [0.41, 0.17, 0.41]
    assert report.not_evaluable == 1
    assert {s.label for s in report.by_practitioner} == {"practitioner 10", "practitioner 11"}
    assert len(report.funnel) == 6


def test_too_few_patients_are_not_pooled() -> None:
    assert pool(_patients()[:2]) is None

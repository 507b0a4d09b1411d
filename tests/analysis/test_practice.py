"""Practice benchmarks: Wilson rates, DerSimonian–Laird pooling by hand, shrinkage."""

from __future__ import annotations

import math

import numpy as np
import pytest
from statsmodels.stats.proportion import proportion_confint

from acurelief.analysis.practice import PatientResult, pool, practice_report

LOG_RR = [0.1, -0.5, -0.2, -0.9, -0.4]
SE = [0.2, 0.3, 0.15, 0.5, 0.25]


def _patients() -> list[PatientResult]:
    groups = [
        "episodic migraine",
        "episodic migraine",
        "tension-type headache",
        "unknown",
        "episodic migraine",
    ]
    responders = [False, True, None, True, True]
    return [
        PatientResult(i + 1, 10 if i % 2 else 11, g, r, y, s)
        for i, (g, r, y, s) in enumerate(zip(groups, responders, LOG_RR, SE, strict=True))
    ]


def test_pooling_matches_dersimonian_laird_by_hand() -> None:
    y, v = np.array(LOG_RR), np.array(SE) ** 2
    w = 1 / v
    fixed = (w * y).sum() / w.sum()
    q = (w * (y - fixed) ** 2).sum()
    tau2 = max(0.0, (q - (len(y) - 1)) / (w.sum() - (w**2).sum() / w.sum()))
    w_re = 1 / (v + tau2)
    mu = (w_re * y).sum() / w_re.sum()
    pooled = pool(_patients())
    assert pooled is not None
    assert pooled.tau2 == pytest.approx(tau2, abs=1e-6)
    assert pooled.mean_log_rr == pytest.approx(mu, abs=1e-6)
    assert pooled.high - pooled.mean_log_rr == pytest.approx(
        1.959963984540054 / math.sqrt(w_re.sum()), abs=1e-6
    )


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
    assert (report.overall.responders, report.overall.evaluable) == (3, 4)
    low, high = proportion_confint(3, 4, method="wilson")
    assert report.overall.rate.low == pytest.approx(low, abs=1e-6)
    assert report.overall.rate.high == pytest.approx(high, abs=1e-6)
    migraine = next(s for s in report.by_group if s.label == "episodic migraine")
    assert (migraine.responders, migraine.evaluable) == (2, 3)
    assert [a.low for a in migraine.anchors] == [0.41, 0.17, 0.41]
    assert report.not_evaluable == 1
    assert {s.label for s in report.by_practitioner} == {"practitioner 10", "practitioner 11"}
    assert len(report.funnel) == 5


def test_too_few_patients_are_not_pooled() -> None:
    assert pool(_patients()[:2]) is None

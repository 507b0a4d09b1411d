"""Monte Carlo power against the null, against an analytic formula, and bad input."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from scipy.stats import norm

from acurelief.errors import InvalidInput
from acurelief.mechanism.cohort import Model
from acurelief.mechanism.power import estimate_power, sample_size
from acurelief.mechanism.trial import Arm, TrialDesign, run_arm
from acurelief.mechanism.trial_endpoint import Endpoint

OPEN = TrialDesign(arms=(Arm.ACUPUNCTURE, Arm.USUAL_CARE), n_per_arm=60)


def test_without_a_specific_effect_a_sham_trial_rejects_at_most_alpha() -> None:
    null = Model(population=dataclasses.replace(Model().population, specific_response_mean=0.0))
    design = TrialDesign(arms=(Arm.ACUPUNCTURE, Arm.SHAM), n_per_arm=60)
    est = estimate_power(
        design, replicates=200, rng=np.random.default_rng(3), model=null, endpoint=Endpoint.DAYS
    )
    assert est.low <= 0.05
    assert est.power <= 0.09


def test_power_agrees_with_the_two_proportion_formula() -> None:
    # Independent check: the normal-approximation power for the arms' true responder rates
    # (estimated once at large n), with the analysed n of a trial of this size.
    rates, analysed = [], []
    for arm in OPEN.arms:
        big = run_arm(arm, dataclasses.replace(OPEN, n_per_arm=20_000), np.random.default_rng(9))
        rate, _, _, n = big.responder_rate()
        rates.append(rate)
        analysed.append(n / 20_000 * OPEN.n_per_arm)
    p1, p2 = rates
    se = math.sqrt(p1 * (1 - p1) / analysed[0] + p2 * (1 - p2) / analysed[1])
    expected = norm.cdf(abs(p1 - p2) / se - norm.ppf(0.975))
    est = estimate_power(OPEN, replicates=300, rng=np.random.default_rng(4))
    # Fisher's exact test is a little conservative against the normal approximation.
    assert expected - 0.15 <= est.power <= expected + 0.05
    assert est.low < est.power < est.high


def test_sample_size_reaches_the_target() -> None:
    found = sample_size(
        dataclasses.replace(OPEN, n_per_arm=20),
        target=0.8,
        replicates=60,
        rng=np.random.default_rng(5),
    )
    assert found.power >= 0.8
    assert 30 <= found.n_per_arm <= 160


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"replicates": 5}, "replicates"), ({"replicates": 20, "alpha": 1.5}, "alpha")],
)
def test_bad_power_requests_are_refused(kwargs: dict[str, float], field: str) -> None:
    options: dict[str, object] = {"rng": np.random.default_rng(0), **kwargs}
    with pytest.raises(InvalidInput, match=field):
        estimate_power(OPEN, **options)  # type: ignore[arg-type]
    three = TrialDesign(arms=(Arm.ACUPUNCTURE, Arm.SHAM, Arm.USUAL_CARE))
    with pytest.raises(InvalidInput, match="arms"):
        estimate_power(three, replicates=20, rng=np.random.default_rng(0))

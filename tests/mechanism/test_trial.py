"""Virtual trials reproduce the published responder rates (clinical-facts §3.1)."""

from __future__ import annotations

import numpy as np
import pytest

from acurelief.errors import InvalidInput
from acurelief.mechanism.schedule import Schedule
from acurelief.mechanism.trial import Arm, TrialDesign, run_arm, run_trial

LARGE_N = 20_000
# Cochrane (Linde 2016), episodic migraine, ≥50% responders.
PUBLISHED = [
    ((Arm.ACUPUNCTURE, Arm.USUAL_CARE), Arm.ACUPUNCTURE, 0.41),
    ((Arm.ACUPUNCTURE, Arm.USUAL_CARE), Arm.USUAL_CARE, 0.17),
    ((Arm.ACUPUNCTURE, Arm.SHAM), Arm.ACUPUNCTURE, 0.50),
    ((Arm.ACUPUNCTURE, Arm.SHAM), Arm.SHAM, 0.41),
]


@pytest.mark.parametrize(("arms", "arm", "published"), PUBLISHED)
def test_default_model_reproduces_published_responder_rates(
    arms: tuple[Arm, ...], arm: Arm, published: float
) -> None:
    # A seed the calibration never saw; at this n the Monte Carlo SE is about 0.4 points.
    design = TrialDesign(arms=arms, n_per_arm=LARGE_N)
    rate, _low, _high, n = run_arm(arm, design, np.random.default_rng(7071)).responder_rate()
    assert n > 0.8 * LARGE_N
    assert rate == pytest.approx(published, abs=0.03)


def test_trial_baseline_is_about_4_to_6_migraine_days() -> None:
    result = run_trial(TrialDesign(n_per_arm=3000), np.random.default_rng(11))
    for row in result.table():
        assert 4.0 <= float(row["baseline_mean"]) <= 6.5


def test_a_trial_is_deterministic_per_seed() -> None:
    design = TrialDesign(n_per_arm=300)
    first = run_trial(design, np.random.default_rng(5)).table()
    assert first == run_trial(design, np.random.default_rng(5)).table()
    assert first != run_trial(design, np.random.default_rng(6)).table()


def test_intervals_cover_the_rate_and_shrink_with_n() -> None:
    small = run_arm(Arm.USUAL_CARE, TrialDesign(n_per_arm=200), np.random.default_rng(1))
    large = run_arm(Arm.USUAL_CARE, TrialDesign(n_per_arm=3200), np.random.default_rng(1))
    rate, low, high, _ = small.responder_rate()
    assert low < rate < high
    _, big_low, big_high, _ = large.responder_rate()
    assert (big_high - big_low) < 0.5 * (high - low)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"n_per_arm": 0}, "n_per_arm"),
        ({"arms": (Arm.SHAM, Arm.SHAM)}, "arms"),
        ({"schedule": Schedule.evenly(12, 16)}, "schedule"),
        ({"window": (56, 200)}, "window"),
    ],
)
def test_bad_designs_are_refused_by_name(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput, match=field):
        TrialDesign(**kwargs)  # type: ignore[arg-type]

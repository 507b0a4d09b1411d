"""The slow serotonergic component: exact old model at share 0, 1-year persistence, horizon."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pytest
from scipy.signal import lfilter

from acurelief.mechanism.cohort import Model, simulate_cohort
from acurelief.mechanism.horizon import CALIBRATED_FOLLOW_DAYS, BeyondCalibrationWarning
from acurelief.mechanism.kinetics import serotonergic_tone
from acurelief.mechanism.parameters import Kinetics
from acurelief.mechanism.persistence import (
    RETENTION_AT_ONE_YEAR,
    RETENTION_TOLERANCE,
    expected_difference,
    fit_slow_share,
    retention,
    tone_by_day,
)
from acurelief.mechanism.schedule import Schedule

ART = Schedule.evenly(12, 8)


def _doses(days: int = 400) -> np.ndarray:
    doses = np.zeros((3, days))
    doses[:, list(ART.session_days)] = [[0.85], [1.0], [0.15]]
    return doses


def test_share_zero_is_exactly_the_single_half_life_tone() -> None:
    kin = Kinetics(serotonergic_slow_share=0.0, serotonergic_half_life_days=21.0)
    doses = _doses()
    decay = np.exp(-np.log(2) / 21.0)
    expected = np.empty_like(doses)
    level = np.zeros(3)
    for day in range(doses.shape[1]):  # the model before the slow component, written out
        level = level * decay + doses[:, day]
        expected[:, day] = level
    assert np.array_equal(serotonergic_tone(doses, kin), expected)
    # and whatever the slow half-life is, it plays no part at share 0
    other = dataclasses.replace(kin, serotonergic_slow_half_life_days=3.0)
    assert np.array_equal(serotonergic_tone(doses, other), expected)


def test_two_components_are_two_independent_first_order_filters() -> None:
    kin = Kinetics(
        serotonergic_slow_share=0.3,
        serotonergic_half_life_days=10.0,
        serotonergic_slow_half_life_days=200.0,
    )
    doses = _doses()
    fast = lfilter([0.7], [1.0, -np.exp(-np.log(2) / 10.0)], doses, axis=-1)
    slow = lfilter([0.3], [1.0, -np.exp(-np.log(2) / 200.0)], doses, axis=-1)
    np.testing.assert_allclose(serotonergic_tone(doses, kin), fast + slow, rtol=1e-12)


def _with(**kinetics: float) -> Model:
    return Model(kinetics=dataclasses.replace(Kinetics(), **kinetics))


def test_the_calibrated_model_keeps_vickers_2018_share_of_the_effect_at_one_year() -> None:
    kept = retention(Model())
    assert abs(kept - RETENTION_AT_ONE_YEAR) <= RETENTION_TOLERANCE
    # the single 21-day half-life the model had before keeps nothing of it
    assert retention(_with(serotonergic_slow_share=0.0)) < 0.01


def test_the_default_slow_share_is_the_fitted_one() -> None:
    assert fit_slow_share(Model()) == pytest.approx(Kinetics().serotonergic_slow_share, abs=0.02)


def test_a_fitted_share_recovers_the_retention_it_was_fitted_to() -> None:
    model = _with(serotonergic_slow_half_life_days=3650.0)
    for target in (0.5, 0.85, 1.2):
        share = fit_slow_share(model, target)
        assert 0 < share < 1
        fitted = _with(serotonergic_slow_half_life_days=3650.0, serotonergic_slow_share=share)
        assert retention(fitted) == pytest.approx(target, abs=1e-5)


def test_a_slow_half_life_too_short_for_the_target_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="serotonergic_slow_half_life_days=60"):
        fit_slow_share(_with(serotonergic_slow_half_life_days=60.0))


def test_the_difference_grows_as_the_shared_placebo_fades_without_any_slow_part() -> None:
    # Acupuncture and sham share the non-specific response, which acts on the hazard
    # multiplicatively: with it the same tone gap is worth fewer days while it lasts.
    model = _with(serotonergic_slow_share=0.5)
    with_placebo = expected_difference(model, ART, 0.4, 400)
    without = expected_difference(model, ART, 0.0, 400)
    assert np.all(with_placebo <= without + 1e-15)
    assert with_placebo[364] == pytest.approx(without[364], rel=0.02)  # faded by a year


def test_the_effect_after_the_course_decays_slowly_not_to_nothing() -> None:
    last = ART.last_day
    old = tone_by_day(Kinetics(serotonergic_slow_share=0.0), ART, 450)
    new = tone_by_day(Kinetics(), ART, 450)
    assert old[last + 365] / old[last] < 0.001  # before: gone within the year
    assert new[last + 84] / new[last] > 0.5  # 12 weeks after the course
    assert new[last + 365] / new[last] > 0.3  # 12 months after it
    assert np.all(np.diff(new[last:]) < 0)  # but it only ever falls after the last session


def test_no_warning_up_to_the_calibrated_horizon() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        simulate_cohort(
            5, rng=np.random.default_rng(1), schedule=ART, follow_days=CALIBRATED_FOLLOW_DAYS
        )


def test_a_warning_past_the_calibrated_horizon_names_both_numbers() -> None:
    days = CALIBRATED_FOLLOW_DAYS + 1
    with pytest.warns(BeyondCalibrationWarning, match=f"{days} days.*{CALIBRATED_FOLLOW_DAYS}"):
        simulate_cohort(5, rng=np.random.default_rng(1), schedule=ART, follow_days=days)

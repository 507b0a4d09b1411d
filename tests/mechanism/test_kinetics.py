"""The physiology the model claims, asserted on its time courses (clinical-facts §4)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from acurelief.domain import Stimulation, StimulationKind
from acurelief.errors import InvalidInput
from acurelief.mechanism.kinetics import (
    STEP_MIN,
    Drive,
    StimulusResponse,
    drive_of,
    frequency_drive,
    opioid_course,
    serotonergic_tone,
)
from acurelief.mechanism.parameters import Kinetics

KIN = Kinetics()
RESPONSE = StimulusResponse()
MANUAL = Stimulation(kind=StimulationKind.MANUAL)
HZ2 = Stimulation(kind=StimulationKind.ELECTRO, frequencies_hz=(2.0,))
HZ100 = Stimulation(kind=StimulationKind.ELECTRO, frequencies_hz=(100.0,))
HZ2_100 = Stimulation(kind=StimulationKind.ELECTRO, frequencies_hz=(2.0, 100.0))
SHAM = Stimulation(kind=StimulationKind.SHAM_MINIMAL)


def _peak_minute(stimulation: Stimulation, kin: Kinetics = KIN) -> float:
    course = opioid_course(drive_of(stimulation, RESPONSE), 240, 240, kin)
    return float(course.minutes[np.argmax(course.analgesia)])


@pytest.mark.parametrize("stimulation", [MANUAL, HZ2, HZ100])
def test_continuous_stimulation_peaks_near_30_minutes(stimulation: Stimulation) -> None:
    assert 25 <= _peak_minute(stimulation) <= 35


def _halving_after_removal(series: np.ndarray, minutes: np.ndarray, removal: float) -> float:
    at_removal = np.interp(removal, minutes, series)
    later = (minutes > removal) & (series <= at_removal / 2)
    return float(minutes[later][0] - removal)


@pytest.mark.parametrize("half_life", [15.0, 37.0, 60.0])
def test_after_removal_tone_decays_with_the_configured_half_life(half_life: float) -> None:
    kin = dataclasses.replace(KIN, opioid_half_life_min=half_life)
    course = opioid_course(drive_of(HZ2, RESPONSE), 30, 30 + 4 * half_life, kin)
    tone = course.tone_mu + course.tone_kappa
    assert _halving_after_removal(tone, course.minutes, 30) == pytest.approx(
        half_life, abs=STEP_MIN
    )
    # Analgesia is a saturating function of the tone, so it halves a little later than the
    # tone does — but within 30% of the configured half-life.
    analgesia = _halving_after_removal(course.analgesia, course.minutes, 30)
    assert half_life <= analgesia <= 1.3 * half_life


def test_alternating_2_100_hz_beats_either_frequency_alone() -> None:
    peaks = {
        name: opioid_course(drive_of(s, RESPONSE), 30, 31, KIN).at(30)
        for name, s in (("2", HZ2), ("100", HZ100), ("2/100", HZ2_100))
    }
    assert peaks["2/100"] > 1.2 * max(peaks["2"], peaks["100"])


def test_low_and_high_frequencies_drive_different_channels() -> None:
    low, high = frequency_drive(2.0, RESPONSE), frequency_drive(100.0, RESPONSE)
    assert low.mu > 0.9 > 0.1 > low.kappa
    assert high.kappa > 0.9 > 0.1 > high.mu
    with pytest.raises(ValueError, match="above 0 Hz"):
        frequency_drive(0.0, RESPONSE)


def test_hours_of_stimulation_build_tolerance() -> None:
    hours = opioid_course(drive_of(HZ2, RESPONSE), 300, 300, KIN)
    no_tolerance = opioid_course(
        drive_of(HZ2, RESPONSE), 300, 300, dataclasses.replace(KIN, tolerance_rate=0.0)
    )
    assert np.interp(30, hours.minutes, hours.tolerance) < 0.1
    assert hours.tolerance[-1] > 0.3
    assert hours.at(240) < 0.8 * no_tolerance.at(240)
    assert hours.at(30) > 0.9 * no_tolerance.at(30)  # a normal session barely feels it


def test_sham_is_weak_and_no_stimulation_does_nothing() -> None:
    sham = opioid_course(drive_of(SHAM, RESPONSE), 30, 31, KIN).at(30)
    verum = opioid_course(drive_of(MANUAL, RESPONSE), 30, 31, KIN).at(30)
    nothing = opioid_course(Drive(0.0, 0.0), 30, 120, KIN)
    assert 0 < sham < 0.5 * verum
    assert not nothing.analgesia.any()


def test_serotonin_depletion_removes_its_share_of_acute_analgesia() -> None:
    depleted = dataclasses.replace(KIN, serotonin_depletion=1.0)
    full = opioid_course(drive_of(HZ2, RESPONSE), 30, 31, KIN).at(30)
    less = opioid_course(drive_of(HZ2, RESPONSE), 30, 31, depleted).at(30)
    assert less == pytest.approx(full * (1 - KIN.serotonergic_share_of_analgesia))


def test_serotonergic_tone_accumulates_and_decays_by_its_half_life() -> None:
    doses = np.zeros(400)
    doses[[0, 7, 14]] = 1.0
    for share in (0.0, 1.0):  # each component alone decays by its own half-life
        kin = dataclasses.replace(KIN, serotonergic_slow_share=share)
        tone = serotonergic_tone(doses, kin)
        assert tone[14] > tone[7] > tone[0] == 1.0
        days = kin.serotonergic_slow_half_life_days if share else kin.serotonergic_half_life_days
        assert tone[14 + int(days)] == pytest.approx(tone[14] / 2, rel=0.02)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("opioid_half_life_min", -5.0),
        ("serotonergic_half_life_days", 0.0),
        ("ec50", 0.0),
        ("max_analgesia", 1.5),
        ("serotonin_depletion", -0.1),
    ],
)
def test_bad_parameters_are_refused_by_name(field: str, value: float) -> None:
    with pytest.raises(InvalidInput, match=field):
        Kinetics(**{field: value})

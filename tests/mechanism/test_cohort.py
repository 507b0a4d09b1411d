"""Virtual patients: determinism, the named components, and bad input."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from acurelief.domain import Stimulation, StimulationKind
from acurelief.errors import InvalidInput
from acurelief.mechanism.cohort import Cohort, Model, simulate_cohort
from acurelief.mechanism.kinetics import StimulusResponse
from acurelief.mechanism.parameters import Kinetics
from acurelief.mechanism.profiles import HeadacheType, NonSpecific
from acurelief.mechanism.schedule import Schedule

COURSE = Schedule.evenly(12, 8)


def _cohort(seed: int, n: int = 400, **kw: object) -> Cohort:
    options: dict[str, object] = {"schedule": COURSE, "follow_days": 112, **kw}
    return simulate_cohort(n, rng=np.random.default_rng(seed), **options)  # type: ignore[arg-type]


def _arrays(c: Cohort) -> dict[str, np.ndarray]:
    return {f.name: getattr(c, f.name) for f in dataclasses.fields(c) if f.name != "baseline_days"}


def test_the_same_seed_gives_the_same_cohort_and_another_seed_another() -> None:
    a, b, other = _arrays(_cohort(1)), _arrays(_cohort(1)), _arrays(_cohort(2))
    assert all(np.array_equal(a[k], b[k]) for k in a)
    assert not np.array_equal(a["headache"], other["headache"])
    assert not np.array_equal(a["pain_before"], other["pain_before"])


def test_a_population_baseline_of_about_4_to_6_migraine_days() -> None:
    c = _cohort(3, n=4000, schedule=None)
    assert 3.5 <= np.nanmean(c.per_28(c.migraine, -28, 0)) <= 5.5


def test_recorded_and_missing_days_follow_the_population_share() -> None:
    c = _cohort(4, n=2000)
    missing = 1 - c.recorded.mean()
    assert missing == pytest.approx(Model().population.missing_share, abs=0.01)
    # Missing days come in streaks: a missed day is more often followed by another.
    after_missing = (~c.recorded[:, 1:])[~c.recorded[:, :-1]].mean()
    assert after_missing == pytest.approx(Model().population.missing_persistence, abs=0.03)


def test_without_stimulation_only_the_nonspecific_response_remains() -> None:
    still = Model(response=StimulusResponse(manual_drive=0.0))
    placebo = NonSpecific(effect=0.3)
    needled_nothing = _cohort(5, n=3000, model=still, nonspecific=placebo)
    nothing_specific = _cohort(
        5,
        n=3000,
        nonspecific=placebo,
        model=Model(population=dataclasses.replace(Model().population, specific_response_mean=0.0)),
    )
    assert not needled_nothing.serotonergic.any()
    assert np.array_equal(needled_nothing.headache, nothing_specific.headache)
    untreated = _cohort(5, n=3000, schedule=None)
    after = slice(28 + 56, 28 + 112)
    assert needled_nothing.headache[:, after].mean() < 0.85 * untreated.headache[:, after].mean()


def test_serotonin_depletion_shrinks_prevention() -> None:
    def fall(kinetics: Kinetics) -> float:
        c = _cohort(6, n=3000, model=Model(kinetics=kinetics))
        return float(np.nanmean(c.per_28(c.headache, -28, 0) - c.per_28(c.headache, 56, 84)))

    intact, depleted = fall(Kinetics()), fall(Kinetics(serotonin_depletion=1.0))
    untreated = _cohort(6, n=3000, schedule=None)
    natural = float(
        np.nanmean(
            untreated.per_28(untreated.headache, -28, 0)
            - untreated.per_28(untreated.headache, 56, 84)
        )
    )
    assert intact > depleted + 0.5
    assert depleted == pytest.approx(natural, abs=0.3)


def test_patients_start_in_a_bad_spell_and_regress_to_their_mean() -> None:
    c = _cohort(7, n=6000, schedule=None)
    baseline = np.nanmean(c.per_28(c.headache, -28, 0))
    later = np.nanmean(c.per_28(c.headache, 84, 112))
    assert baseline > later  # no treatment, yet fewer headache days later on
    assert later == pytest.approx(np.mean(c.base_rate), rel=0.05)


def test_sessions_relieve_pain_right_away() -> None:
    c = _cohort(8, n=2000)
    drop = (c.pain_before.astype(int) - c.pain_after)[c.pain_before >= 4]
    assert drop.mean() > 0.5
    assert (c.mood_after >= c.mood_before).mean() > 0.6


def test_menstrual_migraine_clusters_in_the_window() -> None:
    c = _cohort(9, n=2000, schedule=None, types=HeadacheType.MENSTRUAL_MIGRAINE)
    share_of_days_in_menses = c.menstruation.mean()
    share_of_headaches = c.headache[c.menstruation].sum() / c.headache.sum()
    assert share_of_headaches > 1.8 * share_of_days_in_menses


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"n": 0}, "n"),
        ({"n": -3}, "n"),
        ({"follow_days": 30}, "schedule"),
        ({"follow_days": 0}, "days"),
    ],
)
def test_bad_requests_are_refused_by_name(kwargs: dict[str, int], field: str) -> None:
    options: dict[str, object] = {"n": 10, "schedule": COURSE, "follow_days": 112, **kwargs}
    n = int(options.pop("n"))  # type: ignore[call-overload]
    with pytest.raises(InvalidInput, match=field):
        simulate_cohort(n, rng=np.random.default_rng(0), **options)  # type: ignore[arg-type]


def test_schedules_refuse_impossible_courses() -> None:
    with pytest.raises(InvalidInput, match="session_days"):
        Schedule(session_days=(0, 7, 7))
    with pytest.raises(InvalidInput, match="sessions"):
        Schedule.evenly(0, 8)
    with pytest.raises(InvalidInput, match="frequencies_hz"):
        Stimulation(kind=StimulationKind.ELECTRO, frequencies_hz=(0.0,))
    assert Schedule.evenly(12, 8).session_days[-1] <= 56

"""How much of the acupuncture–sham difference a course leaves one year on, and the slow
share of the serotonergic tone that fits it.

Acupuncture and sham arms share the non-specific response ``c_t``; they differ only in
their serotonergic tone. The expected difference in headache days is therefore
proportional to

    D_t = (1 − c_t) · E_β[exp(−β·S_sham,t) − exp(−β·S_acu,t)]

(β lognormal between patients, ``cohort``). Vickers 2018 (IPD, 39 trials) reports a loss of
about 15% of the effect at one year (clinical-facts §4.1); here that is the mean of D over
weeks 49–52 against its mean over weeks 9–12 (ART's primary window). ``fit_slow_share``
finds the slow component's share of each dose that reproduces it for a given slow
half-life. One figure cannot fix both the share and the half-life: the half-life is assumed
and the share fitted to it. The computation is deterministic (β on a grid of quantiles); it
ignores entry selection and the 0.97 cap, which virtual trials check.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import brentq
from scipy.stats import lognorm

from acurelief.mechanism.cohort import Model, treatment_curves
from acurelief.mechanism.parameters import Kinetics
from acurelief.mechanism.profiles import HeadacheType, NonSpecific
from acurelief.mechanism.schedule import Schedule
from acurelief.mechanism.trial import SHAM, Blinding, nonspecific_effect

# Vickers 2018 (clinical-facts §4.1): "effect declines only ~15% at 1 year"; no interval is
# given, so the tolerance is a documented choice.
RETENTION_AT_ONE_YEAR = 0.85
RETENTION_TOLERANCE = 0.05
END_OF_COURSE_WINDOW = (56, 84)  # weeks 9–12 after the first session (ART's primary window)
ONE_YEAR_WINDOW = (336, 364)  # weeks 49–52
BETA_QUANTILES = 400
Float = NDArray[np.float64]


def _beta_grid(model: Model) -> Float:
    pop = model.population
    s2 = math.log1p(pop.specific_response_cv**2)
    q = (np.arange(BETA_QUANTILES) + 0.5) / BETA_QUANTILES
    grid: Float = lognorm.ppf(
        q, math.sqrt(s2), scale=pop.specific_response_mean * math.exp(-s2 / 2)
    )
    return grid


def expected_difference(model: Model, schedule: Schedule, level: float, days: int) -> Float:
    """D_t on each day from the first session: sham minus acupuncture, per unit hazard."""
    placebo = NonSpecific(effect=level)
    sham = dataclasses.replace(schedule, stimulation=SHAM)
    tone_acu, context = treatment_curves(schedule, placebo, 0, days, model)
    tone_sham, _ = treatment_curves(sham, placebo, 0, days, model)
    beta = _beta_grid(model)[:, None]
    gap = np.exp(-beta * tone_sham[None, :]) - np.exp(-beta * tone_acu[None, :])
    result: Float = (1 - context) * gap.mean(axis=0)
    return result


def retention(
    model: Model | None = None,
    schedule: Schedule | None = None,
    level: float | None = None,
    later: tuple[int, int] = ONE_YEAR_WINDOW,
    reference: tuple[int, int] = END_OF_COURSE_WINDOW,
) -> float:
    """Share of the acupuncture–sham difference of ``reference`` still there in ``later``.

    ``level`` None is episodic migraine's calibrated sham-controlled non-specific level.
    """
    model = model or Model()
    course = schedule or Schedule.evenly(12, 8)
    if level is None:
        level = nonspecific_effect(HeadacheType.MIGRAINE_WITHOUT_AURA)[Blinding.SHAM_CONTROLLED]
    d = expected_difference(model, course, level, max(later[1], reference[1]))
    return float(d[later[0] : later[1]].mean() / d[reference[0] : reference[1]].mean())


def fit_slow_share(
    model: Model | None = None,
    target: float = RETENTION_AT_ONE_YEAR,
    schedule: Schedule | None = None,
) -> float:
    """The slow share that keeps ``target`` of the difference at one year, at ``model``'s
    half-lives, β and non-specific level.

    Raises ``ValueError`` naming the half-life when no share in 0–1 reaches the target.
    """
    model = model or Model()

    def gap(share: float) -> float:
        kin = dataclasses.replace(model.kinetics, serotonergic_slow_share=share)
        return retention(dataclasses.replace(model, kinetics=kin), schedule) - target

    if gap(1.0) < 0:
        raise ValueError(
            "serotonergic_slow_half_life_days="
            f"{model.kinetics.serotonergic_slow_half_life_days:g} is too short to keep "
            f"{target:.0%} of the effect at one year with any slow share"
        )
    if gap(0.0) > 0:
        return 0.0
    return float(brentq(gap, 0.0, 1.0, xtol=1e-6))


def tone_by_day(kin: Kinetics, schedule: Schedule, days: int) -> Float:
    """The serotonergic tone on each day from the first session, one unit dose a session."""
    from acurelief.mechanism.kinetics import serotonergic_tone

    doses = np.zeros(days)
    doses[list(schedule.session_days)] = 1.0
    result: Float = serotonergic_tone(doses, kin)
    return result

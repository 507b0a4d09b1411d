"""Fit the four calibrated parameters of a headache type so virtual trials reproduce its rates.

Targets (Cochrane, Linde 2016; clinical-facts §3.1), ≥50% responders: episodic migraine,
acupuncture vs no acupuncture 41% vs 17% and vs sham 50% vs 41% (migraine days);
tension-type headache 48 vs 17 and 52 vs 43 (headache days, §1.6). Each pair comes from
different trials, so the non-specific response gets its own level for open and for
sham-controlled designs. Each step solves one rate for one parameter with Brent's method on
common random numbers (the same seed every evaluation):

1. fluctuation SD → no-acupuncture arm 17% (natural fluctuation + regression to the mean);
2. specific sensitivity β, with the sham-controlled non-specific level solved inside it
   → sham 41% and acupuncture 50%;
3. open non-specific level → acupuncture (open) 41%.

The fluctuation SD and β found are the type's effective values (``Population`` value ×
the profile's scale in the code); migraine's set ``Population``, the others' scales.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq

from acurelief.errors import InvalidInput
from acurelief.mechanism.cohort import Model
from acurelief.mechanism.profiles import PROFILES, HeadacheType
from acurelief.mechanism.trial import Arm, Blinding, TrialDesign, run_arm

Targets = dict[tuple[str, Arm], float]
MIGRAINE_TARGETS: Targets = {
    ("open", Arm.USUAL_CARE): 0.17,
    ("open", Arm.ACUPUNCTURE): 0.41,
    ("sham_controlled", Arm.SHAM): 0.41,
    ("sham_controlled", Arm.ACUPUNCTURE): 0.50,
}
TENSION_TYPE_TARGETS: Targets = {
    ("open", Arm.USUAL_CARE): 0.17,
    ("open", Arm.ACUPUNCTURE): 0.48,
    ("sham_controlled", Arm.SHAM): 0.43,
    ("sham_controlled", Arm.ACUPUNCTURE): 0.52,
}
TARGETS_BY_TYPE: dict[HeadacheType, Targets] = {
    HeadacheType.MIGRAINE_WITHOUT_AURA: MIGRAINE_TARGETS,
    HeadacheType.TENSION_TYPE: TENSION_TYPE_TARGETS,
}
TARGETS = MIGRAINE_TARGETS
OPEN_ARMS = (Arm.ACUPUNCTURE, Arm.USUAL_CARE)
SHAM_ARMS = (Arm.ACUPUNCTURE, Arm.SHAM)


@dataclass(frozen=True)
class Calibration:
    """Effective fitted values of one headache type and the rates reached on a fresh seed."""

    headache_type: str
    fluctuation_sd: float
    specific_response_mean: float
    open_effect: float
    sham_effect: float
    achieved: dict[str, float]


def responder_rate(
    arm: Arm,
    arms: tuple[Arm, ...],
    model: Model,
    effects: dict[Blinding, float],
    n: int,
    seed: int,
    headache_type: HeadacheType = HeadacheType.MIGRAINE_WITHOUT_AURA,
) -> float:
    design = TrialDesign(arms=arms, n_per_arm=n, headache_type=headache_type)
    return run_arm(arm, design, np.random.default_rng(seed), model, effects).responder_rate()[0]


def calibrate(
    n: int = 10_000,
    seed: int = 2016,
    base: Model | None = None,
    log: Callable[[str], None] = lambda _m: None,
    headache_type: HeadacheType = HeadacheType.MIGRAINE_WITHOUT_AURA,
) -> Calibration:
    if headache_type not in TARGETS_BY_TYPE:
        raise InvalidInput.single(
            "headache_type", f"no published rates to calibrate {headache_type.value} against"
        )
    targets = TARGETS_BY_TYPE[headache_type]
    base = base or Model()
    profile = PROFILES[headache_type]
    open_arms, sham_arms = OPEN_ARMS, SHAM_ARMS

    def rate_(
        arm: Arm, arms: tuple[Arm, ...], m: Model, e: dict[Blinding, float], s: int = seed
    ) -> float:
        return responder_rate(arm, arms, m, e, n, s, headache_type)

    def model(sd: float, beta: float) -> Model:
        """A model whose effective values for this type are ``sd`` and ``beta``."""
        pop = dataclasses.replace(
            base.population,
            fluctuation_sd=sd / profile.fluctuation_scale,
            specific_response_mean=beta / profile.specific_response_scale,
        )
        return dataclasses.replace(base, population=pop)

    def effects(open_: float, sham: float) -> dict[Blinding, float]:
        return {Blinding.OPEN: open_, Blinding.SHAM_CONTROLLED: sham}

    def control(sd: float) -> float:
        rate = rate_(Arm.USUAL_CARE, open_arms, model(sd, 0.0), effects(0, 0))
        return rate - targets[("open", Arm.USUAL_CARE)]

    sd = brentq(control, 0.01, 1.5, xtol=1e-3)
    log(f"fluctuation_sd = {sd:.4f}")

    def sham_level(beta: float) -> float:
        def gap(c: float) -> float:
            rate = rate_(Arm.SHAM, sham_arms, model(sd, beta), effects(0, c))
            return rate - targets[("sham_controlled", Arm.SHAM)]

        return float(brentq(gap, -0.5, 0.9, xtol=1e-3))

    def verum(beta: float) -> float:
        c = sham_level(beta)
        rate = rate_(Arm.ACUPUNCTURE, sham_arms, model(sd, beta), effects(0, c))
        log(f"  beta={beta:.4f} sham level={c:.4f} acupuncture={rate:.4f}")
        return rate - targets[("sham_controlled", Arm.ACUPUNCTURE)]

    beta = brentq(verum, 0.0, 0.5, xtol=1e-3)
    sham = sham_level(beta)
    log(f"specific_response_mean = {beta:.4f}, sham-controlled level = {sham:.4f}")

    def open_gap(c: float) -> float:
        rate = rate_(Arm.ACUPUNCTURE, open_arms, model(sd, beta), effects(c, sham))
        return rate - targets[("open", Arm.ACUPUNCTURE)]

    open_ = brentq(open_gap, -0.5, 0.9, xtol=1e-3)
    log(f"open level = {open_:.4f}")
    fitted = model(sd, beta)
    levels = effects(open_, sham)
    achieved = {
        f"{design}/{arm}": rate_(
            arm, open_arms if design == "open" else sham_arms, fitted, levels, seed + 1
        )
        for design, arm in targets
    }
    return Calibration(headache_type.value, sd, beta, open_, sham, achieved)

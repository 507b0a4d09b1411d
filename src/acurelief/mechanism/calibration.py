"""Fit the four calibrated parameters so virtual trials reproduce the published rates.

Targets (episodic migraine, Cochrane, Linde 2016; clinical-facts §3.1), ≥50% responders:
acupuncture vs no acupuncture 41% vs 17%; acupuncture vs sham 50% vs 41%. The two pairs
come from different trials, so the non-specific response gets its own level for open and
for sham-controlled designs. Each step solves one rate for one parameter with Brent's
method on common random numbers (the same seed every evaluation):

1. fluctuation SD → no-acupuncture arm 17% (natural fluctuation + regression to the mean);
2. specific sensitivity β, with the sham-controlled non-specific level solved inside it
   → sham 41% and acupuncture 50%;
3. open non-specific level → acupuncture (open) 41%.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq

from acurelief.mechanism.cohort import Model
from acurelief.mechanism.trial import Arm, Blinding, TrialDesign, run_arm

TARGETS = {
    ("open", Arm.USUAL_CARE): 0.17,
    ("open", Arm.ACUPUNCTURE): 0.41,
    ("sham_controlled", Arm.SHAM): 0.41,
    ("sham_controlled", Arm.ACUPUNCTURE): 0.50,
}


@dataclass(frozen=True)
class Calibration:
    fluctuation_sd: float
    specific_response_mean: float
    open_effect: float
    sham_effect: float
    achieved: dict[str, float]


def responder_rate(
    arm: Arm, arms: tuple[Arm, ...], model: Model, effects: dict[Blinding, float], n: int, seed: int
) -> float:
    design = TrialDesign(arms=arms, n_per_arm=n)
    return run_arm(arm, design, np.random.default_rng(seed), model, effects).responder_rate()[0]


def calibrate(
    n: int = 10_000,
    seed: int = 2016,
    base: Model | None = None,
    log: Callable[[str], None] = lambda _m: None,
) -> Calibration:
    base = base or Model()
    open_arms = (Arm.ACUPUNCTURE, Arm.USUAL_CARE)
    sham_arms = (Arm.ACUPUNCTURE, Arm.SHAM)

    def model(sd: float, beta: float) -> Model:
        pop = dataclasses.replace(base.population, fluctuation_sd=sd, specific_response_mean=beta)
        return dataclasses.replace(base, population=pop)

    def effects(open_: float, sham: float) -> dict[Blinding, float]:
        return {Blinding.OPEN: open_, Blinding.SHAM_CONTROLLED: sham}

    def control(sd: float) -> float:
        rate = responder_rate(Arm.USUAL_CARE, open_arms, model(sd, 0.0), effects(0, 0), n, seed)
        return rate - TARGETS[("open", Arm.USUAL_CARE)]

    sd = brentq(control, 0.01, 1.5, xtol=1e-3)
    log(f"fluctuation_sd = {sd:.4f}")

    def sham_level(beta: float) -> float:
        def gap(c: float) -> float:
            rate = responder_rate(Arm.SHAM, sham_arms, model(sd, beta), effects(0, c), n, seed)
            return rate - TARGETS[("sham_controlled", Arm.SHAM)]

        return float(brentq(gap, -0.5, 0.9, xtol=1e-3))

    def verum(beta: float) -> float:
        c = sham_level(beta)
        rate = responder_rate(Arm.ACUPUNCTURE, sham_arms, model(sd, beta), effects(0, c), n, seed)
        log(f"  beta={beta:.4f} sham level={c:.4f} acupuncture={rate:.4f}")
        return rate - TARGETS[("sham_controlled", Arm.ACUPUNCTURE)]

    beta = brentq(verum, 0.0, 0.5, xtol=1e-3)
    sham = sham_level(beta)
    log(f"specific_response_mean = {beta:.4f}, sham-controlled level = {sham:.4f}")

    def open_gap(c: float) -> float:
        rate = responder_rate(
            Arm.ACUPUNCTURE, open_arms, model(sd, beta), effects(c, sham), n, seed
        )
        return rate - TARGETS[("open", Arm.ACUPUNCTURE)]

    open_ = brentq(open_gap, -0.5, 0.9, xtol=1e-3)
    log(f"open level = {open_:.4f}")
    fitted = model(sd, beta)
    levels = effects(open_, sham)
    achieved = {
        f"{design}/{arm}": responder_rate(
            arm, open_arms if design == "open" else sham_arms, fitted, levels, n, seed + 1
        )
        for design, arm in TARGETS
    }
    return Calibration(sd, beta, open_, sham, achieved)

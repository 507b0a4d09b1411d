"""Virtual trials: a baseline, randomised arms, a course of sessions, trial endpoints.

The endpoint is the trialists' (clinical-facts §1.3–§1.4, §1.6): migraine days per 28 in
migraine trials and headache days per 28 in tension-type trials, in the 4-week baseline and
in weeks 9–12 after the first session (ART), normalised by recorded days, and the ≥50%
responder rate. Patients enter on their history (a long-run ``min_history_days`` of the
counted days per 28, in the spirit of "2–6 attacks a month", GERAC, §3.2) and with at least
``min_baseline_days`` in the baseline diary. Together with patients
coming in a bad spell, that selection is where regression to the mean comes from.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

import numpy as np
from numpy.typing import NDArray

from acurelief.domain import Stimulation, StimulationKind
from acurelief.errors import InvalidInput, Problems
from acurelief.mechanism.cohort import Cohort, Model, simulate_cohort
from acurelief.mechanism.profiles import PROFILES, HeadacheType, NonSpecific
from acurelief.mechanism.schedule import Schedule

SHAM = Stimulation(kind=StimulationKind.SHAM_MINIMAL)
MAX_SCREENING_ROUNDS = 20


class Arm(StrEnum):
    ACUPUNCTURE = "acupuncture"
    SHAM = "sham"
    USUAL_CARE = "usual_care"


class Blinding(StrEnum):
    """Open trials (acupuncture vs no acupuncture) and sham-controlled ones differ in how
    much non-specific response they raise, so each has its own calibrated level."""

    OPEN = "open"
    SHAM_CONTROLLED = "sham_controlled"


def nonspecific_effect(headache_type: HeadacheType) -> Mapping[Blinding, float]:
    """The calibrated non-specific level of each design for one headache type (§3.1)."""
    profile = PROFILES[headache_type]
    return MappingProxyType(
        {
            Blinding.OPEN: profile.open_nonspecific,
            Blinding.SHAM_CONTROLLED: profile.sham_nonspecific,
        }
    )


# Episodic migraine's levels, calibrated by scripts/calibrate_mechanism.py (docs/mechanism.md).
NONSPECIFIC_EFFECT = nonspecific_effect(HeadacheType.MIGRAINE_WITHOUT_AURA)


@dataclass(frozen=True, slots=True, kw_only=True)
class TrialDesign:
    arms: tuple[Arm, ...] = (Arm.ACUPUNCTURE, Arm.USUAL_CARE)
    n_per_arm: int = 200
    schedule: Schedule = field(default_factory=lambda: Schedule.evenly(12, 8))
    headache_type: HeadacheType = HeadacheType.MIGRAINE_WITHOUT_AURA
    baseline_days: int = 28
    follow_days: int = 84
    window: tuple[int, int] = (56, 84)
    min_history_days: float = 3.0
    min_baseline_days: float = 2.0
    migraine_days: bool | None = None

    def __post_init__(self) -> None:
        problems = Problems()
        if self.n_per_arm <= 0:
            problems.add("n_per_arm", f"must be at least 1, got {self.n_per_arm}")
        if len(set(self.arms)) != len(self.arms) or len(self.arms) < 1:
            problems.add("arms", "name each arm once")
        if self.schedule.last_day >= self.follow_days:
            problems.add("schedule", "the last session falls after the end of follow-up")
        lo, hi = self.window
        if not 0 <= lo < hi <= self.follow_days:
            problems.add("window", f"must lie within follow-up (0 to {self.follow_days} days)")
        if self.baseline_days < 28:
            problems.add("baseline_days", "trials use a 28-day baseline (clinical-facts §1.3)")
        problems.raise_if_any(where="TrialDesign")

    @property
    def counts_migraine_days(self) -> bool:
        """Migraine days for migraine, headache days for tension-type (§1.6); or as set."""
        if self.migraine_days is not None:
            return self.migraine_days
        return self.headache_type is not HeadacheType.TENSION_TYPE

    @property
    def blinding(self) -> Blinding:
        return Blinding.SHAM_CONTROLLED if Arm.SHAM in self.arms else Blinding.OPEN


@dataclass(frozen=True)
class ArmResult:
    arm: Arm
    cohort: Cohort
    baseline: NDArray[np.float64]
    outcome: NDArray[np.float64]
    screened: int

    @property
    def analysed(self) -> NDArray[np.bool_]:
        """Patients with an evaluable outcome: a complete enough window and a baseline above 0
        (a responder is undefined at baseline 0, clinical-facts §1.4)."""
        result: NDArray[np.bool_] = ~np.isnan(self.outcome) & (self.baseline > 0)
        return result

    @property
    def responders(self) -> NDArray[np.bool_]:
        """≥50% fewer days than at baseline (clinical-facts §1.4); among the analysed."""
        ok = self.analysed
        reduction = np.zeros_like(self.baseline)
        reduction[ok] = (self.baseline[ok] - self.outcome[ok]) / self.baseline[ok]
        result: NDArray[np.bool_] = (reduction >= 0.5) & ok
        return result

    def responder_rate(self) -> tuple[float, float, float, int]:
        """Rate, 95% Wilson interval and the n it rests on."""
        n = int(self.analysed.sum())
        k = int(self.responders.sum())
        if n == 0:
            return math.nan, math.nan, math.nan, 0
        from scipy.stats import binomtest  # deferred: scipy.stats takes ~0.5 s to import

        ci = binomtest(k, n).proportion_ci(method="wilson")
        return k / n, float(ci.low), float(ci.high), n

    def summary(self) -> dict[str, float | int | str]:
        rate, low, high, n = self.responder_rate()
        ok = self.analysed
        return {
            "arm": self.arm.value,
            "randomised": len(self.baseline),
            "n": n,
            "screened": self.screened,
            "baseline_mean": float(np.mean(self.baseline[ok])),
            "outcome_mean": float(np.mean(self.outcome[ok])),
            "change_mean": float(np.mean(self.outcome[ok] - self.baseline[ok])),
            "change_sd": float(np.std(self.outcome[ok] - self.baseline[ok], ddof=1))
            if n > 1
            else math.nan,
            "responder_rate": rate,
            "responder_low": low,
            "responder_high": high,
        }


@dataclass(frozen=True)
class TrialResult:
    design: TrialDesign
    arms: Mapping[Arm, ArmResult]

    def table(self) -> list[dict[str, float | int | str]]:
        return [a.summary() for a in self.arms.values()]


def _arm_inputs(
    arm: Arm, design: TrialDesign, effect: Mapping[Blinding, float]
) -> tuple[Schedule | None, NonSpecific | None]:
    if arm is Arm.USUAL_CARE:
        return None, None
    schedule = design.schedule
    if arm is Arm.SHAM:
        schedule = Schedule(
            session_days=schedule.session_days,
            stimulation=SHAM,
            needling_minutes=schedule.needling_minutes,
        )
    return schedule, NonSpecific(effect=effect[design.blinding])


def run_arm(
    arm: Arm,
    design: TrialDesign,
    rng: np.random.Generator,
    model: Model | None = None,
    effect: Mapping[Blinding, float] | None = None,
) -> ArmResult:
    """Screen virtual patients until ``n_per_arm`` qualify on their baseline, then follow them.

    ``effect`` None takes the non-specific levels calibrated for the design's headache type.
    """
    levels = nonspecific_effect(design.headache_type) if effect is None else effect
    schedule, nonspecific = _arm_inputs(arm, design, levels)
    kept: list[Cohort] = []
    have, screened = 0, 0
    for _ in range(MAX_SCREENING_ROUNDS):
        batch = max(64, int((design.n_per_arm - have) * 1.5))
        cohort = simulate_cohort(
            batch,
            rng=rng,
            schedule=schedule,
            baseline_days=design.baseline_days,
            follow_days=design.follow_days,
            types=design.headache_type,
            nonspecific=nonspecific,
            model=model,
        )
        screened += batch
        eligible = np.flatnonzero(_eligible(cohort, design))
        take = eligible[: design.n_per_arm - have]
        kept.append(cohort.take(take))
        have += len(take)
        if have == design.n_per_arm:
            break
    else:
        raise InvalidInput.single(
            "min_baseline_days",
            f"too few virtual patients qualify: {have} of {design.n_per_arm} after screening "
            f"{screened} {design.headache_type.value} patients",
        )
    merged = Cohort.concat(kept)
    lo, hi = design.window
    return ArmResult(
        arm,
        merged,
        _days(merged, design, -design.baseline_days, 0),
        _days(merged, design, lo, hi),
        screened,
    )


def _eligible(cohort: Cohort, design: TrialDesign) -> NDArray[np.bool_]:
    share = PROFILES[design.headache_type].migraine_share if design.counts_migraine_days else 1.0
    history = cohort.base_rate * share >= design.min_history_days
    baseline = _days(cohort, design, -design.baseline_days, 0) >= design.min_baseline_days
    result: NDArray[np.bool_] = history & baseline
    return result


def _days(cohort: Cohort, design: TrialDesign, start: int, stop: int) -> NDArray[np.float64]:
    flags = cohort.migraine if design.counts_migraine_days else cohort.headache
    return cohort.per_28(flags, start, stop)


def run_trial(
    design: TrialDesign,
    rng: np.random.Generator,
    model: Model | None = None,
    effect: Mapping[Blinding, float] | None = None,
    progress: Callable[[Arm], None] | None = None,
) -> TrialResult:
    """Every arm of the trial, each from its own stream of ``rng``."""
    streams = rng.spawn(len(design.arms))
    results = {}
    for arm, stream in zip(design.arms, streams, strict=True):
        results[arm] = run_arm(arm, design, stream, model, effect)
        if progress is not None:
            progress(arm)
    return TrialResult(design, results)

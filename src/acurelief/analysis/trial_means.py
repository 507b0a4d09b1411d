"""A continuous outcome in two arms without a baseline: the difference of means (Welch).

When no baseline was measured there is nothing to adjust for; the arms are compared by the
difference of their means, **treatment minus reference**, with the Welch (unequal variances)
t interval and p-value:

    d = ȳ_t − ȳ_r,   se = √(s_t²/n_t + s_r²/n_r),   df by Welch–Satterthwaite.

Owns ``compare_means`` and its result ``MeanDifference`` (per-arm ``ArmMeans``); what is
missing per arm and small arms go into the caveats, as in the ANCOVA.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from acurelief.analysis.ancova import FEW_PER_ARM
from acurelief.analysis.estimate import Estimate, JsonValue, _finite
from acurelief.analysis.trial_arms import _arm_labels, _check_alpha, _check_frame, _split
from acurelief.errors import InsufficientData


@dataclass(frozen=True, slots=True)
class ArmMeans:
    """One arm: patients randomised, analysed (with an outcome), mean and SD of the analysed."""

    level: str
    role: str
    randomised: int
    n: int
    mean: float
    sd: float

    @property
    def missing(self) -> int:
        return self.randomised - self.n

    def as_dict(self) -> dict[str, JsonValue]:
        return {
            "arm": self.level,
            "role": self.role,
            "randomised": self.randomised,
            "n": self.n,
            "outcome_missing": self.missing,
            "mean": _finite(self.mean),
            "sd": _finite(self.sd),
        }


@dataclass(frozen=True, slots=True)
class MeanDifference:
    """The difference of means of a continuous outcome, treatment minus reference (Welch)."""

    outcome: str
    arm: str
    treatment: ArmMeans
    reference: ArmMeans
    difference: Estimate
    alpha: float
    caveats: tuple[str, ...] = field(default=())

    @property
    def arms(self) -> tuple[ArmMeans, ArmMeans]:
        return self.treatment, self.reference

    @property
    def n(self) -> int:
        return self.treatment.n + self.reference.n

    def summary(self) -> list[dict[str, str | int | float]]:
        """The per-arm table: randomised, analysed, mean and SD."""
        return [
            {
                "arm": a.level,
                "role": a.role,
                "randomised": a.randomised,
                "n": a.n,
                "mean": a.mean,
                "sd": a.sd,
            }
            for a in self.arms
        ]

    def as_dict(self) -> dict[str, JsonValue]:
        return {
            "outcome": self.outcome,
            "arm": self.arm,
            "treatment": self.treatment.level,
            "reference": self.reference.level,
            "confidence": 1 - self.alpha,
            "n": self.n,
            "arms": [a.as_dict() for a in self.arms],
            "difference": self.difference.as_dict(),
            "caveats": list(self.caveats),
        }


def compare_means(
    frame: pd.DataFrame,
    *,
    outcome: str,
    arm: str,
    treatment: str | int | None = None,
    alpha: float = 0.05,
    caveats: Sequence[str] = (),
) -> MeanDifference:
    """Difference of the mean ``outcome`` between the two levels of ``arm`` (Welch interval).

    Rows without the outcome are left out and counted per arm. Raises InvalidInput for an
    unknown or non-numeric column or an arm without exactly two levels, InsufficientData when
    an arm has fewer than 2 patients with the outcome.
    """
    from scipy.stats import ttest_ind

    _check_alpha(alpha)
    _check_frame(frame, [outcome], arm)
    labels, treated, reference = _arm_labels(frame[arm], arm, treatment)
    y = frame[outcome].astype(float).reset_index(drop=True)
    labels = labels.reset_index(drop=True)
    values = {lvl: y[labels == lvl] for lvl in (treated, reference)}
    arms = {
        lvl: ArmMeans(
            lvl,
            role,
            len(values[lvl]),
            int(values[lvl].notna().sum()),
            float(values[lvl].mean()),
            float(values[lvl].std(ddof=1)),
        )
        for lvl, role in ((treated, "treatment"), (reference, "reference"))
    }
    few = {lvl: a.n for lvl, a in arms.items() if a.n < 2}
    if few:
        raise InsufficientData(
            f"{_split(sum(few.values()), few)} patients with {outcome}; each arm needs at least 2"
        )
    y_t, y_r = (values[lvl].dropna().to_numpy() for lvl in (treated, reference))
    welch = ttest_ind(y_t, y_r, equal_var=False)
    ci = welch.confidence_interval(confidence_level=1 - alpha)
    difference = Estimate(
        float(np.mean(y_t) - np.mean(y_r)),
        float(ci.low),
        float(ci.high),
        f"difference of means, Welch t interval; {arm} {treated} − {arm} {reference}, "
        "no baseline adjustment",
        float(welch.pvalue),
    )
    return MeanDifference(
        outcome=outcome,
        arm=arm,
        treatment=arms[treated],
        reference=arms[reference],
        difference=difference,
        alpha=alpha,
        caveats=(*_caveats(arms, outcome), *caveats),
    )


def _caveats(arms: dict[str, ArmMeans], outcome: str) -> list[str]:
    out: list[str] = []
    missing = {lvl: a.missing for lvl, a in arms.items()}
    if sum(missing.values()):
        randomised = sum(a.randomised for a in arms.values())
        shares = ", ".join(f"{lvl}: {a.missing} of {a.randomised}" for lvl, a in arms.items())
        out.append(
            f"complete-case analysis: {sum(missing.values())} of {randomised} patients without "
            f"the outcome ({outcome}) are excluded ({shares}); if missingness depends on the "
            "outcome this is biased"
        )
    few = {lvl: a.n for lvl, a in arms.items() if a.n < FEW_PER_ARM}
    if few:
        out.append(
            f"few analysed patients ({', '.join(f'{k}: {v}' for k, v in few.items())}): the "
            "Welch interval leans on roughly normal means"
        )
    out.append(
        "no baseline: the difference is not adjusted for where the arms started; chance "
        "imbalance at baseline is part of it"
    )
    return out

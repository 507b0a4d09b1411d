"""A cohort's answer from its diaries: pooled headache days per 28 days, and the rate ratio.

Each patient contributes, per period, the headache days counted and the days recorded. Both
figures come from a Poisson model fitted by generalised estimating equations (statsmodels
``GEE``), log link, the recorded days as exposure (offset log days), clustered by patient
with an independence working correlation and the bias-reduced sandwich covariance of Mancl
and DeRouen (2001); intervals use a t reference with G − 1 degrees of freedom (G patients):

    pooled rate of a window:   log E[y_i] = log d_i + β₀                 → 28·exp(β₀)
    cohort rate ratio:         log E[y_ip] = log d_ip + β₀ + β₁·treated_p → exp(β₁)

A patient's days are correlated (attacks run over days, bad spells over weeks); counting them
per patient and using a sandwich over patients makes the intervals respect that. With an
independence working correlation the estimating equations over a patient's days sum to the
one row per patient and period used here, so the fit equals a day-level fit. exp(β₁) is the
*population-averaged* ratio: the cohort's headache-day rate during treatment over its rate at
baseline, with patients weighted by their recorded days. Patients with no headache day in a
period are kept (dropping them would drop the best responders).

It is a before/after ratio: regression to the mean, the non-specific (placebo) response and
natural change are part of it (``CAVEAT_CAUSE``); the conclusion line says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from acurelief.analysis.prevention import CAVEAT_CAUSE
from acurelief.errors import InvalidInput

Float = NDArray[np.float64]
MIN_PATIENTS = 5  # IMPL NOTE: below this a sandwich over patients says too little
PER = 28


def _num(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


@dataclass(frozen=True, slots=True)
class PooledRate:
    """Headache days per 28 recorded days across the cohort's patients in one window."""

    window: str
    per_28: float  # NaN when not evaluable
    low: float
    high: float
    patients: int
    patient_days: int  # recorded days summed over the patients
    headache_days: int
    method: str
    reason: str = ""  # why not evaluable ('' when it is)

    def as_dict(self) -> dict[str, Any]:
        return {
            "window": self.window,
            "per_28": _num(self.per_28),
            "low": _num(self.low),
            "high": _num(self.high),
            "patients": self.patients,
            "patient_days": self.patient_days,
            "headache_days": self.headache_days,
            "method": self.method,
            "not_evaluable": self.reason or None,
        }


@dataclass(frozen=True, slots=True)
class CohortRateRatio:
    """Headache-day rate during treatment over the rate at baseline, for the whole cohort."""

    estimate: float  # NaN when not evaluable
    low: float
    high: float
    p_value: float
    patients: int
    patient_days: int  # recorded days, both periods, all patients in the model
    baseline_days: int
    baseline_headache_days: int
    treatment_days: int
    treatment_headache_days: int
    confidence: float
    method: str
    period: str  # what "treatment" means, e.g. "weeks 1–12"
    caveats: tuple[str, ...] = field(default=(CAVEAT_CAUSE,))

    @property
    def evaluable(self) -> bool:
        return not math.isnan(self.estimate)

    @property
    def conclusion(self) -> str:
        """One line that says what the interval allows, never more."""
        n = f"n = {self.patients} patients, {self.patient_days:,} patient-days"
        if not self.evaluable:
            return f"No cohort rate ratio: {self.caveats[0]} ({n})."
        pct = f"{100 * self.confidence:.0f}% CI"
        ratio = (
            f"rate ratio {self.estimate:.2f} ({pct} {self.low:.2f}–{self.high:.2f}; {n}), "
            f"{self.period} against baseline"
        )
        if self.low <= 1 <= self.high:
            return f"No evidence of prevention: the {ratio} includes 1."
        if self.low > 1:
            return f"No evidence of prevention: headache days rose, {ratio}."
        fewer = f"{100 * (1 - self.estimate):.0f}% ({100 * (1 - self.high):.0f}–"
        fewer += f"{100 * (1 - self.low):.0f}%)"
        return (
            f"Headache days fell by {fewer}: {ratio}; before/after, so regression to the mean "
            "and placebo are part of it."
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "estimate": _num(self.estimate),
            "low": _num(self.low),
            "high": _num(self.high),
            "p_value": _num(self.p_value),
            "confidence": self.confidence,
            "patients": self.patients,
            "patient_days": self.patient_days,
            "baseline": {"days": self.baseline_days, "headache_days": self.baseline_headache_days},
            "treatment": {
                "days": self.treatment_days,
                "headache_days": self.treatment_headache_days,
            },
            "period": self.period,
            "method": self.method,
            "conclusion": self.conclusion,
            "caveats": list(self.caveats),
        }


def _counts(events: ArrayLike, days: ArrayLike, name: str) -> tuple[Float, Float]:
    e, d = np.asarray(events, dtype=np.float64), np.asarray(days, dtype=np.float64)
    if e.shape != d.shape or e.ndim != 1:
        raise InvalidInput.single(name, f"events {e.shape} and days {d.shape} must be 1-D alike")
    if (d <= 0).any() or (e < 0).any() or (e > d).any() or not np.isfinite(e + d).all():
        raise InvalidInput.single(
            name, "each patient needs recorded days > 0 and 0 ≤ headache days ≤ recorded days"
        )
    return e, d


def _fit(
    events: Float, days: Float, exog: Float, groups: NDArray[np.intp], covariance: str
) -> tuple[Float, Float]:
    """Coefficients and their standard errors of the Poisson GEE (see the module docstring)."""
    import statsmodels.api as sm
    from statsmodels.genmod.generalized_estimating_equations import GEE

    model = GEE(
        events,
        exog,
        groups=groups,
        family=sm.families.Poisson(),
        offset=np.log(days),
        cov_struct=sm.cov_struct.Independence(),
    )
    fit = model.fit(cov_type=covariance)
    with np.errstate(invalid="ignore"):  # a degenerate sandwich gives NaN, checked by callers
        se = np.asarray(fit.bse, dtype=np.float64)
    return np.asarray(fit.params, dtype=np.float64), se


def _method(covariance: str) -> str:
    se = "bias-reduced (Mancl–DeRouen) sandwich" if covariance == "bias_reduced" else "sandwich"
    return (
        f"Poisson GEE, log link, offset log(recorded days), clustered by patient, {se} "
        "errors, t interval on G − 1 df"
    )


def _check(alpha: float, covariance: str) -> None:
    if not 0 < alpha < 1:
        raise InvalidInput.single("alpha", f"must lie between 0 and 1, got {alpha}")
    if covariance not in ("bias_reduced", "robust"):
        raise InvalidInput.single("covariance", f"{covariance!r}: use bias_reduced or robust")


def pooled_rate(
    window: str,
    events: ArrayLike,
    days: ArrayLike,
    *,
    alpha: float = 0.05,
    covariance: str = "bias_reduced",
) -> PooledRate:
    """Headache days per 28 recorded days over the patients given (one value per patient)."""
    from scipy.stats import t as student_t

    _check(alpha, covariance)
    e, d = _counts(events, days, window)
    g, total_days, total_events = len(e), int(d.sum()), int(e.sum())
    method = _method(covariance)
    if g < MIN_PATIENTS or total_events == 0:
        reason = (
            f"{g} patients; at least {MIN_PATIENTS} needed"
            if g < MIN_PATIENTS
            else "no headache day in the window: the rate is 0 and its interval undefined"
        )
        rate = 0.0 if g and total_events == 0 else math.nan
        nan = math.nan
        return PooledRate(window, rate, nan, nan, g, total_days, total_events, method, reason)
    params, se = _fit(e, d, np.ones((g, 1)), np.arange(g), covariance)
    q = float(student_t.ppf(1 - alpha / 2, g - 1))
    b, s = float(params[0]), float(se[0])
    if not s > 0:
        nan = math.nan
        reason = "the sandwich variance is degenerate: no interval"
        return PooledRate(window, nan, nan, nan, g, total_days, total_events, method, reason)
    return PooledRate(
        window,
        PER * math.exp(b),
        PER * math.exp(b - q * s),
        PER * math.exp(b + q * s),
        g,
        total_days,
        total_events,
        method,
    )


def cohort_rate_ratio(
    baseline_events: ArrayLike,
    baseline_days: ArrayLike,
    treatment_events: ArrayLike,
    treatment_days: ArrayLike,
    *,
    period: str = "treatment",
    alpha: float = 0.05,
    covariance: str = "bias_reduced",
) -> CohortRateRatio:
    """The cohort's headache-day rate in ``period`` over its baseline rate (one value per
    patient and period; the i-th entries of all four arrays are the same patient)."""
    from scipy.stats import t as student_t

    _check(alpha, covariance)
    be, bd = _counts(baseline_events, baseline_days, "baseline")
    te, td = _counts(treatment_events, treatment_days, "treatment")
    if len(be) != len(te):
        raise InvalidInput.single("treatment", f"{len(te)} patients, the baseline {len(be)}")
    g = len(be)
    counts = (int(bd.sum()), int(be.sum()), int(td.sum()), int(te.sum()))
    method = _method(covariance)

    def result(est: float, low: float, high: float, p: float, *notes: str) -> CohortRateRatio:
        return CohortRateRatio(
            est, low, high, p, g, counts[0] + counts[2], *counts,
            1 - alpha, method, period, (*notes, CAVEAT_CAUSE),
        )  # fmt: skip

    nan = math.nan
    if g < MIN_PATIENTS:
        return result(nan, nan, nan, nan, f"{g} patients; at least {MIN_PATIENTS} needed")
    if counts[1] == 0 or counts[3] == 0:
        empty = "baseline" if counts[1] == 0 else period
        return result(nan, nan, nan, nan, f"no headache day in the {empty}: no ratio to estimate")
    events = np.concatenate([be, te])
    days = np.concatenate([bd, td])
    exog = np.column_stack([np.ones(2 * g), np.repeat([0.0, 1.0], g)])
    groups = np.tile(np.arange(g), 2)
    params, se = _fit(events, days, exog, groups, covariance)
    b, s = float(params[1]), float(se[1])
    if not s > 0:
        return result(nan, nan, nan, nan, "the sandwich variance is degenerate: no interval")
    q = float(student_t.ppf(1 - alpha / 2, g - 1))
    p = float(2 * student_t.sf(abs(b / s), g - 1))
    return result(math.exp(b), math.exp(b - q * s), math.exp(b + q * s), p)

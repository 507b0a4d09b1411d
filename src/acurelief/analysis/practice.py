"""A practice's results: responder rates against the published arms, and the practice's rate
ratio of headache days with patients' own ratios shrunk toward it.

Responders: ≥50% fewer headache days per 28 in the latest evaluable window than at baseline
(clinical-facts §1.4), with a Wilson interval, overall, by diagnosis group and by
practitioner.

Pooling: a Poisson GEE over each patient's two windows (baseline, treatment),

    log E[headache days_iw] = log(recorded days_iw) + μ_0 + μ · [w = treatment]

clustered by patient (independence working correlation, Mancl–DeRouen bias-reduced robust
covariance, t reference with patients − 1 degrees of freedom: honest at 10 patients too).
exp(μ) estimates the **ratio of the practice's headache-day rates** — all its patients'
recorded days together, treatment window against baseline. Patients with no headache day in a
window (often the best responders) are kept: they count with their recorded days.

Each patient's shrunk estimate is (y_i/v_i + μ/τ²) / (1/v_i + 1/τ²), with y_i, v_i the
patient's own log rate ratio and its variance and τ² the DerSimonian–Laird between-patient
variance (floored at 0; τ² = 0 shrinks every patient to μ). A patient with no headache day in
a window has no finite log ratio: they count in μ but have no shrunk estimate or funnel point.
The funnel data are (log RR, standard error) per patient.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from acurelief.analysis.cohort import cohort_rate_ratio
from acurelief.analysis.relief import Interval, ReliefReport, wilson
from acurelief.knowledge.anchors import PUBLISHED, Anchor

Z95 = 1.959963984540054
POOL_METHOD = (
    "Poisson GEE clustered by patient (offset log recorded days), bias-reduced robust "
    "covariance, t interval with patients − 1 degrees of freedom (analysis.cohort)"
)


@dataclass(frozen=True, slots=True)
class PatientResult:
    patient_id: int
    practitioner_id: int | None
    group: str  # e.g. "episodic migraine", "tension-type headache", "chronic migraine", "unknown"
    responder: bool | None  # None: not evaluable
    log_rr: float  # NaN when not evaluable
    se: float
    # Headache days and recorded days in the baseline and treatment windows (for pooling).
    baseline_events: int = 0
    baseline_days: int = 0
    window_events: int = 0
    window_days: int = 0


@dataclass(frozen=True, slots=True)
class RateSummary:
    label: str
    responders: int
    evaluable: int
    rate: Interval
    anchors: tuple[Anchor, ...]


@dataclass(frozen=True, slots=True)
class Pooled:
    mean_log_rr: float
    low: float
    high: float
    tau2: float
    n: int
    shrunken: dict[int, float]  # patient → shrunken log RR
    zero_day_patients: int = 0  # kept although a window has no headache day
    method: str = POOL_METHOD


@dataclass(frozen=True, slots=True)
class PracticeReport:
    overall: RateSummary
    by_group: tuple[RateSummary, ...]
    by_practitioner: tuple[RateSummary, ...]
    pooled: Pooled | None
    funnel: tuple[tuple[int, float, float], ...]  # (patient, log RR, SE)
    not_evaluable: int
    caveats: tuple[str, ...]
    relief: ReliefReport | None = None  # immediate relief pooled over patients


def _summary(
    label: str, items: Sequence[PatientResult], anchors: tuple[Anchor, ...] = ()
) -> RateSummary:
    evaluable = [p for p in items if p.responder is not None]
    k = sum(1 for p in evaluable if p.responder)
    return RateSummary(label, k, len(evaluable), wilson(k, len(evaluable)), anchors)


def _poolable(p: PatientResult) -> bool:
    return p.baseline_days > 0 and p.window_days > 0


def pooled_log_ratio(
    results: Sequence[PatientResult], alpha: float = 0.05
) -> tuple[float, float, float] | None:
    """μ with its 1 − α interval: the cohort rate ratio of the patients with days in both
    windows (``analysis.cohort``, the same Poisson GEE as for a cohort's diaries); None when it
    is not evaluable (too few patients, or a window without any headache day)."""
    usable = [p for p in results if _poolable(p)]
    if not usable:
        return None
    found = cohort_rate_ratio(
        [p.baseline_events for p in usable],
        [p.baseline_days for p in usable],
        [p.window_events for p in usable],
        [p.window_days for p in usable],
        alpha=alpha,
    )
    if not found.evaluable:
        return None
    return math.log(found.estimate), math.log(found.low), math.log(found.high)


def _tau2(y: NDArray[np.float64], v: NDArray[np.float64]) -> float:
    """DerSimonian–Laird between-patient variance, floored at 0."""
    from statsmodels.stats.meta_analysis import combine_effects

    if len(y) < 2:
        return 0.0
    return max(0.0, float(combine_effects(y, v, method_re="dl").tau2))


def pool(results: Sequence[PatientResult]) -> Pooled | None:
    """The practice's rate ratio (GEE) and each patient's log rate ratio shrunk toward it."""
    found = pooled_log_ratio(results)
    if found is None:
        return None
    mu, low, high = found
    usable = [p for p in results if _poolable(p)]
    own = [p for p in usable if math.isfinite(p.log_rr) and math.isfinite(p.se) and p.se > 0]
    tau2 = _tau2(np.array([p.log_rr for p in own]), np.array([p.se**2 for p in own]))
    if tau2 <= 0:
        shrunken = {p.patient_id: mu for p in own}
    else:
        shrunken = {
            p.patient_id: float((p.log_rr / p.se**2 + mu / tau2) / (1 / p.se**2 + 1 / tau2))
            for p in own
        }
    zero = sum(1 for p in usable if p.baseline_events == 0 or p.window_events == 0)
    return Pooled(mu, low, high, tau2, len(usable), shrunken, zero)


def practice_report(
    results: Sequence[PatientResult], names: Mapping[int, str] | None = None
) -> PracticeReport:
    """The report; ``names`` labels practitioners (by id otherwise)."""
    groups = sorted({p.group for p in results})
    practitioners = sorted({p.practitioner_id for p in results if p.practitioner_id is not None})
    by_group = tuple(
        _summary(g, [p for p in results if p.group == g], PUBLISHED.get(g, ())) for g in groups
    )
    by_practitioner = tuple(
        _summary(
            (names or {}).get(u, f"practitioner {u}"),
            [p for p in results if p.practitioner_id == u],
        )
        for u in practitioners
    )
    funnel = tuple(
        (p.patient_id, p.log_rr, p.se)
        for p in results
        if math.isfinite(p.log_rr) and math.isfinite(p.se)
    )
    caveats = [
        "responders compare after with before: regression to the mean and the "
        "non-specific response are included; the published arms are from trials with "
        "entry criteria and complete follow-up",
        "patients who stopped coming are missing, and may be those who did not improve",
    ]
    return PracticeReport(
        _summary("all patients", results),
        by_group,
        by_practitioner,
        pool(results),
        funnel,
        sum(1 for p in results if p.responder is None),
        tuple(caveats),
    )

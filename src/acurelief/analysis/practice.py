"""A practice's results: responder rates against the published arms, and patients' rate
ratios pooled so that patients with little data are shrunk toward the practice.

Responders: ≥50% fewer headache days per 28 in the latest evaluable window than at baseline
(clinical-facts §1.4), with a Wilson interval, overall, by diagnosis group and by
practitioner. Pooling: each patient's log rate ratio y_i with variance v_i; a random-effects
model (DerSimonian–Laird τ², statsmodels ``combine_effects``) gives the practice mean μ, and
each patient's shrunken estimate is (y_i/v_i + μ/τ²) / (1/v_i + 1/τ²) — the less a patient's
own data say, the closer to the practice. The funnel data are (log RR, standard error) per
patient with the pooled mean and its 95% limits at each precision.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from acurelief.analysis.relief import Interval, Relief, wilson
from acurelief.knowledge.anchors import PUBLISHED, Anchor

Z95 = 1.959963984540054


@dataclass(frozen=True, slots=True)
class PatientResult:
    patient_id: int
    practitioner_id: int | None
    group: str  # e.g. "episodic migraine", "tension-type headache", "chronic migraine", "unknown"
    responder: bool | None  # None: not evaluable
    log_rr: float  # NaN when not evaluable
    se: float


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


@dataclass(frozen=True, slots=True)
class PracticeReport:
    overall: RateSummary
    by_group: tuple[RateSummary, ...]
    by_practitioner: tuple[RateSummary, ...]
    pooled: Pooled | None
    funnel: tuple[tuple[int, float, float], ...]  # (patient, log RR, SE)
    not_evaluable: int
    caveats: tuple[str, ...]
    relief: Relief | None = None  # immediate relief pooled over patients


def _summary(
    label: str, items: Sequence[PatientResult], anchors: tuple[Anchor, ...] = ()
) -> RateSummary:
    evaluable = [p for p in items if p.responder is not None]
    k = sum(1 for p in evaluable if p.responder)
    return RateSummary(label, k, len(evaluable), wilson(k, len(evaluable)), anchors)


def pool(results: Sequence[PatientResult]) -> Pooled | None:
    """Random-effects pooling of log rate ratios with empirical-Bayes shrinkage."""
    from statsmodels.stats.meta_analysis import combine_effects

    usable = [p for p in results if math.isfinite(p.log_rr) and math.isfinite(p.se) and p.se > 0]
    if len(usable) < 3:
        return None
    y = np.array([p.log_rr for p in usable])
    v = np.array([p.se**2 for p in usable])
    fit = combine_effects(y, v, method_re="dl")
    mu = float(fit.mean_effect_re)
    tau2 = float(fit.tau2)
    se_mu = float(fit.sd_eff_w_re)
    if tau2 <= 0:
        shrunken = {p.patient_id: mu for p in usable}
    else:
        shrunken = {
            p.patient_id: float((p.log_rr / p.se**2 + mu / tau2) / (1 / p.se**2 + 1 / tau2))
            for p in usable
        }
    return Pooled(mu, mu - Z95 * se_mu, mu + Z95 * se_mu, tau2, len(usable), shrunken)


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

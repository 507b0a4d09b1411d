"""Immediate relief: pain before vs after needling, per patient and pooled over a practice.

A session's drop is ``before − after`` (0–10 points). Per patient: the mean drop with a t
interval, and a rank-based alternative (Hodges–Lehmann median of Walsh averages with the
Wilcoxon signed-rank test), plus the share of sessions with a clinically meaningful drop —
at least 2 points *and* at least 30% (DESIGN.md) — with a Wilson interval. Pooled over
patients, sessions of one patient are not independent, so the practice figure is the mean
of patients' mean drops (each patient counts once) with a t interval over patients.

Which sessions can show relief. A session that starts at pain 0–2 has almost nothing to
relieve, and in a preventive course most sessions fall on headache-free days; pooled with
them, the few sessions held during a headache are drowned out. So every figure is given
twice: over all sessions with both readings, and over the sessions that *started with a
headache* — pain before needling at or above ``min_start_pain`` — with how many started
below it. Acute-treatment trials enrol only attacks of moderate or severe pain
(clinical-facts §1.5, "Baseline intensity"; the IHS 4-point scale's 2–3). No source there
maps "moderate" onto the 0–10 scale: reading it as ≥ 4 is our choice, the same one
``EndpointRules.moderate_from`` makes for diary days, and the threshold is a parameter
(``EndpointRules.min_start_pain``).

Nothing here separates the needles from the visit: a placebo or context effect and the
natural end of an attack also lower pain within 30 minutes; and sessions chosen because the
pain before was high fall back by regression to the mean even without any treatment (see
``CAVEATS`` and ``CAVEAT_SELECTED``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from acurelief.domain import StimulationKind, TreatmentSession
from acurelief.errors import InvalidInput

Float = NDArray[np.float64]

MIN_POINTS = 2
MIN_SHARE = 0.30
MIN_START_PAIN = 4  # 0–10 pain before needling from which a session "started with a headache"
CAVEATS = (
    "before/after within one visit: expectation, rest and the natural course of an attack "
    "lower pain too; only a sham-controlled comparison isolates the needling",
)
CAVEAT_SELECTED = (
    "these sessions were picked because the pain before was high: a high reading tends to be "
    "followed by a lower one (regression to the mean), so part of the drop would happen anyway"
)
FEW_SESSIONS = 5
EXACT_TIED_MAX = 13  # scipy.stats.wilcoxon enumerates sign flips up to this n when ranks tie


@dataclass(frozen=True, slots=True)
class Interval:
    estimate: float
    low: float
    high: float


@dataclass(frozen=True, slots=True)
class Relief:
    """Immediate relief over a set of sessions (or of patients, when pooled)."""

    n_sessions: int
    n_patients: int
    mean_drop: Interval  # t interval
    median_drop: Interval  # Hodges–Lehmann with the Wilcoxon interval
    wilcoxon_p: float
    meaningful: Interval  # share of sessions with a meaningful drop (Wilson)
    meaningful_count: int
    method: str
    caveats: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReliefReport:
    """Relief over every session with both readings, and apart over those that started with a
    headache (pain before ≥ ``min_start_pain``): the figure that can show relief at all."""

    all_sessions: Relief
    with_headache: Relief | None  # None: no session started at ``min_start_pain`` or more
    min_start_pain: int
    started_below: int  # sessions with both readings that started below ``min_start_pain``

    @property
    def n_sessions(self) -> int:
        return self.all_sessions.n_sessions

    @property
    def n_patients(self) -> int:
        return self.all_sessions.n_patients

    @property
    def n_with_headache(self) -> int:
        return self.n_sessions - self.started_below

    def below_note(self) -> str:
        """How many sessions had too little pain to show relief, said plainly."""
        return (
            f"{self.started_below} of {self.n_sessions} sessions started with pain below "
            f"{self.min_start_pain}: too little pain to show relief"
        )

    def headache_note(self) -> str:
        """What the relief during a headache rests on, or that there is none to report."""
        if self.with_headache is None:
            return (
                f"no session started with pain {self.min_start_pain} or more: relief during a "
                "headache cannot be measured yet"
            )
        return (
            f"{self.n_with_headache} of {self.n_sessions} sessions started with a headache "
            f"(pain {self.min_start_pain} or more)"
        )


def check_min_start_pain(value: int) -> int:
    """The threshold, refused with the field named unless it is a whole number from 1 to 10."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or not 1 <= value <= 10:
        raise InvalidInput.single(
            "min_start_pain",
            f"must be a whole number from 1 to 10 (pain 0–10 before needling), got {value!r}",
        )
    return value


def meaningful(before: Float, after: Float) -> NDArray[np.bool_]:
    drop = before - after
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(before > 0, drop / before, 0.0)
    result: NDArray[np.bool_] = (drop >= MIN_POINTS) & (share >= MIN_SHARE)
    return result


def t_interval(values: Float, alpha: float = 0.05) -> Interval:
    from scipy.stats import ttest_1samp

    n = len(values)
    mean = float(values.mean()) if n else math.nan
    if n < 2:
        return Interval(mean, math.nan, math.nan)
    if float(np.ptp(values)) == 0:  # every value the same: the spread, so the interval, unknown
        return Interval(mean, math.nan, math.nan)
    ci = ttest_1samp(values, 0.0).confidence_interval(1 - alpha)
    return Interval(mean, float(ci.low), float(ci.high))


def hodges_lehmann(values: Float, alpha: float = 0.05) -> tuple[Interval, float]:
    """Median of the Walsh averages with its distribution-free interval, and Wilcoxon's p."""
    from scipy.stats import norm

    n = len(values)
    if n < 2:
        return Interval(math.nan, math.nan, math.nan), math.nan
    i, j = np.triu_indices(n)
    walsh = np.sort((values[i] + values[j]) / 2)
    # Normal approximation to the signed-rank distribution for the order statistics.
    z = float(norm.ppf(1 - alpha / 2))
    k = math.floor(n * (n + 1) / 4 - z * math.sqrt(n * (n + 1) * (2 * n + 1) / 24))
    k = min(max(k, 0), len(walsh) - 1)
    p = signed_rank_p(values[values != 0])
    return Interval(float(np.median(walsh)), float(walsh[k]), float(walsh[-1 - k])), p


def signed_rank_p(nonzero: Float) -> float:
    """Wilcoxon's two-sided signed-rank p for values without zeros, as ``scipy.stats.wilcoxon``
    gives it: exact without ties (n ≤ 50); with ties and n ≤ 13, exact over all 2ⁿ sign flips;
    else the normal approximation. The tied small case is enumerated here with a vectorised
    statistic: scipy's own takes over a second per patient, once per dashboard view."""
    from scipy.stats import permutation_test, rankdata, wilcoxon

    n = len(nonzero)
    if n == 0:
        return 1.0
    ranks = rankdata(np.abs(nonzero))
    if n > EXACT_TIED_MAX or len(np.unique(ranks)) == n:
        return float(wilcoxon(nonzero).pvalue)

    def positive_rank_sum(flipped: Float, axis: int) -> Float:
        result: Float = np.sum(np.where(flipped > 0, ranks, 0.0), axis=axis)
        return result

    found = permutation_test(
        (nonzero,),
        positive_rank_sum,
        permutation_type="samples",
        vectorized=True,
        n_resamples=2**n,
        alternative="two-sided",
    )
    return float(found.pvalue)


def wilson(k: int, n: int, alpha: float = 0.05) -> Interval:
    from scipy.stats import binomtest

    if n == 0:
        return Interval(math.nan, math.nan, math.nan)
    ci = binomtest(k, n).proportion_ci(1 - alpha, method="wilson")
    return Interval(k / n, float(ci.low), float(ci.high))


def readings(sessions: Sequence[TreatmentSession]) -> tuple[Float, Float]:
    """Pain before and after, for the sessions where both were measured."""
    both = [
        (s.before.pain, s.after.pain)
        for s in sessions
        if s.before is not None
        and s.after is not None
        and s.before.pain is not None
        and s.after.pain is not None
    ]
    array = np.array(both, dtype=np.float64).reshape(-1, 2)
    return array[:, 0], array[:, 1]


def _no_spread(values: Float, of: str) -> list[str]:
    if len(values) < 2 or float(np.ptp(values)) != 0:
        return []
    same = f"{values[0]:g}"
    return [f"the drop is {same} points in all {len(values)} {of}: no spread, so no interval"]


def relief_of(before: Float, after: Float, selected: bool = False) -> Relief:
    """One patient's relief over these sessions (``selected``: chosen on their pain before)."""
    drop = before - after
    hl, p = hodges_lehmann(drop)
    good = meaningful(before, after)
    caveats = [*CAVEATS, CAVEAT_SELECTED] if selected else list(CAVEATS)
    if len(drop) < FEW_SESSIONS:
        caveats.append(f"only {len(drop)} sessions with both readings: intervals are wide")
    caveats.extend(_no_spread(drop, "sessions"))
    return Relief(
        len(drop),
        1,
        t_interval(drop),
        hl,
        p,
        wilson(int(good.sum()), len(drop)),
        int(good.sum()),
        "paired t; Hodges–Lehmann/Wilcoxon; Wilson",
        tuple(caveats),
    )


def pooled_of(by_patient: Sequence[tuple[Float, Float]], selected: bool = False) -> Relief:
    """Pooled: each patient's mean drop counts once (sessions are clustered in patients);
    patients without a session here are left out."""
    used = [(b, a) for b, a in by_patient if len(b)]
    means = np.array([float((b - a).mean()) for b, a in used], dtype=np.float64)
    goods = sum(int(meaningful(b, a).sum()) for b, a in used)
    counts = sum(len(b) for b, _ in used)
    hl, p = hodges_lehmann(means)
    caveats = [*CAVEATS, CAVEAT_SELECTED] if selected else list(CAVEATS)
    if len(used) < FEW_SESSIONS:
        caveats.append(f"only {len(used)} patients: the interval over patients is wide")
    caveats.extend(_no_spread(means, "patients"))
    return Relief(
        counts,
        len(used),
        t_interval(means),
        hl,
        p,
        wilson(goods, counts),
        goods,
        "t over patients' mean drops; Hodges–Lehmann/Wilcoxon over patients; "
        "Wilson over sessions (ignores clustering)",
        tuple(caveats),
    )


def report_of(before: Float, after: Float, min_start_pain: int = MIN_START_PAIN) -> ReliefReport:
    """All sessions, and apart those that started at ``min_start_pain`` or more."""
    check_min_start_pain(min_start_pain)
    ache = before >= min_start_pain
    return ReliefReport(
        relief_of(before, after),
        relief_of(before[ache], after[ache], selected=True) if ache.any() else None,
        min_start_pain,
        int((~ache).sum()),
    )


def pooled_report(
    by_patient: Sequence[tuple[Float, Float]], min_start_pain: int = MIN_START_PAIN
) -> ReliefReport:
    """Pooled over patients, for all sessions and for those that started with a headache."""
    check_min_start_pain(min_start_pain)
    aching = [(b[b >= min_start_pain], a[b >= min_start_pain]) for b, a in by_patient]
    below = sum(int((b < min_start_pain).sum()) for b, _ in by_patient)
    return ReliefReport(
        pooled_of(by_patient),
        pooled_of(aching, selected=True) if any(len(b) for b, _ in aching) else None,
        min_start_pain,
        below,
    )


def patient_relief(
    sessions: Sequence[TreatmentSession], min_start_pain: int = MIN_START_PAIN
) -> ReliefReport:
    """One patient's immediate relief over their sessions with both pain readings."""
    return report_of(*readings(sessions), min_start_pain)


def practice_relief(
    by_patient: Mapping[int, Sequence[TreatmentSession]], min_start_pain: int = MIN_START_PAIN
) -> ReliefReport:
    """Pooled over a practice's patients: each patient's mean drop counts once."""
    return pooled_report([readings(s) for s in by_patient.values()], min_start_pain)


def by_stimulation(
    sessions: Sequence[TreatmentSession], min_start_pain: int = MIN_START_PAIN
) -> dict[StimulationKind, ReliefReport]:
    """Relief per kind of stimulation (manual, electro, sham/minimal)."""
    out = {}
    for kind in StimulationKind:
        chosen = [s for s in sessions if s.stimulation.kind is kind]
        if chosen:
            out[kind] = patient_relief(chosen, min_start_pain)
    return out

"""Binary outcomes in two arms: risks, risk difference, risk and odds ratio, NNT, Fisher.

Binary outcomes (responders or any yes/no): per-arm risks with Wilson intervals, the risk
difference with Newcombe's hybrid Wilson score interval (Newcombe 1998, method 10), the risk
ratio with a log (Katz) interval, the odds ratio with a logit (Woolf) interval (0.5 added to
every cell when one is empty), the number needed to treat with the interval inverted
(Altman 1998: when the risk difference's interval includes 0 the NNT interval runs through
infinity, from an NNT (benefit) limit to an NNH limit) and Fisher's exact p-value.

A responder has at least a 50% reduction from baseline (clinical-facts §1.4); at baseline 0 a
relative reduction is undefined, so such patients are not evaluable and counted in caveats.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from acurelief.analysis.estimate import Estimate, JsonValue, _finite
from acurelief.analysis.trial_arms import _arm_labels, _check_alpha, _check_frame, _split
from acurelief.errors import InsufficientData, InvalidInput

RESPONDER_REDUCTION = 0.5  # ≥50% reduction from baseline, clinical-facts §1.4

if TYPE_CHECKING:
    Column: TypeAlias = pd.Series[Any] | Sequence[Any] | NDArray[Any]


@dataclass(frozen=True, slots=True)
class ArmRisk:
    """Events among the ``n`` evaluable patients of one arm, with a Wilson interval."""

    level: str
    role: str
    events: int
    n: int
    excluded: int
    risk: float
    low: float
    high: float

    def as_dict(self) -> dict[str, JsonValue]:
        return {
            "arm": self.level,
            "role": self.role,
            "events": self.events,
            "n": self.n,
            "excluded": self.excluded,
            "risk": _finite(self.risk),
            "low": _finite(self.low),
            "high": _finite(self.high),
        }


@dataclass(frozen=True, slots=True)
class NumberNeeded:
    """1/|risk difference|, named for its direction, with the inverted interval.

    ``kind`` is "NNT (benefit)" or "NNH" (or "no difference" when the risk difference is 0).
    When the risk difference's interval excludes 0, ``low``–``high`` is an interval of the same
    kind. When it includes 0 (``crosses_infinity``), the interval runs from ``low``, an
    NNT (benefit) limit, through infinity, to ``high``, an NNH limit (Altman, BMJ 1998).
    """

    kind: str
    estimate: float
    low: float
    high: float
    crosses_infinity: bool
    confidence: float

    @property
    def text(self) -> str:
        pct = f"{100 * self.confidence:.0f}% CI"
        head = (
            "no difference (NNT ∞)"
            if math.isinf(self.estimate)
            else (f"{self.kind} {self.estimate:.1f}")
        )
        if self.crosses_infinity:
            return f"{head} ({pct} NNT (benefit) {_num(self.low)} to ∞ to NNH {_num(self.high)})"
        return f"{head} ({pct} {_num(self.low)} to {_num(self.high)})"

    def as_dict(self) -> dict[str, JsonValue]:
        return {
            "kind": self.kind,
            "estimate": _finite(self.estimate),
            "low": _finite(self.low),
            "high": _finite(self.high),
            "crosses_infinity": self.crosses_infinity,
            "text": self.text,
        }


def _num(x: float) -> str:
    return "∞" if math.isinf(x) else f"{x:.1f}"


@dataclass(frozen=True, slots=True)
class BinaryOutcome:
    """A yes/no outcome in two arms: risks, risk difference and ratio (treatment vs reference),
    the number needed to treat, and Fisher's exact test."""

    event: str
    arm: str
    event_is_good: bool
    treatment: ArmRisk
    reference: ArmRisk
    risk_difference: Estimate
    risk_ratio: Estimate
    odds_ratio: Estimate
    nnt: NumberNeeded
    fisher_p: float
    alpha: float
    caveats: tuple[str, ...] = field(default=())

    @property
    def arms(self) -> tuple[ArmRisk, ArmRisk]:
        return self.treatment, self.reference

    def summary(self) -> list[dict[str, str | int | float]]:
        """The per-arm table: events of n evaluable, risk and its Wilson interval."""
        return [
            {
                "arm": a.level,
                "role": a.role,
                "events": a.events,
                "n": a.n,
                "excluded": a.excluded,
                "risk": a.risk,
                "low": a.low,
                "high": a.high,
            }
            for a in self.arms
        ]

    def as_dict(self) -> dict[str, JsonValue]:
        return {
            "event": self.event,
            "arm": self.arm,
            "event_is_good": self.event_is_good,
            "treatment": self.treatment.level,
            "reference": self.reference.level,
            "confidence": 1 - self.alpha,
            "arms": [a.as_dict() for a in self.arms],
            "risk_difference": self.risk_difference.as_dict(),
            "risk_ratio": self.risk_ratio.as_dict(),
            "odds_ratio": self.odds_ratio.as_dict(),
            "nnt": self.nnt.as_dict(),
            "fisher_p": self.fisher_p,
            "caveats": list(self.caveats),
        }


def responder_status(
    outcome: Column, baseline: Column, *, reduction: float = RESPONDER_REDUCTION
) -> pd.Series[Any]:
    """True where ``outcome`` is at least ``reduction`` (a fraction) below ``baseline``.

    Nullable booleans: <NA> where the outcome or baseline is missing, or the baseline is 0 or
    below (a relative reduction from 0 is undefined: not evaluable, clinical-facts §1.4).
    """
    if not 0 < reduction <= 1:
        raise InvalidInput.single("reduction", f"must lie in (0, 1], got {reduction}")
    out = pd.to_numeric(pd.Series(outcome), errors="raise").reset_index(drop=True)
    base = pd.to_numeric(pd.Series(baseline), errors="raise").reset_index(drop=True)
    if len(out) != len(base):
        raise InvalidInput.single("baseline", f"has {len(base)} values, the outcome {len(out)}")
    evaluable = out.notna() & base.notna() & (base > 0)
    status = pd.Series(pd.NA, index=out.index, dtype="boolean")
    relative = (base[evaluable] - out[evaluable]) / base[evaluable]
    status[evaluable] = relative >= reduction - 1e-12  # 50% exactly is a response
    return status


def responder_analysis(
    frame: pd.DataFrame,
    *,
    outcome: str,
    baseline: str,
    arm: str,
    reduction: float = RESPONDER_REDUCTION,
    treatment: str | int | None = None,
    alpha: float = 0.05,
    caveats: Sequence[str] = (),
) -> BinaryOutcome:
    """Responders (≥``reduction`` fewer than at baseline) per arm, compared by ``binary_outcome``.

    Patients with baseline 0 are not evaluable; their count per arm is in the caveats.
    """
    _check_frame(frame, [outcome, baseline], arm)
    status = responder_status(frame[outcome], frame[baseline], reduction=reduction)
    labels, treated, reference = _arm_labels(frame[arm], arm, treatment)
    labels = labels.reset_index(drop=True)
    base = frame[baseline].reset_index(drop=True)
    zero = frame[outcome].reset_index(drop=True).notna() & base.notna() & (base <= 0)
    notes: list[str] = []
    if zero.any():
        per_arm = {lvl: int((zero & (labels == lvl)).sum()) for lvl in (treated, reference)}
        notes.append(
            f"{_split(int(zero.sum()), per_arm)} patients with baseline {baseline} 0 are not "
            "evaluable: a relative reduction from 0 is undefined (clinical-facts §1.4)"
        )
    return binary_outcome(
        status,
        labels,
        event=f"≥{100 * reduction:g}% reduction in {outcome} from {baseline}",
        arm_name=arm,
        treatment=treated,
        event_is_good=True,
        alpha=alpha,
        excluded_reason=f"no {outcome} or {baseline}, or {baseline} 0",
        caveats=(*notes, *caveats),
    )


def _events(events: Column) -> pd.Series[float]:
    s = pd.Series(events).reset_index(drop=True)
    values = pd.to_numeric(s.astype("object").where(s.notna(), np.nan), errors="coerce")
    bad = s.notna() & ~values.isin([0.0, 1.0])
    if bad.any():
        first = s[bad].iloc[0]
        raise InvalidInput.single(
            "events", f"{int(bad.sum())} values are not yes/no (0/1, True/False), e.g. {first!r}"
        )
    return values.astype(float)


def binary_outcome(
    events: Column,
    arm: Column,
    *,
    event: str = "event",
    arm_name: str = "arm",
    treatment: str | int | None = None,
    event_is_good: bool = True,
    alpha: float = 0.05,
    excluded_reason: str = "no value",
    caveats: Sequence[str] = (),
) -> BinaryOutcome:
    """Compare a yes/no outcome between two arms; missing values (NA) are excluded and counted.

    ``event_is_good`` says whether more events is a benefit (responders) or a harm (adverse
    events); it decides whether 1/RD is an NNT (benefit) or an NNH.
    """
    from scipy.stats import fisher_exact
    from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

    _check_alpha(alpha)
    values = _events(events)
    arm_values = pd.Series(arm).reset_index(drop=True)
    if len(arm_values) != len(values):
        raise InvalidInput.single("arm", f"has {len(arm_values)} values, the events {len(values)}")
    labels, treated, reference = _arm_labels(arm_values, arm_name, treatment)

    risks: dict[str, ArmRisk] = {}
    for level, role in ((treated, "treatment"), (reference, "reference")):
        in_arm = labels == level
        v = values[in_arm]
        n, k = int(v.notna().sum()), int((v == 1).sum())
        if n == 0:
            raise InsufficientData(f"arm {level} of {arm_name!r} has no evaluable patient")
        lo, hi = proportion_confint(k, n, alpha=alpha, method="wilson")
        risks[level] = ArmRisk(
            level, role, k, n, int(in_arm.sum()) - n, k / n, float(lo), float(hi)
        )
    t, r = risks[treated], risks[reference]

    rd = t.risk - r.risk
    rd_low, rd_high = confint_proportions_2indep(
        t.events, t.n, r.events, r.n, method="newcomb", compare="diff", alpha=alpha
    )
    direction = f"{arm_name} {treated} − {arm_name} {reference}"
    risk_difference = Estimate(
        rd, float(rd_low), float(rd_high), f"Newcombe hybrid Wilson score interval; {direction}"
    )
    risk_ratio, rr_notes = _risk_ratio(
        t, r, alpha, f"{arm_name} {treated} / {arm_name} {reference}"
    )
    odds_ratio, or_notes = _odds_ratio(
        t, r, alpha, f"{arm_name} {treated} vs {arm_name} {reference}"
    )
    table = np.array([[t.events, t.n - t.events], [r.events, r.n - r.events]])
    fisher_p = float(fisher_exact(table).pvalue)

    notes = [*rr_notes, *or_notes]
    excluded = {lvl: a.excluded for lvl, a in risks.items()}
    if sum(excluded.values()):
        shares = ", ".join(f"{lvl}: {a.excluded} of {a.n + a.excluded}" for lvl, a in risks.items())
        notes.insert(
            0,
            f"complete-case analysis: {sum(excluded.values())} patients are excluded "
            f"({excluded_reason}; {shares}); if missingness depends on the outcome this is biased",
        )
    return BinaryOutcome(
        event=event,
        arm=arm_name,
        event_is_good=event_is_good,
        treatment=t,
        reference=r,
        risk_difference=risk_difference,
        risk_ratio=risk_ratio,
        odds_ratio=odds_ratio,
        nnt=number_needed(
            rd, float(rd_low), float(rd_high), event_is_good=event_is_good, confidence=1 - alpha
        ),
        fisher_p=fisher_p,
        alpha=alpha,
        caveats=(*notes, *caveats),
    )


def _risk_ratio(t: ArmRisk, r: ArmRisk, alpha: float, direction: str) -> tuple[Estimate, list[str]]:
    from statsmodels.stats.proportion import confint_proportions_2indep

    if t.events == 0 and r.events == 0:
        nan = math.nan
        return Estimate(nan, nan, nan, f"undefined; {direction}"), [
            "no events in either arm: the risk ratio is undefined"
        ]
    notes: list[str] = []
    method = "log"
    if t.events == 0 or r.events == 0:
        method = "log-adjusted"
        notes.append("an arm has no events: the risk ratio interval adds 0.5 to each cell")
    if t.events == t.n and r.events == r.n:
        notes.append(
            "every patient had the event in both arms: the risk ratio interval is degenerate"
        )
    low, high = confint_proportions_2indep(
        t.events, t.n, r.events, r.n, method=method, compare="ratio", alpha=alpha
    )
    rr = t.risk / r.risk if r.risk > 0 else math.inf
    label = "log (Katz) interval" if method == "log" else "log interval with 0.5 added to each cell"
    return Estimate(rr, float(low), float(high), f"{label}; {direction}"), notes


def _odds_ratio(t: ArmRisk, r: ArmRisk, alpha: float, direction: str) -> tuple[Estimate, list[str]]:
    """The odds ratio with a logit (Woolf) interval; 0.5 is added to every cell when one is 0."""
    from statsmodels.stats.proportion import confint_proportions_2indep

    cells = (t.events, t.n - t.events, r.events, r.n - r.events)
    if t.events + r.events == 0 or t.events + r.events == t.n + r.n:
        nan = math.nan
        return Estimate(nan, nan, nan, f"undefined; {direction}"), [
            "every patient or none had the event: the odds ratio is undefined"
        ]
    adjusted = min(cells) == 0
    low, high = confint_proportions_2indep(
        t.events,
        t.n,
        r.events,
        r.n,
        method="logit-adjusted" if adjusted else "logit",
        compare="odds-ratio",
        alpha=alpha,
    )
    a, b, c, d = (x + 0.5 for x in cells) if adjusted else cells
    label = "logit (Woolf) interval" + (", 0.5 added to each cell" if adjusted else "")
    notes = (
        ["an empty cell: the odds ratio and its interval add 0.5 to each cell"] if adjusted else []
    )
    return Estimate((a * d) / (b * c), float(low), float(high), f"{label}; {direction}"), notes


def number_needed(
    rd: float, low: float, high: float, *, event_is_good: bool, confidence: float = 0.95
) -> NumberNeeded:
    """1/RD as an NNT (benefit) or NNH, with the interval of RD inverted (Altman 1998)."""
    sign = 1.0 if event_is_good else -1.0
    b = sign * rd  # > 0 is a benefit
    b_low, b_high = sorted((sign * low, sign * high))
    kind = "NNT (benefit)" if b > 0 else "NNH" if b < 0 else "no difference"
    estimate = math.inf if b == 0 else 1 / abs(b)

    def inv(x: float) -> float:
        return math.inf if x == 0 else 1 / abs(x)

    if b_low > 0:  # the whole interval is a benefit
        return NumberNeeded(kind, estimate, inv(b_high), inv(b_low), False, confidence)
    if b_high < 0:  # the whole interval is a harm
        return NumberNeeded(kind, estimate, inv(b_low), inv(b_high), False, confidence)
    return NumberNeeded(kind, estimate, inv(b_high), inv(b_low), True, confidence)

"""Two-arm trial analysis: a continuous outcome by ANCOVA, binary outcomes, and a CSV loader.

Primary analysis — analysis of covariance, as the trialists do it (Vickers 2004's primary
analysis, ``datasets/vickers2004/README.md``):

    outcome_i = β₀ + β_arm·treated_i + β_b·baseline_i + Σ_k γ_k·covariate_ik + ε_i

fitted by ordinary least squares (statsmodels formula API) on the complete cases. β_arm is the
*adjusted difference*, always **treatment minus reference**: with a score where higher is worse
a negative value favours the treatment. Its interval and p-value are the model's t-based ones.
The unadjusted difference of means with a Welch interval is reported beside it as a secondary.

Binary outcomes (responders or any yes/no): per-arm risks with Wilson intervals, the risk
difference with Newcombe's hybrid Wilson score interval (Newcombe 1998, method 10), the risk
ratio with a log (Katz) interval, the number needed to treat with the interval inverted
(Altman 1998: when the risk difference's interval includes 0 the NNT interval runs through
infinity, from an NNT (benefit) limit to an NNH limit) and Fisher's exact p-value.

A responder has at least a 50% reduction from baseline (clinical-facts §1.4); at baseline 0 a
relative reduction is undefined, so such patients are not evaluable and counted in caveats.

Every result names the n it rests on per arm, the method, and caveats — above all what is
missing: a complete-case analysis is biased when missingness depends on the outcome.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from acurelief.errors import FieldProblem, InsufficientData, InvalidInput

MISSING_TOKENS = frozenset({"", "na", "n/a", "nan"})
MAX_REPORTED_PROBLEMS = 20
RESPONDER_REDUCTION = 0.5  # ≥50% reduction from baseline, clinical-facts §1.4
FEW_PER_ARM = 20

if TYPE_CHECKING:
    Column: TypeAlias = pd.Series[Any] | Sequence[Any] | NDArray[Any]
JsonValue = str | int | float | bool | None | list[Any] | dict[str, Any]


# ---------------------------------------------------------------------------------------------
# Results


def _finite(x: float) -> float | None:
    """``x`` for JSON: None where it is not a finite number."""
    return float(x) if math.isfinite(x) else None


@dataclass(frozen=True, slots=True)
class Estimate:
    """One effect with its interval, how it was computed and (when there is one) a p-value."""

    estimate: float
    low: float
    high: float
    method: str
    p_value: float | None = None

    def as_dict(self) -> dict[str, JsonValue]:
        return {
            "estimate": _finite(self.estimate),
            "low": _finite(self.low),
            "high": _finite(self.high),
            "p_value": None if self.p_value is None else _finite(self.p_value),
            "method": self.method,
        }


@dataclass(frozen=True, slots=True)
class ArmSummary:
    """One arm of a continuous-outcome analysis; means and SDs are over the ``n`` analysed.

    ``randomised`` counts every row of the arm; a patient can miss more than one thing, so the
    missing counts may overlap. ``baseline_mean_missing_outcome`` is the mean baseline of those
    without the outcome (NaN when none is missing): a first look at who dropped out.
    """

    level: str
    role: str
    randomised: int
    outcome_missing: int
    baseline_missing: int
    covariates_missing: int
    n: int
    outcome_mean: float
    outcome_sd: float
    baseline_mean: float
    baseline_sd: float
    baseline_mean_missing_outcome: float

    @property
    def change_pct(self) -> float:
        """Relative change of the analysed patients' mean, outcome against baseline, in %."""
        if self.baseline_mean == 0:
            return math.nan
        return 100 * (self.outcome_mean - self.baseline_mean) / self.baseline_mean

    def as_dict(self) -> dict[str, JsonValue]:
        return {
            "arm": self.level,
            "role": self.role,
            "randomised": self.randomised,
            "n": self.n,
            "outcome_missing": self.outcome_missing,
            "baseline_missing": self.baseline_missing,
            "covariates_missing": self.covariates_missing,
            "outcome_mean": _finite(self.outcome_mean),
            "outcome_sd": _finite(self.outcome_sd),
            "baseline_mean": _finite(self.baseline_mean),
            "baseline_sd": _finite(self.baseline_sd),
            "change_pct": _finite(self.change_pct),
            "baseline_mean_missing_outcome": _finite(self.baseline_mean_missing_outcome),
        }


@dataclass(frozen=True, slots=True)
class TwoArmAnalysis:
    """A two-arm comparison of a continuous outcome: ANCOVA first, the raw difference second.

    ``adjusted`` is the arm coefficient of ``outcome ~ arm + baseline + covariates`` (OLS),
    ``unadjusted`` the difference of means with a Welch interval, both on the same ``n_model``
    analysed patients and both treatment minus reference.
    """

    outcome: str
    baseline: str
    arm: str
    covariates: tuple[str, ...]
    treatment: ArmSummary
    reference: ArmSummary
    adjusted: Estimate
    unadjusted: Estimate
    n_model: int
    formula: str
    alpha: float
    caveats: tuple[str, ...] = field(default=())

    @property
    def arms(self) -> tuple[ArmSummary, ArmSummary]:
        return self.treatment, self.reference

    @property
    def n_randomised(self) -> int:
        return self.treatment.randomised + self.reference.randomised

    def summary(self) -> list[dict[str, str | int | float]]:
        """The per-arm table: n randomised and analysed, outcome and baseline mean (SD)."""
        return [
            {
                "arm": a.level,
                "role": a.role,
                "randomised": a.randomised,
                "n": a.n,
                f"{self.outcome}_mean": a.outcome_mean,
                f"{self.outcome}_sd": a.outcome_sd,
                f"{self.baseline}_mean": a.baseline_mean,
                f"{self.baseline}_sd": a.baseline_sd,
                "change_pct": a.change_pct,
            }
            for a in self.arms
        ]

    def missing_report(self) -> list[dict[str, str | int]]:
        """Per arm: randomised, outcome missing, baseline missing, covariates missing, analysed."""
        return [
            {
                "arm": a.level,
                "randomised": a.randomised,
                "outcome_missing": a.outcome_missing,
                "baseline_missing": a.baseline_missing,
                "covariates_missing": a.covariates_missing,
                "analysed": a.n,
            }
            for a in self.arms
        ]

    def effects(self) -> list[dict[str, str | int | float | None]]:
        """The adjusted (primary) and unadjusted differences with interval, p, n and method."""
        return [
            {
                "effect": name,
                "estimate": e.estimate,
                "low": e.low,
                "high": e.high,
                "p_value": e.p_value,
                "n": self.n_model,
                "method": e.method,
            }
            for name, e in (("adjusted", self.adjusted), ("unadjusted", self.unadjusted))
        ]

    def as_dict(self) -> dict[str, JsonValue]:
        return {
            "outcome": self.outcome,
            "baseline": self.baseline,
            "arm": self.arm,
            "covariates": list(self.covariates),
            "treatment": self.treatment.level,
            "reference": self.reference.level,
            "formula": self.formula,
            "confidence": 1 - self.alpha,
            "n_randomised": self.n_randomised,
            "n_model": self.n_model,
            "arms": [a.as_dict() for a in self.arms],
            "adjusted_difference": self.adjusted.as_dict(),
            "unadjusted_difference": self.unadjusted.as_dict(),
            "caveats": list(self.caveats),
        }


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
            "nnt": self.nnt.as_dict(),
            "fisher_p": self.fisher_p,
            "caveats": list(self.caveats),
        }


# ---------------------------------------------------------------------------------------------
# Arms


def _sorted_levels(levels: Sequence[str]) -> list[str]:
    """Levels in numeric order when they are all numbers, else in text order."""
    try:
        return sorted(levels, key=float)
    except ValueError:
        return sorted(levels)


def _arm_labels(
    values: pd.Series[Any], name: str, treatment: str | int | None
) -> tuple[pd.Series[str], str, str]:
    """The arm as text labels, the treatment level and the reference level.

    The treatment is ``treatment`` if given, otherwise the second of the two sorted levels
    (1 against 0, "b" against "a").
    """
    problems: list[FieldProblem] = []
    missing = int(values.isna().sum())
    if missing:
        problems.append(
            FieldProblem(
                "arm", f"column {name!r} is empty in {missing} rows; every patient needs one"
            )
        )
    labels = values.dropna().astype(str).str.strip()
    levels = _sorted_levels(list(pd.unique(labels)))
    if len(levels) != 2:
        shown = ", ".join(levels[:10]) + (", …" if len(levels) > 10 else "")
        problems.append(
            FieldProblem(
                "arm",
                f"column {name!r} has {len(levels)} levels ({shown}); "
                "a two-arm analysis needs exactly two",
            )
        )
    elif treatment is not None and str(treatment) not in levels:
        problems.append(
            FieldProblem(
                "treatment", f"{str(treatment)!r} is not a level of {name!r} ({', '.join(levels)})"
            )
        )
    if problems:
        raise InvalidInput(problems)
    treated = levels[1] if treatment is None else str(treatment)
    reference = levels[0] if treated == levels[1] else levels[1]
    return values.astype(str).str.strip(), treated, reference


def _check_alpha(alpha: float) -> None:
    if not 0 < alpha < 1:
        raise InvalidInput.single("alpha", f"must lie between 0 and 1, got {alpha}")


def _split(count: int, parts: Mapping[str, int]) -> str:
    return f"{count} ({', '.join(f'{k}: {v}' for k, v in parts.items())})"


# ---------------------------------------------------------------------------------------------
# Continuous outcome: ANCOVA


def _check_frame(frame: pd.DataFrame, numeric: Sequence[str], arm: str) -> None:
    problems: list[FieldProblem] = []
    names = [*numeric, arm]
    if len(set(names)) != len(names):
        twice = sorted({c for c in names if names.count(c) > 1})
        problems.append(FieldProblem("columns", f"each column takes one role; {twice} repeat"))
    have = ", ".join(map(str, frame.columns))
    for col in dict.fromkeys(names):
        if col not in frame.columns:
            problems.append(FieldProblem(col, f"is not a column of the data; it has: {have}"))
        elif col != arm and not pd.api.types.is_numeric_dtype(frame[col]):
            problems.append(FieldProblem(col, f"must be numeric, it holds {frame[col].dtype}"))
    if problems:
        raise InvalidInput(problems, where="two-arm analysis")


def analyse_two_arms(
    frame: pd.DataFrame,
    *,
    outcome: str,
    baseline: str,
    arm: str,
    covariates: Sequence[str] = (),
    treatment: str | int | None = None,
    alpha: float = 0.05,
    caveats: Sequence[str] = (),
) -> TwoArmAnalysis:
    """ANCOVA of ``outcome`` on ``arm`` adjusted for ``baseline`` and ``covariates``.

    Rows missing the outcome, the baseline or any covariate are left out (complete cases) and
    counted per arm. ``caveats`` are carried into the result (e.g. what loading changed).
    Raises InvalidInput for unknown or non-numeric columns and an arm without exactly two
    levels; InsufficientData when an arm has fewer than 2 analysed patients.
    """
    import statsmodels.formula.api as smf
    from scipy.stats import ttest_ind

    _check_alpha(alpha)
    covariates = tuple(covariates)
    _check_frame(frame, [outcome, baseline, *covariates], arm)
    labels, treated, reference = _arm_labels(frame[arm], arm, treatment)

    # Safe names: the formula never sees the file's column names (spaces, digits first, …).
    names = {"y": outcome, "baseline": baseline} | {f"x{i}": c for i, c in enumerate(covariates)}
    data = pd.DataFrame({safe: frame[col].astype(float) for safe, col in names.items()})
    data.insert(1, "treated", (labels == treated).astype(float))
    complete = data.notna().all(axis=1)
    model_data = data[complete]

    arms = {
        level: _arm_summary(
            level, role, labels == level, data, complete, covariates=bool(covariates)
        )
        for level, role in ((treated, "treatment"), (reference, "reference"))
    }
    few = {lvl: a.n for lvl, a in arms.items() if a.n < 2}
    if few:
        raise InsufficientData(
            f"{_split(sum(few.values()), few)} analysed patients with {outcome}, {baseline}"
            f"{' and covariates' if covariates else ''}; each arm needs at least 2"
        )
    _check_model_columns(model_data, names, len(names) + 1)

    terms = ["treated", "baseline", *(f"x{i}" for i in range(len(covariates)))]
    fit = smf.ols("y ~ " + " + ".join(terms), data=model_data).fit()
    low, high = (float(v) for v in fit.conf_int(alpha=alpha).loc["treated"])
    formula = f"{outcome} ~ {' + '.join([arm, baseline, *covariates])}"
    direction = f"{arm} {treated} − {arm} {reference}"
    adjusted = Estimate(
        float(fit.params["treated"]),
        low,
        high,
        f"ANCOVA (OLS): {formula}; difference {direction}, adjusted",
        float(fit.pvalues["treated"]),
    )
    y_t = model_data.loc[model_data["treated"] == 1, "y"].to_numpy()
    y_r = model_data.loc[model_data["treated"] == 0, "y"].to_numpy()
    welch = ttest_ind(y_t, y_r, equal_var=False)
    ci = welch.confidence_interval(confidence_level=1 - alpha)
    unadjusted = Estimate(
        float(np.mean(y_t) - np.mean(y_r)),
        float(ci.low),
        float(ci.high),
        f"difference of means, Welch t interval; {direction}, same patients as the ANCOVA",
        float(welch.pvalue),
    )
    return TwoArmAnalysis(
        outcome=outcome,
        baseline=baseline,
        arm=arm,
        covariates=covariates,
        treatment=arms[treated],
        reference=arms[reference],
        adjusted=adjusted,
        unadjusted=unadjusted,
        n_model=int(fit.nobs),
        formula=formula,
        alpha=alpha,
        caveats=(*_missing_caveats(arms, outcome, baseline), *_size_caveats(arms), *caveats),
    )


def _arm_summary(
    level: str,
    role: str,
    in_arm: pd.Series[bool],
    data: pd.DataFrame,
    complete: pd.Series[bool],
    *,
    covariates: bool,
) -> ArmSummary:
    rows = data[in_arm.to_numpy()]
    ok = complete[in_arm.to_numpy()]
    analysed = rows[ok.to_numpy()]
    x_cols = [c for c in data.columns if c.startswith("x")]
    no_outcome = rows["y"].isna()
    return ArmSummary(
        level=level,
        role=role,
        randomised=len(rows),
        outcome_missing=int(no_outcome.sum()),
        baseline_missing=int(rows["baseline"].isna().sum()),
        covariates_missing=int(rows[x_cols].isna().any(axis=1).sum()) if covariates else 0,
        n=len(analysed),
        outcome_mean=_mean(analysed["y"]),
        outcome_sd=_sd(analysed["y"]),
        baseline_mean=_mean(analysed["baseline"]),
        baseline_sd=_sd(analysed["baseline"]),
        baseline_mean_missing_outcome=_mean(rows.loc[no_outcome.to_numpy(), "baseline"]),
    )


def _mean(values: pd.Series[float]) -> float:
    return float(values.mean()) if values.notna().any() else math.nan


def _sd(values: pd.Series[float]) -> float:
    return float(values.std(ddof=1)) if values.notna().sum() > 1 else math.nan


def _check_model_columns(data: pd.DataFrame, names: Mapping[str, str], n_params: int) -> None:
    """Refuse a model that cannot be fitted: a constant column or too few patients."""
    constant = [
        names[c] for c in names if c != "y" and data[c].nunique() < 2
    ]  # absorbed by the intercept
    if constant:
        raise InvalidInput.single(
            "covariates",
            f"{', '.join(map(repr, constant))} takes one value for every analysed patient; "
            "drop it from the model",
        )
    if len(data) <= n_params:
        raise InsufficientData(
            f"{len(data)} analysed patients for a model with {n_params} coefficients"
        )
    exog = np.column_stack([np.ones(len(data)), data.drop(columns="y").to_numpy()])
    rank = int(np.linalg.matrix_rank(exog))
    if rank < exog.shape[1]:
        raise InvalidInput.single(
            "covariates",
            f"the model's columns are collinear (rank {rank} of {exog.shape[1]}): one is a "
            "combination of the others among the analysed patients; drop it",
        )


def _missing_caveats(arms: Mapping[str, ArmSummary], outcome: str, baseline: str) -> list[str]:
    out: list[str] = []
    randomised = sum(a.randomised for a in arms.values())
    no_outcome = {lvl: a.outcome_missing for lvl, a in arms.items()}
    if sum(no_outcome.values()):
        shares = ", ".join(
            f"{lvl}: {a.outcome_missing} of {a.randomised} "
            f"({100 * a.outcome_missing / a.randomised:.1f}%)"
            for lvl, a in arms.items()
        )
        out.append(
            f"complete-case analysis: {sum(no_outcome.values())} of {randomised} patients without "
            f"the outcome ({outcome}) are excluded ({shares}); if missingness depends on the "
            "outcome this is biased"
        )
        if all(a.outcome_missing and a.n for a in arms.values()):
            out.append(
                f"mean baseline {baseline} of those without the outcome: "
                + ", ".join(
                    f"{lvl}: {a.baseline_mean_missing_outcome:.2f} (analysed {a.baseline_mean:.2f})"
                    for lvl, a in arms.items()
                )
            )
    others = {
        lvl: a.randomised - a.outcome_missing - a.n
        for lvl, a in arms.items()
        if a.randomised - a.outcome_missing - a.n
    }
    if others:
        out.append(
            f"{_split(sum(others.values()), others)} more patients have the outcome but miss "
            f"the baseline ({baseline}) or a covariate, and are excluded too"
        )
    return out


def _size_caveats(arms: Mapping[str, ArmSummary]) -> list[str]:
    few = {lvl: a.n for lvl, a in arms.items() if a.n < FEW_PER_ARM}
    if not few:
        return []
    return [
        f"few analysed patients ({', '.join(f'{k}: {v}' for k, v in few.items())}): the "
        "t-based intervals lean on roughly normal residuals"
    ]


# ---------------------------------------------------------------------------------------------
# Binary outcomes and responders


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
    table = np.array([[t.events, t.n - t.events], [r.events, r.n - r.events]])
    fisher_p = float(fisher_exact(table).pvalue)

    notes = list(rr_notes)
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


# ---------------------------------------------------------------------------------------------
# Loading a trial CSV


@dataclass(frozen=True, slots=True, eq=False)
class TrialData:
    """A validated trial file: the columns it was asked for, numbers as floats, arm as text.

    ``notes`` says, per column, what loading changed (values made missing by
    ``missing_if_empty``); the analyses carry the notes of the columns they use.
    """

    frame: pd.DataFrame
    source: str
    outcome: str
    baseline: str
    arm: str
    covariates: tuple[str, ...]
    id_column: str | None
    notes: Mapping[str, str]

    def notes_for(self, *columns: str) -> tuple[str, ...]:
        return tuple(self.notes[c] for c in columns if c in self.notes)

    def analyse(self, *, treatment: str | int | None = None, alpha: float = 0.05) -> TwoArmAnalysis:
        return analyse_two_arms(
            self.frame,
            outcome=self.outcome,
            baseline=self.baseline,
            arm=self.arm,
            covariates=self.covariates,
            treatment=treatment,
            alpha=alpha,
            caveats=self.notes_for(self.outcome, self.baseline, *self.covariates),
        )

    def responders(
        self,
        *,
        reduction: float = RESPONDER_REDUCTION,
        treatment: str | int | None = None,
        alpha: float = 0.05,
    ) -> BinaryOutcome:
        return responder_analysis(
            self.frame,
            outcome=self.outcome,
            baseline=self.baseline,
            arm=self.arm,
            reduction=reduction,
            treatment=treatment,
            alpha=alpha,
            caveats=self.notes_for(self.outcome, self.baseline),
        )


def _read_text(source: Path | str | bytes) -> tuple[str, str]:
    """(name, text). A Path is read as a file, bytes are decoded, a str *is* the CSV text."""
    if isinstance(source, Path):
        name = source.name
        try:
            raw = source.read_bytes()
        except FileNotFoundError:
            raise InvalidInput.single(str(source), "no such file") from None
        except IsADirectoryError:
            raise InvalidInput.single(str(source), "is a directory, not a CSV file") from None
        except OSError as exc:
            raise InvalidInput.single(str(source), f"cannot be read ({exc.strerror})") from None
    elif isinstance(source, bytes):
        name, raw = "CSV", source
    elif "\n" not in source and "\r" not in source and source.strip().lower().endswith(".csv"):
        raise InvalidInput.single(
            "source", f"{source!r} looks like a file name; a str is read as CSV text, pass a Path"
        )
    else:
        return "CSV", source.removeprefix("\ufeff")
    try:
        return name, raw.decode("utf-8-sig")  # tolerates a byte-order mark
    except UnicodeDecodeError as exc:
        raise InvalidInput.single(
            "file", f"{name} is not UTF-8 text (byte {exc.start}); save it as UTF-8 CSV"
        ) from None


def _parse_rows(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (row number, fields) of every non-blank record; CRLF, LF or CR endings.

    Row numbers are lines of the file, the header being row 1, as in a spreadsheet.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    records: list[tuple[int, list[str]]] = []
    try:
        for fields in reader:
            if not any(f.strip() for f in fields):
                continue
            if header is None:
                header = [f.strip() for f in fields]
            else:
                records.append((reader.line_num, fields))
    except csv.Error as exc:
        raise InvalidInput.single(f"row {reader.line_num}", f"is not valid CSV ({exc})") from None
    if header is None:
        raise InvalidInput.single("file", "is empty: it has no header row")
    return header, records


def _is_missing(cell: str) -> bool:
    return cell.strip().lower() in MISSING_TOKENS


def _number(cell: str) -> float | None:
    """The cell as a finite float, NaN when missing, None when it is not a number."""
    if _is_missing(cell):
        return math.nan
    try:
        value = float(cell.strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _number_problem(row: int, col: str, cell: str) -> FieldProblem:
    hint = " (use a decimal point)" if "," in cell else ""
    return FieldProblem(f"row {row}, column {col}", f"{cell.strip()!r} is not a number{hint}")


def load_trial_csv(
    source: Path | str | bytes,
    *,
    outcome: str,
    baseline: str,
    arm: str,
    covariates: Sequence[str] = (),
    missing_if_empty: Mapping[str, str] | None = None,
    id_column: str | None = "id",
) -> TrialData:
    """Read and validate a one-row-per-patient trial CSV; refuse it whole, naming every problem.

    ``source`` is a file (Path), its bytes, or the CSV text itself (str). UTF-8 with or without
    a byte-order mark, any line ending. Empty cells (or NA, N/A, NaN) are missing.

    ``missing_if_empty`` maps a column to another whose empty cell makes it missing too: in the
    Vickers file ``{"f5": "pk5"}``, because an empty 12-month score means no diary came back
    and the 0 in ``f5`` is not "no headache days" but no data. Nothing happens by default; every
    value changed is counted in ``notes``.

    Refused, all problems together: an unknown column (with the columns there are), a cell
    that is not a number (row and column named), an empty arm, an arm without exactly two
    levels, an empty or repeated id, rows with the wrong number of fields, an empty file.
    """
    name, text = _read_text(source)
    header, records = _parse_rows(text)
    mapping = dict(missing_if_empty or {})
    covariates = tuple(covariates)
    problems: list[FieldProblem] = []

    seen: set[str] = set()
    for col in header:
        if col in seen:
            problems.append(FieldProblem("header", f"column {col!r} appears more than once"))
        seen.add(col)
    roles: list[tuple[str, str]] = [("outcome", outcome), ("baseline", baseline), ("arm", arm)]
    roles += [("covariates", c) for c in covariates]
    if id_column is not None:
        roles.append(("id_column", id_column))
    used = [c for _, c in roles]
    for col in sorted({c for c in used if used.count(c) > 1}):
        which = ", ".join(role for role, c in roles if c == col)
        problems.append(
            FieldProblem("columns", f"{col!r} is named for more than one role ({which})")
        )
    roles += [("missing_if_empty", c) for pair in mapping.items() for c in pair]
    for target, indicator in mapping.items():
        if target == indicator:
            problems.append(FieldProblem("missing_if_empty", f"{target!r} is mapped to itself"))
    have = ", ".join(header)
    unknown = {c for _, c in roles if c not in seen}
    for role, col in roles:
        if col in unknown:
            problems.append(
                FieldProblem(role, f"column {col!r} is not in the file; it has: {have}")
            )
            unknown.discard(col)
    if not records:
        problems.append(FieldProblem("file", "has a header but no data rows"))

    index = {c: header.index(c) for c in seen}
    numeric = [c for c in dict.fromkeys([outcome, baseline, *covariates, *mapping]) if c in index]
    columns: dict[str, list[float]] = {c: [] for c in numeric}
    arms: list[str] = []
    ids: list[str] = []
    empties: dict[str, list[bool]] = {ind: [] for ind in set(mapping.values()) if ind in index}
    first_row_of: dict[str, int] = {}
    for row, fields in records:
        if len(fields) != len(header):
            problems.append(
                FieldProblem(
                    f"row {row}", f"has {len(fields)} fields, the header has {len(header)}"
                )
            )
            continue
        for col in numeric:
            value = _number(fields[index[col]])
            if value is None:
                problems.append(_number_problem(row, col, fields[index[col]]))
                value = math.nan
            columns[col].append(value)
        for ind in empties:
            empties[ind].append(_is_missing(fields[index[ind]]))
        if arm in index:
            arms.append(fields[index[arm]].strip())
            if _is_missing(fields[index[arm]]):
                problems.append(
                    FieldProblem(f"row {row}, column {arm}", "is empty; every patient needs an arm")
                )
        if id_column is not None and id_column in index:
            key = fields[index[id_column]].strip()
            ids.append(key)
            if not key:
                problems.append(FieldProblem(f"row {row}, column {id_column}", "is empty"))
            elif key in first_row_of:
                problems.append(
                    FieldProblem(
                        f"row {row}, column {id_column}",
                        f"{key!r} repeats row {first_row_of[key]}; one row per patient",
                    )
                )
            else:
                first_row_of[key] = row
    levels = _sorted_levels(sorted({a for a in arms if not _is_missing(a)}))
    if arm in index and records and len(levels) != 2:
        shown = ", ".join(levels[:10]) + (", …" if len(levels) > 10 else "")
        problems.append(
            FieldProblem(
                "arm",
                f"column {arm!r} has {len(levels)} levels ({shown}); a two-arm analysis needs "
                "exactly two",
            )
        )
    if problems:
        raise InvalidInput(_capped(problems), where=name)

    frame = pd.DataFrame({c: np.asarray(v, dtype=np.float64) for c, v in columns.items()})
    frame.insert(0, arm, pd.Series(arms, dtype="str"))
    if id_column is not None:
        frame.insert(0, id_column, pd.Series(ids, dtype="str"))
    notes = {
        target: _blank_out(frame, target, indicator, np.asarray(empties[indicator], dtype=bool))
        for target, indicator in mapping.items()
    }
    return TrialData(
        frame=frame,
        source=name,
        outcome=outcome,
        baseline=baseline,
        arm=arm,
        covariates=covariates,
        id_column=id_column,
        notes={k: v for k, v in notes.items() if v},
    )


def _blank_out(frame: pd.DataFrame, target: str, indicator: str, empty: NDArray[np.bool_]) -> str:
    """Make ``target`` missing where ``indicator`` is empty; say how many values that changed."""
    values = frame[target].to_numpy(copy=True)
    changed = empty & ~np.isnan(values)
    zeros = int((changed & (values == 0)).sum())
    nonzero = int(changed.sum()) - zeros
    values[empty] = np.nan
    frame[target] = values
    if not changed.any():
        return ""
    note = (
        f"{target}: {int(changed.sum())} values set to missing where {indicator} is empty "
        f"({zeros} were 0"
    )
    if nonzero:
        return note + f", {nonzero} held another value: check that the mapping is right)"
    return note + ": no diary, not zero)"


def _capped(problems: list[FieldProblem]) -> list[FieldProblem]:
    if len(problems) <= MAX_REPORTED_PROBLEMS:
        return problems
    more = len(problems) - MAX_REPORTED_PROBLEMS
    return [
        *problems[:MAX_REPORTED_PROBLEMS],
        FieldProblem("file", f"and {more} more problems; fix these first"),
    ]

"""A continuous outcome in two arms: the ANCOVA (primary) and the Welch difference (secondary).

Primary analysis — analysis of covariance, as the trialists do it (Vickers 2004's primary
analysis, ``datasets/vickers2004/README.md``):

    outcome_i = β₀ + β_arm·treated_i + β_b·baseline_i + Σ_k γ_k·covariate_ik + ε_i

fitted by ordinary least squares (statsmodels formula API) on the complete cases. β_arm is the
*adjusted difference*, always **treatment minus reference**: with a score where higher is worse
a negative value favours the treatment. Its interval and p-value are the model's t-based ones.
The unadjusted difference of means with a Welch interval is reported beside it as a secondary.

Owns ``analyse_two_arms``, its result ``TwoArmAnalysis`` (per-arm ``ArmSummary``, summary,
missing report, effects) and its caveats: what is missing per arm and small arms.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from acurelief.analysis.estimate import Estimate, JsonValue, _finite
from acurelief.analysis.trial_arms import _arm_labels, _check_alpha, _check_frame, _split
from acurelief.errors import InsufficientData, InvalidInput

FEW_PER_ARM = 20


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

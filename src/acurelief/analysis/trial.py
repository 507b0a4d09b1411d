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

This module gathers the public names; the code lives in one module per concept:
``trial_data`` (reading and validating the CSV), ``ancova`` (the continuous outcome),
``binary`` (binary outcomes and responders), ``estimate`` (an effect with its interval) and
``trial_arms`` (the two arms and the input checks).
"""

from __future__ import annotations

from acurelief.analysis.ancova import (
    FEW_PER_ARM,
    ArmSummary,
    TwoArmAnalysis,
    analyse_two_arms,
)
from acurelief.analysis.binary import (
    RESPONDER_REDUCTION,
    ArmRisk,
    BinaryOutcome,
    NumberNeeded,
    binary_outcome,
    number_needed,
    responder_analysis,
    responder_status,
)
from acurelief.analysis.estimate import Estimate, JsonValue
from acurelief.analysis.trial_data import (
    MAX_REPORTED_PROBLEMS,
    MISSING_TOKENS,
    TrialData,
    load_trial_csv,
)

__all__ = [
    "FEW_PER_ARM",
    "MAX_REPORTED_PROBLEMS",
    "MISSING_TOKENS",
    "RESPONDER_REDUCTION",
    "ArmRisk",
    "ArmSummary",
    "BinaryOutcome",
    "Estimate",
    "JsonValue",
    "NumberNeeded",
    "TrialData",
    "TwoArmAnalysis",
    "analyse_two_arms",
    "binary_outcome",
    "load_trial_csv",
    "number_needed",
    "responder_analysis",
    "responder_status",
]

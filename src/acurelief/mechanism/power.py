"""Monte Carlo power of a two-arm virtual trial, and the sample size that reaches a target.

Each replicate runs the whole virtual trial (screening, baseline, course, diaries with
missing days) and analyses it as a trialist would: Fisher's exact test on the ≥50%
responders, or Welch's t-test on the change in migraine days per 28. Power is the share of
replicates with p < α, reported with its 95% Wilson interval so that the Monte Carlo error
is visible; raise ``replicates`` to narrow it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from acurelief.errors import InvalidInput, Problems
from acurelief.mechanism.cohort import Model
from acurelief.mechanism.trial import ArmResult, TrialDesign, run_trial
from acurelief.mechanism.trial_endpoint import Endpoint

MAX_N_PER_ARM = 100_000


@dataclass(frozen=True, slots=True)
class PowerEstimate:
    n_per_arm: int
    replicates: int
    rejections: int
    alpha: float
    endpoint: Endpoint
    low: float
    high: float

    @property
    def power(self) -> float:
        return self.rejections / self.replicates


def p_value(first: ArmResult, second: ArmResult, endpoint: Endpoint) -> float:
    """Two-sided p-value comparing two arms on ``endpoint`` (analysed patients only)."""
    from scipy.stats import fisher_exact, ttest_ind  # deferred: slow to import

    if endpoint is Endpoint.RESPONDERS:
        table = np.array(
            [[a.responders.sum(), a.analysed.sum() - a.responders.sum()] for a in (first, second)]
        )
        return float(fisher_exact(table).pvalue)
    changes = [(a.outcome - a.baseline)[a.analysed] for a in (first, second)]
    return float(ttest_ind(changes[0], changes[1], equal_var=False).pvalue)


def _check(design: TrialDesign, replicates: int, alpha: float) -> None:
    problems = Problems()
    if len(design.arms) != 2:
        problems.add("arms", "power is for two-arm trials")
    if replicates < 10:
        problems.add("replicates", f"must be at least 10, got {replicates}")
    if not 0 < alpha < 1:
        problems.add("alpha", f"must be between 0 and 1, got {alpha}")
    problems.raise_if_any()


def estimate_power(
    design: TrialDesign,
    *,
    replicates: int,
    rng: np.random.Generator,
    alpha: float = 0.05,
    endpoint: Endpoint = Endpoint.RESPONDERS,
    model: Model | None = None,
    progress: Callable[[], None] | None = None,
) -> PowerEstimate:
    """Power of ``design`` at its ``n_per_arm``, from ``replicates`` virtual trials."""
    _check(design, replicates, alpha)
    first, second = design.arms
    rejections = 0
    for stream in rng.spawn(replicates):
        result = run_trial(design, stream, model)
        rejections += p_value(result.arms[first], result.arms[second], endpoint) < alpha
        if progress is not None:
            progress()
    from scipy.stats import binomtest

    ci = binomtest(rejections, replicates).proportion_ci(method="wilson")
    return PowerEstimate(
        design.n_per_arm, replicates, rejections, alpha, endpoint, float(ci.low), float(ci.high)
    )


def sample_size(
    design: TrialDesign,
    *,
    target: float = 0.8,
    replicates: int,
    rng: np.random.Generator,
    alpha: float = 0.05,
    endpoint: Endpoint = Endpoint.RESPONDERS,
    model: Model | None = None,
    progress: Callable[[PowerEstimate], None] | None = None,
) -> PowerEstimate:
    """The smallest n per arm whose estimated power reaches ``target`` (doubling, then halving
    the bracket). Each step uses fresh random numbers; near the answer the Monte Carlo error
    of each estimate (its interval) matters, so read the result with it."""
    if not 0 < target < 1:
        raise InvalidInput.single("target", f"must be between 0 and 1, got {target}")

    def power_at(n: int) -> PowerEstimate:
        est = estimate_power(
            dataclasses.replace(design, n_per_arm=n),
            replicates=replicates,
            rng=rng,
            alpha=alpha,
            endpoint=endpoint,
            model=model,
        )
        if progress is not None:
            progress(est)
        return est

    low, high = 0, max(design.n_per_arm, 10)
    best = power_at(high)
    while best.power < target:
        low, high = high, high * 2
        if high > MAX_N_PER_ARM:
            raise InvalidInput.single("target", f"not reached with {MAX_N_PER_ARM} per arm")
        best = power_at(high)
    while high - low > max(2, high // 50):
        middle = (low + high) // 2
        estimate = power_at(middle)
        if estimate.power >= target:
            high, best = middle, estimate
        else:
            low = middle
    return best

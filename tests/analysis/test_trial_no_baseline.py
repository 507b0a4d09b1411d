"""Two-arm trials without a baseline: a yes/no outcome and a difference of means (Welch).

Expected values come from independent computations written beside them: the odds ratio and
its Woolf interval from statsmodels' ``Table2x2``, Welch's difference from the
Welch–Satterthwaite formula by hand and scipy. Known truth: with no difference between the
arms the tests reject no more often than their error rate allows.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.contingency_tables import Table2x2

from acurelief.analysis.binary import binary_outcome
from acurelief.analysis.trial import load_trial_csv
from acurelief.analysis.trial_means import compare_means
from acurelief.analysis.trial_outcome import OutcomeType
from acurelief.errors import InvalidInput

TOL = 1e-6
SIMULATIONS = 300
# With no effect, rejections at α = 0.05 must stay under the binomial 99.9% upper bound.
MAX_REJECTIONS = int(stats.binom.ppf(0.999, SIMULATIONS, 0.05))


def _events(k_t: int, n_t: int, k_r: int, n_r: int) -> tuple[list[int], list[str]]:
    events = [1] * k_t + [0] * (n_t - k_t) + [1] * k_r + [0] * (n_r - k_r)
    return events, ["b"] * n_t + ["a"] * n_r


@pytest.mark.parametrize(("k_t", "n_t", "k_r", "n_r"), [(18, 60, 9, 60), (7, 31, 12, 29)])
def test_the_odds_ratio_matches_statsmodels_table2x2(
    k_t: int, n_t: int, k_r: int, n_r: int
) -> None:
    result = binary_outcome(*_events(k_t, n_t, k_r, n_r))
    # statsmodels.stats.contingency_tables.Table2x2 — Woolf (logit) interval
    table = Table2x2(np.array([[k_t, n_t - k_t], [k_r, n_r - k_r]]))
    low, high = table.oddsratio_confint(alpha=0.05)
    assert result.odds_ratio.estimate == pytest.approx(table.oddsratio, abs=TOL)
    assert result.odds_ratio.low == pytest.approx(low, abs=TOL)
    assert result.odds_ratio.high == pytest.approx(high, abs=TOL)


def test_an_empty_cell_adds_a_half_to_every_cell_and_says_so() -> None:
    result = binary_outcome(*_events(10, 40, 0, 40))
    # by hand: (10.5 · 40.5) / (30.5 · 0.5), se = √Σ 1/(cell + ½)
    odds = (10.5 * 40.5) / (30.5 * 0.5)
    se = math.sqrt(1 / 10.5 + 1 / 30.5 + 1 / 0.5 + 1 / 40.5)
    z = stats.norm.ppf(0.975)
    assert result.odds_ratio.estimate == pytest.approx(odds, rel=TOL)
    assert result.odds_ratio.low == pytest.approx(odds * math.exp(-z * se), rel=TOL)
    assert result.odds_ratio.high == pytest.approx(odds * math.exp(z * se), rel=TOL)
    assert any("odds ratio" in c and "0.5" in c for c in result.caveats)


def test_no_events_at_all_leave_the_odds_ratio_undefined() -> None:
    result = binary_outcome(*_events(0, 20, 0, 20))
    assert math.isnan(result.odds_ratio.estimate)
    assert result.odds_ratio.as_dict()["estimate"] is None


def test_the_welch_difference_matches_the_welch_satterthwaite_formula() -> None:
    rng = np.random.default_rng(20260509)
    y_t, y_r = rng.normal(4.0, 2.0, 37), rng.normal(5.0, 3.0, 52)
    frame = pd.DataFrame({"arm": ["t"] * 37 + ["r"] * 52, "y": np.concatenate([y_t, y_r])})
    result = compare_means(frame, outcome="y", arm="arm", treatment="t")
    v_t, v_r = y_t.var(ddof=1) / 37, y_r.var(ddof=1) / 52
    se = math.sqrt(v_t + v_r)
    df = (v_t + v_r) ** 2 / (v_t**2 / 36 + v_r**2 / 51)
    diff = y_t.mean() - y_r.mean()
    half = stats.t.ppf(0.975, df) * se
    assert result.difference.estimate == pytest.approx(diff, abs=TOL)
    assert result.difference.low == pytest.approx(diff - half, abs=TOL)
    assert result.difference.high == pytest.approx(diff + half, abs=TOL)
    # scipy.stats.ttest_ind(equal_var=False) — the same test another way
    p = stats.ttest_ind(y_t, y_r, equal_var=False).pvalue
    assert result.difference.p_value == pytest.approx(p, abs=TOL)
    assert (result.treatment.n, result.reference.n) == (37, 52)


def test_missing_outcomes_are_excluded_and_counted() -> None:
    frame = pd.DataFrame({"arm": ["t", "t", "t", "r", "r", "r"], "y": [1, 2, np.nan, 3, 4, 6.0]})
    result = compare_means(frame, outcome="y", arm="arm", treatment="t")
    assert (result.treatment.randomised, result.treatment.n) == (3, 2)
    assert any("1 of 6 patients without the outcome" in c for c in result.caveats)


def test_with_no_difference_welch_and_fisher_reject_at_most_at_their_error_rate() -> None:
    rng = np.random.default_rng(7)
    welch = fisher = covered = 0
    for _ in range(SIMULATIONS):
        arm = np.repeat(["t", "r"], 40)
        frame = pd.DataFrame({"arm": arm, "y": rng.gamma(2.0, 3.0, 80)})
        welch += compare_means(frame, outcome="y", arm="arm").difference.p_value < 0.05  # type: ignore[operator]
        result = binary_outcome(rng.random(80) < 0.3, arm)
        fisher += result.fisher_p < 0.05
        covered += result.risk_difference.low <= 0 <= result.risk_difference.high
    assert welch <= MAX_REJECTIONS
    assert fisher <= MAX_REJECTIONS
    assert SIMULATIONS - covered <= MAX_REJECTIONS


def test_a_known_difference_is_covered_by_the_newcombe_interval() -> None:
    rng = np.random.default_rng(11)
    covered = sum(
        (
            r := binary_outcome(
                rng.random(120) < np.repeat([0.45, 0.25], 60),
                np.repeat(["t", "r"], 60),
                treatment="t",
            )
        ).risk_difference.low
        <= 0.20
        <= r.risk_difference.high
        for _ in range(SIMULATIONS)
    )
    assert SIMULATIONS - covered <= MAX_REJECTIONS


YES_NO = "id,group,pain_free\n1,a,yes\n2,a,no\n3,b,YES\n4,b,n\n5,a,\n6,b,true\n"


def test_yes_no_words_are_found_to_be_a_binary_outcome() -> None:
    data = load_trial_csv(YES_NO, outcome="pain_free", baseline=None, arm="group")
    assert data.outcome_type is OutcomeType.BINARY
    assert data.frame["pain_free"].tolist()[:4] == [1.0, 0.0, 1.0, 0.0]
    assert math.isnan(data.frame["pain_free"].iloc[4])
    result = data.compare_events()
    assert (result.treatment.events, result.treatment.n) == (2, 3)
    assert (result.reference.events, result.reference.excluded) == (1, 1)


def test_zero_one_is_binary_without_a_baseline_and_a_number_with_one() -> None:
    text = "id,group,y,base\n1,a,0,2\n2,a,1,3\n3,b,1,4\n4,b,0,5\n5,a,1,1\n6,b,1,2\n"
    assert load_trial_csv(text, outcome="y", baseline=None, arm="group").outcome_type is (
        OutcomeType.BINARY
    )
    assert load_trial_csv(text, outcome="y", baseline="base", arm="group").outcome_type is (
        OutcomeType.CONTINUOUS
    )
    stated = load_trial_csv(
        text, outcome="y", baseline=None, arm="group", outcome_type="continuous"
    )
    assert stated.outcome_type is OutcomeType.CONTINUOUS


def test_a_column_mixing_yes_no_and_numbers_is_refused_naming_rows() -> None:
    text = YES_NO.replace("2,a,no", "2,a,3")
    with pytest.raises(InvalidInput) as caught:
        load_trial_csv(text, outcome="pain_free", baseline=None, arm="group")
    problem = caught.value.problems[0]
    assert problem.field == "pain_free"
    assert "row 2 'yes'" in problem.message


def test_a_bad_cell_of_a_stated_binary_outcome_is_named() -> None:
    text = YES_NO.replace("4,b,n", "4,b,maybe")
    with pytest.raises(InvalidInput) as caught:
        load_trial_csv(text, outcome="pain_free", baseline=None, arm="group", outcome_type="binary")
    assert caught.value.problems[0].field == "row 5, column pain_free"
    assert "'maybe' is not yes/no" in caught.value.problems[0].message


def test_a_baseline_with_a_binary_outcome_or_covariates_without_baseline_are_refused() -> None:
    with pytest.raises(InvalidInput, match="baseline: 'pain_free' is yes/no"):
        load_trial_csv(
            "id,group,pain_free,b\n1,a,1,2\n2,b,0,3\n",
            outcome="pain_free",
            baseline="b",
            arm="group",
            outcome_type="binary",
        )
    with pytest.raises(InvalidInput, match="covariates: adjustment needs a baseline"):
        load_trial_csv(YES_NO, outcome="pain_free", baseline=None, arm="group", covariates=["id"])
    with pytest.raises(InvalidInput, match="outcome_type: 'ordinal' is not one of"):
        load_trial_csv(
            YES_NO, outcome="pain_free", baseline=None, arm="group", outcome_type="ordinal"
        )


def test_analyses_that_need_a_baseline_say_so() -> None:
    text = "id,group,y\n1,a,2.5\n2,a,3\n3,b,4\n4,b,5.5\n"
    data = load_trial_csv(text, outcome="y", baseline=None, arm="group")
    with pytest.raises(InvalidInput, match="baseline: the ANCOVA needs a baseline column"):
        data.analyse()
    with pytest.raises(InvalidInput, match="outcome: 'y' holds numbers, not yes/no"):
        data.compare_events()
    assert data.compare_means().difference.estimate == pytest.approx(4.75 - 2.75)


def test_a_stray_word_in_a_yes_no_column_is_named_as_not_yes_no() -> None:
    text = "id,group,pain_free\n1,a,yes\n2,a,maybe\n3,b,no\n4,b,yes\n"
    with pytest.raises(InvalidInput) as raised:
        load_trial_csv(text, outcome="pain_free", baseline=None, arm="group")
    message = str(raised.value)
    assert "'maybe' is not yes/no" in message
    assert "'yes' is not a number" not in message  # the good cells are not blamed

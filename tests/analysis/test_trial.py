"""Two-arm trial analysis: independent computations, known truth, the Vickers 2004 data, bad input.

Each expected value is computed here another way, with the call that produced it beside it:
the ANCOVA by numpy least squares and its standard error by hand, Welch by the
Welch–Satterthwaite formula, Wilson by scipy's binomtest, Newcombe by its formula from the
Wilson limits and by Newcombe's own worked example, Fisher by summing hypergeometric terms.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from acurelief.analysis.trial import (
    TrialData,
    analyse_two_arms,
    binary_outcome,
    load_trial_csv,
    number_needed,
    responder_analysis,
    responder_status,
)
from acurelief.errors import InsufficientData, InvalidInput

SHARED = Path(__file__).resolve().parents[3] / "shared"
VICKERS = SHARED / "datasets" / "vickers2004" / "acupuncture_headache_trial.csv"
ALLOCATION = ("age", "sex", "migraine", "chronicity")  # the variables used in allocation
TOL = 1e-6


def simulated_trial(
    rng: np.random.Generator, n_per_arm: int = 80, effect: float = -3.0
) -> pd.DataFrame:
    """Two arms; outcome = 5 + effect·treated + 0.6·baseline + 0.1·age + 2·sex + noise."""
    n = 2 * n_per_arm
    treated = np.repeat([1, 0], n_per_arm)
    baseline = rng.gamma(4.0, 6.0, n)
    age = rng.normal(45, 11, n)
    sex = rng.integers(0, 2, n)
    outcome = 5 + effect * treated + 0.6 * baseline + 0.1 * age + 2 * sex + rng.normal(0, 6, n)
    return pd.DataFrame({"group": treated, "pk1": baseline, "age": age, "sex": sex, "pk5": outcome})


def vickers() -> Path:
    assert VICKERS.is_file(), (
        f"the Vickers 2004 dataset is expected at {VICKERS} (the shared datasets folder "
        "beside the repository)"
    )
    return VICKERS


def load_vickers(outcome: str = "pk5", baseline: str = "pk1", **kwargs: object) -> TrialData:
    return load_trial_csv(
        vickers(),
        outcome=outcome,
        baseline=baseline,
        arm="group",
        covariates=ALLOCATION,
        **kwargs,  # type: ignore[arg-type]
    )


# --- independent computations -----------------------------------------------------------------


def test_ancova_matches_least_squares_and_a_hand_made_standard_error() -> None:
    frame = simulated_trial(np.random.default_rng(20040315))
    frame.loc[[3, 17, 95, 130], "pk5"] = np.nan  # a few outcomes missing …
    frame.loc[[40, 150], "age"] = np.nan  # … and covariates
    result = analyse_two_arms(
        frame, outcome="pk5", baseline="pk1", arm="group", covariates=["age", "sex"]
    )

    ok = frame.dropna()
    x = np.column_stack([np.ones(len(ok)), ok["group"], ok["pk1"], ok["age"], ok["sex"]])
    y = ok["pk5"].to_numpy()
    beta, *_ = np.linalg.lstsq(x, y, rcond=None)  # independent fit
    df = len(y) - x.shape[1]
    sigma2 = float(np.sum((y - x @ beta) ** 2)) / df
    se = math.sqrt(sigma2 * np.linalg.inv(x.T @ x)[1, 1])
    q = float(stats.t.ppf(0.975, df))
    p = 2 * float(stats.t.sf(abs(beta[1]) / se, df))

    assert result.n_model == len(ok) == 154
    assert result.adjusted.estimate == pytest.approx(beta[1], abs=TOL)
    assert result.adjusted.low == pytest.approx(beta[1] - q * se, abs=TOL)
    assert result.adjusted.high == pytest.approx(beta[1] + q * se, abs=TOL)
    assert result.adjusted.p_value == pytest.approx(p, rel=TOL)
    t_rows = ok[ok["group"] == 1]
    assert result.treatment.level == "1"
    assert result.treatment.n == len(t_rows)
    assert result.treatment.randomised == 80
    assert result.treatment.outcome_mean == pytest.approx(t_rows["pk5"].mean(), abs=TOL)
    assert result.treatment.outcome_sd == pytest.approx(np.std(t_rows["pk5"], ddof=1), abs=TOL)
    assert result.treatment.baseline_sd == pytest.approx(np.std(t_rows["pk1"], ddof=1), abs=TOL)
    missing = {row["arm"]: row for row in result.missing_report()}
    assert sum(int(r["outcome_missing"]) for r in missing.values()) == 4
    assert sum(int(r["covariates_missing"]) for r in missing.values()) == 2
    assert any("4 of 160 patients without the outcome" in c for c in result.caveats)
    assert any("2 (" in c and "miss the baseline (pk1) or a covariate" in c for c in result.caveats)


def test_unadjusted_difference_matches_welch_satterthwaite_by_hand() -> None:
    frame = simulated_trial(np.random.default_rng(7), n_per_arm=30)
    frame.loc[frame["group"] == 1, "pk5"] *= 1.8  # unequal variances
    result = analyse_two_arms(frame, outcome="pk5", baseline="pk1", arm="group")
    a = frame.loc[frame["group"] == 1, "pk5"].to_numpy()
    b = frame.loc[frame["group"] == 0, "pk5"].to_numpy()
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    diff, se = a.mean() - b.mean(), math.sqrt(va + vb)
    q = float(stats.t.ppf(0.975, df))
    assert result.unadjusted.estimate == pytest.approx(diff, abs=TOL)
    assert result.unadjusted.low == pytest.approx(diff - q * se, abs=TOL)
    assert result.unadjusted.high == pytest.approx(diff + q * se, abs=TOL)
    assert result.unadjusted.p_value == pytest.approx(
        2 * float(stats.t.sf(abs(diff) / se, df)), rel=TOL
    )


def test_alpha_sets_the_interval_level() -> None:
    frame = simulated_trial(np.random.default_rng(8))
    wide = analyse_two_arms(frame, outcome="pk5", baseline="pk1", arm="group", alpha=0.01)
    narrow = analyse_two_arms(frame, outcome="pk5", baseline="pk1", arm="group", alpha=0.2)
    assert wide.adjusted.estimate == pytest.approx(narrow.adjusted.estimate)
    assert wide.adjusted.low < narrow.adjusted.low < narrow.adjusted.high < wide.adjusted.high


def events_and_arms(k1: int, n1: int, k2: int, n2: int) -> tuple[list[int], list[str]]:
    events = [1] * k1 + [0] * (n1 - k1) + [1] * k2 + [0] * (n2 - k2)
    return events, ["b"] * n1 + ["a"] * n2


def wilson(k: int, n: int, z: float) -> tuple[float, float]:
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def test_binary_outcome_matches_wilson_newcombe_log_rr_and_fisher_by_hand() -> None:
    k1, n1, k2, n2 = 56, 70, 48, 80  # Newcombe (Stat Med 1998;17:873) worked example
    result = binary_outcome(*events_and_arms(k1, n1, k2, n2), event="response")
    t, r = result.treatment, result.reference
    assert (t.level, t.events, t.n, r.level, r.events, r.n) == ("b", 56, 70, "a", 48, 80)

    z = float(stats.norm.ppf(0.975))
    for arm, (k, n) in ((t, (k1, n1)), (r, (k2, n2))):
        ci = stats.binomtest(k, n).proportion_ci(method="wilson")  # scipy, independent
        assert (arm.low, arm.high) == pytest.approx((ci.low, ci.high), abs=TOL)
        assert (arm.low, arm.high) == pytest.approx(wilson(k, n, z), abs=TOL)

    (l1, u1), (l2, u2) = wilson(k1, n1, z), wilson(k2, n2, z)
    p1, p2 = k1 / n1, k2 / n2
    rd = result.risk_difference
    assert rd.estimate == pytest.approx(p1 - p2, abs=TOL)
    assert rd.low == pytest.approx(p1 - p2 - math.hypot(p1 - l1, u2 - p2), abs=TOL)
    assert rd.high == pytest.approx(p1 - p2 + math.hypot(u1 - p1, p2 - l2), abs=TOL)
    assert (rd.low, rd.high) == pytest.approx((0.0524, 0.3339), abs=5e-5)  # Newcombe's table
    assert "Newcombe" in rd.method

    se_log = math.sqrt(1 / k1 - 1 / n1 + 1 / k2 - 1 / n2)
    rr = result.risk_ratio
    assert rr.estimate == pytest.approx(p1 / p2, abs=TOL)
    assert rr.low == pytest.approx(p1 / p2 * math.exp(-z * se_log), abs=TOL)
    assert rr.high == pytest.approx(p1 / p2 * math.exp(z * se_log), abs=TOL)

    hyper = stats.hypergeom(n1 + n2, k1 + k2, n1)  # Fisher: sum the tables as or less likely
    observed = hyper.pmf(k1)
    support = range(max(0, k1 + k2 - n2), min(n1, k1 + k2) + 1)
    p_fisher = sum(hyper.pmf(x) for x in support if hyper.pmf(x) <= observed * (1 + 1e-7))
    assert result.fisher_p == pytest.approx(p_fisher, rel=TOL)

    assert result.nnt.kind == "NNT (benefit)"
    assert result.nnt.estimate == pytest.approx(1 / (p1 - p2), abs=TOL)
    assert (result.nnt.low, result.nnt.high) == pytest.approx((1 / rd.high, 1 / rd.low), abs=TOL)
    assert not result.nnt.crosses_infinity


def test_binary_outcome_counts_missing_values_and_says_so() -> None:
    events: list[float] = [1, 0, float("nan"), 1, 0, 0, float("nan"), float("nan")]
    arms = [1, 1, 1, 1, 0, 0, 0, 0]
    result = binary_outcome(events, arms, arm_name="group")
    assert (result.treatment.events, result.treatment.n, result.treatment.excluded) == (2, 3, 1)
    assert (result.reference.events, result.reference.n, result.reference.excluded) == (0, 2, 2)
    assert "complete-case analysis: 3 patients are excluded" in result.caveats[0]
    assert any("0.5 added" in c or "adds 0.5" in c for c in result.caveats)  # zero events
    assert "0.5" in result.risk_ratio.method


def test_binary_outcome_refuses_values_that_are_not_yes_or_no() -> None:
    with pytest.raises(InvalidInput, match="not yes/no"):
        binary_outcome([0, 1, 2, 1], [0, 0, 1, 1])


@pytest.mark.parametrize(
    ("rd", "low", "high", "good", "kind", "expected", "crosses"),
    [
        (0.2, 0.1, 0.25, True, "NNT (benefit)", (4.0, 10.0), False),
        (-0.2, -0.25, -0.1, True, "NNH", (4.0, 10.0), False),
        (0.1, -0.05, 0.25, True, "NNT (benefit)", (4.0, 20.0), True),  # NNTB 4 … ∞ … NNH 20
        (0.1, -0.05, 0.25, False, "NNH", (20.0, 4.0), True),  # the same RD, a harmful event
        (0.0, -0.1, 0.2, True, "no difference", (5.0, 10.0), True),
    ],
)
def test_nnt_inverts_the_interval_through_infinity_when_it_crosses_zero(
    rd: float,
    low: float,
    high: float,
    good: bool,
    kind: str,
    expected: tuple[float, float],
    crosses: bool,
) -> None:
    nnt = number_needed(rd, low, high, event_is_good=good)
    assert nnt.kind == kind
    assert nnt.estimate == (math.inf if rd == 0 else pytest.approx(1 / abs(rd)))
    assert (nnt.low, nnt.high) == pytest.approx(expected)
    assert nnt.crosses_infinity is crosses
    assert ("∞" in nnt.text) is crosses
    if crosses:
        assert f"NNT (benefit) {expected[0]:.1f} to ∞ to NNH {expected[1]:.1f}" in nnt.text


# --- responders -------------------------------------------------------------------------------


def test_responders_need_half_the_baseline_or_less_and_a_baseline_above_zero() -> None:
    baseline = [10, 10, 10, 0, 8, float("nan"), 4]
    outcome = [5, 5.01, 0, 0, float("nan"), 2, 6]
    status = responder_status(outcome, baseline)
    assert status.tolist() == [True, False, True, pd.NA, pd.NA, pd.NA, False]
    with pytest.raises(InvalidInput, match="reduction"):
        responder_status(outcome, baseline, reduction=1.5)


def test_responder_analysis_counts_baseline_zero_as_not_evaluable() -> None:
    frame = pd.DataFrame(
        {
            "group": [1, 1, 1, 1, 0, 0, 0, 0],
            "f1": [10, 0, 12, 8, 10, 0, 0, 9],
            "f5": [4, 0, 6, 8, 9, 3, 1, 9],
        }
    )
    result = responder_analysis(frame, outcome="f5", baseline="f1", arm="group")
    assert (result.treatment.events, result.treatment.n) == (2, 3)
    assert (result.reference.events, result.reference.n) == (0, 2)
    zero = next(c for c in result.caveats if "not evaluable" in c)
    assert zero.startswith("3 (1: 1, 0: 2) patients with baseline f1 0")
    assert "clinical-facts §1.4" in zero


# --- known truth ------------------------------------------------------------------------------


def test_adjusted_interval_covers_the_true_effect_in_about_95_percent_of_trials() -> None:
    rng = np.random.default_rng(1_000_003)
    true_effect, replicates = -3.0, 400
    covered, estimates = 0, []
    for _ in range(replicates):
        frame = simulated_trial(rng, n_per_arm=50, effect=true_effect)
        fit = analyse_two_arms(
            frame, outcome="pk5", baseline="pk1", arm="group", covariates=["age", "sex"]
        )
        covered += fit.adjusted.low <= true_effect <= fit.adjusted.high
        estimates.append(fit.adjusted.estimate)
    coverage = covered / replicates
    assert 0.92 <= coverage <= 0.98, f"coverage {coverage:.3f}"
    # unbiased: the mean of 400 estimates (SE ≈ 1.2/√400 = 0.06) lies near the truth
    assert float(np.mean(estimates)) == pytest.approx(true_effect, abs=0.25)


# --- the Vickers 2004 trial -------------------------------------------------------------------


def test_vickers_primary_analysis_reproduces_the_published_result() -> None:
    # Vickers et al. BMJ 2004 (clinical-facts §3.2): headache score at 12 months 16.2 vs 22.3;
    # adjusted difference 4.6 (2.2–7.0) in favour of acupuncture. Ours is acupuncture − usual
    # care, so the sign is reversed. Actual value: −4.64 (−7.08 to −2.20), p = 0.0002.
    data = load_vickers(missing_if_empty={"f5": "pk5", "f2": "pk2"})
    result = data.analyse()
    assert result.formula == "pk5 ~ group + pk1 + age + sex + migraine + chronicity"
    t, r = result.treatment, result.reference
    assert (t.level, t.randomised, t.n, t.outcome_missing) == ("1", 205, 161, 44)
    assert (r.level, r.randomised, r.n, r.outcome_missing) == ("0", 196, 140, 56)
    assert result.n_model == 301
    assert t.outcome_mean == pytest.approx(16.2, abs=0.05)
    assert r.outcome_mean == pytest.approx(22.3, abs=0.05)
    adj = result.adjusted
    assert -adj.estimate == pytest.approx(4.6, abs=1.0), f"adjusted difference {adj.estimate}"
    assert -adj.estimate == pytest.approx(4.64, abs=0.005)
    assert (-adj.high, -adj.low) == pytest.approx((2.2, 7.0), abs=0.1)
    assert adj.p_value is not None
    assert adj.p_value < 0.001
    assert t.change_pct == pytest.approx(-34, abs=0.5)  # "−34% from baseline"
    assert r.change_pct == pytest.approx(-16, abs=0.5)  # "−16%"
    assert "complete-case analysis: 100 of 401 patients" in result.caveats[0]


def test_vickers_headache_days_need_the_empty_diary_rule_and_match_22_fewer_days_a_year() -> None:
    # f5 counts headache days in a 4-week diary: 13 such periods make a year. Published:
    # 22 fewer headache days a year (8–38). Ours: 1.81 (0.64–2.98) per 4 weeks → 23.6 (8.4–38.8).
    data = load_vickers("f5", "f1", missing_if_empty={"f5": "pk5"})
    assert data.notes["f5"].startswith("f5: 100 values set to missing where pk5 is empty")
    right = data.analyse()
    assert (right.treatment.n, right.reference.n) == (161, 140)
    assert -13 * right.adjusted.estimate == pytest.approx(22, abs=3)
    assert (-13 * right.adjusted.high, -13 * right.adjusted.low) == pytest.approx((8, 38), abs=3)
    assert any(c.startswith("f5: 100 values set to missing") for c in right.caveats)

    # The trap: taking the 0 of an unreturned diary as "no headache days" keeps all 401
    # patients, makes both arms look far better than baseline, and — because more usual-care
    # patients (56) than acupuncture patients (44) sent no diary — hides most of the difference.
    trap = load_vickers("f5", "f1").analyse()
    assert trap.n_model == 401
    assert trap.treatment.change_pct < right.treatment.change_pct - 10
    assert trap.reference.change_pct < right.reference.change_pct - 20
    assert trap.adjusted.estimate - right.adjusted.estimate > 1.0
    assert right.adjusted.high < 0 < trap.adjusted.high  # significant, then not


def test_vickers_responders() -> None:
    result = load_vickers().responders()
    assert (result.treatment.events, result.treatment.n) == (62, 161)
    assert (result.reference.events, result.reference.n) == (27, 140)
    assert result.risk_ratio.estimate == pytest.approx((62 / 161) / (27 / 140))
    assert result.fisher_p == pytest.approx(
        float(stats.fisher_exact(np.array([[62, 99], [27, 113]])).pvalue), rel=TOL
    )
    assert result.nnt.kind == "NNT (benefit)"
    assert not result.nnt.crosses_infinity


@pytest.mark.parametrize(
    ("bom", "newline"), [(True, "\r\n"), (True, "\n"), (False, "\r\n"), (False, "\r")]
)
def test_bom_and_line_ending_variants_load_the_same(bom: bool, newline: str) -> None:
    text = vickers().read_text(encoding="utf-8")
    variant = ("\ufeff" if bom else "") + newline.join(text.splitlines()) + newline
    plain = load_vickers()
    other = load_trial_csv(
        variant.encode("utf-8"),
        outcome="pk5",
        baseline="pk1",
        arm="group",
        covariates=ALLOCATION,
    )
    pd.testing.assert_frame_equal(other.frame, plain.frame)
    assert other.analyse().adjusted == plain.analyse().adjusted


# --- bad input --------------------------------------------------------------------------------

GOOD = "id,group,pk1,pk5,age\n1,0,10,8,40\n2,0,12,9,50\n3,1,11,4,45\n4,1,9,5,38\n"


def load_text(text: str, **kwargs: object) -> TrialData:
    options: dict[str, object] = {"outcome": "pk5", "baseline": "pk1", "arm": "group"}
    options.update(kwargs)
    return load_trial_csv(text, **options)  # type: ignore[arg-type]


def problems_of(text: str, **kwargs: object) -> dict[str, str]:
    with pytest.raises(InvalidInput) as caught:
        load_text(text, **kwargs)
    return {p.field: p.message for p in caught.value.problems}


def test_good_text_loads_with_numbers_as_floats_and_arms_as_text() -> None:
    data = load_text(GOOD, covariates=["age"])
    assert list(data.frame.columns) == ["id", "group", "pk5", "pk1", "age"]
    assert data.frame["group"].tolist() == ["0", "0", "1", "1"]
    assert data.frame["pk5"].dtype == np.float64


def test_unknown_columns_are_refused_with_the_columns_that_exist() -> None:
    problems = problems_of(GOOD, outcome="pk9", covariates=["age", "weight"])
    assert problems["outcome"] == (
        "column 'pk9' is not in the file; it has: id, group, pk1, pk5, age"
    )
    assert "'weight' is not in the file" in problems["covariates"]


def test_a_non_numeric_cell_is_named_by_row_and_column() -> None:
    text = GOOD.replace("2,0,12,9,50", "2,0,12,nine,50").replace("4,1,9,5,38", '4,1,"9,5",5,38')
    problems = problems_of(text)
    assert problems["row 3, column pk5"] == "'nine' is not a number"
    assert problems["row 5, column pk1"] == "'9,5' is not a number (use a decimal point)"


def test_three_arm_levels_are_refused() -> None:
    problems = problems_of(GOOD + "5,2,10,3,41\n")
    assert problems["arm"] == (
        "column 'group' has 3 levels (0, 1, 2); a two-arm analysis needs exactly two"
    )


def test_repeated_and_empty_ids_are_refused() -> None:
    problems = problems_of(GOOD + "3,1,10,3,41\n,0,10,3,41\n")
    assert problems["row 6, column id"] == "'3' repeats row 4; one row per patient"
    assert problems["row 7, column id"] == "is empty"


def test_empty_files_and_header_only_files_are_refused() -> None:
    for empty in ("", "\ufeff", "\r\n\r\n"):
        with pytest.raises(InvalidInput, match="is empty: it has no header row"):
            load_text(empty)
    assert problems_of("id,group,pk1,pk5\r\n")["file"] == "has a header but no data rows"


def test_all_problems_are_collected_before_refusing() -> None:
    text = GOOD + "5,2,10,x,41\n3,,10,3,41\n6,1,10\n"
    with pytest.raises(InvalidInput) as caught:
        load_text(text, baseline="pk0")
    fields = [p.field for p in caught.value.problems]
    assert fields == [
        "baseline",
        "row 6, column pk5",
        "row 7, column group",
        "row 7, column id",
        "row 8",
        "arm",
    ]
    assert str(caught.value).startswith("CSV: baseline: column 'pk0' is not in the file")


def test_many_problems_are_reported_up_to_a_cap() -> None:
    rows = "".join(f"{i},{i % 2},x,y,1\n" for i in range(50))
    with pytest.raises(InvalidInput) as caught:
        load_text("id,group,pk1,pk5,age\n" + rows)
    assert len(caught.value.problems) == 21
    assert caught.value.problems[-1].message == "and 80 more problems; fix these first"


def test_a_column_given_two_roles_or_a_self_mapping_is_refused() -> None:
    problems = problems_of(GOOD, baseline="pk5", missing_if_empty={"age": "age"})
    assert problems["columns"] == "'pk5' is named for more than one role (outcome, baseline)"
    assert problems["missing_if_empty"] == "'age' is mapped to itself"


def test_missing_if_empty_says_when_it_blanks_values_that_are_not_zero() -> None:
    text = "id,group,pk1,pk5,f5\n1,0,10,,0\n2,0,12,9,0\n3,1,11,,7\n4,1,9,5,2\n5,0,8,6,1\n"
    data = load_text(text, missing_if_empty={"f5": "pk5"})
    assert data.frame["f5"].isna().tolist() == [True, False, True, False, False]
    assert data.frame["f5"].tolist()[1] == 0  # a real zero, with a diary, stays
    assert "2 values set to missing where pk5 is empty (1 were 0" in data.notes["f5"]
    assert "1 held another value: check that the mapping is right" in data.notes["f5"]


def test_wrong_field_counts_and_text_that_is_not_utf8_are_refused() -> None:
    assert problems_of(GOOD + "5,1,10\n")["row 6"] == "has 3 fields, the header has 5"
    with pytest.raises(InvalidInput, match="not UTF-8 text"):
        load_trial_csv(
            "id,group,pk1,pk5\n1,0,ä,3\n".encode("latin-1"),
            outcome="pk5",
            baseline="pk1",
            arm="group",
        )


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="no such file"):
        load_trial_csv(tmp_path / "nope.csv", outcome="pk5", baseline="pk1", arm="group")
    with pytest.raises(InvalidInput, match="looks like a file name; a str is read as CSV text"):
        load_trial_csv("trial.csv", outcome="pk5", baseline="pk1", arm="group")


def test_the_frame_api_checks_columns_types_and_what_can_be_fitted() -> None:
    frame = simulated_trial(np.random.default_rng(3), n_per_arm=10)
    frame["site"] = "a"
    frame["one"] = 1.0
    with pytest.raises(InvalidInput) as caught:
        analyse_two_arms(
            frame, outcome="pk5", baseline="pk1", arm="group", covariates=["site", "x"]
        )
    assert {p.field for p in caught.value.problems} == {"site", "x"}
    with pytest.raises(InvalidInput, match="'one' takes one value"):
        analyse_two_arms(frame, outcome="pk5", baseline="pk1", arm="group", covariates=["one"])
    with pytest.raises(InvalidInput, match="'2' is not a level"):
        analyse_two_arms(frame, outcome="pk5", baseline="pk1", arm="group", treatment=2)
    frame.loc[frame["group"] == 0, "pk5"] = np.nan
    frame.loc[frame.index[-1], "pk5"] = 1.0
    with pytest.raises(InsufficientData, match="each arm needs at least 2"):
        analyse_two_arms(frame, outcome="pk5", baseline="pk1", arm="group")


def test_the_treatment_can_be_either_level_and_flips_the_sign() -> None:
    frame = simulated_trial(np.random.default_rng(5))
    frame["group"] = frame["group"].map({1: "acupuncture", 0: "usual care"})
    default = analyse_two_arms(frame, outcome="pk5", baseline="pk1", arm="group")
    assert default.treatment.level == "acupuncture"  # the arm that is not a control
    flipped = analyse_two_arms(
        frame, outcome="pk5", baseline="pk1", arm="group", treatment="usual care"
    )
    chosen = analyse_two_arms(
        frame, outcome="pk5", baseline="pk1", arm="group", treatment="acupuncture"
    )
    assert chosen.adjusted.estimate == pytest.approx(default.adjusted.estimate, abs=TOL)
    assert chosen.adjusted.estimate == pytest.approx(-flipped.adjusted.estimate, abs=TOL)
    assert chosen.adjusted.estimate < 0
    assert "group acupuncture − group usual care" in chosen.adjusted.method


@pytest.mark.parametrize(
    ("levels", "treatment"),
    [
        (("sham", "acupuncture"), "acupuncture"),  # the alphabet would take sham
        (("verum", "placebo"), "verum"),
        (("Waiting list", "needling"), "needling"),
        (("0", "1"), "1"),
        (("a", "b"), "b"),  # nothing reads as a control: the second level, and it is named
    ],
)
def test_the_default_treatment_is_the_arm_that_is_not_a_control(
    levels: tuple[str, str], treatment: str
) -> None:
    frame = simulated_trial(np.random.default_rng(7))
    frame["group"] = frame["group"].map({0: levels[0], 1: levels[1]})
    result = analyse_two_arms(frame, outcome="pk5", baseline="pk1", arm="group")
    assert result.treatment.level == treatment

"""``analyze diary`` answers for the cohort; ``trial analyze`` without a baseline.

The cohort figures read from a CSV must equal ``cohort_rate_ratio`` on the counts the
virtual cohort was built from (an independent path: no file, no alignment, no windows).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from acurelief.analysis.binary import binary_outcome
from acurelief.analysis.cohort import cohort_rate_ratio
from tests.analysis.test_cohort import VALIDATION
from tests.cli.cli_runner import assert_clean_failure, cli_env, flat, run_cli

TOL = 1e-6


def _cohort_csv(path: Path, seed: int, ratio: float) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    headache, recorded = VALIDATION.simulate_cohort(rng, 20, ratio)
    lines = ["patient,day,headache"]
    for i in range(headache.shape[0]):
        for d in range(headache.shape[1]):
            cell = ("1" if headache[i, d] else "0") if recorded[i, d] else ""
            lines.append(f"p{i},{d - VALIDATION.BASELINE_DAYS},{cell}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    counts: tuple[np.ndarray, ...] = VALIDATION.cohort_counts(headache, recorded)
    return counts


DIARY = ("--patient", "patient", "--day", "day", "--headache", "headache")


def test_the_cohort_rate_ratio_from_the_file_matches_the_counts(tmp_path: Path) -> None:
    counts = _cohort_csv(tmp_path / "cohort.csv", seed=3, ratio=0.7)
    env = cli_env(tmp_path)
    # min share 0.01: every patient counts, as in the direct computation
    args = ("analyze", "diary", str(tmp_path / "cohort.csv"), *DIARY, "--min-share", "0.01")
    cohort = run_cli(env, *args, "--json").json()["cohort"]
    expected = cohort_rate_ratio(*counts, period="weeks 1–12")
    rr = cohort["rate_ratio"]
    assert rr["estimate"] == pytest.approx(expected.estimate, abs=TOL)
    assert rr["low"] == pytest.approx(expected.low, abs=TOL)
    assert rr["high"] == pytest.approx(expected.high, abs=TOL)
    assert rr["patients"] == 20
    assert rr["conclusion"] == expected.conclusion
    baseline = cohort["headache_days_per_28"][0]
    assert baseline["per_28"] == pytest.approx(28 * counts[0].sum() / counts[1].sum(), abs=TOL)
    shown = flat(run_cli(env, *args).stdout)
    assert flat(expected.conclusion) in shown
    assert "The cohort: headache days per 28" in shown


def test_the_completeness_rule_is_an_option(tmp_path: Path) -> None:
    _cohort_csv(tmp_path / "cohort.csv", seed=4, ratio=1.0)
    env = cli_env(tmp_path)
    path = str(tmp_path / "cohort.csv")
    loose = run_cli(env, "analyze", "diary", path, *DIARY, "--min-share", "0.5", "--json").json()
    strict = run_cli(env, "analyze", "diary", path, *DIARY, "--min-share", "0.95", "--json").json()
    assert loose["min_share"] == 0.5
    n_loose = loose["summary"]["responders_50"]["n"]
    assert strict["summary"]["responders_50"]["n"] < n_loose
    assert strict["cohort"]["rate_ratio"]["patients"] < loose["cohort"]["rate_ratio"]["patients"]
    bad = run_cli(env, "analyze", "diary", path, *DIARY, "--min-share", "0")
    assert_clean_failure(bad, code=2, mentions="--min-share")


def test_a_yes_no_trial_outcome_without_baseline(tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    events = rng.random(80) < np.repeat([0.4, 0.2], 40)
    arms = np.repeat(["verum", "sham"], 40)
    rows = ["id,group,pain_free"] + [
        f"{i},{a},{'yes' if e else 'no'}" for i, (a, e) in enumerate(zip(arms, events, strict=True))
    ]
    path = tmp_path / "b.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    env = cli_env(tmp_path)
    args = ("trial", "analyze", str(path), "--outcome", "pain_free", "--arm", "group")
    got = run_cli(env, *args, "--treatment", "verum", "--json").json()["binary"]
    expected = binary_outcome(events, arms, treatment="verum")
    assert got["risk_difference"]["low"] == pytest.approx(expected.risk_difference.low, abs=TOL)
    assert got["odds_ratio"]["estimate"] == pytest.approx(expected.odds_ratio.estimate, abs=TOL)
    assert got["fisher_p"] == pytest.approx(expected.fisher_p, abs=TOL)
    text = flat(run_cli(env, *args, "--treatment", "verum").stdout)
    assert "Odds ratio:" in text
    assert "Fisher's exact test" in text
    refused = run_cli(env, *args, "--baseline", "id", "--outcome-type", "binary")
    assert_clean_failure(refused, code=2, mentions="--baseline")


def test_a_number_without_baseline_is_a_welch_difference(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("id,group,score\n1,a,2.5\n2,a,3\n3,b,4\n4,b,5.5\n", encoding="utf-8")
    env = cli_env(tmp_path)
    got = run_cli(
        env, "trial", "analyze", str(path), "--outcome", "score", "--arm", "group", "--json"
    ).json()["difference_of_means"]
    assert got["difference"]["estimate"] == pytest.approx(2.0)
    assert math.isfinite(got["difference"]["low"])
    assert got["n"] == 4

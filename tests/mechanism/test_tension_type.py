"""Tension-type trials count headache days, and all eight Cochrane rates hold from the CLI."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from acurelief.mechanism.profiles import HeadacheType
from acurelief.mechanism.trial import Arm, TrialDesign, run_trial
from tests.cli.cli_runner import cli_env, flat, run_cli

TTH = HeadacheType.TENSION_TYPE
# Cochrane, Linde 2016 (clinical-facts §3.1), ≥50% responders, per design: acupuncture, control.
COCHRANE = {
    (HeadacheType.MIGRAINE_WITHOUT_AURA, "open"): {"acupuncture": 0.41, "usual_care": 0.17},
    (HeadacheType.MIGRAINE_WITHOUT_AURA, "sham"): {"acupuncture": 0.50, "sham": 0.41},
    (TTH, "open"): {"acupuncture": 0.48, "usual_care": 0.17},
    (TTH, "sham"): {"acupuncture": 0.52, "sham": 0.43},
}
# About 2,600 analysed per arm: the binomial SE of a 50% rate is 1.0 point, so ±3 points
# is 3 SE. Seed 424242 was never used by the calibration (2016, 2017, 2026, 2027).
N_PER_ARM, UNSEEN_SEED = 3000, 424242


def test_tension_type_trials_count_headache_days_and_migraine_trials_migraine_days() -> None:
    assert not TrialDesign(headache_type=TTH).counts_migraine_days
    assert TrialDesign().counts_migraine_days
    assert TrialDesign(headache_type=TTH, migraine_days=True).counts_migraine_days


def test_tension_type_endpoint_is_headache_days_per_28() -> None:
    result = run_trial(TrialDesign(headache_type=TTH, n_per_arm=200), np.random.default_rng(3))
    arm = result.arms[Arm.ACUPUNCTURE]
    cohort = arm.cohort
    expected = cohort.per_28(cohort.headache, -28, 0)
    assert np.array_equal(arm.baseline, expected)
    # with 5% migraine-like days, a migraine-day endpoint would sit far below this
    assert float(np.nanmean(arm.baseline)) > 5 * float(
        np.nanmean(cohort.per_28(cohort.migraine, -28, 0))
    )


@pytest.mark.parametrize("design", ["open", "sham"])
def test_a_small_tension_type_trial_runs_from_the_cli(tmp_path: Path, design: str) -> None:
    args = ("simulate", "trial", "--type", "tension_type", "--design", design, "--n-per-arm")
    result = run_cli(cli_env(tmp_path), *args, "20", "--seed", "5")
    assert result.code == 0, result
    assert "too few" not in result.stderr
    assert "headache days per 28" in flat(result.stdout)
    rows = run_cli(cli_env(tmp_path), *args, "20", "--seed", "5", "--json").json()
    assert [r["randomised"] for r in rows] == [20, 20]


@pytest.mark.parametrize(("kind", "design"), list(COCHRANE))
def test_the_cochrane_rates_hold_on_an_unseen_seed_from_the_cli(
    tmp_path: Path, kind: HeadacheType, design: str
) -> None:
    rows = run_cli(
        cli_env(tmp_path),
        "simulate",
        "trial",
        "--type",
        kind.value,
        "--design",
        design,
        "--n-per-arm",
        str(N_PER_ARM),
        "--seed",
        str(UNSEEN_SEED),
        "--json",
    ).json()
    rates = {r["arm"]: r["responder_rate"] for r in rows}
    assert all(r["n"] > 0.8 * N_PER_ARM for r in rows)
    for arm, published in COCHRANE[(kind, design)].items():
        assert rates[arm] == pytest.approx(published, abs=0.03), (arm, rates[arm])


def test_the_cli_says_plainly_when_follow_up_runs_past_the_calibrated_horizon(
    tmp_path: Path,
) -> None:
    args = ("simulate", "schedules", "--n", "20", "--course", "12/8", "--json", "--days")
    past = run_cli(cli_env(tmp_path), *args, "400")
    assert past.code == 0, past
    assert "warning: follow-up of 400 days" in flat(past.stderr)
    assert "365 days" in flat(past.stderr)
    within = run_cli(cli_env(tmp_path), *args, "365")
    assert within.code == 0, within
    assert "warning" not in within.stderr

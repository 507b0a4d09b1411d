"""``acurelief analyze patient`` and ``analyze practice`` on the demo practice."""

from __future__ import annotations

from pathlib import Path

from tests.cli.cli_runner import assert_clean_failure, cli_env, run_cli


def test_patient_and_practice_analyses_on_the_demo(tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    assert run_cli(env, "init").code == 0
    assert run_cli(env, "demo").code == 0
    patient = run_cli(env, "analyze", "patient", "1", "--json").json()
    assert patient["windows"][0]["window"] == "baseline"
    assert patient["windows"][0]["recorded_days"] >= 18
    assert patient["rate_ratio"]["baseline"]["days"] >= 18
    assert patient["immediate_relief"]["sessions"] >= 3
    practice = run_cli(env, "analyze", "practice", "--json").json()
    assert practice["overall"]["evaluable"] + practice["not_evaluable"] == 14
    assert {g["label"] for g in practice["by_diagnosis"]} >= {"episodic migraine"}
    assert practice["immediate_relief"]["patients"] == 14
    as_patient = run_cli(env, "analyze", "practice", "--as", "patient@demo.example")
    assert_clean_failure(as_patient, code=1, mentions="may not")
    other = run_cli(env, "analyze", "patient", "2", "--as", "patient@demo.example")
    assert_clean_failure(other, code=1, mentions="not found")

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
    # Relief in sessions that started with a headache, apart; the rest are counted, not pooled.
    relief = practice["immediate_relief"]
    ache = relief["with_headache"]
    assert ache is not None  # the demo's chronic-migraine patients come with headaches
    assert ache["sessions"] + relief["started_below"] == relief["sessions"]
    assert relief["started_below_note"].startswith(f"{relief['started_below']} of ")
    text = " ".join(run_cli(env, "analyze", "practice").stdout.split())  # as read, unwrapped
    assert f"Started with a headache (pain ≥4): {ache['sessions']} sessions" in text
    assert "sessions started with pain below 4: too little pain to show relief" in text
    as_patient = run_cli(env, "analyze", "practice", "--as", "patient@demo.example")
    assert_clean_failure(as_patient, code=1, mentions="may not")
    other = run_cli(env, "analyze", "patient", "2", "--as", "patient@demo.example")
    assert_clean_failure(other, code=1, mentions="not found")

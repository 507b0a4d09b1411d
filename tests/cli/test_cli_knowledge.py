"""``acurelief points``, ``protocols`` and ``diagnose`` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.cli_runner import assert_clean_failure, cli_env, run_cli

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "history-migraine.json"


def test_points_list_show_and_aliases(tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    gb = run_cli(env, "points", "list", "--meridian", "GB", "--json").json()
    assert len(gb) == 44
    assert gb[19]["code"] == "GB20"
    everything = run_cli(env, "points", "list", "--json").json()
    assert sum(1 for p in everything if not p["code"].startswith("EX-")) == 361
    shown = run_cli(env, "points", "show", "lv 3", "--json").json()
    assert shown["code"] == "LR3"
    assert run_cli(env, "points", "show", "GV24+", "--json").json()["code"] == "EX-HN3"
    unknown = run_cli(env, "points", "show", "GB45")
    assert "GB44" in assert_clean_failure(unknown, code=2, mentions="GB45")
    assert_clean_failure(
        run_cli(env, "points", "list", "--meridian", "XY"), code=2, mentions="--meridian"
    )


def test_protocols_list_and_show(tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    listed = run_cli(env, "protocols", "list", "--json").json()
    assert {p["key"] for p in listed} >= {"li2012-shaoyang-specific", "ctth-chengdu"}
    shown = run_cli(env, "protocols", "show", "ctth-chengdu", "--json").json()
    assert shown["points"][:2] == ["GB20 bilateral", "GV20"]
    assert shown["source"].startswith("https://")
    assert_clean_failure(run_cli(env, "protocols", "show", "nope"), code=1, mentions="not found")


def test_diagnose_prints_the_diagnoses_with_reasons(tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    result = run_cli(env, "diagnose", str(EXAMPLE), "--json").json()
    assert [d["code"] for d in result["diagnoses"]] == ["1.1", "A1.1.2"]
    assert result["refer"] is False
    text = run_cli(env, "diagnose", str(EXAMPLE))
    assert text.code == 0
    assert "1.1 Migraine without aura" in text.stdout
    assert "No red flags" in text.stdout


@pytest.mark.parametrize(
    ("content", "mentions"),
    [
        (None, "does not exist"),
        (b"{not json", "line 1"),
        (b"\xff\xfe\x00bad", "UTF-8"),
        (
            json.dumps({"migraine_like": {"lifetime_attacks": -3}}).encode(),
            "migraine_like.lifetime_attacks",
        ),
        (
            json.dumps(
                {"frequency": {"headache_days_per_month": 4, "migraine_like_days_per_month": 9}}
            ).encode(),
            "above headache_days_per_month",
        ),
    ],
)
def test_bad_histories_fail_with_one_line(
    tmp_path: Path, content: bytes | None, mentions: str
) -> None:
    path = tmp_path / "history.json"
    if content is not None:
        path.write_bytes(content)
    result = run_cli(cli_env(tmp_path), "diagnose", str(path))
    assert_clean_failure(result, code=2, mentions=mentions)


def test_diagnose_prints_unknown_never_none_and_asks_what_each_open_code_needs(
    tmp_path: Path,
) -> None:
    path = tmp_path / "history.json"
    tension = {
        "lifetime_attacks": 30,
        "duration_hours_min": 1,
        "duration_hours_max": 8,
        "location": "bilateral",
        "quality": "pressing",
        "nausea": False,
        "vomiting": False,
        "photophobia": False,
    }
    history = {
        "tension_like": tension,
        "aura": {"lifetime_attacks": 3, "symptoms": ["visual"]},
        "frequency": {"headache_days_per_month": 0.5, "tension_like_days_per_month": 0.5},
    }
    path.write_text(json.dumps(history), encoding="utf-8")
    text = run_cli(cli_env(tmp_path), "diagnose", str(path))
    assert text.code == 0
    out = " ".join(text.stdout.split())  # as printed, whatever the terminal's width
    assert "None" not in out
    assert "2.1 Infrequent episodic tension-type headache — diagnosis" in out
    assert "30 episodes, 0.5 days/month for unknown months" in out
    assert "Not decidable with these answers" in out
    # what is missing reads as the intake form's question, never as a field path
    assert (
        "1.2.1 Migraine with typical aura — needs Do the aura symptoms go away completely?" in out
    )
    assert "1.1 Migraine without aura — needs the part “Attacks with migraine features”" in out
    assert "aura.fully_reversible" not in out

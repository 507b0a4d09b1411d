"""``acurelief simulate``: files a researcher can read, per-arm tables, power, bad input."""

from __future__ import annotations

from pathlib import Path

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from tests.cli.cli_runner import assert_clean_failure, cli_env, run_cli


def test_patients_to_parquet_and_csv_are_the_same_and_deterministic(tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    for name in ("a.parquet", "b.parquet", "c.csv"):
        result = run_cli(
            env,
            "simulate",
            "patients",
            "--n",
            "40",
            "--days",
            "84",
            "--seed",
            "3",
            "--out",
            str(tmp_path / name),
            "--json",
        )
        assert result.code == 0, result
    a, b = pq.read_table(tmp_path / "a.parquet"), pq.read_table(tmp_path / "b.parquet")
    assert a.equals(b)
    c = pacsv.read_csv(tmp_path / "c.csv")
    assert c.num_rows == a.num_rows
    assert set(a.column("patient").to_pylist()) == set(range(40))
    assert a.num_rows < 40 * (28 + 84)  # missing days have no row
    sessions = pq.read_table(tmp_path / "a.sessions.parquet")
    assert sessions.num_rows == 40 * 12
    other = run_cli(
        env,
        "simulate",
        "patients",
        "--n",
        "40",
        "--days",
        "84",
        "--seed",
        "4",
        "--out",
        str(tmp_path / "d.parquet"),
    )
    assert other.code == 0
    assert not pq.read_table(tmp_path / "d.parquet").equals(a)


def test_trial_prints_one_row_per_arm(tmp_path: Path) -> None:
    result = run_cli(
        cli_env(tmp_path), "simulate", "trial", "--design", "sham", "--n-per-arm", "150", "--json"
    )
    rows = result.json()
    assert [r["arm"] for r in rows] == ["acupuncture", "sham"]
    assert all(r["randomised"] == 150 and 0 <= r["responder_rate"] <= 1 for r in rows)


def test_power_reports_an_interval(tmp_path: Path) -> None:
    result = run_cli(
        cli_env(tmp_path),
        "simulate",
        "power",
        "--design",
        "open",
        "--n-per-arm",
        "40",
        "--replicates",
        "20",
        "--json",
    )
    record = result.json()
    assert record["low"] <= record["power"] <= record["high"]
    assert record["replicates"] == 20


@pytest.mark.parametrize(
    ("args", "mentions"),
    [
        (["patients", "--n", "0", "--out", "x.csv"], "--n"),
        (["patients", "--out", "x.xlsx"], "--out"),
        (["trial", "--stimulation", "0"], "frequencies_hz"),
        (["trial", "--stimulation", "laser"], "--stimulation"),
        (["trial", "--sessions", "30", "--weeks", "2"], "weeks"),
        (["power", "--replicates", "5", "--n-per-arm", "20"], "replicates"),
        (["power"], "--n-per-arm"),
    ],
)
def test_bad_requests_fail_with_one_line(tmp_path: Path, args: list[str], mentions: str) -> None:
    result = run_cli(cli_env(tmp_path), "simulate", *args)
    assert_clean_failure(result, code=2, mentions=mentions)


def test_schedules_compare_courses_on_the_same_patients(tmp_path: Path) -> None:
    result = run_cli(
        cli_env(tmp_path),
        "simulate",
        "schedules",
        "--n",
        "600",
        "--days",
        "84",
        "--course",
        "12/8",
        "--course",
        "6/6",
        "--json",
    )
    courses = result.json()
    assert list(courses) == ["no treatment", "12 over 8 wk", "6 over 6 wk"]
    baselines = {name: rows[0]["mean"] for name, rows in courses.items()}
    assert len(set(baselines.values())) == 1  # the same virtual patients before treatment
    assert courses["12 over 8 wk"][2]["mean"] < courses["no treatment"][2]["mean"]
    bad = run_cli(cli_env(tmp_path), "simulate", "schedules", "--course", "12-8")
    assert_clean_failure(bad, code=2, mentions="--course")

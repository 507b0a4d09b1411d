"""``acurelief analyze diary``: a long-format diary file as JSON or a table; one-line failures."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.cli_runner import assert_clean_failure, cli_env, flat, run_cli
from tests.outcomes.test_long_format import hand_rows, write_csv, write_parquet

BY_DAY = ("--patient", "patient", "--day", "day", "--headache", "headache")
BY_DATE = (
    "--patient",
    "patient",
    "--date",
    "date",
    "--first-treatment",
    "first_treatment",
    "--headache",
    "headache",
)


def test_the_hand_worked_cohort_as_json(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "diary.csv", hand_rows(), bom=True, crlf=True)
    record = run_cli(cli_env(tmp_path), "analyze", "diary", str(path), *BY_DAY, "--json").json()
    assert record["file"] == str(path)
    patients = {p["patient"]: p for p in record["patients"]}
    assert list(patients) == ["A", "B", "C", "D"]
    a = patients["A"]
    assert a["windows"][0]["headache_days_per_28"] == 7.0
    assert a["windows"][0]["recorded_days"] == 28
    assert a["latest_window"] == "weeks 9–12"
    assert a["responder_50"] is True
    assert a["rate_ratio"]["baseline"] == {"days": 28, "headache_days": 7}
    assert a["rate_ratio"]["window"] == {"days": 84, "headache_days": 6}
    assert a["windows"][0]["mean_peak_pain"] is None  # no --pain given
    assert patients["B"]["windows"][0]["recorded_days"] == 24
    assert patients["C"]["not_evaluable"].startswith("no baseline days")
    assert patients["D"]["windows"][2]["not_evaluable"] == (
        "weeks 5–8: 13 of 28 days recorded, 23 needed"
    )
    summary = record["summary"]
    assert (summary["patients"], summary["evaluable"], summary["not_evaluable"]) == (4, 3, 1)
    assert summary["responders_50"]["responders"] == 2
    assert summary["responders_50"]["n"] == 3
    assert summary["responders_50"]["method"] == "Wilson"
    assert summary["baseline_headache_days_per_28"] == {"median": 7.0, "n": 3}
    assert summary["weeks_9_12_headache_days_per_28"] == {"median": 3.0, "n": 2}


def test_dates_and_parquet_give_the_same_json(tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    csv_path = write_csv(tmp_path / "diary.csv", hand_rows())
    parquet_path = write_parquet(tmp_path / "diary.parquet", hand_rows())
    by_day = run_cli(env, "analyze", "diary", str(csv_path), *BY_DAY, "--json").json()
    by_date = run_cli(env, "analyze", "diary", str(parquet_path), *BY_DATE, "--json").json()
    del by_day["file"], by_date["file"]
    assert by_date == by_day


def test_the_table_shows_every_patient_with_n_and_the_cohort_summary(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "diary.csv", hand_rows())
    result = run_cli(cli_env(tmp_path), "analyze", "diary", str(path), *BY_DAY, "--pain", "pain")
    assert result.code == 0, result
    text = flat(result.stdout)
    assert "7.0 (28 d)" in text
    assert "7.0 (24 d)" in text
    assert "not evaluable" in text
    assert "Patients: 4 in the file, 3 analysed, 1 not evaluable." in text
    assert "2 of 3 (66.7%, 95% CI" in text
    assert "Median headache days per 28: baseline 7.0 (n = 3); weeks 9–12 3.0 (n = 2)." in text


@pytest.mark.parametrize(
    ("extra", "mentions"),
    [
        (("--patient", "patient", "--day", "day"), "--headache: no column given"),
        (
            ("--patient", "patient", "--headache", "headache", "--day", "day", "--date", "date"),
            "--day: give a day column or a date column, not both",
        ),
        (
            ("--patient", "patient", "--headache", "headache", "--date", "date"),
            "--first-treatment: a date column needs the column of first treatment dates",
        ),
        ((*BY_DAY, "--pain", "vas"), "--pain: column 'vas' is not in the file"),
    ],
)
def test_option_mistakes_fail_in_one_line(
    tmp_path: Path, extra: tuple[str, ...], mentions: str
) -> None:
    path = write_csv(tmp_path / "diary.csv", hand_rows())
    result = run_cli(cli_env(tmp_path), "analyze", "diary", str(path), *extra)
    assert_clean_failure(result, code=2, mentions=mentions)


def test_every_bad_cell_is_listed_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "diary.csv"
    path.write_text(
        "patient,day,headache,pain\n1,-2,yes,5\n1,-1,maybe,3\n1,0,no,11\n1,0,yes,4\n",
        encoding="utf-8",
    )
    result = run_cli(cli_env(tmp_path), "analyze", "diary", str(path), *BY_DAY, "--pain", "pain")
    line = assert_clean_failure(result, code=2, mentions="row 3, column 'headache'")
    assert "row 4, column 'pain': '11' is out of range: peak pain is 0–10" in line
    assert "row 5, column 'day': the same patient-day as row 4" in line


@pytest.mark.parametrize(
    ("name", "content", "mentions"),
    [
        ("diary.xlsx", b"PK", "only .csv and .parquet files can be read"),
        ("diary.csv", b"", "is empty: it has no header row"),
        ("diary.csv", b"patient,day,headache\n", "file: is empty: it has no data rows"),
    ],
)
def test_unusable_files_fail_in_one_line(
    tmp_path: Path, name: str, content: bytes, mentions: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = run_cli(cli_env(tmp_path), "analyze", "diary", str(path), *BY_DAY)
    assert_clean_failure(result, code=2, mentions=mentions)


def test_a_missing_file_fails_in_one_line(tmp_path: Path) -> None:
    result = run_cli(cli_env(tmp_path), "analyze", "diary", str(tmp_path / "no.csv"), *BY_DAY)
    assert_clean_failure(result, code=2, mentions="no such file")

"""``acurelief trial analyze``: the Vickers analysis as JSON, a table, one-line failures."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.analysis.test_trial import vickers
from tests.cli.cli_runner import assert_clean_failure, cli_env, flat, run_cli

SMALL = (
    "id,group,pk1,pk5,age\n"
    "1,0,10,8,40\n2,0,12,9,50\n3,0,14,,61\n4,0,9,9,44\n"
    "5,1,11,4,45\n6,1,9,5,38\n7,1,13,6,52\n8,1,10,,47\n"
)
PRIMARY = ("--outcome", "pk5", "--baseline", "pk1", "--arm", "group")


def write(tmp_path: Path, text: str, name: str = "trial.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_vickers_primary_analysis_and_responders_as_json(tmp_path: Path) -> None:
    result = run_cli(
        cli_env(tmp_path),
        "trial",
        "analyze",
        str(vickers()),
        *PRIMARY,
        "--covariates",
        "age,sex,migraine,chronicity",
        "--missing-if-empty",
        "f5=pk5,f2=pk2",
        "--responders",
        "--json",
    )
    record = result.json()
    analysis = record["analysis"]
    assert analysis["formula"] == "pk5 ~ group + pk1 + age + sex + migraine + chronicity"
    assert [(a["arm"], a["randomised"], a["n"]) for a in analysis["arms"]] == [
        ("1", 205, 161),
        ("0", 196, 140),
    ]
    adjusted = analysis["adjusted_difference"]
    assert adjusted["estimate"] == pytest.approx(-4.640, abs=0.001)
    assert (adjusted["low"], adjusted["high"]) == pytest.approx((-7.081, -2.199), abs=0.001)
    responders = record["responders"]
    assert [(a["events"], a["n"]) for a in responders["arms"]] == [(62, 161), (27, 140)]
    assert responders["nnt"]["kind"] == "NNT (benefit)"
    assert responders["fisher_p"] < 0.001


def test_the_table_shows_n_differences_missing_data_and_caveats(tmp_path: Path) -> None:
    result = run_cli(
        cli_env(tmp_path), "trial", "analyze", write(tmp_path, SMALL), *PRIMARY, "--responders"
    )
    assert result.code == 0, result
    text = flat(result.stdout)
    assert "Adjusted difference (group 1 − 0):" in text
    assert "ANCOVA (OLS): pk5 ~ group + pk1; n = 6" in text
    assert "Unadjusted difference (Welch):" in text
    assert "Missing data" in text
    assert "complete-case analysis: 2 of 8 patients without the outcome (pk5) are excluded" in text
    assert "few analysed patients" in text
    assert "Responders: ≥50% reduction in pk5 from pk1" in text
    assert "Fisher's exact test: p =" in text


def test_a_bom_crlf_file_gives_the_same_json(tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    plain = run_cli(env, "trial", "analyze", write(tmp_path, SMALL), *PRIMARY, "--json")
    variant = tmp_path / "windows.csv"
    variant.write_bytes(b"\xef\xbb\xbf" + SMALL.replace("\n", "\r\n").encode())
    other = run_cli(env, "trial", "analyze", str(variant), *PRIMARY, "--json")
    assert other.json()["analysis"] == plain.json()["analysis"]


@pytest.mark.parametrize(
    ("text", "extra", "mentions"),
    [
        (SMALL, ("--covariates", "age,weight"), "--covariates: column 'weight' is not in the file"),
        (SMALL.replace("2,0,12,9,50", "2,0,12,abc,50"), (), "row 3, column pk5: 'abc' is not"),
        (SMALL + "9,2,10,3,41\n", (), "column 'group' has 3 levels (0, 1, 2)"),
        (SMALL + "8,1,10,3,41\n", (), "row 10, column id: '8' repeats row 9"),
        ("", (), "is empty: it has no header row"),
        (SMALL, ("--missing-if-empty", "f5"), "--missing-if-empty: 'f5': write COLUMN=OTHER"),
        (SMALL, ("--treatment", "2"), "--treatment: '2' is not a level of 'group' (0, 1)"),
    ],
)
def test_bad_input_is_one_line_naming_the_problem(
    tmp_path: Path, text: str, extra: tuple[str, ...], mentions: str
) -> None:
    result = run_cli(cli_env(tmp_path), "trial", "analyze", write(tmp_path, text), *PRIMARY, *extra)
    assert_clean_failure(result, code=2, mentions=mentions)


def test_a_missing_file_is_one_line(tmp_path: Path) -> None:
    result = run_cli(cli_env(tmp_path), "trial", "analyze", str(tmp_path / "no.csv"), *PRIMARY)
    assert_clean_failure(result, code=2, mentions="no such file")

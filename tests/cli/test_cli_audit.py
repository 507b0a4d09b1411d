"""``acurelief audit verify`` and who CLI commands are recorded as."""

from __future__ import annotations

import getpass
import sqlite3
from pathlib import Path

import pytest

from acurelief.cli.audit import _rows_text
from tests.cli.cli_runner import assert_clean_failure, cli_env, run_cli

PATIENT_LOGIN = "patient@demo.example"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("audit")
    env = cli_env(folder)
    assert run_cli(env, "init").code == 0
    demo = run_cli(env, "demo", "--json").json()
    assert demo["patients"] > 0
    return folder


def _rows(folder: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(folder / "acurelief.db") as conn:
        return list(conn.execute(sql))


def test_cli_reads_are_recorded_with_the_os_user_and_impersonation(data_dir: Path) -> None:
    env = cli_env(data_dir)
    assert run_cli(env, "patient", "list", "--as", PATIENT_LOGIN, "--json").code == 0
    rows = _rows(
        data_dir,
        "SELECT channel, os_user, user_id, on_behalf_of FROM audit_log "
        "WHERE action = 'list_patients' ORDER BY seq DESC LIMIT 1",
    )
    channel, os_user, user_id, on_behalf_of = rows[0]
    assert (channel, os_user, user_id) == ("cli", getpass.getuser(), None)
    assert on_behalf_of is not None


def test_without_operator_rights_as_needs_the_password(data_dir: Path) -> None:
    env = cli_env(data_dir, ACURELIEF_CLI_OPERATORS="")
    refused = run_cli(env, "patient", "list", "--as", PATIENT_LOGIN, "--json")
    assert_clean_failure(refused, mentions="ACURELIEF_CLI_OPERATORS")
    wrong = run_cli(
        {**env, "ACURELIEF_PASSWORD": "not the password"}, "patient", "list", "--as", PATIENT_LOGIN
    )
    assert_clean_failure(wrong, mentions="wrong e-mail or password")
    failed = _rows(data_dir, "SELECT channel, outcome FROM audit_log WHERE outcome = 'failed'")
    assert failed == [("cli", "failed")]
    no_as = run_cli(env, "patient", "list", "--json")
    assert_clean_failure(no_as, mentions="--as")
    right = run_cli(
        {**env, "ACURELIEF_PASSWORD": "acurelief-demo"}, "patient", "list", "--as", PATIENT_LOGIN
    )
    assert right.code == 0, f"{right}"
    rows = _rows(
        data_dir,
        "SELECT channel, os_user, user_id IS NOT NULL, on_behalf_of FROM audit_log "
        "WHERE action = 'list_patients' ORDER BY seq DESC LIMIT 1",
    )
    assert rows == [("cli", getpass.getuser(), 1, None)]  # the login itself, not impersonated


def test_verify_says_ok_then_names_an_altered_row(data_dir: Path) -> None:
    env = cli_env(data_dir)
    ok = run_cli(env, "audit", "verify")
    assert ok.code == 0, f"{ok}"
    (count,) = _rows(data_dir, "SELECT COUNT(*) FROM audit_log")[0]
    assert isinstance(count, int)
    assert f"OK: {_rows_text(count)}," in ok.stdout
    (target,) = _rows(data_dir, "SELECT id FROM audit_log ORDER BY seq LIMIT 1 OFFSET 1")[0]
    with sqlite3.connect(data_dir / "acurelief.db") as conn:
        conn.execute("UPDATE audit_log SET detail = 'edited' WHERE id = ?", (target,))
    broken = run_cli(env, "audit", "verify")
    line = assert_clean_failure(broken, code=1, mentions=f"row id {target}")
    assert "do not match" in line


def test_a_noted_head_shows_the_newest_rows_cut_away_with_the_head(tmp_path: Path) -> None:
    """Deleting the newest rows and moving the head back leaves a chain that verifies on its
    own; the head noted from an earlier verify is what shows the cut."""
    env = cli_env(tmp_path)
    assert run_cli(env, "init").code == 0
    assert run_cli(env, "demo", "--json").code == 0
    assert run_cli(env, "audit", "verify", "--expect", "0:" + "0" * 16).code == 0  # empty log
    for _ in range(5):
        assert run_cli(env, "patient", "list", "--as", PATIENT_LOGIN, "--json").code == 0
    first = run_cli(env, "audit", "verify", "--json").json()
    noted = f"{first['head_seq']}:{first['head_hash'][:16]}"
    printed = run_cli(env, "audit", "verify")
    assert f"head {noted}…" in printed.stdout
    assert run_cli(env, "audit", "verify", "--expect", noted).code == 0
    assert run_cli(env, "audit", "verify", "--expect", f"{noted}…").code == 0  # as printed

    keep = first["head_seq"] - 3
    with sqlite3.connect(tmp_path / "acurelief.db") as conn:
        (prev,) = conn.execute("SELECT row_hash FROM audit_log WHERE seq = ?", (keep,)).fetchone()
        conn.execute("DELETE FROM audit_log WHERE seq > ?", (keep,))
        conn.execute("UPDATE audit_head SET seq = ?, row_hash = ?", (keep, prev))
    assert run_cli(env, "audit", "verify").code == 0  # the chain alone looks whole
    cut = run_cli(env, "audit", "verify", "--expect", noted)
    line = assert_clean_failure(cut, code=1, mentions=f"row {first['head_seq']} is gone")
    assert "cut short" in line
    as_json = run_cli(env, "audit", "verify", "--expect", noted, "--json")
    assert as_json.code == 1
    assert '"ok": false' in as_json.stdout
    assert "is gone" in as_json.stdout


@pytest.mark.parametrize("bad", ["12", "x:9f86d081884c7d65", "12:9f86", "12:zzzzzzzzzzzzzzzz"])
def test_a_malformed_noted_head_is_a_usage_error(data_dir: Path, bad: str) -> None:
    answer = run_cli(cli_env(data_dir), "audit", "verify", "--expect", bad)
    assert_clean_failure(answer, code=2, mentions="--expect")


def test_the_row_count_reads_in_the_right_number() -> None:
    assert _rows_text(1) == "1 row"
    assert _rows_text(2, "good ") == "2 good rows"
    assert _rows_text(0, "good ") == "0 good rows"
    assert _rows_text(50_000) == "50,000 rows"

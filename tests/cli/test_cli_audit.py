"""``acurelief audit verify`` and who CLI commands are recorded as."""

from __future__ import annotations

import getpass
import sqlite3
from pathlib import Path

import pytest

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
    assert f"OK: {count} rows" in ok.stdout
    (target,) = _rows(data_dir, "SELECT id FROM audit_log ORDER BY seq LIMIT 1 OFFSET 1")[0]
    with sqlite3.connect(data_dir / "acurelief.db") as conn:
        conn.execute("UPDATE audit_log SET detail = 'edited' WHERE id = ?", (target,))
    broken = run_cli(env, "audit", "verify")
    line = assert_clean_failure(broken, code=1, mentions=f"row id {target}")
    assert "do not match" in line

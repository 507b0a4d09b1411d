"""``acurelief user add``: passwords from ACURELIEF_NEW_PASSWORD, conflicts, refusals."""

from __future__ import annotations

import os
import pty
import subprocess
from pathlib import Path

import pytest

from tests.cli.cli_runner import (
    ACURELIEF,
    TIMEOUT_SECONDS,
    assert_clean_failure,
    cli_env,
    run_cli,
)

NEW_PASSWORD = "a long enough password"


@pytest.fixture(scope="module")
def initialised(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An environment on an initialised database without a demo; each test uses its own e-mail."""
    env = cli_env(tmp_path_factory.mktemp("users"))
    init = run_cli(env, "init")
    assert init.code == 0, f"{init}"
    return env


def _add(email: str, *more: str) -> tuple[str, ...]:
    return ("user", "add", email, "--role", "practitioner", "--clinic", "New Clinic", *more)


def test_add_practitioner_to_a_new_clinic_then_the_same_email_conflicts(
    initialised: dict[str, str],
) -> None:
    env = {**initialised, "ACURELIEF_NEW_PASSWORD": NEW_PASSWORD}

    added = run_cli(env, *_add("Doc@New.Example", "--json"))
    acting = run_cli(env, "patient", "list", "--as", "doc@new.example", "--json")
    again = run_cli(env, *_add("doc@new.example"))

    user = added.json()
    assert user["role"] == "practitioner"
    assert isinstance(user["id"], int)
    assert isinstance(user["clinic_id"], int)
    assert user["email"] == "doc@new.example"
    assert acting.json() == []  # the new login works, in a clinic without patients
    assert_clean_failure(again, code=3, mentions="already exists")


def test_a_short_password_is_refused(initialised: dict[str, str]) -> None:
    env = {**initialised, "ACURELIEF_NEW_PASSWORD": "9 chars!!"}

    result = run_cli(env, *_add("short@new.example"))

    line = assert_clean_failure(result, code=2, mentions="password")
    assert "12" in line


def test_without_password_or_terminal_it_asks_for_password(tmp_path: Path) -> None:
    env = cli_env(tmp_path)

    result = run_cli(env, *_add("nopass@new.example"))

    assert_clean_failure(result, code=2, mentions="--password")


def test_without_password_and_stdin_not_a_terminal_it_does_not_prompt(tmp_path: Path) -> None:
    """BUG: ``user add`` decides whether it may prompt from stdout (rich's is_terminal), not
    stdin. Run from a terminal with stdin redirected (a script, cron with a tty, CI with
    FORCE_COLOR), it prompts, reads end-of-file and ends with "Aborted." (exit 130)."""
    env = cli_env(tmp_path)
    primary, secondary = pty.openpty()  # stdout is a terminal, stdin is /dev/null
    try:
        done = subprocess.run(  # noqa: S603 - our own console script, fixed arguments
            [str(ACURELIEF), *_add("script@new.example")],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=secondary,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    finally:
        os.close(secondary)
        os.close(primary)

    assert "Traceback" not in done.stderr
    assert done.returncode == 2, f"exit {done.returncode}, stderr: {done.stderr!r}"
    assert "--password" in done.stderr

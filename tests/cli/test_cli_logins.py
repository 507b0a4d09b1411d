"""``acurelief user deactivate / reactivate / password / reset-link``."""

from __future__ import annotations

import subprocess

import pytest

from tests.cli.cli_runner import (
    ACURELIEF,
    TIMEOUT_SECONDS,
    CliResult,
    assert_clean_failure,
    cli_env,
    run_cli,
)

PASSWORD = "a long enough password"
NEW_PASSWORD = "another long passphrase"


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An initialised database; each test adds its own login."""
    env = cli_env(tmp_path_factory.mktemp("logins"))
    assert run_cli(env, "init").code == 0
    return env


def _add(env: dict[str, str], email: str) -> None:
    added = run_cli(
        {**env, "ACURELIEF_NEW_PASSWORD": PASSWORD},
        *("user", "add", email, "--role", "practitioner", "--clinic", "Logins Clinic"),
    )
    assert added.code == 0, f"{added}"


def _with_stdin(env: dict[str, str], text: str, *args: str) -> CliResult:
    done = subprocess.run(  # noqa: S603 - our own console script, fixed arguments
        [str(ACURELIEF), *args],
        env=env,
        input=text,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    return CliResult(tuple(args), done.returncode, done.stdout, done.stderr)


def _works(env: dict[str, str], email: str) -> bool:
    """Whether the login can act (``--as`` checks the login exists and is active)."""
    return run_cli(env, "patient", "list", "--as", email, "--json").code == 0


def test_deactivate_then_reactivate(env: dict[str, str]) -> None:
    _add(env, "leaver@logins.example")

    off = run_cli(env, "user", "deactivate", "leaver@logins.example")
    acting = _works(env, "leaver@logins.example")
    on = run_cli(env, "user", "reactivate", "leaver@logins.example")

    assert off.code == 0, f"{off}"
    assert "deactivated" in off.stdout
    assert not acting
    assert on.code == 0, f"{on}"
    assert _works(env, "leaver@logins.example")


def test_password_from_stdin_and_policy_refusals(env: dict[str, str]) -> None:
    _add(env, "changer@logins.example")

    weak = _with_stdin(env, "password1234\n", "user", "password", "changer@logins.example")
    done = _with_stdin(env, NEW_PASSWORD + "\n", "user", "password", "changer@logins.example")
    unknown = _with_stdin(env, NEW_PASSWORD + "\n", "user", "password", "nobody@logins.example")

    assert_clean_failure(weak, code=2, mentions="most commonly used")
    assert done.code == 0, f"{done}"
    assert NEW_PASSWORD not in done.stdout + done.stderr
    assert_clean_failure(unknown, mentions="nobody@logins.example")


def test_reset_link_prints_a_one_time_link(env: dict[str, str]) -> None:
    _add(env, "forgot@logins.example")

    link = run_cli(
        env, "user", "reset-link", "forgot@logins.example", "--base-url", "https://c.example/"
    )

    assert link.code == 0, f"{link}"
    assert link.stdout.startswith("https://c.example/welcome/")
    assert len(link.stdout.strip().rsplit("/", 1)[1]) >= 43
    assert "forgot@logins.example" in link.stderr


def test_login_administration_is_audited_with_the_os_user_not_as_the_login(
    env: dict[str, str],
) -> None:
    """``user add / deactivate / password / reset-link`` act without a login: the audit names
    the operating-system user and channel "cli", and never records the login itself as the
    one who acted."""
    import getpass
    from pathlib import Path

    from sqlalchemy import create_engine, text

    _add(env, "audited@logins.example")
    assert run_cli(env, "user", "deactivate", "audited@logins.example").code == 0
    assert run_cli(env, "user", "reactivate", "audited@logins.example").code == 0
    assert (
        _with_stdin(env, NEW_PASSWORD + "\n", "user", "password", "audited@logins.example").code
        == 0
    )
    assert run_cli(env, "user", "reset-link", "audited@logins.example").code == 0

    engine = create_engine(f"sqlite:///{Path(env['ACURELIEF_DATA_DIR']) / 'acurelief.db'}")
    with engine.connect() as conn:
        user_id = conn.execute(
            text("SELECT id FROM users WHERE email = 'audited@logins.example'")
        ).scalar_one()
        rows = conn.execute(
            text(
                "SELECT action, user_id, channel, os_user FROM audit_log "
                "WHERE detail = :detail ORDER BY seq"
            ),
            {"detail": f"login {user_id}"},
        ).all()
    engine.dispose()
    assert [r.action for r in rows] == [
        "user_added",
        "deactivated",
        "reactivated",
        "password_reset",
        "reset_link_issued",
    ]
    assert {(r.user_id, r.channel, r.os_user) for r in rows} == {(None, "cli", getpass.getuser())}

"""``acurelief backup`` / ``restore``: an admin backs up and restores through the command,
both are audited, the file is private, and a practitioner is refused."""

from __future__ import annotations

import getpass
import stat
from pathlib import Path

import pytest
from sqlalchemy import select

from acurelief.storage.database import make_engine
from acurelief.storage.tables import AuditRow, DiaryDayRow
from tests.cli.cli_runner import assert_clean_failure, cli_env, run_cli


def _demo(folder: Path) -> tuple[dict[str, str], dict[str, str]]:
    """An initialised demo database in ``folder``; its environment and the demo's logins."""
    env = cli_env(folder)
    assert run_cli(env, "init").code == 0
    seeded = run_cli(env, "demo", "--json").json()
    admin = next(x for x in seeded["logins"] if x["role"] == "admin")
    env["ACURELIEF_PASSWORD"] = admin["password"]  # proves the admin at --as
    logins = {x["role"]: x["email"] for x in seeded["logins"]}
    return env, logins


def _actions(folder: Path) -> list[str]:
    engine = make_engine(f"sqlite:///{folder / 'acurelief.db'}")
    with engine.connect() as conn:
        actions = list(conn.scalars(select(AuditRow.action).order_by(AuditRow.id)))
    engine.dispose()
    return actions


def _diary_rows(folder: Path) -> int:
    engine = make_engine(f"sqlite:///{folder / 'acurelief.db'}")
    with engine.connect() as conn:
        count = len(conn.execute(select(DiaryDayRow.id)).all())
    engine.dispose()
    return count


def test_an_admin_backs_up_and_restores_into_a_new_database(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    origin = tmp_path_factory.mktemp("origin")
    target = tmp_path_factory.mktemp("target")
    env, logins = _demo(origin)
    file = tmp_path_factory.mktemp("backups") / "practice.backup"
    target_env = cli_env(target, ACURELIEF_PASSWORD=env["ACURELIEF_PASSWORD"])
    assert run_cli(target_env, "init").code == 0

    backed_up = run_cli(env, "backup", str(file), "--as", logins["admin"])
    again = run_cli(env, "backup", str(file), "--as", logins["admin"])
    restored = run_cli(target_env, "restore", str(file), "--as", logins["admin"])
    twice = run_cli(target_env, "restore", str(file), "--as", logins["admin"])
    forced = run_cli(target_env, "restore", str(file), "--as", logins["admin"], "--force")

    assert backed_up.code == 0, f"{backed_up}"
    assert "Backed up" in backed_up.stdout
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert_clean_failure(again, code=3, mentions="already exists")
    assert restored.code == 0, f"{restored}"
    assert "Restored" in restored.stdout
    assert_clean_failure(twice, code=3, mentions="--force")
    assert forced.code == 0, f"{forced}"
    assert _diary_rows(target) == _diary_rows(origin) > 0
    assert _actions(origin)[-1] == "backup"
    # The target holds the origin's log (its "backup" entry included), then its own restore.
    assert _actions(target) == [*_actions(origin), "restore"]


def test_a_practitioner_may_not_back_up(tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("practitioner")
    env, logins = _demo(folder)
    file = folder / "refused.backup"
    operator = {**env, "ACURELIEF_CLI_OPERATORS": getpass.getuser()}  # acts without password

    result = run_cli(operator, "backup", str(file), "--as", logins["practitioner"])

    assert_clean_failure(result, code=1, mentions="may not back up")
    assert not file.exists()
    assert "backup" not in _actions(folder)

"""Usage errors exit 2 naming the option; help does not load the science or database stack."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.cli_runner import assert_clean_failure, cli_env, run_cli

# What ``acurelief --help`` must not import (each command imports its own stack when it runs).
# numpy is not listed yet: cli/simulate.py still imports the mechanism at module level.
HEAVY = (
    "numpy",
    "scipy",
    "statsmodels",
    "pandas",
    "sqlalchemy",
    "matplotlib",
    "fastapi",
    "alembic",
)
COMMANDS = ("", "analyze diary", "trial analyze", "diagnose", "user add", "patient list", "init")


@pytest.mark.parametrize("command", COMMANDS)
def test_help_loads_no_heavy_module(command: str) -> None:
    code = (
        "import sys\n"
        "from acurelief.cli.main import app\n"
        "try:\n"
        f"    app({[*command.split(), '--help']!r}, standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
        f"loaded = [m for m in {HEAVY!r} if m in sys.modules]\n"
        "print(','.join(loaded))\n"
    )
    done = subprocess.run(  # noqa: S603 - our interpreter, fixed code
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert "Usage" in done.stdout
    assert done.stdout.splitlines()[-1] == "", f"imported by --help: {done.stdout.splitlines()[-1]}"


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("trial", "analyze", "t.csv", "--arm", "group"), "--outcome"),  # missing option
        (
            ("trial", "analyze", "t.csv", "--outcome", "y", "--arm", "g", "--outcome-type", "x"),
            "--outcome-type",
        ),  # bad choice
        (("analyze", "diary", "d.csv", "--min-share", "1.5"), "--min-share"),  # out of range
        (("demo", "--seed", "abc"), "--seed"),  # not a number
        (("trial", "analyze", "t.csv", "--bogus"), "--bogus"),  # unknown option
        (("diagnose",), "history"),  # missing argument
    ],
)
def test_usage_errors_exit_2_naming_the_option(
    tmp_path: Path, args: tuple[str, ...], option: str
) -> None:
    result = run_cli(cli_env(tmp_path), *args)
    line = assert_clean_failure(result, code=2, mentions=option)
    assert "Error:" not in line
    assert "Parameter:" not in line  # no class name such as MissingParameter
    assert "--help" in line


def test_a_group_called_alone_shows_its_commands(tmp_path: Path) -> None:
    result = run_cli(cli_env(tmp_path), "trial")
    assert "analyze" in result.stdout + result.stderr
    assert "NoArgsIsHelpError" not in result.stdout + result.stderr

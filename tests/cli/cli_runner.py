"""Run the installed ``acurelief`` console script the way a user does, in a clean environment."""

from __future__ import annotations

import getpass
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ACURELIEF = Path(sys.executable).parent / "acurelief"
TIMEOUT_SECONDS = 120

# Variables that would change what the CLI does or how rich lays out its output: every
# ACURELIEF_* setting (the tests give their own), and anything that makes rich believe it
# writes to a terminal or changes its width.
_TERMINAL_VARIABLES = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS", "LINES")


def cli_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The caller's environment, minus acurelief and terminal settings, using ``data_dir``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("ACURELIEF_") and key not in _TERMINAL_VARIABLES
    }
    env["ACURELIEF_DATA_DIR"] = str(data_dir)
    # The test runner's OS user is an operator (may act as any login without its password);
    # tests of the password path pass ACURELIEF_CLI_OPERATORS="" in ``extra``.
    env["ACURELIEF_CLI_OPERATORS"] = getpass.getuser()
    env.update(extra)
    return env


@dataclass(frozen=True)
class CliResult:
    args: tuple[str, ...]
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        assert self.code == 0, f"{self}"
        return json.loads(self.stdout)

    def __str__(self) -> str:
        return (
            f"acurelief {' '.join(self.args)} -> exit {self.code}\n"
            f"--- stdout ---\n{self.stdout}--- stderr ---\n{self.stderr}"
        )


def run_cli(env: dict[str, str], *args: str) -> CliResult:
    """``acurelief ARGS`` as a subprocess with stdin not a terminal; never raises on failure."""
    assert ACURELIEF.exists(), f"the console script {ACURELIEF} is not installed"
    done = subprocess.run(  # noqa: S603 - our own console script, fixed arguments
        [str(ACURELIEF), *args],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    return CliResult(tuple(args), done.returncode, done.stdout, done.stderr)


def assert_clean_failure(result: CliResult, *, code: int | None = None, mentions: str) -> str:
    """A failure as ``run()`` promises it: non-zero exit, one line on stderr, no traceback."""
    assert result.code != 0, f"expected a failure\n{result}"
    if code is not None:
        assert result.code == code, f"expected exit {code}\n{result}"
    assert "Traceback" not in result.stdout + result.stderr, f"{result}"
    assert result.stdout == "", f"nothing belongs on stdout\n{result}"
    lines = result.stderr.splitlines()
    assert len(lines) == 1, f"expected exactly one line on stderr\n{result}"
    assert mentions in lines[0], f"expected {mentions!r} on stderr\n{result}"
    return lines[0]


def flat(text: str) -> str:
    """``text`` with runs of whitespace as single spaces (rich wraps long lines at 80)."""
    return " ".join(text.split())

"""Run the README's example commands and write their real output back under each one.

The README's ```` ```console ```` blocks hold commands (lines starting ``$ ``) each followed by
what it printed. This script runs every block's commands in order, in one scratch directory
(the first block seeds the demo practice there, as ``make run`` does), and replaces each
command's output with what it prints now — so the examples never drift from the code. A
command may pipe into ``head`` or ``tail`` to show part of a long output; the pipe is part of
the command the reader sees.

Run: .venv/bin/python scripts/readme_outputs.py [--check]
(``--check`` writes nothing and exits 1 when an output differs.) Outputs that depend on
today's date (the demo is seeded up to today) change from day to day.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BLOCK = re.compile(r"^```console\n(.*?)^```$", re.S | re.M)
WIDTH = "100"  # rich wraps at the terminal width; fixed so outputs do not depend on the shell


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACURELIEF_")}
    env |= {
        "ACURELIEF_DATA_DIR": "data",  # as make run: relative to where the commands run
        "COLUMNS": WIDTH,
        "NO_COLOR": "1",
        "TERM": "dumb",
    }
    return env


def _run(command: str, scratch: Path, env: dict[str, str]) -> str:
    done = subprocess.run(  # noqa: S603 - the README's own commands, which it shows
        ["/bin/bash", "-o", "pipefail", "-c", command],
        cwd=scratch,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode not in (0, 1, 2, 3) or (done.returncode == 0 and done.stderr.strip()):
        print(f"note: {command!r} exited {done.returncode}", file=sys.stderr)
    printed = (done.stdout + done.stderr).rstrip("\n")
    return "\n".join(line.rstrip() for line in printed.splitlines())


def _commands(block: str) -> list[str]:
    return [line[2:] for line in block.splitlines() if line.startswith("$ ")]


def _rerun(block: str, scratch: Path, env: dict[str, str]) -> str:
    out = []
    for command in _commands(block):
        printed = _run(command, scratch, env)
        out.append(f"$ {command}" + (f"\n{printed}" if printed else ""))
    return "\n\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 if an output differs")
    args = parser.parse_args()
    text = README.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="acurelief_readme_") as tmp:
        scratch = Path(tmp)
        for name in (".venv", "examples"):
            (scratch / name).symlink_to(ROOT / name)
        env = _environment()
        new = BLOCK.sub(lambda m: f"```console\n{_rerun(m.group(1), scratch, env)}```", text)
    if args.check:
        sys.exit(0 if new == text else 1)
    README.write_text(new, encoding="utf-8")
    state = "changed" if new != text else "unchanged"
    print(f"README: {len(BLOCK.findall(text))} blocks run; {state}")


if __name__ == "__main__":
    main()

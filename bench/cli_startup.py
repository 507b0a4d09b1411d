"""Start-up time of the command line: the median wall time of ``acurelief --help``.

Target: under 0.5 s (issue 9, goal 8). Written to ``bench/results/cli_startup.json``.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

RUNS = 10
TARGET_SECONDS = 0.5
ACURELIEF = Path(sys.executable).parent / "acurelief"
RESULTS = Path(__file__).resolve().parent / "results" / "cli_startup.json"


def wall_times(args: list[str], runs: int = RUNS) -> list[float]:
    """Seconds per run of ``acurelief ARGS``, output discarded."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(  # noqa: S603 - our own console script, fixed arguments
            [str(ACURELIEF), *args], capture_output=True, check=True, timeout=60
        )
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    results = {}
    for name, args in {
        "--help": ["--help"],
        "trial analyze --help": ["trial", "analyze", "--help"],
    }.items():
        times = wall_times(args)
        results[name] = {"median_seconds": round(statistics.median(times), 3), "runs": len(times)}
    record = {"target_seconds": TARGET_SECONDS, "commands": results}
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(record, indent=2))


if __name__ == "__main__":
    main()

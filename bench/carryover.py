"""Carry-over fit time per patient over 10,000 virtual patients (issue #5 target: median ≤ 5 ms).

Run: make bench (or .venv/bin/python bench/carryover.py [--quick]); writes
bench/results/carryover.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import time
from pathlib import Path

import numpy as np

from acurelief.analysis.carryover import CarryOverFitter
from acurelief.errors import InsufficientData
from acurelief.mechanism.cohort import simulate_cohort
from acurelief.mechanism.profiles import HeadacheType
from acurelief.mechanism.schedule import Schedule

RESULTS = Path(__file__).resolve().parent / "results"
TARGET_MS = 5.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1,000 patients")
    args = parser.parse_args()
    n = 1_000 if args.quick else 10_000
    cohort = simulate_cohort(
        n,
        rng=np.random.default_rng(3),
        schedule=Schedule.evenly(12, 8),
        follow_days=168,
        types=HeadacheType.CHRONIC_MIGRAINE,
    )
    sessions = list(cohort.session_days + cohort.baseline_days)
    times = []
    for i in range(n):
        started = time.perf_counter()
        try:
            CarryOverFitter().fit(cohort.headache[i], cohort.recorded[i], sessions)
        except InsufficientData:
            continue
        times.append((time.perf_counter() - started) * 1000)
    median = statistics.median(times)
    record = {
        "benchmark": "carryover",
        "quick": args.quick,
        "timestamp": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "machine": {"machine": platform.machine(), "cpu_count": os.cpu_count()},
        "patients": n,
        "fitted": len(times),
        "days_per_patient": cohort.days,
        "median_ms": round(median, 3),
        "p90_ms": round(float(np.percentile(times, 90)), 3),
        "target_median_ms": TARGET_MS,
        "meets_target": median <= TARGET_MS,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "carryover.quick.json" if args.quick else "carryover.json"
    (RESULTS / name).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(
        f"carry-over fit: median {median:.2f} ms per patient over {len(times):,} patients "
        f"(target {TARGET_MS:g} ms)"
    )


if __name__ == "__main__":
    main()

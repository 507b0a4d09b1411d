"""Simulated patient-days per second: a 10,000-patient, one-year cohort (issue #3 target: 5 M/s).

Run: make bench (or .venv/bin/python bench/simulation.py [--quick]); writes
bench/results/simulation.json.
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
from rich.console import Console
from rich.table import Table

from acurelief.mechanism.cohort import simulate_cohort
from acurelief.mechanism.profiles import NonSpecific
from acurelief.mechanism.schedule import Schedule

RESULTS = Path(__file__).resolve().parent / "results"
TARGET_PER_S = 5_000_000


def run(patients: int, repeats: int) -> dict[str, object]:
    schedule = Schedule.evenly(12, 8)
    placebo = NonSpecific(effect=0.27)
    days = 365
    rates = []
    simulate_cohort(100, rng=np.random.default_rng(0), schedule=schedule, follow_days=days - 28)
    for repeat in range(repeats):
        started = time.perf_counter()
        cohort = simulate_cohort(
            patients,
            rng=np.random.default_rng(repeat),
            schedule=schedule,
            baseline_days=28,
            follow_days=days - 28,
            nonspecific=placebo,
        )
        elapsed = time.perf_counter() - started
        rates.append(cohort.n * cohort.days / elapsed)
    return {
        "patients": patients,
        "days": days,
        "repeats": repeats,
        "median_patient_days_per_s": round(statistics.median(rates)),
        "min_patient_days_per_s": round(min(rates)),
        "max_patient_days_per_s": round(max(rates)),
        "target_per_s": TARGET_PER_S,
        "meets_target": statistics.median(rates) >= TARGET_PER_S,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1,000 patients, 2 repeats")
    args = parser.parse_args()
    result = run(1_000, 2) if args.quick else run(10_000, 5)
    record = {
        "benchmark": "simulation",
        "quick": args.quick,
        "timestamp": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "machine": {"machine": platform.machine(), "cpu_count": os.cpu_count()},
        **result,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "simulation.quick.json" if args.quick else "simulation.json"
    (RESULTS / name).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    table = Table("cohort", "median patient-days/s", "min", "max", "target")
    table.add_row(
        f"{result['patients']:,} × {result['days']} days",
        f"{result['median_patient_days_per_s']:,}",
        f"{result['min_patient_days_per_s']:,}",
        f"{result['max_patient_days_per_s']:,}",
        f"{TARGET_PER_S:,}",
    )
    Console().print(table)


if __name__ == "__main__":
    main()

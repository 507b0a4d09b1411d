"""All endpoints for 100,000 patients × 365 days from columnar arrays (issue #5 target: ≤ 5 s),
with the same headache-days-per-28 computation as a plain pandas group-by for the ratio.

Run: make bench (or .venv/bin/python bench/endpoints.py [--quick]); writes
bench/results/endpoints.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import time
from pathlib import Path

import numpy as np
import pandas as pd
from rich.console import Console

from acurelief.mechanism.cohort import simulate_cohort
from acurelief.mechanism.export import diary_arrays
from acurelief.mechanism.schedule import Schedule
from acurelief.outcomes.endpoints import (
    EndpointRules,
    daily_flags,
    overuse_risk,
    responders,
    standard_windows,
    window_endpoints,
)

RESULTS = Path(__file__).resolve().parent / "results"
TARGET_S = 5.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10,000 patients")
    args = parser.parse_args()
    n = 10_000 if args.quick else 100_000
    cohort = simulate_cohort(
        n,
        rng=np.random.default_rng(1),
        schedule=Schedule.evenly(12, 8),
        baseline_days=28,
        follow_days=337,
    )
    arrays = diary_arrays(cohort)
    rules = EndpointRules()
    windows = standard_windows(48)

    started = time.perf_counter()
    flags = daily_flags(arrays, rules)
    results = [window_endpoints(arrays, w, rules, flags) for w in windows]
    base = results[0]
    for r in results[1:]:
        responders(base.headache_days, r.headache_days)
    overuse_risk(arrays)
    ours = time.perf_counter() - started

    patient, column = np.nonzero(arrays.recorded)
    frame = pd.DataFrame(
        {
            "patient": patient,
            "day": column - arrays.baseline_days,
            "headache": arrays.headache[patient, column],
        }
    )
    started = time.perf_counter()
    for w in windows:
        inside = frame[(frame["day"] >= w.start) & (frame["day"] < w.stop)]
        grouped = inside.groupby("patient")["headache"].agg(["sum", "count"])
        per_28 = grouped["sum"] / grouped["count"] * 28
        per_28.where(grouped["count"] >= 0.8 * (w.stop - w.start))
    pandas_one = time.perf_counter() - started
    check = base.headache_days
    grouped = frame[frame["day"] < 0].groupby("patient")["headache"].agg(["sum", "count"])
    expected = (grouped["sum"] / grouped["count"] * 28).where(grouped["count"] >= 23)
    assert np.allclose(check[grouped.index], expected.to_numpy(), equal_nan=True)

    record = {
        "benchmark": "endpoints",
        "quick": args.quick,
        "timestamp": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "machine": {"machine": platform.machine(), "cpu_count": os.cpu_count()},
        "patients": n,
        "days": arrays.days,
        "windows": len(windows),
        "all_endpoints_seconds": round(ours, 3),
        "target_seconds": TARGET_S,
        "meets_target": ours <= TARGET_S,
        "pandas_groupby_headache_days_only_seconds": round(pandas_one, 3),
        "ratio_pandas_one_endpoint_to_ours_all": round(pandas_one / ours, 2),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "endpoints.quick.json" if args.quick else "endpoints.json"
    (RESULTS / name).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    Console().print(
        f"{n:,} patients × {arrays.days} days, {len(windows)} windows: all endpoints "
        f"in {ours:.2f} s (target {TARGET_S:g} s); pandas group-by for headache days "
        f"alone: {pandas_one:.2f} s ({pandas_one / ours:.1f}× ours for everything)"
    )


if __name__ == "__main__":
    main()

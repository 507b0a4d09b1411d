"""Calibrate the mechanism model to the published responder rates (clinical-facts §3.1).

Run: .venv/bin/python scripts/calibrate_mechanism.py [--n 20000] [--seed 2016] (~30 s)
Prints the fitted values (to copy into the defaults: Population.fluctuation_sd,
Population.specific_response_mean, trial.NONSPECIFIC_EFFECT) and writes them with the rates
they reach on fresh random numbers to docs/mechanism-calibration.json.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import time
from pathlib import Path

from acurelief.mechanism.calibration import TARGETS, calibrate

OUT = Path(__file__).resolve().parent.parent / "docs" / "mechanism-calibration.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=20_000, help="patients per arm per evaluation")
    parser.add_argument("--seed", type=int, default=2016)
    args = parser.parse_args()
    started = time.perf_counter()
    result = calibrate(args.n, args.seed, log=print)
    record = {
        **dataclasses.asdict(result),
        "targets": {f"{d}/{a}": v for (d, a), v in TARGETS.items()},
        "n_per_arm": args.n,
        "seed": args.seed,
        "seconds": round(time.perf_counter() - started, 1),
    }
    OUT.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(record, indent=2))


if __name__ == "__main__":
    main()

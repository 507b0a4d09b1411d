"""The audit log's hash chain: rows per second appended (in batches) and verified, on SQLite
(and on PostgreSQL with ``--database-url``).

Fills a fresh database with ``--rows`` audit entries (default 1,000,000) through the same
``storage.audit.append`` that the unit of work uses, 10,000 per transaction, then times
``verify_chain`` (keyset pages of 50,000 rows, each in a short read-only transaction) over the
whole chain, median of 3 runs.

Run: make bench (or .venv/bin/python bench/audit_verify.py [--quick] [--database-url URL]);
writes bench/results/audit_verify.json (``--quick``: 100,000 rows, audit_verify.quick.json).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

import sqlalchemy
from rich.console import Console
from sqlalchemy.orm import Session

from acurelief.domain.audit import AuditEntry, Outcome
from acurelief.storage.audit import append, verify_chain
from acurelief.storage.database import make_engine
from acurelief.storage.migrate import upgrade

RESULTS = Path(__file__).resolve().parent / "results"
NOW = dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.UTC)
KEY = b"bench-audit-key-" * 2
BATCH = 10_000
REPEATS = 3


def _entries(start: int, count: int) -> list[AuditEntry]:
    return [
        AuditEntry(
            at=NOW + dt.timedelta(seconds=n),
            user_id=n % 40 + 1,
            action=("read", "write_diary", "record_session", "list_patients")[n % 4],
            patient_id=n % 3000 + 1,
            detail="" if n % 5 else "12 patients",
            channel=("web", "api", "cli")[n % 3],
            outcome=Outcome.OK if n % 50 else Outcome.REFUSED,
            clinic_id=n % 3 + 1,
            token_id=n % 7 if n % 3 == 1 else None,
        )
        for n in range(start, start + count)
    ]


def run(url: str, rows: int) -> dict[str, float]:
    engine = make_engine(url)
    upgrade(engine, audit_key=KEY)
    started = time.perf_counter()
    for start in range(0, rows, BATCH):
        with Session(engine) as session, session.begin():
            append(session, KEY, _entries(start, min(BATCH, rows - start)))
    appending = time.perf_counter() - started
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        report = verify_chain(engine, KEY)
        times.append(time.perf_counter() - started)
        assert report.ok, report
        assert report.rows == rows, report
    engine.dispose()
    verify = statistics.median(times)
    return {
        "append_seconds": round(appending, 2),
        "append_rows_per_second": round(rows / appending),
        "verify_median_seconds": round(verify, 2),
        "verify_rows_per_second": round(rows / verify),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="100,000 rows")
    parser.add_argument("--rows", type=int, default=None)
    parser.add_argument("--database-url", default=None, help="an empty PostgreSQL database")
    args = parser.parse_args()
    rows = args.rows or (100_000 if args.quick else 1_000_000)
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'audit.db'}"
        figures = run(url, rows)
    backend = "postgresql" if args.database_url else "sqlite"
    record = {
        "benchmark": "audit_verify",
        "quick": args.quick,
        "timestamp": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "sqlalchemy": sqlalchemy.__version__,
        "machine": {"machine": platform.machine(), "cpu_count": os.cpu_count()},
        "load_average_1min": round(os.getloadavg()[0], 2),
        "backend": backend,
        "rows": rows,
        **figures,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "audit_verify.quick.json" if args.quick else "audit_verify.json"
    if args.database_url:
        name = name.replace("audit_verify", "audit_verify.postgresql")
    (RESULTS / name).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    Console().print(
        f"audit chain, {rows:,} rows on {backend}: appended {figures['append_rows_per_second']:,}"
        f" rows/s; verified in {figures['verify_median_seconds']} s "
        f"({figures['verify_rows_per_second']:,} rows/s, median of {REPEATS}); "
        f"written to {RESULTS / name}"
    )


if __name__ == "__main__":
    main()

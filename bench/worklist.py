"""The practitioner's worklist for a clinic of 300 patients × 365 diary days + 12 sessions each,
on SQLite: seconds per ``worklist()`` call (median of 5, after an untimed warm-up call).

The clinic is seeded with SQLAlchemy Core bulk inserts from a seeded ``numpy`` generator: a
year of diary per patient (about a third of days with headache, some with triptans), 12 weekly
sessions from day 60, an intake for nine patients in ten (the tenth is diagnosed from the
diary, the slower path) and one PHQ-9 each (item 9 above 0 for one in twenty). A second
scenario removes every intake, so that every patient is diagnosed from the diary.

Run: make bench (or .venv/bin/python bench/worklist.py [--quick]); writes
bench/results/worklist.json (``--quick``: 30 patients, worklist.quick.json).
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
from typing import Any

import numpy as np
import sqlalchemy
from rich.console import Console
from sqlalchemy import Engine, delete, insert

from acurelief.domain import MedicationClass, Role
from acurelief.domain.access import Actor
from acurelief.services.worklist import worklist
from acurelief.services.worklist_figures import OveruseFlag
from acurelief.storage.database import make_engine
from acurelief.storage.migrate import upgrade
from acurelief.storage.tables import (
    ClinicRow,
    DiaryDayRow,
    IntakeRow,
    PatientRow,
    QuestionnaireRow,
    SessionRow,
    UserRow,
)
from acurelief.storage.unit_of_work import SqlUnitOfWorkFactory

RESULTS = Path(__file__).resolve().parent / "results"
NOW = dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.UTC)
DAYS = 365
SESSIONS = 12
FIRST_SESSION_DAY = 60  # days into the diary: a full baseline before it
REPEATS = 5
SEED = 20260615
INTAKE = {
    "migraine_like": {
        "lifetime_attacks": 40,
        "duration_hours_min": 6,
        "duration_hours_max": 24,
        "location": "unilateral",
        "quality": "pulsating",
        "intensities": ["moderate", "severe"],
        "aggravated_by_activity": True,
        "nausea": True,
    },
    "frequency": {"headache_days_per_month": 6, "migraine_like_days_per_month": 6},
    "red_flags": {"sudden_onset": False},
}


def seed_clinic(engine: Engine, patients: int, rng: np.random.Generator) -> Actor:
    """One clinic with one practitioner and ``patients`` patients; returns the practitioner."""
    with engine.begin() as conn:
        clinic_id = conn.execute(
            insert(ClinicRow).values(name="Bench clinic").returning(ClinicRow.id)
        ).scalar_one()
        user_id = conn.execute(
            insert(UserRow)
            .values(
                clinic_id=clinic_id,
                email="practitioner@example.org",
                display_name="Practitioner",
                role=Role.PRACTITIONER.value,
                password_hash="-",
                active=True,
            )
            .returning(UserRow.id)
        ).scalar_one()
        conn.execute(
            insert(PatientRow),
            [
                {
                    "clinic_id": clinic_id,
                    "practitioner_id": user_id,
                    "name": f"Patient {i:03d}",
                    "date_of_birth": dt.date(1960 + i % 40, 1 + i % 12, 15),
                    "sex": "female",
                    "time_zone": "Europe/Berlin",
                }
                for i in range(patients)
            ],
        )
        ids = [int(i) for i in conn.scalars(sqlalchemy.select(PatientRow.id))]
        conn.execute(insert(DiaryDayRow), [d for pid in ids for d in diary_rows(pid, rng)])
        conn.execute(insert(SessionRow), [s for pid in ids for s in session_rows(pid)])
        conn.execute(insert(IntakeRow), intake_rows(ids))
        conn.execute(insert(QuestionnaireRow), phq9_rows(ids))
    return Actor(user_id=user_id, role=Role.PRACTITIONER, clinic_id=clinic_id)


def diary_rows(pid: int, rng: np.random.Generator) -> list[dict[str, Any]]:
    start = NOW.date() - dt.timedelta(days=DAYS - 1)
    headache = rng.random(DAYS) < 0.35
    triptan = headache & (rng.random(DAYS) < 0.5)
    pain = rng.integers(2, 11, DAYS)
    hours = np.round(rng.uniform(1.0, 20.0, DAYS), 1)
    out = []
    for n in range(DAYS):
        ache = bool(headache[n])
        out.append(
            {
                "patient_id": pid,
                "date": start + dt.timedelta(days=n),
                "headache": ache,
                "peak_pain": int(pain[n]) if ache else None,
                "headache_hours": float(hours[n]) if ache else None,
                "side": "unilateral" if ache and n % 2 else None,
                "quality": "pulsating" if ache else None,
                "nausea": True if ache else None,
                "photophobia": True if ache else None,
                "phonophobia": None,
                "aggravated_by_activity": None,
                "vomiting": None,
                "aura": None,
                "menstruation": None,
                "mood": 6,
                "medications": {MedicationClass.TRIPTAN.value: 1} if triptan[n] else {},
            }
        )
    return out


def session_rows(pid: int) -> list[dict[str, Any]]:
    first = NOW - dt.timedelta(days=DAYS - FIRST_SESSION_DAY)
    return [
        {
            "patient_id": pid,
            "practitioner_id": None,
            "started_at": first + dt.timedelta(weeks=k),
            "stimulation_kind": "manual",
            "frequencies_hz": [],
        }
        for k in range(SESSIONS)
    ]


def intake_rows(ids: list[int]) -> list[dict[str, Any]]:
    return [
        {"patient_id": pid, "recorded_at": NOW - dt.timedelta(days=300), "data": INTAKE}
        for i, pid in enumerate(ids)
        if i % 10
    ]


def phq9_rows(ids: list[int]) -> list[dict[str, Any]]:
    return [
        {
            "patient_id": pid,
            "instrument": "PHQ-9",
            "date": NOW.date() - dt.timedelta(days=7),
            "answers": {str(k): 1 for k in range(1, 9)} | {"9": 1 if i % 20 == 0 else 0},
        }
        for i, pid in enumerate(ids)
    ]


def timed(factory: SqlUnitOfWorkFactory, actor: Actor, patients: int) -> float:
    started = time.perf_counter()
    with factory() as uow:
        result = worklist(uow, actor, NOW, sort="alerts")
    elapsed = time.perf_counter() - started
    if len(result.rows) != patients:
        raise RuntimeError(f"{len(result.rows)} rows, expected {patients}")
    return elapsed


def scenario(factory: SqlUnitOfWorkFactory, actor: Actor, patients: int) -> dict[str, Any]:
    """One untimed warm-up call (whose rows are summarised), then ``REPEATS`` timed calls."""
    with factory() as uow:
        sample = worklist(uow, actor, NOW, sort="alerts")
    seconds = [timed(factory, actor, patients) for _ in range(REPEATS)]
    flagged: list[OveruseFlag] = [f for r in sample.rows for f in r.overuse]
    return {
        "repeats": REPEATS,
        "median_seconds": round(statistics.median(seconds), 3),
        "min_seconds": round(min(seconds), 3),
        "max_seconds": round(max(seconds), 3),
        "per_repeat_seconds": [round(s, 3) for s in seconds],
        "rows_with_alert": sum(1 for r in sample.rows if r.alerts),
        "rows_diagnosed_from_intake": sum(1 for r in sample.rows if r.diagnosis_source == "intake"),
        "rows_diagnosed_from_diary": sum(1 for r in sample.rows if r.diagnosis_source == "diary"),
        "overuse_flags": len(flagged),
    }


def run(patients: int) -> tuple[float, dict[str, Any]]:
    """Seed a fresh SQLite file; time the worklist with intakes for 9 in 10, then with none
    (every patient diagnosed from the diary: the slowest case)."""
    with tempfile.TemporaryDirectory(prefix="acurelief_bench_") as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        try:
            upgrade(engine)
            started = time.perf_counter()
            actor = seed_clinic(engine, patients, np.random.default_rng(SEED))
            seeding = time.perf_counter() - started
            factory = SqlUnitOfWorkFactory(engine)
            results = {"intake_for_9_in_10": scenario(factory, actor, patients)}
            with engine.begin() as conn:
                conn.execute(delete(IntakeRow))
            results["no_intake_all_from_diary"] = scenario(factory, actor, patients)
        finally:
            engine.dispose()
    return seeding, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="30 patients")
    args = parser.parse_args()
    patients = 30 if args.quick else 300
    seeding, scenarios = run(patients)
    record = {
        "benchmark": "worklist",
        "quick": args.quick,
        "timestamp": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "sqlalchemy": sqlalchemy.__version__,
        "numpy": np.__version__,
        "machine": {"machine": platform.machine(), "cpu_count": os.cpu_count()},
        "load_average_1min": round(os.getloadavg()[0], 2),
        "patients": patients,
        "diary_days_per_patient": DAYS,
        "sessions_per_patient": SESSIONS,
        "seed_seconds": round(seeding, 2),
        "scenarios": scenarios,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "worklist.quick.json" if args.quick else "worklist.json"
    (RESULTS / name).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    console = Console()
    for key, fig in scenarios.items():
        console.print(
            f"worklist() for {patients} patients × {DAYS} diary days + {SESSIONS} sessions on "
            f"SQLite {sqlite3.sqlite_version}, {key}: median {fig['median_seconds']:.3f} s of "
            f"{REPEATS} (min {fig['min_seconds']:.3f}, max {fig['max_seconds']:.3f})"
        )
    console.print(f"Seeding took {seeding:.1f} s; written to {RESULTS / name}")


if __name__ == "__main__":
    main()

"""Saving the patient's Today form: server time of ``POST /diary/{date}`` on SQLite
(issue #8 target: median under 50 ms).

The whole app runs in-process (FastAPI through Starlette's TestClient) on a fresh, migrated
SQLite file holding one clinic, one patient with a login and a year of diary. The patient logs
in once (untimed, with the real password hashing), opens Today for its CSRF token, and then
posts the form ``N`` times, as a browser does: the cookie, the token and our Origin, every
field of the form as typed. Two kinds of save alternate, as in real use:

* ``no_headache``: the one-tap "No headache" on Today (the day is replaced each time);
* ``headache_day``: an earlier day with pain, hours, features, a triptan, mood and a note.

"Server time" is measured inside the ASGI app (from the request entering the app to the last
byte of the 303 answer): CSRF check, login from the session, both validation rounds, the
access check with its audit row, the upsert and the commit. The round trip through the test
client is reported beside it. An untimed warm-up comes first; each response must be a 303
and the diary must hold exactly the days written.

Run: make bench (or .venv/bin/python bench/today_form.py [--quick]); writes
bench/results/today_form.json (``--quick``: 40 saves, today_form.quick.json).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy
from fastapi.testclient import TestClient
from pydantic import SecretStr
from rich.console import Console
from starlette.types import ASGIApp, Receive, Scope, Send

from acurelief.config import Environment, Settings
from acurelief.domain import Clinic, DiaryDay, MedicationClass, Patient, Role, Sex
from acurelief.services import accounts
from acurelief.storage.database import make_engine
from acurelief.storage.migrate import upgrade
from acurelief.storage.unit_of_work import SqlUnitOfWorkFactory
from acurelief.web import create_app

RESULTS = Path(__file__).resolve().parent / "results"
NOW = dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 6, 15)  # NOW in Europe/Berlin
TARGET_MS = 50.0
SAVES = 400
QUICK_SAVES = 40
WARMUP = 20
HISTORY_DAYS = 365
SEED = 20260615
EMAIL = "bench.patient@example.org"
PASSWORD = "benchmark password 2026"  # noqa: S105 (a throwaway login in a temporary database)
ORIGIN = {"Origin": "http://testserver"}
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


class ServerTimer:
    """Wraps the ASGI app and records how long each HTTP request spent inside it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.seconds: list[float] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        await self.app(scope, receive, send)
        if scope["type"] == "http":
            self.seconds.append(time.perf_counter() - started)


def blank_form() -> dict[str, str]:
    """What the untouched Today form sends: every dose at 0 and the text boxes empty."""
    form = {f"medications.{m.value}": "0" for m in MedicationClass}
    return form | {"headache_hours": "", "sleep_hours": "", "notes": "", "back": "/today"}


def no_headache_form() -> dict[str, str]:
    return blank_form() | {"headache": "no"}


def headache_form(rng: random.Random) -> dict[str, str]:
    return blank_form() | {
        "headache": "yes",
        "peak_pain": str(rng.randint(3, 9)),
        "headache_hours": str(rng.choice((1.5, 3, 6, 12))),
        "features.side": rng.choice(("unilateral", "bilateral", "unknown")),
        "features.quality": "pulsating",
        "features.nausea": rng.choice(("yes", "no", "unknown")),
        "features.photophobia": "yes",
        "medications.triptan": "1",
        "mood": str(rng.randint(2, 8)),
        "notes": "Woke up with it; better after the tablet.",
        "back": "/diary",
    }


def seed(factory: SqlUnitOfWorkFactory, rng: random.Random) -> int:
    """One clinic, one patient with a login, and a year of diary before today."""
    with factory() as uow:
        clinic = uow.clinics.add(Clinic(name="Benchmark clinic"))
        assert clinic.id is not None
        patient = uow.patients.add(
            Patient(
                clinic_id=clinic.id,
                practitioner_id=None,
                name="Bench Patient",
                date_of_birth=dt.date(1984, 3, 2),
                sex=Sex.FEMALE,
                time_zone="Europe/Berlin",
            )
        )
        assert patient.id is not None
        accounts.create_user(
            uow,
            clinic_id=clinic.id,
            email=EMAIL,
            display_name="Bench Patient",
            role=Role.PATIENT,
            password=PASSWORD,
            patient_id=patient.id,
        )
        for back in range(1, HISTORY_DAYS + 1):
            headache = rng.random() < 0.3
            uow.diary.upsert(
                DiaryDay(
                    patient_id=patient.id,
                    date=TODAY - dt.timedelta(days=back),
                    headache=headache,
                    peak_pain=rng.randint(2, 9) if headache else None,
                    mood=rng.randint(0, 10),
                )
            )
        uow.commit()
    return patient.id


@contextmanager
def served(
    factory: SqlUnitOfWorkFactory, data_dir: Path
) -> Iterator[tuple[TestClient, ServerTimer]]:
    settings = Settings(
        environment=Environment.TEST, data_dir=data_dir, secret_key=SecretStr("b" * 40)
    )
    timer = ServerTimer(create_app(settings, uow_factory=factory, clock=lambda: NOW))
    with TestClient(timer, follow_redirects=False) as client:
        yield client, timer


def log_in(client: TestClient) -> str:
    """Log the patient in and return the CSRF token Today hands out."""
    token = _TOKEN.search(client.get("/login").text)
    assert token is not None
    fields = {"email": EMAIL, "password": PASSWORD, "csrf_token": token.group(1)}
    answer = client.post("/login", data=fields, headers=ORIGIN)
    assert answer.headers.get("location") == "/today", answer.status_code
    today = _TOKEN.search(client.get("/today").text)
    assert today is not None
    return today.group(1)


def save(client: TestClient, token: str, date: dt.date, form: dict[str, str]) -> float:
    """Post one form; returns the round trip in seconds."""
    started = time.perf_counter()
    answer = client.post(f"/diary/{date}", data=form | {"csrf_token": token}, headers=ORIGIN)
    elapsed = time.perf_counter() - started
    if answer.status_code != 303:
        raise RuntimeError(f"saving {date} answered {answer.status_code}, not 303")
    return elapsed


def summary(seconds: list[float]) -> dict[str, Any]:
    ms = sorted(s * 1000 for s in seconds)
    return {
        "n": len(ms),
        "median_ms": round(statistics.median(ms), 2),
        "p90_ms": round(ms[int(0.9 * (len(ms) - 1))], 2),
        "min_ms": round(ms[0], 2),
        "max_ms": round(ms[-1], 2),
    }


def run(saves: int) -> dict[str, Any]:
    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory(prefix="acurelief_bench_") as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        try:
            upgrade(engine)
            factory = SqlUnitOfWorkFactory(engine)
            patient_id = seed(factory, rng)
            with served(factory, Path(tmp)) as (client, timer):
                token = log_in(client)
                for i in range(WARMUP):
                    save(client, token, TODAY - dt.timedelta(days=i % 7), no_headache_form())
                kinds: dict[str, tuple[list[float], list[float]]] = {
                    "no_headache": ([], []),
                    "headache_day": ([], []),
                }
                for i in range(saves):
                    kind = "no_headache" if i % 2 == 0 else "headache_day"
                    if kind == "no_headache":
                        date, form = TODAY, no_headache_form()
                    else:
                        date, form = TODAY - dt.timedelta(days=1 + i % 60), headache_form(rng)
                    before = len(timer.seconds)
                    trip = save(client, token, date, form)
                    kinds[kind][0].append(timer.seconds[before])
                    kinds[kind][1].append(trip)
            with factory() as uow:
                rows = len(uow.diary.between(patient_id, TODAY - dt.timedelta(days=4000), TODAY))
            if rows != HISTORY_DAYS + 1:
                raise RuntimeError(f"{rows} diary days, expected {HISTORY_DAYS + 1}")
        finally:
            engine.dispose()
    every_server = kinds["no_headache"][0] + kinds["headache_day"][0]
    every_trip = kinds["no_headache"][1] + kinds["headache_day"][1]
    return {
        "all": {"server": summary(every_server), "round_trip": summary(every_trip)},
        **{
            key: {"server": summary(server), "round_trip": summary(trip)}
            for key, (server, trip) in kinds.items()
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_SAVES} saves")
    args = parser.parse_args()
    saves = QUICK_SAVES if args.quick else SAVES
    scenarios = run(saves)
    median = scenarios["all"]["server"]["median_ms"]
    record = {
        "benchmark": "today_form",
        "quick": args.quick,
        "timestamp": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "sqlalchemy": sqlalchemy.__version__,
        "machine": {"machine": platform.machine(), "cpu_count": os.cpu_count()},
        "load_average_1min": round(os.getloadavg()[0], 2),
        "diary_days_before": HISTORY_DAYS,
        "saves": saves,
        "warmup": WARMUP,
        "target_median_ms": TARGET_MS,
        "meets_target": median < TARGET_MS,
        "scenarios": scenarios,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "today_form.quick.json" if args.quick else "today_form.json"
    (RESULTS / name).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    console = Console()
    for key, fig in scenarios.items():
        server, trip = fig["server"], fig["round_trip"]
        console.print(
            f"POST /diary/{{date}} ({key}, n={server['n']}) on SQLite {sqlite3.sqlite_version}: "
            f"server median {server['median_ms']:.1f} ms (p90 {server['p90_ms']:.1f}, "
            f"max {server['max_ms']:.1f}); round trip median {trip['median_ms']:.1f} ms"
        )
    verdict = "meets" if median < TARGET_MS else "[red]misses[/red]"
    console.print(f"Median server time {median:.1f} ms {verdict} the {TARGET_MS:g} ms target")
    console.print(f"Written to {RESULTS / name}")
    return 0 if median < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())

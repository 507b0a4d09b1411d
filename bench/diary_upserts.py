"""Diary-day upserts per second through the repository, on SQLite and on PostgreSQL.

Four scenarios per database, each timed ``REPEATS`` times (median, min and max reported):

1. ``one_day_per_uow``: one day per unit of work, committed each time (an app PUT);
2. ``batch_365_per_uow``: 365 days in one unit of work (an import: ``SqlDiary.upsert_many``,
   one multi-row statement), over several patients;
3. ``core_batch_365``: the same import in plain SQLAlchemy Core, the floor for scenario 2;
4. ``reupsert_same_365``: the same 365 days upserted again (the idempotent overwrite path).

Each database is fresh and migrated with Alembic; the clinic and patients are created through
the repositories. The insert scenarios use a new patient per batch, so every timed upsert of
scenarios 1 to 3 inserts a new row. Only the unit of work (open, upserts, commit, close) is
timed; the ``DiaryDay`` objects are built beforehand from a seeded ``random.Random``.

SQLite runs on a temporary file (WAL, as ``make_engine`` sets it). PostgreSQL runs in a
throwaway database ``acurelief_bench_<hex>`` on the server at ``ACURELIEF_BENCH_PG_URL``
(else ``ACURELIEF_TEST_PG_URL``, else the local default), dropped at the end. If that server
cannot be reached, the result records the error, and the exit status is non-zero only in CI.

    .venv/bin/python bench/diary_upserts.py           # full run -> results/diary_upserts.json
    .venv/bin/python bench/diary_upserts.py --quick   # N cut 10x -> results/*.quick.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url

from acurelief.domain import Clinic, DiaryDay, HeadacheFeatures, MedicationClass, Patient, Sex
from acurelief.domain.diary import HeadacheSide, PainQuality
from acurelief.storage.database import make_engine
from acurelief.storage.mapping import diary_day_columns
from acurelief.storage.migrate import upgrade
from acurelief.storage.tables import DiaryDayRow
from acurelief.storage.unit_of_work import SqlUnitOfWorkFactory

RESULTS = Path(__file__).resolve().parent / "results"
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PG_CONNECT_TIMEOUT_S = 5
REPEATS = 5
SEED = 20260615
FIRST_DAY = dt.date(2024, 1, 1)
IMPORT_DAYS = 365
WARMUP_DAYS = 20
QUICK_FACTOR = 10


@dataclass(frozen=True)
class Sizes:
    """How many days each scenario upserts per repeat."""

    single_days: int  # scenario 1: units of work, one day each
    import_patients: int  # scenarios 2 and 3: batches of ``batch_days`` days, one patient each
    batch_days: int  # scenarios 2 and 3: days per batch (one unit of work)
    reupsert_days: int  # scenario 4: days re-upserted in one unit of work

    @classmethod
    def for_run(cls, quick: bool) -> Sizes:
        full = cls(
            single_days=500, import_patients=10, batch_days=IMPORT_DAYS, reupsert_days=IMPORT_DAYS
        )
        if not quick:
            return full
        # Scenario 2 keeps its realistic batch size and cuts the number of patients instead.
        return cls(
            single_days=full.single_days // QUICK_FACTOR,
            import_patients=max(1, full.import_patients // QUICK_FACTOR),
            batch_days=full.batch_days,
            reupsert_days=full.reupsert_days // QUICK_FACTOR,
        )


@dataclass(frozen=True)
class Scenario:
    key: str
    title: str
    n: int


def scenarios(sizes: Sizes) -> tuple[Scenario, Scenario, Scenario, Scenario]:
    return (
        Scenario("one_day_per_uow", "1 day per UoW (app PUT)", sizes.single_days),
        Scenario(
            "batch_365_per_uow",
            f"{sizes.batch_days} days per UoW × {sizes.import_patients} (import)",
            sizes.batch_days * sizes.import_patients,
        ),
        Scenario(
            "core_batch_365",
            f"the same import in plain SQLAlchemy Core × {sizes.import_patients}",
            sizes.batch_days * sizes.import_patients,
        ),
        Scenario(
            "reupsert_same_365",
            f"same {sizes.reupsert_days} days again (overwrite)",
            sizes.reupsert_days,
        ),
    )


@dataclass(frozen=True)
class Measured:
    n: int
    seconds: tuple[float, ...]

    @property
    def rates(self) -> list[float]:
        return [self.n / s for s in self.seconds]

    def as_json(self) -> dict[str, Any]:
        rates = self.rates
        return {
            "n": self.n,
            "repeats": len(self.seconds),
            "median_per_s": round(statistics.median(rates), 1),
            "min_per_s": round(min(rates), 1),
            "max_per_s": round(max(rates), 1),
            "per_repeat_per_s": [round(r, 1) for r in rates],
        }


# --- Test data ------------------------------------------------------------------------------


def make_day(rng: random.Random, patient_id: int, date: dt.date) -> DiaryDay:
    """A plausible diary day: about a third with headache, pain 0–10, sometimes medication."""
    headache = rng.random() < 0.35
    medications: dict[MedicationClass, int] = {}
    if headache:
        peak_pain: int | None = rng.randint(0, 10)
        hours: float | None = round(rng.uniform(0.5, 16.0), 1)
        for cls in rng.sample(list(MedicationClass), k=rng.choice((0, 1, 1, 2))):
            medications[cls] = rng.randint(1, 3)
        features = HeadacheFeatures(
            side=rng.choice(list(HeadacheSide)),
            quality=rng.choice(list(PainQuality)),
            nausea=rng.random() < 0.4,
            photophobia=rng.random() < 0.6,
        )
    else:
        peak_pain, hours, features = None, None, HeadacheFeatures()
    return DiaryDay(
        patient_id=patient_id,
        date=date,
        headache=headache,
        peak_pain=peak_pain,
        headache_hours=hours,
        features=features,
        medications=medications,
        mood=rng.randint(0, 10),
        sleep_hours=round(rng.uniform(4.0, 10.0), 1),
        stress=rng.randint(0, 10),
    )


def make_days(seed: str, patient_id: int, count: int) -> list[DiaryDay]:
    """``count`` consecutive days from ``FIRST_DAY``; the same ``seed`` gives the same days."""
    rng = random.Random(seed)
    return [make_day(rng, patient_id, FIRST_DAY + dt.timedelta(days=i)) for i in range(count)]


def add_clinic(factory: SqlUnitOfWorkFactory) -> int:
    with factory() as uow:
        clinic = uow.clinics.add(Clinic(name="Benchmark clinic"))
        uow.commit()
    assert clinic.id is not None
    return clinic.id


def add_patient(factory: SqlUnitOfWorkFactory, clinic_id: int, label: str) -> int:
    with factory() as uow:
        patient = uow.patients.add(
            Patient(
                clinic_id=clinic_id,
                practitioner_id=None,
                name=f"Patient {label}",
                date_of_birth=dt.date(1980, 5, 1),
                sex=Sex.FEMALE,
                time_zone="Europe/Berlin",
            )
        )
        uow.commit()
    assert patient.id is not None
    return patient.id


def upsert_in_one_uow(factory: SqlUnitOfWorkFactory, days: Sequence[DiaryDay]) -> float:
    """Upsert ``days`` in one unit of work and commit; returns the seconds it took."""
    start = time.perf_counter()
    with factory() as uow:
        uow.diary.upsert_many(days)  # what an import (services.diary.record_days) does
        uow.commit()
    return time.perf_counter() - start


def upsert_with_core(engine: Engine, days: Sequence[DiaryDay]) -> float:
    """The same upsert in plain SQLAlchemy Core (no unit of work, no repository): the floor
    against which the repository's batch path is judged. Returns the seconds it took."""
    rows = [diary_day_columns(day) for day in days]
    dialect_insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
    start = time.perf_counter()
    stmt = dialect_insert(DiaryDayRow)
    changed = {k: stmt.excluded[k] for k in rows[0] if k not in ("patient_id", "date")}
    with engine.begin() as conn:
        conn.execute(
            stmt.on_conflict_do_update(index_elements=["patient_id", "date"], set_=changed), rows
        )
    return time.perf_counter() - start


def diary_rows(factory: SqlUnitOfWorkFactory) -> int:
    with factory.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(DiaryDayRow)) or 0


# --- The scenarios ----------------------------------------------------------------------------


class Runner:
    """Runs the four scenarios on one migrated, empty database."""

    def __init__(
        self, engine: Engine, sizes: Sizes, seed: int, progress: Progress, label: str
    ) -> None:
        self.factory = SqlUnitOfWorkFactory(engine)
        self.sizes = sizes
        self.seed = seed
        self.progress = progress
        self.label = label
        self.clinic_id = add_clinic(self.factory)
        self._patients = 0
        self._same: list[DiaryDay] = []
        self.expected_rows = 0

    def new_patient(self) -> int:
        self._patients += 1
        return add_patient(self.factory, self.clinic_id, str(self._patients))

    def days(self, name: str, patient_id: int, count: int) -> list[DiaryDay]:
        days = make_days(f"{self.seed}:{name}", patient_id, count)
        self.expected_rows += count
        return days

    def run(self, repeats: int) -> dict[str, Measured]:
        self.warm_up()
        one, batch, core, again = scenarios(self.sizes)
        results: dict[str, Measured] = {}
        for scenario, body in (
            (one, self.one_day_per_uow),
            (batch, self.batch_per_uow),
            (core, self.batch_with_core),
            (again, self.reupsert_same),
        ):
            task = self.progress.add_task(
                f"{self.label}: {scenario.title}", total=scenario.n * repeats
            )
            if scenario is again:
                self.store_days_to_reupsert()
            seconds = tuple(body(r, task) for r in range(repeats))
            results[scenario.key] = Measured(scenario.n, seconds)
        if (rows := diary_rows(self.factory)) != self.expected_rows:
            raise RuntimeError(f"{self.label}: {rows} diary rows, expected {self.expected_rows}")
        return results

    def warm_up(self) -> None:
        """Untimed: open the pool's connection and compile the upsert statement once."""
        days = self.days("warmup", self.new_patient(), WARMUP_DAYS)
        half = WARMUP_DAYS // 2
        for day in days[:half]:
            upsert_in_one_uow(self.factory, [day])
        upsert_in_one_uow(self.factory, days[half:])

    def one_day_per_uow(self, repeat: int, task: TaskID) -> float:
        days = self.days(f"single:{repeat}", self.new_patient(), self.sizes.single_days)
        elapsed = 0.0
        for day in days:
            elapsed += upsert_in_one_uow(self.factory, [day])
            self.progress.advance(task)
        return elapsed

    def batch_per_uow(self, repeat: int, task: TaskID) -> float:
        return self._imports(
            f"import:{repeat}", task, lambda days: upsert_in_one_uow(self.factory, days)
        )

    def batch_with_core(self, repeat: int, task: TaskID) -> float:
        return self._imports(
            f"core:{repeat}", task, lambda days: upsert_with_core(self.factory.engine, days)
        )

    def _imports(
        self, name: str, task: TaskID, upsert: Callable[[Sequence[DiaryDay]], float]
    ) -> float:
        """One batch of days per new patient, each stored by ``upsert``; the seconds it took."""
        batches = [
            self.days(f"{name}:{i}", self.new_patient(), self.sizes.batch_days)
            for i in range(self.sizes.import_patients)
        ]
        elapsed = 0.0
        for days in batches:
            elapsed += upsert(days)
            self.progress.advance(task, len(days))
        return elapsed

    def store_days_to_reupsert(self) -> None:
        """Untimed: store the days that every repeat of scenario 4 then upserts again."""
        self._same = self.days("reupsert", self.new_patient(), self.sizes.reupsert_days)
        upsert_in_one_uow(self.factory, self._same)

    def reupsert_same(self, repeat: int, task: TaskID) -> float:
        elapsed = upsert_in_one_uow(self.factory, self._same)
        self.progress.advance(task, len(self._same))
        patient_id = self._same[0].patient_id
        with self.factory() as uow:
            stored = uow.diary.between(patient_id, self._same[0].date, self._same[-1].date)
        if list(stored) != self._same:
            raise RuntimeError(f"{self.label}: re-upsert {repeat} changed the stored days")
        return elapsed


# --- The databases ----------------------------------------------------------------------------

BackendRun = Callable[[Engine], dict[str, Measured]]


def bench_sqlite(run: BackendRun) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="acurelief_bench_") as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        try:
            upgrade(engine)
            measured = run(engine)
        finally:
            engine.dispose()
    return {"version": sqlite3.sqlite_version, "scenarios": _scenarios_json(measured)}


def pg_admin_url() -> str:
    return os.environ.get(
        "ACURELIEF_BENCH_PG_URL", os.environ.get("ACURELIEF_TEST_PG_URL", DEFAULT_PG_URL)
    )


@contextmanager
def pg_admin(url: str) -> Iterator[Engine]:
    admin = create_engine(
        url,
        isolation_level="AUTOCOMMIT",
        connect_args={"connect_timeout": PG_CONNECT_TIMEOUT_S},
    )
    try:
        yield admin
    finally:
        admin.dispose()


def bench_postgres(run: BackendRun) -> dict[str, Any]:
    url = pg_admin_url()
    name = f"acurelief_bench_{uuid.uuid4().hex[:10]}"
    try:
        with pg_admin(url) as admin, admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # any failure to reach the server
        shown = make_url(url).render_as_string(hide_password=True)
        return {"error": f"PostgreSQL at {shown} is not usable: {exc}".splitlines()[0]}
    try:
        engine = make_engine(make_url(url).set(database=name).render_as_string(False))
        try:
            upgrade(engine)
            with engine.connect() as conn:
                version = str(conn.scalar(text("SHOW server_version"))).split()[0]
            measured = run(engine)
        finally:
            engine.dispose()
    finally:
        with pg_admin(url) as admin, admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    return {"version": version, "scenarios": _scenarios_json(measured)}


def _scenarios_json(measured: dict[str, Measured]) -> dict[str, Any]:
    return {key: m.as_json() for key, m in measured.items()}


# --- Report ---------------------------------------------------------------------------------


def results_table(report: dict[str, Any], sizes: Sizes) -> Table:
    titles = {s.key: s.title for s in scenarios(sizes)}
    table = Table(title="Diary-day upserts per second through SqlDiary (UoW = unit of work)")
    table.add_column("Database")
    table.add_column("Scenario")
    for heading in ("N", "Repeats", "Median /s", "Min /s", "Max /s"):
        table.add_column(heading, justify="right")
    for db, result in report["databases"].items():
        if "error" in result:
            table.add_row(db, f"[red]{result['error']}[/red]", "", "", "", "", "")
            continue
        for key, fig in result["scenarios"].items():
            table.add_row(
                f"{db} {result['version']}",
                titles[key],
                str(fig["n"]),
                str(fig["repeats"]),
                f"{fig['median_per_s']:,.0f}",
                f"{fig['min_per_s']:,.0f}",
                f"{fig['max_per_s']:,.0f}",
            )
        table.add_section()
    return table


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--quick", action="store_true", help=f"cut every N by {QUICK_FACTOR}x (smoke run)"
    )
    parser.add_argument("--seed", type=int, default=SEED, help="seed of the day contents")
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        help="JSON file (default: results/diary_upserts.json, or .quick.json with --quick)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    quick: bool = args.quick
    seed: int = args.seed
    output: Path = args.output or RESULTS / (
        "diary_upserts.quick.json" if quick else "diary_upserts.json"
    )
    sizes = Sizes.for_run(quick)
    console = Console()

    report: dict[str, Any] = {
        "benchmark": "diary_upserts",
        "timestamp": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "quick": quick,
        "seed": seed,
        "python": platform.python_version(),
        "sqlalchemy": sqlalchemy.__version__,
        "machine": {"machine": platform.machine(), "cpu_count": os.cpu_count()},
        "databases": {},
    }
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        refresh_per_second=4,
    )
    with progress:
        for db, bench in (("sqlite", bench_sqlite), ("postgresql", bench_postgres)):

            def run(engine: Engine, db: str = db) -> dict[str, Measured]:
                return Runner(engine, sizes, seed, progress, db).run(REPEATS)

            report["databases"][db] = bench(run)

    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    console.print(results_table(report, sizes))
    console.print(f"Written to {output}")

    pg_error = report["databases"]["postgresql"].get("error")
    if pg_error is not None:
        console.print(f"[yellow]PostgreSQL skipped: {pg_error}[/yellow]")
        if in_ci():
            console.print("[red]CI must benchmark PostgreSQL too[/red]")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

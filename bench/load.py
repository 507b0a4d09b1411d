"""A bounded load run on loopback: the real server, concurrent diary PUTs, and a lost-write check.

For each configuration (SQLite with 1 worker; PostgreSQL with 1 and with 4 workers), on a
fresh database: start ``acurelief serve`` as a subprocess on a free loopback port, create a
clinic, a practitioner, a patient and the patient's login with a bearer token, then let C
concurrent clients each send W ``PUT /api/v1/patients/{id}/diary/{date}`` (50 × 200 by
default; ``--quick``: 10 × 20). Clients write overlapping days: at each step the clients
with the same number modulo 10 write the same day at the same moment, and every day is
written again at later steps by others.

Afterwards every day is read back. A write is *lost* when the stored day is not a value the
server may end with: each write carries a unique note, and the stored note must belong to a
write that was acknowledged (2xx) and that no other acknowledged write to the same day
strictly follows (sent after it was acknowledged). Writes that overlap in time may land in
either order; one that began after another was acknowledged must win over it.

Run: make bench (or .venv/bin/python bench/load.py [--quick] [--only sqlite|postgresql]);
writes bench/results/load.json (load.quick.json with --quick). Exit status 1 if any request
failed or any write was lost.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import platform
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx2
from pydantic import SecretStr
from rich.console import Console

T = TypeVar("T")

RESULTS = Path(__file__).resolve().parent / "results"
ACURELIEF = Path(sys.executable).parent / "acurelief"
PG_ADMIN_URL = os.environ.get(
    "ACURELIEF_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
FIRST_DAY = dt.date(2025, 1, 1)
SAME_MOMENT_GROUPS = 10  # clients c and c + 10 write the same day at the same step
PASSWORD = "load bench: correct horse battery staple 2026"  # noqa: S105 - a throwaway login
STARTUP_TIMEOUT_S = 120.0
REQUEST_TIMEOUT_S = 120.0

console = Console()


@dataclass(frozen=True)
class Write:
    """One PUT: which day, the note that identifies it, when it was sent and answered."""

    day: dt.date
    note: str
    sent: float
    answered: float
    status: int  # 0: no answer (connection error or timeout)

    @property
    def acknowledged(self) -> bool:
        return 200 <= self.status < 300


@dataclass(frozen=True)
class Outcome:
    """The figures of one configuration."""

    database: str
    workers: int
    clients: int
    writes_per_client: int
    days: int
    requests: int
    seconds: float
    throughput_rps: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    errors: int
    lost: int
    error_statuses: dict[str, int]


# -- the database and the server --------------------------------------------------------------


@contextlib.contextmanager
def fresh_database(backend: str, pg_admin_url: str) -> Iterator[str | None]:
    """A fresh, empty database: its URL for PostgreSQL (dropped afterwards), None for SQLite
    (a new file in the server's fresh data directory)."""
    if backend == "sqlite":
        yield None
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"acurelief_load_{uuid.uuid4().hex[:10]}"
    admin = create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(pg_admin_url).set(database=name).render_as_string(False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def server_env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACURELIEF_")}
    env["ACURELIEF_DATA_DIR"] = str(data_dir)
    env["ACURELIEF_ENVIRONMENT"] = "development"
    env["ACURELIEF_SECRET_KEY"] = secrets.token_urlsafe(48)
    if database_url is not None:
        env["ACURELIEF_DATABASE_URL"] = database_url
    return env


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def seed(env: dict[str, str]) -> tuple[int, str]:
    """Initialise the schema; add a clinic, practitioner, patient and patient login with a
    bearer token. Returns the patient's id and the token."""
    done = subprocess.run(  # noqa: S603 - our own console script
        [str(ACURELIEF), "init"], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"acurelief init failed: {done.stderr.strip()}")
    from acurelief.config import Settings
    from acurelief.domain import Clinic, Patient, Role, Sex
    from acurelief.services import accounts
    from acurelief.storage.database import make_engine
    from acurelief.storage.unit_of_work import SqlUnitOfWorkFactory

    url = env.get("ACURELIEF_DATABASE_URL")
    settings = Settings(
        data_dir=Path(env["ACURELIEF_DATA_DIR"]),
        database_url=SecretStr(url) if url else None,
        secret_key=SecretStr(env["ACURELIEF_SECRET_KEY"]),
    )
    engine = make_engine(settings.sqlalchemy_url())
    factory = SqlUnitOfWorkFactory(engine, audit_key=settings.audit_chain_key())
    now = dt.datetime.now(dt.UTC)
    with factory() as work:
        clinic = work.clinics.add(Clinic(name="Load bench clinic"))
        assert clinic.id is not None
        doctor = accounts.create_user(
            work,
            clinic_id=clinic.id,
            email="doctor@load.example",
            display_name="Doctor",
            role=Role.PRACTITIONER,
            password=PASSWORD,
        )
        patient = work.patients.add(
            Patient(
                clinic_id=clinic.id,
                practitioner_id=doctor.id,
                name="Load Patient",
                date_of_birth=dt.date(1980, 1, 1),
                sex=Sex.FEMALE,
                time_zone="Europe/Berlin",
            )
        )
        assert patient.id is not None
        login = accounts.create_user(
            work,
            clinic_id=clinic.id,
            email="patient@load.example",
            display_name="Patient",
            role=Role.PATIENT,
            password=PASSWORD,
            patient_id=patient.id,
        )
        assert login.id is not None
        token = accounts.issue_token(work, login.id, "load bench", now)
        work.commit()
    engine.dispose()
    return patient.id, token


@contextlib.contextmanager
def running_server(env: dict[str, str], workers: int, log: Path) -> Iterator[str]:
    """``acurelief serve`` on a free loopback port until the block ends; yields its base URL."""
    port = free_port()
    command = [str(ACURELIEF), "serve", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", str(workers)]
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen(  # noqa: S603 - our own console script
            command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process, log)
        yield base
    finally:
        _stop(process)


def _wait_until_up(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    with httpx2.Client(timeout=5) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"the server exited: {log.read_text(encoding='utf-8')}")
            with contextlib.suppress(httpx2.HTTPError):
                if client.get(f"{base}/health").status_code == 200:
                    return
            time.sleep(0.2)
    raise RuntimeError(f"the server did not answer /health in {STARTUP_TIMEOUT_S:g} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the server we started (uvicorn then stops its workers); SIGKILL to its own
    process group only if it has not ended within 30 s."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


# -- the load and the check -------------------------------------------------------------------


def day_of(client: int, step: int, days: int) -> dt.date:
    """The day client ``client`` writes at ``step``: shared with every client of the same
    number modulo 10 at the same step, and revisited by others at later steps."""
    return FIRST_DAY + dt.timedelta(days=(step + client % SAME_MOMENT_GROUPS) % days)


async def _client(
    http: httpx2.AsyncClient, number: int, writes: int, days: int, path: str, out: list[Write]
) -> None:
    for step in range(writes):
        day = day_of(number, step, days)
        note = f"client {number} write {step}"
        body = {"headache": True, "peak_pain": 1 + step % 10, "notes": note}
        sent = time.perf_counter()
        try:
            response = await http.put(f"{path}/{day.isoformat()}", json=body)
            status = response.status_code
        except httpx2.HTTPError:
            status = 0
        out.append(Write(day, note, sent, time.perf_counter(), status))


async def _load(
    base: str, token: str, patient_id: int, clients: int, writes: int, days: int
) -> tuple[list[Write], float]:
    path = f"/api/v1/patients/{patient_id}/diary"
    limits = httpx2.Limits(max_connections=clients, max_keepalive_connections=clients)
    headers = {"Authorization": f"Bearer {token}"}
    done: list[Write] = []
    async with httpx2.AsyncClient(
        base_url=base, headers=headers, limits=limits, timeout=REQUEST_TIMEOUT_S
    ) as http:
        started = time.perf_counter()
        await asyncio.gather(*(_client(http, c, writes, days, path, done) for c in range(clients)))
        seconds = time.perf_counter() - started
    return done, seconds


def read_back(base: str, token: str, patient_id: int, days: int) -> dict[dt.date, str | None]:
    """The stored note of every day the run wrote (None: the day is not stored)."""
    stored: dict[dt.date, str | None] = {}
    headers = {"Authorization": f"Bearer {token}"}
    with httpx2.Client(base_url=base, headers=headers, timeout=REQUEST_TIMEOUT_S) as http:
        for offset in range(days):
            day = FIRST_DAY + dt.timedelta(days=offset)
            response = http.get(f"/api/v1/patients/{patient_id}/diary/{day.isoformat()}")
            if response.status_code == 404:
                stored[day] = None
                continue
            response.raise_for_status()
            stored[day] = response.json()["notes"]
    return stored


def lost_writes(writes: list[Write], stored: dict[dt.date, str | None]) -> int:
    """Days whose stored value is not one the server may end with (see the module doc)."""
    by_day: dict[dt.date, list[Write]] = {}
    for write in writes:
        by_day.setdefault(write.day, []).append(write)
    lost = 0
    for day, day_writes in by_day.items():
        acknowledged = [w for w in day_writes if w.acknowledged]
        if not acknowledged:
            continue  # nothing was promised for this day (its errors are counted)
        latest_start = max(w.sent for w in acknowledged)
        may_end_with = {w.note for w in acknowledged if w.answered >= latest_start}
        unanswered = {w.note for w in day_writes if w.status == 0}  # may or may not have landed
        value = stored.get(day)
        if value is None or value not in may_end_with | unanswered:
            lost += 1
    return lost


def run_configuration(
    backend: str,
    workers: int,
    clients: int,
    writes: int,
    *,
    pg_admin_url: str = PG_ADMIN_URL,
) -> Outcome:
    """One load run on a fresh database; see the module doc."""
    days = max(SAME_MOMENT_GROUPS, min(50, writes))
    with (
        tempfile.TemporaryDirectory(prefix="acurelief-load-") as folder,
        fresh_database(backend, pg_admin_url) as database_url,
    ):
        env = server_env(Path(folder) / "data", database_url)
        patient_id, token = seed(env)
        with running_server(env, workers, Path(folder) / "server.log") as base:
            done, seconds = _in_own_loop(
                lambda: _load(base, token, patient_id, clients, writes, days)
            )
            stored = read_back(base, token, patient_id, days)
    latencies = sorted((w.answered - w.sent) * 1000 for w in done)
    failed = [w for w in done if not w.acknowledged]
    statuses: dict[str, int] = {}
    for w in failed:
        statuses[str(w.status)] = statuses.get(str(w.status), 0) + 1
    return Outcome(
        database=backend,
        workers=workers,
        clients=clients,
        writes_per_client=writes,
        days=days,
        requests=len(done),
        seconds=round(seconds, 3),
        throughput_rps=round(len(done) / seconds, 1),
        p50_ms=round(_quantile(latencies, 0.50), 1),
        p99_ms=round(_quantile(latencies, 0.99), 1),
        max_ms=round(latencies[-1], 1),
        errors=len(failed),
        lost=lost_writes(done, stored),
        error_statuses=statuses,
    )


def _in_own_loop(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine to completion on a new event loop in its own thread: the caller may
    already be inside a running loop (a test session with Playwright open has one), where
    ``asyncio.run`` refuses to start."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make())).result()


def _quantile(ordered: list[float], q: float) -> float:
    """The nearest-rank quantile of sorted values."""
    index = max(0, min(len(ordered) - 1, round(q * len(ordered) + 0.5) - 1))
    return ordered[index]


CONFIGURATIONS = (("sqlite", 1), ("postgresql", 1), ("postgresql", 4))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10 clients × 20 writes")
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help="one database only")
    parser.add_argument("--pg-url", default=PG_ADMIN_URL, help="PostgreSQL admin URL")
    args = parser.parse_args()
    clients, writes = (10, 20) if args.quick else (50, 200)
    outcomes: list[Outcome] = []
    for backend, workers in CONFIGURATIONS:
        if args.only and backend != args.only:
            continue
        console.print(f"{backend}, {workers} worker(s): {clients} clients × {writes} PUTs …")
        outcome = run_configuration(backend, workers, clients, writes, pg_admin_url=args.pg_url)
        outcomes.append(outcome)
        console.print(
            f"  {outcome.throughput_rps:.0f} req/s, p50 {outcome.p50_ms:.0f} ms, "
            f"p99 {outcome.p99_ms:.0f} ms, errors {outcome.errors}, lost {outcome.lost}"
        )
    record: dict[str, Any] = {
        "benchmark": "load",
        "quick": args.quick,
        "timestamp": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": {"machine": platform.machine(), "cpu_count": os.cpu_count()},
        "note": "loopback; client and server share the machine",
        "configurations": [asdict(o) for o in outcomes],
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "load.quick.json" if args.quick else "load.json"
    (RESULTS / name).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    if any(o.errors or o.lost for o in outcomes):
        sys.exit(1)


if __name__ == "__main__":
    main()

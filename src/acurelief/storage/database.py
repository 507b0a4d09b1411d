"""Engines for SQLite (embedded, WAL, foreign keys on) and PostgreSQL.

Both hide statement parameters from errors and logs, and never log result rows: parameters
and rows are health data. A SQLite database, its WAL files and its folder are readable by
the server's own user only.

Transactions come in two kinds. A unit of work that writes (most do: even a read is
audited) starts SQLite with ``BEGIN IMMEDIATE``, taking the single write lock at once, so
two writers queue (``busy_timeout``) instead of deadlocking on a lock upgrade. A read-only
unit (``engine.execution_options(acurelief_read_only=True)``) starts with a deferred
``BEGIN``: in WAL mode it reads a snapshot and never waits for a writer, however long an
import runs. The database itself refuses a write in a read-only unit (SQLite
``query_only``, PostgreSQL ``SET TRANSACTION READ ONLY``), so the promise cannot rot.
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

SQLITE_BUSY_TIMEOUT_MS = 30_000
READ_ONLY = "acurelief_read_only"
"""Execution option marking a connection whose transactions only read."""

DATA_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
_SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def make_engine(url: str) -> Engine:
    """An engine for ``url``; for SQLite, creates the file's private folder and sets pragmas."""
    parsed = make_url(url)
    _hide_result_rows()
    if parsed.get_backend_name() != "sqlite":
        engine = create_engine(url, pool_pre_ping=True, hide_parameters=True)
        _configure_postgresql(engine)
        return engine
    database = parsed.database if parsed.database and parsed.database != ":memory:" else None
    if database is not None:
        make_private_dir(Path(database).parent)
    engine = create_engine(url, connect_args={"check_same_thread": False}, hide_parameters=True)
    _configure_sqlite(engine, Path(database) if database is not None else None)
    return engine


def make_private_dir(path: Path) -> None:
    """Create ``path`` (and parents) readable by this user only; tighten it if it exists."""
    path.mkdir(parents=True, exist_ok=True, mode=DATA_DIR_MODE)
    if path.stat().st_mode & 0o777 != DATA_DIR_MODE:
        path.chmod(DATA_DIR_MODE)


def restrict_sqlite_files(database: Path) -> None:
    """Mode 0600 on the database file and its WAL/SHM/journal companions that exist."""
    for suffix in _SQLITE_COMPANIONS:
        path = database.with_name(database.name + suffix)
        with contextlib.suppress(FileNotFoundError):
            if path.stat().st_mode & 0o777 != PRIVATE_FILE_MODE:
                path.chmod(PRIVATE_FILE_MODE)


def _is_read_only(connection: Any) -> bool:
    return bool(connection.get_execution_options().get(READ_ONLY, False))


def _configure_sqlite(engine: Engine, database: Path | None) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below issue BEGIN itself (pysqlite would defer it).
        dbapi_connection.isolation_level = None
        if database is not None:
            # Before WAL mode: SQLite gives its -wal and -shm files the database file's mode.
            # (Not os.umask: it is process-wide, and connections open on many threads.)
            restrict_sqlite_files(database)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if _is_read_only(connection):
            connection.exec_driver_sql("PRAGMA query_only=ON")
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("PRAGMA query_only=OFF")
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def _configure_postgresql(engine: Engine) -> None:
    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if _is_read_only(connection):
            connection.exec_driver_sql("SET TRANSACTION READ ONLY")


class _NoRowValues(logging.Filter):
    """Drops SQLAlchemy's DEBUG "Row (…)" records: a result row is patient data."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Row %r" not in str(record.msg)


def _hide_result_rows() -> None:
    """Install the row filter on the engine logger once, whatever level it is set to."""
    logger = logging.getLogger("sqlalchemy.engine.Engine")
    if not any(isinstance(f, _NoRowValues) for f in logger.filters):
        logger.addFilter(_NoRowValues())

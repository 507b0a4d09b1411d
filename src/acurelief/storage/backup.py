"""Backups of the whole database in one portable file, and their restore; SQLite or PostgreSQL.

A backup is a gzip'd file of JSON lines: a header (format, schema revision, row counts), then
for each table of ``Base.metadata.sorted_tables`` (foreign-key order) a section line and one
JSON array per row, then an end line. New tables are included without any change here.

Why not copy the SQLite file: while the app serves, recent commits sit in the ``-wal`` file
and a copy of the main file alone misses them. The backup instead reads every table inside
one read-only transaction (SQLite: a deferred ``BEGIN`` on a WAL snapshot, which never
blocks writers; PostgreSQL: ``REPEATABLE READ``), so it holds exactly the rows committed
when it started, WAL included. The same file restores into either database (SQLite → PostgreSQL
too). Rows are streamed with Core (``yield_per``, ``executemany``), never as ORM objects.

A restore refuses a backup of another schema revision, and a database that already holds
rows unless asked to replace them; it writes everything in one transaction (all or nothing),
rows verbatim (ids, audit entries and their hashes included), then moves PostgreSQL's id
sequences past the restored ids.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import gzip
import io
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alembic.runtime.migration import MigrationContext
from sqlalchemy import (
    Connection,
    Date,
    DateTime,
    Engine,
    Float,
    LargeBinary,
    Numeric,
    func,
    inspect,
    literal,
    select,
    text,
)
from sqlalchemy.sql import column
from sqlalchemy.sql import table as sql_table
from sqlalchemy.sql.expression import ColumnClause, TableClause
from sqlalchemy.types import TypeDecorator, TypeEngine

from acurelief.errors import Conflict, InvalidInput
from acurelief.storage.database import READ_ONLY
from acurelief.storage.tables import Base

FORMAT = "acurelief-backup"
FORMAT_VERSION = 1
BATCH_ROWS = 1000
# Tables a freshly initialised database already has a row in (the audit chain's head): not
# data, so they do not make a database "non-empty"; a restore replaces them like the rest.
SEEDED_BY_MIGRATIONS = frozenset({"audit_head"})

# (table name, rows of that table done so far, rows of that table in all)
Progress = Callable[[str, int, int], None]
# Runs inside the restore's transaction once every row is in; raising undoes the restore.
AfterRestore = Callable[[Connection], None]


@dataclass(frozen=True)
class BackupSummary:
    """What a backup holds: its schema revision and the rows per table."""

    revision: str
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


@dataclass(frozen=True)
class StoredTable:
    """A table of the schema as the database holds it: its name, columns and primary key.

    A plain ``TableClause`` (no defaults, no constraints of its own): rows go back in
    verbatim, and a column the database does not have is never named.
    """

    name: str
    clause: TableClause
    key: list[str]

    @property
    def columns(self) -> list[ColumnClause[Any]]:
        return list(self.clause.columns)


def stored_tables(conn: Connection) -> list[StoredTable]:
    """The schema's tables (``Base.metadata``), parents before children, as the database
    holds them. At a given schema revision that is every table and column of the code; the
    header's revision is what makes a restore land on the same schema."""
    inspector = inspect(conn)
    present = set(inspector.get_table_names())
    found: list[StoredTable] = []
    for table in Base.metadata.sorted_tables:
        if table.name not in present:
            continue
        names = {c["name"] for c in inspector.get_columns(table.name)}
        columns = [column(c.name, c.type) for c in table.columns if c.name in names]
        key = [c.name for c in table.primary_key.columns] or [c.name for c in columns]
        found.append(StoredTable(table.name, sql_table(table.name, *columns), key))
    return found


def count_rows(conn: Connection) -> dict[str, int]:
    """Rows per table of the schema."""
    return {t.name: _count(conn, t) for t in stored_tables(conn)}


def _count(conn: Connection, table: StoredTable) -> int:
    return int(conn.scalar(select(func.count()).select_from(table.clause)) or 0)


# -- values <-> JSON --------------------------------------------------------------------------


def _kind(sqltype: TypeEngine[Any]) -> str:
    base = sqltype.impl if isinstance(sqltype, TypeDecorator) else sqltype
    if isinstance(base, DateTime):
        return "datetime"
    if isinstance(base, Date):
        return "date"
    if isinstance(base, LargeBinary):
        return "bytes"
    if isinstance(base, Numeric) and not isinstance(base, Float):
        return "decimal"
    return "plain"


def _encoder(kind: str) -> Callable[[Any], Any]:
    if kind in ("datetime", "date"):
        return lambda v: None if v is None else v.isoformat()
    if kind == "bytes":
        return lambda v: None if v is None else base64.b64encode(bytes(v)).decode("ascii")
    if kind == "decimal":
        return lambda v: None if v is None else str(v)
    return lambda v: v


def _decoder(kind: str) -> Callable[[Any], Any]:
    if kind == "datetime":
        return lambda v: None if v is None else dt.datetime.fromisoformat(v)
    if kind == "date":
        return lambda v: None if v is None else dt.date.fromisoformat(v)
    if kind == "bytes":
        return lambda v: None if v is None else base64.b64decode(v)
    if kind == "decimal":
        return lambda v: None if v is None else decimal.Decimal(v)
    return lambda v: v


# -- backup -----------------------------------------------------------------------------------


def _snapshot_engine(engine: Engine) -> Engine:
    """The engine, reading one consistent snapshot per transaction without blocking writers.

    SQLite: a read-only unit (``READ_ONLY``) begins with a deferred ``BEGIN``, so its first
    read fixes a WAL snapshot and writers go on; PostgreSQL: ``REPEATABLE READ``, read only.
    """
    if engine.dialect.name == "postgresql":
        return engine.execution_options(**{READ_ONLY: True}, isolation_level="REPEATABLE READ")
    return engine.execution_options(**{READ_ONLY: True})


def _create_private(path: Path) -> io.BufferedWriter:
    """A new file readable by its owner only (a backup holds health data)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    return os.fdopen(descriptor, "wb")


def check_target(path: Path, *, overwrite: bool = False) -> None:
    """Refuse a backup file name that exists (unless ``overwrite``) or has no folder."""
    if path.exists() and not overwrite:
        raise Conflict(f"{path} already exists: choose another file name or pass --force")
    if not path.parent.is_dir():
        raise InvalidInput.single("FILE", f"the folder {path.parent} does not exist")


def write_backup(
    engine: Engine, path: Path, *, overwrite: bool = False, progress: Progress | None = None
) -> BackupSummary:
    """Write every committed row of the database to ``path`` (mode 0600); atomic.

    The file appears only once complete (written beside it, then renamed), so an
    interrupted backup never leaves a truncated file under the requested name.
    """
    check_target(path, overwrite=overwrite)
    partial = path.with_name(f".{path.name}.partial")
    partial.unlink(missing_ok=True)
    snapshot = _snapshot_engine(engine)
    try:
        with snapshot.connect() as conn, conn.begin():
            summary = _dump(conn, partial, progress)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return summary


def _dump(conn: Connection, partial: Path, progress: Progress | None) -> BackupSummary:
    revision = MigrationContext.configure(conn).get_current_revision()
    if revision is None:
        raise InvalidInput.single("database", "has no schema yet: run 'acurelief init' first")
    counts = count_rows(conn)
    header = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "revision": revision,
        "dialect": conn.dialect.name,
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "rows": counts,
    }
    with _create_private(partial) as raw:
        with (
            gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6) as zipped,
            io.TextIOWrapper(zipped, encoding="utf-8", newline="\n") as out,
        ):
            _write_rows(conn, out, header, counts, progress)
        raw.flush()
        os.fsync(raw.fileno())  # on disk before it is renamed into place
    return BackupSummary(revision, counts)


def _write_rows(
    conn: Connection,
    out: io.TextIOWrapper,
    header: dict[str, Any],
    counts: dict[str, int],
    progress: Progress | None,
) -> None:
    out.write(json.dumps(header) + "\n")
    for table in stored_tables(conn):
        columns = table.columns
        encoders = [_encoder(_kind(c.type)) for c in columns]
        out.write(json.dumps({"table": table.name, "columns": [c.name for c in columns]}))
        out.write("\n")
        order = [table.clause.c[name] for name in table.key]
        result = conn.execute(
            select(*columns).order_by(*order), execution_options={"yield_per": BATCH_ROWS}
        )
        done = 0
        for batch in result.partitions():
            lines = [
                json.dumps([enc(v) for enc, v in zip(encoders, row, strict=True)]) for row in batch
            ]
            out.write("\n".join(lines) + "\n")
            done += len(batch)
            if progress is not None:
                progress(table.name, done, counts[table.name])
        if progress is not None and done == 0:
            progress(table.name, 0, 0)
    out.write(json.dumps({"end": True, "rows": sum(counts.values())}) + "\n")


# -- reading a backup -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Section:
    table: StoredTable
    columns: list[str]


def _lines(path: Path) -> Iterator[tuple[int, Any]]:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as source:
            for number, line in enumerate(source, start=1):
                yield number, json.loads(line)
    except (OSError, EOFError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInput.single(
            "FILE", f"{path} is not a readable acurelief backup ({exc}); was it truncated?"
        ) from exc


def read_summary(path: Path) -> BackupSummary:
    """The header of the backup at ``path``: its schema revision and row counts."""
    if not path.is_file():
        raise InvalidInput.single("FILE", f"{path} does not exist")
    for _number, header in _lines(path):
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise InvalidInput.single("FILE", f"{path} is not an acurelief backup")
        if header.get("format_version") != FORMAT_VERSION:
            raise InvalidInput.single(
                "FILE",
                f"{path} has backup format {header.get('format_version')}; this version of "
                f"acurelief reads format {FORMAT_VERSION}",
            )
        return BackupSummary(str(header["revision"]), dict(header["rows"]))
    raise InvalidInput.single("FILE", f"{path} is empty")


# -- restore ----------------------------------------------------------------------------------


def is_empty(conn: Connection) -> bool:
    """Whether the database holds no data: no row in any table but the bookkeeping ones
    that ``acurelief init`` fills itself (``SEEDED_BY_MIGRATIONS``)."""
    return not any(
        conn.execute(select(literal(1)).select_from(t.clause).limit(1)).first()
        for t in stored_tables(conn)
        if t.name not in SEEDED_BY_MIGRATIONS
    )


def restore_backup(
    engine: Engine,
    path: Path,
    *,
    replace: bool = False,
    progress: Progress | None = None,
    after: AfterRestore | None = None,
) -> BackupSummary:
    """Load the backup at ``path`` into the database, all of it or nothing.

    Refuses a backup of another schema revision, and a database holding rows unless
    ``replace`` (then every row is deleted first, in the same transaction). ``after`` runs
    in that transaction once the rows are in (the CLI authorises and audits there).
    """
    summary = read_summary(path)
    with engine.connect() as probe:
        current = MigrationContext.configure(probe).get_current_revision()
    if current is None:
        raise InvalidInput.single("database", "has no schema yet: run 'acurelief init' first")
    if current != summary.revision:
        raise InvalidInput.single(
            "FILE",
            f"{path} is a backup of schema revision {summary.revision} but this database is "
            f"at revision {current}; restore it into a database at revision "
            f"{summary.revision} (the acurelief version that wrote it), then run "
            "'acurelief init' to upgrade",
        )
    with engine.connect() as probe:
        known = {t.name: t for t in stored_tables(probe)}
    unknown = sorted(set(summary.rows) - set(known))
    if unknown:
        raise InvalidInput.single(
            "FILE", f"{path} holds tables this version does not know: {', '.join(unknown)}"
        )
    with engine.begin() as conn:
        if not replace and not is_empty(conn):
            raise Conflict(
                "the database already holds data: restore into an empty database, or pass "
                "--force to replace everything in it"
            )
        for table in reversed(known.values()):
            conn.execute(table.clause.delete())
        restored = _load(conn, path, known, summary, progress)
        if conn.dialect.name == "postgresql":
            _reset_sequences(conn, known.values())
        if after is not None:
            after(conn)
    return BackupSummary(summary.revision, restored)


def _load(
    conn: Connection,
    path: Path,
    known: dict[str, StoredTable],
    summary: BackupSummary,
    progress: Progress | None,
) -> dict[str, int]:
    restored: dict[str, int] = {}
    section: _Section | None = None
    decoders: list[Callable[[Any], Any]] = []
    batch: list[dict[str, Any]] = []
    ended = False

    def flush() -> None:
        if section is not None and batch:
            conn.execute(section.table.clause.insert(), batch)
            restored[section.table.name] += len(batch)
            if progress is not None:
                name = section.table.name
                progress(name, restored[name], summary.rows.get(name, 0))
            batch.clear()

    lines = _lines(path)
    next(lines)  # the header, checked by read_summary
    for number, item in lines:
        if isinstance(item, list):
            if section is None:
                raise InvalidInput.single("FILE", f"line {number}: a row before any table")
            if len(item) != len(decoders):
                raise InvalidInput.single(
                    "FILE",
                    f"line {number}: {len(item)} values for the {len(decoders)} columns of "
                    f"{section.table.name}",
                )
            batch.append({c: d(v) for c, d, v in zip(section.columns, decoders, item, strict=True)})
            if len(batch) >= BATCH_ROWS:
                flush()
        elif isinstance(item, dict) and "table" in item:
            flush()
            table = known[item["table"]]
            columns = list(item["columns"])
            missing = [c for c in columns if c not in table.clause.c]
            if missing:
                raise InvalidInput.single(
                    "FILE", f"line {number}: {table.name} has no column(s) {', '.join(missing)}"
                )
            section = _Section(table, columns)
            decoders = [_decoder(_kind(table.clause.c[c].type)) for c in columns]
            restored[table.name] = 0
            if progress is not None:
                progress(table.name, 0, summary.rows.get(table.name, 0))
        elif isinstance(item, dict) and item.get("end"):
            flush()
            ended = True
            break
        else:
            raise InvalidInput.single("FILE", f"line {number}: not a row, table or end line")
    if not ended:
        raise InvalidInput.single("FILE", f"{path} ends early (no end line): it is truncated")
    wrong = {n: (c, restored.get(n, 0)) for n, c in summary.rows.items() if restored.get(n, 0) != c}
    if wrong:
        detail = ", ".join(f"{n}: {c} announced, {r} found" for n, (c, r) in sorted(wrong.items()))
        raise InvalidInput.single("FILE", f"{path} does not hold the rows it announces ({detail})")
    return restored


def _reset_sequences(conn: Connection, tables: Iterable[StoredTable]) -> None:
    """Move each id sequence past the largest restored id, so new rows do not collide."""
    for table in tables:
        for name in table.key:
            sequence = conn.scalar(
                text("SELECT pg_get_serial_sequence(:table, :column)"),
                {"table": table.name, "column": name},
            )
            if sequence is None:
                continue
            top = conn.scalar(select(func.max(table.clause.c[name])))
            conn.execute(
                text("SELECT setval(CAST(:sequence AS regclass), :value, :called)"),
                {"sequence": sequence, "value": top or 1, "called": top is not None},
            )

"""The audit log in the database: chained appends under a lock, searches, streamed verify.

Entries recorded during a unit of work are held until it commits, then appended in one go:
the ``audit_head`` row is locked (``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite every
transaction already holds the database's write lock from ``BEGIN IMMEDIATE``), each entry is
chained to the head's hash and the head moves on. The lock is held only from that point to
the commit, and two transactions can never chain to the same predecessor; the unique ``seq``
column would refuse it even if they tried.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import DateTime, Engine, Select, func, insert, or_, select, type_coerce, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from acurelief.domain.audit import (
    GENESIS_HASH,
    AuditEntry,
    AuditQuery,
    ChainHasher,
    ChainReport,
    ChainWalker,
    Outcome,
    StoredAuditEntry,
    chained_fields,
)
from acurelief.storage.database import READ_ONLY
from acurelief.storage.tables import AuditHeadRow, AuditRow

_AnySelect = Select[*tuple[Any, ...]]
HEAD_ID = 1
STREAM_BATCH = 5_000
VERIFY_BATCH = 50_000

_ENTRY_COLUMNS: tuple[Any, ...] = (
    AuditRow.at,
    AuditRow.user_id,
    AuditRow.action,
    AuditRow.patient_id,
    AuditRow.detail,
    AuditRow.channel,
    AuditRow.outcome,
    AuditRow.clinic_id,
    AuditRow.token_id,
    AuditRow.os_user,
    AuditRow.on_behalf_of,
)


def _entry(row: Any) -> AuditEntry:
    return AuditEntry(
        at=row.at,
        user_id=row.user_id,
        action=row.action,
        patient_id=row.patient_id,
        detail=row.detail,
        channel=row.channel,
        outcome=Outcome(row.outcome),
        clinic_id=row.clinic_id,
        token_id=row.token_id,
        os_user=row.os_user,
        on_behalf_of=row.on_behalf_of,
    )


def _lock_head(session: Session) -> tuple[int, str]:
    """The chain's head (seq, hash), locked until the transaction ends; created if missing."""
    locked = select(AuditHeadRow.seq, AuditHeadRow.row_hash).where(AuditHeadRow.id == HEAD_ID)
    is_postgres = session.get_bind().dialect.name == "postgresql"
    if is_postgres:
        locked = locked.with_for_update()
    row = session.execute(locked).first()
    if row is None:
        values = {"id": HEAD_ID, "seq": 0, "row_hash": GENESIS_HASH}
        create = (
            postgresql.insert(AuditHeadRow).values(values).on_conflict_do_nothing()
            if is_postgres
            else sqlite.insert(AuditHeadRow).values(values).on_conflict_do_nothing()
        )
        session.execute(create)
        row = session.execute(locked).one()
    return int(row.seq), str(row.row_hash)


def append(session: Session, key: bytes, entries: Sequence[AuditEntry]) -> None:
    """Chain ``entries`` onto the log inside the session's transaction (see module doc)."""
    if not entries:
        return
    seq, prev = _lock_head(session)
    chain = ChainHasher(key)
    rows: list[dict[str, Any]] = []
    for entry in entries:
        seq += 1
        row_hash = chain(prev, seq, chained_fields(entry))
        rows.append(
            {
                "at": entry.at,
                "user_id": entry.user_id,
                "action": entry.action,
                "patient_id": entry.patient_id,
                "detail": entry.detail,
                "channel": str(entry.channel),
                "outcome": str(entry.outcome),
                "clinic_id": entry.clinic_id,
                "token_id": entry.token_id,
                "os_user": entry.os_user,
                "on_behalf_of": entry.on_behalf_of,
                "seq": seq,
                "prev_hash": prev,
                "row_hash": row_hash,
            }
        )
        prev = row_hash
    session.execute(insert(AuditRow), rows)
    session.execute(
        update(AuditHeadRow).where(AuditHeadRow.id == HEAD_ID).values(seq=seq, row_hash=prev)
    )


def _filtered(statement: _AnySelect, query: AuditQuery) -> _AnySelect:
    if query.clinic_id is not None:
        statement = statement.where(AuditRow.clinic_id == query.clinic_id)
    if query.patient_id is not None:
        statement = statement.where(AuditRow.patient_id == query.patient_id)
    if query.user_id is not None:
        statement = statement.where(
            or_(AuditRow.user_id == query.user_id, AuditRow.on_behalf_of == query.user_id)
        )
    if query.since is not None:
        statement = statement.where(AuditRow.at >= query.since)
    if query.until is not None:
        statement = statement.where(AuditRow.at < query.until)
    if query.action is not None:
        statement = statement.where(AuditRow.action == query.action)
    if query.outcome is not None:
        statement = statement.where(AuditRow.outcome == str(query.outcome))
    return statement


class SqlAudit:
    """The ``AuditLog`` port: buffered appends, refusals that survive a rollback, searches."""

    def __init__(self, session: Session, key: bytes = b"") -> None:
        self._s = session
        self._key = key
        self._pending: list[AuditEntry] = []
        self._refusals: list[AuditEntry] = []

    def record(self, entry: AuditEntry) -> None:
        self._pending.append(entry)

    def record_refusal(self, entry: AuditEntry) -> None:
        self._refusals.append(entry)

    def flush(self) -> None:
        """Append everything recorded so far (called by the unit of work's commit)."""
        append(self._s, self._key, self.take_all())

    def discard_pending(self) -> None:
        """Forget entries of work that was rolled back; refusals are kept."""
        self._pending.clear()

    def take_all(self) -> list[AuditEntry]:
        """Everything recorded and not yet written, handed over once (refusals last)."""
        taken = [*self._pending, *self._refusals]
        self._pending.clear()
        self._refusals.clear()
        return taken

    def take_refusals(self) -> list[AuditEntry]:
        """The refusals not yet written, handed over once."""
        taken = list(self._refusals)
        self._refusals.clear()
        return taken

    def for_patient(self, patient_id: int) -> Sequence[AuditEntry]:
        rows = self._s.execute(
            select(*_ENTRY_COLUMNS).where(AuditRow.patient_id == patient_id).order_by(AuditRow.seq)
        )
        return [_entry(r) for r in rows]

    def search(self, query: AuditQuery, *, offset: int, limit: int) -> Sequence[StoredAuditEntry]:
        statement = _filtered(select(AuditRow.id, AuditRow.seq, *_ENTRY_COLUMNS), query)
        rows = self._s.execute(statement.order_by(AuditRow.seq.desc()).offset(offset).limit(limit))
        return [StoredAuditEntry(r.id, r.seq, _entry(r)) for r in rows]

    def count(self, query: AuditQuery) -> int:
        statement = _filtered(select(func.count()).select_from(AuditRow), query)
        return int(self._s.execute(statement).scalar_one())

    def stream(self, query: AuditQuery) -> Iterator[StoredAuditEntry]:
        statement = _filtered(select(AuditRow.id, AuditRow.seq, *_ENTRY_COLUMNS), query)
        result = self._s.execute(
            statement.order_by(AuditRow.seq), execution_options={"yield_per": STREAM_BATCH}
        )
        for row in result:
            yield StoredAuditEntry(row.id, row.seq, _entry(row))


def _raw(column: Any) -> Any:
    """``column`` read as the driver returns it, without its type's result processing."""
    return type_coerce(column, DateTime(timezone=True)).label(column.key)


def _naive_utc(value: Any) -> dt.datetime:
    if isinstance(value, str):  # SQLite hands back text
        value = dt.datetime.fromisoformat(value)
    assert isinstance(value, dt.datetime)
    return value if value.tzinfo is None else value.astimezone(dt.UTC).replace(tzinfo=None)


def verify_chain(engine: Engine, key: bytes, *, batch: int = VERIFY_BATCH) -> ChainReport:
    """Walk the whole chain in ``seq`` order, ``batch`` rows per short read transaction.

    Reads the head first and checks the rows up to it: rows appended meanwhile are left for
    the next run. Keyset paging keeps each transaction short, so writers are not held up.
    """
    engine = engine.execution_options(**{READ_ONLY: True})  # never waits for writers
    with engine.connect() as conn:
        head = conn.execute(
            select(AuditHeadRow.seq, AuditHeadRow.row_hash).where(AuditHeadRow.id == HEAD_ID)
        ).first()
        conn.rollback()
    head_seq, head_hash = (int(head.seq), str(head.row_hash)) if head else (0, GENESIS_HASH)
    walker = ChainWalker(key)
    # The stored columns in the chain's field order, read raw (no per-row type processing):
    # ``at`` comes back as naive UTC on SQLite and aware on PostgreSQL, normalised below.
    columns = (
        AuditRow.id,
        AuditRow.seq,
        AuditRow.prev_hash,
        AuditRow.row_hash,
        _raw(AuditRow.at),
        AuditRow.user_id,
        AuditRow.clinic_id,
        AuditRow.action,
        AuditRow.patient_id,
        AuditRow.detail,
        AuditRow.channel,
        AuditRow.outcome,
        AuditRow.token_id,
        AuditRow.os_user,
        AuditRow.on_behalf_of,
    )
    after = 0
    while True:
        with engine.connect() as conn:
            rows = conn.execute(
                select(*columns)
                .where(AuditRow.seq > after, AuditRow.seq <= head_seq)
                .order_by(AuditRow.seq)
                .limit(batch)
            ).all()
            conn.rollback()
        for row in rows:
            at = _naive_utc(row[4])
            if not walker.feed(row[0], row[1], row[2], row[3], (at, *row[5:])):
                return walker.finish(head_seq, head_hash)
        if len(rows) < batch:
            break
        after = rows[-1][1]
    return walker.finish(head_seq, head_hash)


def row_hash_at(engine: Engine, seq: int) -> str | None:
    """The stored hash of the chain's row ``seq``, or None if the log holds no such row."""
    reader = engine.execution_options(**{READ_ONLY: True})
    with reader.connect() as conn:
        found = conn.scalar(select(AuditRow.row_hash).where(AuditRow.seq == seq))
        conn.rollback()
    return None if found is None else str(found)

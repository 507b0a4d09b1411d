"""The SQLAlchemy unit of work: one session, one transaction, rolled back unless committed."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from acurelief.domain.audit import AuditEntry
from acurelief.storage.audit import SqlAudit
from acurelief.storage.audit import append as append_audit
from acurelief.storage.database import READ_ONLY
from acurelief.storage.errors import storage_error
from acurelief.storage.invitations import SqlInvitations
from acurelief.storage.logins import SqlLogins
from acurelief.storage.repositories import (
    SqlAttacks,
    SqlClinics,
    SqlDiary,
    SqlIntakes,
    SqlPatients,
    SqlProtocols,
    SqlQuestionnaires,
    SqlSessions,
    SqlUsers,
)
from acurelief.storage.worklist import SqlClinicReads


class SqlUnitOfWork:
    def __init__(
        self,
        factory: sessionmaker[Session],
        audit_key: bytes = b"",
        writer: sessionmaker[Session] | None = None,
        *,
        read_only: bool = False,
    ) -> None:
        self._factory = factory
        self._audit_key = audit_key
        self._writer = writer or factory  # appends audit entries of a read-only unit
        self._read_only = read_only
        self._session: Session | None = None

    def __enter__(self) -> Self:
        session = self._factory()
        self._session = session
        self.clinics = SqlClinics(session)
        self.users = SqlUsers(session)
        self.patients = SqlPatients(session)
        self.diary = SqlDiary(session)
        self.attacks = SqlAttacks(session)
        self.sessions = SqlSessions(session)
        self.questionnaires = SqlQuestionnaires(session)
        self.intakes = SqlIntakes(session)
        self.protocols = SqlProtocols(session)
        self.invitations = SqlInvitations(session)
        self.clinic_reads = SqlClinicReads(session)
        self.logins = SqlLogins(session, self._audit_key)
        self.audit = SqlAudit(session, self._audit_key)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._session is not None
        try:
            self._session.rollback()
            # Refused access is audited although the work that was refused is undone: the
            # refusals are appended in a short transaction of their own.
            self._append_apart(self.audit.take_refusals())
        finally:
            self._session.close()
            self._session = None
        if isinstance(exc, DBAPIError):  # its message may quote the row: tell it value-free
            raise storage_error(exc) from None

    def commit(self) -> None:
        """Make the work permanent, with its audit entries.

        A read-only unit has nothing to keep but its audit entries: its read ends first and
        the entries are then chained in a short write transaction of their own, so on SQLite
        the write lock is held for the append only, never while the read runs.
        """
        assert self._session is not None, "commit outside 'with'"
        if self._read_only:
            entries = self.audit.take_all()
            self._session.rollback()
            self._append_apart(entries)
            return
        self.audit.flush()
        self._session.commit()

    def _append_apart(self, entries: list[AuditEntry]) -> None:
        if entries:
            with self._writer() as writer, writer.begin():
                append_audit(writer, self._audit_key, entries)

    def rollback(self) -> None:
        assert self._session is not None, "rollback outside 'with'"
        self._session.rollback()
        self.audit.discard_pending()


class SqlUnitOfWorkFactory:
    """Makes a fresh unit of work per use case, all sharing one engine."""

    def __init__(self, engine: Engine, audit_key: bytes = b"") -> None:
        self.engine = engine
        self.audit_key = audit_key  # keys the audit chain's HMAC (see domain.audit)
        self._factory = sessionmaker(bind=engine, expire_on_commit=False)
        reader = engine.execution_options(**{READ_ONLY: True})
        self._read_only_factory = sessionmaker(bind=reader, expire_on_commit=False)

    def __call__(self, *, read_only: bool = False) -> SqlUnitOfWork:
        """A unit of work; a read-only one never waits for SQLite's write lock (see database)."""
        factory = self._read_only_factory if read_only else self._factory
        return SqlUnitOfWork(factory, self.audit_key, self._factory, read_only=read_only)

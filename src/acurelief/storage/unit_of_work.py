"""The SQLAlchemy unit of work: one session, one transaction, rolled back unless committed."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from acurelief.storage.invitations import SqlInvitations
from acurelief.storage.repositories import (
    SqlAttacks,
    SqlAudit,
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
    def __init__(self, factory: sessionmaker[Session]) -> None:
        self._factory = factory
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
        self.audit = SqlAudit(session)
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
        finally:
            self._session.close()
            self._session = None

    def commit(self) -> None:
        assert self._session is not None, "commit outside 'with'"
        self._session.commit()

    def rollback(self) -> None:
        assert self._session is not None, "rollback outside 'with'"
        self._session.rollback()


class SqlUnitOfWorkFactory:
    """Makes a fresh unit of work per use case, all sharing one engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._factory = sessionmaker(bind=engine, expire_on_commit=False)

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self._factory)

"""What the use cases need from storage, declared here and implemented in ``storage``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Protocol, Self

from acurelief.diagnosis.intake import Intake
from acurelief.domain import (
    Attack,
    Clinic,
    DiaryDay,
    Instrument,
    Patient,
    QuestionnaireResponse,
    TreatmentSession,
    User,
)
from acurelief.domain.audit import AuditEntry as AuditEntry  # re-exported for callers
from acurelief.domain.audit import AuditQuery, StoredAuditEntry
from acurelief.knowledge.protocols import Protocol as PointProtocol
from acurelief.outcomes.diary_columns import DiaryColumns


@dataclass(frozen=True, slots=True)
class Credentials:
    """A user with the hash of their password, for logging in."""

    user: User
    password_hash: str


class ClinicRepository(Protocol):
    def add(self, clinic: Clinic) -> Clinic: ...
    def get(self, clinic_id: int) -> Clinic | None: ...
    def by_name(self, name: str) -> Clinic | None: ...
    def count(self) -> int: ...
    def list_all(self) -> Sequence[Clinic]: ...


class UserRepository(Protocol):
    def add(self, user: User, password_hash: str) -> User: ...
    def get(self, user_id: int) -> User | None: ...
    def credentials(self, email: str) -> Credentials | None: ...
    def set_password_hash(self, user_id: int, password_hash: str) -> None: ...
    def list_for_clinic(self, clinic_id: int) -> Sequence[User]: ...
    def add_token(
        self, user_id: int, token_hash: str, label: str, created_at: dt.datetime
    ) -> None: ...
    def user_for_token(self, token_hash: str) -> User | None: ...
    def for_patient(self, patient_id: int) -> User | None: ...
    def set_email(self, user_id: int, email: str) -> None: ...


class PatientRepository(Protocol):
    def add(self, patient: Patient) -> Patient: ...
    def get(self, patient_id: int) -> Patient | None: ...
    def list_for_clinic(self, clinic_id: int) -> Sequence[Patient]: ...


class DiaryRepository(Protocol):
    def upsert(self, day: DiaryDay) -> None: ...
    def upsert_many(self, days: Sequence[DiaryDay]) -> None: ...
    def get(self, patient_id: int, date: dt.date) -> DiaryDay | None: ...
    def between(self, patient_id: int, start: dt.date, end: dt.date) -> Sequence[DiaryDay]: ...


class AttackRepository(Protocol):
    def add(self, attack: Attack) -> Attack: ...
    def list_for_patient(self, patient_id: int) -> Sequence[Attack]: ...


class SessionRepository(Protocol):
    def add(self, session: TreatmentSession) -> TreatmentSession: ...
    def list_for_patient(
        self, patient_id: int, start: dt.datetime | None = None, end: dt.datetime | None = None
    ) -> Sequence[TreatmentSession]: ...


class QuestionnaireRepository(Protocol):
    def add(self, response: QuestionnaireResponse) -> QuestionnaireResponse: ...
    def list_for_patient(self, patient_id: int) -> Sequence[QuestionnaireResponse]: ...
    def latest_for_patients(
        self, patient_ids: Sequence[int], instrument: Instrument
    ) -> Mapping[int, QuestionnaireResponse]: ...


class ProtocolRepository(Protocol):
    def put(self, clinic_id: int, protocol: PointProtocol) -> None: ...
    def for_clinic(self, clinic_id: int) -> Sequence[PointProtocol]: ...


@dataclass(frozen=True, slots=True)
class StoredIntake:
    intake: Intake
    recorded_at: dt.datetime
    recorded_by: int | None


class IntakeRepository(Protocol):
    def add(self, patient_id: int, intake: Intake, at: dt.datetime, by: int | None) -> None: ...
    def latest(self, patient_id: int) -> StoredIntake | None: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class InvitationRecord:
    """A one-time link to set a login's password; stored as the token's digest, never the token."""

    id: int | None = None
    user_id: int
    token_hash: str = field(repr=False)
    created_at: dt.datetime
    expires_at: dt.datetime
    used_at: dt.datetime | None = None
    created_by: int | None = None


class InvitationRepository(Protocol):
    def add(self, invitation: InvitationRecord) -> InvitationRecord: ...
    def by_token_hash(self, token_hash: str) -> InvitationRecord | None: ...
    def mark_used(self, invitation_id: int, at: dt.datetime) -> bool: ...
    def expire_unused(self, user_id: int, at: dt.datetime) -> int: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenRecord:
    """A personal API token as listed to its owner: never the token, nor its digest."""

    id: int
    user_id: int
    label: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    last_used_at: dt.datetime | None = None
    revoked_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LoginSessionRecord:
    """A browser login kept on the server; ``id`` is the digest of the cookie's session id."""

    id: str = field(repr=False)
    user_id: int
    created_at: dt.datetime
    last_seen_at: dt.datetime
    ended_at: dt.datetime | None = None
    second_factor_pending: bool = False
    user_agent: str | None = None


@dataclass(frozen=True, slots=True)
class ThrottleRecord:
    """Failed logins under one key (a digest of an account's e-mail or of an address)."""

    failures: int
    last_failure_at: dt.datetime
    blocked_until: dt.datetime | None


class LoginRepository(Protocol):
    """Sessions, tokens, throttling and second factors: the state behind logging in."""

    def add_session(self, record: LoginSessionRecord) -> None: ...
    def session(self, session_hash: str) -> LoginSessionRecord | None: ...
    def touch_session(self, session_hash: str, at: dt.datetime) -> None: ...
    def confirm_second_factor(self, session_hash: str) -> None: ...
    def end_session(self, session_hash: str, at: dt.datetime) -> None: ...
    def end_sessions(self, user_id: int, at: dt.datetime, keep: str | None = None) -> int: ...

    def add_token(
        self,
        user_id: int,
        token_hash: str,
        label: str,
        created_at: dt.datetime,
        expires_at: dt.datetime,
    ) -> TokenRecord: ...
    def token_by_hash(self, token_hash: str) -> TokenRecord | None: ...
    def touch_token(self, token_id: int, at: dt.datetime) -> None: ...
    def tokens_of(self, user_id: int) -> Sequence[TokenRecord]: ...
    def revoke_token(self, user_id: int, token_id: int, at: dt.datetime) -> bool: ...
    def revoke_tokens(self, user_id: int, at: dt.datetime) -> int: ...

    def set_active(self, user_id: int, active: bool) -> None: ...
    def password_changed(self, user_id: int, at: dt.datetime) -> None: ...
    def totp(self, user_id: int) -> tuple[str | None, bool]: ...
    def set_totp(self, user_id: int, secret: str | None, enabled: bool) -> None: ...
    def use_totp_step(self, user_id: int, step: int) -> bool: ...
    def replace_recovery_codes(self, user_id: int, code_hashes: Sequence[str]) -> None: ...
    def use_recovery_code(self, user_id: int, code_hash: str, at: dt.datetime) -> bool: ...
    def unused_recovery_codes(self, user_id: int) -> int: ...

    def throttle(self, key: str) -> ThrottleRecord | None: ...
    def count_failure(self, key: str, at: dt.datetime) -> int: ...
    def block(self, key: str, until: dt.datetime) -> None: ...
    def clear_throttle(self, key: str) -> None: ...


class ClinicReadModel(Protocol):
    """Set-based reads over many patients of one clinic, for views that summarise them all.

    Each method is one query and reads only patients of ``clinic_id`` among ``patient_ids``.
    """

    def patients(self, clinic_id: int) -> Sequence[tuple[Patient, str | None]]:
        """The clinic's patients by name, each with their practitioner's display name."""
        ...

    def diary_columns(
        self, clinic_id: int, patient_ids: Collection[int], start: dt.date, end: dt.date
    ) -> DiaryColumns:
        """The diary days from ``start`` to ``end`` (inclusive) as columns, no object per day."""
        ...

    def diary_days(
        self, clinic_id: int, patient_ids: Collection[int], start: dt.date, end: dt.date
    ) -> Mapping[int, Sequence[DiaryDay]]:
        """Whole diary days by patient, oldest first, where a computation needs every field."""
        ...

    def session_starts(
        self, clinic_id: int, patient_ids: Collection[int], until: dt.datetime
    ) -> Sequence[tuple[int, dt.datetime]]:
        """(patient id, start) of every session up to ``until``, in time order."""
        ...

    def latest_intakes(self, clinic_id: int, patient_ids: Collection[int]) -> Mapping[int, Intake]:
        """Each patient's most recently recorded intake."""
        ...


class AuditLog(Protocol):
    """The append-only, hash-chained audit log (see ``domain.audit``)."""

    def record(self, entry: AuditEntry) -> None:
        """Append ``entry`` when the unit of work commits; dropped if it rolls back."""
        ...

    def record_refusal(self, entry: AuditEntry) -> None:
        """Append ``entry`` even if the unit of work rolls back (refused access)."""
        ...

    def for_patient(self, patient_id: int) -> Sequence[AuditEntry]: ...

    def search(self, query: AuditQuery, *, offset: int, limit: int) -> Sequence[StoredAuditEntry]:
        """Matching entries, newest first."""
        ...

    def count(self, query: AuditQuery) -> int: ...

    def stream(self, query: AuditQuery) -> Iterator[StoredAuditEntry]:
        """Every matching entry, oldest first, fetched in batches (for exports)."""
        ...


class UnitOfWork(Protocol):
    """One transaction: commit makes the work durable; leaving without commit undoes it."""

    @property
    def clinics(self) -> ClinicRepository: ...
    @property
    def users(self) -> UserRepository: ...
    @property
    def patients(self) -> PatientRepository: ...
    @property
    def diary(self) -> DiaryRepository: ...
    @property
    def attacks(self) -> AttackRepository: ...
    @property
    def sessions(self) -> SessionRepository: ...
    @property
    def questionnaires(self) -> QuestionnaireRepository: ...
    @property
    def intakes(self) -> IntakeRepository: ...

    @property
    def protocols(self) -> ProtocolRepository: ...

    @property
    def invitations(self) -> InvitationRepository: ...

    @property
    def clinic_reads(self) -> ClinicReadModel: ...

    @property
    def logins(self) -> LoginRepository: ...

    @property
    def audit(self) -> AuditLog: ...

    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self, *, read_only: bool = False) -> UnitOfWork:
        """A fresh unit of work. ``read_only=True`` promises it changes no data (the
        database refuses a write in it): on SQLite its reads never take the write lock, so
        they never wait for a long import. Its audit entries are chained at ``commit`` in a
        short transaction of their own, after the read has ended."""
        ...

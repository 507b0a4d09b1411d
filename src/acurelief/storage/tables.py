"""The database tables. Changing one needs an Alembic migration (``storage/migrations``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[dt.datetime]):
    """An aware datetime stored as UTC, so SQLite (which has no zones) and PostgreSQL agree."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("refusing to store a datetime without a time zone")
        utc = value.astimezone(dt.UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:  # noqa: ARG002
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class ClinicRow(Base):
    __tablename__ = "clinics"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_changed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # The TOTP shared secret (base32). Never logged; a database reader could compute codes,
    # but still needs the password as well.
    totp_secret: Mapped[str | None] = mapped_column(String(255))  # sealed: storage/sealed.py
    totp_enabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # The 30-second step of the last TOTP code accepted: a code is good once, not twice.
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)


class ApiTokenRow(Base):
    """A personal bearer token; only its SHA-256 digest is kept."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)  # None: treated as expired
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class LoginSessionRow(Base):
    """A browser login, server side; the cookie holds only a random id whose digest is ``id``."""

    __tablename__ = "login_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # True while the password was right but the second factor (TOTP) is still owed.
    second_factor_pending: Mapped[bool] = mapped_column(Boolean, default=False)
    user_agent: Mapped[str | None] = mapped_column(String(200))


class RecoveryCodeRow(Base):
    """A one-time two-factor recovery code; only its SHA-256 digest is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class LoginThrottleRow(Base):
    """Failed logins per account or per address, shared by every worker process.

    ``key`` is the SHA-256 of "account:<normalised e-mail>" or "address:<client address>", so
    the table names nobody and is the same whether or not the account exists.
    """

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    blocked_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class InvitationRow(Base):
    """A one-time link to set a login's password; only the token's SHA-256 digest is kept."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class PatientRow(Base):
    __tablename__ = "patients"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    practitioner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    date_of_birth: Mapped[dt.date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(10))
    time_zone: Mapped[str] = mapped_column(String(64))


class FeatureColumns:
    """The ICHD-3 headache features, shared by diary days and attacks."""

    side: Mapped[str | None] = mapped_column(String(12))
    quality: Mapped[str | None] = mapped_column(String(12))
    aggravated_by_activity: Mapped[bool | None] = mapped_column(Boolean)
    nausea: Mapped[bool | None] = mapped_column(Boolean)
    vomiting: Mapped[bool | None] = mapped_column(Boolean)
    photophobia: Mapped[bool | None] = mapped_column(Boolean)
    phonophobia: Mapped[bool | None] = mapped_column(Boolean)
    aura: Mapped[bool | None] = mapped_column(Boolean)
    medications: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)


class DiaryDayRow(FeatureColumns, Base):
    __tablename__ = "diary_days"
    __table_args__ = (UniqueConstraint("patient_id", "date", name="uq_diary_days_patient_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    date: Mapped[dt.date] = mapped_column(Date)
    headache: Mapped[bool] = mapped_column(Boolean)
    peak_pain: Mapped[int | None] = mapped_column(SmallInteger)
    headache_hours: Mapped[float | None] = mapped_column(Float)
    menstruation: Mapped[bool | None] = mapped_column(Boolean)
    mood: Mapped[int | None] = mapped_column(SmallInteger)
    sleep_hours: Mapped[float | None] = mapped_column(Float)
    stress: Mapped[int | None] = mapped_column(SmallInteger)
    notes: Mapped[str | None] = mapped_column(Text)


class AttackRow(FeatureColumns, Base):
    __tablename__ = "attacks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    start: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    end: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    peak_pain: Mapped[int | None] = mapped_column(SmallInteger)


class SessionRow(Base):
    __tablename__ = "treatment_sessions"
    __table_args__ = (Index("ix_treatment_sessions_patient_started", "patient_id", "started_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    practitioner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    started_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    stimulation_kind: Mapped[str] = mapped_column(String(20))
    frequencies_hz: Mapped[list[float]] = mapped_column(JSON, default=list)
    intensity_ma: Mapped[float | None] = mapped_column(Float)
    retention_minutes: Mapped[int | None] = mapped_column(Integer)
    de_qi: Mapped[bool | None] = mapped_column(Boolean)
    before_pain: Mapped[int | None] = mapped_column(SmallInteger)
    before_mood: Mapped[int | None] = mapped_column(SmallInteger)
    before_minutes: Mapped[int | None] = mapped_column(Integer)
    after_pain: Mapped[int | None] = mapped_column(SmallInteger)
    after_mood: Mapped[int | None] = mapped_column(SmallInteger)
    after_minutes: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str | None] = mapped_column(Text)


class SessionPointRow(Base):
    __tablename__ = "session_points"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("treatment_sessions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(12))
    side: Mapped[str | None] = mapped_column(String(10))


class AdverseEventRow(Base):
    __tablename__ = "adverse_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("treatment_sessions.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    notes: Mapped[str | None] = mapped_column(Text)


class QuestionnaireRow(Base):
    __tablename__ = "questionnaire_responses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    instrument: Mapped[str] = mapped_column(String(10))
    date: Mapped[dt.date] = mapped_column(Date)
    answers: Mapped[dict[str, int]] = mapped_column(JSON)


class ProtocolRow(Base):
    """A practice-defined point protocol (the same shape as the published ones)."""

    __tablename__ = "protocols"
    __table_args__ = (UniqueConstraint("clinic_id", "key", name="uq_protocols_clinic_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(200))
    indication: Mapped[str] = mapped_column(String(200))
    points: Mapped[list[list[str | None]]] = mapped_column(JSON)
    stimulation_kind: Mapped[str] = mapped_column(String(20))
    frequencies_hz: Mapped[list[float]] = mapped_column(JSON, default=list)
    intensity_ma: Mapped[float | None] = mapped_column(Float)
    retention_minutes: Mapped[int | None] = mapped_column(Integer)
    sessions: Mapped[int | None] = mapped_column(Integer)
    weeks: Mapped[float | None] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(500), default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class IntakeRow(Base):
    """A headache history as taken at intake (the ``diagnosis.intake`` schema, as JSON)."""

    __tablename__ = "intakes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class AuditRow(Base):
    """Append-only access log, hash-chained (``domain.audit``). No foreign keys: entries
    outlive what they mention. ``seq`` numbers the chain without gaps (ids may skip)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    action: Mapped[str] = mapped_column(String(40))
    patient_id: Mapped[int | None] = mapped_column(Integer, index=True)
    detail: Mapped[str] = mapped_column(String(200), default="")
    clinic_id: Mapped[int | None] = mapped_column(Integer, index=True)
    channel: Mapped[str] = mapped_column(String(10), default="system")
    token_id: Mapped[int | None] = mapped_column(Integer)
    os_user: Mapped[str | None] = mapped_column(String(64))
    on_behalf_of: Mapped[int | None] = mapped_column(Integer, index=True)
    outcome: Mapped[str] = mapped_column(String(10), default="ok")
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    row_hash: Mapped[str] = mapped_column(String(64))


class AuditHeadRow(Base):
    """The one row that says where the audit chain ends. Appending locks it, so that two
    transactions never chain to the same predecessor, and verifying compares against it, so
    that deleting the newest entries is noticed."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    row_hash: Mapped[str] = mapped_column(String(64))

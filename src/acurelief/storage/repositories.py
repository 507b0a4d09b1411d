"""Repositories: one per aggregate, each working inside the unit of work's session."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import cast

from sqlalchemy import Table, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from acurelief.diagnosis.intake import Intake, parse_intake
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
from acurelief.knowledge.protocols import Protocol as PointProtocol
from acurelief.services.ports import Credentials, StoredIntake
from acurelief.storage import mapping
from acurelief.storage.tables import (
    AdverseEventRow,
    ApiTokenRow,
    AttackRow,
    ClinicRow,
    DiaryDayRow,
    IntakeRow,
    PatientRow,
    ProtocolRow,
    QuestionnaireRow,
    SessionPointRow,
    SessionRow,
    UserRow,
)


class SqlClinics:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, clinic: Clinic) -> Clinic:
        row = ClinicRow(name=clinic.name)
        self._s.add(row)
        self._s.flush()
        return mapping.clinic(row)

    def get(self, clinic_id: int) -> Clinic | None:
        row = self._s.get(ClinicRow, clinic_id)
        return mapping.clinic(row) if row else None

    def by_name(self, name: str) -> Clinic | None:
        row = self._s.scalar(select(ClinicRow).where(ClinicRow.name == name))
        return mapping.clinic(row) if row else None

    def count(self) -> int:
        return self._s.scalar(select(func.count()).select_from(ClinicRow)) or 0

    def list_all(self) -> Sequence[Clinic]:
        return [
            mapping.clinic(r) for r in self._s.scalars(select(ClinicRow).order_by(ClinicRow.id))
        ]


class SqlUsers:
    def __init__(self, session: Session) -> None:
        self._s = session

    def _domain(self, row: UserRow) -> User:
        patient_id = self._s.scalar(select(PatientRow.id).where(PatientRow.user_id == row.id))
        return mapping.user(row, patient_id)

    def add(self, user: User, password_hash: str) -> User:
        row = UserRow(
            clinic_id=user.clinic_id,
            email=user.email.lower(),
            display_name=user.display_name,
            role=user.role.value,
            password_hash=password_hash,
            active=user.active,
        )
        self._s.add(row)
        self._s.flush()
        if user.patient_id is not None:
            patient = self._s.get(PatientRow, user.patient_id)
            if patient is None:
                raise LookupError(f"patient {user.patient_id} does not exist")
            patient.user_id = row.id
            self._s.flush()
        return self._domain(row)

    def get(self, user_id: int) -> User | None:
        row = self._s.get(UserRow, user_id)
        return self._domain(row) if row else None

    def credentials(self, email: str) -> Credentials | None:
        row = self._s.scalar(select(UserRow).where(UserRow.email == email.lower()))
        return Credentials(self._domain(row), row.password_hash) if row else None

    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        row = self._s.get(UserRow, user_id)
        if row is not None:
            row.password_hash = password_hash

    def list_for_clinic(self, clinic_id: int) -> Sequence[User]:
        rows = self._s.scalars(
            select(UserRow).where(UserRow.clinic_id == clinic_id).order_by(UserRow.id)
        )
        return [self._domain(r) for r in rows]

    def add_token(self, user_id: int, token_hash: str, label: str, created_at: dt.datetime) -> None:
        self._s.add(
            ApiTokenRow(user_id=user_id, token_hash=token_hash, label=label, created_at=created_at)
        )
        self._s.flush()

    def user_for_token(self, token_hash: str) -> User | None:
        row = self._s.scalar(
            select(UserRow)
            .join(ApiTokenRow, ApiTokenRow.user_id == UserRow.id)
            .where(ApiTokenRow.token_hash == token_hash)
        )
        return self._domain(row) if row else None

    def for_patient(self, patient_id: int) -> User | None:
        """The login of a patient record, if they have one."""
        row = self._s.scalar(
            select(UserRow)
            .join(PatientRow, PatientRow.user_id == UserRow.id)
            .where(PatientRow.id == patient_id)
        )
        return mapping.user(row, patient_id) if row else None

    def set_email(self, user_id: int, email: str) -> None:
        self._s.execute(update(UserRow).where(UserRow.id == user_id).values(email=email.lower()))


class SqlPatients:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, patient: Patient) -> Patient:
        row = PatientRow(
            clinic_id=patient.clinic_id,
            practitioner_id=patient.practitioner_id,
            name=patient.name,
            date_of_birth=patient.date_of_birth,
            sex=patient.sex.value,
            time_zone=patient.time_zone,
        )
        self._s.add(row)
        self._s.flush()
        return mapping.patient(row)

    def get(self, patient_id: int) -> Patient | None:
        row = self._s.get(PatientRow, patient_id)
        return mapping.patient(row) if row else None

    def list_for_clinic(self, clinic_id: int) -> Sequence[Patient]:
        rows = self._s.scalars(
            select(PatientRow).where(PatientRow.clinic_id == clinic_id).order_by(PatientRow.id)
        )
        return [mapping.patient(r) for r in rows]


class SqlDiary:
    def __init__(self, session: Session) -> None:
        self._s = session

    def upsert(self, day: DiaryDay) -> None:
        """Insert the day, or replace the stored one for the same patient and date."""
        self.upsert_many([day])

    def upsert_many(self, days: Sequence[DiaryDay]) -> None:
        """Insert the days, replacing any stored for the same patient and date.

        One INSERT … ON CONFLICT DO UPDATE, sent as multi-row batches rather than a statement
        per day: an import of ten years holds SQLite's write lock for a fraction of a second.
        The unique constraint settles concurrent writers of the same day inside the database,
        so two rows for one day can never exist.
        """
        if not days:
            return
        rows = [mapping.diary_day_columns(day) for day in days]
        dialect = self._s.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        table = cast(Table, DiaryDayRow.__table__)
        stmt = insert(table)  # the table, not the class: a Core executemany, no ORM bulk path
        changed = {k: stmt.excluded[k] for k in rows[0] if k not in ("patient_id", "date")}
        upsert = stmt.on_conflict_do_update(index_elements=["patient_id", "date"], set_=changed)
        self._s.execute(upsert, rows)

    def get(self, patient_id: int, date: dt.date) -> DiaryDay | None:
        row = self._s.scalar(
            select(DiaryDayRow).where(
                DiaryDayRow.patient_id == patient_id, DiaryDayRow.date == date
            )
        )
        return mapping.diary_day(row) if row else None

    def between(self, patient_id: int, start: dt.date, end: dt.date) -> Sequence[DiaryDay]:
        """Plain rows, no ORM object per day: a dashboard reads years of days at once."""
        rows = self._s.execute(
            select(*DiaryDayRow.__table__.columns)
            .where(
                DiaryDayRow.patient_id == patient_id,
                DiaryDayRow.date >= start,
                DiaryDayRow.date <= end,
            )
            .order_by(DiaryDayRow.date)
        )
        return [mapping.diary_day(r) for r in rows]


class SqlAttacks:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, attack: Attack) -> Attack:
        row = AttackRow(
            patient_id=attack.patient_id,
            start=attack.start,
            end=attack.end,
            peak_pain=attack.peak_pain,
            **mapping.features_to_columns(attack.features, attack.medications),
        )
        self._s.add(row)
        self._s.flush()
        return mapping.attack(row)

    def list_for_patient(self, patient_id: int) -> Sequence[Attack]:
        rows = self._s.scalars(
            select(AttackRow).where(AttackRow.patient_id == patient_id).order_by(AttackRow.start)
        )
        return [mapping.attack(r) for r in rows]


class SqlSessions:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, session: TreatmentSession) -> TreatmentSession:
        row = SessionRow(**mapping.session_columns(session))
        self._s.add(row)
        self._s.flush()
        for position, point in enumerate(session.points):
            side = point.side.value if point.side else None
            self._s.add(
                SessionPointRow(session_id=row.id, position=position, code=point.code, side=side)
            )
        for event in session.adverse_events:
            self._s.add(
                AdverseEventRow(session_id=row.id, kind=event.kind.value, notes=event.notes)
            )
        self._s.flush()
        return self._domain(row)

    def _domain(self, row: SessionRow) -> TreatmentSession:
        points = self._s.execute(
            select(SessionPointRow.code, SessionPointRow.side)
            .where(SessionPointRow.session_id == row.id)
            .order_by(SessionPointRow.position)
        ).all()
        events = self._s.execute(
            select(AdverseEventRow.kind, AdverseEventRow.notes)
            .where(AdverseEventRow.session_id == row.id)
            .order_by(AdverseEventRow.id)
        ).all()
        return mapping.session(row, [(c, s) for c, s in points], [(k, n) for k, n in events])

    def list_for_patient(
        self, patient_id: int, start: dt.datetime | None = None, end: dt.datetime | None = None
    ) -> Sequence[TreatmentSession]:
        query = select(SessionRow).where(SessionRow.patient_id == patient_id)
        if start is not None:
            query = query.where(SessionRow.started_at >= start)
        if end is not None:
            query = query.where(SessionRow.started_at <= end)
        rows = list(self._s.scalars(query.order_by(SessionRow.started_at, SessionRow.id)))
        # Points and adverse events of all these sessions in one query each, not two per session.
        ids = [r.id for r in rows]
        points: dict[int, list[tuple[str, str | None]]] = {i: [] for i in ids}
        events: dict[int, list[tuple[str, str | None]]] = {i: [] for i in ids}
        for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
            for sid, code, side in self._s.execute(
                select(SessionPointRow.session_id, SessionPointRow.code, SessionPointRow.side)
                .where(SessionPointRow.session_id.in_(chunk))
                .order_by(SessionPointRow.session_id, SessionPointRow.position)
            ):
                points[sid].append((code, side))
            for sid, kind, notes in self._s.execute(
                select(AdverseEventRow.session_id, AdverseEventRow.kind, AdverseEventRow.notes)
                .where(AdverseEventRow.session_id.in_(chunk))
                .order_by(AdverseEventRow.session_id, AdverseEventRow.id)
            ):
                events[sid].append((kind, notes))
        return [mapping.session(r, points[r.id], events[r.id]) for r in rows]


class SqlQuestionnaires:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, response: QuestionnaireResponse) -> QuestionnaireResponse:
        row = QuestionnaireRow(
            patient_id=response.patient_id,
            instrument=response.instrument.value,
            date=response.date,
            answers=dict(response.answers),
        )
        self._s.add(row)
        self._s.flush()
        return mapping.questionnaire(row)

    def list_for_patient(self, patient_id: int) -> Sequence[QuestionnaireResponse]:
        rows = self._s.scalars(
            select(QuestionnaireRow)
            .where(QuestionnaireRow.patient_id == patient_id)
            .order_by(QuestionnaireRow.date, QuestionnaireRow.id)
        )
        return [mapping.questionnaire(r) for r in rows]

    def latest_for_patients(
        self, patient_ids: Sequence[int], instrument: Instrument
    ) -> Mapping[int, QuestionnaireResponse]:
        """Each patient's latest response on ``instrument`` (by date, then as recorded)."""
        if not patient_ids:
            return {}
        rows = self._s.scalars(
            select(QuestionnaireRow)
            .where(
                QuestionnaireRow.patient_id.in_(set(patient_ids)),
                QuestionnaireRow.instrument == instrument.value,
            )
            .order_by(QuestionnaireRow.date, QuestionnaireRow.id)
        )
        return {r.patient_id: mapping.questionnaire(r) for r in rows}


class SqlIntakes:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, patient_id: int, intake: Intake, at: dt.datetime, by: int | None) -> None:
        data = intake.model_dump(mode="json", exclude_none=True)
        self._s.add(IntakeRow(patient_id=patient_id, recorded_at=at, recorded_by=by, data=data))
        self._s.flush()

    def latest(self, patient_id: int) -> StoredIntake | None:
        row = self._s.scalar(
            select(IntakeRow)
            .where(IntakeRow.patient_id == patient_id)
            .order_by(IntakeRow.recorded_at.desc(), IntakeRow.id.desc())
            .limit(1)
        )
        if row is None:
            return None
        return StoredIntake(parse_intake(row.data), row.recorded_at, row.recorded_by)


class SqlProtocols:
    def __init__(self, session: Session) -> None:
        self._s = session

    def put(self, clinic_id: int, protocol: PointProtocol) -> None:
        """Store the protocol under its key, replacing one of the same key (idempotent)."""
        stim = protocol.stimulation
        values = {
            "name": protocol.name,
            "indication": protocol.indication,
            "points": [[p.code, p.side.value if p.side else None] for p in protocol.points],
            "stimulation_kind": stim.kind.value,
            "frequencies_hz": list(stim.frequencies_hz),
            "intensity_ma": stim.intensity_ma,
            "retention_minutes": protocol.retention_minutes,
            "sessions": protocol.sessions,
            "weeks": protocol.weeks,
            "source": protocol.source,
            "notes": protocol.notes,
        }
        row = self._s.scalar(
            select(ProtocolRow).where(
                ProtocolRow.clinic_id == clinic_id, ProtocolRow.key == protocol.key
            )
        )
        if row is None:
            self._s.add(ProtocolRow(clinic_id=clinic_id, key=protocol.key, **values))
        else:
            for name, value in values.items():
                setattr(row, name, value)
        self._s.flush()

    def for_clinic(self, clinic_id: int) -> Sequence[PointProtocol]:
        rows = self._s.scalars(
            select(ProtocolRow).where(ProtocolRow.clinic_id == clinic_id).order_by(ProtocolRow.key)
        )
        return [mapping.protocol(r) for r in rows]

"""Use cases for treatment sessions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

from acurelief.domain import Patient, Role, TreatmentSession, User
from acurelief.domain.access import Action, Actor
from acurelief.errors import InvalidInput
from acurelief.knowledge.protocols import Protocol
from acurelief.services import protocols
from acurelief.services.access import reach_patient
from acurelief.services.ports import UnitOfWork


def record_session(
    uow: UnitOfWork, actor: Actor, session: TreatmentSession, now: dt.datetime
) -> TreatmentSession:
    """Store a session given by a practitioner or admin of the patient's clinic."""
    reach_patient(uow, actor, session.patient_id, Action.RECORD_SESSION, now)
    session.check_not_future(now)
    practitioner_id = session.practitioner_id or actor.user_id
    practitioner = uow.users.get(practitioner_id)
    if (
        practitioner is None
        or practitioner.clinic_id != actor.clinic_id
        or practitioner.role is Role.PATIENT
    ):
        raise InvalidInput.single("practitioner_id", "must be a practitioner of your clinic")
    stored = uow.sessions.add(replace(session, id=None, practitioner_id=practitioner_id))
    uow.commit()
    return stored


def list_sessions(
    uow: UnitOfWork,
    actor: Actor,
    patient_id: int,
    now: dt.datetime,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
) -> Sequence[TreatmentSession]:
    reach_patient(uow, actor, patient_id, Action.READ, now)
    sessions = uow.sessions.list_for_patient(patient_id, start, end)
    uow.commit()
    return sessions


@dataclass(frozen=True, slots=True)
class ChartingContext:
    """What charting a session for a patient starts from: the practitioners who may be named,
    the protocols of the practice (published ones first) and the patient's last session."""

    patient: Patient
    practitioners: tuple[User, ...]
    protocols: tuple[Protocol, ...]
    last_session: TreatmentSession | None


def charting_context(
    uow: UnitOfWork, actor: Actor, patient_id: int, now: dt.datetime
) -> ChartingContext:
    """For staff of the patient's clinic only: a patient is refused, an outsider finds none."""
    patient = reach_patient(uow, actor, patient_id, Action.RECORD_SESSION, now)
    staff = tuple(
        u
        for u in uow.users.list_for_clinic(actor.clinic_id)
        if u.role is not Role.PATIENT and u.active
    )
    found = uow.sessions.list_for_patient(patient_id)
    context = ChartingContext(
        patient=patient,
        practitioners=staff,
        protocols=tuple(protocols.available(uow, actor)),
        last_session=found[-1] if found else None,
    )
    uow.commit()
    return context

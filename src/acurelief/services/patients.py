"""Use cases for patient records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from acurelief.domain import Patient, Role
from acurelief.domain.access import Action, Actor
from acurelief.errors import InvalidInput
from acurelief.services.access import audit, reach_patient, require
from acurelief.services.ports import UnitOfWork


def list_patients(uow: UnitOfWork, actor: Actor, now: dt.datetime) -> Sequence[Patient]:
    """The patients the actor may see: their clinic's, or only themself for a patient."""
    if actor.role is Role.PATIENT:
        own = uow.patients.get(actor.patient_id) if actor.patient_id is not None else None
        patients: Sequence[Patient] = [own] if own is not None else []
    else:
        patients = uow.patients.list_for_clinic(actor.clinic_id)
    audit(uow, actor, now, "list_patients", None, f"{len(patients)} patients")
    uow.commit()
    return patients


def get_patient(uow: UnitOfWork, actor: Actor, patient_id: int, now: dt.datetime) -> Patient:
    patient = reach_patient(uow, actor, patient_id, Action.READ, now)
    uow.commit()
    return patient


def create_patient(uow: UnitOfWork, actor: Actor, draft: Patient, now: dt.datetime) -> Patient:
    """Register a patient in the actor's own clinic, under one of its practitioners."""
    patient = add_patient(uow, actor, draft, now)
    uow.commit()
    return patient


def add_patient(uow: UnitOfWork, actor: Actor, draft: Patient, now: dt.datetime) -> Patient:
    """``create_patient`` without the commit, for a use case that stores more in the same
    unit of work (a patient and their login together, or nothing)."""
    check_new_patient(uow, actor, draft, now)
    patient = uow.patients.add(replace(draft, id=None, clinic_id=actor.clinic_id))
    audit(uow, actor, now, "create_patient", patient.id)
    return patient


def check_new_patient(uow: UnitOfWork, actor: Actor, draft: Patient, now: dt.datetime) -> None:
    """Refuse a patient the actor may not register (Forbidden) or whose date of birth or
    practitioner does not fit (InvalidInput naming the field); stores nothing."""
    require(actor, Action.MANAGE_PATIENTS, uow=uow, now=now)
    draft.check_dates(now)
    if draft.practitioner_id is not None:
        practitioner = uow.users.get(draft.practitioner_id)
        if (
            practitioner is None
            or practitioner.clinic_id != actor.clinic_id
            or practitioner.role is Role.PATIENT
        ):
            raise InvalidInput.single(
                "practitioner_id", "must be a practitioner or admin of your clinic"
            )

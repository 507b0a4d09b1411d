"""Patients within the caller's reach."""

from __future__ import annotations

from fastapi import APIRouter, status

from acurelief.services import patients
from acurelief.web.api.params import PatientId
from acurelief.web.deps import CurrentActor, NowDep, UowDep
from acurelief.web.schemas import PatientCreate, PatientPublic

router = APIRouter(prefix="/patients", tags=["patients"])


@router.get("")
def list_patients(actor: CurrentActor, uow: UowDep, now: NowDep) -> list[PatientPublic]:
    with uow(read_only=True) as work:
        return [PatientPublic.of(p) for p in patients.list_patients(work, actor, now)]


@router.post("", status_code=status.HTTP_201_CREATED)
def create_patient(
    body: PatientCreate, actor: CurrentActor, uow: UowDep, now: NowDep
) -> PatientPublic:
    with uow() as work:
        patient = patients.create_patient(work, actor, body.to_domain(actor.clinic_id), now)
    return PatientPublic.of(patient)


@router.get("/{patient_id}")
def get_patient(
    patient_id: PatientId, actor: CurrentActor, uow: UowDep, now: NowDep
) -> PatientPublic:
    with uow(read_only=True) as work:
        return PatientPublic.of(patients.get_patient(work, actor, patient_id, now))

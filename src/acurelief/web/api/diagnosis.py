"""A patient's headache history (intake) and ICHD-3 diagnosis with its reasons."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from acurelief.diagnosis.intake import Intake
from acurelief.services import diagnosis
from acurelief.web.api.params import PatientId
from acurelief.web.deps import CurrentActor, NowDep, UowDep
from acurelief.web.schemas import AssessmentPublic, IntakePublic

router = APIRouter(prefix="/patients/{patient_id}", tags=["diagnosis"])


@router.put("/intake")
def put_intake(
    patient_id: PatientId, body: Intake, actor: CurrentActor, uow: UowDep, now: NowDep
) -> IntakePublic:
    """Record the headache history taken at intake (schema: GET /api/v1/intake-schema)."""
    with uow() as work:
        stored = diagnosis.record_intake(work, actor, patient_id, body, now)
    return IntakePublic.of_stored(stored)


@router.get("/intake")
def get_intake(
    patient_id: PatientId, actor: CurrentActor, uow: UowDep, now: NowDep
) -> IntakePublic:
    with uow(read_only=True) as work:
        return IntakePublic.of_stored(diagnosis.latest_intake(work, actor, patient_id, now))


@router.get("/diagnosis")
def get_diagnosis(
    patient_id: PatientId,
    actor: CurrentActor,
    uow: UowDep,
    now: NowDep,
    source: Annotated[
        diagnosis.Source, Query(description="intake or diary")
    ] = diagnosis.Source.INTAKE,
) -> AssessmentPublic:
    """ICHD-3 diagnoses with every criterion's trace, undecided codes and red flags."""
    with uow(read_only=True) as work:
        return AssessmentPublic.of_assessment(
            diagnosis.diagnose(work, actor, patient_id, source, now), source.value
        )

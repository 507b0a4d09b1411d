"""A patient's treatment sessions."""

from __future__ import annotations

from fastapi import APIRouter, status

from acurelief.services import protocols, sessions
from acurelief.web.api.params import PatientId
from acurelief.web.deps import CurrentActor, NowDep, UowDep
from acurelief.web.schemas import SessionCreate, SessionPublic

router = APIRouter(prefix="/patients/{patient_id}/sessions", tags=["sessions"])


@router.get("")
def list_sessions(
    patient_id: PatientId, actor: CurrentActor, uow: UowDep, now: NowDep
) -> list[SessionPublic]:
    with uow(read_only=True) as work:
        found = sessions.list_sessions(work, actor, patient_id, now)
    return [SessionPublic.of(s) for s in found]


@router.post("", status_code=status.HTTP_201_CREATED)
def create_session(
    patient_id: PatientId, body: SessionCreate, actor: CurrentActor, uow: UowDep, now: NowDep
) -> SessionPublic:
    protocol = None
    if body.protocol is not None:
        with uow() as work:
            protocol = protocols.resolve(work, actor, body.protocol)
    with uow() as work:
        stored = sessions.record_session(work, actor, body.to_domain(patient_id, protocol), now)
    return SessionPublic.of(stored)

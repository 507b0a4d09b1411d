"""A patient's outcomes: endpoints by window, prevention, immediate relief, carry-over, mood."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from acurelief.services import outcomes, practice
from acurelief.web.api.params import PatientId
from acurelief.web.deps import CurrentActor, NowDep, UowDep
from acurelief.web.outcomes_view import outcomes_record, practice_record

router = APIRouter(tags=["outcomes"])


@router.get("/practice")
def get_practice(actor: CurrentActor, uow: UowDep, now: NowDep) -> dict[str, Any]:
    """The practice's responder rates against the published arms, by diagnosis and
    practitioner; patients' rate ratios pooled with shrinkage; funnel-plot data."""
    return practice_record(practice.practice(uow, actor, now))


@router.get("/patients/{patient_id}/outcomes")
def get_outcomes(
    patient_id: PatientId, actor: CurrentActor, uow: UowDep, now: NowDep
) -> dict[str, Any]:
    """Every figure with its interval and the days or sessions it rests on; windows that
    cannot be evaluated say why."""
    with uow(read_only=True) as work:
        return outcomes_record(outcomes.patient_outcomes(work, actor, patient_id, now))

"""A patient's outcomes: endpoints by window, prevention, immediate relief, carry-over, mood."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from acurelief.services import outcomes
from acurelief.web.deps import CurrentActor, NowDep, UowDep
from acurelief.web.outcomes_view import outcomes_record

router = APIRouter(prefix="/patients/{patient_id}", tags=["outcomes"])


@router.get("/outcomes")
def get_outcomes(patient_id: int, actor: CurrentActor, uow: UowDep, now: NowDep) -> dict[str, Any]:
    """Every figure with its interval and the days or sessions it rests on; windows that
    cannot be evaluated say why."""
    with uow() as work:
        return outcomes_record(outcomes.patient_outcomes(work, actor, patient_id, now))

"""The practitioner's patient dashboard (the worklist lives in its own module)."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from acurelief.domain import Role
from acurelief.services import diagnosis, overview
from acurelief.web.dashboard_view import dashboard_view
from acurelief.web.deps import ChartShelfDep, CurrentActor, NowDep, UowDep
from acurelief.web.render import templates

router = APIRouter()


@router.get("/patients/{patient_id}", response_class=HTMLResponse)
def patient_page(
    request: Request,
    patient_id: int,
    actor: CurrentActor,
    uow: UowDep,
    now: NowDep,
    shelf: ChartShelfDep,
    month: str | None = None,
) -> Response:
    """The patient dashboard. A patient who opens their own is sent to My progress, which
    says the same in plain words; anyone else's stays "not found" for them."""
    if actor.role is Role.PATIENT and actor.patient_id == patient_id:
        return RedirectResponse("/progress", status_code=303)
    with uow(read_only=True) as work:
        found = overview.patient_dashboard(work, actor, patient_id, now, overview.month_of(month))
    assessment, basis = diagnosis.current_assessment(uow, actor, patient_id, now)
    view = dashboard_view(found)
    context = {
        "actor": actor,
        "patient": found.patient,
        "today": found.today,
        "first_session": found.outcomes.first_session,
        "session_count": len(found.sessions),
        "view": view,
        "charts": shelf.link(patient_id, view.figures),
        "assessment": assessment,
        "basis": basis,
    }
    return templates.TemplateResponse(request, "dashboard/patient.html", context)


def age(born: dt.date, today: dt.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


templates.env.globals["age"] = age

"""My progress: the logged-in patient's own outcomes, in plain words.

The patient is always ``actor.patient_id``, never a number from the address. Staff who open
the page are sent to the patient list: their view of a patient is the dashboard.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from acurelief.services import overview
from acurelief.web.dashboard_view import progress_view
from acurelief.web.deps import ChartShelfDep, CurrentActor, NowDep, UowDep
from acurelief.web.render import templates

router = APIRouter()


@router.get("/progress", response_class=HTMLResponse)
def progress_page(
    request: Request,
    actor: CurrentActor,
    uow: UowDep,
    now: NowDep,
    shelf: ChartShelfDep,
    month: str | None = None,
) -> Response:
    if actor.is_staff or actor.patient_id is None:
        return RedirectResponse("/patients", status_code=303)
    with uow(read_only=True) as work:
        found = overview.patient_dashboard(
            work, actor, actor.patient_id, now, overview.month_of(month)
        )
    view = progress_view(found)
    context = {
        "actor": actor,
        "patient": found.patient,
        "view": view,
        "charts": shelf.link(actor.patient_id, view.figures),
    }
    return templates.TemplateResponse(request, "progress.html", context)

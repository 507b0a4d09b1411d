"""The dashboard's and My progress's charts as images (``web.chart_images`` says why).

A chart is patient data: every image request is authorised and audited as a read of the
patient, exactly as the page was. A patient gets only their own charts in plain words (the
``progress-`` ones); the practitioner's wording stays with staff.
"""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter
from fastapi.responses import Response

from acurelief.domain import Role
from acurelief.domain.access import Actor
from acurelief.errors import NotFound
from acurelief.reports import charts
from acurelief.services import overview, patients
from acurelief.services.ports import UnitOfWorkFactory
from acurelief.web.dashboard_view import dashboard_view, progress_view
from acurelief.web.deps import ChartShelfDep, CurrentActor, NowDep, UowDep

router = APIRouter()
PLAIN = "progress-"  # the prefix of My progress's charts
NO_STORE = {"Cache-Control": "private, no-store"}  # health data: not kept by the browser


@router.get("/patients/{patient_id}/charts/{name}.svg")
def chart_image(
    patient_id: int,
    name: str,
    actor: CurrentActor,
    uow: UowDep,
    now: NowDep,
    shelf: ChartShelfDep,
    v: str = "",
) -> Response:
    """Chart ``name`` of the patient, as the page that linked it (version ``v``) showed it,
    or as it is now when that page is no longer on the shelf."""
    if actor.role is Role.PATIENT and not name.startswith(PLAIN):
        raise NotFound("chart", name)
    chart = shelf.find(patient_id, name, v)
    if chart is None:
        chart = _describe(uow, actor, patient_id, now, name)
    else:
        with uow(read_only=True) as work:
            patients.get_patient(work, actor, patient_id, now)  # authorised and audited
    svg = charts.draw(chart, name)
    if svg is None:
        raise NotFound("chart", name)
    return Response(svg, media_type="image/svg+xml", headers=NO_STORE)


def _describe(
    uow: UnitOfWorkFactory, actor: Actor, patient_id: int, now: dt.datetime, name: str
) -> charts.Chart:
    """The chart ``name`` describes from the patient's data as they are now."""
    with uow(read_only=True) as work:
        found = overview.patient_dashboard(work, actor, patient_id, now)
    view = progress_view(found) if name.startswith(PLAIN) else dashboard_view(found)
    for figure in view.figures:
        if figure.name == name and figure.chart is not None:
            return figure.chart
    raise NotFound("chart", name)

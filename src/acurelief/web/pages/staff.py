"""The practitioner's pages: the patient list and one patient's dashboard."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from acurelief.domain import Role
from acurelief.domain.people import zone
from acurelief.reports.charts import carry_over_chart, headache_days_chart
from acurelief.services import diagnosis, outcomes, overview, patients
from acurelief.web.deps import CurrentActor, NowDep, UowDep
from acurelief.web.outcomes_view import outcomes_record
from acurelief.web.render import templates

router = APIRouter()


@router.get("/patients", response_class=HTMLResponse)
def patient_list(request: Request, actor: CurrentActor, uow: UowDep, now: NowDep) -> Response:
    if actor.role is Role.PATIENT and actor.patient_id is not None:
        return RedirectResponse(f"/patients/{actor.patient_id}", status_code=303)
    with uow() as work:
        found = patients.list_patients(work, actor, now)
    return templates.TemplateResponse(
        request, "patients.html", {"patients": found, "actor": actor, "today": now.date()}
    )


@router.get("/patients/{patient_id}", response_class=HTMLResponse)
def patient_page(
    request: Request, patient_id: int, actor: CurrentActor, uow: UowDep, now: NowDep
) -> Response:
    with uow() as work:
        view = overview.patient_overview(work, actor, patient_id, now)
    assessment, basis = diagnosis.current_assessment(uow, actor, patient_id, now)
    with uow() as work:
        found = outcomes.patient_outcomes(work, actor, patient_id, now)
    record = outcomes_record(found)
    charts = _charts(record, found, view, now)
    context = {
        "view": view,
        "actor": actor,
        "weeks": _weeks(view),
        "tz": zone(view.patient.time_zone),
        "assessment": assessment,
        "basis": basis,
        "outcomes": record,
        "charts": charts,
    }
    return templates.TemplateResponse(request, "patient.html", context)


def _charts(
    record: dict[str, Any],
    found: outcomes.PatientOutcomes,
    view: overview.PatientOverview,
    now: dt.datetime,
) -> dict[str, str | None]:
    """The SVG charts of the outcomes section (rendered, never computed, here)."""
    first = found.first_session
    if first is None:
        return {"headache": None, "carry": None}
    tz = zone(view.patient.time_zone)
    days = sorted({(s.started_at.astimezone(tz).date() - first).days for s in view.sessions})
    today = (view.patient.today(now) - first).days
    return {"headache": headache_days_chart(record), "carry": carry_over_chart(record, days, today)}


def _weeks(view: overview.PatientOverview) -> list[list[overview.CalendarDay | None]]:
    """The calendar days in rows Monday to Sunday, padded with None at both ends."""
    days: list[overview.CalendarDay | None] = [None] * view.days[0].date.weekday()
    days.extend(view.days)
    days.extend([None] * (-len(days) % 7))
    return [days[i : i + 7] for i in range(0, len(days), 7)]


def age(born: dt.date, today: dt.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


templates.env.globals["age"] = age

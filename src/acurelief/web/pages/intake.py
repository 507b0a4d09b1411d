"""The practitioner's headache-history page: the intake as plain questions, then the ICHD-3
diagnosis it leads to, with every criterion's reasoning and the red-flag advice."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from acurelief.diagnosis.intake import Intake
from acurelief.domain import Patient
from acurelief.domain.access import Actor
from acurelief.domain.people import zone
from acurelief.errors import InvalidInput
from acurelief.services import diagnosis
from acurelief.services.ports import StoredIntake, UnitOfWorkFactory
from acurelief.web.deps import CurrentActor, NowDep, UowDep
from acurelief.web.pages import intake_form
from acurelief.web.pages.forms import FieldErrors, PostedForm, errors_of, validate
from acurelief.web.render import templates

router = APIRouter()
NOTHING_ANSWERED = (
    "Nothing was answered. Answer at least one question: a history of unknowns would hide "
    "the diagnosis the diary allows."
)


def _render(
    request: Request,
    actor: Actor,
    patient_id: int,
    patient: Patient,
    values: intake_form.Values,
    errors: FieldErrors,
    *,
    stored: StoredIntake | None,
    uow: UnitOfWorkFactory,
    now: dt.datetime,
    status_code: int = 200,
) -> Response:
    assessment, basis = (None, "")
    if stored is not None and not errors:
        assessment, basis = diagnosis.current_assessment(uow, actor, patient_id, now)
    context = {
        "actor": actor,
        "patient": patient,
        "sections": intake_form.SECTIONS,
        "values": values,
        "errors": errors,
        "stored": stored,
        "recorded_at": stored.recorded_at.astimezone(zone(patient.time_zone)) if stored else None,
        "assessment": assessment,
        "basis": basis,
        "saved": request.query_params.get("saved") == "1" and not errors,
    }
    return templates.TemplateResponse(request, "intake/form.html", context, status_code=status_code)


@router.get("/patients/{patient_id}/intake", response_class=HTMLResponse)
def intake_page(
    request: Request, patient_id: int, actor: CurrentActor, uow: UowDep, now: NowDep
) -> Response:
    with uow(read_only=True) as work:
        patient, stored = diagnosis.intake_to_edit(work, actor, patient_id, now)
    values = intake_form.values_of(stored.intake) if stored else {}
    return _render(request, actor, patient_id, patient, values, {}, stored=stored, uow=uow, now=now)


@router.post("/patients/{patient_id}/intake", response_class=HTMLResponse)
def save_intake(
    request: Request,
    patient_id: int,
    actor: CurrentActor,
    uow: UowDep,
    now: NowDep,
    form: PostedForm,
) -> Response:
    with uow() as work:
        patient, stored = diagnosis.intake_to_edit(work, actor, patient_id, now)
    intake, found = validate(Intake, intake_form.intake_data(form))
    if intake == Intake():
        intake, found = None, {"form": NOTHING_ANSWERED}
    if intake is not None:
        try:
            with uow() as work:
                diagnosis.record_intake(work, actor, patient_id, intake, now)
        except InvalidInput as exc:
            found = errors_of(exc)
        else:
            return RedirectResponse(f"/patients/{patient_id}/intake?saved=1", status_code=303)
    errors = intake_form.field_errors(found)
    values = intake_form.typed_values(form)
    return _render(
        request,
        actor,
        patient_id,
        patient,
        values,
        errors,
        stored=stored,
        uow=uow,
        now=now,
        status_code=422,
    )


# The diagnosis partial (dashboard and intake pages) names what an undecided code still needs
# in the intake form's own questions.
templates.env.filters["question"] = intake_form.question_of

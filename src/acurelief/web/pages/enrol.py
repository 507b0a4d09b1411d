"""Staff pages: add a patient, and give them a login through a one-time link.

There is no mail server. The link is shown once, on the page that answers the POST which
made it (never stored, never shown again, never cached), for staff to hand to the patient.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from acurelief.domain import Patient, Sex
from acurelief.domain.access import Actor
from acurelief.domain.people import zone
from acurelief.errors import Conflict, InvalidInput
from acurelief.services import enrolment, invitations
from acurelief.services.invitations import Invitation
from acurelief.web.deps import CurrentActor, NowDep, UowDep
from acurelief.web.pages.forms import FieldErrors, PostedForm, errors_of, text, typed, validate
from acurelief.web.render import templates
from acurelief.web.schemas import PatientCreate

router = APIRouter()

FLASH_KEY = "enrol_added"
LINK_KEY = "enrol_link"  # a new link, held in the session until the one page that shows it
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
PATIENT_FIELDS = ("name", "date_of_birth", "sex", "time_zone", "practitioner_id")
SEXES = (
    (Sex.FEMALE, "Female"),
    (Sex.MALE, "Male"),
    (Sex.OTHER, "Other"),
    (Sex.UNKNOWN, "Not recorded"),
)
# The zones offered in the list, west to east; any other IANA zone can be typed in.
COMMON_TIME_ZONES = (
    "Pacific/Honolulu",
    "America/Anchorage",
    "America/Los_Angeles",
    "America/Vancouver",
    "America/Denver",
    "America/Phoenix",
    "America/Chicago",
    "America/Mexico_City",
    "America/New_York",
    "America/Toronto",
    "America/Sao_Paulo",
    "Atlantic/Reykjavik",
    "UTC",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Africa/Lagos",
    "Europe/Amsterdam",
    "Europe/Berlin",
    "Europe/Brussels",
    "Europe/Copenhagen",
    "Europe/Madrid",
    "Europe/Oslo",
    "Europe/Paris",
    "Europe/Rome",
    "Europe/Stockholm",
    "Europe/Vienna",
    "Europe/Warsaw",
    "Europe/Zurich",
    "Africa/Johannesburg",
    "Europe/Athens",
    "Europe/Helsinki",
    "Europe/Istanbul",
    "Africa/Nairobi",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Bangkok",
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Singapore",
    "Australia/Perth",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Australia/Brisbane",
    "Australia/Sydney",
    "Pacific/Auckland",
)


# --- Add a patient ---------------------------------------------------------------------------


def _zone_choices(usual: str) -> list[str]:
    return [usual, *(z for z in COMMON_TIME_ZONES if z != usual)]


def _new_context(
    actor: Actor,
    choices: enrolment.EnrolmentChoices,
    values: dict[str, str],
    errors: FieldErrors,
    today: dt.date,
) -> dict[str, Any]:
    staff_ids = {str(s.user_id) for s in choices.staff}
    if "practitioner_id" not in values and str(actor.user_id) in staff_ids:
        values = values | {"practitioner_id": str(actor.user_id)}
    if "time_zone" not in values:
        values = values | {"time_zone": choices.usual_time_zone}
    return {
        "actor": actor,
        "choices": choices,
        "zones": _zone_choices(choices.usual_time_zone),
        "sexes": SEXES,
        "values": values,
        "errors": errors,
        "today": today,
    }


def _chosen_zone(form: FormData) -> str | None:
    """The zone typed under "another time zone" wins over the list."""
    return text(form, "time_zone_other") or text(form, "time_zone")


def _patient_fields(form: FormData) -> dict[str, str]:
    """The posted record as the API's body, leaving out what was left empty."""
    found = {name: text(form, name) for name in PATIENT_FIELDS}
    found["time_zone"] = _chosen_zone(form)
    return {k: v for k, v in found.items() if v is not None}


def _errors_shown(errors: FieldErrors, form: FormData) -> FieldErrors:
    """Each problem beside its field, in a sentence; a zone typed in is the field at fault."""
    shown = {field: _sentence(message) for field, message in errors.items()}
    if "sex" in shown:
        shown["sex"] = "Please choose one."
    if "time_zone" in shown and text(form, "time_zone_other"):
        shown["time_zone_other"] = shown.pop("time_zone")
    return shown


def _sentence(message: str) -> str:
    message = message.strip()
    message = message[:1].upper() + message[1:]
    return message if message.endswith((".", "!", "?")) else message + "."


@router.get("/patients/new", response_class=HTMLResponse)
def new_patient_form(request: Request, actor: CurrentActor, uow: UowDep, now: NowDep) -> Response:
    with uow(read_only=True) as work:
        choices = enrolment.enrolment_choices(work, actor)
    context = _new_context(actor, choices, {}, {}, now.date())
    return templates.TemplateResponse(request, "enrol/new.html", context)


@router.post("/patients/new", response_class=HTMLResponse)
def add_patient(
    request: Request, form: PostedForm, actor: CurrentActor, uow: UowDep, now: NowDep
) -> Response:
    """Register the patient (and, with an e-mail, their login and its link) or show every
    problem beside its field with nothing stored."""
    with uow() as work:
        choices = enrolment.enrolment_choices(work, actor)
    email = text(form, "email")
    body, errors = validate(PatientCreate, _patient_fields(form))
    enrolled: enrolment.Enrolled | None = None
    if body is None:
        errors = _email_errors(uow, email) | errors
    else:
        try:
            draft = body.to_domain(actor.clinic_id)
        except InvalidInput as exc:
            errors = errors_of(exc) | _email_errors(uow, email)
        else:
            try:
                with uow() as work:
                    enrolled = enrolment.enrol_patient(work, actor, draft, email, now)
            except InvalidInput as exc:
                errors = errors_of(exc)
    if enrolled is None:
        values = typed(form)
        context = _new_context(actor, choices, values, _errors_shown(errors, form), now.date())
        return templates.TemplateResponse(request, "enrol/new.html", context, status_code=422)
    patient = enrolled.patient
    if enrolled.invitation is None:
        request.session[FLASH_KEY] = patient.name
        return RedirectResponse(f"/patients/{patient.id}/invite", status_code=303)
    return _show_once(request, patient, enrolled.invitation, added=True)


def _email_errors(uow: UowDep, email: str | None) -> FieldErrors:
    """The e-mail's problems too, so that one round shows them beside the record's."""
    if email is None:
        return {}
    with uow() as work:
        found = enrolment.email_problems(work, email.strip().lower())
    return {p.field: p.message for p in found[:1]}


# --- Give them a login -----------------------------------------------------------------------


def _invite_context(
    actor: Actor,
    login: enrolment.LoginOfPatient,
    values: dict[str, str],
    errors: FieldErrors,
    added: str | None,
) -> dict[str, Any]:
    return {
        "actor": actor,
        "patient": login.patient,
        "login_email": login.email,
        "values": values if values else {"email": login.email or ""},
        "errors": errors,
        "added": added,
    }


@router.get("/patients/{patient_id}/invite", response_class=HTMLResponse)
def invite_form(
    request: Request, patient_id: int, actor: CurrentActor, uow: UowDep, now: NowDep
) -> Response:
    with uow(read_only=True) as work:
        login = enrolment.login_of_patient(work, actor, patient_id, now)
    added = request.session.pop(FLASH_KEY, None)
    context = _invite_context(actor, login, {}, {}, added if isinstance(added, str) else None)
    return templates.TemplateResponse(request, "enrol/invite.html", context)


@router.post("/patients/{patient_id}/invite", response_class=HTMLResponse)
def invite(
    request: Request,
    patient_id: int,
    form: PostedForm,
    actor: CurrentActor,
    uow: UowDep,
    now: NowDep,
) -> Response:
    """A new one-time link (earlier ones stop working), shown once; or the form again."""
    with uow() as work:
        login = enrolment.login_of_patient(work, actor, patient_id, now)
    email = text(form, "email")
    try:
        with uow() as work:
            made = invitations.invite_patient(work, actor, patient_id, email, now)
    except InvalidInput as exc:
        errors = _errors_shown(errors_of(exc), form)
    except Conflict as exc:
        errors = {"email": _sentence(str(exc))}
    else:
        return _show_once(request, login.patient, made, added=False)
    context = _invite_context(actor, login, typed(form), errors, None)
    return templates.TemplateResponse(request, "enrol/invite.html", context, status_code=422)


# --- The link, shown once --------------------------------------------------------------------


def expiry_words(expires_at: dt.datetime, now: dt.datetime, time_zone: str) -> str:
    """``in 7 days: Monday 22 June 2026 at 14:00 (Europe/Berlin time)``."""
    local = expires_at.astimezone(zone(time_zone))
    days = round((expires_at - now) / dt.timedelta(days=1))
    within = "in 1 day" if days == 1 else f"in {days} days" if days > 1 else "soon"
    return f"{within}: {local:%A} {local.day} {local:%B %Y} at {local:%H:%M} ({time_zone} time)"


def _show_once(
    request: Request, patient: Patient, invitation: Invitation, *, added: bool
) -> RedirectResponse:
    """Post, then redirect, then get: reloading the page that shows the link can neither add
    the patient again nor make another link; the link itself is shown only by the next GET."""
    request.session[LINK_KEY] = {
        "patient_id": patient.id,
        "token": invitation.token,
        "expires_at": invitation.expires_at.isoformat(),
        "email": invitation.email,
        "added": added,
    }
    return RedirectResponse(f"/patients/{patient.id}/invite/link", status_code=303)


@router.get("/patients/{patient_id}/invite/link", response_class=HTMLResponse)
def link_once(
    request: Request, patient_id: int, actor: CurrentActor, uow: UowDep, now: NowDep
) -> Response:
    """The new link, once; afterwards (or for another patient) back to the invite form."""
    with uow(read_only=True) as work:
        login = enrolment.login_of_patient(work, actor, patient_id, now)
    held = request.session.pop(LINK_KEY, None)
    if not isinstance(held, dict) or held.get("patient_id") != patient_id:
        return RedirectResponse(f"/patients/{patient_id}/invite", status_code=303)
    invitation = Invitation(
        token=str(held["token"]),
        expires_at=dt.datetime.fromisoformat(str(held["expires_at"])),
        email=str(held["email"]),
    )
    return _link_page(request, actor, login.patient, invitation, now, added=bool(held["added"]))


def _link_page(
    request: Request,
    actor: Actor,
    patient: Patient,
    invitation: Invitation,
    now: dt.datetime,
    *,
    added: bool,
) -> Response:
    link = str(request.base_url).rstrip("/") + f"/welcome/{invitation.token}"
    context = {
        "actor": actor,
        "patient": patient,
        "link": link,
        "email": invitation.email,
        "expires": expiry_words(invitation.expires_at, now, patient.time_zone),
        "added": added,
    }
    return templates.TemplateResponse(request, "enrol/link.html", context, headers=NO_STORE)

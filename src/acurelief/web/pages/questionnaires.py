"""Questionnaires: the patient fills them in (PHQ-9, GAD-7, HIT-6, MIDAS); staff read the
responses of a patient with their scores and bands.

The forms' wording comes from ``knowledge.questionnaire_texts`` through the service, with a
licensed clinic's texts laid over it. HIT-6 and MIDAS without licensed texts show a neutral
label per item and say so. A PHQ-9 answer above 0 on item 9 raises an alert that staff see at
once (``services.questionnaires.open_alerts``); the patient is told where to get help now.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException

from acurelief.domain import Instrument, QuestionnaireResponse
from acurelief.domain.access import Actor
from acurelief.errors import InsufficientData, InvalidInput
from acurelief.knowledge.questionnaire_texts import QuestionnaireForm
from acurelief.outcomes.questionnaires import BANDS, Score, change, score
from acurelief.services import patients, questionnaires
from acurelief.web.deps import CurrentActor, NowDep, SettingsDep, UowDep
from acurelief.web.pages.forms import FieldErrors, PostedForm, errors_of, text, typed, validate
from acurelief.web.render import templates
from acurelief.web.schemas import QuestionnaireBody

router = APIRouter()

STAFF_HOME = "/patients"
FLASH_KEY = "questionnaire_saved"
ALERT_KEY = "questionnaire_alert"
CHIP_LIMIT = 11  # a numeric item with at most this many answers is shown as chips


@dataclass(frozen=True, slots=True)
class Offered:
    """A questionnaire the patient is offered, named for a patient."""

    instrument: Instrument
    topic: str
    about: str


OFFERED = (
    Offered(Instrument.PHQ9, "mood", "9 questions about your mood over the last 2 weeks"),
    Offered(Instrument.GAD7, "anxiety", "7 questions about worry and nerves over the last 2 weeks"),
    Offered(
        Instrument.HIT6,
        "headache impact",
        "6 questions on how headaches affected your last 4 weeks",
    ),
    Offered(
        Instrument.MIDAS, "days lost to headache", "5 counts of days lost over the last 3 months"
    ),
)
_BY_INSTRUMENT = {o.instrument: o for o in OFFERED}


def title_of(instrument: Instrument) -> str:
    """``PHQ-9 (mood)``."""
    offered = _BY_INSTRUMENT.get(instrument)
    return f"{instrument} ({offered.topic})" if offered else str(instrument)


def day_words(day: dt.date, today: dt.date) -> str:
    """``3 June`` (with the year when it is not this year's)."""
    words = f"{day.day} {day:%B}"
    return words if day.year == today.year else f"{words} {day.year}"


def score_words(found: Score, today: dt.date) -> str:
    """``7 — mild, answered 3 June``."""
    return f"{found.total} — {found.band}, answered {day_words(found.date, today)}"


def _latest_first(found: Sequence[QuestionnaireResponse]) -> list[QuestionnaireResponse]:
    return sorted(found, key=lambda r: (r.date, r.id or 0), reverse=True)


def _by_instrument(
    found: Sequence[QuestionnaireResponse],
) -> dict[Instrument, list[QuestionnaireResponse]]:
    grouped: dict[Instrument, list[QuestionnaireResponse]] = {}
    for response in _latest_first(found):
        grouped.setdefault(response.instrument, []).append(response)
    return grouped


def _own_patient(actor: Actor) -> int | None:
    """The logged-in patient's own record; None for staff, who answer nothing here."""
    return actor.patient_id if actor.patient_id is not None and not actor.is_staff else None


def _offered(instrument: str) -> Instrument:
    """The offered questionnaire named in the address, or the "page not found" page."""
    try:
        kind = questionnaires.parse_instrument(instrument)
    except InvalidInput:
        kind = None
    if kind not in _BY_INSTRUMENT:
        raise HTTPException(status_code=404)
    assert kind is not None
    return kind


def _form_of(settings: SettingsDep, instrument: Instrument) -> QuestionnaireForm:
    return questionnaires.question_forms(settings.questionnaire_texts_file)[instrument]


# --- The patient's list ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ListEntry:
    offered: Offered
    title: str
    latest: str | None
    before: str | None
    count: int
    scale: str


def _scale(instrument: Instrument) -> str:
    bands = BANDS[instrument]
    return f"Scores run from {bands[0].lowest} to {bands[-1].highest}; lower is better."


@router.get("/questionnaires", response_class=HTMLResponse)
def questionnaire_list(request: Request, actor: CurrentActor, uow: UowDep, now: NowDep) -> Response:
    if (patient_id := _own_patient(actor)) is None:
        return RedirectResponse(STAFF_HOME, status_code=303)
    with uow(read_only=True) as work:
        patient = patients.get_patient(work, actor, patient_id, now)
        found = questionnaires.responses(work, actor, patient_id, now)
    today = patient.today(now)
    grouped = _by_instrument(found)
    entries = []
    for offered in OFFERED:
        answered = grouped.get(offered.instrument, [])
        scores = [score(r) for r in answered[:2]]
        entries.append(
            ListEntry(
                offered=offered,
                title=title_of(offered.instrument),
                latest=score_words(scores[0], today) if scores else None,
                before=score_words(scores[1], today) if len(scores) > 1 else None,
                count=len(answered),
                scale=_scale(offered.instrument),
            )
        )
    saved = request.session.pop(FLASH_KEY, None)
    alert = request.session.pop(ALERT_KEY, False) is True
    context = {
        "actor": actor,
        "entries": entries,
        "saved": saved if isinstance(saved, str) else None,
        "alert": alert,
    }
    return templates.TemplateResponse(request, "questionnaires/list.html", context)


# --- One questionnaire's form ----------------------------------------------------------------


def _form_context(
    actor: Actor,
    instrument: Instrument,
    form: QuestionnaireForm,
    today: dt.date,
    values: Mapping[str, str],
    errors: FieldErrors,
) -> dict[str, Any]:
    return {
        "actor": actor,
        "instrument": instrument,
        "title": title_of(instrument),
        "form": form,
        "chip_limit": CHIP_LIMIT,
        "today": today,
        "values": {"date": today.isoformat(), **values},
        "errors": errors,
        "missing": sum(1 for k in errors if k.startswith("answers.")),
    }


@router.get("/questionnaires/{instrument}", response_class=HTMLResponse)
def questionnaire_form(
    request: Request,
    instrument: str,
    actor: CurrentActor,
    uow: UowDep,
    now: NowDep,
    settings: SettingsDep,
) -> Response:
    if (patient_id := _own_patient(actor)) is None:
        return RedirectResponse(STAFF_HOME, status_code=303)
    kind = _offered(instrument)
    with uow(read_only=True) as work:
        patient = patients.get_patient(work, actor, patient_id, now)
    context = _form_context(actor, kind, _form_of(settings, kind), patient.today(now), {}, {})
    return templates.TemplateResponse(request, "questionnaires/form.html", context)


def body_of(form: FormData, questions: QuestionnaireForm) -> dict[str, Any]:
    """The posted answers as the schema's body; what was left unanswered is left out."""
    answers = {
        item.key: value
        for item in questions.items
        if (value := text(form, f"answers.{item.key}")) is not None
    }
    data: dict[str, Any] = {"answers": answers}
    if (date := text(form, "date")) is not None:
        data["date"] = date
    return data


def _sentence(message: str) -> str:
    message = message.strip()
    message = message[:1].upper() + message[1:]
    return message if message.endswith((".", "!", "?")) else message + "."


def plain_errors(errors: FieldErrors, questions: QuestionnaireForm, form: FormData) -> FieldErrors:
    """Every problem beside its question, in plain words; every unanswered question named."""
    shown: FieldErrors = {}
    for item in questions.items:
        name = f"answers.{item.key}"
        if item.required and text(form, name) is None:
            shown[name] = "Please choose an answer to this question."
        elif name in errors:
            shown[name] = _sentence(errors[name])
    for field, message in errors.items():
        if field == "date":
            shown["date"] = (
                "The date cannot be after today."
                if "after today" in message
                else "Please give the date you answered, or leave today’s date."
                if message == "is required"
                else _sentence(message)
            )
        elif field not in shown:
            shown[field] = _sentence(message)
    return shown


@router.post("/questionnaires/{instrument}", response_class=HTMLResponse)
def save_questionnaire(
    request: Request,
    instrument: str,
    form: PostedForm,
    actor: CurrentActor,
    uow: UowDep,
    now: NowDep,
    settings: SettingsDep,
) -> Response:
    """Store the answers and go back to the list; or the form again with each problem beside
    its question, the answers given kept, and nothing stored."""
    if (patient_id := _own_patient(actor)) is None:
        return RedirectResponse(STAFF_HOME, status_code=303)
    kind = _offered(instrument)
    questions = _form_of(settings, kind)
    with uow() as work:
        patient = patients.get_patient(work, actor, patient_id, now)
    body, errors = validate(QuestionnaireBody, body_of(form, questions))
    stored: QuestionnaireResponse | None = None
    unanswered = any(
        item.required and text(form, f"answers.{item.key}") is None for item in questions.items
    )
    if body is not None and not unanswered:
        try:
            with uow() as work:
                stored = questionnaires.record_response(
                    work, actor, patient_id, kind, body.answers, body.date, now
                )
        except InvalidInput as exc:
            errors = errors_of(exc)
    if stored is None:
        shown = plain_errors(errors, questions, form)
        today = patient.today(now)
        context = _form_context(actor, kind, questions, today, typed(form), shown)
        return templates.TemplateResponse(
            request, "questionnaires/form.html", context, status_code=422
        )
    result = score(stored)
    request.session[FLASH_KEY] = f"Thank you. {title_of(kind)}: {result.total} — {result.band}."
    if result.alerts:
        request.session[ALERT_KEY] = True
    return RedirectResponse("/questionnaires", status_code=303)


# --- Staff: a patient's responses ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ResponseRow:
    date: dt.date
    total: int
    band: str
    screen: str | None
    answers: str
    alerts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class InstrumentTable:
    instrument: Instrument
    title: str
    scale: str
    rows: tuple[ResponseRow, ...]
    change: str | None


def change_words(newest_first: Sequence[QuestionnaireResponse]) -> str | None:
    """The latest response against the first, judged by the instrument's minimal important
    change (clinical-facts §2); None with fewer than two or without a published threshold."""
    if len(newest_first) < 2:
        return None
    first, last = score(newest_first[-1]), score(newest_first[0])
    try:
        found = change(first, last)
    except InsufficientData:
        return None
    return (
        f"Since the first response ({first.date.isoformat()}): {_points(found.difference)} "
        f"({found.verdict}); minimal important change {_points(found.mic, signed=False)} — "
        f"{found.mic_source}."
    )


def _points(value: float, *, signed: bool = True) -> str:
    number = f"{value:+g}" if signed else f"{value:g}"
    return f"{number} point" if abs(value) == 1 else f"{number} points"


def _row(response: QuestionnaireResponse) -> ResponseRow:
    found = score(response)
    screen = next(
        (
            f"{s.instrument} {s.total} ({s.band}, cut-off ≥{s.cut_off})"
            for s in found.subscores.values()
        ),
        None,
    )
    answers = " · ".join(f"{k}: {v}" for k, v in response.answers.items())
    return ResponseRow(response.date, found.total, found.band, screen, answers, found.alerts)


def _bands(instrument: Instrument) -> str:
    return "; ".join(f"{b.lowest}–{b.highest} {b.label}" for b in BANDS[instrument])


@router.get("/patients/{patient_id}/questionnaires", response_class=HTMLResponse)
def patient_responses(
    request: Request, patient_id: int, actor: CurrentActor, uow: UowDep, now: NowDep
) -> Response:
    """Every response of the patient, newest first per questionnaire, with its score."""
    if _own_patient(actor) is not None:
        return RedirectResponse("/questionnaires", status_code=303)
    with uow(read_only=True) as work:
        patient = patients.get_patient(work, actor, patient_id, now)
        found = questionnaires.responses(work, actor, patient_id, now)
        alerts = questionnaires.open_alerts(work, actor, patient_id, now)
    grouped = _by_instrument(found)
    order = [o.instrument for o in OFFERED] + [i for i in grouped if i not in _BY_INSTRUMENT]
    tables = [
        InstrumentTable(
            instrument=i,
            title=title_of(i),
            scale=_bands(i),
            rows=tuple(_row(r) for r in grouped[i]),
            change=change_words(grouped[i]),
        )
        for i in order
        if i in grouped
    ]
    context = {
        "actor": actor,
        "patient": patient,
        "tables": tables,
        "alerts": alerts,
        "count": len(found),
    }
    return templates.TemplateResponse(request, "questionnaires/staff.html", context)

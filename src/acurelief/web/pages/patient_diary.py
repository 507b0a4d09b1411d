"""The patient's diary pages: Today (the landing page), one earlier day, and Earlier days.

These pages are the logged-in patient's own: the patient is always ``actor.patient_id``,
never a number from the address, so no URL can name another patient's diary. Staff who
open them are sent to their own start page. Saving posts the day's form to
``/diary/{date}`` and replaces that day, as ``PUT`` does in the API.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from acurelief.domain import DiaryDay, MedicationClass, Patient, Sex
from acurelief.domain.access import Actor
from acurelief.errors import InvalidInput
from acurelief.services import diary, patients
from acurelief.web.deps import CurrentActor, NowDep, UowDep
from acurelief.web.pages.forms import (
    FieldErrors,
    PostedForm,
    errors_of,
    text,
    typed,
    validate,
    yes_no,
)
from acurelief.web.render import templates
from acurelief.web.schemas import DiaryDayBody

router = APIRouter()

STAFF_HOME = "/patients"
FLASH_KEY = "diary_saved"
LIST_DAYS = 30
WEEK_DAYS = 7
YEARS_BACK = 10
SEVERE_PAIN = 7
BACK_TO = ("/today", "/diary")

FEATURE_FLAGS = (
    "aggravated_by_activity",
    "nausea",
    "vomiting",
    "photophobia",
    "phonophobia",
    "aura",
)
FEATURE_CHOICES = ("side", "quality")
HEADACHE_FIELDS = ("peak_pain", "headache_hours", "features")
MORE_FIELDS = ("mood", "sleep_hours", "stress", "notes")


@dataclass(frozen=True, slots=True)
class Medicine:
    """A medication class as a patient knows it: a plain name and familiar examples."""

    key: str
    name: str
    examples: str


MEDICINES = (
    Medicine(
        MedicationClass.SIMPLE_ANALGESIC, "Simple painkiller", "paracetamol, ibuprofen, aspirin"
    ),
    Medicine(
        MedicationClass.COMBINATION_ANALGESIC,
        "Combination painkiller",
        "e.g. aspirin + paracetamol + caffeine",
    ),
    Medicine(MedicationClass.TRIPTAN, "Triptan", "sumatriptan, rizatriptan, zolmitriptan"),
    Medicine(MedicationClass.OPIOID, "Opioid painkiller", "codeine, tramadol, morphine"),
    Medicine(MedicationClass.ERGOT, "Ergot", "ergotamine, dihydroergotamine"),
    Medicine(MedicationClass.OTHER, "Other headache medicine", "anything not listed above"),
)


# --- Who may use these pages -------------------------------------------------------------------


def own_patient(actor: Actor) -> int | None:
    """The logged-in patient's own record; None for staff, who do not keep a diary here."""
    return actor.patient_id if actor.patient_id is not None and not actor.is_staff else None


def to_staff_home() -> RedirectResponse:
    return RedirectResponse(STAFF_HOME, status_code=303)


# --- Dates in plain words --------------------------------------------------------------------


def long_date(day: dt.date) -> str:
    """``Sunday 14 June`` (the year only when it is not this year's)."""
    return f"{day:%A} {day.day} {day:%B}"


def short_date(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def relative_name(day: dt.date, today: dt.date) -> str:
    """``Today``, ``Yesterday`` or the weekday and date."""
    if day == today:
        return "Today"
    if day == today - dt.timedelta(days=1):
        return "Yesterday"
    return long_date(day) + (f" {day.year}" if day.year != today.year else "")


def earliest_day(patient: Patient, today: dt.date) -> dt.date:
    """The first day the diary may hold: 10 years back, and never before birth."""
    years_ago = today.year - YEARS_BACK
    back = today.replace(year=years_ago, day=28) if _feb29(today) else today.replace(year=years_ago)
    return max(back, patient.date_of_birth)


def _feb29(day: dt.date) -> bool:
    return day.month == 2 and day.day == 29


def refusal(patient: Patient, day: dt.date, today: dt.date) -> str | None:
    """Why ``day`` cannot be filled in, in plain words; None when it can."""
    if day > today:
        return (
            "You cannot fill in a day that has not happened yet. "
            f"Today is {long_date(today)}; come back on {long_date(day)}."
        )
    if day < patient.date_of_birth:
        return "That day is before your date of birth, so there is nothing to fill in."
    if day < earliest_day(patient, today):
        return f"The diary goes back {YEARS_BACK} years at most. Please choose a later day."
    return None


# --- The form: from a stored day, and back from what was posted ----------------------------------


def _yes_no_text(value: bool | None) -> str | None:
    return None if value is None else "yes" if value else "no"


def _number(value: float | None) -> str | None:
    return None if value is None else f"{value:g}"


def values_of(day: DiaryDay | None) -> dict[str, str]:
    """A stored day as the strings the form shows (empty when the day is missing)."""
    if day is None:
        return {}
    found: dict[str, str | None] = {
        "headache": _yes_no_text(day.headache),
        "peak_pain": _number(day.peak_pain),
        "headache_hours": _number(day.headache_hours),
        "menstruation": _yes_no_text(day.menstruation),
        "mood": _number(day.mood),
        "sleep_hours": _number(day.sleep_hours),
        "stress": _number(day.stress),
        "notes": day.notes,
    }
    for name in FEATURE_CHOICES:
        choice = getattr(day.features, name)
        found[f"features.{name}"] = None if choice is None else str(choice.value)
    for name in FEATURE_FLAGS:
        found[f"features.{name}"] = _yes_no_text(getattr(day.features, name))
    for cls, count in day.medications.items():
        found[f"medications.{cls.value}"] = str(count)
    return {k: v for k, v in found.items() if v is not None}


def headache_answer(form: FormData) -> str | None:
    """The answer to "Headache?": the button pressed wins over the "Yes" chip.

    "No headache" is a submit button named ``headache``; "Yes" is a radio chip of the same
    name. Pressing the button sends both when "Yes" was chosen before, and then the button
    is what the patient meant."""
    answers = [a.strip() for a in form.getlist("headache") if isinstance(a, str) and a.strip()]
    if "no" in answers:
        return "no"
    if "yes" in answers:
        return "yes"
    return answers[-1] if answers else None


def _decimal(form: FormData, name: str) -> str | None:
    """A number as typed; a decimal comma (2,5) is read as a point."""
    value = text(form, name)
    return None if value is None else value.replace(",", ".")


def body_of(form: FormData, asks_period: bool) -> dict[str, Any]:
    """The posted form as the API's body: strings for numbers (pydantic reads them), booleans
    from yes/no, and nothing at all for what was left unanswered ("not recorded")."""
    answer = headache_answer(form)
    data: dict[str, Any] = {}
    if answer is not None:
        data["headache"] = {"yes": True, "no": False}.get(answer, answer)
    for name in ("peak_pain", "mood", "stress", "notes"):
        if (value := text(form, name)) is not None:
            data[name] = value
    for name in ("headache_hours", "sleep_hours"):
        if (value := _decimal(form, name)) is not None:
            data[name] = value
    features: dict[str, Any] = {}
    for name in FEATURE_CHOICES:
        choice = text(form, f"features.{name}")
        if choice is not None and choice != "unknown":
            features[name] = choice
    for name in FEATURE_FLAGS:
        if (flag := yes_no(form, f"features.{name}")) is not None:
            features[name] = flag
    if features:
        data["features"] = features
    medications = {
        m.key: count
        for m in MEDICINES
        if (count := text(form, f"medications.{m.key}")) is not None and count != "0"
    }
    if medications:
        data["medications"] = medications
    if asks_period and (period := yes_no(form, "menstruation")) is not None:
        data["menstruation"] = period
    return data


def _sentence(message: str) -> str:
    message = message.strip()
    message = message[:1].upper() + message[1:]
    return message if message.endswith((".", "!", "?")) else message + "."


def plain_errors(errors: FieldErrors, answer: str | None) -> FieldErrors:
    """The messages as a patient reads them, beside their fields."""
    shown = {field: _sentence(message) for field, message in errors.items()}
    for field in shown:
        if field.startswith("features.") or field == "menstruation":
            shown[field] = "Please choose one of the answers shown."
    if "headache" in shown:
        shown["headache"] = "Please tap “No headache” or “Yes” first."
    if answer == "no" and any(f.split(".")[0] in HEADACHE_FIELDS for f in shown):
        shown["headache"] = (
            "You chose “No headache” but also described a headache below. "
            "Tap “Yes” and save, or leave the headache details empty."
        )
    if "features" in shown:
        shown["features"] = "On a day without headache, leave these unanswered or “Not sure”."
    return shown


def parse_day(
    form: FormData, patient: Patient, date: dt.date
) -> tuple[DiaryDay | None, FieldErrors]:
    """The diary day posted, checked in the API's two rounds, or the problems found."""
    body, errors = validate(DiaryDayBody, body_of(form, asks_period(patient)))
    if body is None:
        return None, errors
    assert patient.id is not None
    try:
        return body.to_domain(patient.id, date), {}
    except InvalidInput as exc:
        return None, errors_of(exc)


def asks_period(patient: Patient) -> bool:
    """Whether "Period today?" applies: not asked of a patient recorded as male."""
    return patient.sex is not Sex.MALE


def confirmation(day: DiaryDay) -> str:
    """What the next page says once a day is saved."""
    if not day.headache:
        return f"Saved: no headache on {long_date(day.date)}."
    pain = f" (pain {day.peak_pain})" if day.peak_pain is not None else ""
    return f"Saved: headache{pain} on {long_date(day.date)}."


# --- Views -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DayStatus:
    """One day of a list or strip, in plain words."""

    date: dt.date
    name: str
    short: str
    kind: str  # "none", "ache", "severe" or "missing"
    words: str
    detail: str
    href: str
    pain: int | None = None

    @property
    def mark(self) -> str:
        """What a small day circle shows: ✓, the pain, • (headache, no pain given) or ?."""
        if self.kind == "missing":
            return "?"
        if self.kind == "none":
            return "✓"
        return "•" if self.pain is None else str(self.pain)


def status_of(date: dt.date, day: DiaryDay | None, today: dt.date) -> DayStatus:
    name = relative_name(date, today)
    href = "/today" if date == today else f"/diary/{date.isoformat()}"
    short = short_date(date)
    if day is None:
        return DayStatus(date, name, short, "missing", "Missing — tap to fill in", "", href)
    doses = sum(day.medications.values())
    detail = f"{doses} dose{'s' if doses != 1 else ''} of medicine" if doses else ""
    if not day.headache:
        return DayStatus(date, name, short, "none", "No headache", detail, href)
    pain = day.peak_pain
    kind = "severe" if pain is not None and pain >= SEVERE_PAIN else "ache"
    words = "Headache" if pain is None else f"Headache, pain {pain}"
    return DayStatus(date, name, short, kind, words, detail, href, pain)


def statuses(
    recorded: list[DiaryDay], start: dt.date, end: dt.date, today: dt.date
) -> list[DayStatus]:
    """Every day from ``end`` back to ``start``, newest first, missing ones included."""
    by_date = {d.date: d for d in recorded}
    count = (end - start).days + 1
    dates = [end - dt.timedelta(days=i) for i in range(count)]
    return [status_of(d, by_date.get(d), today) for d in dates]


def _flash(request: Request) -> str | None:
    message = request.session.pop(FLASH_KEY, None)
    return message if isinstance(message, str) else None


def _form_context(
    patient: Patient,
    date: dt.date,
    today: dt.date,
    values: dict[str, str],
    errors: FieldErrors,
    stored: DiaryDay | None,
) -> dict[str, Any]:
    back = "/today" if date == today else "/diary"
    errors_at = {k.split(".")[0] for k in errors}
    detailed = {k.split(".")[0] for k, v in values.items() if v and v != "0"}
    details = {*HEADACHE_FIELDS, "medications"}
    return {
        "patient": patient,
        "date": date,
        "today": today,
        "day_name": relative_name(date, today),
        "long_date": long_date(date),
        "action": f"/diary/{date.isoformat()}",
        "back": back,
        "values": values,
        "errors": errors,
        "stored": stored,
        "asks_period": asks_period(patient),
        "medicines": MEDICINES,
        "show_details": values.get("headache") == "yes" or bool((errors_at | detailed) & details),
        "more_open": any(values.get(k) for k in MORE_FIELDS) or bool(errors_at & set(MORE_FIELDS)),
        "features_open": any(k.startswith("features.") for k in values) or "features" in errors_at,
    }


def _refused(request: Request, actor: Actor, message: str) -> Response:
    context = {
        "status": 422,
        "title": "This day cannot be filled in",
        "detail": message,
        "actor": actor,
    }
    return templates.TemplateResponse(request, "error.html", context, status_code=422)


@router.get("/today", response_class=HTMLResponse)
def today_page(request: Request, actor: CurrentActor, uow: UowDep, now: NowDep) -> Response:
    """The patient's landing page: "Headache today?" first, the last week underneath."""
    if (patient_id := own_patient(actor)) is None:
        return to_staff_home()
    with uow(read_only=True) as work:
        patient = patients.get_patient(work, actor, patient_id, now)
        today = patient.today(now)
        start = today - dt.timedelta(days=WEEK_DAYS - 1)
        recorded = list(diary.diary_between(work, actor, patient_id, start, today, now))
    stored = next((d for d in recorded if d.date == today), None)
    context = _form_context(patient, today, today, values_of(stored), {}, stored)
    context |= {
        "actor": actor,
        "flash": _flash(request),
        "week": list(reversed(statuses(recorded, start, today, today))),
    }
    return templates.TemplateResponse(request, "patient/today.html", context)


@router.get("/diary", response_class=HTMLResponse)
def earlier_days(
    request: Request,
    actor: CurrentActor,
    uow: UowDep,
    now: NowDep,
    until: dt.date | None = None,
    day: str | None = None,
) -> Response:
    """The last 30 days, newest first, missing days marked; ``?until=`` pages further back
    and ``?day=`` opens the day chosen in the date field."""
    if (patient_id := own_patient(actor)) is None:
        return to_staff_home()
    if (chosen := _date_or_none(day)) is not None:
        return RedirectResponse(f"/diary/{chosen.isoformat()}", status_code=303)
    with uow(read_only=True) as work:
        patient = patients.get_patient(work, actor, patient_id, now)
        today = patient.today(now)
        end = min(until or today, today)
        first = earliest_day(patient, today)
        end = max(end, first)
        start = max(end - dt.timedelta(days=LIST_DAYS - 1), first)
        recorded = list(diary.diary_between(work, actor, patient_id, start, end, now))
    days = statuses(recorded, start, end, today)
    counts = {kind: sum(1 for d in days if d.kind in kinds) for kind, kinds in _TALLY.items()}
    older = start - dt.timedelta(days=1)
    newer = end + dt.timedelta(days=LIST_DAYS)
    context = {
        "actor": actor,
        "flash": _flash(request),
        "days": days,
        "counts": counts,
        "today": today,
        "start": start,
        "end": end,
        "range_words": f"{long_date(start)} to {long_date(end)}",
        "older": older.isoformat() if older >= first else None,
        "newer": None if end >= today else min(newer, today).isoformat(),
    }
    return templates.TemplateResponse(request, "patient/diary.html", context)


def _date_or_none(value: str | None) -> dt.date | None:
    """The day chosen in the date field; an empty or odd value just shows the list."""
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


_TALLY = {"headache": ("ache", "severe"), "none": ("none",), "missing": ("missing",)}


@router.get("/diary/{date}", response_class=HTMLResponse)
def day_page(
    request: Request, date: dt.date, actor: CurrentActor, uow: UowDep, now: NowDep
) -> Response:
    """One day's form, filled in with what was recorded (saving again replaces the day)."""
    if (patient_id := own_patient(actor)) is None:
        return to_staff_home()
    with uow(read_only=True) as work:
        patient = patients.get_patient(work, actor, patient_id, now)
        today = patient.today(now)
        if (why := refusal(patient, date, today)) is not None:
            return _refused(request, actor, why)
        stored = diary.diary_day(work, actor, patient_id, date, now)
    context = _form_context(patient, date, today, values_of(stored), {}, stored)
    context |= {"actor": actor, "flash": _flash(request), "week": None}
    return templates.TemplateResponse(request, "patient/today.html", context)


@router.post("/diary/{date}", response_class=HTMLResponse)
def save_day(
    request: Request, date: dt.date, form: PostedForm, actor: CurrentActor, uow: UowDep, now: NowDep
) -> Response:
    """Store the day (replacing it) and go back; on any problem, the form again with each
    problem beside its field, everything typed kept, and nothing stored."""
    if (patient_id := own_patient(actor)) is None:
        return to_staff_home()
    with uow() as work:
        patient = patients.get_patient(work, actor, patient_id, now)
        today = patient.today(now)
        if (why := refusal(patient, date, today)) is not None:
            return _refused(request, actor, why)
        day, errors = parse_day(form, patient, date)
        if day is not None:
            try:
                diary.record_day(work, actor, day, now)
            except InvalidInput as exc:
                errors = errors_of(exc)
    if day is not None and not errors:
        request.session[FLASH_KEY] = confirmation(day)
        back = form.get("back")
        return RedirectResponse(back if back in BACK_TO else "/today", status_code=303)
    answer = headache_answer(form)
    values = typed(form) | {"headache": answer or ""}
    shown = plain_errors(errors, answer)
    context = _form_context(patient, date, today, values, shown, None)
    context |= {"actor": actor, "flash": None, "week": None}
    return templates.TemplateResponse(request, "patient/today.html", context, status_code=422)

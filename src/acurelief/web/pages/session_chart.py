"""The practitioner's session chart: start from a protocol or the last session, pick the points,
record stimulation, readings and adverse events; validated in the API's two rounds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from acurelief.domain.access import Actor
from acurelief.domain.people import zone
from acurelief.errors import InvalidInput
from acurelief.knowledge.protocols import PROTOCOLS, Protocol
from acurelief.services import sessions
from acurelief.services.sessions import ChartingContext
from acurelief.web.deps import CurrentActor, NowDep, UowDep
from acurelief.web.pages import session_form
from acurelief.web.pages.forms import FieldErrors, PostedForm, errors_of, text, typed, validate
from acurelief.web.pages.session_form import PointRow
from acurelief.web.render import templates
from acurelief.web.schemas import SessionCreate

router = APIRouter()
PATH = "/patients/{patient_id}/sessions/new"
ADD_POINT = "add_point"


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a chart started: a protocol or the last session, with what it fills in."""

    start: str
    label: str
    filled: session_form.Values
    rows: tuple[PointRow, ...]
    note: str = ""
    source: str = ""


@dataclass
class Chart:
    """What the form shows: the fields' values, the point rows, and where it started from."""

    values: session_form.Values
    rows: list[PointRow]
    adverse: list[str] = field(default_factory=list)
    origin: Origin | None = None
    start_problem: str = ""


def _course(p: Protocol) -> str:
    parts = []
    if p.sessions:
        parts.append(f"{p.sessions} sessions" + (f" over {p.weeks:g} weeks" if p.weeks else ""))
    if p.retention_minutes:
        parts.append(f"{p.retention_minutes} min each")
    if p.notes:
        parts.append(p.notes)
    return "; ".join(parts)


def _origin(context: ChartingContext, start: str) -> Origin | str | None:
    """What ``start`` (``protocol:<key>`` or ``last``) fills in; a sentence when it cannot."""
    if start.startswith("protocol:"):
        key = start.removeprefix("protocol:")
        protocol = next((p for p in context.protocols if p.key == key), None)
        if protocol is None:
            return "There is no such protocol; choose one from the list."
        filled, rows = session_form.filled_from(
            protocol.points, protocol.stimulation, protocol.retention_minutes
        )
        source = protocol.source if protocol.source.startswith("https://") else ""
        return Origin(
            start, f"the protocol {protocol.name}", filled, tuple(rows), _course(protocol), source
        )
    if start == "last":
        last = context.last_session
        if last is None:
            return "This patient has no earlier session; the form starts empty."
        filled, rows = session_form.filled_from(
            last.points, last.stimulation, last.retention_minutes
        )
        when = last.started_at.astimezone(zone(context.patient.time_zone)).strftime("%-d %b %Y")
        return Origin(start, f"the last session ({when})", filled, tuple(rows))
    return None


def _started(context: ChartingContext, actor: Actor, start: str, now: dt.datetime) -> Chart:
    """A fresh chart: now, the logged-in practitioner, and what ``start`` fills in."""
    chart = Chart(
        values={
            "started_at": session_form.local_now(now, context.patient.time_zone),
            "practitioner_id": str(actor.user_id),
            "stimulation.kind": "manual",
            "after.minutes_after_needling": session_form.DEFAULT_MINUTES_AFTER,
        },
        rows=[],
    )
    origin = _origin(context, start)
    if isinstance(origin, str):
        chart.start_problem = origin
    elif origin is not None:
        chart.values.update(origin.filled)
        chart.rows, chart.origin = list(origin.rows), origin
    return chart


def _render(
    request: Request,
    actor: Actor,
    context: ChartingContext,
    chart: Chart,
    errors: FieldErrors,
    now: dt.datetime,
    status_code: int = 200,
) -> Response:
    rows = [*chart.rows, PointRow("", "bilateral")]  # always one empty row to type into
    tz = context.patient.time_zone
    last = context.last_session
    page = {
        "actor": actor,
        "patient": context.patient,
        "practitioners": context.practitioners,
        "published": [p for p in context.protocols if p.key in PROTOCOLS],
        "own": [p for p in context.protocols if p.key not in PROTOCOLS],
        "last": last,
        "last_when": last.started_at.astimezone(zone(tz)) if last else None,
        "chart": chart,
        "rows": rows,
        "suggested": {
            i: session_form.suggestions(r.code)
            for i, r in enumerate(rows)
            if f"points.{i}.code" in errors
        },
        "errors": errors,
        "point_options": session_form.point_options(),
        "sides": session_form.SIDES,
        "stimulations": session_form.STIMULATIONS,
        "adverse_kinds": session_form.ADVERSE,
        "max_time": session_form.local_now(now, tz),
    }
    return templates.TemplateResponse(request, "session/form.html", page, status_code=status_code)


@router.get(PATH, response_class=HTMLResponse)
def session_chart(
    request: Request,
    patient_id: int,
    actor: CurrentActor,
    uow: UowDep,
    now: NowDep,
    start: str = "",
) -> Response:
    with uow(read_only=True) as work:
        context = sessions.charting_context(work, actor, patient_id, now)
    return _render(request, actor, context, _started(context, actor, start, now), {}, now)


def _edited(chart: Chart, action: str) -> Chart:
    """The chart after a button that changes the form without saving it: add a point row,
    remove one, or take one of the codes suggested for a mistyped point."""
    if action == ADD_POINT:
        chart.rows.append(PointRow("", "bilateral"))
    elif action.startswith("remove:") and action[7:].isdigit():
        index = int(action[7:])
        chart.rows = [r for i, r in enumerate(chart.rows) if i != index]
    elif action.startswith("use:"):
        index_text, _, code = action[4:].partition(":")
        if index_text.isdigit() and int(index_text) < len(chart.rows) and code:
            index = int(index_text)
            chart.rows[index] = PointRow(code, chart.rows[index].side)
    return chart


@router.post(PATH, response_class=HTMLResponse)
def save_session(
    request: Request,
    patient_id: int,
    actor: CurrentActor,
    uow: UowDep,
    now: NowDep,
    form: PostedForm,
) -> Response:
    with uow() as work:
        context = sessions.charting_context(work, actor, patient_id, now)
    origin = _origin(context, text(form, "start") or "")
    chart = Chart(
        values=typed(form),
        rows=session_form.point_rows(form),
        adverse=[k for k in form.getlist("adverse_events") if isinstance(k, str)],
        origin=origin if isinstance(origin, Origin) else None,
    )
    action = text(form, "action")
    if action is not None:
        return _render(request, actor, context, _edited(chart, action), {}, now)
    body, errors = validate(
        SessionCreate, session_form.session_body(form, context.patient.time_zone)
    )
    errors |= session_form.note_without_event(form)
    if body is not None and not errors:
        try:
            with uow() as work:
                sessions.record_session(work, actor, body.to_domain(patient_id), now)
        except InvalidInput as exc:
            errors = errors_of(exc)
        else:
            return RedirectResponse(f"/patients/{patient_id}?saved=session", status_code=303)
    placed = session_form.field_errors(errors)
    return _render(request, actor, context, chart, placed, now, status_code=422)

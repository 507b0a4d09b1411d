"""The practitioner's worklist: every patient of the clinic with what needs attention.

Search, sort and filters are a plain GET form, so a view can be bookmarked and works without
JavaScript. The figures come from ``services.worklist``; this page only parses and renders.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from acurelief.domain import Role, User
from acurelief.domain.access import Actor
from acurelief.errors import InvalidInput
from acurelief.services import worklist
from acurelief.services.ports import UnitOfWorkFactory
from acurelief.web.deps import CurrentActor, NowDep, UowDep
from acurelief.web.pages.forms import FieldErrors, errors_of
from acurelief.web.render import templates

router = APIRouter()

SORTS = (
    (worklist.Sort.ALERTS, "Needs attention first"),
    (worklist.Sort.NAME, "Name"),
    (worklist.Sort.LAST_SESSION, "Last session, most recent first"),
    (worklist.Sort.HEADACHE_DAYS_CHANGE, "Headache days, most worsened first"),
    (worklist.Sort.COMPLETENESS, "Diary completeness, lowest first"),
)
FILTER_NAMES = ("alert", "red_flags", "overuse", "sessions_within_days", "practitioner_id")


@router.get("/patients", response_class=HTMLResponse)
def patient_worklist(
    request: Request,
    actor: CurrentActor,
    uow: UowDep,
    now: NowDep,
    q: Annotated[str, Query(max_length=200)] = "",
    sort: Annotated[str, Query(max_length=40)] = worklist.Sort.ALERTS.value,
) -> Response:
    if actor.role is Role.PATIENT:
        return RedirectResponse("/today", status_code=303)
    raw = {k: v for k in FILTER_NAMES if (v := request.query_params.get(k, "").strip())}
    errors: FieldErrors = {}
    try:
        found, staff = _load(uow, actor, now, q, sort, worklist.parse_filters(raw))
    except InvalidInput as exc:  # a hand-edited address: show everyone and say what was wrong
        errors = {k.removeprefix("filters."): v for k, v in errors_of(exc).items()}
        found, staff = _load(uow, actor, now, q, worklist.Sort.ALERTS, worklist.WorklistFilters())
    context = {
        "actor": actor,
        "list": found,
        "sorts": SORTS,
        "staff": staff,
        "values": {"q": q, "sort": sort, **raw},
        "errors": errors,
    }
    status = 422 if errors else 200
    return templates.TemplateResponse(request, "worklist.html", context, status_code=status)


def _load(
    uow: UnitOfWorkFactory,
    actor: Actor,
    now: dt.datetime,
    query: str,
    sort: str,
    filters: worklist.WorklistFilters,
) -> tuple[worklist.Worklist, list[User]]:
    """The worklist, and the clinic's staff for the practitioner filter."""
    with uow(read_only=True) as work:
        found = worklist.worklist(work, actor, now, query=query, sort=sort, filters=filters)
        staff = [
            u for u in work.users.list_for_clinic(actor.clinic_id) if u.role is not Role.PATIENT
        ]
    return found, staff

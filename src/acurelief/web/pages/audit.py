"""The admin's audit page: browse the clinic's audit log by patient, user, date, action and
outcome, page through it, and export the filtered set as CSV or JSON (streamed, audited).

A plain GET form, so a view can be bookmarked; the export links carry the same filter.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator, Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from acurelief.domain import Role
from acurelief.domain.audit import AuditQuery, Outcome, StoredAuditEntry
from acurelief.errors import InvalidInput, Problems
from acurelief.services import audit_log
from acurelief.web.deps import CurrentActor, NowDep, UowDep
from acurelief.web.pages.forms import FieldErrors, errors_of
from acurelief.web.render import templates

router = APIRouter()

FILTERS = ("patient_id", "user_id", "since", "until", "action", "outcome")
CSV_COLUMNS = (
    "id",
    "seq",
    "at",
    "channel",
    "outcome",
    "action",
    "user_id",
    "on_behalf_of",
    "os_user",
    "token_id",
    "patient_id",
    "detail",
)


def parse_query(params: Mapping[str, str]) -> tuple[AuditQuery, dict[str, str]]:
    """The filter from the query string (dates are UTC days, ``until`` inclusive), and the raw
    values to show again; InvalidInput naming each bad field."""
    raw = {k: v for k in FILTERS if (v := params.get(k, "").strip())}
    problems = Problems()

    def whole(name: str) -> int | None:
        if name not in raw:
            return None
        if not raw[name].isdigit():
            problems.add(name, "must be a whole number (an id), or left empty")
            return None
        return int(raw[name])

    def day(name: str) -> dt.date | None:
        if name not in raw:
            return None
        try:
            return dt.date.fromisoformat(raw[name])
        except ValueError:
            problems.add(name, "must be a date (year-month-day), or left empty")
            return None

    since, until = day("since"), day("until")
    if since and until and until < since:
        problems.add("until", "must not be before 'from'")
    outcome = raw.get("outcome")
    if outcome is not None and outcome not in {o.value for o in Outcome}:
        problems.add("outcome", "must be ok, refused or failed")
        outcome = None
    action = raw.get("action")
    if action is not None and len(action) > 40:
        problems.add("action", "must be at most 40 characters")
    query = AuditQuery(
        patient_id=whole("patient_id"),
        user_id=whole("user_id"),
        since=dt.datetime.combine(since, dt.time(), dt.UTC) if since else None,
        until=dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), dt.UTC)
        if until
        else None,
        action=action,
        outcome=Outcome(outcome) if outcome else None,
    )
    problems.raise_if_any()
    return query, raw


@router.get("/admin/audit", response_class=HTMLResponse)
def audit_page(request: Request, actor: CurrentActor, uow: UowDep, now: NowDep) -> Response:
    errors: FieldErrors = {}
    try:
        query, raw = parse_query(request.query_params)
    except InvalidInput as exc:  # a hand-edited address: show everything and say what was wrong
        errors = errors_of(exc)
        query, raw = AuditQuery(), {k: request.query_params.get(k, "") for k in FILTERS}
    page_text = request.query_params.get("page", "1")
    page = int(page_text) if page_text.isdigit() else 1
    with uow(read_only=True) as work:
        found = audit_log.browse(work, actor, query, page, now)
        users = {u.id: u for u in work.users.list_for_clinic(actor.clinic_id) if u.id is not None}
    context = {
        "actor": actor,
        "found": found,
        "users": users,
        "staff_users": sorted(
            (u for u in users.values() if u.role is not Role.PATIENT), key=lambda u: u.email
        ),
        "values": raw,
        "errors": errors,
        "filter_qs": _query_string(raw),
        "outcomes": [o.value for o in Outcome],
    }
    status = 422 if errors else 200
    return templates.TemplateResponse(request, "audit.html", context, status_code=status)


@router.get("/admin/audit/export.csv")
def export_csv(request: Request, actor: CurrentActor, uow: UowDep, now: NowDep) -> Response:
    query, _ = parse_query(request.query_params)
    rows = audit_log.export(uow, actor, query, now)
    return StreamingResponse(
        _csv_lines(rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="audit-{now:%Y%m%d}.csv"'},
    )


@router.get("/admin/audit/export.json")
def export_json(request: Request, actor: CurrentActor, uow: UowDep, now: NowDep) -> Response:
    query, _ = parse_query(request.query_params)
    rows = audit_log.export(uow, actor, query, now)
    return StreamingResponse(
        _json_chunks(rows),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="audit-{now:%Y%m%d}.json"'},
    )


def _record(stored: StoredAuditEntry) -> dict[str, Any]:
    e = stored.entry
    return {
        "id": stored.id,
        "seq": stored.seq,
        "at": e.at.isoformat(),
        "channel": e.channel,
        "outcome": str(e.outcome),
        "action": e.action,
        "user_id": e.user_id,
        "on_behalf_of": e.on_behalf_of,
        "os_user": e.os_user,
        "token_id": e.token_id,
        "patient_id": e.patient_id,
        "detail": e.detail,
    }


def _cell(value: object) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_lines(rows: Iterator[StoredAuditEntry]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for n, stored in enumerate(rows, start=1):
        record = _record(stored)
        writer.writerow([_cell(record[c]) for c in CSV_COLUMNS])
        if n % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _json_chunks(rows: Iterator[StoredAuditEntry]) -> Iterator[str]:
    yield "["
    for n, stored in enumerate(rows):
        yield ("," if n else "") + json.dumps(_record(stored), ensure_ascii=False)
    yield "]\n"


def _query_string(raw: Mapping[str, str]) -> str:
    from urllib.parse import urlencode

    return urlencode({k: v for k, v in raw.items() if v})

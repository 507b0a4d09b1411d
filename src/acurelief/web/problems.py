"""Turns acurelief's errors into HTTP answers: JSON problems for the API, pages for people.

Invalid input, from pydantic or from the domain, always answers 422 with one entry per bad
field: ``{"title": ..., "status": 422, "errors": [{"field": "peak_pain", "message": ...}],
"error_count": 1}``. At most ``MAX_LISTED_ERRORS`` entries are listed and ``error_count``
counts them all, so that a body full of bad entries cannot produce an answer larger than
itself. Every JSON answer has the shape of ``schemas.Problem``, declared in the OpenAPI
document through ``PROBLEM_RESPONSES``.
"""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException

from acurelief.errors import (
    AcureliefError,
    Conflict,
    Forbidden,
    InsufficientData,
    InvalidInput,
    NotAuthenticated,
    NotFound,
)
from acurelief.web.headers import security_headers
from acurelief.web.schemas import MAX_LISTED_ERRORS, Problem

log = logging.getLogger("acurelief.web")

STATUS = {
    InvalidInput: (422, "Invalid input"),
    NotFound: (404, "Not found"),
    Forbidden: (403, "Forbidden"),
    NotAuthenticated: (401, "Not authenticated"),
    Conflict: (409, "Conflict"),
    InsufficientData: (422, "Insufficient data"),
}


PROBLEM_RESPONSES: dict[int | str, dict[str, object]] = {
    400: {"model": Problem, "description": "The body could not be read (not UTF-8 JSON)"},
    401: {"model": Problem, "description": "Not authenticated: log in or send a bearer token"},
    403: {"model": Problem, "description": "Forbidden for your role"},
    404: {"model": Problem, "description": "Not found, or not within your reach"},
    409: {"model": Problem, "description": "Conflicts with what is stored"},
    413: {"model": Problem, "description": "Request body over ACURELIEF_MAX_BODY_BYTES"},
    422: {"model": Problem, "description": "Invalid input: each bad field named"},
}
"""The refusals every API route may answer, declared once for the OpenAPI document."""

_PART_MAX_CHARS = 80  # a path part (e.g. a map key sent by a client) shown in an error
_MESSAGE_MAX_CHARS = 500
_DETAIL_MAX_CHARS = 2000  # a domain error's text joins all its problems: keep it short


def _clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, so a client's huge key cannot swell an answer."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _field(loc: tuple[int | str, ...]) -> str:
    parts = list(loc[1:]) if loc and loc[0] == "body" else list(loc)
    return ".".join(_clip(str(p), _PART_MAX_CHARS) for p in parts) or "body"


MACHINE_PATHS = ("/api/", "/health", "/openapi.json")


def _wants_html(request: Request) -> bool:
    """People get pages; programs (the API, the health check) get JSON problems."""
    return not request.url.path.startswith(MACHINE_PATHS)


def _problem(
    status: int, title: str, detail: str, errors: list[dict[str, str]] | None = None
) -> JSONResponse:
    body: dict[str, object] = {"title": title, "status": status, "detail": detail}
    if errors is not None:
        body["errors"] = [
            {"field": e["field"], "message": _clip(e["message"], _MESSAGE_MAX_CHARS)}
            for e in errors[:MAX_LISTED_ERRORS]
        ]
        body["error_count"] = len(errors)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, headers=headers)


def _invalid_detail(count: int) -> str:
    listed = "" if count <= MAX_LISTED_ERRORS else f"; the first {MAX_LISTED_ERRORS} are listed"
    return f"{count} field(s) are invalid{listed}"


FASTAPI_UNREADABLE_BODY = "There was an error parsing the body"  # FastAPI's own 400 detail
UNREADABLE_BODY = "The body could not be read: send JSON text encoded in UTF-8."
TOO_LARGE = (
    "Too much sent at once",
    "The request is larger than this server takes. Send less at once: split a large import "
    "into several smaller ones.",
)
HTTP_TITLES = {
    404: ("Page not found", "There is no page at this address. Check the link, or start again."),
    405: ("Not allowed", "This page cannot be used that way. Go back and use its form."),
    413: TOO_LARGE,
}


def refusal(
    templates: Jinja2Templates, request: Request, status: int, title: str, detail: str
) -> Response:
    """A refusal in the form the caller reads: a JSON problem for programs, a page for people.

    For answers given outside the routes (the body-size limit answers before any route runs)."""
    if _wants_html(request):
        return _page(templates, request, status, title, detail)
    return _problem(status, title, detail)


def _page(
    templates: Jinja2Templates, request: Request, status: int, title: str, detail: str
) -> Response:
    """A styled error page: people never see raw JSON outside /api."""
    context = {"status": status, "title": title, "detail": detail}
    return templates.TemplateResponse(request, "error.html", context, status_code=status)


def install(app: FastAPI, templates: Jinja2Templates) -> None:
    """Register the handlers on ``app``."""

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> Response:
        if exc.status_code == 413:  # from the body-size limit, found while reading the body
            return refusal(templates, request, 413, *TOO_LARGE)
        if not _wants_html(request):
            if exc.detail == FASTAPI_UNREADABLE_BODY:
                return _problem(400, "Bad request", UNREADABLE_BODY)
            return _problem(exc.status_code, str(exc.detail), str(exc.detail))
        title, detail = HTTP_TITLES.get(exc.status_code, (str(exc.detail), str(exc.detail)))
        return _page(templates, request, exc.status_code, title, detail)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.error("%s %s -> 500 (%s)", request.method, _route(request), type(exc).__name__)
        detail = "Something went wrong on our side; nothing was changed. Please try again."
        if not _wants_html(request):
            answer: Response = _problem(500, "Server error", detail)
        else:
            answer = _page(templates, request, 500, "Something went wrong", detail)
        # Starlette answers an unhandled error outside every middleware: add the headers here.
        answer.headers.update(security_headers(request.url.scheme == "https"))
        return answer

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        if _wants_html(request):
            return _page(
                templates, request, 404, *HTTP_TITLES[404]
            )  # a malformed address on a page (e.g. /patients/abc) is a page that does not exist
        errors = [
            {"field": _field(tuple(e["loc"])), "message": e["msg"].removeprefix("Value error, ")}
            for e in exc.errors()
        ]
        return _problem(422, "Invalid input", _invalid_detail(len(errors)), errors)

    @app.exception_handler(AcureliefError)
    async def _domain(request: Request, exc: AcureliefError) -> Response:
        status, title = next(
            (v for k, v in STATUS.items() if isinstance(exc, k)), (400, "Bad request")
        )
        if _wants_html(request):
            if status == 401:
                target = quote(request.url.path)
                return RedirectResponse(f"/login?next={target}", status_code=303)
            return _page(templates, request, status, title, str(exc))
        errors = None
        if isinstance(exc, InvalidInput):
            errors = [{"field": p.field, "message": p.message} for p in exc.problems]
        log.info("%s %s -> %s", request.method, _route(request), status)
        return _problem(status, title, _clip(str(exc), _DETAIL_MAX_CHARS), errors)


def _route(request: Request) -> str:
    """The route template, never the concrete path (which may carry identifiers or dates)."""
    route = request.scope.get("route")
    return str(getattr(route, "path", "?"))

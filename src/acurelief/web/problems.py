"""Turns acurelief's errors into HTTP answers: JSON problems for the API, pages for people.

Invalid input, from pydantic or from the domain, always answers 422 with one entry per bad
field: ``{"title": ..., "status": 422, "errors": [{"field": "peak_pain", "message": ...}]}``.
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

log = logging.getLogger("acurelief.web")

STATUS = {
    InvalidInput: (422, "Invalid input"),
    NotFound: (404, "Not found"),
    Forbidden: (403, "Forbidden"),
    NotAuthenticated: (401, "Not authenticated"),
    Conflict: (409, "Conflict"),
    InsufficientData: (422, "Insufficient data"),
}


def _field(loc: tuple[int | str, ...]) -> str:
    parts = list(loc[1:]) if loc and loc[0] == "body" else list(loc)
    return ".".join(str(p) for p in parts) or "body"


MACHINE_PATHS = ("/api/", "/health", "/openapi.json")


def _wants_html(request: Request) -> bool:
    """People get pages; programs (the API, the health check) get JSON problems."""
    return not request.url.path.startswith(MACHINE_PATHS)


def _problem(
    status: int, title: str, detail: str, errors: list[dict[str, str]] | None = None
) -> JSONResponse:
    body: dict[str, object] = {"title": title, "status": status, "detail": detail}
    if errors is not None:
        body["errors"] = errors
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, headers=headers)


HTTP_TITLES = {
    404: ("Page not found", "There is no page at this address. Check the link, or start again."),
    405: ("Not allowed", "This page cannot be used that way. Go back and use its form."),
}


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
        if not _wants_html(request):
            return _problem(exc.status_code, str(exc.detail), str(exc.detail))
        title, detail = HTTP_TITLES.get(exc.status_code, (str(exc.detail), str(exc.detail)))
        return _page(templates, request, exc.status_code, title, detail)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.error("%s %s -> 500 (%s)", request.method, _route(request), type(exc).__name__)
        detail = "Something went wrong on our side; nothing was changed. Please try again."
        if not _wants_html(request):
            return _problem(500, "Server error", detail)
        return _page(templates, request, 500, "Something went wrong", detail)

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
        return _problem(422, "Invalid input", f"{len(errors)} field(s) are invalid", errors)

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
        return _problem(status, title, str(exc), errors)


def _route(request: Request) -> str:
    """The route template, never the concrete path (which may carry identifiers or dates)."""
    route = request.scope.get("route")
    return str(getattr(route, "path", "?"))

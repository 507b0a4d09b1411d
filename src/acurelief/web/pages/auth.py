"""Logging in and out, and the front door that sends each user to their landing page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from acurelief import __version__
from acurelief.domain import Role
from acurelief.errors import NotAuthenticated
from acurelief.services import accounts
from acurelief.web.deps import SESSION_USER_KEY, UowDep
from acurelief.web.render import templates

router = APIRouter()


def safe_next(target: str | None) -> str:
    """Only local paths, so the login form cannot bounce a user to another site."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def landing_page(role: Role) -> str:
    """Where a user starts: a patient on Today, staff on the patient worklist."""
    return "/today" if role is Role.PATIENT else "/patients"


@router.get("/", response_class=RedirectResponse)
def home(request: Request, uow: UowDep) -> RedirectResponse:
    user_id = request.session.get(SESSION_USER_KEY)
    if isinstance(user_id, int):
        with uow() as work:
            actor = accounts.actor_for_user(work, user_id)
        if actor is not None:
            return RedirectResponse(landing_page(actor.role), status_code=303)
    return RedirectResponse("/login", status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str | None = None) -> Response:
    return templates.TemplateResponse(
        request, "login.html", {"next": safe_next(next), "error": None, "version": __version__}
    )


@router.post("/login")
def login(
    request: Request,
    uow: UowDep,
    email: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",
) -> Response:
    try:
        with uow() as work:
            actor = accounts.authenticate(work, email, password)
            work.commit()
    except NotAuthenticated as exc:
        return templates.TemplateResponse(
            request,
            "login.html",
            {"next": safe_next(next), "error": str(exc), "email": email, "version": __version__},
            status_code=401,
        )
    log_in(request, actor.user_id)
    target = safe_next(next)
    return RedirectResponse(landing_page(actor.role) if target == "/" else target, status_code=303)


def log_in(request: Request, user_id: int) -> None:
    """Start a fresh session for ``user_id`` (a new CSRF token comes with it)."""
    request.session.clear()
    request.session[SESSION_USER_KEY] = user_id


@router.post("/logout")
def logout(request: Request) -> RedirectResponse:
    request.session.clear()
    return RedirectResponse("/login", status_code=303)

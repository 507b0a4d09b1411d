"""Logging in (password, then the second factor when it is on) and out, and the front door
that sends each user to their landing page.

A login starts a server-side session (``services.logins``); the signed cookie keeps only its
random id. Logging out ends that session, so a copied cookie opens nothing afterwards.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from acurelief import __version__
from acurelief.domain import Role
from acurelief.errors import InvalidInput, NotAuthenticated
from acurelief.services import logins
from acurelief.web.deps import SESSION_ID_KEY, LoginPolicyDep, NowDep, UowDep, session_id
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


def client_address(request: Request) -> str | None:
    return request.client.host if request.client is not None else None


@router.get("/", response_class=RedirectResponse)
def home(request: Request, uow: UowDep, now: NowDep, policy: LoginPolicyDep) -> RedirectResponse:
    sid = session_id(request)
    if not sid:  # no session: the front door needs no database
        return RedirectResponse("/login", status_code=303)
    with uow(read_only=True) as work:
        actor, _ = logins.session_actor(work, policy, sid, now)
    if actor is not None:
        return RedirectResponse(landing_page(actor.role), status_code=303)
    return RedirectResponse("/login", status_code=303)


def _login_page(request: Request, status: int = 200, **context: Any) -> Response:
    page = {"next": "/", "error": None, "email": "", "version": __version__} | context
    headers = {"Cache-Control": "no-store"}
    if "retry_after" in context:
        headers["Retry-After"] = str(context["retry_after"])
    return templates.TemplateResponse(
        request, "login.html", page, status_code=status, headers=headers
    )


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str | None = None) -> Response:
    return _login_page(request, next=safe_next(next))


@router.post("/login")
def login(
    request: Request,
    uow: UowDep,
    now: NowDep,
    policy: LoginPolicyDep,
    email: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Check the password (throttled: 429 with Retry-After while blocked) and log in."""
    try:
        with uow() as work:
            done = logins.log_in(
                work,
                policy,
                email,
                password,
                now,
                address=client_address(request),
                user_agent=request.headers.get("user-agent"),
            )
    except logins.Throttled as exc:
        return _login_page(
            request,
            429,
            next=safe_next(next),
            error=f"Too many failed logins: {str(exc).split('; ', 1)[1]}.",
            email=email,
            retry_after=exc.retry_after,
        )
    except NotAuthenticated as exc:
        return _login_page(request, 401, next=safe_next(next), error=str(exc), email=email)
    begin_session(request, done.session_id)
    target = safe_next(next)
    if done.second_factor_needed:
        return RedirectResponse(f"/login/code?next={target}", status_code=303)
    return RedirectResponse(
        landing_page(done.actor.role) if target == "/" else target, status_code=303
    )


def begin_session(request: Request, new_session_id: str) -> None:
    """Put a new session's id in the cookie (a fresh CSRF token comes with it)."""
    request.session.clear()
    request.session[SESSION_ID_KEY] = new_session_id


def log_in(request: Request, uow: UowDep, user_id: int, now: NowDep) -> str:
    """Start a session for a user who just proved who they are another way (a one-time
    link); where to go next (the second-factor page when that is on)."""
    with uow() as work:
        done = logins.start_session(work, user_id, now, request.headers.get("user-agent"))
    begin_session(request, done.session_id)
    return "/login/code" if done.second_factor_needed else landing_page(done.actor.role)


def _code_page(request: Request, next: str, error: str | None, status: int = 200) -> Response:
    context = {"next": next, "error": error}
    return templates.TemplateResponse(
        request,
        "login_code.html",
        context,
        status_code=status,
        headers={"Cache-Control": "no-store"},
    )


@router.get("/login/code", response_class=HTMLResponse)
def code_form(
    request: Request, uow: UowDep, now: NowDep, policy: LoginPolicyDep, next: str | None = None
) -> Response:
    with uow(read_only=True) as work:
        actor = logins.pending_actor(work, policy, session_id(request), now)
    if actor is None:
        return RedirectResponse("/login", status_code=303)
    return _code_page(request, safe_next(next), None)


@router.post("/login/code")
def code(
    request: Request,
    uow: UowDep,
    now: NowDep,
    policy: LoginPolicyDep,
    code: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    """The second step: a code from the authenticator app, or a recovery code."""
    target = safe_next(next)
    try:
        with uow() as work:
            actor = logins.confirm_second_factor(
                work, policy, session_id(request), code, now, address=client_address(request)
            )
    except logins.Throttled as exc:
        response = _code_page(request, target, f"Too many wrong codes: {exc}.", 429)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    except InvalidInput as exc:
        return _code_page(request, target, f"The code {exc.problems[0].message}.", 401)
    except NotAuthenticated:
        return RedirectResponse("/login", status_code=303)
    return RedirectResponse(landing_page(actor.role) if target == "/" else target, status_code=303)


@router.post("/logout")
def logout(request: Request, uow: UowDep, now: NowDep) -> RedirectResponse:
    with uow() as work:
        logins.log_out(work, session_id(request), now)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)

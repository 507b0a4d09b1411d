"""The public page a one-time link opens: the holder sets the password of their login.

The same page serves two purposes (``invitations.LinkPurpose``): a patient's first password,
worded as a welcome to their headache diary, and a new password for a login that already had
one (an administrator's reset link, or a patient's new link after a lost password), worded
as "Set a new password for <e-mail>" and nothing about a diary.

The link's token is a secret in the address, so these answers tell the browser never to
keep the page (``Cache-Control: no-store``) and never to send the address on in a
``Referer``: ``no-referrer`` on the redirect after success and on the refusals, and
``strict-origin`` (the site's origin only, never the path) on the page holding the form,
because under ``no-referrer`` the browser posts the form with ``Origin: null`` and the CSRF
check rightly refuses a form from an unknown origin. A link that is expired, used or unknown
gets a page in plain words that says nothing more than that.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from acurelief.errors import InvalidInput
from acurelief.services import invitations
from acurelief.services.accounts import MIN_PASSWORD_LENGTH
from acurelief.services.invitations import InvitationState, InvitationStatus, LinkPurpose
from acurelief.web.deps import NowDep, UowDep
from acurelief.web.pages.auth import log_in
from acurelief.web.pages.forms import FieldErrors, PostedForm, errors_of
from acurelief.web.render import templates

router = APIRouter()

PRIVATE = {"Referrer-Policy": "no-referrer", "Cache-Control": "no-store", "Pragma": "no-cache"}
# The form's page: Referer carries the origin only, and the form still posts its Origin.
FORM_PAGE = PRIVATE | {"Referrer-Policy": "strict-origin"}

_REFUSED: dict[InvitationState, tuple[int, str, str]] = {
    InvitationState.EXPIRED: (
        410,
        "This link has expired",
        "Links to set a password work for a few days only. Ask your practice for a new one.",
    ),
    InvitationState.USED: (
        410,
        "This link has already been used",
        "Each link works once. If you set your password with it, log in with your e-mail "
        "and that password. Otherwise ask your practice for a new link.",
    ),
    InvitationState.UNKNOWN: (
        404,
        "This link does not work",
        "Check that the whole link was copied. If it still does not work, ask your practice "
        "for a new one.",
    ),
}


def _private(response: Response, headers: dict[str, str] = PRIVATE) -> Response:
    response.headers.update(headers)
    return response


def _refused(request: Request, state: InvitationState) -> Response:
    status, title, detail = _REFUSED[state]
    context = {
        "refused": True,
        "title": title,
        "detail": detail,
        "used": state is InvitationState.USED,
    }
    return _private(
        templates.TemplateResponse(request, "welcome.html", context, status_code=status)
    )


def _form(
    request: Request,
    token: str,
    link: InvitationStatus,
    errors: FieldErrors,
    status: int = 200,
) -> Response:
    context: dict[str, Any] = {
        "token": token,
        "email": link.email,
        "welcome": link.purpose is LinkPurpose.WELCOME,
        "errors": errors,
        "min_length": MIN_PASSWORD_LENGTH,
    }
    return _private(
        templates.TemplateResponse(request, "welcome.html", context, status_code=status),
        FORM_PAGE,
    )


@router.get("/welcome/{token}", response_class=HTMLResponse)
def welcome(request: Request, token: str, uow: UowDep, now: NowDep) -> Response:
    with uow(read_only=True) as work:
        status = invitations.invitation_status(work, token, now)
    if status.state is not InvitationState.VALID or status.email is None:
        return _refused(request, status.state)
    return _form(request, token, status, {})


def password_errors(password: str, repeat: str) -> FieldErrors:
    """What the page itself checks: a password given, and typed the same twice."""
    if not password:
        return {"password": "Please choose a password."}
    if password != repeat:
        return {"repeat": "The two passwords are not the same. Please type it again."}
    return {}


@router.post("/welcome/{token}", response_class=HTMLResponse)
def set_password(
    request: Request, token: str, form: PostedForm, uow: UowDep, now: NowDep
) -> Response:
    """Set the password and log the holder in; or the form again, the link still usable."""
    with uow() as work:
        status = invitations.invitation_status(work, token, now)
    if status.state is not InvitationState.VALID or status.email is None:
        return _refused(request, status.state)
    password = form.get("password")
    repeat = form.get("repeat")
    password = password if isinstance(password, str) else ""
    repeat = repeat if isinstance(repeat, str) else ""
    errors = password_errors(password, repeat)
    if not errors:
        try:
            with uow() as work:
                actor = invitations.redeem_invitation(work, token, password, now)
        except InvalidInput as exc:
            found = errors_of(exc)
            if "token" in found:  # used or expired meanwhile
                with uow() as work:
                    return _refused(request, invitations.invitation_status(work, token, now).state)
            reason = found.get("password", "was refused; please choose another")
            errors = {"password": f"Your password {reason}."}
        else:
            target = log_in(request, uow, actor.user_id, now)
            return _private(RedirectResponse(target, status_code=303))
    return _form(request, token, status, errors, status=422)

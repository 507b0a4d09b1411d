"""The user's own account page: change the password, turn on two-factor login (staff), and
see and revoke personal API tokens."""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from acurelief.domain import Role
from acurelief.errors import Conflict, InvalidInput
from acurelief.services import accounts, two_factor
from acurelief.services.logins import session_digest
from acurelief.web.deps import CurrentActor, NowDep, UowDep, session_id
from acurelief.web.pages.forms import FieldErrors, PostedForm, errors_of
from acurelief.web.render import templates

router = APIRouter()
FLASH_KEY = "account_flash"
CODES_KEY = "recovery_codes"  # held in the sealed session cookie for one redirect
NEW_TOKEN_KEY = "new_token"  # noqa: S105 - a session key; the new token, shown once
LABEL_LENGTH = 100
# The services' messages start with a verb ("is one of the most commonly used passwords");
# beside a field on this page they read as whole sentences with these subjects.
_SUBJECTS = {"current": "This", "password": "The new password", "code": "The code"}


def _sentences(errors: FieldErrors) -> FieldErrors:
    return {f: f"{_SUBJECTS.get(f, 'This')} {m.rstrip('.')}." for f, m in errors.items()}


def _text(form: Any, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _page(
    request: Request,
    actor: CurrentActor,
    uow: UowDep,
    *,
    errors: FieldErrors | None = None,
    recovery_codes: list[str] | None = None,
    new_token: dict[str, str] | None = None,
    token_form: dict[str, str] | None = None,
    token_errors: FieldErrors | None = None,
    status: int = 200,
) -> Response:
    with uow(read_only=True) as work:
        user = work.users.get(actor.user_id)
        email = user.email if user is not None else ""
        tokens = accounts.list_tokens(work, actor)
        totp_on = two_factor.enabled(work, actor.user_id)
        enrolment = two_factor.pending_enrolment(work, actor, email)
        unused = work.logins.unused_recovery_codes(actor.user_id) if totp_on else 0
    context = {
        "actor": actor,
        "email": email,
        "tokens": tokens,
        "staff": actor.role is not Role.PATIENT,
        "totp_on": totp_on,
        "enrolment": enrolment,
        "unused_codes": unused,
        "recovery_codes": recovery_codes,
        "new_token": new_token,
        "token_form": token_form
        or {"label": "", "days": str(accounts.DEFAULT_TOKEN_LIFETIME.days)},
        "max_token_days": accounts.MAX_TOKEN_LIFETIME.days,
        "label_length": LABEL_LENGTH,
        "token_errors": token_errors or {},
        "errors": errors or {},
        "min_length": accounts.MIN_PASSWORD_LENGTH,
        "flash": request.session.pop(FLASH_KEY, None),
    }
    return templates.TemplateResponse(
        request, "account.html", context, status_code=status, headers={"Cache-Control": "no-store"}
    )


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, actor: CurrentActor, uow: UowDep) -> Response:
    return _page(request, actor, uow)


@router.post("/account/password", response_class=HTMLResponse)
def change_password(
    request: Request, actor: CurrentActor, uow: UowDep, now: NowDep, form: PostedForm
) -> Response:
    """Current password and the new one twice; every other session of the user ends."""
    current, new, repeat = (_text(form, n) for n in ("current", "password", "repeat"))
    if new != repeat:
        errors = {"repeat": "The two new passwords are not the same. Please type them again."}
        return _page(request, actor, uow, errors=errors, status=422)
    try:
        with uow() as work:
            accounts.change_password(
                work, actor, current, new, now, keep_session=session_digest(session_id(request))
            )
    except InvalidInput as exc:
        return _page(request, actor, uow, errors=_sentences(errors_of(exc)), status=422)
    request.session[FLASH_KEY] = "Your password is changed. Your other sessions have ended."
    return RedirectResponse("/account", status_code=303)


@router.post("/account/two-factor", response_class=HTMLResponse)
def begin_two_factor(actor: CurrentActor, uow: UowDep) -> Response:
    """A new secret to put into an authenticator app; on once a code confirms it."""
    with uow() as work, suppress(Conflict):  # already on: the page says so
        user = work.users.get(actor.user_id)
        two_factor.begin_enrolment(work, actor, user.email if user is not None else "")
    return RedirectResponse("/account#two-factor", status_code=303)


@router.post("/account/two-factor/confirm", response_class=HTMLResponse)
def confirm_two_factor(
    request: Request, actor: CurrentActor, uow: UowDep, now: NowDep, form: PostedForm
) -> Response:
    try:
        with uow() as work:
            codes = two_factor.finish_enrolment(work, actor, _text(form, "code"), now)
    except (InvalidInput, Conflict) as exc:
        errors = _sentences(errors_of(exc)) if isinstance(exc, InvalidInput) else {"code": str(exc)}
        return _page(request, actor, uow, errors=errors, status=422)
    request.session[CODES_KEY] = codes
    return RedirectResponse("/account/two-factor/codes", status_code=303)


@router.get("/account/two-factor/codes", response_class=HTMLResponse)
def recovery_codes(request: Request, actor: CurrentActor, uow: UowDep) -> Response:
    """The recovery codes, once: post, redirect, get, so that a reload never posts the code
    again; after they have been shown (or with none waiting) this is the account page."""
    codes = request.session.pop(CODES_KEY, None)
    if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
        return RedirectResponse("/account", status_code=303)
    return _page(request, actor, uow, recovery_codes=codes)


def _token_days(text: str) -> int:
    """The form's "valid for" field as whole days, or a message saying what to type."""
    days = int(text) if text.strip().isdigit() else 0
    if not 1 <= days <= accounts.MAX_TOKEN_LIFETIME.days:
        raise InvalidInput.single(
            "days", f"Type a whole number of days from 1 to {accounts.MAX_TOKEN_LIFETIME.days}."
        )
    return days


@router.post("/account/tokens", response_class=HTMLResponse)
def create_token(
    request: Request, actor: CurrentActor, uow: UowDep, now: NowDep, form: PostedForm
) -> Response:
    """A new personal API token; shown once, on the page the browser is sent on to. Never
    for a request made with a token (403): a leaked token must not make itself new ones."""
    accounts.refuse_token_minting(bool(getattr(request.state, "via_token", False)))
    label, days_text = _text(form, "label").strip(), _text(form, "days")
    entered = {"label": label, "days": days_text}
    try:
        if len(label) > LABEL_LENGTH:
            raise InvalidInput.single("label", f"Keep the label to {LABEL_LENGTH} characters.")
        days = _token_days(days_text)
        with uow() as work:
            token, record = accounts.issue_own_token(work, actor, label, days, now)
    except InvalidInput as exc:
        errors = errors_of(exc)
        return _page(request, actor, uow, token_errors=errors, token_form=entered, status=422)
    assert record.expires_at is not None
    request.session[NEW_TOKEN_KEY] = {
        "token": token,
        "label": record.label,
        "expires": record.expires_at.strftime("%Y-%m-%d"),
    }
    return RedirectResponse("/account/tokens/new#tokens", status_code=303)


@router.get("/account/tokens/new", response_class=HTMLResponse)
def new_token(request: Request, actor: CurrentActor, uow: UowDep) -> Response:
    """The new token, once (post, redirect, get); afterwards this is the account page."""
    held = request.session.pop(NEW_TOKEN_KEY, None)
    if not isinstance(held, dict) or not all(isinstance(v, str) for v in held.values()):
        return RedirectResponse("/account#tokens", status_code=303)
    return _page(request, actor, uow, new_token=held)


@router.post("/account/tokens/{token_id}/revoke", response_class=HTMLResponse)
def revoke_token(
    request: Request, token_id: int, actor: CurrentActor, uow: UowDep, now: NowDep
) -> Response:
    with uow() as work:
        accounts.revoke_token(work, actor, token_id, now)
    request.session[FLASH_KEY] = "The token is revoked: it no longer works."
    return RedirectResponse("/account#tokens", status_code=303)

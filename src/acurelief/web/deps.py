"""Named dependencies for the routes: settings, unit of work, clock, and the current actor."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from acurelief.config import Settings
from acurelief.domain.access import Actor, Channel
from acurelief.errors import NotAuthenticated
from acurelief.services import accounts, logins
from acurelief.services.ports import UnitOfWorkFactory
from acurelief.web import csrf
from acurelief.web.chart_images import ChartShelf

Clock = Callable[[], dt.datetime]
# The signed cookie holds only this random id (and the CSRF token); who is logged in, and
# whether the session is still open, is kept server side (``services.logins``).
SESSION_ID_KEY = "sid"


def system_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, slots=True)
class AppState:
    """Everything the app was built with; kept on ``app.state.acurelief``."""

    settings: Settings
    uow_factory: UnitOfWorkFactory
    clock: Clock
    chart_shelf: ChartShelf = field(default_factory=ChartShelf)


def _state(request: Request) -> AppState:
    state = request.app.state.acurelief
    assert isinstance(state, AppState)
    return state


def get_settings(request: Request) -> Settings:
    return _state(request).settings


def get_uow_factory(request: Request) -> UnitOfWorkFactory:
    return _state(request).uow_factory


def get_now(request: Request) -> dt.datetime:
    return _state(request).clock()


def get_chart_shelf(request: Request) -> ChartShelf:
    return _state(request).chart_shelf


def login_policy(settings: Settings) -> logins.LoginPolicy:
    """The throttling and session timeouts the settings ask for."""
    return logins.LoginPolicy(
        account_failures=settings.login_account_failures,
        address_failures=settings.login_address_failures,
        backoff=dt.timedelta(seconds=settings.login_backoff_seconds),
        max_backoff=dt.timedelta(seconds=settings.login_backoff_max_seconds),
        idle_timeout=dt.timedelta(minutes=settings.session_idle_minutes),
        absolute_timeout=dt.timedelta(seconds=settings.session_max_age_seconds),
    )


def get_login_policy(request: Request) -> logins.LoginPolicy:
    return login_policy(_state(request).settings)


def session_id(request: Request) -> str:
    """The session id from the cookie, or "" when there is none."""
    value = request.session.get(SESSION_ID_KEY)
    return value if isinstance(value, str) else ""


SettingsDep = Annotated[Settings, Depends(get_settings)]
UowDep = Annotated[UnitOfWorkFactory, Depends(get_uow_factory)]
NowDep = Annotated[dt.datetime, Depends(get_now)]
ChartShelfDep = Annotated[ChartShelf, Depends(get_chart_shelf)]
LoginPolicyDep = Annotated[logins.LoginPolicy, Depends(get_login_policy)]

_bearer = HTTPBearer(auto_error=False, description="A personal token from POST /api/v1/tokens")


def current_actor(
    request: Request,
    uow: UowDep,
    now: NowDep,
    policy: LoginPolicyDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    """The logged-in actor, from a bearer token or else the session cookie; 401 otherwise.

    A state-changing API call that relies on the cookie must also pass the CSRF check.
    ``request.state.via_token`` tells which one it was (a token may not mint tokens).
    """
    request.state.via_token = credentials is not None
    if credentials is not None:
        # Read-only: checking who is asking never waits for SQLite's write lock (a long
        # import); the last use is written at most once a minute, in its own unit of work.
        with uow(read_only=True) as work:
            found = accounts.token_in_use(work, credentials.credentials, now)
        if found is None:
            raise NotAuthenticated(
                "the bearer token is not valid (unknown, expired or revoked); issue a new one"
            )
        if accounts.token_use_to_note(found[1], now):
            with uow() as work:
                accounts.note_token_use(work, found[1].id, now)
        return replace(found[0], channel=Channel.API, token_id=found[1].id)  # for the audit
    with uow(read_only=True) as work:
        actor, upkeep = logins.session_actor(work, policy, session_id(request), now)
    if upkeep is not None:
        with uow() as work:
            logins.keep_up(work, upkeep, now)
    if actor is not None:
        if request.url.path.startswith("/api/"):
            csrf.verify_header(request)
            return replace(actor, channel=Channel.API)  # the API, from a logged-in page
        return replace(actor, channel=Channel.WEB)
    raise NotAuthenticated("log in, or send 'Authorization: Bearer <token>'")


CurrentActor = Annotated[Actor, Depends(current_actor)]

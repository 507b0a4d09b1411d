"""Named dependencies for the routes: settings, unit of work, clock, and the current actor."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from acurelief.config import Settings
from acurelief.domain.access import Actor
from acurelief.errors import NotAuthenticated
from acurelief.services import accounts
from acurelief.services.ports import UnitOfWorkFactory
from acurelief.web import csrf
from acurelief.web.chart_images import ChartShelf

Clock = Callable[[], dt.datetime]
SESSION_USER_KEY = "user_id"


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


SettingsDep = Annotated[Settings, Depends(get_settings)]
UowDep = Annotated[UnitOfWorkFactory, Depends(get_uow_factory)]
NowDep = Annotated[dt.datetime, Depends(get_now)]
ChartShelfDep = Annotated[ChartShelf, Depends(get_chart_shelf)]

_bearer = HTTPBearer(auto_error=False, description="A personal token from POST /api/v1/tokens")


def current_actor(
    request: Request,
    uow: UowDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    """The logged-in actor, from a bearer token or else the session cookie; 401 otherwise.

    A state-changing API call that relies on the cookie must also pass the CSRF check.
    """
    with uow() as work:
        if credentials is not None:
            actor = accounts.actor_for_token(work, credentials.credentials)
            if actor is None:
                raise NotAuthenticated("the bearer token is not valid")
            return actor
        user_id = request.session.get(SESSION_USER_KEY)
        if isinstance(user_id, int):
            actor = accounts.actor_for_user(work, user_id)
            if actor is not None:
                if request.url.path.startswith("/api/"):
                    csrf.verify_header(request)
                return actor
    raise NotAuthenticated("log in, or send 'Authorization: Bearer <token>'")


CurrentActor = Annotated[Actor, Depends(current_actor)]

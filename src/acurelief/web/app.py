"""The FastAPI application factory. Nothing is built at import: ``create_app`` builds it all."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.middleware.sessions import SessionMiddleware

from acurelief import __version__
from acurelief.config import Environment, Settings
from acurelief.services.ports import UnitOfWorkFactory
from acurelief.web import pages, problems
from acurelief.web.api import router as api_router
from acurelief.web.deps import AppState, Clock, system_clock
from acurelief.web.render import templates
from acurelief.web.schemas import Health

SESSION_COOKIE = "acurelief_session"


def create_app(
    settings: Settings | None = None,
    *,
    uow_factory: UnitOfWorkFactory | None = None,
    clock: Clock = system_clock,
) -> FastAPI:
    """The app for ``settings``; tests pass their own unit-of-work factory and clock."""
    settings = settings or Settings()
    if uow_factory is None:
        from acurelief.storage.database import make_engine
        from acurelief.storage.unit_of_work import SqlUnitOfWorkFactory

        uow_factory = SqlUnitOfWorkFactory(make_engine(settings.sqlalchemy_url()))
    app = FastAPI(
        title="acurelief",
        version=__version__,
        summary="Headache diaries linked to acupuncture sessions, with real statistics.",
        docs_url="/docs",
        openapi_url="/openapi.json",
    )
    app.state.acurelief = AppState(settings=settings, uow_factory=uow_factory, clock=clock)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.session_secret(),
        session_cookie=SESSION_COOKIE,
        max_age=settings.session_max_age_seconds,
        same_site="lax",
        https_only=settings.environment is Environment.PRODUCTION,
    )
    problems.install(app, templates)

    @app.get("/health", tags=["health"])
    def health() -> Health:
        with uow_factory() as work:
            work.clinics.count()
        return Health(status="ok", version=__version__, database="ok")

    app.include_router(api_router)
    app.include_router(pages.router)
    return app

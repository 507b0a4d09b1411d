"""The FastAPI application factory. Nothing is built at import: ``create_app`` builds it all."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from acurelief import __version__
from acurelief.config import Environment, Settings
from acurelief.services.ports import UnitOfWorkFactory
from acurelief.web import pages, problems
from acurelief.web.api import router as api_router
from acurelief.web.deps import AppState, Clock, system_clock
from acurelief.web.headers import SecurityHeaders
from acurelief.web.limits import BodyLimit
from acurelief.web.render import templates
from acurelief.web.schemas import Health
from acurelief.web.session_cookie import EncryptedSessionMiddleware

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

        uow_factory = SqlUnitOfWorkFactory(
            make_engine(settings.sqlalchemy_url()), audit_key=settings.audit_chain_key()
        )
    app = FastAPI(
        title="acurelief",
        version=__version__,
        summary="Headache diaries linked to acupuncture sessions, with real statistics.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json" if settings.docs_enabled() else None,
    )
    app.state.acurelief = AppState(settings=settings, uow_factory=uow_factory, clock=clock)
    app.add_middleware(
        EncryptedSessionMiddleware,
        secret_key=settings.session_secret(),
        session_cookie=SESSION_COOKIE,
        max_age=settings.session_max_age_seconds,
        same_site="lax",
        https_only=settings.environment is Environment.PRODUCTION,
    )
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)  # outermost: answers first
    app.add_middleware(SecurityHeaders, behind_tls=settings.behind_tls)  # …on every answer
    problems.install(app, templates)

    @app.get("/health", tags=["health"])
    def health() -> Health:
        with uow_factory(read_only=True) as work:
            work.clinics.count()
        return Health(status="ok", version=__version__, database="ok")

    app.include_router(api_router)
    app.include_router(pages.router)
    if settings.docs_enabled():
        _install_docs(app)  # before /static, whose mount would otherwise shadow /static/docs
    app.mount("/static", StaticFiles(directory=Path(__file__).with_name("static")), name="static")
    return app


_DOCS_POLICY = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline' blob:; worker-src 'self' blob:; font-src 'self' data:; "
    "frame-ancestors 'none'"
)


def _docs_assets() -> Path:
    """Swagger UI and ReDoc as shipped in the fastapi-offline package: no CDN at run time."""
    import fastapi_offline

    return Path(fastapi_offline.__file__).with_name("static")


def _install_docs(app: FastAPI) -> None:
    """/docs and /redoc, served with their scripts from our own origin so they work offline."""
    app.mount("/static/docs", StaticFiles(directory=_docs_assets()), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def swagger() -> HTMLResponse:
        page = get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="acurelief API",
            swagger_js_url="/static/docs/swagger-ui-bundle.js",
            swagger_css_url="/static/docs/swagger-ui.css",
            swagger_favicon_url="/static/docs/favicon.png",
        )
        page.headers["Content-Security-Policy"] = _DOCS_POLICY  # Swagger UI starts inline
        return page

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        page = get_redoc_html(
            openapi_url="/openapi.json",
            title="acurelief API",
            redoc_js_url="/static/docs/redoc.standalone.js",
            redoc_favicon_url="/static/docs/favicon.png",
            with_google_fonts=False,
        )
        # ReDoc's footer asks a CDN for its logo; the policy keeps every fetch on our origin.
        page.headers["Content-Security-Policy"] = _DOCS_POLICY
        return page

"""Security headers on pages, API answers and static files; HSTS over https only; docs off."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient
from pydantic import SecretStr

from acurelief.config import Environment, Settings
from acurelief.storage.unit_of_work import SqlUnitOfWorkFactory
from acurelief.web import create_app
from acurelief.web.headers import CONTENT_SECURITY_POLICY
from tests.conftest import NOW

TEMPLATES = Path(__file__).parents[2] / "src" / "acurelief" / "web" / "templates"


def _app(factory: SqlUnitOfWorkFactory, tmp_path: Path, **settings: object) -> FastAPI:
    values: dict[str, object] = {
        "environment": Environment.TEST,
        "data_dir": tmp_path,
        "secret_key": SecretStr("s" * 40),
    }
    values.update(settings)
    return create_app(Settings.model_validate(values), uow_factory=factory, clock=lambda: NOW)


def _assert_common(headers: Mapping[str, str]) -> None:
    get = headers.get
    assert get("x-content-type-options") == "nosniff"
    assert get("x-frame-options") == "DENY"
    assert get("referrer-policy") in ("same-origin", "no-referrer", "strict-origin")
    policy = get("content-security-policy")
    assert policy is not None
    assert "frame-ancestors 'none'" in policy


@pytest.mark.parametrize(
    ("path", "health_data"),
    [
        ("/login", True),
        ("/api/v1/me", True),  # 401 problem: still no-store
        ("/health", True),
        ("/static/app.css", False),
        ("/static/app.js", False),
    ],
)
def test_every_answer_carries_the_security_headers(
    client: TestClient, path: str, health_data: bool
) -> None:
    answer = client.get(path)
    assert answer.status_code in (200, 401)
    _assert_common(answer.headers)
    assert "strict-transport-security" not in answer.headers  # plain http
    if health_data:
        assert answer.headers["cache-control"] == "no-store"
    else:
        assert "no-store" not in answer.headers.get("cache-control", "")


def test_pages_forbid_inline_script_and_style(client: TestClient) -> None:
    policy = client.get("/login").headers["content-security-policy"]
    assert policy == CONTENT_SECURITY_POLICY
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert "unsafe-inline" not in policy


def test_templates_hold_no_inline_script_style_or_handlers() -> None:
    """The CSP would block them: scripts come from /static, styles from app.css."""
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
    handler = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
    style = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)
    offenders = [
        f"{path.relative_to(TEMPLATES)}: {kind}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for kind, pattern in (("script", inline_script), ("on*=", handler), ("style", style))
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_an_authenticated_api_answer_is_not_stored(
    client: TestClient, tokens: dict[str, dict[str, str]]
) -> None:
    answer = client.get("/api/v1/me", headers=tokens["p1"])
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-store"
    _assert_common(answer.headers)


def test_a_page_keeps_a_stricter_referrer_policy_of_its_own(
    uow_factory: SqlUnitOfWorkFactory, tmp_path: Path
) -> None:
    """The welcome page sets its own Referrer-Policy; the middleware must not overwrite it."""
    app = _app(uow_factory, tmp_path)

    @app.get("/own-policy")
    def own() -> JSONResponse:
        return JSONResponse({}, headers={"Referrer-Policy": "no-referrer"})

    with TestClient(app) as c:
        assert c.get("/own-policy").headers["referrer-policy"] == "no-referrer"


def test_hsts_only_over_https(uow_factory: SqlUnitOfWorkFactory, tmp_path: Path) -> None:
    app = _app(uow_factory, tmp_path)
    with TestClient(app, base_url="https://testserver") as secure:
        assert secure.get("/login").headers["strict-transport-security"].startswith("max-age=")
    with TestClient(app, base_url="http://testserver") as plain:
        assert "strict-transport-security" not in plain.get("/login").headers


def test_hsts_behind_a_tls_proxy(uow_factory: SqlUnitOfWorkFactory, tmp_path: Path) -> None:
    app = _app(uow_factory, tmp_path, behind_tls=True)
    with TestClient(app, base_url="http://testserver") as c:
        assert "max-age=" in c.get("/login").headers["strict-transport-security"]


def test_docs_switched_off_answer_404(uow_factory: SqlUnitOfWorkFactory, tmp_path: Path) -> None:
    app = _app(uow_factory, tmp_path, api_docs=False)
    with TestClient(app) as c:
        for path in ("/docs", "/redoc", "/openapi.json", "/static/docs/swagger-ui-bundle.js"):
            assert c.get(path).status_code == 404, path


def test_docs_are_off_in_production_unless_asked_for() -> None:
    production = Settings(environment=Environment.PRODUCTION, secret_key=SecretStr("s" * 40))
    assert not production.docs_enabled()
    assert Settings(environment=Environment.PRODUCTION, api_docs=True).docs_enabled()
    assert Settings(environment=Environment.DEVELOPMENT).docs_enabled()


def test_docs_keep_their_own_policy_and_no_framing(client: TestClient) -> None:
    for path in ("/docs", "/redoc"):
        answer = client.get(path)
        assert answer.status_code == 200
        policy = answer.headers["content-security-policy"]
        assert "'unsafe-inline'" in policy  # Swagger UI and ReDoc start inline
        assert "frame-ancestors 'none'" in policy
        assert answer.headers["x-frame-options"] == "DENY"

"""Browser tests: the real app served on loopback, driven by Playwright in Debian's Chromium.

Each test gets a fresh demo practice on its database (SQLite and PostgreSQL, through the
``engine`` fixture), a server on a free port of 127.0.0.1, and pages at desktop (1280 px)
and phone (390 px) widths. Screenshots go to ``test-artifacts/screenshots/`` (git-ignored).
Chromium comes from Debian's ``chromium`` package (installed by ``make test``); Playwright
never downloads a browser build of its own.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, Playwright, sync_playwright
from pydantic import SecretStr

from acurelief.config import Environment, Settings
from acurelief.services.demo import DemoSummary, seed_demo
from acurelief.storage.unit_of_work import SqlUnitOfWorkFactory
from acurelief.web import create_app
from tests.conftest import NOW

CHROMIUM = os.environ.get("ACURELIEF_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass(frozen=True)
class LiveApp:
    """The served app: its address and the demo practice it holds."""

    url: str
    demo: DemoSummary
    uow_factory: SqlUnitOfWorkFactory


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run 'make test' (it installs it by apt)")
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def live_app(uow_factory: SqlUnitOfWorkFactory, tmp_path: Path) -> Iterator[LiveApp]:
    with uow_factory() as work:
        demo = seed_demo(work, NOW)
    settings = Settings(
        environment=Environment.TEST, data_dir=tmp_path, secret_key=SecretStr("b" * 40)
    )
    app = create_app(settings, uow_factory=uow_factory, clock=lambda: NOW)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the app did not start on loopback within 20 s")
        time.sleep(0.05)
    yield LiveApp(f"http://127.0.0.1:{port}", demo, uow_factory)
    server.should_exit = True
    thread.join(timeout=10)


def _page(browser: Browser, viewport: dict[str, int]) -> Iterator[Page]:
    context = browser.new_context(viewport=viewport)  # type: ignore[arg-type]
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def desktop(browser: Browser) -> Iterator[Page]:
    yield from _page(browser, DESKTOP)


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    yield from _page(browser, PHONE)


_AXE = Axe()


def check_page(page: Page, name: str) -> None:
    """What every page must pass: a screenshot kept, no serious or critical axe-core
    violation (WCAG 2.1 A/AA rules), and no horizontal scrolling on a phone."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"] if page.viewport_size else 0
    page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
    results = _AXE.run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]})
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == [], f"{name} at {width} px: {bad}"
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} at {width} px scrolls sideways by {overflow} px"


def log_in(page: Page, app: LiveApp, email: str, password: str) -> None:
    page.goto(f"{app.url}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()

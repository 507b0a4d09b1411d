"""Every page a person can reach, at both widths: accessible, no sideways scrolling."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, Route

from tests.browser.conftest import LiveApp, check_page, log_in


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_login_and_the_practitioner_pages(
    live_app: LiveApp, width: str, request: pytest.FixtureRequest
) -> None:
    page: Page = request.getfixturevalue(width)
    page.goto(f"{live_app.url}/login")
    check_page(page, "login")
    staff = next(s for s in live_app.demo.logins if s.email.startswith("lin@"))
    log_in(page, live_app, staff.email, staff.password)
    assert page.url.endswith("/patients")
    check_page(page, "patients")
    page.get_by_role("link", name="Anna Berg").click()
    page.wait_for_load_state()
    check_page(page, "dashboard")
    page.get_by_role("link", name="Patient login link").click()
    page.wait_for_load_state()
    check_page(page, "invite")


def test_a_form_without_its_csrf_token_is_refused(live_app: LiveApp, desktop: Page) -> None:
    """A forged post (here: the hidden token removed from the page) changes nothing."""
    staff = next(s for s in live_app.demo.logins if s.email.startswith("lin@"))
    log_in(desktop, live_app, staff.email, staff.password)
    desktop.goto(f"{live_app.url}/patients/new")
    desktop.get_by_label("Name").first.fill("Forged Patient")
    desktop.evaluate("document.querySelectorAll('input[name=csrf_token]').forEach(e => e.remove())")
    desktop.get_by_role("button", name="Add the patient").click()
    desktop.wait_for_load_state()
    assert desktop.get_by_role("heading", name="Forbidden").is_visible()
    check_page(desktop, "csrf-refused")
    with live_app.uow_factory() as uow:
        names = [p.name for p in uow.patients.list_for_clinic(live_app.demo.clinic_id)]
    assert "Forged Patient" not in names


def test_the_api_docs_work_without_a_network(live_app: LiveApp, desktop: Page) -> None:
    outside: list[str] = []

    def cut_off(route: Route) -> None:
        """The network as a clinic without internet has it: only our own server answers."""
        if route.request.url.startswith(live_app.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    desktop.route("**/*", cut_off)
    desktop.goto(f"{live_app.url}/docs")
    desktop.locator(".opblock").first.wait_for()
    assert "acurelief" in desktop.locator(".info .title").inner_text()
    desktop.goto(f"{live_app.url}/redoc")
    desktop.get_by_text("Headache diaries linked").first.wait_for()
    assert outside == []


def test_errors_are_pages_not_json(live_app: LiveApp, phone: Page) -> None:
    phone.goto(f"{live_app.url}/no-such-page")
    assert phone.get_by_role("heading", name="Page not found").is_visible()
    check_page(phone, "error-404")

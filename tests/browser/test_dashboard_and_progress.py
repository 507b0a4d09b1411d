"""The practitioner reads a patient's dashboard through the months; the patient reads My
progress — at desktop and phone widths, accessible, and the calendar usable by keyboard."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from acurelief.services.demo import PATIENT_LOGIN
from tests.browser.conftest import LiveApp, check_page, log_in


def _demo_patient(app: LiveApp) -> int:
    with app.uow_factory() as uow:
        found = uow.users.credentials(PATIENT_LOGIN.email)
    assert found is not None
    assert found.user.patient_id is not None
    return found.user.patient_id


def _staff(app: LiveApp) -> tuple[str, str]:
    login = next(s for s in app.demo.logins if s.email.startswith("lin@"))
    return login.email, login.password


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_the_dashboard_through_the_months(
    live_app: LiveApp, width: str, request: pytest.FixtureRequest
) -> None:
    page: Page = request.getfixturevalue(width)
    log_in(page, live_app, *_staff(live_app))
    pid = _demo_patient(live_app)
    page.goto(f"{live_app.url}/patients/{pid}")
    verdict = page.locator("#verdict")
    assert re.match(
        r"(Fewer|More) headache days|No clear change|Not enough diary", verdict.inner_text()
    )
    images = page.locator("figure.chart-card img")
    assert images.count() >= 4
    drawn = images.evaluate_all("imgs => imgs.map(i => i.complete && i.naturalWidth > 0)")
    assert all(drawn), drawn
    assert page.get_by_role("link", name="Chart a session").is_visible()
    check_page(page, "patient-dashboard")
    months = [page.locator("#calendar-title").inner_text()]
    while page.locator('.month-nav a[rel="prev"]').count():
        page.locator('.month-nav a[rel="prev"]').click()
        page.wait_for_load_state()
        months.append(page.locator("#calendar-title").inner_text())
        if len(months) == 2:
            check_page(page, "patient-dashboard-last-month")
    assert len(months) >= 3, months
    assert page.get_by_text("First month of the diary").is_visible()
    check_page(page, "patient-dashboard-first-month")


def test_the_calendar_is_reached_and_read_by_keyboard(live_app: LiveApp, desktop: Page) -> None:
    log_in(desktop, live_app, *_staff(live_app))
    desktop.goto(f"{live_app.url}/patients/{_demo_patient(live_app)}")
    desktop.locator(".month-nav a").last.focus()
    desktop.keyboard.press("Tab")
    active = desktop.evaluate(
        "() => { const a = document.activeElement; return [a.tagName,"
        " a.closest('table.month-cal') !== null, a.getAttribute('aria-label')]; }"
    )
    assert active[0] == "TD"
    assert active[1] is True
    assert re.match(
        r"\w+day \d+ \w+: (no headache|headache, pain \d+|headache, pain not rated|not recorded)",
        active[2],
    ), active[2]
    desktop.keyboard.press("Tab")
    second = desktop.evaluate("() => document.activeElement.getAttribute('data-date')")
    assert second is not None  # the next day, not out of the calendar


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_my_progress_in_plain_words(
    live_app: LiveApp, width: str, request: pytest.FixtureRequest
) -> None:
    page: Page = request.getfixturevalue(width)
    log_in(page, live_app, PATIENT_LOGIN.email, PATIENT_LOGIN.password)
    page.goto(f"{live_app.url}/progress")
    assert page.get_by_role("heading", name="My progress").is_visible()
    assert page.get_by_text("ease by themselves after a bad spell").is_visible()
    details = page.locator("details.details")
    assert not details.evaluate("d => d.open")
    outside = page.evaluate(
        "() => { const m = document.querySelector('main').cloneNode(true);"
        " m.querySelectorAll('details').forEach(d => d.remove()); return m.innerText; }"
    )
    assert "rate ratio" not in outside.lower()
    assert re.search(r"\bCI\b", outside) is None
    check_page(page, "my-progress")
    details.locator("summary").click()
    assert details.get_by_text("Rate ratio").first.is_visible()

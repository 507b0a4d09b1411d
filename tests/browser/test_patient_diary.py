"""The patient keeps the diary in the browser, on a phone and on a desktop, taps counted.

Every click or check is one tap; typing a note would not be required and is never needed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from acurelief.domain import DiaryDay, MedicationClass
from acurelief.services.demo import PATIENT_LOGIN
from tests.browser.conftest import ARTIFACTS, PHONE, LiveApp, check_page, log_in
from tests.conftest import NOW

MAX_TAPS_NO_HEADACHE = 2
MAX_TAPS_HEADACHE_DAY = 8


class Taps:
    """Counts the taps a test makes, so the limits are measured, not assumed."""

    def __init__(self) -> None:
        self.count = 0

    def on(self, page: Page, selector: str) -> None:
        page.locator(selector).click()
        self.count += 1


def _anna(app: LiveApp) -> tuple[int, dt.date]:
    """The demo patient's record and her "today" (in her own time zone)."""
    with app.uow_factory() as uow:
        user = uow.users.credentials(PATIENT_LOGIN.email)
        assert user is not None
        patient_id = user.user.patient_id
        assert patient_id is not None
        patient = uow.patients.get(patient_id)
        assert patient is not None
    return patient_id, patient.today(NOW)


def _day(app: LiveApp, patient_id: int, date: dt.date) -> DiaryDay | None:
    with app.uow_factory() as uow:
        return uow.diary.get(patient_id, date)


def _put(app: LiveApp, day: DiaryDay) -> None:
    with app.uow_factory() as uow:
        uow.diary.upsert(day)
        uow.commit()


def _words(date: dt.date) -> str:
    return f"{date:%A} {date.day} {date:%B}"


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_a_patient_records_a_headache_free_day_and_a_headache_day(
    live_app: LiveApp, width: str, request: pytest.FixtureRequest
) -> None:
    page: Page = request.getfixturevalue(width)
    patient_id, today = _anna(live_app)
    yesterday = today - dt.timedelta(days=1)
    _put(live_app, DiaryDay(patient_id=patient_id, date=yesterday, headache=False))

    log_in(page, live_app, PATIENT_LOGIN.email, PATIENT_LOGIN.password)
    assert page.url.endswith("/today")
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    check_page(page, "diary-today")

    free = Taps()
    free.on(page, "button.ask-no")
    expect(page.get_by_role("status")).to_contain_text(f"Saved: no headache on {_words(today)}")
    assert free.count <= MAX_TAPS_NO_HEADACHE
    stored = _day(live_app, patient_id, today)
    assert stored is not None
    assert stored.headache is False
    check_page(page, "diary-today-saved")

    ache = Taps()
    ache.on(page, 'nav.main a[href="/diary"]')
    check_page(page, "diary-earlier-days")
    ache.on(page, f'a.day-row[href="/diary/{yesterday}"]')
    expect(page.get_by_role("heading", level=1)).to_have_text("Yesterday")
    expect(page.locator(".pain")).to_be_hidden()  # the details wait for "Yes"
    ache.on(page, "label.ask-yes")
    expect(page.locator(".pain")).to_be_visible()
    ache.on(page, "label.pain-6")
    ache.on(page, 'button[aria-label="One dose more: Triptan"]')
    check_page(page, "diary-headache-form")
    ache.on(page, "button.save")
    assert ache.count <= MAX_TAPS_HEADACHE_DAY

    assert page.url.endswith("/diary")
    expect(page.get_by_role("status")).to_contain_text(
        f"Saved: headache (pain 6) on {_words(yesterday)}"
    )
    assert _day(live_app, patient_id, yesterday) == DiaryDay(
        patient_id=patient_id,
        date=yesterday,
        headache=True,
        peak_pain=6,
        medications={MedicationClass.TRIPTAN: 1},
    )
    expect(page.locator('a.day-row[href="/today"]')).to_contain_text("No headache")
    expect(page.locator(f'a.day-row[href="/diary/{yesterday}"]')).to_contain_text(
        "Headache, pain 6"
    )

    # Both days in the calendar of My progress, and reachable from it to change them.
    page.locator('nav.main a[href="/progress"]').click()
    page.wait_for_load_state()
    free_cell = page.locator(f'#calendar td[data-date="{today}"]')
    ache_cell = page.locator(f'#calendar td[data-date="{yesterday}"]')
    if yesterday.month != today.month:  # yesterday lies in the month before
        page.get_by_role("link", name="‹").first.click()
    expect(ache_cell.locator(".p")).to_have_text("6")
    expect(ache_cell.get_by_role("link")).to_have_attribute(
        "aria-label", re.compile(f"{_words(yesterday)}: headache, pain 6")
    )
    if yesterday.month == today.month:
        expect(free_cell.locator(".p")).to_have_text("–")
    check_page(page, "my-progress-after-saving")


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_an_invalid_day_shows_the_error_and_stores_nothing(
    live_app: LiveApp, width: str, request: pytest.FixtureRequest
) -> None:
    page: Page = request.getfixturevalue(width)
    patient_id, today = _anna(live_app)
    day = today - dt.timedelta(days=2)
    before = _day(live_app, patient_id, day)
    log_in(page, live_app, PATIENT_LOGIN.email, PATIENT_LOGIN.password)
    page.goto(f"{live_app.url}/diary/{day}")
    page.locator("label.ask-yes").click()
    page.locator("label.pain-5").click()
    page.get_by_label("How many hours did it last?").fill("30")
    page.locator("button.save").click()
    hours = page.get_by_label("How many hours did it last?")
    expect(hours).to_have_value("30")
    expect(hours).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#headache_hours-error")).to_contain_text("from 0 to 24 hours")
    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved.")
    check_page(page, "diary-form-error")
    assert _day(live_app, patient_id, day) == before


@pytest.fixture
def no_script_phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)  # type: ignore[arg-type]
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_the_form_works_without_javascript(live_app: LiveApp, no_script_phone: Page) -> None:
    page = no_script_phone
    patient_id, today = _anna(live_app)
    log_in(page, live_app, PATIENT_LOGIN.email, PATIENT_LOGIN.password)
    page.goto(f"{live_app.url}/diary/{today - dt.timedelta(days=3)}")
    expect(page.locator(".pain")).to_be_visible()  # nothing is hidden without a script
    page.locator("label.ask-yes").click()
    page.locator("label.pain-7").click()
    page.get_by_label("Simple painkiller").fill("2")
    page.screenshot(path=str(ARTIFACTS / "diary-form-nojs-390.png"), full_page=True)
    page.locator("button.save").click()
    assert page.url.endswith("/diary")
    stored = _day(live_app, patient_id, today - dt.timedelta(days=3))
    assert stored is not None
    assert (stored.headache, stored.peak_pain) == (True, 7)
    assert stored.medications == {MedicationClass.SIMPLE_ANALGESIC: 2}
    # axe-core and the scroll check need scripts; the same pages pass them in the tests above
    page.screenshot(path=str(ARTIFACTS / "diary-earlier-days-nojs-390.png"), full_page=True)

"""A practitioner between two patients: takes a headache history and sees the diagnosis, then
charts a session from a protocol, mistypes a point, takes the suggestion and saves; at desktop
and phone widths, every page accessible and without sideways scrolling."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveApp, check_page, log_in

PATIENT = "Anna Berg"


def _open_patient(page: Page, app: LiveApp) -> str:
    staff = next(s for s in app.demo.logins if s.email.startswith("lin@"))
    log_in(page, app, staff.email, staff.password)
    page.get_by_role("link", name=PATIENT).first.click()
    page.wait_for_load_state()
    match = re.search(r"/patients/(\d+)$", page.url)
    assert match is not None, page.url
    return match.group(1)


def _take_history(page: Page, name: str) -> None:
    page.get_by_role("link", name="Headache history").first.click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Headache history", exact=True)).to_be_visible()
    check_page(page, f"{name}-intake")
    page.get_by_label("How many attacks like this has the patient had in their life?").first.fill(
        "many"
    )
    page.get_by_role("button", name="Save the history").last.click()
    page.wait_for_load_state()
    error = page.locator("#migraine_like-lifetime_attacks-error")
    expect(error).to_contain_text("whole number")
    check_page(page, f"{name}-intake-error")
    page.get_by_label("How many attacks like this has the patient had in their life?").first.fill(
        "60"
    )
    flags = page.locator("#part-red_flags")
    flags.get_by_role("radio", name="No").first.check()
    page.get_by_role("button", name="Save the history").last.click()
    page.wait_for_load_state()
    expect(page.get_by_role("status")).to_contain_text("The headache history was saved")
    diagnosis = page.locator("#diagnosis")
    expect(diagnosis.get_by_role("heading", name="Diagnosis (ICHD-3)")).to_be_visible()
    expect(diagnosis.locator(".trace").first).to_be_visible()  # the criteria, opened
    check_page(page, f"{name}-intake-saved")


def _add_and_remove_a_row_in_place(page: Page) -> None:
    """With the script, rows come and go without a round trip; a midline point loses its side."""
    rows = page.locator("#point-rows > li")
    before, url = rows.count(), page.url
    page.get_by_role("button", name="+ Add another point").click()
    expect(rows).to_have_count(before + 1)
    assert page.url == url
    code = rows.last.locator("input")
    expect(code).to_be_focused()
    code.fill("GV20")
    code.dispatch_event("change")
    expect(rows.last.locator("select")).to_have_value("")
    rows.last.get_by_role("button", name=re.compile("Remove point")).click()
    expect(rows).to_have_count(before)


def _chart_session(page: Page, app: LiveApp, patient_id: str, name: str, *, scripted: bool) -> None:
    page.goto(f"{app.url}/patients/{patient_id}")
    page.get_by_role("link", name="Chart a session").first.click()
    page.wait_for_load_state()
    check_page(page, f"{name}-session")
    page.get_by_label("Start from").select_option(
        label="Chronic TTH (Chengdu trial) · tension-type headache"
    )
    page.get_by_role("button", name="Fill in").click()
    page.wait_for_load_state()
    expect(page.locator("#f-points-0-code")).to_have_value("GB20")
    expect(page.locator("#f-points-4-code")).to_have_value("LR3")
    if scripted:
        _add_and_remove_a_row_in_place(page)
    page.locator("#f-points-5-code").fill("GB-21x")
    page.locator("#f-before-pain").select_option("6")
    page.locator("#f-after-pain").select_option("3")
    page.get_by_role("textbox", name="Notes").fill("Charted in the browser test.")
    page.get_by_role("button", name="Save the session").last.click()
    page.wait_for_load_state()
    expect(page.locator("#points-5-code-error")).to_contain_text("did you mean GB21")
    expect(page.locator("#f-notes")).to_have_value("Charted in the browser test.")
    check_page(page, f"{name}-session-error")
    page.locator("#f-points-5-code").fill("GB21")
    page.get_by_role("button", name="Save the session").last.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/patients/{patient_id}?saved=session")
    expect(page.get_by_role("status").first).to_contain_text("The session was saved")
    newest = page.locator(".session-item").first
    expect(newest).to_contain_text("GB21")
    expect(newest).to_contain_text("Charted in the browser test.")
    check_page(page, f"{name}-session-saved")


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_a_practitioner_takes_a_history_and_charts_a_session(
    live_app: LiveApp, width: str, request: pytest.FixtureRequest
) -> None:
    page: Page = request.getfixturevalue(width)
    patient_id = _open_patient(page, live_app)
    _take_history(page, "practitioner")
    _chart_session(page, live_app, patient_id, "practitioner", scripted=width == "desktop")

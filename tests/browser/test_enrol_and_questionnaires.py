"""A practitioner adds a patient and hands over a one-time link; the patient sets a password
on a phone; the demo patient fills in PHQ-9 and GAD-7 and sees the scores."""

from __future__ import annotations

from playwright.sync_api import Browser, Page

from tests.browser.conftest import PHONE, LiveApp, check_page, log_in

PASSWORD = "acurelief-demo"
NEW_PASSWORD = "my own long passphrase"


def _choose(page: Page, name: str, value: int | str) -> None:
    page.locator(f'label.chip:has(input[name="{name}"][value="{value}"])').click()


def _anna(app: LiveApp) -> int:
    with app.uow_factory() as uow:
        patients = uow.patients.list_for_clinic(app.demo.clinic_id)
    ids = [p.id for p in patients if p.name == "Anna Berg" and p.id is not None]
    assert len(ids) == 1
    return ids[0]


def test_a_practitioner_adds_a_patient_who_then_sets_a_password(
    live_app: LiveApp, desktop: Page, browser: Browser
) -> None:
    log_in(desktop, live_app, "lin@demo.example", PASSWORD)
    desktop.get_by_role("navigation", name="Main").get_by_role("link", name="Add a patient").click()
    desktop.wait_for_url("**/patients/new")
    check_page(desktop, "enrol-new")
    desktop.get_by_label("Full name").fill("Ruth Example")
    desktop.get_by_label("Date of birth").fill("2030-01-01")
    _choose(desktop, "sex", "female")
    desktop.get_by_label("The patient’s e-mail").fill("ruth@example.org")
    desktop.get_by_role("button", name="Add the patient").click()
    assert desktop.locator("#date_of_birth-error").inner_text() == "Must not be in the future."
    assert desktop.get_by_label("Full name").input_value() == "Ruth Example"
    check_page(desktop, "enrol-new-errors")
    desktop.get_by_label("Date of birth").fill("1980-04-09")
    desktop.get_by_role("button", name="Add the patient").click()
    desktop.get_by_role("heading", name="One-time link for Ruth Example").wait_for()
    check_page(desktop, "enrol-link")
    link = desktop.get_by_label("The link").input_value()
    assert link.startswith(f"{live_app.url}/welcome/")
    assert desktop.get_by_role("button", name="Copy").is_visible()

    desktop.goto(f"{live_app.url}/patients/{_anna(live_app)}/questionnaires")
    desktop.get_by_role("heading", name="Questionnaires of Anna Berg").wait_for()
    check_page(desktop, "questionnaires-staff")

    patient = browser.new_context(viewport=PHONE)  # type: ignore[arg-type]
    try:
        phone = patient.new_page()
        referers: list[str] = []
        phone.on("request", lambda r: referers.append(r.headers.get("referer") or ""))
        phone.goto(link)
        assert phone.get_by_label("Your e-mail").input_value() == "ruth@example.org"
        check_page(phone, "welcome")
        phone.get_by_label("New password").fill(NEW_PASSWORD)
        phone.get_by_label("The same password again").fill(NEW_PASSWORD[:-1])
        phone.get_by_role("button", name="Set my password and start").click()
        assert "not the same" in phone.locator("#repeat-error").inner_text()
        check_page(phone, "welcome-errors")
        phone.get_by_label("New password").fill(NEW_PASSWORD)
        phone.get_by_label("The same password again").fill(NEW_PASSWORD)
        phone.get_by_role("button", name="Set my password and start").click()
        phone.wait_for_url("**/today")
        phone.goto(link)
        phone.get_by_role("heading", name="This link has already been used").wait_for()
        check_page(phone, "welcome-used")
        token = link.rsplit("/", 1)[1]
        assert referers
        assert not [r for r in referers if token in r]
    finally:
        patient.close()


def test_the_demo_patient_fills_in_phq9_and_gad7(live_app: LiveApp, phone: Page) -> None:
    log_in(phone, live_app, "patient@demo.example", PASSWORD)
    phone.goto(f"{live_app.url}/questionnaires")
    check_page(phone, "questionnaires")
    phone.get_by_role("link", name="PHQ-9").click()
    phone.wait_for_url("**/questionnaires/PHQ-9")
    check_page(phone, "questionnaire-phq9")
    for item, value in enumerate([1, 1, 2, 1, 0, 1, 1, 0], start=1):
        _choose(phone, f"answers.{item}", value)
    phone.get_by_role("button", name="Send my answers").click()  # item 9 left out
    assert "Please choose an answer" in phone.locator("#answers-9-error").inner_text()
    check_page(phone, "questionnaire-phq9-missing")
    _choose(phone, "answers.9", 0)
    phone.get_by_role("button", name="Send my answers").click()
    phone.wait_for_url("**/questionnaires")
    assert "PHQ-9 (mood): 7 — mild, answered 15 June" in phone.locator("main").inner_text()

    phone.get_by_role("link", name="GAD-7").click()
    for item, value in enumerate([2, 1, 1, 0, 0, 1, 0], start=1):
        _choose(phone, f"answers.{item}", value)
    phone.get_by_role("button", name="Send my answers").click()
    phone.wait_for_url("**/questionnaires")
    text = phone.locator("main").inner_text()
    assert "GAD-7 (anxiety): 5 — mild, answered 15 June" in text
    assert "PHQ-9 (mood): 7 — mild" in text
    check_page(phone, "questionnaires-answered")
    phone.goto(f"{live_app.url}/questionnaires/HIT-6")
    check_page(phone, "questionnaire-hit6")
